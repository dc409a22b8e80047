import { ADAGRAD_SLOTS, adagradKernel } from "../kernels/adagrad.js";
import { type EpsPlacement, epsilon, epsPlacementRule, nonNegative, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link AdaGrad}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const lecture = new AdaGrad({ lr: 0.1, eps: 1e-8, epsPlacement: "inside" } satisfies Partial<AdaGradOptions>);
 * ```
 */
export interface AdaGradOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue `1e-2` (PyTorch) */
  lr: number;
  /** ε, which keeps the denominator away from zero; > 0. @defaultValue `1e-10` (PyTorch) */
  eps: number;
  /** `"outside"`: ĝ / (√G + ε). `"inside"` (the lecture): ĝ / √(G + ε). @defaultValue `"outside"` (PyTorch) */
  epsPlacement: EpsPlacement;
  /** PyTorch's `lr_decay`: the rate at step t is η / (1 + (t − 1)·lrDecay); ≥ 0. @defaultValue 0 */
  lrDecay: number;
  /** G_0, the accumulator's starting value, ≥ 0 (PyTorch's `initial_accumulator_value`). @defaultValue 0 */
  initialAccumulator: number;
}

const rules: OptionRules<AdaGradOptions> = {
  lr: positive(1e-2),
  eps: epsilon(1e-10),
  epsPlacement: epsPlacementRule,
  lrDecay: nonNegative(0),
  initialAccumulator: nonNegative(0, false), // sets G_0, so it cannot follow a schedule
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * AdaGrad (the lecture, §10): each coordinate's rate is divided by the root of the sum of its squared
 * gradients, so the effective learning rate of each coordinate only shrinks.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, ε = `eps`,
 * G = the `sumOfSquares` buffer.
 *
 * ```math
 * \begin{aligned}
 * G_{t+1} &= G_t + \hat g^2, \qquad G_0 = \text{initialAccumulator}, \qquad \eta_t = \frac{\eta}{1 + t\cdot\text{lrDecay}}\\
 * \theta_{t+1} &= \theta_t - \eta_t\,\frac{\hat g}{\sqrt{G_{t+1}} + \varepsilon} \quad \text{(epsPlacement "outside", default, PyTorch)}\\
 * \theta_{t+1} &= \theta_t - \eta_t\,\frac{\hat g}{\sqrt{G_{t+1} + \varepsilon}} \quad \text{(epsPlacement "inside", the lecture)}
 * \end{aligned}
 * ```
 *
 * State: `sumOfSquares` (G). Defaults: `lr` 1e-2, `eps` 1e-10, `epsPlacement` "outside", `lrDecay` 0,
 * `initialAccumulator` 0 — PyTorch's `Adagrad`.
 *
 * The lecture's exact form: `new AdaGrad({ lr, eps, epsPlacement: "inside" })`, or `lecture.AdaGrad`.
 *
 * @example
 * ```ts
 * const opt = new AdaGrad({ lr: 0.1, eps: 1e-8, epsPlacement: "inside" });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(3)); // G = 9,  θ = 1 − 0.1·3/√(9 + 1e-8) ≈ 0.9
 * opt.step(theta, Float64Array.of(4)); // G = 25, θ ≈ 0.9 − 0.1·4/5 = 0.82
 * ```
 */
export class AdaGrad extends OptimizerBase<AdaGradOptions> {
  /** The rules of its options: each one's default and its check (see {@link AdaGradOptions}). */
  static readonly optionRules: OptionRules<AdaGradOptions> = rules;

  protected override readonly kernel = "adagrad";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<AdaGradOptions>>) {
    super("AdaGrad", rules, [{ name: "sumOfSquares", nonNegative: true, initial: (o) => o.initialAccumulator as number }], options);
  }

  protected override configure(): void {
    const inside = this.options.epsPlacement === "inside";
    this.scalars[ADAGRAD_SLOTS.epsInside] = inside ? this.values[V.eps] : 0;
    this.scalars[ADAGRAD_SLOTS.epsOutside] = inside ? 0 : this.values[V.eps];
  }

  protected override prepare(t: number): void {
    this.scalars[ADAGRAD_SLOTS.lr] = this.values[V.lr] / (1 + (t - 1) * this.values[V.lrDecay]);
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    adagradKernel(params, grad, this.scalars, this.buffers[0]);
  }
}
