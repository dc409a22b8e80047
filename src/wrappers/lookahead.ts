import { DisposedError, InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import { type OptionRule, resolveOptions, wholeNumber } from "../options.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";

/**
 * Options of {@link Lookahead}: the paper's k and α.
 *
 * @example
 * ```ts
 * const options: LookaheadOptions = { syncPeriod: 5, slowStepSize: 0.5 }; // the paper's defaults
 * ```
 */
export interface LookaheadOptions {
  /** k, the fast steps between two synchronisations, a whole number ≥ 1. @defaultValue 5 */
  syncPeriod: number;
  /** α, how far the slow weights move toward the fast ones, in (0, 1]. @defaultValue 0.5 */
  slowStepSize: number;
}

/**
 * What {@link Lookahead.options} reads: its own options and the optimizer's.
 *
 * @example
 * ```ts
 * lookahead(new Adam()).options.syncPeriod; // 5
 * ```
 */
export interface LookaheadSettings extends LookaheadOptions {
  /** The wrapped optimizer's options. */
  readonly optimizer: Readonly<Record<string, unknown>>;
}

const KIND = "Lookahead";

const rules = {
  syncPeriod: wholeNumber(5, 1),
  slowStepSize: {
    default: 0.5,
    numeric: true,
    check(name: string, value: unknown) {
      if (typeof value !== "number" || !(value > 0 && value <= 1)) throw new InvalidOptionError(name, value, "a number in (0, 1]");
      return value + 0;
    },
  } satisfies OptionRule<number>,
};

/**
 * Lookahead (Zhang, Lucas, Hinton, Ba 2019): the wrapped optimizer takes k fast steps from the slow
 * weights φ, then φ moves a fraction α of the way to where they led and the fast weights start again
 * from it:
 *
 * ```math
 * \theta_{t+1} = \text{optimizer.step}(\theta_t, g_t); \qquad
 * \text{every } k \text{ steps: } \ \varphi \leftarrow \varphi + \alpha\,(\theta - \varphi), \quad \theta \leftarrow \varphi
 * ```
 *
 * φ starts as θ before the first step. `params` are the fast weights θ (the slow ones after each
 * synchronisation); {@link Lookahead.slowWeights} reads φ. The optimizer's own state (moments,
 * step count, schedules) carries on across synchronisations, as in the paper and optax's
 * `lookahead` without `reset_state`. A step the optimizer refuses or skips changes nothing and does
 * not count toward k. Snapshots hold φ, the count and the optimizer's snapshot.
 *
 * @example
 * ```ts
 * const opt = lookahead(new Adam({ lr: 1e-3 }), { syncPeriod: 5, slowStepSize: 0.5 });
 * opt.step(params, grad); // an Adam step; every 5th also pulls params back toward the slow weights
 * ```
 */
export class Lookahead implements Optimizer {
  /** `"Lookahead"`, as in snapshots. */
  readonly kind = KIND;
  /** The optimizer that takes the fast steps. */
  readonly optimizer: Optimizer;
  /** {@link Lookahead.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  private resolved: Readonly<LookaheadOptions>;
  private slow: Float64Array = new Float64Array(0);
  private started = false;
  private fastSteps = 0;
  private disposed = false;

  /**
   * @param optimizer the fast optimizer.
   * @param options see {@link LookaheadOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   */
  constructor(optimizer: Optimizer, options?: Partial<LookaheadOptions>) {
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    this.optimizer = optimizer;
    this.resolved = resolveOptions(KIND, rules, options) as Readonly<LookaheadOptions>;
  }

  /** The resolved options, and the optimizer's under `optimizer`. */
  get options(): Readonly<LookaheadSettings> {
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

  /** Fast steps since the last synchronisation (0 … k − 1). */
  get pending(): number {
    return this.fastSteps;
  }

  /**
   * φ, the slow weights, as a new array (empty before the first step).
   *
   * @throws {@link DisposedError} after `dispose()`.
   */
  slowWeights(): Float64Array {
    this.assertLive();
    return Float64Array.from(this.started ? this.slow : []);
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

  /** A fast step; every k-th, the synchronisation (see the class description). */
  step(params: Float64Array, grad: Float64Array): void {
    this.assertLive();
    const p = plainFloat64(params, "params");
    const n = p.length;
    if (this.started && n !== this.slow.length) throw new ShapeMismatchError("params", params, `a Float64Array of length ${this.slow.length}, the slow weights'`);
    // φ₀ = θ before the first step, kept aside until that step is taken.
    let slow = this.slow;
    if (!this.started) {
      slow = slow.length === n ? slow : allocateFloat64(n, "state.slow");
      slow.set(p);
    }
    const before = this.optimizer.stepCount;
    this.optimizer.step(params, grad);
    if (this.optimizer.stepCount === before) return; // skipped
    this.slow = slow;
    this.started = true;
    this.fastSteps += 1;
    if (this.fastSteps < this.resolved.syncPeriod) return;
    const alpha = this.resolved.slowStepSize;
    for (let i = 0; i < n; i++) {
      const s = slow[i] + alpha * (p[i] - slow[i]);
      slow[i] = s;
      p[i] = s;
    }
    this.fastSteps = 0;
  }

  /** Forgets the slow weights and the optimizer's state. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
    this.slow = new Float64Array(0);
    this.started = false;
    this.fastSteps = 0;
  }

  /** φ, the count and the optimizer's snapshot, as JSON. */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: KIND,
      options: { ...this.resolved, optimizer: this.optimizer.snapshot() },
      stepCount: this.optimizer.stepCount,
      size: this.optimizer.size ?? null,
      buffers: { slow: encodeFloat64(this.started ? this.slow : new Float64Array(0)), pending: encodeFloat64(Float64Array.of(this.fastSteps)) },
    };
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const fields = checkSnapshotHeader(snapshot, KIND);
    const options = expectField("snapshot.options", own(fields, "options"), "object");
    let resolved: Readonly<LookaheadOptions>;
    try {
      resolved = resolveOptions(KIND, rules, { syncPeriod: own(options, "syncPeriod"), slowStepSize: own(options, "slowStepSize") }, true) as Readonly<LookaheadOptions>;
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    const buffers = expectField("snapshot.buffers", own(fields, "buffers"), "object");
    const pendingText = expectField("snapshot.buffers.pending", own(buffers, "pending"), "string");
    const pendings = decodeFloat64(pendingText);
    const pending = pendings?.length === 1 ? pendings[0] : NaN;
    if (!(Number.isSafeInteger(pending) && pending >= 0 && pending < resolved.syncPeriod)) {
      throw new InvalidSnapshotError("snapshot.buffers.pending", pendingText, `base64 of one whole number in [0, ${resolved.syncPeriod})`);
    }
    const slowText = expectField("snapshot.buffers.slow", own(buffers, "slow"), "string");
    const decoded = decodeFloat64(slowText);
    const size = own(fields, "size");
    const started = decoded !== undefined && decoded.length > 0;
    if (decoded === undefined || (started && decoded.length !== size) || (!started && pending !== 0)) {
      throw new InvalidSnapshotError("snapshot.buffers.slow", slowText, `base64 of ${String(size)} float64 values (snapshot.size), or empty before the first step`);
    }
    if (firstNonFinite(decoded) >= 0) throw new InvalidSnapshotError("snapshot.buffers.slow", slowText, "finite values");
    const kept = started ? allocateFloat64(decoded.length, "state.slow") : new Float64Array(0);
    kept.set(decoded);
    this.optimizer.restore(own(options, "optimizer")); // the last check: nothing after it fails
    this.resolved = resolved;
    this.slow = kept;
    this.started = started;
    this.fastSteps = pending;
  }

  /** Disposes the optimizer too. Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose?.();
    this.slow = new Float64Array(0);
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new DisposedError("this", KIND, "an optimizer that has not been disposed");
  }
}

disposeWithUsing(Lookahead);

/**
 * A {@link Lookahead} around `optimizer`: k fast steps, then the slow weights move α toward them.
 *
 * @example
 * ```ts
 * const opt = lookahead(new SGD({ lr: 0.1, momentum: 0.9 }), { syncPeriod: 10, slowStepSize: 0.8 });
 * ```
 *
 * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
 */
export function lookahead(optimizer: Optimizer, options?: Partial<LookaheadOptions>): Lookahead {
  return new Lookahead(optimizer, options);
}
