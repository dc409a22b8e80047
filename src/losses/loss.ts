import type { NdArray } from "ndarray";
import { InvalidOptionError } from "../errors.js";
import { expAt } from "../math/exp.js";
import { log1pAt } from "../math/log1p.js";
import { CROSS_ENTROPY_MEAN, CROSS_ENTROPY_SUM, MEAN_SQUARED_ERROR, SUM_OF_SQUARES, withBatchForm } from "../objectives/batch-forms.js";

/**
 * A loss over a batch: its value, and ∂loss/∂f for each example written into a caller's buffer.
 *
 * The value is written into `out[0]` rather than returned: a number returned from a call the JIT
 * did not inline is boxed, and a loss is called once per step.
 *
 * @example
 * ```ts
 * const loss = sumOfSquares();
 * const d = new Float64Array(2);
 * const out = new Float64Array(1);
 * loss.evaluate(Float64Array.of(1, 2), ndarray(Float64Array.of(0, 0), [2]), null, 2, d, out); // out[0] = 5; d = [2, 4]
 * ```
 */
export interface Loss {
  /** The loss's name. */
  readonly kind: string;
  /**
   * out[0] ← the loss of predictions f against the targets y_(rows[k]) (rows null: k), k < count;
   * when `derivative` is given, derivative[k] ← ∂loss/∂f_k.
   */
  evaluate(f: Float64Array, y: NdArray, rows: Int32Array | null, count: number, derivative: Float64Array | null, out: Float64Array): void;
  /**
   * Throws an {@link InvalidOptionError} naming `argument[i]` for the first target outside the
   * loss's domain. {@link empiricalRisk} calls it once, when built, so `evaluate` (the hot path)
   * does not check. Absent when every finite target is valid (the squared losses).
   */
  checkTargets?(y: NdArray, argument: string): void;
}

/** Where binaryCrossEntropy computes e^−|z| and log(1 + e^−|z|) in place (expAt, log1pAt). */
const softplus = new Float64Array(1);

function target(y: NdArray, rows: Int32Array | null, k: number): number {
  return (y.data as ArrayLike<number>)[y.offset + (rows === null ? k : rows[k]) * y.stride[0]];
}

/**
 * The lecture's J: the sum of squared residuals, Σ_k (f_k − y_k)² — no ½, no mean, as in the book
 * (a mini-batch's loss and gradient are sums over the batch). ∂/∂f_k = 2(f_k − y_k).
 *
 * @example
 * ```ts
 * const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
 * ```
 */
export function sumOfSquares(): Loss {
  return withBatchForm<Loss>({
    kind: "sumOfSquares",
    evaluate(f, y, rows, count, derivative, out) {
      let sum = 0;
      for (let k = 0; k < count; k++) {
        const r = f[k] - target(y, rows, k);
        sum += r * r;
        if (derivative !== null) derivative[k] = 2 * r;
      }
      out[0] = sum;
    },
  }, SUM_OF_SQUARES);
}

/**
 * The mean squared error, (1/B)·Σ_k (f_k − y_k)² over the B examples of the batch (the lecture, §2).
 * ∂/∂f_k = 2(f_k − y_k)/B.
 *
 * @example
 * ```ts
 * const L = empiricalRisk(sigmoidRegression(), meanSquaredError(), data);
 * ```
 */
export function meanSquaredError(): Loss {
  return withBatchForm<Loss>({
    kind: "meanSquaredError",
    evaluate(f, y, rows, count, derivative, out) {
      let sum = 0;
      for (let k = 0; k < count; k++) {
        const r = f[k] - target(y, rows, k);
        sum += r * r;
        if (derivative !== null) derivative[k] = (2 * r) / count;
      }
      out[0] = sum / count;
    },
  }, MEAN_SQUARED_ERROR);
}

/**
 * Binary cross-entropy of scores (logits) z against labels y ∈ [0, 1], computed stably:
 *
 * ```math
 * \ell(z, y) = -y\log\sigma(z) - (1-y)\log(1-\sigma(z)) = \max(z, 0) - yz + \log(1 + e^{-|z|}), \qquad \frac{\partial\ell}{\partial z} = \sigma(z) - y
 * ```
 *
 * No overflow and no log(0) for any margin; averaged over the batch (`reduction: "mean"`, default,
 * as PyTorch's BCEWithLogitsLoss) or summed. Pair it with {@link logisticRegression}. Labels must
 * lie in [0, 1] (soft labels allowed): with −1/+1 labels the loss is unbounded below and θ
 * diverges, so {@link Loss.checkTargets} refuses them.
 *
 * @example
 * ```ts
 * const risk = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an unknown reduction; its `value` and `gradient` for a target outside [0, 1].
 */
export function binaryCrossEntropy(options: { reduction?: "mean" | "sum" } = {}): Loss {
  const reduction = options.reduction ?? "mean";
  if (reduction !== "mean" && reduction !== "sum") throw new InvalidOptionError("reduction", reduction, '"mean" or "sum"');
  const mean = reduction === "mean";
  return withBatchForm<Loss>({
    kind: "binaryCrossEntropy",
    evaluate(f, y, rows, count, derivative, out) {
      const scale = mean ? 1 / count : 1;
      let sum = 0;
      for (let k = 0; k < count; k++) {
        const z = f[k];
        const t = target(y, rows, k);
        // e = e^−|z|, then log(1 + e), in place (the ports' array forms: no double crosses a call)
        softplus[0] = -Math.abs(z);
        expAt(softplus, 0);
        const e = softplus[0];
        log1pAt(softplus, 0);
        sum += Math.max(z, 0) - t * z + softplus[0];
        if (derivative !== null) derivative[k] = ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - t) * scale; // σ(z) − y, inline
      }
      out[0] = sum * scale;
    },
    checkTargets(y, argument) {
      for (let i = 0; i < y.shape[0]; i++) {
        const t = y.get(i);
        if (!(t >= 0 && t <= 1)) throw new InvalidOptionError(`${argument}[${i}]`, t, "a label in [0, 1] for binaryCrossEntropy (map −1/+1 labels to 0/1)");
      }
    },
  }, mean ? CROSS_ENTROPY_MEAN : CROSS_ENTROPY_SUM);
}
