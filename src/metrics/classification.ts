import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { log } from "../math/log.js";
import { type MetricVector, valuesOf } from "./values.js";

/**
 * The fraction of predictions equal to their labels:
 *
 * ```math
 * \operatorname{accuracy} = \frac{1}{n}\sum_{i=1}^{n} [\hat y_i = y_i]
 * ```
 *
 * @param labels the true classes y (a dataset's y, an array, a typed array).
 * @param predicted the predicted classes ŷ ({@link DenseNetwork.classify}'s result), as many.
 *
 * @example
 * ```ts
 * accuracy([0, 1, 2, 1], [0, 2, 2, 1]); // 0.75
 * accuracy(test.y, net.classify(theta, test.X));
 * ```
 *
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for labels and predictions of different lengths.
 */
export function accuracy(labels: MetricVector, predicted: MetricVector): number {
  const y = valuesOf("labels", labels);
  const p = valuesOf("predicted", predicted);
  if (y.length === 0) throw new ShapeMismatchError("labels", labels, "at least one label");
  if (p.length !== y.length) throw new ShapeMismatchError("predicted", predicted, `${y.length} entries, one per label`);
  let right = 0;
  for (let i = 0; i < y.length; i++) if (p[i] === y[i]) right++;
  return right / y.length;
}

/**
 * The mean negative log-probability of the true classes (the cross-entropy of predicted
 * probabilities; scikit-learn's `log_loss` without its clipping):
 *
 * ```math
 * \operatorname{logLoss} = -\frac{1}{n}\sum_{i=1}^{n} \log p_{i,\,y_i}
 * ```
 *
 * ∞ if a true class has probability 0. The probabilities are n × K, row-major, as
 * {@link DenseNetwork.predict} gives them; K is their length / n.
 *
 * @param labels the true classes y ∈ {0, …, K − 1}.
 * @param probabilities p, n·K numbers: row i is the distribution over the K classes for example i.
 *
 * @example
 * ```ts
 * logLoss([0, 1], [0.9, 0.1, 0.2, 0.8]); // −(log 0.9 + log 0.8)/2 ≈ 0.1643
 * logLoss(test.y, net.predict(theta, test.X));
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a label that is not 0 or 1.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for labels and probabilities of different lengths.
 */
export function logLoss(labels: MetricVector, probabilities: MetricVector): number {
  const y = valuesOf("labels", labels);
  const p = valuesOf("probabilities", probabilities);
  const n = y.length;
  if (n === 0) throw new ShapeMismatchError("labels", labels, "at least one label");
  const K = p.length / n;
  if (!Number.isInteger(K) || K < 2) throw new ShapeMismatchError("probabilities", probabilities, `n·K numbers (K ≥ 2 classes) for the n = ${n} labels`);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const t = y[i];
    if (!(Number.isInteger(t) && t >= 0 && t < K)) throw new InvalidOptionError(`labels[${i}]`, t, `a class label in [0, ${K - 1}]`);
    sum -= log(p[i * K + t]);
  }
  return sum / n;
}
