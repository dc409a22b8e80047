import { InvalidOptionError } from "../errors.js";
import { knownKeys } from "../solvers/solver-limits.js";
import { type Activation, type DenseNetwork, type Initialization, layout, Network } from "./dense-network.js";

/**
 * A hidden layer of {@link mlp}: its width, its {@link Activation}, and how its weights are drawn
 * (default: He for ReLU, Glorot for tanh and σ).
 *
 * @example
 * ```ts
 * const layer: HiddenLayer = { units: 32, activation: "relu" }; // He initialization
 * ```
 */
export interface HiddenLayer {
  /** The layer's width, a whole number ≥ 1. */
  readonly units: number;
  /** Its nonlinearity. */
  readonly activation: Activation;
  /** Its weights' initialization. @defaultValue `"he"` for ReLU, `"glorot"` otherwise */
  readonly init?: Initialization;
}

/**
 * What an {@link mlp} outputs: one value, trained with the mean squared error, or the scores of K
 * classes, trained with the cross-entropy of their softmax (labels 0 … K − 1).
 *
 * @example
 * ```ts
 * const classifier: MlpOutput = { kind: "softmax", classes: 10 };
 * const regression: MlpOutput = { kind: "regression" };
 * ```
 */
export type MlpOutput =
  | {
      /** One output, trained with the squared error. */
      readonly kind: "regression";
    }
  | {
      /** K class scores, trained with the cross-entropy of their softmax. */
      readonly kind: "softmax";
      /** K ≥ 2, the number of classes. */
      readonly classes: number;
    };

/**
 * Options of {@link mlp}.
 *
 * @example
 * ```ts
 * const options: MlpOptions = { inputs: 64, hidden: [{ units: 32, activation: "tanh" }], output: { kind: "softmax", classes: 10 } };
 * ```
 */
export interface MlpOptions {
  /** d, the number of input features. */
  readonly inputs: number;
  /** The hidden layers, input side first (none: a linear model). */
  readonly hidden: readonly HiddenLayer[];
  /** A regression or a K-class classifier. */
  readonly output: MlpOutput;
}

const OPTIONS = ["inputs", "hidden", "output"] as const;
const LAYER_OPTIONS = ["units", "activation", "init"] as const;
const ACTIVATIONS: readonly string[] = ["tanh", "relu", "sigmoid"];

function wholeAtLeast(argument: string, value: unknown, least: number): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < least) throw new InvalidOptionError(argument, value, `a whole number ≥ ${least}`);
  return value;
}

/**
 * A multilayer perceptron: dense layers with tanh, ReLU or σ between them, and a linear output
 * layer giving a regression value or K class scores. For an input x,
 *
 * ```math
 * a_0 = x, \qquad a_l = g_l(W_l\,a_{l-1} + b_l)\ (l < L), \qquad f = W_L\,a_{L-1} + b_L, \qquad p = \operatorname{softmax}(f)
 * ```
 *
 * The gradient is backpropagation, exact to rounding: δ_L = ∂loss/∂f, ∇W_l = δ_l·a_(l−1)ᵀ, ∇b_l = δ_l,
 * δ_(l−1) = (W_lᵀ δ_l) ⊙ g′(z_(l−1)). θ is one flat vector: layer0's W ([units, inputs], row-major)
 * and b, then layer1's, …; {@link DenseNetwork.tree} gives them as named views
 * (`layer0/weight`, `layer0/bias`, …) and {@link DenseNetwork.initialize} draws them (seeded Glorot
 * or He). Train it with {@link networkRisk} (cross-entropy or mean squared error).
 *
 * @example
 * ```ts
 * const net = mlp({ inputs: 64, hidden: [{ units: 32, activation: "relu" }], output: { kind: "softmax", classes: 10 } });
 * const theta = net.initialize(42);
 * minimize({ objective: networkRisk(net, train), params: theta, optimizer: new Adam({ lr: 1e-3 }), sampler: new EpochSampler({ size: train.size, batchSize: 32 }), epochs: 20 });
 * accuracy(test.y, net.classify(theta, test.X));
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a layer with an unknown activation or initialization, or a size that is not a whole number ≥ 1.
 */
export function mlp(options: MlpOptions): DenseNetwork {
  knownKeys("options", options, OPTIONS, "mlp");
  const inputs = wholeAtLeast("inputs", options.inputs, 1);
  const { hidden, output } = options;
  if (!Array.isArray(hidden)) throw new InvalidOptionError("hidden", hidden, "an array of hidden layers ({ units, activation }), possibly empty");
  const widths = [inputs];
  const activations: Activation[] = [];
  const inits: Initialization[] = [];
  Array.from(hidden).forEach((layer: HiddenLayer, l) => { // (Array.from: a hole is undefined, which forEach would skip)
    knownKeys(`hidden[${l}]`, layer, LAYER_OPTIONS, "a hidden layer");
    widths.push(wholeAtLeast(`hidden[${l}].units`, layer.units, 1));
    if (!ACTIVATIONS.includes(layer.activation)) throw new InvalidOptionError(`hidden[${l}].activation`, layer.activation, '"tanh", "relu" or "sigmoid"');
    activations.push(layer.activation);
    const init = layer.init ?? (layer.activation === "relu" ? "he" : "glorot");
    if (init !== "glorot" && init !== "he") throw new InvalidOptionError(`hidden[${l}].init`, layer.init, '"glorot" or "he"');
    inits.push(init);
  });
  if (typeof output !== "object" || output === null || (output.kind !== "regression" && output.kind !== "softmax")) {
    throw new InvalidOptionError("output", output, '{ kind: "regression" } or { kind: "softmax", classes }');
  }
  if (output.kind === "softmax") {
    knownKeys("output", output, ["kind", "classes"], "a softmax output");
    widths.push(wholeAtLeast("output.classes", output.classes, 2));
  } else {
    knownKeys("output", output, ["kind"], "a regression output");
    widths.push(1);
  }
  const layers = layout(widths, [...activations, "identity"], [...inits, "glorot"]);
  return new Network("mlp", output.kind, layers, (l) => `layer${l}`);
}
