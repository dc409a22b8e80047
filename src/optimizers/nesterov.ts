import { copyInto, plainFloat64 } from "../memory/float64-vectors.js";
import { lookAheadKernel } from "../kernels/look-ahead.js";
import { MOMENTUM_SLOTS, momentumKernel } from "../kernels/momentum.js";
import { decayRate, oneOf, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Where {@link Nesterov} evaluates the gradient: `"lecture"`, θ − η·V (the lecture, §8), or `"udl"`,
 * θ − η·β·V (UDL eq. 6.12).
 *
 * @example
 * ```ts
 * const lookAhead: NesterovLookAhead = "udl";
 * const opt = new Nesterov({ lr: 0.05, beta: 0.9, lookAhead });
 * ```
 */
export type NesterovLookAhead = "lecture" | "udl";

/**
 * Options of {@link Nesterov}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const book = new Nesterov({ lr: 0.05, beta: 0.9, lookAhead: "udl" } satisfies Partial<NesterovOptions>);
 * ```
 */
export interface NesterovOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue 1e-3 */
  lr: number;
  /** β, the decay of the velocity's exponential average, in [0, 1). @defaultValue 0.9 */
  beta: number;
  /**
   * The look-ahead point. `"lecture"`: θ_t − η·V_t, where the previous velocity would
   * carry θ (the lecture, §8). `"udl"`: θ_t − η·β·V_t, where momentum alone would carry θ (UDL eq. 6.12).
   * @defaultValue "lecture"
   */
  lookAhead: NesterovLookAhead;
}

const rules: OptionRules<NesterovOptions> = {
  lr: positive(1e-3),
  beta: decayRate(0.9),
  lookAhead: oneOf<NesterovLookAhead>("lecture", ["lecture", "udl"]),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * Nesterov accelerated momentum (the lecture, §8): momentum whose gradient is taken at the point the
 * velocity is about to carry θ to, so it corrects course before overshooting.
 *
 * Notation: θ = `params`, η = `lr`, β = `beta`, V = the `velocity` buffer, θ̂ = the look-ahead point.
 *
 * ```math
 * \begin{aligned}
 * \hat\theta_t &= \theta_t - \eta V_t \quad \text{(lookAhead "lecture", default)} \quad\text{or}\quad \theta_t - \eta\beta V_t \quad \text{(lookAhead "udl", UDL eq. 6.12)}\\
 * V_{t+1} &= \beta V_t + (1-\beta)\,\nabla L(\hat\theta_t), \qquad V_0 = 0\\
 * \theta_{t+1} &= \theta_t - \eta\, V_{t+1}
 * \end{aligned}
 * ```
 *
 * **How the caller supplies ∇L(θ̂).** {@link Nesterov.gradientPoint} writes θ̂_t into a buffer you
 * own; you evaluate the gradient there and pass it to {@link Nesterov.step}, which applies the two
 * lines above to θ_t. So `params` always holds the lecture's θ_t (not a shifted variable as in
 * PyTorch's reformulation), and the θ sequence of the lecture's §8 is reproduced exactly. Every optimizer has
 * `gradientPoint` (the others return `params`), so a loop written this way works with all of them.
 *
 * State: `velocity` (V). Defaults: `lr` 1e-3, `beta` 0.9, `lookAhead` "lecture".
 *
 * Differs from PyTorch's `SGD(nesterov=True)`, which uses the heavy-ball velocity and the
 * reformulation θ ← θ − η·(g + μ·v) with g taken at θ.
 *
 * @example
 * ```ts
 * // f(x) = x², ∇f = 2x
 * const opt = new Nesterov({ lr: 0.1, beta: 0.9 });
 * const theta = Float64Array.of(1);
 * const point = new Float64Array(1);
 * const grad = new Float64Array(1);
 * for (let t = 0; t < 100; t++) {
 *   const at = opt.gradientPoint(theta, point); // θ − η·V
 *   grad[0] = 2 * at[0];
 *   opt.step(theta, grad);
 * }
 * ```
 */
export class Nesterov extends OptimizerBase<NesterovOptions> {
  /** The rules of its options: each one's default and its check (see {@link NesterovOptions}). */
  static readonly optionRules: OptionRules<NesterovOptions> = rules;

  protected override readonly kernel = "momentum";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<NesterovOptions>>) {
    super("Nesterov", rules, [{ name: "velocity" }], options);
  }

  /** Writes the look-ahead point θ̂_t into `out` and returns it (θ itself before the first step). */
  override gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.checkVectors(params, out, "out");
    const p = plainFloat64(params, "params"); // the engine's view of each, whatever the objects define
    const o = plainFloat64(out, "out");
    if (this.size === undefined) {
      copyInto(o, p);
      return out;
    }
    this.followSchedules();
    lookAheadKernel(o, p, this.scalars, MOMENTUM_SLOTS.lookAheadScale, this.buffers[0]);
    return out;
  }

  protected override configure(): void {
    const lr = this.values[V.lr];
    const beta = this.values[V.beta];
    this.scalars[MOMENTUM_SLOTS.lr] = lr;
    this.scalars[MOMENTUM_SLOTS.beta] = beta;
    this.scalars[MOMENTUM_SLOTS.lookAheadScale] = this.options.lookAhead === "udl" ? lr * beta : lr;
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    momentumKernel(params, grad, this.scalars, this.buffers[0]);
  }
}
