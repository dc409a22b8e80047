import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import type { Objective } from "../objectives/objective.js";
import { type ArmijoOptions, armijoBacktracking, type BracketingOptions, bracketingLineSearch } from "./line-search.js";

/**
 * Options of {@link lineSearchDescent}.
 *
 * @example
 * ```ts
 * const options: LineSearchDescentOptions = { objective, params, steps: 10, search: { kind: "bracketing", maxDistance: 0.1, threshold: 1e-5, maxIterations: 15 } };
 * ```
 */
export interface LineSearchDescentOptions {
  /** What to minimise, on all its data. */
  objective: Objective;
  /** θ: the start, updated in place. */
  params: Float64Array;
  /** How many steps. */
  steps: number;
  /** How each step's length is chosen along −∇J. */
  search: LineSearchChoice;
}

/**
 * Which line search {@link lineSearchDescent} uses, with its options.
 *
 * @example
 * ```ts
 * const search: LineSearchChoice = { kind: "armijo", shrink: 0.5 };
 * ```
 */
export type LineSearchChoice = BracketingChoice | ArmijoChoice;

/**
 * {@link bracketingLineSearch} with its options.
 *
 * @example
 * ```ts
 * const search: BracketingChoice = { kind: "bracketing", maxDistance: 2 };
 * ```
 */
export interface BracketingChoice extends BracketingOptions {
  /** The search. */
  kind: "bracketing";
}

/**
 * {@link armijoBacktracking} with its options.
 *
 * @example
 * ```ts
 * const search: ArmijoChoice = { kind: "armijo" };
 * ```
 */
export interface ArmijoChoice extends ArmijoOptions {
  /** The search. */
  kind: "armijo";
}

/**
 * What {@link lineSearchDescent} returns.
 *
 * @example
 * ```ts
 * const { path, steps, losses }: LineSearchDescentResult = lineSearchDescent({ objective, params, steps: 10, search: { kind: "armijo" } });
 * ```
 */
export interface LineSearchDescentResult {
  /** θ before the first step and after each step. */
  readonly path: number[][];
  /** The step length of each step. */
  readonly steps: number[];
  /** J at each point of the path. */
  readonly losses: number[];
  /** Evaluations of the objective. */
  readonly evaluations: number;
  /**
   * Why it stopped: `"steps"` after all of them; `"stationary"` at a zero gradient (Armijo: nothing to
   * search); `"nonFinite"` where the step found leads to a NaN or infinite loss (θ stays at the last
   * point, whose loss is finite).
   */
  readonly reason: "steps" | "stationary" | "nonFinite";
}

/**
 * Full-batch gradient descent whose step length is chosen by a line search at every step
 * (UDL notebooks 6.2 and 6.3): g = ∇J(θ), s = argmin over s ≥ 0 of J(θ − s·g) (by
 * {@link bracketingLineSearch} or {@link armijoBacktracking}), θ ← θ − s·g. A step whose loss is NaN
 * or infinite is not taken: the run stops there (`reason: "nonFinite"`).
 *
 * @example
 * ```ts
 * const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
 * const run = lineSearchDescent({ objective: J, params: Float64Array.of(1.6, -0.5), steps: 10, search: { kind: "bracketing", maxDistance: 0.1, threshold: 1e-5, maxIterations: 15 } });
 * run.path.length; // 11
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an unknown search kind or a `steps` that is not a whole number ≥ 0.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for `params` of another length than the objective's dimension.
 */
export function lineSearchDescent(options: LineSearchDescentOptions): LineSearchDescentResult {
  const { objective, params, steps, search } = options;
  if (!(params instanceof Float64Array) || params.length !== objective.dimension) {
    throw new ShapeMismatchError("params", params, `a Float64Array of length ${objective.dimension}`);
  }
  if (!Number.isSafeInteger(steps) || steps < 0) throw new InvalidOptionError("steps", steps, "a whole number ≥ 0");
  const kind = (search as { kind?: unknown } | undefined)?.kind;
  if (kind !== "bracketing" && kind !== "armijo") throw new InvalidOptionError("search.kind", kind, '"bracketing" or "armijo"');
  const n = params.length;
  const grad = new Float64Array(n);
  const trial = new Float64Array(n);
  let evaluations = 0;
  const along = (s: number) => {
    for (let i = 0; i < n; i++) trial[i] = params[i] - s * grad[i];
    evaluations++;
    return objective.evaluate(trial, null);
  };
  const path = [Array.from(params)];
  const lengths: number[] = [];
  evaluations++;
  const losses = [objective.evaluate(params, null)];
  let reason: LineSearchDescentResult["reason"] = "steps";
  for (let t = 0; t < steps; t++) {
    evaluations++;
    const value = objective.evaluate(params, grad);
    let s: number;
    if (search.kind === "bracketing") {
      s = bracketingLineSearch(along, search).step;
    } else {
      let slope = 0;
      for (let i = 0; i < n; i++) slope -= grad[i] * grad[i];
      if (slope === 0) {
        reason = "stationary"; // nothing to search
        break;
      }
      s = armijoBacktracking(along, value, slope, search).step;
    }
    // θ − s·g into trial (an evaluation, counted); θ takes it only where its loss is finite (a search
    // comparing NaNs can pick such a step)
    const loss = along(s);
    if (!Number.isFinite(loss)) {
      reason = "nonFinite";
      break;
    }
    params.set(trial);
    lengths.push(s);
    path.push(Array.from(params));
    losses.push(loss);
  }
  return { path, steps: lengths, losses, evaluations, reason };
}
