import type { Dataset } from "../data/dataset.js";
import { checkEvaluation } from "./check-evaluation.js";
import { prefetchRows } from "../data/prefetch-rows.js";
import { rowMajorCopy } from "../data/row-major-copy.js";
import { stridedView } from "../data/strided-view.js";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { type DenseNetwork, Network } from "../models/dense-network.js";
import type { Objective } from "./objective.js";
import { wasmNetworkRisk } from "./wasm-network-risk.js";

/**
 * Options of {@link networkRisk}.
 *
 * @example
 * ```ts
 * const options: NetworkRiskOptions = { reduction: "sum" };
 * ```
 */
export interface NetworkRiskOptions {
  /** `"mean"`: the loss over a batch of B is (1/B)·Σ; `"sum"`: Σ. @defaultValue "mean" */
  readonly reduction?: "mean" | "sum";
}

/**
 * What {@link networkRisk} returns: an {@link Objective} over a dataset's rows, with its parts.
 *
 * @example
 * ```ts
 * const J: NetworkRisk = networkRisk(softmaxRegression({ inputs: 4, classes: 3 }), data);
 * J.dimension; // 15
 * ```
 */
export interface NetworkRisk extends Objective {
  /** The network. */
  readonly network: DenseNetwork;
  /** The dataset. */
  readonly data: Dataset;
  /** N = data.size. */
  readonly examples: number;
  /** Always present: the value is written into out[0] (no boxed number per evaluation). */
  evaluateInto(theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array): void;
}

/**
 * The loss of a {@link DenseNetwork} over a dataset, on all of it or a batch of its rows, with its
 * gradient by backpropagation. A classifier ({@link softmaxRegression}, an {@link mlp} with a softmax
 * output) takes the cross-entropy of its softmax against class labels y ∈ {0, …, K − 1}, computed
 * from the scores with a log-sum-exp (no overflow, no log 0); a regression takes the squared error:
 *
 * ```math
 * J(\theta) = \frac{1}{B}\sum_{k \in \text{batch}} \Big(\log\sum_c e^{f_c(x_k)} - f_{y_k}(x_k)\Big) \quad\text{or}\quad J(\theta) = \frac{1}{B}\sum_{k} \big(f(x_k) - y_k\big)^2
 * ```
 *
 * (without the 1/B under `reduction: "sum"`) — PyTorch's `cross_entropy` and `mse_loss`. The
 * labels are checked here, once. An evaluation allocates nothing: the network's scratch is the
 * width of its layers, the gradient is accumulated example by example.
 *
 * The risk evaluates the data's values as they are when it is built: X and y are copied here, once,
 * so later changes to their arrays are not seen (build a new risk after changing the data), the same
 * on every backend. On the WebAssembly backend ({@link index!setBackend | setBackend}), a batch —
 * forward pass, loss and backpropagation for every row — runs in one Wasm call, with the same bits
 * as the JavaScript path (that copy then lives in the Wasm memory too, unless it does not fit in its
 * budget).
 *
 * @example
 * ```ts
 * const net = mlp({ inputs: 2, hidden: [{ units: 8, activation: "tanh" }], output: { kind: "softmax", classes: 3 } });
 * const J = networkRisk(net, data);
 * const theta = net.initialize(7);
 * const grad = new Float64Array(J.dimension);
 * J.evaluate(theta, grad); // the mean cross-entropy; grad its gradient
 * checkGradient(J, theta).worstRelativeError; // ≈ 1e-9
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a malformed network, dataset or option.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for data whose features or targets do not fit the network.
 * @throws from `evaluate`, before anything is written: {@link index!InvalidOptionError | InvalidOptionError} for a batch row outside [0, N)
 *   or a `count` outside [1, rows.length]; {@link index!ShapeMismatchError | ShapeMismatchError} for a θ or gradient that is not a Float64Array of the dimension.
 */
export function networkRisk(network: DenseNetwork, data: Dataset, options: NetworkRiskOptions = {}): NetworkRisk {
  if (!(network instanceof Network)) throw new InvalidOptionError("network", network, "a network made by mlp or softmaxRegression");
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "an object with the option reduction");
  if (typeof data !== "object" || data === null || typeof data.features !== "number") throw new InvalidOptionError("data", data, "a dataset (dataset(X, y), csvDataset, splitDataset's parts)");
  const reduction = options.reduction ?? "mean";
  if (reduction !== "mean" && reduction !== "sum") throw new InvalidOptionError("reduction", reduction, '"mean" or "sum"');
  if (data.features !== network.inputs) throw new ShapeMismatchError("data.features", data.features, `${network.inputs}, the network's inputs`);
  if (network.output === "softmax") {
    for (let i = 0; i < data.size; i++) {
      const t = data.y.get(i);
      if (!(Number.isInteger(t) && t >= 0 && t < network.outputs)) {
        throw new InvalidOptionError(`data.y[${i}]`, t, `a class label: a whole number in [0, ${network.outputs - 1}]`);
      }
    }
  }
  const dimension = network.parameterCount;
  const mean = reduction === "mean";
  const value = new Float64Array(1);
  // The values as they are now, row-major: what every evaluation reads, on every path (the Wasm
  // batch's copy in its memory is made from these).
  const XValues = rowMajorCopy(data.X);
  const yValues = rowMajorCopy(data.y);
  const X = stridedView(XValues, [data.size, data.features]);
  const y = stridedView(yValues, [data.size]);
  const wasm = wasmNetworkRisk(network, XValues, yValues, mean);
  const evaluateInto = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array) => {
    checkEvaluation(theta, grad, rows, count, dimension, data.size);
    if (wasm !== undefined && wasm(theta, grad, rows, count, out)) return;
    const n = rows === null ? data.size : count;
    if (rows !== null) prefetchRows(X, y, rows, n);
    if (grad !== null) grad.fill(0);
    network.accumulate(theta, X, y, rows, n, mean, grad, out);
  };
  return {
    dimension,
    network,
    data,
    examples: data.size,
    evaluateInto,
    evaluate(theta, grad, rows = null, count) {
      // (a JavaScript caller may leave grad out)
      evaluateInto(theta, grad ?? null, rows, rows === null ? data.size : (count ?? rows.length), value);
      return value[0];
    },
  };
}
