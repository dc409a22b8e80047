import { ShapeMismatchError } from "../errors.js";
import { type MetricVector, valuesOf } from "./values.js";

function pair(targets: MetricVector, predictions: MetricVector): [ArrayLike<number>, ArrayLike<number>] {
  const y = valuesOf("targets", targets);
  const f = valuesOf("predictions", predictions);
  if (y.length === 0) throw new ShapeMismatchError("targets", targets, "at least one target");
  if (f.length !== y.length) throw new ShapeMismatchError("predictions", predictions, `${y.length} entries, one per target`);
  return [y, f];
}

/**
 * The mean squared error of predictions f against targets y:
 *
 * ```math
 * \operatorname{MSE} = \frac{1}{n}\sum_{i=1}^{n} (f_i - y_i)^2
 * ```
 *
 * @example
 * ```ts
 * meanSquaredErrorOf([1, 2, 3], [1, 2, 5]); // 4/3
 * meanSquaredErrorOf(test.y, net.predict(theta, test.X));
 * ```
 *
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for targets and predictions of different lengths.
 */
export function meanSquaredErrorOf(targets: MetricVector, predictions: MetricVector): number {
  const [y, f] = pair(targets, predictions);
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum += (f[i] - y[i]) * (f[i] - y[i]);
  return sum / y.length;
}

/**
 * The coefficient of determination: the fraction of the targets' variance the predictions explain
 * (1 for a perfect fit, 0 for predicting the mean, negative for worse):
 *
 * ```math
 * R^2 = 1 - \frac{\sum_i (y_i - f_i)^2}{\sum_i (y_i - \bar y)^2}, \qquad \bar y = \frac{1}{n}\sum_i y_i
 * ```
 *
 * When the targets are constant (the denominator 0), 1 for a perfect fit and 0 otherwise, as
 * scikit-learn's `r2_score`.
 *
 * @example
 * ```ts
 * rSquared([1, 2, 3], [1, 2, 3]); // 1
 * rSquared([1, 2, 3], [2, 2, 2]); // 0
 * ```
 *
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for targets and predictions of different lengths.
 */
export function rSquared(targets: MetricVector, predictions: MetricVector): number {
  const [y, f] = pair(targets, predictions);
  let [residual, total] = sumsOfSquares(y, f, 1);
  // Values near the largest double overflow the sums, values near the smallest underflow them
  // (±1e-200 against 0 looked a perfect fit): then once more on values / max|value|, which is exact.
  if (!(Number.isFinite(residual) && Number.isFinite(total)) || total < 2 ** -900) {
    let scale = 0;
    for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]), Math.abs(f[i]));
    if (scale > 0 && scale < Infinity) [residual, total] = sumsOfSquares(y, f, scale);
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

/** Σ(y − f)² and Σ(y − ȳ)², of y / scale and f / scale. */
function sumsOfSquares(y: ArrayLike<number>, f: ArrayLike<number>, scale: number): [number, number] {
  const n = y.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i] / scale;
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = y[i] / scale - f[i] / scale;
    const c = y[i] / scale - mean;
    residual += r * r;
    total += c * c;
  }
  return [residual, total];
}
