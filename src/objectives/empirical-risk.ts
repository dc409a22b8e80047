import type { Dataset } from "../data/dataset.js";
import { prefetchRows } from "../data/prefetch-rows.js";
import { ShapeMismatchError } from "../errors.js";
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
 * On the WebAssembly backend ({@link setBackend}), the library's linear, logistic and sigmoid
 * regressions under its squared and cross-entropy losses evaluate a whole batch in one Wasm call,
 * with the same bits as the JavaScript path: the data are then copied into the Wasm memory here,
 * once (later changes to X's or y's arrays are not seen), unless they do not fit in its budget.
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
 */
export function empiricalRisk(model: Model, loss: Loss, data: Dataset): EmpiricalRisk {
  loss.checkTargets?.(data.y, "data.y");
  const dimension = model.parameterCount(data.features);
  const predictions = new Float64Array(data.size);
  const derivatives = new Float64Array(data.size);
  const value = new Float64Array(1);
  const wasm = wasmRisk(model, loss, data.X, data.y);
  const evaluateInto = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array, wanted = true) => {
    if (theta.length !== dimension) throw new ShapeMismatchError("theta", theta, `length ${dimension}`);
    if (grad !== null && grad.length !== dimension) throw new ShapeMismatchError("grad", grad, `length ${dimension}`);
    if (wasm !== undefined && wasm(theta, grad, rows, count, out, wanted)) return;
    const n = rows === null ? data.size : count;
    if (rows !== null) prefetchRows(data.X, data.y, rows, n); // a batch's rows in one pass of independent reads
    model.predict(theta, data.X, rows, n, predictions);
    loss.evaluate(predictions, data.y, rows, n, grad === null ? null : derivatives, out);
    if (grad !== null) {
      grad.fill(0);
      model.accumulateGradient(theta, data.X, rows, n, derivatives, grad);
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
      evaluateInto(theta, grad, rows, rows === null ? data.size : (count ?? rows.length), value);
      return value[0];
    },
  };
}
