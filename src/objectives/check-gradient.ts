import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { checkObjective } from "./check-objective.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Objective } from "./objective.js";

/**
 * The result of {@link checkGradient}.
 *
 * @example
 * ```ts
 * const { worstRelativeError } = checkGradient(rosenbrock(), Float64Array.of(-1, 2));
 * ```
 */
export interface GradientCheck {
  /** The analytic gradient. */
  readonly analytic: Float64Array;
  /** The central-difference estimate. */
  readonly numeric: Float64Array;
  /**
   * max_i |analytic_i − numeric_i| / max(|analytic_i|, |numeric_i|, 1e-5·max(1, |f(θ)|)): relative,
   * except for components so small that the differences of f cannot resolve them (rounding in f
   * limits central differences to about 1e-16·|f|/h), which are compared against that floor.
   */
  readonly worstRelativeError: number;
}

/**
 * Checks an objective's analytic gradient against central finite differences,
 * (f(θ + h_i·e_i) − f(θ − h_i·e_i)) / (2h_i) with h_i = h·max(1, |θ_i|), whose error is O(h²).
 *
 * @example
 * ```ts
 * const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * checkGradient(J, Float64Array.of(-5, 25)).worstRelativeError; // ≈ 1e-10
 * ```
 *
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for a `theta` of another length than the objective's dimension.
 */
export function checkGradient(objective: Objective, theta: Float64Array, options: { h?: number; rows?: Int32Array | null } = {}): GradientCheck {
  checkObjective(objective);
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "an object with the options h, rows");
  const { h = 1e-6, rows = null } = options;
  // (h = 0 or NaN gave a worst error of NaN, which reads as "no worse than anything")
  if (!(typeof h === "number" && h > 0 && h < Infinity)) throw new InvalidOptionError("h", h, "a finite number > 0");
  const n = objective.dimension;
  if (plainFloat64(theta, "theta").length !== n) throw new ShapeMismatchError("theta", theta, `length ${n}`);
  const analytic = new Float64Array(n);
  const value = objective.evaluate(theta, analytic, rows);
  const floor = 1e-5 * Math.max(1, Math.abs(value));
  const numeric = new Float64Array(n);
  const point = Float64Array.from(theta);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    const step = h * Math.max(1, Math.abs(theta[i]));
    point[i] = theta[i] + step;
    const up = objective.evaluate(point, null, rows);
    point[i] = theta[i] - step;
    const down = objective.evaluate(point, null, rows);
    point[i] = theta[i];
    numeric[i] = (up - down) / (2 * step);
    const err = Math.abs(analytic[i] - numeric[i]) / Math.max(Math.abs(analytic[i]), Math.abs(numeric[i]), floor);
    if (!(err <= worst)) worst = err;
  }
  return { analytic, numeric, worstRelativeError: worst };
}
