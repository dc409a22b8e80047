import type { NdArray } from "ndarray";
import { checkObjective } from "../objectives/check-objective.js";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import type { Objective } from "../objectives/objective.js";
import { stridedView } from "../data/strided-view.js";
import { allocateFloat64 } from "../memory/allocate.js";

/**
 * One axis of a grid: `points` values evenly spaced from `from` to `to`, both included.
 *
 * @example
 * ```ts
 * const axis: GridAxis = { from: -10, to: 10, points: 201 }; // step 0.1
 * ```
 */
export interface GridAxis {
  /** The first value. */
  from: number;
  /** The last value, > from. */
  to: number;
  /** How many values, ≥ 2. */
  points: number;
}

function values(axis: GridAxis, name: string): Float64Array {
  const { from, to, points } = axis ?? ({} as GridAxis);
  if (!Number.isFinite(from)) throw new InvalidOptionError(`${name}.from`, from, "a finite number");
  if (!Number.isFinite(to) || !(to > from)) throw new InvalidOptionError(`${name}.to`, to, `a finite number > from (${from})`);
  // (a span past the largest double made the inner points NaN and ∞)
  if (!Number.isFinite(to - from)) throw new InvalidOptionError(`${name}.to`, to, `a number whose distance from ${name}.from is finite`);
  if (!Number.isSafeInteger(points) || points < 2) throw new InvalidOptionError(`${name}.points`, points, "a whole number ≥ 2");
  const grid = allocateFloat64(points, `${name}.points`);
  for (let i = 0; i < points; i++) grid[i] = i === points - 1 ? to : from + ((to - from) * i) / (points - 1);
  return grid;
}

/**
 * What {@link gridSearch} returns.
 *
 * @example
 * ```ts
 * const { argmin, min, evaluations }: GridSearchResult = gridSearch(rosenbrock(), [axis, axis]);
 * ```
 */
export interface GridSearchResult {
  /** The best grid point. */
  readonly argmin: Float64Array;
  /** The objective there; NaN where it gave NaN at every point (argmin is then the first). */
  readonly min: number;
  /** How many evaluations it took: the product of the axes' sizes. */
  readonly evaluations: number;
}

/**
 * A loss landscape, from {@link landscape}.
 *
 * @example
 * ```ts
 * const land: Landscape = landscape(rosenbrock(), { x: axis, y: axis });
 * land.values.get(0, 1); // J at (x[1], y[0])
 * ```
 */
export interface Landscape {
  /** The x values (columns). */
  readonly x: Float64Array;
  /** The y values (rows). */
  readonly y: Float64Array;
  /** values[r][c] = J at x[c], y[r]: a y.length × x.length ndarray. */
  readonly values: NdArray;
  /** How many evaluations it took. */
  readonly evaluations: number;
}

/**
 * Options of {@link landscape}.
 *
 * @example
 * ```ts
 * const options: LandscapeOptions = { x: { from: -1, to: 1, points: 200 }, y: { from: -1, to: 1, points: 200 } };
 * ```
 */
export interface LandscapeOptions {
  /** The axis of parameter dims[0]. */
  x: GridAxis;
  /** The axis of parameter dims[1]. */
  y: GridAxis;
  /** The values of the other parameters. @defaultValue `0` for each */
  base?: Float64Array;
  /** Which two parameters vary. @defaultValue `[0, 1]` */
  dims?: readonly [number, number];
}

/**
 * Brute force (the lecture, §2): evaluates the objective at every point of a grid over all its parameters
 * and returns the best. Its cost is the product of the axes' sizes — (points per axis)^(parameters)
 * for equal axes — which is why it only works in a few dimensions: 100 points per axis cost 10⁴
 * evaluations for 2 parameters and 10²⁰ for 10.
 *
 * @example
 * ```ts
 * const J = empiricalRisk(sigmoidRegression(), meanSquaredError(), data);
 * const { argmin, min, evaluations } = gridSearch(J, [{ from: -5, to: 5, points: 101 }, { from: -5, to: 5, points: 101 }]);
 * // evaluations === 10201
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an objective that is not one, an axis with fewer than 2 points, a non-finite end or span, or a grid of more than 2^53 points.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for another number of axes than the objective's dimension.
 * @throws {@link index!OutOfMemoryError | OutOfMemoryError} for an axis too long to hold.
 */
export function gridSearch(objective: Objective, axes: readonly GridAxis[]): GridSearchResult {
  checkObjective(objective);
  if (!Array.isArray(axes) || axes.length !== objective.dimension) {
    throw new ShapeMismatchError("axes", axes, `one axis per parameter (${objective.dimension})`);
  }
  const grids = axes.map((axis, i) => values(axis, `axes[${i}]`));
  const total = grids.reduce((product, g) => product * g.length, 1);
  if (total > Number.MAX_SAFE_INTEGER) throw new InvalidOptionError("axes", axes, "a grid of at most 2^53 points");
  const index = new Int32Array(grids.length);
  const theta = Float64Array.from(grids, (g) => g[0]);
  const argmin = Float64Array.from(theta);
  let min = Infinity;
  let allNaN = true;
  for (let evaluation = 0; evaluation < total; evaluation++) {
    const value = objective.evaluate(theta, null);
    if (value === value) allNaN = false;
    if (value < min) {
      min = value;
      argmin.set(theta);
    }
    for (let k = grids.length - 1; k >= 0; k--) {
      if (++index[k] < grids[k].length) {
        theta[k] = grids[k][index[k]];
        break;
      }
      index[k] = 0;
      theta[k] = grids[k][0];
    }
  }
  return { argmin, min: allNaN ? NaN : min, evaluations: total };
}

/**
 * A loss landscape: the objective over a 2-D slice of parameter space, for contour plots. Parameters
 * i and j (default 0 and 1) vary along the axes; the others keep their values in `base`.
 *
 * ```text
 * values[r][c] = J(θ)  with θ = base, θ_i = x[c], θ_j = y[r]
 * ```
 *
 * @example
 * ```ts
 * const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * const land = landscape(J, { x: { from: -10, to: 9.9, points: 200 }, y: { from: 2.5, to: 22.4, points: 200 } });
 * land.values.get(0, 0); // J(−10, 2.5); land.evaluations === 40000
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an objective that is not one, an axis with fewer than 2 points, a non-finite end or span, or `dims` that are not two distinct coordinates.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for a `base` of another length than the objective's dimension.
 * @throws {@link index!OutOfMemoryError | OutOfMemoryError} for a grid too large to hold.
 */
export function landscape(objective: Objective, options: LandscapeOptions): Landscape {
  checkObjective(objective);
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "{ x, y } axes, and optionally dims and base");
  const x = values(options.x, "x");
  const y = values(options.y, "y");
  const [i, j] = options.dims ?? [0, 1];
  const d = objective.dimension;
  if (!(Number.isSafeInteger(i) && Number.isSafeInteger(j) && i >= 0 && j >= 0 && i < d && j < d && i !== j)) {
    throw new InvalidOptionError("dims", options.dims, `two different parameter indices below ${d}`);
  }
  const theta = options.base ? Float64Array.from(options.base) : allocateFloat64(d, "objective.dimension");
  if (theta.length !== d) throw new ShapeMismatchError("base", options.base, `length ${d}`);
  const result = stridedView(allocateFloat64(x.length * y.length, "values"), [y.length, x.length]);
  for (let r = 0; r < y.length; r++) {
    theta[j] = y[r];
    for (let c = 0; c < x.length; c++) {
      theta[i] = x[c];
      result.set(r, c, objective.evaluate(theta, null));
    }
  }
  return { x, y, values: result, evaluations: x.length * y.length };
}
