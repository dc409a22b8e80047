// The scipy L-BFGS-B reference (test/fixtures/scipy-lbfgsb.json) and its problems as gradstep objectives.
import { readFileSync } from "node:fs";
import { anisotropicValley, beale, illConditionedQuadratic, rosenbrock } from "../../src/objectives/test-functions.js";
import type { Objective } from "../../src/objectives/objective.js";

export interface ScipyLbfgsbCase {
  name: string;
  problem: { kind: string; a?: number[][]; b?: number[]; calls?: number };
  x0: number[];
  lower: (number | null)[];
  upper: (number | null)[];
  options: { gtol?: number; ftol?: number; maxcor?: number; maxiter?: number; maxfun?: number };
  x: number[];
  fun: number;
  nit: number;
  nfev: number;
  status: number;
  message: string;
  path: number[][];
}

export const scipyLbfgsb: { scipy: string; cases: ScipyLbfgsbCase[] } = JSON.parse(
  readFileSync(new URL("../fixtures/scipy-lbfgsb.json", import.meta.url), "utf8"),
);

/** f(x) = Σ_i x_i·(½·(Ax)_i + b_i), g = Ax + b, in the generator's order. */
export function fixtureQuadratic(a: number[][], b: number[]): Objective {
  const n = b.length;
  return {
    dimension: n,
    evaluate(x, g) {
      let value = 0;
      for (let i = 0; i < n; i++) {
        let ax = 0;
        for (let j = 0; j < n; j++) ax += a[i][j] * x[j];
        value += x[i] * (0.5 * ax + b[i]);
        if (g) g[i] = ax + b[i];
      }
      return value;
    },
  };
}

export function caseObjective(c: ScipyLbfgsbCase): Objective {
  switch (c.problem.kind) {
    case "rosenbrock":
      return rosenbrock();
    case "beale":
      return beale();
    case "illConditionedQuadratic":
      return illConditionedQuadratic(1e4, 10);
    case "anisotropicValley":
      return anisotropicValley();
    case "rosenbrockFlippedAfter": {
      // The gradient's sign flips after `calls` evaluations (a stateful objective: make one per run).
      const base = rosenbrock();
      let count = 0;
      return {
        dimension: 2,
        evaluate(x, g) {
          count++;
          const value = base.evaluate(x, g);
          if (g && count > c.problem.calls!) {
            g[0] = -g[0];
            g[1] = -g[1];
          }
          return value;
        },
      };
    }
    case "quadratic":
      return fixtureQuadratic(c.problem.a!, c.problem.b!);
    default:
      throw new Error(c.problem.kind);
  }
}

export function caseOptions(c: ScipyLbfgsbCase) {
  return {
    lower: c.lower.map((v) => (v === null ? -Infinity : v)),
    upper: c.upper.map((v) => (v === null ? Infinity : v)),
    ...(c.options.gtol !== undefined ? { gradientTolerance: c.options.gtol } : {}),
    ...(c.options.ftol !== undefined ? { relativeChange: c.options.ftol } : {}),
    ...(c.options.maxcor !== undefined ? { historySize: c.options.maxcor } : {}),
    ...(c.options.maxiter !== undefined ? { maxIterations: c.options.maxiter } : {}),
    ...(c.options.maxfun !== undefined ? { maxEvaluations: c.options.maxfun } : {}),
  };
}
