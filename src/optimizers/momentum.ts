import { MOMENTUM_SLOTS, momentumKernel } from "../kernels/momentum.js";
import { decayRate, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link Momentum}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new Momentum({ lr: 0.05, beta: 0.9 } satisfies Partial<MomentumOptions>);
 * ```
 */
export interface MomentumOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue 1e-3 */
  lr: number;
  /** β, the decay of the velocity's exponential average, in [0, 1). @defaultValue 0.9 */
  beta: number;
}

const rules: OptionRules<MomentumOptions> = { lr: positive(1e-3), beta: decayRate(0.9), ...commonRules };
const V = optionIndex(rules);

/**
 * Momentum in the lecture's exponential-average form (the lecture, §7; UDL eq. 6.11): the step follows a
 * running average of past gradients.
 *
 * Notation: θ = `params`, g = `grad` (∇L(θ_t)), η = `lr`, β = `beta`, V = the `velocity` buffer.
 *
 * ```math
 * V_{t+1} = \beta V_t + (1-\beta)\, g, \qquad V_0 = 0, \qquad \theta_{t+1} = \theta_t - \eta\, V_{t+1}
 * ```
 *
 * State: `velocity` (V). Defaults: `lr` 1e-3, `beta` 0.9.
 *
 * Differs from PyTorch's `SGD(momentum=μ)`, the heavy-ball form v ← μ·v + g (no 1 − β factor, and
 * its first step sets v = g): the two agree after rescaling η by 1/(1 − β), except on the first steps.
 *
 * @example
 * ```ts
 * const opt = new Momentum({ lr: 0.1, beta: 0.5 });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(2)); // V = 0.5·0 + 0.5·2 = 1,   θ = 1 − 0.1·1 = 0.9
 * opt.step(theta, Float64Array.of(2)); // V = 0.5·1 + 0.5·2 = 1.5, θ = 0.9 − 0.15 = 0.75
 * ```
 */
export class Momentum extends OptimizerBase<MomentumOptions> {
  /** The rules of its options: each one's default and its check (see {@link MomentumOptions}). */
  static readonly optionRules: OptionRules<MomentumOptions> = rules;

  protected override readonly kernel = "momentum";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<MomentumOptions>>) {
    super("Momentum", rules, [{ name: "velocity" }], options);
  }

  protected override configure(): void {
    this.scalars[MOMENTUM_SLOTS.lr] = this.values[V.lr];
    this.scalars[MOMENTUM_SLOTS.beta] = this.values[V.beta];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    momentumKernel(params, grad, this.scalars, this.buffers[0]);
  }
}
