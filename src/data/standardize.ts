import ndarray from "ndarray";
import ops from "ndarray-ops";
import { type Dataset, dataset } from "./dataset.js";

/**
 * What {@link standardize} returns.
 *
 * @example
 * ```ts
 * const s: Standardized = standardize(udlLinearData());
 * s.mean[0]; // the mean of x
 * ```
 */
export interface Standardized {
  /** The standardized dataset (y unchanged). */
  readonly data: Dataset;
  /** μ, the column means. */
  readonly mean: Float64Array;
  /** σ, the column deviations (1 for a constant column). */
  readonly deviation: Float64Array;
}

/**
 * A dataset whose columns of X have mean 0 and standard deviation 1, with the means and deviations
 * used (a constant column keeps deviation 1, so it is only centred). Uses ndarray-ops for the
 * column arithmetic; the result owns a fresh, contiguous X.
 *
 * ```math
 * x'_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j}, \qquad \mu_j = \operatorname{mean}_i x_{ij}, \qquad \sigma_j = \sqrt{\operatorname{mean}_i (x_{ij} - \mu_j)^2}
 * ```
 *
 * @example
 * ```ts
 * const { data, mean, deviation } = standardize(syntheticLinear({ size: 100, features: 3 }));
 * ```
 */
export function standardize(data: Dataset): Standardized {
  const { size: n, features: d } = data;
  const X = ndarray(new Float64Array(n * d), [n, d]);
  ops.assign(X, data.X);
  const mean = new Float64Array(d);
  const deviation = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const column = X.pick(null, j);
    mean[j] = ops.sum(column) / n;
    ops.subseq(column, mean[j]);
    const sd = Math.sqrt(ops.norm2squared(column) / n);
    deviation[j] = sd > 0 ? sd : 1;
    ops.divseq(column, deviation[j]);
  }
  return { data: dataset(X, data.y), mean, deviation };
}
