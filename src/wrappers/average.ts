import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { oneOf, type OptionRule, wholeNumber } from "../options.js";
import { encodeFloat64 } from "../snapshot/float64-base64.js";
import type { ParamTree } from "../tree/param-tree.js";
import { LeafVectors } from "./leaf-vectors.js";
import { WrapperBase } from "./wrapper-base.js";

/**
 * Options of {@link Average}.
 *
 * @example
 * ```ts
 * const swa: Partial<AverageOptions> = { kind: "polyak", start: 100 };     // torch.optim.swa_utils.AveragedModel
 * const ema: Partial<AverageOptions> = { kind: "ema", decay: 0.999 };     // AveragedModel with an EMA avg_fn
 * ```
 */
export interface AverageOptions {
  /** `"polyak"`: the equal-weight mean of the iterates (Polyak–Ruppert, PyTorch's SWA default); `"ema"`: an exponential moving average. @defaultValue "polyak" */
  kind: "polyak" | "ema";
  /** β of `"ema"`, in [0, 1). @defaultValue 0.999 */
  decay: number;
  /** The optimizer steps after which averaging begins: the first iterate averaged is θ after step `start + 1`. A whole number ≥ 0. @defaultValue 0 */
  start: number;
  /** Average every `every`-th step from then on, a whole number ≥ 1. @defaultValue 1 */
  every: number;
}

/**
 * What {@link Average.options} reads: its own options and the optimizer's.
 *
 * @example
 * ```ts
 * average(new SGD({ lr: 0.1 })).options.kind; // "polyak"
 * ```
 */
export interface AverageSettings extends AverageOptions {
  /** The wrapped optimizer's options. */
  readonly optimizer: Readonly<Record<string, unknown>>;
}

const KIND = "Average";


const rules = {
  kind: oneOf<"polyak" | "ema">("polyak", ["polyak", "ema"]),
  decay: {
    default: 0.999,
    numeric: true,
    check(name: string, value: unknown) {
      if (typeof value !== "number" || !(value >= 0 && value < 1)) throw new InvalidOptionError(name, value, "a number in [0, 1)");
      return value + 0;
    },
  } satisfies OptionRule<number>,
  start: wholeNumber(0, 0),
  every: wholeNumber(1, 1),
};

/**
 * An average of the iterates beside an optimizer that steps as it would alone (PyTorch's
 * `torch.optim.swa_utils.AveragedModel` semantics): after each of the optimizer's steps t > `start`
 * with (t − start − 1) divisible by `every`, with n the iterates averaged so far,
 *
 * ```math
 * \bar\theta \leftarrow \theta \ (n = 0); \qquad
 * \bar\theta \leftarrow \bar\theta + \frac{\theta - \bar\theta}{n + 1} \ (\text{polyak}); \qquad
 * \bar\theta \leftarrow \beta\,\bar\theta + (1 - \beta)\,\theta \ (\text{ema})
 * ```
 *
 * exactly as PyTorch 1.13 computes them (its default `avg_fn`, and `avg_fn = lambda a, p, n: β·a + (1 − β)·p`).
 * `params` follow the optimizer alone: read the average with {@link Average.average} or
 * {@link Average.averageInto} (to evaluate or to keep it), which changes nothing. A step the optimizer
 * refuses or skips changes no average. Snapshots hold the average, n and the optimizer's snapshot.
 *
 * Over a {@link TreeOptimizer} it steps {@link ParamTree}s as well: θ̄ is kept leaf by leaf (to the
 * bit the average of the concatenated vectors), read as a tree with {@link Average.averageTree} or
 * {@link Average.averageInto}; a tree with a missing, extra or resized leaf is refused naming its path
 * before anything is written, and snapshots keep θ̄ by leaf path (`leaves`).
 *
 * @example
 * ```ts
 * const opt = average(new SGD({ lr: 0.05, momentum: 0.9 }), { kind: "ema", decay: 0.99 });
 * for (let t = 0; t < 100; t++) opt.step(params, gradient(params));
 * const smoothed = opt.average(); // θ̄, a copy; params are SGD's own iterate
 * ```
 */
export class Average extends WrapperBase<AverageOptions, AverageSettings> implements Optimizer {
  /** `"Average"`, as in snapshots. */
  readonly kind = KIND;
  private averaged = LeafVectors.empty();
  /** averageInto's leaves of `out`, over a tree. */
  private outs: Float64Array[] = [];
  private count = 0;

  /**
   * @param optimizer the optimizer whose iterates are averaged.
   * @param options see {@link AverageOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   */
  constructor(optimizer: Optimizer, options?: Partial<AverageOptions>) {
    super(KIND, rules, optimizer, options);
  }

  /** The optimizer's step count. */
  get stepCount(): number {
    return this.optimizer.stepCount;
  }

  /** The optimizer's state length. */
  get size(): number | undefined {
    return this.optimizer.size;
  }

  /** n, the iterates averaged so far (PyTorch's `n_averaged`). */
  get averagedCount(): number {
    return this.count;
  }

  /**
   * θ̄ as a new array (empty before the first averaged step); over a tree, its leaves one after
   * another, in the tree's order.
   *
   * @throws {@link DisposedError} after `dispose()`.
   */
  average(): Float64Array {
    this.assertLive();
    return Float64Array.from(this.averaged.flat.subarray(0, this.count === 0 ? 0 : this.averaged.flat.length));
  }

  /**
   * θ̄ as a new tree shaped as the one stepped (its `{ data, shape }` leaves too), for a wrapper
   * stepped with trees.
   * @throws InvalidOptionError before the first averaged step, or when stepped with flat vectors.
   */
  averageTree(): ParamTree {
    this.assertLive();
    if (this.count === 0) throw new InvalidOptionError("average", this.count, "at least one averaged step first");
    return this.treeCopy(this.averaged, true);
  }

  /**
   * Writes θ̄ into `out` (of the parameters' length, or a tree shaped as the one stepped), allocating nothing.
   * @throws InvalidOptionError before the first averaged step; ShapeMismatchError for an `out` of another length (or another tree, naming the leaf's path).
   */
  averageInto(out: Float64Array): Float64Array;
  averageInto(out: ParamTree): ParamTree;
  averageInto(out: Float64Array | ParamTree): Float64Array | ParamTree {
    this.assertLive();
    if (this.layout === undefined) {
      const o = plainFloat64(out, "out");
      if (this.count === 0) throw new InvalidOptionError("average", this.count, "at least one averaged step first");
      if (o.length !== this.averaged.flat.length) throw new ShapeMismatchError("out", out, `a Float64Array of length ${this.averaged.flat.length}`);
      o.set(this.averaged.flat);
      return out;
    }
    if (this.outs.length !== this.layout.paths.length) this.outs = new Array<Float64Array>(this.layout.paths.length);
    this.layout.read(out, "out", this.outs);
    if (this.count === 0) throw new InvalidOptionError("average", this.count, "at least one averaged step first");
    const A = this.averaged.leaves;
    for (let j = 0; j < A.length; j++) this.outs[j].set(A[j]);
    return out;
  }

  /**
   * The optimizer's step, then the average's update (see the class description). Over a tree
   * optimizer, `params` and `grad` may be trees: the average is kept leaf by leaf.
   */
  step(params: Float64Array | ParamTree, grad: Float64Array | ParamTree): void {
    this.assertLive();
    const layout = this.readLeaves(params, null, this.count > 0 || this.layout !== undefined);
    const P = this.paramLeaves;
    // The average's memory first: once the optimizer has stepped, nothing may fail.
    let averaged = this.averaged;
    if (layout === undefined) {
      if (averaged.flat.length !== P[0].length) {
        if (this.count > 0) throw new ShapeMismatchError("params", params, `a Float64Array of length ${averaged.flat.length}, the average's`);
        averaged = LeafVectors.ofLength(P[0].length, "state.average");
      }
    } else if (layout !== this.layout) averaged = LeafVectors.ofLayout(layout, "state.average");
    const before = this.optimizer.stepCount;
    this.optimizer.step(params as Float64Array, grad as Float64Array);
    this.averaged = averaged;
    this.layout = layout;
    const t = this.optimizer.stepCount;
    if (t === before) return; // skipped
    const { start, every } = this.resolved;
    if (t <= start || (t - start - 1) % every !== 0) return;
    const A = averaged.leaves;
    for (let j = 0; j < A.length; j++) {
      const a = A[j];
      const p = P[j];
      const n = p.length;
      if (this.count === 0) {
        for (let i = 0; i < n; i++) a[i] = p[i];
      } else if (this.resolved.kind === "polyak") {
        const m = this.count + 1;
        for (let i = 0; i < n; i++) a[i] = a[i] + (p[i] - a[i]) / m;
      } else {
        const beta = this.resolved.decay;
        const alpha = 1 - beta;
        for (let i = 0; i < n; i++) a[i] = beta * a[i] + alpha * p[i];
      }
    }
    this.count += 1;
  }

  /** Forgets the average and the optimizer's state. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
    this.release();
    this.count = 0;
  }

  /** The average, n and the optimizer's snapshot, as JSON (over a tree, the average by leaf path in `leaves`). */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return this.envelope(this.optimizer.stepCount, this.optimizer.size ?? null, "average", this.averaged, this.count > 0, { averagedCount: encodeFloat64(Float64Array.of(this.count)) });
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const opened = this.openSnapshot(snapshot);
    const count = WrapperBase.decodeCount(opened.buffers, "averagedCount", (n) => n >= 0, "base64 of one whole number ≥ 0");
    const { layout, state } = this.decodeState(opened, "average", count > 0, "empty: nothing averaged yet");
    WrapperBase.checkMirrors(opened); // (after the leaves' own checks, which name a leaf)
    this.adopt(opened.resolved, opened.inner, layout);
    this.averaged = state;
    this.count = count;
  }

  protected release(): void {
    this.averaged = LeafVectors.empty();
    this.layout = undefined;
  }
}

/**
 * An {@link Average} of `optimizer`'s iterates: Polyak–Ruppert (equal weights) or an EMA.
 *
 * @example
 * ```ts
 * const opt = average(new Adam({ lr: 1e-3 }), { kind: "ema", decay: 0.999 });
 * ```
 *
 * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
 */
export function average(optimizer: Optimizer, options?: Partial<AverageOptions>): Average {
  return new Average(optimizer, options);
}
