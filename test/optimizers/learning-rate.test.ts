// learningRate(): η of a step, as valueAt("lr", t) reads it, from the compiled schedules at the
// next step (what a Chain's scaleByLr decay multiplies by); and a chain reads it from any optimizer.
import { Adam, chain, DisposedError, InvalidOptionError, type Optimizer, SGD } from "gradstep";
import { describe, expect, test } from "vitest";
import { allRules, bytes, gradientAt } from "../helpers.js";

const schedules = [
  0.05,
  { kind: "exponential", initial: 0.1, gamma: 0.9 },
  { kind: "cosine", initial: 0.1, final: 1e-3, period: 7 },
  { kind: "sequence", boundaries: [3], schedules: [{ kind: "linear", initial: 0, final: 0.1, steps: 3 }, { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 2 }] },
] as const;

describe.each(allRules)("$name", ({ name, make }) => {
  test.each(schedules)("is valueAt('lr', t) at every step, and at the next step by default (lr %j)", (lr) => {
    if (name === "Rprop" && typeof lr !== "number") return; // its lr is the initial step sizes: no schedule
    const opt = make({ lr });
    const params = gradientAt(5, 4);
    for (let t = 0; t < 12; t++) {
      expect(opt.learningRate!()).toBe(opt.valueAt("lr"));
      expect(opt.learningRate!(t + 3)).toBe(opt.valueAt("lr", t + 3));
      expect(opt.learningRate!(0)).toBe(opt.valueAt("lr", 0));
      opt.step(params, gradientAt(t, 4));
    }
  });
});

test("asking it changes nothing: the same steps, to the bit", () => {
  const lr = { kind: "exponential", initial: 0.1, gamma: 0.9 } as const;
  const [a, b] = [new Adam({ lr }), new Adam({ lr })];
  const [pa, pb] = [gradientAt(1, 6), gradientAt(1, 6)];
  for (let t = 0; t < 10; t++) {
    a.learningRate();
    a.learningRate(t + 5);
    a.step(pa, gradientAt(t, 6));
    b.step(pb, gradientAt(t, 6));
  }
  expect(bytes(pa)).toEqual(bytes(pb));
  expect(JSON.stringify(a.snapshot())).toBe(JSON.stringify(b.snapshot()));
});

test("a bad t throws an InvalidOptionError; a disposed optimizer a DisposedError", () => {
  const opt = new SGD({ lr: 0.1 });
  for (const t of [-1, 1.5, Number.NaN, 2 ** 53]) expect(() => opt.learningRate(t)).toThrow(InvalidOptionError);
  opt.dispose();
  expect(() => opt.learningRate()).toThrow(DisposedError);
  expect(() => opt.learningRate(3)).toThrow(DisposedError);
});

describe("a chain's scaleByLr decay reads it from the optimizer", () => {
  /** Gradient descent of another library: θ ← θ − η·g, with η from learningRate(). */
  const foreign = (eta: number | undefined): Optimizer => {
    let steps = 0;
    return {
      kind: "Foreign",
      options: { nonFinite: "throw" },
      get stepCount() {
        return steps;
      },
      size: undefined,
      step(params: Float64Array, grad: Float64Array) {
        for (let i = 0; i < params.length; i++) params[i] -= 0.1 * grad[i];
        steps += 1;
      },
      gradientPoint: (p: Float64Array) => p,
      valueAt: () => 0.1,
      ...(eta === undefined ? {} : { learningRate: () => eta }),
      reset() {},
      snapshot: () => ({}) as never,
      restore() {},
    } as Optimizer;
  };

  test("an optimizer of your own with learningRate(): θ·(1 − η·λ), then its step", () => {
    const params = Float64Array.of(1, -2);
    chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5, scaleByLr: true }], foreign(0.1)).step(params, Float64Array.of(1, 1));
    expect(Array.from(params)).toEqual([1 * (1 - 0.1 * 0.5) - 0.1, -2 * (1 - 0.1 * 0.5) - 0.1]);
  });

  test("one without it is refused when the chain is built", () => {
    expect(() => chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5, scaleByLr: true }], foreign(undefined))).toThrow(InvalidOptionError);
    expect(() => chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5 }], foreign(undefined))).not.toThrow();
  });
});
