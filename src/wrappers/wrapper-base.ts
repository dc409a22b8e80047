import { DisposedError, InvalidOptionError, InvalidSnapshotError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { allocateFloat64 } from "../memory/allocate.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import { type OptionRules, resolveOptions } from "../options.js";
import { decodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";

/**
 * What {@link Accumulate}, {@link Average} and {@link Lookahead} share: the optimizer they wrap, the
 * members that only pass through to it (its hyperparameters, learning rate, gradient point, `set`),
 * `dispose`, and their snapshots' envelope (their own options beside the optimizer's snapshot). Each
 * wrapper keeps only its own math and state.
 * @internal
 */
export abstract class WrapperBase<Options extends object, Settings extends Options> {
  /** The wrapper's name, as in snapshots. */
  abstract readonly kind: string;
  /** The optimizer that steps. */
  readonly optimizer: Optimizer;
  /** `dispose`, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  /** The wrapper's own options, resolved. @internal */
  protected resolved: Readonly<Options>;
  private disposed = false;

  /**
   * @param kind the wrapper's name, for errors.
   * @param rules the wrapper's own options' rules.
   * @param optimizer the optimizer to wrap.
   * @param options the wrapper's own options, checked against `rules`.
   * @internal
   */
  protected constructor(
    private readonly wrapperKind: string,
    private readonly rules: OptionRules<Options>,
    optimizer: Optimizer,
    options: Partial<Options> | undefined,
  ) {
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    this.optimizer = optimizer;
    this.resolved = resolveOptions(wrapperKind, rules, options) as Readonly<Options>;
  }

  /** The resolved options, and the optimizer's under `optimizer`. */
  get options(): Readonly<Settings> {
    return { ...this.resolved, optimizer: this.optimizer.options } as unknown as Readonly<Settings>;
  }

  /** The optimizer's value of a hyperparameter at its step t (default: its next step). */
  valueAt(name: string, t?: number): number {
    this.assertLive();
    return this.optimizer.valueAt(name, t);
  }

  /** The optimizer's learning rate at its step t (default: its next step). */
  learningRate(t?: number): number {
    this.assertLive();
    if (this.optimizer.learningRate === undefined) throw new InvalidOptionError("optimizer", this.optimizer, "an optimizer with learningRate()");
    return this.optimizer.learningRate(t);
  }

  /** The optimizer's gradient point (θ does not move between an {@link Accumulate}'s averaged steps). */
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

  /** Disposes the optimizer too. Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose?.();
    this.release();
    this.disposed = true;
  }

  /** Drops the wrapper's own buffers (on dispose). @internal */
  protected abstract release(): void;

  /** Throws a {@link DisposedError} once disposed. @internal */
  protected assertLive(): void {
    if (this.disposed) throw new DisposedError("this", this.wrapperKind, "an optimizer that has not been disposed");
  }

  /** The snapshot's envelope: the wrapper's options with the optimizer's snapshot under `optimizer`, and `buffers`. @internal */
  protected envelope(stepCount: number, size: number | null, buffers: Readonly<Record<string, string>>): OptimizerSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: this.wrapperKind,
      options: { ...this.resolved, optimizer: this.optimizer.snapshot() },
      stepCount,
      size,
      buffers,
    };
  }

  /**
   * A snapshot's envelope checked (header, the wrapper's options by `rules`); nothing is adopted.
   * Returns its fields, its resolved options, its buffers and the optimizer's snapshot (for
   * `adopt`).
   * @internal
   */
  protected openSnapshot(snapshot: unknown): { fields: Record<string, unknown>; resolved: Readonly<Options>; buffers: Record<string, unknown>; inner: unknown } {
    const fields = checkSnapshotHeader(snapshot, this.wrapperKind);
    const options = expectField("snapshot.options", own(fields, "options"), "object");
    const given: Record<string, unknown> = {};
    for (const name of Object.keys(this.rules)) given[name] = own(options, name);
    let resolved: Readonly<Options>;
    try {
      resolved = resolveOptions(this.wrapperKind, this.rules, given, true) as Readonly<Options>;
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    const buffers = expectField("snapshot.buffers", own(fields, "buffers"), "object");
    return { fields, resolved, buffers, inner: own(options, "optimizer") };
  }

  /**
   * A count kept in a buffer (base64 of one float64): a whole number for which `valid` holds, else
   * an {@link InvalidSnapshotError} naming `snapshot.buffers.<name>`.
   * @internal
   */
  protected static decodeCount(buffers: Record<string, unknown>, name: string, valid: (count: number) => boolean, expected: string): number {
    const text = expectField(`snapshot.buffers.${name}`, own(buffers, name), "string");
    const decoded = decodeFloat64(text);
    const count = decoded?.length === 1 ? decoded[0] : NaN;
    if (!(Number.isSafeInteger(count) && valid(count))) throw new InvalidSnapshotError(`snapshot.buffers.${name}`, text, expected);
    return count;
  }

  /**
   * A state vector kept in `snapshot.buffers.<name>`, decoded, checked and copied into memory of its
   * own: `full` — base64 of `snapshot.size` finite float64 values — or empty (not built yet); with
   * `full` undefined, either. `empty` says in errors what an empty one means.
   * @internal
   */
  protected static decodeVector(fields: Record<string, unknown>, buffers: Record<string, unknown>, name: string, full: boolean | undefined, empty: string): Float64Array {
    const text = expectField(`snapshot.buffers.${name}`, own(buffers, name), "string");
    const decoded = decodeFloat64(text);
    const size = own(fields, "size");
    const isFull = full ?? (decoded !== undefined && decoded.length > 0);
    if (decoded === undefined || (isFull && decoded.length !== size) || (!isFull && decoded.length !== 0)) {
      throw new InvalidSnapshotError(`snapshot.buffers.${name}`, text, full === undefined ? `base64 of ${String(size)} float64 values (snapshot.size), or ${empty}` : full ? `base64 of ${String(size)} float64 values (snapshot.size)` : empty);
    }
    if (firstNonFinite(decoded) >= 0) throw new InvalidSnapshotError(`snapshot.buffers.${name}`, text, "finite values");
    const kept = isFull ? allocateFloat64(decoded.length, `state.${name}`) : new Float64Array(0);
    kept.set(decoded);
    return kept;
  }

  /** Restores the optimizer from its snapshot — the last check: nothing after it fails — then takes `resolved` as the options. @internal */
  protected adopt(resolved: Readonly<Options>, inner: unknown): void {
    this.optimizer.restore(inner);
    this.resolved = resolved;
  }
}

disposeWithUsing(WrapperBase as unknown as { prototype: { dispose(): void } });
