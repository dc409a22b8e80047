import { InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError, StepLimitError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { checkHeld, plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { oneOf, wholeNumber } from "../options.js";
import { encodeFloat64 } from "../snapshot/float64-base64.js";
import { own } from "../snapshot/snapshot-fields.js";
import { WrapperBase } from "./wrapper-base.js";

/**
 * Options of {@link Accumulate}.
 *
 * @example
 * ```ts
 * const options: AccumulateOptions = { every: 4, nonFinite: "throw" };
 * ```
 */
export interface AccumulateOptions {
  /** k, the micro-batch gradients averaged into one step, a whole number ≥ 1. Default 2. */
  every: number;
  /** A micro-batch gradient with a NaN or ±∞: `"throw"` a {@link NonFiniteGradientError} (the default) or `"skip"` it; either way nothing changes. */
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
export class Accumulate extends WrapperBase<AccumulateOptions, AccumulateSettings> implements Optimizer {
  /** `"Accumulate"`, as in snapshots. */
  readonly kind = KIND;
  private sum: Float64Array = new Float64Array(0);
  private mean: Float64Array = new Float64Array(0);
  private count = 0;
  private calls = 0;

  /**
   * @param optimizer the optimizer that steps on each mean.
   * @param options see {@link AccumulateOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   */
  constructor(optimizer: Optimizer, options?: Partial<AccumulateOptions>) {
    super(KIND, rules, optimizer, options);
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
    return this.envelope(this.calls, this.size ?? null, { sum: encodeFloat64(this.sum.subarray(0, this.count === 0 ? 0 : this.sum.length)), pending: encodeFloat64(Float64Array.of(this.count)) });
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const { fields, resolved, buffers, inner } = this.openSnapshot(snapshot);
    const count = WrapperBase.decodeCount(buffers, "pending", (n) => n >= 0 && n < resolved.every, `the count of summed gradients, a whole number in [0, ${resolved.every})`);
    const sum = WrapperBase.decodeVector(fields, buffers, "sum", count > 0, "empty: no gradient pending");
    const calls = own(fields, "stepCount");
    if (!Number.isSafeInteger(calls) || (calls as number) < count) throw new InvalidSnapshotError("snapshot.stepCount", calls, `a whole number ≥ ${count}`);
    // The pending sum and the inner optimizer's state must be for the same length: a snapshot pairing
    // a sum of 3 with an inner state of 2 was taken whole and refused only at the k-th step after it.
    const innerSize = typeof inner === "object" && inner !== null ? own(inner as Record<string, unknown>, "size") : undefined;
    if (count > 0 && typeof innerSize === "number" && innerSize !== sum.length) {
      throw new InvalidSnapshotError("snapshot.options.optimizer.size", innerSize, `null or ${sum.length}, the length of the pending sum`);
    }
    const mean = count > 0 ? allocateFloat64(sum.length, "state.mean") : new Float64Array(0);
    this.adopt(resolved, inner);
    this.sum = sum;
    this.mean = mean;
    this.count = count;
    this.calls = calls as number;
  }

  protected release(): void {
    this.sum = this.mean = new Float64Array(0);
  }
}

/**
 * An {@link Accumulate}: the optimizer steps once every `every` calls, on the mean of their gradients.
 *
 * @example
 * ```ts
 * const opt = accumulate(new SGD({ lr: 0.1 }), { every: 8 }); // a batch of 8 × 32 from batches of 32
 * ```
 */
export function accumulate(optimizer: Optimizer, options?: Partial<AccumulateOptions>): Accumulate {
  return new Accumulate(optimizer, options);
}
