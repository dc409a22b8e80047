import { InvalidOptionError } from "../errors.js";
import { knownKeys } from "../solvers/solver-limits.js";
import { type DenseNetwork, layout, Network } from "./dense-network.js";

/**
 * Options of {@link softmaxRegression}.
 *
 * @example
 * ```ts
 * const options: SoftmaxRegressionOptions = { inputs: 4, classes: 3 };
 * ```
 */
export interface SoftmaxRegressionOptions {
  /** d, the number of input features. */
  readonly inputs: number;
  /** K ≥ 2, the number of classes (labels 0 … K − 1). */
  readonly classes: number;
}

/**
 * Softmax (multinomial logistic) regression: K class scores f = W·x + b with W of shape [K, d],
 * their softmax the class probabilities, trained with the cross-entropy ({@link networkRisk}):
 *
 * ```math
 * p_k(x) = \frac{e^{f_k}}{\sum_c e^{f_c}}, \qquad \ell(x, t) = -\log p_t = \log\sum_c e^{f_c} - f_t, \qquad \frac{\partial\ell}{\partial W_{kj}} = (p_k - [k = t])\,x_j, \quad \frac{\partial\ell}{\partial b_k} = p_k - [k = t]
 * ```
 *
 * The log-sum-exp is taken after subtracting max_c f_c, so no score overflows. θ is W (row-major)
 * then b, K·(d + 1) numbers; {@link DenseNetwork.tree} names them `weight` ({ data, shape: [K, d] })
 * and `bias`. It is the {@link mlp} with no hidden layer. With an L2 penalty on W
 * (`penalized(risk, { l2: 1/(C·N), mask: model.weightMask() })`) it is the objective of
 * scikit-learn's `LogisticRegression(multi_class="multinomial", C)`, divided by C·N.
 *
 * @example
 * ```ts
 * const model = softmaxRegression({ inputs: 4, classes: 3 });
 * const J = networkRisk(model, data); // mean cross-entropy over data.y ∈ {0, 1, 2}
 * const { params } = solve({ objective: J, params: new Float64Array(model.parameterCount), method: "lbfgs" });
 * model.predict(params, [[5.1, 3.5, 1.4, 0.2]]); // the three class probabilities
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} when `inputs` is not a whole number ≥ 1 or `classes` not one ≥ 2.
 */
export function softmaxRegression(options: SoftmaxRegressionOptions): DenseNetwork {
  knownKeys("options", options, ["inputs", "classes"], "softmaxRegression");
  const { inputs, classes } = options;
  if (typeof inputs !== "number" || !Number.isSafeInteger(inputs) || inputs < 1) throw new InvalidOptionError("inputs", inputs, "a whole number ≥ 1");
  if (typeof classes !== "number" || !Number.isSafeInteger(classes) || classes < 2) throw new InvalidOptionError("classes", classes, "a whole number ≥ 2");
  return new Network("softmaxRegression", "softmax", layout([inputs, classes], ["identity"], ["glorot"]), null);
}
