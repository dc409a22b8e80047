import { DisposedError, InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError, StepLimitError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { checkHeld, plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import { oneOf, type OptionRule, resolveOptions, wholeNumber } from "../options.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";

/**
 * Options of {@link Accumulate}.
 *
 * @example
 * ```ts
 * const options: AccumulateOptions = { every: 4, nonFinite: "throw" };
 * ```
 */
export interface AccumulateOptions {
  /** k, the micro-batch gradients averaged into one step, a whole number ≥ 1. @defaultValue 2 */
  every: number;
  /** A micro-batch gradient with a NaN or ±∞: `"throw"` a {@link NonFiniteGradientError} or `"skip"` it; either way nothing changes. @defaultValue "throw" */
  nonFinite: "throw" | "skip";
}

/**
 * What {@link Accumulate.options} reads: its own options and the optimizer's.
 *
 * @example
 * ```ts
 * accumulate(new Adam(), { every: 4 }).options.optimizer.lr; // 0.001
 * ```
 */
export interface AccumulateSettings extends AccumulateOptions {
  /** The wrapped optimizer's options. */
  readonly optimizer: Readonly<Record<string, unknown>>;
}

const KIND = "Accumulate";
const rules = {
  every: wholeNumber(2, 1),
  nonFinite: oneOf<"throw" | "skip">("throw", ["throw", "skip"]),
};

/**
 * Gradient accumulation (optax's `MultiSteps`): k micro-batch gradients g₁ … g_k are summed, and
 * every k-th call the wrapped optimizer takes one step on their mean:
 *
 * ```math
 * \bar g = \frac{(\cdots((g_1 + g_2) + g_3) + \cdots) + g_k}{k}, \qquad \theta \leftarrow \text{optimizer.step}(\theta, \bar g)
 * ```
 *
 * bit for bit the step the optimizer takes when given that mean itself (summed left to right, then
 * divided once). The k − 1 calls in between change only the sum, not θ. {@link Accumulate.stepCount}
 * counts every call (micro-steps, so a loop sees each accepted); the optimizer's own step count,
 * which its schedules follow, counts its steps. A call that fails (a bad length, a non-finite
 * gradient, the optimizer's step refusing the mean) changes nothing, the sum included. Snapshots
 * hold the sum, the count and the optimizer's snapshot; steps allocate nothing.
 *
 * @example
 * ```ts
 * const opt = accumulate(new Adam({ lr: 1e-3 }), { every: 4 });
 * for (const g of [g1, g2, g3, g4]) opt.step(params, g); // one Adam step on (g1 + g2 + g3 + g4)/4
 * ```
 */
export class Accumulate implements Optimizer {
  /** `"Accumulate"`, as in snapshots. */
  readonly kind = KIND;
  /** The optimizer that takes the averaged steps. */
  readonly optimizer: Optimizer;
  /** {@link Accumulate.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  private resolved: Readonly<AccumulateOptions>;
  private sum: Float64Array = new Float64Array(0);
  private mean: Float64Array = new Float64Array(0);
  private count = 0;
  private calls = 0;
  private disposed = false;

  /**
   * @param optimizer the optimizer that steps on each mean.
   * @param options see {@link AccumulateOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   */
  constructor(optimizer: Optimizer, options?: Partial<AccumulateOptions>) {
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    this.optimizer = optimizer;
    this.resolved = resolveOptions(KIND, rules, options) as Readonly<AccumulateOptions>;
  }

  /** The resolved options, and the optimizer's under `optimizer`. */
  get options(): Readonly<AccumulateSettings> {
    return { ...this.resolved, optimizer: this.optimizer.options };
  }

  /** Calls accepted so far (micro-steps), over all averaged steps. */
  get stepCount(): number {
    return this.calls;
  }

  /** Gradients summed since the last averaged step (0 … k − 1). */
  get pending(): number {
    return this.count;
  }

  /** The length of the vectors the state was built for, or `undefined` before the first call. */
  get size(): number | undefined {
    return this.sum.length === 0 ? this.optimizer.size : this.sum.length;
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

  /** The optimizer's gradient point: θ does not move between averaged steps. */
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

  /** Adds `grad` to the sum; every k-th call, the optimizer steps on the mean. See the class description. */
  step(params: Float64Array, grad: Float64Array): void {
    this.assertLive();
    const p = plainFloat64(params, "params");
    const g = plainFloat64(grad, "grad");
    checkHeld(p, "params", params);
    checkHeld(g, "grad", grad);
    const n = p.length;
    if (g.length !== n) throw new ShapeMismatchError("grad", grad, `length ${n}, the length of params`);
    const size = this.size;
    if (size !== undefined && n !== size) throw new ShapeMismatchError("params", params, `length ${size}, the length the state was built for`);
    if (this.calls >= Number.MAX_SAFE_INTEGER) throw new StepLimitError("stepCount", this.calls, "fewer than 2^53 − 1 steps");
    const bad = firstNonFinite(g);
    if (bad >= 0) {
      if (this.resolved.nonFinite === "skip") return;
      throw new NonFiniteGradientError(bad, g[bad]);
    }
    if (this.sum.length !== n) {
      const sum = allocateFloat64(n, "state.sum");
      this.mean = allocateFloat64(n, "state.mean");
      this.sum = sum;
    }
    const sum = this.sum;
    const k = this.resolved.every;
    if (this.count + 1 < k) {
      if (this.count === 0) sum.set(g);
      else for (let i = 0; i < n; i++) sum[i] += g[i];
      this.count += 1;
      this.calls += 1;
      return;
    }
    // The k-th gradient: the mean goes into its own buffer, so that a refused step leaves the sum as it was.
    const mean = this.mean;
    if (k === 1) for (let i = 0; i < n; i++) mean[i] = g[i];
    else for (let i = 0; i < n; i++) mean[i] = (sum[i] + g[i]) / k;
    this.optimizer.step(p, mean);
    this.count = 0;
    this.calls += 1;
  }

  /** Forgets the sum and the optimizer's state. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
    this.sum = new Float64Array(0);
    this.mean = new Float64Array(0);
    this.count = 0;
    this.calls = 0;
  }

  /** The sum, the count and the optimizer's snapshot, as JSON. */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: KIND,
      options: { ...this.resolved, optimizer: this.optimizer.snapshot() },
      stepCount: this.calls,
      size: this.size ?? null,
      buffers: { sum: encodeFloat64(this.sum.subarray(0, this.count === 0 ? 0 : this.sum.length)), pending: encodeFloat64(Float64Array.of(this.count)) },
    };
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const fields = checkSnapshotHeader(snapshot, KIND);
    const options = expectField("snapshot.options", own(fields, "options"), "object");
    let resolved: Readonly<AccumulateOptions>;
    try {
      resolved = resolveOptions(KIND, rules, { every: own(options, "every"), nonFinite: own(options, "nonFinite") }, true) as Readonly<AccumulateOptions>;
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    const buffers = expectField("snapshot.buffers", own(fields, "buffers"), "object");
    const pendingText = expectField("snapshot.buffers.pending", own(buffers, "pending"), "string");
    const pending = decodeFloat64(pendingText);
    const count = pending?.length === 1 ? pending[0] : NaN;
    if (!(Number.isSafeInteger(count) && count >= 0 && count < resolved.every)) throw new InvalidSnapshotError("snapshot.buffers.pending", pendingText, `the count of summed gradients, a whole number in [0, ${resolved.every})`);
    const sumText = expectField("snapshot.buffers.sum", own(buffers, "sum"), "string");
    const sum = decodeFloat64(sumText);
    const size = own(fields, "size");
    if (sum === undefined || (count > 0 && sum.length !== size) || (count === 0 && sum.length !== 0)) throw new InvalidSnapshotError("snapshot.buffers.sum", sumText, count > 0 ? `base64 of ${String(size)} float64 values (snapshot.size)` : "empty: no gradient pending");
    if (firstNonFinite(sum) >= 0) throw new InvalidSnapshotError("snapshot.buffers.sum", sumText, "finite values");
    const calls = own(fields, "stepCount");
    if (!Number.isSafeInteger(calls) || (calls as number) < count) throw new InvalidSnapshotError("snapshot.stepCount", calls, `a whole number ≥ ${count}`);
    // The pending sum and the inner optimizer's state must be for the same length: a snapshot pairing
    // a sum of 3 with an inner state of 2 was taken whole and refused only at the k-th step after it.
    const inner = own(options, "optimizer");
    const innerSize = typeof inner === "object" && inner !== null ? own(inner as Record<string, unknown>, "size") : undefined;
    if (count > 0 && typeof innerSize === "number" && innerSize !== sum.length) {
      throw new InvalidSnapshotError("snapshot.options.optimizer.size", innerSize, `null or ${sum.length}, the length of the pending sum`);
    }
    const mean = count > 0 ? allocateFloat64(sum.length, "state.mean") : new Float64Array(0);
    const kept = count > 0 ? allocateFloat64(sum.length, "state.sum") : new Float64Array(0);
    kept.set(sum);
    this.optimizer.restore(inner); // the last check: nothing after it fails
    this.resolved = resolved;
    this.sum = kept;
    this.mean = mean;
    this.count = count;
    this.calls = calls as number;
  }

  /** Disposes the optimizer too. Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose?.();
    this.sum = this.mean = new Float64Array(0);
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new DisposedError("this", KIND, "an optimizer that has not been disposed");
  }
}

disposeWithUsing(Accumulate);

/**
 * An {@link Accumulate}: the optimizer steps once every `every` calls, on the mean of their gradients.
 *
 * @example
 * ```ts
 * const opt = accumulate(new SGD({ lr: 0.1 }), { every: 8 }); // a batch of 8 × 32 from batches of 32
 * ```
 *
 * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
 */
export function accumulate(optimizer: Optimizer, options?: Partial<AccumulateOptions>): Accumulate {
  return new Accumulate(optimizer, options);
}
