import type { NdArray } from "ndarray";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { type Dataset, dataset } from "./dataset.js";
import { stridedView } from "./strided-view.js";

/**
 * A fitted standardization: the column means μ and deviations σ of the data it was fitted on, and
 * {@link Standardizer.apply} to scale any dataset with the same columns by them (a test set is scaled
 * with the training set's statistics, never its own). Made by {@link fitStandardizer}.
 *
 * @example
 * ```ts
 * const scaler: Standardizer = fitStandardizer(train);
 * const testScaled = scaler.apply(test); // x' = (x − μ_train) / σ_train
 * ```
 */
export interface Standardizer {
  /** μ, the column means of the fitted data. */
  readonly mean: Float64Array;
  /** σ, the column deviations of the fitted data (1 for a constant column). */
  readonly deviation: Float64Array;
  /**
   * A new dataset with x'_ij = (x_ij − μ_j)/σ_j (y unchanged, the input untouched); its X is a fresh,
   * contiguous n × d Float64Array. A dataset with another number of features is a
   * {@link ShapeMismatchError}.
   */
  apply(data: Dataset): Dataset;
  /**
   * The same for rows without targets (new inputs to predict on): an n × d ndarray (any strides)
   * or an array of rows, scaled into a fresh, contiguous n × d ndarray, x'_ij = (x_ij − μ_j)/σ_j.
   *
   * @example
   * ```ts
   * const scaler = fitStandardizer(train);
   * net.predict(theta, scaler.transform([[5.1, 3.5, 1.4, 0.2]]));
   * ```
   */
  transform(X: NdArray | readonly ArrayLike<number>[]): NdArray;
}

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
  /** The fitted transform, to apply the same μ and σ to other data (a validation or test set). */
  readonly standardizer: Standardizer;
}

/**
 * Fits a standardization to the columns of X: their means and (population) standard deviations, a
 * constant column keeping deviation 1 so that it is only centred. Returns a {@link Standardizer}
 * whose `apply` scales this or any other dataset with the same columns by them.
 *
 * ```math
 * \mu_j = \frac{1}{n}\sum_i x_{ij}, \qquad \sigma_j = \sqrt{\frac{1}{n}\sum_i (x_{ij} - \mu_j)^2}, \qquad x'_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j}
 * ```
 *
 * @example
 * ```ts
 * const train = syntheticLinear({ size: 80, features: 3, seed: 1 });
 * const test = syntheticLinear({ size: 20, features: 3, seed: 2 });
 * const scaler = fitStandardizer(train);
 * const trainScaled = scaler.apply(train);
 * const testScaled = scaler.apply(test); // scaled by the training set's μ and σ
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a value that is not a finite number.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for rows of different lengths.
 */
export function fitStandardizer(data: Dataset): Standardizer {
  const { size: n, features: d, X } = data;
  const mean = new Float64Array(d);
  const deviation = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    let [mu, sd] = moments(X, n, j, 1);
    // Values near the largest double overflow the sum or the squares, values near the smallest
    // underflow them (±1e-200 looked constant): then once more on x / max|x|, which is exact.
    if (!(Number.isFinite(mu) && Number.isFinite(sd)) || sd < 2 ** -450) {
      let scale = 0;
      for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(X.get(i, j)));
      if (scale > 0) {
        const [m, s] = moments(X, n, j, scale);
        [mu, sd] = [m * scale, s * scale];
      }
    }
    mean[j] = mu;
    deviation[j] = sd > 0 ? sd : 1;
  }
  return Object.freeze({
    mean,
    deviation,
    apply: (other: Dataset) => {
      if (typeof other !== "object" || other === null || typeof other.features !== "number") throw new InvalidOptionError("data", other, "a dataset (dataset(X, y), csvDataset, splitDataset's parts)");
      return dataset(scaleRows(other.X, mean, deviation, "data.features"), other.y);
    },
    transform: (rows: NdArray | readonly ArrayLike<number>[]) => scaleRows(rows, mean, deviation, "X"),
  });
}

/**
 * Column j's mean and population deviation, of x / scale. Two passes (the mean, then the squares of
 * the centred values): unlike Σx² − nμ², it loses no digits when the mean is large against the spread.
 */
function moments(X: NdArray, n: number, j: number, scale: number): [number, number] {
  let sum = 0;
  for (let i = 0; i < n; i++) sum += X.get(i, j) / scale;
  const mu = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const centred = X.get(i, j) / scale - mu;
    squares += centred * centred;
  }
  return [mu, Math.sqrt(squares / n)];
}

/**
 * (x − μ)/σ, or x/σ − μ/σ where x − μ overflows (x and μ of opposite signs, near the largest double);
 * an InvalidOptionError naming `name` where that overflows too (x far outside data of a tiny σ).
 */
function standardized(x: number, mu: number, sd: number, name: string): number {
  const z = (x - mu) / sd;
  if (Number.isFinite(z)) return z;
  const w = x / sd - mu / sd;
  if (Number.isFinite(w)) return w;
  throw new InvalidOptionError(name, x, `a value whose standardized (x − μ)/σ is a finite number (μ = ${mu}, σ = ${sd})`);
}

/** x'_ij = (x_ij − μ_j)/σ_j into a fresh row-major matrix (X any strides, or an array of rows). */
function scaleRows(X: NdArray | readonly ArrayLike<number>[], mean: Float64Array, deviation: Float64Array, argument: string): NdArray {
  const d = mean.length;
  const fitted = `${d}, the number of features the standardizer was fitted on`;
  if (Array.isArray(X)) {
    const rows = X as readonly ArrayLike<number>[];
    const out = new Float64Array(rows.length * d);
    // (every index, holes included: forEach would skip a hole and leave its row zeros)
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i];
      if (row === null || typeof row !== "object" || row.length !== d) throw new ShapeMismatchError(`X[${i}]`, row, `a row of ${fitted}`);
      for (let j = 0; j < d; j++) {
        const v = row[j];
        if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`X[${i}][${j}]`, v, "a finite number");
        out[i * d + j] = standardized(v, mean[j], deviation[j], `X[${i}][${j}]`);
      }
    }
    return stridedView(out, [rows.length, d]);
  }
  const m = X as NdArray;
  if (!m || !Array.isArray(m.shape) || m.shape.length !== 2) throw new ShapeMismatchError(argument, X, "an n × d matrix (a 2-D ndarray or an array of rows)");
  if (m.shape[1] !== d) throw new ShapeMismatchError(argument, m.shape[1], fitted);
  const n = m.shape[0];
  const out = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = m.get(i, j);
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`${argument}[${i}][${j}]`, v, "a finite number");
      out[i * d + j] = standardized(v, mean[j], deviation[j], `${argument}[${i}][${j}]`);
    }
  }
  return stridedView(out, [n, d]);
}

/**
 * A dataset whose columns of X have mean 0 and standard deviation 1, with the means and deviations
 * used and the fitted {@link Standardizer} (a constant column keeps deviation 1, so it is only
 * centred). The same as `fitStandardizer(data).apply(data)`; the result owns a fresh, contiguous X.
 *
 * ```math
 * x'_{ij} = \frac{x_{ij} - \mu_j}{\sigma_j}, \qquad \mu_j = \operatorname{mean}_i x_{ij}, \qquad \sigma_j = \sqrt{\operatorname{mean}_i (x_{ij} - \mu_j)^2}
 * ```
 *
 * @example
 * ```ts
 * const { data, mean, deviation, standardizer } = standardize(syntheticLinear({ size: 100, features: 3 }));
 * const test = standardizer.apply(syntheticLinear({ size: 20, features: 3, seed: 7 }));
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a value that is not a finite number.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for data with another number of features than the standardizer.
 */
export function standardize(data: Dataset): Standardized {
  const standardizer = fitStandardizer(data);
  return { data: standardizer.apply(data), mean: standardizer.mean, deviation: standardizer.deviation, standardizer };
}
