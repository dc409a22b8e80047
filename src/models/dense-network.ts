import type { NdArray } from "ndarray";
import { stridedView } from "../data/strided-view.js";
import { createRandom, DEFAULT_SEED } from "../data/random.js";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { expAt } from "../math/exp.js";
import { logAt } from "../math/log.js";
import { tanhAt } from "../math/tanh.js";
import type { ParamTree } from "../tree/param-tree.js";

/**
 * The nonlinearity of a hidden layer, applied element-wise to its pre-activation z:
 *
 * ```math
 * \tanh(z), \qquad \operatorname{relu}(z) = \max(z, 0), \qquad \sigma(z) = \frac{1}{1 + e^{-z}}
 * ```
 *
 * with derivatives 1 − tanh², [z > 0] (0 at z = 0, as PyTorch) and σ·(1 − σ).
 *
 * @example
 * ```ts
 * const hidden = [{ units: 32, activation: "relu" as Activation }];
 * ```
 */
export type Activation = "tanh" | "relu" | "sigmoid";

/**
 * How a layer's weights are drawn (biases start at 0), uniformly on [−a, a]:
 * Glorot (Xavier) a = √(6/(n_in + n_out)), He (Kaiming) a = √(6/n_in). Both keep the variance of
 * the activations roughly constant through the layers: Glorot for tanh and σ, He for ReLU.
 *
 * @example
 * ```ts
 * const layer = { units: 16, activation: "tanh" as const, init: "glorot" as Initialization };
 * ```
 */
export type Initialization = "glorot" | "he";

/**
 * One dense layer of a {@link DenseNetwork}: z = W·a + b with W of shape [outputs, inputs]
 * (row-major, as PyTorch's `nn.Linear`), then its activation (`"identity"` for the output layer,
 * whose z are the regression value or the class scores).
 *
 * @example
 * ```ts
 * const net = mlp({ inputs: 4, hidden: [{ units: 8, activation: "tanh" }], output: { kind: "softmax", classes: 3 } });
 * net.layers[0]; // { inputs: 4, outputs: 8, activation: "tanh", init: "glorot", weightOffset: 0, biasOffset: 32 }
 * ```
 */
export interface DenseLayer {
  /** n_in, the width of the layer's input. */
  readonly inputs: number;
  /** n_out, the width of its output. */
  readonly outputs: number;
  /** Its nonlinearity; `"identity"` for the output layer. */
  readonly activation: Activation | "identity";
  /** How its weights are drawn by {@link DenseNetwork.initialize}. */
  readonly init: Initialization;
  /** Where W starts in the flat parameter vector (n_out·n_in numbers, row-major). */
  readonly weightOffset: number;
  /** Where b starts (n_out numbers, right after W). */
  readonly biasOffset: number;
}

/**
 * A feed-forward network of dense layers over one flat parameter vector θ (so `minimize` and every
 * optimizer take it unchanged), made by {@link mlp} or {@link softmaxRegression}. For an input x,
 *
 * ```math
 * a_0 = x, \qquad a_l = g_l(W_l\,a_{l-1} + b_l), \qquad f(x;\theta) = z_L = W_L\,a_{L-1} + b_L
 * ```
 *
 * A classifier's f are K class scores, its probabilities p = softmax(f); a regression has one output.
 * θ holds W_1, b_1, W_2, b_2, … in that order (each W row-major, [outputs, inputs]); {@link DenseNetwork.tree}
 * names them. Train it with {@link networkRisk}; predict with {@link DenseNetwork.predict} and
 * {@link DenseNetwork.classify}. Methods that take rows allocate nothing but their result (scratch
 * buffers are the network's, allocated once).
 *
 * @example
 * ```ts
 * const net = mlp({ inputs: 2, hidden: [{ units: 16, activation: "tanh" }], output: { kind: "softmax", classes: 3 } });
 * const theta = net.initialize(1);
 * const J = networkRisk(net, train);
 * minimize({ objective: J, params: theta, optimizer: new Adam({ lr: 0.01 }), steps: 500 });
 * net.classify(theta, test.X); // predicted classes
 * ```
 */
export interface DenseNetwork {
  /** `"mlp"` or `"softmaxRegression"`. */
  readonly kind: "mlp" | "softmaxRegression";
  /** d, the number of input features. */
  readonly inputs: number;
  /** The number of outputs: K class scores for a classifier, 1 for a regression. */
  readonly outputs: number;
  /** `"softmax"` (a K-class classifier trained with cross-entropy) or `"regression"` (one value, squared error). */
  readonly output: "softmax" | "regression";
  /** The layers, input to output. */
  readonly layers: readonly DenseLayer[];
  /** The length of θ: Σ_l n_out·(n_in + 1). */
  readonly parameterCount: number;
  /**
   * A fresh θ: every W drawn uniformly on [−a, a] by its layer's {@link Initialization} (Glorot
   * a = √(6/(n_in + n_out)), He a = √(6/n_in)), every b = 0, from the seeded generator of
   * {@link createRandom} (the same seed, the same θ on every platform). Layer by layer, W row by row.
   */
  initialize(seed?: number | string): Float64Array;
  /**
   * Named views of θ (or of a gradient of the same layout): subarrays, not copies, so writing to a
   * leaf writes to the vector. W as `{ data, shape: [outputs, inputs] }`, b as a Float64Array; an
   * MLP's layers are `layer0`, `layer1`, … (`layer0/weight`, `layer0/bias`), a softmax regression's
   * one layer is the root (`weight`, `bias`). A {@link ParamTree}, so a `TreeOptimizer` steps it.
   */
  tree(theta: Float64Array): ParamTree;
  /**
   * m_i = 1 where θ_i is a weight, 0 where it is a bias: the mask for {@link penalized} to decay
   * weights only.
   */
  weightMask(): Float64Array;
  /**
   * Predictions for new rows (an n × d ndarray, any strides, or an array of rows): a classifier's
   * class probabilities p_k = softmax(f)_k, n × K row-major (row i at [i·K, (i + 1)·K)); a
   * regression's values f, n long. Written into `out` when given (its length must fit).
   */
  predict(theta: Float64Array, X: NdArray | readonly ArrayLike<number>[], out?: Float64Array): Float64Array;
  /**
   * A classifier's predicted classes, argmax_k f_k (the first on a tie), for each row. Written into
   * `out` when given.
   */
  classify(theta: Float64Array, X: NdArray | readonly ArrayLike<number>[], out?: Int32Array): Int32Array;
}

const IDENTITY = 0;
const TANH = 1;
const RELU = 2;
const SIGMOID = 3;
const CODES = { identity: IDENTITY, tanh: TANH, relu: RELU, sigmoid: SIGMOID } as const;

/** The layers of a network from its widths, activations and initializations, with their offsets in θ. @internal */
export function layout(widths: readonly number[], activations: readonly (Activation | "identity")[], inits: readonly Initialization[]): DenseLayer[] {
  const layers: DenseLayer[] = [];
  let offset = 0;
  for (let l = 0; l + 1 < widths.length; l++) {
    const inputs = widths[l];
    const outputs = widths[l + 1];
    layers.push(Object.freeze({ inputs, outputs, activation: activations[l], init: inits[l], weightOffset: offset, biasOffset: offset + outputs * inputs }));
    offset += outputs * (inputs + 1);
  }
  return layers;
}

/**
 * The network of {@link mlp} and {@link softmaxRegression}. Per example: the forward pass into the
 * activations buffer, the loss, then backpropagation through the deltas buffer, adding each
 * example's gradient straight into `grad` — so the scratch is the width of the layers, not the batch.
 * @internal
 */
export class Network implements DenseNetwork {
  readonly inputs: number;
  readonly outputs: number;
  readonly parameterCount: number;
  readonly layers: readonly DenseLayer[];
  private readonly depth: number;
  private readonly widths: Int32Array;
  private readonly codes: Int32Array;
  private readonly weightAt: Int32Array;
  private readonly biasAt: Int32Array;
  /** Where a_l starts in `activations` (a_0 = the input row); a_L, the output scores, last. */
  private readonly activationAt: Int32Array;
  private readonly activations: Float64Array;
  /** ∂loss/∂z_l for layer l, at the same offsets as a_l. */
  private readonly deltas: Float64Array;
  /** One double where log Σ e^(z_c − m) is computed in place (logAt): nothing allocated per example. */
  private readonly slot = new Float64Array(1);
  private readonly softmax: boolean;

  constructor(
    readonly kind: "mlp" | "softmaxRegression",
    readonly output: "softmax" | "regression",
    layers: readonly DenseLayer[],
    /** Names the layers in {@link Network.tree}: null for a single layer at the root. */
    private readonly layerName: ((l: number) => string) | null,
  ) {
    this.layers = Object.freeze([...layers]);
    this.depth = layers.length;
    this.inputs = layers[0].inputs;
    this.outputs = layers[layers.length - 1].outputs;
    this.softmax = output === "softmax";
    const last = layers[layers.length - 1];
    this.parameterCount = last.biasOffset + last.outputs;
    this.widths = Int32Array.from([this.inputs, ...layers.map((l) => l.outputs)]);
    this.codes = Int32Array.from(layers.map((l) => CODES[l.activation]));
    this.weightAt = Int32Array.from(layers.map((l) => l.weightOffset));
    this.biasAt = Int32Array.from(layers.map((l) => l.biasOffset));
    this.activationAt = new Int32Array(this.depth + 1);
    for (let l = 0; l < this.depth; l++) this.activationAt[l + 1] = this.activationAt[l] + this.widths[l];
    const total = this.activationAt[this.depth] + this.outputs;
    this.activations = new Float64Array(total);
    this.deltas = new Float64Array(total);
  }

  initialize(seed: number | string = DEFAULT_SEED): Float64Array {
    const theta = new Float64Array(this.parameterCount);
    const random = createRandom(seed);
    for (const layer of this.layers) {
      const fanIn = layer.inputs;
      const bound = layer.init === "he" ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + layer.outputs));
      for (let i = layer.weightOffset; i < layer.biasOffset; i++) theta[i] = (2 * random.next() - 1) * bound;
    }
    return theta;
  }

  tree(theta: Float64Array): ParamTree {
    this.checkTheta(theta, "theta");
    const leaves = this.layers.map((layer) => ({
      weight: { data: theta.subarray(layer.weightOffset, layer.biasOffset), shape: [layer.outputs, layer.inputs] },
      bias: theta.subarray(layer.biasOffset, layer.biasOffset + layer.outputs),
    }));
    if (this.layerName === null) return leaves[0];
    const tree: Record<string, ParamTree> = {};
    leaves.forEach((leaf, l) => {
      tree[this.layerName!(l)] = leaf;
    });
    return tree;
  }

  weightMask(): Float64Array {
    const mask = new Float64Array(this.parameterCount);
    for (const layer of this.layers) mask.fill(1, layer.weightOffset, layer.biasOffset);
    return mask;
  }

  predict(theta: Float64Array, X: NdArray | readonly ArrayLike<number>[], out?: Float64Array): Float64Array {
    this.checkTheta(theta, "theta");
    const rows = this.matrix(X);
    const n = rows.shape[0];
    const K = this.outputs;
    const result = this.checkOut(out, n * K, Float64Array);
    const scores = this.activationAt[this.depth];
    for (let k = 0; k < n; k++) {
      this.forward(theta, rows, k);
      if (!this.softmax) {
        result[k] = this.activations[scores];
        continue;
      }
      let max = -Infinity;
      for (let c = 0; c < K; c++) max = Math.max(max, this.activations[scores + c]);
      let sum = 0;
      for (let c = 0; c < K; c++) {
        result[k * K + c] = this.activations[scores + c] - max;
        expAt(result, k * K + c); // e^(z_c − m) in place
        sum += result[k * K + c];
      }
      for (let c = 0; c < K; c++) result[k * K + c] /= sum;
    }
    return result;
  }

  classify(theta: Float64Array, X: NdArray | readonly ArrayLike<number>[], out?: Int32Array): Int32Array {
    if (!this.softmax) throw new InvalidOptionError("network.output", this.output, "a classifier (a softmax output) to classify with; a regression's values come from predict");
    this.checkTheta(theta, "theta");
    const rows = this.matrix(X);
    const n = rows.shape[0];
    const result = this.checkOut(out, n, Int32Array);
    const scores = this.activationAt[this.depth];
    for (let k = 0; k < n; k++) {
      this.forward(theta, rows, k);
      let best = 0;
      for (let c = 1; c < this.outputs; c++) if (this.activations[scores + c] > this.activations[scores + best]) best = c;
      result[k] = best;
    }
    return result;
  }

  /**
   * The loss over a batch into out[0] (divided by `count` when `mean`) and, when `grad` is given,
   * its gradient added into `grad`: the evaluation {@link networkRisk} runs. Its WebAssembly twin,
   * src/objectives/network-batch.wat, does the same operations in the same order (with forward and
   * backward) for the same bits: a change here is a change there.
   */
  accumulate(theta: Float64Array, X: NdArray, y: NdArray, rows: Int32Array | null, count: number, mean: boolean, grad: Float64Array | null, out: Float64Array): void {
    // (a flag rather than the scale itself: a double passed to a call that is not inlined is boxed)
    const scale = mean ? 1 / count : 1;
    const targets = y.data as ArrayLike<number>;
    const K = this.outputs;
    const scores = this.activationAt[this.depth];
    const a = this.activations;
    const delta = this.deltas;
    let total = 0;
    for (let k = 0; k < count; k++) {
      const row = rows === null ? k : rows[k];
      this.forward(theta, X, row);
      const t = targets[y.offset + row * y.stride[0]];
      if (this.softmax) {
        // −log p_t = log Σ_c e^(z_c) − z_t, as m + log Σ_c e^(z_c − m) − z_t with m = max z: no overflow
        let max = -Infinity;
        for (let c = 0; c < K; c++) if (a[scores + c] > max) max = a[scores + c];
        let sum = 0;
        // (the ports' array forms, e^x and log x in place: no double crosses a call, where V8
        // boxes one it does not inline)
        for (let c = 0; c < K; c++) {
          delta[scores + c] = a[scores + c] - max;
          expAt(delta, scores + c);
          sum += delta[scores + c];
        }
        const logSum = this.slot;
        logSum[0] = sum;
        logAt(logSum, 0);
        total += max + logSum[0] - a[scores + t];
        if (grad !== null) {
          // ∂/∂z_c = p_c − [c = t]
          for (let c = 0; c < K; c++) delta[scores + c] = (delta[scores + c] / sum - (c === t ? 1 : 0)) * scale;
        }
      } else {
        const r = a[scores] - t;
        total += r * r;
        delta[scores] = 2 * r * scale;
      }
      if (grad !== null) this.backward(theta, grad);
    }
    out[0] = total * scale;
  }

  /** a_0 ← row `row` of X, then a_l = g_l(W_l·a_(l−1) + b_l) for every layer; a_L holds the scores. */
  private forward(theta: Float64Array, X: NdArray, row: number): void {
    const a = this.activations;
    const data = X.data as ArrayLike<number>;
    const colStride = X.stride[1];
    const base = X.offset + row * X.stride[0];
    for (let j = 0; j < this.inputs; j++) a[j] = data[base + j * colStride];
    for (let l = 0; l < this.depth; l++) {
      const n = this.widths[l];
      const m = this.widths[l + 1];
      const input = this.activationAt[l];
      const output = this.activationAt[l + 1];
      const W = this.weightAt[l];
      const b = this.biasAt[l];
      const code = this.codes[l];
      // z_o = b_o + Σ_i W_oi·a_i, a sequential sum in i for each output (the Wasm batch's order), four
      // outputs side by side: a sum is a chain of dependent additions, four chains keep the adder busy
      let o = 0;
      for (; o + 4 <= m; o += 4) {
        const w = W + o * n;
        let z0 = theta[b + o];
        let z1 = theta[b + o + 1];
        let z2 = theta[b + o + 2];
        let z3 = theta[b + o + 3];
        for (let i = 0; i < n; i++) {
          const x = a[input + i];
          z0 += theta[w + i] * x;
          z1 += theta[w + n + i] * x;
          z2 += theta[w + 2 * n + i] * x;
          z3 += theta[w + 3 * n + i] * x;
        }
        a[output + o] = z0;
        a[output + o + 1] = z1;
        a[output + o + 2] = z2;
        a[output + o + 3] = z3;
      }
      for (; o < m; o++) {
        let z = theta[b + o];
        const w = W + o * n;
        for (let i = 0; i < n; i++) z += theta[w + i] * a[input + i];
        a[output + o] = z;
      }
      // the activation in place (tanh and e^−|z| through the ports' array forms: no double crosses a call)
      for (let o = 0; o < m; o++) {
        const z = a[output + o];
        if (code === TANH) {
          tanhAt(a, output + o);
        } else if (code === RELU) {
          a[output + o] = z > 0 ? z : 0;
        } else if (code === SIGMOID) {
          a[output + o] = -Math.abs(z);
          expAt(a, output + o);
          const e = a[output + o];
          a[output + o] = z >= 0 ? 1 / (1 + e) : e / (1 + e);
        }
      }
    }
  }

  /**
   * With δ_L = ∂loss/∂z_L in the deltas buffer: for l = L … 1, ∇W_l += δ_l·a_(l−1)ᵀ, ∇b_l += δ_l,
   * and δ_(l−1) = (W_lᵀ·δ_l) ⊙ g′_(l−1), g′ read from the activation (1 − a², [a > 0], a·(1 − a)).
   */
  private backward(theta: Float64Array, grad: Float64Array): void {
    const a = this.activations;
    const delta = this.deltas;
    for (let l = this.depth - 1; l >= 0; l--) {
      const n = this.widths[l];
      const m = this.widths[l + 1];
      const input = this.activationAt[l];
      const output = this.activationAt[l + 1];
      const W = this.weightAt[l];
      const b = this.biasAt[l];
      // One pass over W's rows: ∇W_l += δ_l·a_(l−1)ᵀ and, below the first layer, s = W_lᵀ·δ_l
      // accumulated into δ_(l−1)'s slots (then multiplied by g′).
      const below = l > 0;
      if (below) delta.fill(0, input, input + n);
      // Four rows of W per pass over i: each element of ∇W still gets its one term, and each of
      // δ_(l−1) the rows' terms one after another in o's order, as row by row (the same bits).
      let o = 0;
      for (; o + 4 <= m; o += 4) {
        const d0 = delta[output + o];
        const d1 = delta[output + o + 1];
        const d2 = delta[output + o + 2];
        const d3 = delta[output + o + 3];
        grad[b + o] += d0;
        grad[b + o + 1] += d1;
        grad[b + o + 2] += d2;
        grad[b + o + 3] += d3;
        const w = W + o * n;
        for (let i = 0; i < n; i++) {
          const x = a[input + i];
          grad[w + i] += d0 * x;
          grad[w + n + i] += d1 * x;
          grad[w + 2 * n + i] += d2 * x;
          grad[w + 3 * n + i] += d3 * x;
          if (below) delta[input + i] = delta[input + i] + theta[w + i] * d0 + theta[w + n + i] * d1 + theta[w + 2 * n + i] * d2 + theta[w + 3 * n + i] * d3;
        }
      }
      for (; o < m; o++) {
        const d = delta[output + o];
        grad[b + o] += d;
        const w = W + o * n;
        if (below) {
          for (let i = 0; i < n; i++) {
            grad[w + i] += d * a[input + i];
            delta[input + i] += theta[w + i] * d;
          }
        } else {
          for (let i = 0; i < n; i++) grad[w + i] += d * a[input + i];
        }
      }
      if (!below) break;
      const code = this.codes[l - 1];
      for (let i = 0; i < n; i++) {
        const s = delta[input + i];
        const v = a[input + i];
        delta[input + i] = code === TANH ? s * (1 - v * v) : code === RELU ? (v > 0 ? s : 0) : s * v * (1 - v);
      }
    }
  }

  private checkTheta(theta: Float64Array, argument: string): void {
    if (!(theta instanceof Float64Array) || theta.length !== this.parameterCount) {
      throw new ShapeMismatchError(argument, theta, `a Float64Array of length ${this.parameterCount}, the network's parameter count`);
    }
  }

  private checkOut<T extends Float64Array | Int32Array>(out: T | undefined, length: number, type: { new (n: number): T }): T {
    if (out === undefined) return new type(length);
    if (!(out instanceof type) || out.length !== length) throw new ShapeMismatchError("out", out, `a ${type.name} of length ${length}`);
    return out;
  }

  /** X as an n × d ndarray: an ndarray checked for its shape, or an array of rows copied and checked. */
  private matrix(X: NdArray | readonly ArrayLike<number>[]): NdArray {
    const d = this.inputs;
    if (Array.isArray(X)) {
      const rows = X as readonly ArrayLike<number>[];
      const data = new Float64Array(rows.length * d);
      // every index, holes included (forEach would skip a hole and leave its row zeros)
      for (let i = 0; i < rows.length; i++) {
        const row = rows[i];
        if (row === null || typeof row !== "object" || row.length !== d) throw new ShapeMismatchError(`X[${i}]`, row, `a row of ${d} numbers, the network's inputs`);
        for (let j = 0; j < d; j++) {
          const v = row[j];
          if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`X[${i}][${j}]`, v, "a finite number");
          data[i * d + j] = v;
        }
      }
      return stridedView(data, [rows.length, d]);
    }
    const m = X as NdArray;
    if (!m || !Array.isArray(m.shape) || m.shape.length !== 2 || m.shape[1] !== d) throw new ShapeMismatchError("X", X, `an n × ${d} matrix (a 2-D ndarray or an array of rows), ${d} the network's inputs`);
    return m;
  }
}
