import { GRADIENT_DESCENT_SLOTS, gradientDescentKernel } from "../kernels/gradient-descent.js";
import { type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link GradientDescent}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const options: Partial<GradientDescentOptions> = { lr: 0.1 };
 * const opt = new GradientDescent(options);
 * ```
 */
export interface GradientDescentOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue `1e-3` (PyTorch's SGD) */
  lr: number;
}

const rules: OptionRules<GradientDescentOptions> = { lr: positive(1e-3), ...commonRules };
const V = optionIndex(rules);

/**
 * Gradient descent (the lecture, §3): a step against the gradient, scaled by the learning rate.
 *
 * Notation: θ = `params`, g = `grad` (∇θ J(θ_t)), η = `lr`.
 *
 * ```math
 * \theta_{t+1} = \theta_t - \eta\, g
 * ```
 *
 * State: none. Defaults: `lr` 1e-3. Batch, mini-batch or stochastic descent is a matter of which
 * gradient you pass (the lecture, §6). With the {@link CommonOptions} (weight decay, maximize) it is
 * PyTorch's `SGD` without momentum; {@link SGD} adds PyTorch's momentum.
 *
 * @example
 * ```ts
 * const opt = new GradientDescent({ lr: 0.1 });
 * const theta = Float64Array.of(1, -2);
 * opt.step(theta, Float64Array.of(2, -4)); // theta = [0.8, -1.6]
 * ```
 */
export class GradientDescent extends OptimizerBase<GradientDescentOptions> {
  /** The rules of its options: each one's default and its check (see {@link GradientDescentOptions}). */
  static readonly optionRules: OptionRules<GradientDescentOptions> = rules;

  protected override readonly kernel = "gradient_descent";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<GradientDescentOptions>>) {
    super("GradientDescent", rules, [], options);
  }

  protected override configure(): void {
    this.scalars[GRADIENT_DESCENT_SLOTS.lr] = this.values[V.lr];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    gradientDescentKernel(params, grad, this.scalars);
  }
}
