import { InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError, StepLimitError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { checkHeld, overlap, refusePartialOverlap } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { oneOf, wholeNumber } from "../options.js";
import { encodeFloat64 } from "../snapshot/float64-base64.js";
import { own } from "../snapshot/snapshot-fields.js";
import type { ParamTree } from "../tree/param-tree.js";
import { LeafVectors, treeOf } from "./leaf-vectors.js";
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
/** No leaf frozen: a flat vector's. */
const NONE_FROZEN = new Uint8Array(1);
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
 * Over a {@link TreeOptimizer} it steps {@link ParamTree}s as well: the sum is kept leaf by leaf (to
 * the bit the sum of the concatenated vectors), a gradient tree with a missing, extra or resized leaf
 * is refused naming its path before anything is written, a frozen leaf's gradient is neither checked
 * nor summed (as the tree never reads it), the optimizer steps on a tree of the means, and snapshots
 * keep the sum by leaf path (`leaves`).
 *
 * @example
 * ```ts
 * const opt = accumulate(new Adam({ lr: 1e-3 }), { every: 4 });
 * for (const g of microGrads) opt.step(params, g); // every 4th call: one Adam step on the mean of the 4 gradients
 *
 * const overTree = accumulate(tree(new Adam({ lr: 1e-3 })), { every: 4 });
 * overTree.step(paramTree, gradTree); // trees of Float64Arrays
 * ```
 */
export class Accumulate extends WrapperBase<AccumulateOptions, AccumulateSettings> implements Optimizer {
  /** `"Accumulate"`, as in snapshots. */
  readonly kind = KIND;
  private sum = LeafVectors.empty();
  private mean = LeafVectors.empty();
  /** Over a tree: the tree of the mean's leaves, which the optimizer steps on. */
  private meanTree: ParamTree | undefined;
  private count = 0;
  private calls = 0;

  /**
   * @param optimizer the optimizer that steps on each mean.
   * @param options see {@link AccumulateOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
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
    // (a pending sum fixes the length, even a sum of length 0, which the optimizer has not seen yet)
    return this.count > 0 || this.sum.flat.length > 0 ? this.sum.flat.length : this.optimizer.size;
  }

  /**
   * Adds `grad` to the sum; every k-th call, the optimizer steps on the mean. See the class
   * description. Over a tree optimizer, `params` and `grad` may be trees (the sum is kept leaf by
   * leaf, and the optimizer steps on a tree of the means).
   */
  step(params: Float64Array | ParamTree, grad: Float64Array | ParamTree): void {
    this.assertLive();
    const layout = this.readLeaves(params, grad, this.layout !== undefined || this.sum.flat.length !== 0);
    const P = this.paramLeaves;
    const G = this.gradLeaves;
    if (layout === undefined) {
      const p = P[0];
      const g = G[0];
      checkHeld(p, "params", params);
      checkHeld(g, "grad", grad);
      const n = p.length;
      if (g.length !== n) throw new ShapeMismatchError("grad", grad, `length ${n}, the length of params`);
      refusePartialOverlap(p, g, grad); // (as the optimizer would: it sees only the mean)
      const size = this.size;
      if (size !== undefined && n !== size) throw new ShapeMismatchError("params", params, `length ${size}, the length the state was built for`);
    } else {
      for (let j = 0; j < P.length; j++) {
        checkHeld(P[j], this.paramNames[j], P[j]);
        checkHeld(G[j], this.gradNames[j], G[j]);
        if (overlap(P[j], G[j]) === "partial") throw new ShapeMismatchError(this.gradNames[j], G[j], "a vector that does not partly overlap its params leaf (the same array is allowed)");
      }
    }
    if (this.calls >= Number.MAX_SAFE_INTEGER) throw new StepLimitError("stepCount", this.calls, "fewer than 2^53 − 1 steps");
    // (a frozen leaf's gradient is never read, as by the tree itself)
    const frozen = layout === undefined ? NONE_FROZEN : this.frozenIn(layout);
    this.assertLive(); // (the tree's freeze matcher is user code)
    for (let j = 0; j < G.length; j++) {
      if (frozen[j] === 1) continue;
      const bad = firstNonFinite(G[j]);
      if (bad < 0) continue;
      if (this.resolved.nonFinite === "skip") return;
      throw new NonFiniteGradientError(bad, G[j][bad], layout === undefined ? "grad" : this.gradNames[j]);
    }
    const before = { sum: this.sum, mean: this.mean, meanTree: this.meanTree, layout: this.layout };
    if (layout === undefined ? this.sum.flat.length !== P[0].length : layout !== this.layout) {
      // The state, built (allocated first: nothing changes if that fails); undone if this call fails after all.
      const sum = layout === undefined ? LeafVectors.ofLength(P[0].length, "state.sum") : LeafVectors.ofLayout(layout, "state.sum");
      const mean = layout === undefined ? LeafVectors.ofLength(P[0].length, "state.mean") : LeafVectors.ofLayout(layout, "state.mean");
      this.meanTree = layout === undefined ? undefined : treeOf(layout, mean.leaves, false);
      this.sum = sum;
      this.mean = mean;
      this.layout = layout;
    }
    const S = this.sum.leaves;
    const k = this.resolved.every;
    if (this.count + 1 < k) {
      for (let j = 0; j < S.length; j++) {
        if (frozen[j] === 1) continue;
        const sum = S[j];
        const g = G[j];
        if (this.count === 0) sum.set(g);
        else for (let i = 0; i < g.length; i++) sum[i] += g[i];
      }
      this.count += 1;
      this.calls += 1;
      return;
    }
    // The k-th gradient: the mean goes into its own buffer, so that a refused step leaves the sum as it was.
    const M = this.mean.leaves;
    for (let j = 0; j < M.length; j++) {
      if (frozen[j] === 1) continue;
      const mean = M[j];
      const sum = S[j];
      const g = G[j];
      const n = g.length;
      if (k === 1) for (let i = 0; i < n; i++) mean[i] = g[i];
      else for (let i = 0; i < n; i++) mean[i] = (sum[i] + g[i]) / k;
    }
    try {
      if (layout === undefined) this.optimizer.step(P[0], this.mean.flat);
      else this.optimizer.step(params as Float64Array, this.meanTree as unknown as Float64Array);
    } catch (error) {
      if (before.sum !== this.sum) {
        this.sum = before.sum;
        this.mean = before.mean;
        this.meanTree = before.meanTree;
        this.layout = before.layout;
      }
      // Finite gradients whose sum overflowed: the optimizer saw the mean, not the caller's gradient.
      if (error instanceof NonFiniteGradientError && k > 1) {
        const name = error.argument.slice(0, error.argument.lastIndexOf("["));
        throw new NonFiniteGradientError(error.index, error.value as number, `${name} (the mean of ${k} gradients, whose sum overflowed; reset() drops it)`);
      }
      throw error;
    }
    this.count = 0;
    this.calls += 1;
  }

  /** Forgets the sum and the optimizer's state. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
    this.release();
    this.count = 0;
    this.calls = 0;
  }

  /** The sum, the count and the optimizer's snapshot, as JSON (over a tree, the sum by leaf path in `leaves`). */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return this.envelope(this.calls, this.size ?? null, "sum", this.sum, this.count > 0, { pending: encodeFloat64(Float64Array.of(this.count)) });
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const opened = this.openSnapshot(snapshot);
    const { fields, resolved, buffers, inner } = opened;
    const count = WrapperBase.decodeCount(buffers, "pending", (n) => n >= 0 && n < resolved.every, `the count of summed gradients, a whole number in [0, ${resolved.every})`);
    const { layout, state: sum } = this.decodeState(opened, "sum", count > 0, "empty: no gradient pending");
    const calls = own(fields, "stepCount");
    if (!Number.isSafeInteger(calls) || (calls as number) < count) throw new InvalidSnapshotError("snapshot.stepCount", calls, `a whole number ≥ ${count}`);
    // The pending sum and the inner optimizer's state must be for the same length: a snapshot pairing
    // a sum of 3 with an inner state of 2 was taken whole and refused only at the k-th step after it.
    const innerSize = typeof inner === "object" && inner !== null ? own(inner as Record<string, unknown>, "size") : undefined;
    if (count > 0 && typeof innerSize === "number" && innerSize !== sum.flat.length) {
      throw new InvalidSnapshotError("snapshot.options.optimizer.size", innerSize, `null or ${sum.flat.length}, the length of the pending sum`);
    }
    const mean = layout !== undefined ? LeafVectors.ofLayout(layout, "state.mean") : count > 0 ? LeafVectors.ofLength(sum.flat.length, "state.mean") : LeafVectors.empty();
    this.adopt(resolved, inner, layout);
    this.sum = sum;
    this.mean = mean;
    this.meanTree = layout === undefined ? undefined : treeOf(layout, mean.leaves, false);
    this.count = count;
    this.calls = calls as number;
  }

  protected release(): void {
    this.sum = this.mean = LeafVectors.empty();
    this.meanTree = undefined;
    this.layout = undefined;
  }
}

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
