import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { type OptionRule, wholeNumber } from "../options.js";
import { encodeFloat64 } from "../snapshot/float64-base64.js";
import type { ParamTree } from "../tree/param-tree.js";
import { LeafVectors } from "./leaf-vectors.js";
import { WrapperBase } from "./wrapper-base.js";

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
 * Over a {@link TreeOptimizer} it steps {@link ParamTree}s as well: φ is kept leaf by leaf (to the bit
 * the slow weights of the concatenated vectors), read as a tree with {@link Lookahead.slowWeightsTree};
 * a tree with a missing, extra or resized leaf is refused naming its path before anything is written,
 * and snapshots keep φ by leaf path (`leaves`).
 *
 * @example
 * ```ts
 * const opt = lookahead(new Adam({ lr: 1e-3 }), { syncPeriod: 5, slowStepSize: 0.5 });
 * opt.step(params, grad); // an Adam step; every 5th also pulls params back toward the slow weights
 * ```
 */
export class Lookahead extends WrapperBase<LookaheadOptions, LookaheadSettings> implements Optimizer {
  /** `"Lookahead"`, as in snapshots. */
  readonly kind = KIND;
  private slow = LeafVectors.empty();
  private started = false;
  private fastSteps = 0;

  /**
   * @param optimizer the fast optimizer.
   * @param options see {@link LookaheadOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   */
  constructor(optimizer: Optimizer, options?: Partial<LookaheadOptions>) {
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
    return Float64Array.from(this.started ? this.slow.flat : []);
  }

  /**
   * φ as a new tree shaped as the one stepped (its `{ data, shape }` leaves too), for a wrapper
   * stepped with trees.
   * @throws InvalidOptionError before the first step, or when stepped with flat vectors.
   */
  slowWeightsTree(): ParamTree {
    this.assertLive();
    return this.treeCopy(this.slow, true);
  }

  /**
   * A fast step; every k-th, the synchronisation (see the class description). Over a tree
   * optimizer, `params` and `grad` may be trees: φ is kept leaf by leaf.
   */
  step(params: Float64Array | ParamTree, grad: Float64Array | ParamTree): void {
    this.assertLive();
    const layout = this.readLeaves(params, null, this.started);
    const P = this.paramLeaves;
    if (layout === undefined && this.started && P[0].length !== this.slow.flat.length) throw new ShapeMismatchError("params", params, `a Float64Array of length ${this.slow.flat.length}, the slow weights'`);
    // φ₀ = θ before the first step, kept aside until that step is taken.
    let slow = this.slow;
    if (!this.started) {
      if (layout !== undefined) slow = LeafVectors.ofLayout(layout, "state.slow");
      else if (slow.flat.length !== P[0].length || slow.leaves.length !== 1) slow = LeafVectors.ofLength(P[0].length, "state.slow");
      for (let j = 0; j < P.length; j++) slow.leaves[j].set(P[j]);
    }
    const before = this.optimizer.stepCount;
    this.optimizer.step(params as Float64Array, grad as Float64Array);
    if (this.optimizer.stepCount === before) return; // skipped
    this.slow = slow;
    this.layout = layout;
    this.started = true;
    this.fastSteps += 1;
    if (this.fastSteps < this.resolved.syncPeriod) return;
    const alpha = this.resolved.slowStepSize;
    const S = slow.leaves;
    for (let j = 0; j < S.length; j++) {
      const phi = S[j];
      const p = P[j];
      for (let i = 0; i < p.length; i++) {
        const s = phi[i] + alpha * (p[i] - phi[i]);
        phi[i] = s;
        p[i] = s;
      }
    }
    this.fastSteps = 0;
  }

  /** Forgets the slow weights and the optimizer's state. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
    this.release();
    this.started = false;
    this.fastSteps = 0;
  }

  /** φ, the count and the optimizer's snapshot, as JSON (over a tree, φ by leaf path in `leaves`). */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return this.envelope(this.optimizer.stepCount, this.optimizer.size ?? null, "slow", this.slow, this.started, { pending: encodeFloat64(Float64Array.of(this.fastSteps)) });
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const opened = this.openSnapshot(snapshot);
    const pending = WrapperBase.decodeCount(opened.buffers, "pending", (n) => n >= 0 && n < opened.resolved.syncPeriod, `base64 of one whole number in [0, ${opened.resolved.syncPeriod})`);
    // φ is there from the first step on (a tree's leaves only from then); before it, no fast step is pending.
    const { layout, state } = this.decodeState(opened, "slow", pending > 0 || opened.leaves !== undefined ? true : undefined, "empty before the first step");
    WrapperBase.checkMirrors(opened); // (after the leaves' own checks, which name a leaf)
    this.adopt(opened.resolved, opened.inner, layout);
    this.slow = state;
    this.started = state.flat.length > 0;
    this.fastSteps = pending;
  }

  protected release(): void {
    this.slow = LeafVectors.empty();
    this.layout = undefined;
  }
}

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
