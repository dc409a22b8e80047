import { DisposedError, InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import { oneOf, type OptionRule, resolveOptions, wholeNumber } from "../options.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";

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
 * @example
 * ```ts
 * const opt = average(new SGD({ lr: 0.05, momentum: 0.9 }), { kind: "ema", decay: 0.99 });
 * for (let t = 0; t < 100; t++) opt.step(params, gradient(params));
 * const smoothed = opt.average(); // θ̄, a copy; params are SGD's own iterate
 * ```
 */
export class Average implements Optimizer {
  /** `"Average"`, as in snapshots. */
  readonly kind = KIND;
  /** The optimizer that steps. */
  readonly optimizer: Optimizer;
  /** {@link Average.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  private resolved: Readonly<AverageOptions>;
  private averaged: Float64Array = new Float64Array(0);
  private count = 0;
  private disposed = false;

  /**
   * @param optimizer the optimizer whose iterates are averaged.
   * @param options see {@link AverageOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   */
  constructor(optimizer: Optimizer, options?: Partial<AverageOptions>) {
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    this.optimizer = optimizer;
    this.resolved = resolveOptions(KIND, rules, options) as Readonly<AverageOptions>;
  }

  /** The resolved options, and the optimizer's under `optimizer`. */
  get options(): Readonly<AverageSettings> {
    return { ...this.resolved, optimizer: this.optimizer.options };
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
   * θ̄ as a new array (empty before the first averaged step).
   *
   * @throws {@link DisposedError} after `dispose()`.
   */
  average(): Float64Array {
    this.assertLive();
    return Float64Array.from(this.averaged.subarray(0, this.count === 0 ? 0 : this.averaged.length));
  }

  /**
   * Writes θ̄ into `out` (of the parameters' length), allocating nothing.
   * @throws InvalidOptionError before the first averaged step; ShapeMismatchError for an `out` of another length.
   */
  averageInto(out: Float64Array): Float64Array {
    this.assertLive();
    const o = plainFloat64(out, "out");
    if (this.count === 0) throw new InvalidOptionError("average", this.count, "at least one averaged step first");
    if (o.length !== this.averaged.length) throw new ShapeMismatchError("out", out, `a Float64Array of length ${this.averaged.length}`);
    o.set(this.averaged);
    return out;
  }

  /** The optimizer's value of a hyperparameter at step t. */
  valueAt(name: string, t?: number): number {
    this.assertLive();
    return this.optimizer.valueAt(name, t);
  }

  /** The optimizer's learning rate at step t. */
  learningRate(t?: number): number {
    this.assertLive();
    if (this.optimizer.learningRate === undefined) throw new InvalidOptionError("optimizer", this.optimizer, "an optimizer with learningRate()");
    return this.optimizer.learningRate(t);
  }

  /** The optimizer's gradient point. */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.assertLive();
    return this.optimizer.gradientPoint(params, out);
  }

  /** Changes the optimizer's options (see {@link Optimizer.set}). */
  set(options: Readonly<Record<string, unknown>>): void {
    this.assertLive();
    if (typeof this.optimizer.set !== "function") throw new InvalidOptionError("optimizer", this.optimizer, "an optimizer with set(options)");
    this.optimizer.set(options);
  }

  /** The optimizer's step, then the average's update (see the class description). */
  step(params: Float64Array, grad: Float64Array): void {
    this.assertLive();
    const p = plainFloat64(params, "params");
    // The average's memory first: once the optimizer has stepped, nothing may fail.
    if (this.averaged.length !== p.length) {
      if (this.count > 0) throw new ShapeMismatchError("params", params, `a Float64Array of length ${this.averaged.length}, the average's`);
      this.averaged = allocateFloat64(p.length, "state.average");
    }
    const before = this.optimizer.stepCount;
    this.optimizer.step(params, grad);
    const t = this.optimizer.stepCount;
    if (t === before) return; // skipped
    const { start, every } = this.resolved;
    if (t <= start || (t - start - 1) % every !== 0) return;
    const a = this.averaged;
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
    this.count += 1;
  }

  /** Forgets the average and the optimizer's state. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
    this.averaged = new Float64Array(0);
    this.count = 0;
  }

  /** The average, n and the optimizer's snapshot, as JSON. */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: KIND,
      options: { ...this.resolved, optimizer: this.optimizer.snapshot() },
      stepCount: this.optimizer.stepCount,
      size: this.optimizer.size ?? null,
      buffers: { average: encodeFloat64(this.count === 0 ? new Float64Array(0) : this.averaged), averagedCount: encodeFloat64(Float64Array.of(this.count)) },
    };
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const fields = checkSnapshotHeader(snapshot, KIND);
    const options = expectField("snapshot.options", own(fields, "options"), "object");
    let resolved: Readonly<AverageOptions>;
    try {
      resolved = resolveOptions(KIND, rules, { kind: own(options, "kind"), decay: own(options, "decay"), start: own(options, "start"), every: own(options, "every") }, true) as Readonly<AverageOptions>;
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    const buffers = expectField("snapshot.buffers", own(fields, "buffers"), "object");
    const countText = expectField("snapshot.buffers.averagedCount", own(buffers, "averagedCount"), "string");
    const counts = decodeFloat64(countText);
    const count = counts?.length === 1 ? counts[0] : NaN;
    if (!(Number.isSafeInteger(count) && count >= 0)) throw new InvalidSnapshotError("snapshot.buffers.averagedCount", countText, "base64 of one whole number ≥ 0");
    const averageText = expectField("snapshot.buffers.average", own(buffers, "average"), "string");
    const decoded = decodeFloat64(averageText);
    const size = own(fields, "size");
    if (decoded === undefined || (count > 0 && decoded.length !== size) || (count === 0 && decoded.length !== 0)) {
      throw new InvalidSnapshotError("snapshot.buffers.average", averageText, count > 0 ? `base64 of ${String(size)} float64 values (snapshot.size)` : "empty: nothing averaged yet");
    }
    if (firstNonFinite(decoded) >= 0) throw new InvalidSnapshotError("snapshot.buffers.average", averageText, "finite values");
    const kept = count > 0 ? allocateFloat64(decoded.length, "state.average") : new Float64Array(0);
    kept.set(decoded);
    this.optimizer.restore(own(options, "optimizer")); // the last check: nothing after it fails
    this.resolved = resolved;
    this.averaged = kept;
    this.count = count;
  }

  /** Disposes the optimizer too. Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose?.();
    this.averaged = new Float64Array(0);
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new DisposedError("this", KIND, "an optimizer that has not been disposed");
  }
}

disposeWithUsing(Average);

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
