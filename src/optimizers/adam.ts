import { ADAM_SLOTS, adamKernel } from "../kernels/adam.js";
import { decayRate, type EpsPlacement, epsilon, epsPlacementRule, flag, type OptionRules, positive, type Schedulable } from "../options.js";
import { DecayPower } from "./decay-power.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link Adam}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * // PyTorch's Adam(lr=0.01, betas=(0.9, 0.99)):
 * const opt = new Adam({ lr: 0.01, beta: 0.9, gamma: 0.99 } satisfies Partial<AdamOptions>);
 * ```
 */
export interface AdamOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue 1e-3 */
  lr: number;
  /** β, the decay of the gradient's average m, in [0, 1) (PyTorch's `betas[0]`). @defaultValue 0.9 */
  beta: number;
  /** γ, the decay of the squared gradient's average v, in [0, 1) (PyTorch's `betas[1]`). @defaultValue 0.999 */
  gamma: number;
  /** ε, which keeps the denominator away from zero; > 0. @defaultValue 1e-8 */
  eps: number;
  /** `"outside"`: m̃ / (√ṽ + ε). `"inside"` (the lecture): m̃ / √(ṽ + ε). @defaultValue `"outside"` (PyTorch) */
  epsPlacement: EpsPlacement;
  /** AMSGrad: divide by the running maximum of v (the raw v, before bias correction, as PyTorch). @defaultValue false */
  amsgrad: boolean;
}

const rules: OptionRules<AdamOptions> = {
  lr: positive(1e-3),
  beta: decayRate(0.9),
  gamma: decayRate(0.999),
  eps: epsilon(1e-8),
  epsPlacement: epsPlacementRule,
  amsgrad: flag(false),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * Adam (the lecture, §12; UDL eqs. 6.15–6.17): momentum on both the gradient and its square, with bias
 * correction for their zero start.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, β = `beta`,
 * γ = `gamma`, ε = `eps`, m = the `firstMoment` buffer, v = the `secondMoment` buffer,
 * t = {@link Adam.stepCount} before the step.
 *
 * ```math
 * \begin{aligned}
 * m_{t+1} &= \beta\, m_t + (1-\beta)\,\hat g, \qquad m_0 = 0\\
 * v_{t+1} &= \gamma\, v_t + (1-\gamma)\,\hat g^2, \qquad v_0 = 0\\
 * \hat v_{t+1} &= \max(\hat v_t,\ v_{t+1}) \text{ with amsgrad, else } v_{t+1}\\
 * \tilde m &= \frac{m_{t+1}}{1-\beta^{t+1}}, \qquad \tilde v = \frac{\hat v_{t+1}}{1-\gamma^{t+1}}\\
 * \theta_{t+1} &= \theta_t - \eta\,\frac{\tilde m}{\sqrt{\tilde v} + \varepsilon} \quad \text{(epsPlacement "outside", default, PyTorch)}\\
 * \theta_{t+1} &= \theta_t - \eta\,\frac{\tilde m}{\sqrt{\tilde v + \varepsilon}} \quad \text{(epsPlacement "inside", the lecture)}
 * \end{aligned}
 * ```
 *
 * β^(t+1) is the correctly rounded power at every step (wherever it exceeds about 1e-289: below,
 * 1 − β^(t+1) is exactly 1 anyway), without a `Math.pow` per step: β^t·β
 * carried in double-double precision (about 104 bits), so the bias correction does not drift over
 * long runs (Math.pow itself is off by an ulp at about one step in ten), and a restored optimizer
 * continues bit-identically.
 *
 * State: `firstMoment` (m), `secondMoment` (v), and `maxSecondMoment` (v̂) with amsgrad.
 * Defaults: `lr` 1e-3, `beta` 0.9, `gamma` 0.999, `eps` 1e-8, `epsPlacement` "outside", no amsgrad
 * — PyTorch's `Adam` with `betas=(beta, gamma)`. Weight decay is L2 (added to ĝ) by default, as in
 * PyTorch's Adam; PyTorch's `AdamW` is `weightDecayMode: "decoupled"` (θ shrinks by 1 − η·λ before
 * the step), which `pytorch.AdamW` sets with its default λ = 0.01.
 *
 * The lecture's exact form: `new Adam({ lr, beta, gamma, eps, epsPlacement: "inside" })`, or `lecture.Adam`.
 *
 * @example
 * ```ts
 * const opt = new Adam({ lr: 0.01 });
 * const theta = Float64Array.of(1, 1);
 * // First step: m̃ = g and ṽ = g², so each coordinate moves by ≈ η whatever the gradient's size.
 * opt.step(theta, Float64Array.of(1000, -0.001)); // theta ≈ [0.99, 1.01]
 * ```
 */
export class Adam extends OptimizerBase<AdamOptions> {
  /** The rules of its options: each one's default and its check (see {@link AdamOptions}). */
  static readonly optionRules: OptionRules<AdamOptions> = rules;

  protected override readonly kernel = "adam";
  override readonly stepNumbersFromOptions = true;
  private readonly betaPower = new DecayPower();
  private readonly gammaPower = new DecayPower();

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<AdamOptions>>) {
    super("Adam", rules, [{ name: "firstMoment" }, { name: "secondMoment", nonNegative: true }, { name: "maxSecondMoment", nonNegative: true, needed: (o) => o.amsgrad }], options);
  }

  protected override configure(): void {
    const v = this.values;
    const s = this.scalars;
    const inside = this.options.epsPlacement === "inside";
    s[ADAM_SLOTS.beta] = v[V.beta];
    s[ADAM_SLOTS.gamma] = v[V.gamma];
    s[ADAM_SLOTS.epsInside] = inside ? v[V.eps] : 0;
    s[ADAM_SLOTS.epsOutside] = inside ? 0 : v[V.eps];
    s[ADAM_SLOTS.amsgrad] = this.options.amsgrad ? 1 : 0;
  }

  protected override prepare(t: number): void {
    const v = this.values;
    this.betaPower.follow(v, V.beta, t);
    this.gammaPower.follow(v, V.gamma, t);
    this.scalars[ADAM_SLOTS.stepSize] = v[V.lr] / (1 - this.betaPower.numbers[0]);
    this.scalars[ADAM_SLOTS.invCorrection2] = 1 / (1 - this.gammaPower.numbers[0]);
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    adamKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1], this.buffers[2]);
  }
}
