import type { Dataset } from "../data/dataset.js";
import { checkEvaluation } from "./check-evaluation.js";
import { prefetchRows } from "../data/prefetch-rows.js";
import { rowMajorCopy } from "../data/row-major-copy.js";
import { stridedView } from "../data/strided-view.js";
import { InvalidOptionError } from "../errors.js";
import type { Loss } from "../losses/loss.js";
import type { Model } from "../models/model.js";
import type { Objective } from "./objective.js";
import { wasmRisk } from "./wasm-risk.js";

/**
 * An {@link Objective} that knows what it is made of, and how many examples it has.
 *
 * @example
 * ```ts
 * const J: EmpiricalRisk = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
 * J.data.size; // 12
 * ```
 */
export interface EmpiricalRisk extends Objective {
  /** The dataset. */
  readonly data: Dataset;
  /** The model. */
  readonly model: Model;
  /** The loss. */
  readonly loss: Loss;
  /** N = data.size. */
  readonly examples: number;
}

/**
 * The empirical risk of a model under a loss over a dataset (the lecture, §1): J(θ) = loss(f(X; θ), y),
 * on the whole dataset or on a batch of its rows. Its buffers (predictions and per-example
 * derivatives, N long) are allocated once, here; an evaluation allocates nothing. The targets are
 * checked against the loss's domain here, once ({@link Loss.checkTargets}: binary cross-entropy
 * wants labels in [0, 1]), not on every batch.
 *
 * The risk evaluates the data's values as they are when it is built: X and y are copied here, once,
 * so later changes to their arrays are not seen (build a new risk after changing the data), the same
 * on every backend. On the WebAssembly backend ({@link index!setBackend | setBackend}), the library's linear, logistic
 * and sigmoid regressions and its Gabor model under its squared and cross-entropy losses evaluate a
 * whole batch in one Wasm call, with the same bits as the JavaScript path (that copy then lives in
 * the Wasm memory too, unless it does not fit in its budget).
 *
 * ```math
 * J(\theta) = \operatorname{loss}\big(f(x_k;\theta),\ y_k\big)_{k \in \text{batch}}, \qquad \nabla J(\theta) = \sum_k \frac{\partial\,\text{loss}}{\partial f_k}\,\frac{\partial f(x_k;\theta)}{\partial\theta}
 * ```
 *
 * @example
 * ```ts
 * const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * const grad = new Float64Array(2);
 * J.evaluate(Float64Array.of(-5, 25), grad); // 6.2977, grad ≈ [3.3438, 0.5192] (notebook 6.3)
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a model, loss or dataset that is not one, targets the loss refuses; and, from
 *   `evaluate`, before anything is written: a batch row outside [0, N) or a `count` outside [1, rows.length].
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} from `evaluate`, for a θ or gradient that is not a Float64Array of the dimension.
 */
export function empiricalRisk(model: Model, loss: Loss, data: Dataset): EmpiricalRisk {
  if (typeof model?.predict !== "function" || typeof model.accumulateGradient !== "function") throw new InvalidOptionError("model", model, "a model (linearRegression(), gaborModel(), …)");
  if (typeof loss?.evaluate !== "function") throw new InvalidOptionError("loss", loss, "a loss (meanSquaredError(), binaryCrossEntropy(), …)");
  if (typeof data !== "object" || data === null || typeof data.features !== "number") throw new InvalidOptionError("data", data, "a dataset (dataset(X, y), csvDataset, splitDataset's parts)");
  loss.checkTargets?.(data.y, "data.y");
  const dimension = model.parameterCount(data.features);
  const predictions = new Float64Array(data.size);
  const derivatives = new Float64Array(data.size);
  const value = new Float64Array(1);
  // The values as they are now, row-major: what every evaluation reads, on every path (the Wasm
  // batch's copy in its memory is made from these).
  const XValues = rowMajorCopy(data.X);
  const yValues = rowMajorCopy(data.y);
  const X = stridedView(XValues, [data.size, data.features]);
  const y = stridedView(yValues, [data.size]);
  const wasm = wasmRisk(model, loss, XValues, yValues, data.features);
  const evaluateInto = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array, wanted = true) => {
    checkEvaluation(theta, grad, rows, count, dimension, data.size);
    if (wasm !== undefined && wasm(theta, grad, rows, count, out, wanted)) return;
    const n = rows === null ? data.size : count;
    if (rows !== null) prefetchRows(X, y, rows, n); // a batch's rows in one pass of independent reads
    model.predict(theta, X, rows, n, predictions);
    loss.evaluate(predictions, y, rows, n, grad === null ? null : derivatives, out);
    if (grad !== null) {
      grad.fill(0);
      model.accumulateGradient(theta, X, rows, n, derivatives, grad);
    }
  };
  return {
    dimension,
    data,
    model,
    loss,
    examples: data.size,
    evaluateInto,
    evaluate(theta, grad, rows = null, count) {
      // (a JavaScript caller may leave grad out)
      evaluateInto(theta, grad ?? null, rows, rows === null ? data.size : (count ?? rows.length), value);
      return value[0];
    },
  };
}
