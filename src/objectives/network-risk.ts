import type { Dataset } from "../data/dataset.js";
import { prefetchRows } from "../data/prefetch-rows.js";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { type DenseNetwork, Network } from "../models/dense-network.js";
import type { Objective } from "./objective.js";

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
  const evaluateInto = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array) => {
    if (theta.length !== dimension) throw new ShapeMismatchError("theta", theta, `length ${dimension}`);
    if (grad !== null && grad.length !== dimension) throw new ShapeMismatchError("grad", grad, `length ${dimension}`);
    const n = rows === null ? data.size : count;
    if (rows !== null) prefetchRows(data.X, data.y, rows, n);
    if (grad !== null) grad.fill(0);
    network.accumulate(theta, data.X, data.y, rows, n, mean, grad, out);
  };
  return {
    dimension,
    network,
    data,
    examples: data.size,
    evaluateInto,
    evaluate(theta, grad, rows = null, count) {
      evaluateInto(theta, grad, rows, rows === null ? data.size : (count ?? rows.length), value);
      return value[0];
    },
  };
}
