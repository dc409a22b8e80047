// Every entry point that takes an objective refuses one without an evaluate function (naming the
// objective) or with a dimension that is not a whole number ≥ 0 (naming its dimension), before it
// evaluates anything (src/objectives/check-objective.ts).
import { describe, expect, it } from "vitest";
import { InvalidOptionError, LBFGS, SGD } from "gradstep";
import { checkGradient, gridSearch, landscape, minimize, penalized, solve } from "gradstep/learn";
import { thrown } from "../helpers.js";

const evaluated: number[] = [];
const evaluate = (theta: Float64Array) => {
  evaluated.push(theta.length);
  return 0;
};
const hostile: [string, unknown][] = [
  ["null", null],
  ["no evaluate", { dimension: 2 }],
  ["no dimension", { evaluate }],
  ["dimension NaN", { dimension: NaN, evaluate }],
  ["dimension 1.5", { dimension: 1.5, evaluate }],
  ["dimension -1", { dimension: -1, evaluate }],
  ["dimension \"2\"", { dimension: "2", evaluate }],
];
const entries: [string, (objective: any) => unknown, string][] = [
  ["minimize", (objective) => minimize({ objective, optimizer: new SGD({ lr: 0.1 }), params: new Float64Array(2), steps: 1 }), "objective"],
  ["minimize's validation", (objective) => minimize({ objective: { dimension: 2, evaluate }, optimizer: new SGD({ lr: 0.1 }), params: new Float64Array(2), steps: 1, validation: { objective } }), "validation.objective"],
  ["solve", (objective) => solve({ objective, params: new Float64Array(2) }), "objective"],
  ["gridSearch", (objective) => gridSearch(objective, [{ from: 0, to: 1, points: 2 }, { from: 0, to: 1, points: 2 }]), "objective"],
  ["landscape", (objective) => landscape(objective, { x: { from: 0, to: 1, points: 2 }, y: { from: 0, to: 1, points: 2 } }), "objective"],
  ["checkGradient", (objective) => checkGradient(objective, new Float64Array(2)), "objective"],
  ["penalized", (objective) => penalized(objective, { l2: 1 }), "objective"],
  ["LBFGS", (objective) => new LBFGS().step(new Float64Array(2), objective), "objective"],
];

describe("an objective is checked where it is taken", () => {
  it.each(entries)("%s refuses a non-objective, naming it or its dimension", (_, run, argument) => {
    for (const [label, objective] of hostile) {
      evaluated.length = 0;
      const error = thrown(() => run(objective));
      expect(error, `${label}`).toBeInstanceOf(InvalidOptionError);
      const named = label === "null" || label === "no evaluate" ? argument : `${argument}.dimension`;
      expect((error as InvalidOptionError).argument, `${label}`).toBe(named);
      expect(evaluated, `${label}`).toEqual([]);
    }
  });
});
