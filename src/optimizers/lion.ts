import { LION_SLOTS, lionKernel } from "../kernels/lion.js";
import { decayRate, oneOf, type OptionRules, positive, type Schedulable, type WeightDecayMode } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link Lion}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new Lion({ lr: 3e-5, weightDecay: 1 } satisfies Partial<LionOptions>);
 * ```
 */
export interface LionOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue `1e-4` (Lion's steps have size η in every coordinate: use 3–10× less than Adam's) */
  lr: number;
  /** β₁, the weight of the momentum in the step's direction, in [0, 1). @defaultValue 0.9 */
  beta1: number;
  /** β₂, the decay of the momentum, in [0, 1). @defaultValue 0.99 */
  beta2: number;
  /** How λ enters: `"decoupled"` (Lion's θ ← θ − η(sign(c) + λθ)) or `"l2"` (added to ĝ). @defaultValue `"decoupled"` (Lion's) */
  weightDecayMode: WeightDecayMode;
}

const rules: OptionRules<LionOptions> = {
  lr: positive(1e-4),
  beta1: decayRate(0.9),
  beta2: decayRate(0.99),
  ...commonRules,
  weightDecayMode: oneOf<WeightDecayMode>("decoupled", ["l2", "decoupled"]),
};
const V = optionIndex(rules);

/**
 * Lion, EvoLved Sign Momentum (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms";
 * optax's `lion`): every coordinate moves by exactly η, in the direction of the sign of an
 * interpolation between the momentum and the gradient.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, β₁ = `beta1`,
 * β₂ = `beta2`, λ = `weightDecay`, m = the `momentum` buffer.
 *
 * ```math
 * \begin{aligned}
 * c &= \beta_1\, m_t + (1-\beta_1)\,\hat g\\
 * \theta_{t+1} &= \theta_t - \eta\,\big(\operatorname{sign}(c) + \lambda\,\theta_t\big)\\
 * m_{t+1} &= \beta_2\, m_t + (1-\beta_2)\,\hat g, \qquad m_0 = 0
 * \end{aligned}
 * ```
 *
 * The decay is computed as (1 − ηλ)·θ − η·sign(c) (the {@link CommonOptions} decoupled form). sign(0)
 * is 0: a coordinate whose c is exactly zero does not move.
 *
 * State: `momentum` (m). Defaults: `lr` 1e-4, `beta1` 0.9, `beta2` 0.99, `weightDecay` 0 in mode
 * `"decoupled"` — the paper's and optax's.
 *
 * @example
 * ```ts
 * const opt = new Lion({ lr: 0.1 });
 * const theta = Float64Array.of(1, 1);
 * // First step: c = 0.1·ĝ, so each coordinate moves by η against its gradient's sign.
 * opt.step(theta, Float64Array.of(1000, -0.001)); // theta = [0.9, 1.1]
 * ```
 */
export class Lion extends OptimizerBase<LionOptions> {
  /** The rules of its options: each one's default and its check (see {@link LionOptions}). */
  static readonly optionRules: OptionRules<LionOptions> = rules;

  protected override readonly kernel = "lion";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<LionOptions>>) {
    super("Lion", rules, [{ name: "momentum" }], options);
  }

  protected override configure(): void {
    this.scalars[LION_SLOTS.lr] = this.values[V.lr];
    this.scalars[LION_SLOTS.beta1] = this.values[V.beta1];
    this.scalars[LION_SLOTS.beta2] = this.values[V.beta2];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    lionKernel(params, grad, this.scalars, this.buffers[0]);
  }
}
