import { RADAM_SLOTS, radamKernel } from "../kernels/radam.js";
import { decayRate, epsilon, type OptionRules, positive, type Schedulable } from "../options.js";
import { DecayPower } from "./decay-power.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link RAdam}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new RAdam({ lr: 1e-3, beta: 0.9, gamma: 0.999 } satisfies Partial<RAdamOptions>);
 * ```
 */
export interface RAdamOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue 1e-3 */
  lr: number;
  /** β, the decay of the gradient's average m, in [0, 1) (PyTorch's `betas[0]`). @defaultValue 0.9 */
  beta: number;
  /** γ, the decay of the squared gradient's average v, in [0, 1) (PyTorch's `betas[1]`). @defaultValue 0.999 */
  gamma: number;
  /** ε, added to √v; > 0. @defaultValue 1e-8 */
  eps: number;
}

const rules: OptionRules<RAdamOptions> = {
  lr: positive(1e-3),
  beta: decayRate(0.9),
  gamma: decayRate(0.999),
  eps: epsilon(1e-8),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * RAdam (Liu et al., 2020): Adam whose adaptive step is switched on only once the variance of the
 * adaptive rate is tractable, and then rectified; before that it is momentum SGD_SLOTS.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, β = `beta`,
 * γ = `gamma`, ε = `eps`; buffers m = `firstMoment`, v = `secondMoment`; steps counted from t = 1.
 *
 * ```math
 * \begin{aligned}
 * m_t &= \beta m_{t-1} + (1-\beta)\,\hat g, \qquad v_t = \gamma v_{t-1} + (1-\gamma)\,\hat g^2, \qquad \tilde m = \frac{m_t}{1-\beta^t}\\
 * \rho_\infty &= \frac{2}{1-\gamma} - 1, \qquad \rho_t = \rho_\infty - \frac{2t\,\gamma^t}{1-\gamma^t}, \qquad r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\,\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\,\rho_t}}\\
 * \theta_t &= \theta_{t-1} - \eta\,\tilde m\, r_t\,\frac{\sqrt{1-\gamma^t}}{\sqrt{v_t} + \varepsilon} \quad \text{if } \rho_t > 5, \qquad \theta_t = \theta_{t-1} - \eta\,\tilde m \quad \text{otherwise}
 * \end{aligned}
 * ```
 *
 * ε is added to the uncorrected √v_t and the correction √(1 − γ^t) multiplies the whole, exactly
 * as PyTorch's `RAdam` does. State: `firstMoment`, `secondMoment`. Defaults: `lr` 1e-3, `beta` 0.9,
 * `gamma` 0.999, `eps` 1e-8 — PyTorch's.
 *
 * @example
 * ```ts
 * const opt = new RAdam({ lr: 0.01 });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(2)); // ρ_1 = 1 ≤ 5: θ = 1 − 0.01·2 = 0.98
 * ```
 */
export class RAdam extends OptimizerBase<RAdamOptions> {
  /** The rules of its options: each one's default and its check (see {@link RAdamOptions}). */
  static readonly optionRules: OptionRules<RAdamOptions> = rules;

  protected override readonly kernel = "radam";
  override readonly stepNumbersFromOptions = true;
  private readonly betaPower = new DecayPower();
  private readonly gammaPower = new DecayPower();

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<RAdamOptions>>) {
    super("RAdam", rules, [{ name: "firstMoment" }, { name: "secondMoment", nonNegative: true }], options);
  }

  protected override configure(): void {
    this.scalars[RADAM_SLOTS.beta] = this.values[V.beta];
    this.scalars[RADAM_SLOTS.gamma] = this.values[V.gamma];
    this.scalars[RADAM_SLOTS.eps] = this.values[V.eps];
  }

  protected override prepare(t: number): void {
    const lr = this.values[V.lr];
    const gamma = this.values[V.gamma];
    this.betaPower.follow(this.values, V.beta, t);
    this.gammaPower.follow(this.values, V.gamma, t);
    const correction1 = 1 - this.betaPower.numbers[0];
    const gammaT = this.gammaPower.numbers[0];
    const correction2 = 1 - gammaT;
    const rhoInf = 2 / (1 - gamma) - 1;
    const rhoT = rhoInf - (2 * t * gammaT) / correction2;
    const s = this.scalars;
    s[RADAM_SLOTS.plainStep] = lr / correction1;
    s[RADAM_SLOTS.rectifiedStep] = 0;
    if (rhoT > 5) {
      const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
      s[RADAM_SLOTS.rectifiedStep] = ((lr * rect) / correction1) * Math.sqrt(correction2);
    }
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    radamKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1]);
  }
}
