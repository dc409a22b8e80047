import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { type OptionRule, wholeNumber } from "../options.js";
import { encodeFloat64 } from "../snapshot/float64-base64.js";
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
  /** k, the fast steps between two synchronisations, a whole number ≥ 1. Default 5. */
  syncPeriod: number;
  /** α, how far the slow weights move toward the fast ones, in (0, 1]. Default 0.5. */
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
export class Lookahead extends WrapperBase<LookaheadOptions, LookaheadSettings> implements Optimizer {
  /** `"Lookahead"`, as in snapshots. */
  readonly kind = KIND;
  private slow: Float64Array = new Float64Array(0);
  private started = false;
  private fastSteps = 0;

  /**
   * @param optimizer the fast optimizer.
   * @param options see {@link LookaheadOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
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

  /** φ, the slow weights, as a new array (empty before the first step). */
  slowWeights(): Float64Array {
    this.assertLive();
    return Float64Array.from(this.started ? this.slow : []);
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
    return this.envelope(this.optimizer.stepCount, this.optimizer.size ?? null, { slow: encodeFloat64(this.started ? this.slow : new Float64Array(0)), pending: encodeFloat64(Float64Array.of(this.fastSteps)) });
  }

  /** Checks the snapshot whole (its own part, then the optimizer's restore, which checks its own), then adopts it. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const { fields, resolved, buffers, inner } = this.openSnapshot(snapshot);
    const pending = WrapperBase.decodeCount(buffers, "pending", (n) => n >= 0 && n < resolved.syncPeriod, `base64 of one whole number in [0, ${resolved.syncPeriod})`);
    // φ is there from the first step on; before it, no fast step is pending.
    const slow = WrapperBase.decodeVector(fields, buffers, "slow", pending > 0 ? true : undefined, "empty before the first step");
    this.adopt(resolved, inner);
    this.slow = slow;
    this.started = slow.length > 0;
    this.fastSteps = pending;
  }

  protected release(): void {
    this.slow = new Float64Array(0);
  }
}

/**
 * A {@link Lookahead} around `optimizer`: k fast steps, then the slow weights move α toward them.
 *
 * @example
 * ```ts
 * const opt = lookahead(new SGD({ lr: 0.1, momentum: 0.9 }), { syncPeriod: 10, slowStepSize: 0.8 });
 * ```
 */
export function lookahead(optimizer: Optimizer, options?: Partial<LookaheadOptions>): Lookahead {
  return new Lookahead(optimizer, options);
}
