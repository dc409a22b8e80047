import { ADADELTA_SLOTS, adadeltaKernel } from "../kernels/adadelta.js";
import { decayRate, epsilon, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link Adadelta}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new Adadelta({ lr: 1, rho: 0.95, eps: 1e-6 } satisfies Partial<AdadeltaOptions>);
 * ```
 */
export interface AdadeltaOptions extends CommonOptions {
  /** η, a factor on the step (Zeiler's method has none: 1). @defaultValue `1` (PyTorch) */
  lr: number;
  /** ρ, the decay of both running averages, in [0, 1). @defaultValue 0.9 */
  rho: number;
  /** ε, inside both square roots; > 0. @defaultValue 1e-6 */
  eps: number;
}

const rules: OptionRules<AdadeltaOptions> = { lr: positive(1), rho: decayRate(0.9), eps: epsilon(1e-6), ...commonRules };
const V = optionIndex(rules);

/**
 * Adadelta (Zeiler, 2012): the step's units come from a running average of past steps, so no
 * learning rate is needed.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, ρ = `rho`,
 * ε = `eps`; buffers E = `meanSquare` (of ĝ), D = `meanSquareDelta` (of the steps).
 *
 * ```math
 * E_{t+1} = \rho E_t + (1-\rho)\,\hat g^2, \qquad \Delta = \frac{\sqrt{D_t + \varepsilon}}{\sqrt{E_{t+1} + \varepsilon}}\,\hat g, \qquad D_{t+1} = \rho D_t + (1-\rho)\,\Delta^2, \qquad \theta_{t+1} = \theta_t - \eta\,\Delta
 * ```
 *
 * Near a minimum both averages fall towards ε, so the rate √(D + ε)/√(E + ε) tends to 1 and the
 * step to η·ĝ: with the default η = 1 Adadelta oscillates, or diverges, wherever the curvature
 * exceeds 2 (gradient descent's limit η·λ < 2). A smaller η fixes it.
 *
 * Δ divides by the *new* E_(t+1) and uses D_t, the average before this step, which is then updated
 * with this Δ, as in the paper and PyTorch. TensorFlow.js divides by the previous E_t instead, a
 * known bug gradstep does not copy. State: `meanSquare`,
 * `meanSquareDelta`. Defaults: `lr` 1, `rho` 0.9, `eps` 1e-6 — PyTorch's `Adadelta`.
 *
 * @example
 * ```ts
 * const opt = new Adadelta();
 * const theta = Float64Array.of(0);
 * opt.step(theta, Float64Array.of(1)); // E = 0.1, Δ = √1e-6/√(0.1 + 1e-6) ≈ 0.00316, θ ≈ −0.00316
 * ```
 */
export class Adadelta extends OptimizerBase<AdadeltaOptions> {
  /** The rules of its options: each one's default and its check (see {@link AdadeltaOptions}). */
  static readonly optionRules: OptionRules<AdadeltaOptions> = rules;

  protected override readonly kernel = "adadelta";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<AdadeltaOptions>>) {
    super("Adadelta", rules, [{ name: "meanSquare", nonNegative: true }, { name: "meanSquareDelta", nonNegative: true }], options);
  }

  protected override configure(): void {
    this.scalars[ADADELTA_SLOTS.lr] = this.values[V.lr];
    this.scalars[ADADELTA_SLOTS.rho] = this.values[V.rho];
    this.scalars[ADADELTA_SLOTS.eps] = this.values[V.eps];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    adadeltaKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1]);
  }
}
