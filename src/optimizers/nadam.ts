import { NADAM_SLOTS, nadamKernel } from "../kernels/nadam.js";
import { powAt } from "../math/pow.js";
import { decayRate, type EpsPlacement, epsilon, epsPlacementRule, flag, nonNegative, type OptionRules, positive, type Schedulable } from "../options.js";
import { DecayPower } from "./decay-power.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/** x, y, then x^y after powAt (the port), read and written inline: no double crosses a call, which V8 would box where it does not inline. */
const power = new Float64Array(2);

/**
 * Options of {@link NAdam}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new NAdam({ lr: 2e-3, momentumDecay: 4e-3 } satisfies Partial<NAdamOptions>);
 * ```
 */
export interface NAdamOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue `2e-3` (PyTorch) */
  lr: number;
  /** β, the base momentum of m, in [0, 1) (PyTorch's `betas[0]`). @defaultValue 0.9 */
  beta: number;
  /** γ, the decay of the squared gradient's average v, in [0, 1) (PyTorch's `betas[1]`). @defaultValue 0.999 */
  gamma: number;
  /** ε, which keeps the denominator away from zero; > 0. @defaultValue 1e-8 */
  eps: number;
  /** `"outside"`: √ṽ + ε. `"inside"`: √(ṽ + ε). @defaultValue `"outside"` (PyTorch) */
  epsPlacement: EpsPlacement;
  /** ψ, the momentum schedule's decay, ≥ 0 (PyTorch's `momentum_decay`). @defaultValue 4e-3 */
  momentumDecay: number;
  /**
   * Reproduce PyTorch ≤ 1.13, whose second bias correction counted μ_t twice: 1 − P_t·μ_t·μ_(t+1)
   * instead of 1 − P_t·μ_(t+1) (fixed in PyTorch 2.0).
   * @defaultValue false (`pytorch113.NAdam` sets it)
   */
  legacyMuProduct: boolean;
}

const rules: OptionRules<NAdamOptions> = {
  lr: positive(2e-3),
  beta: decayRate(0.9),
  gamma: decayRate(0.999),
  eps: epsilon(1e-8),
  epsPlacement: epsPlacementRule,
  momentumDecay: nonNegative(4e-3),
  legacyMuProduct: flag(false),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * NAdam (Dozat, 2016): Adam with Nesterov momentum, with PyTorch's momentum schedule.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, β = `beta`,
 * γ = `gamma`, ε = `eps`, ψ = `momentumDecay`; buffers m = `firstMoment`, v = `secondMoment`,
 * P = `muProduct` (a single number, Π μ_i, starting at 1). Steps are counted from t = 1.
 *
 * ```math
 * \begin{aligned}
 * \mu_t &= \beta\,(1 - \tfrac12\, 0.96^{t\psi}), \qquad P_t = P_{t-1}\,\mu_t\\
 * m_t &= \beta m_{t-1} + (1-\beta)\,\hat g, \qquad v_t = \gamma v_{t-1} + (1-\gamma)\,\hat g^2\\
 * D &= \sqrt{v_t / (1-\gamma^t)} + \varepsilon \quad \text{(epsPlacement "inside": } \sqrt{v_t/(1-\gamma^t) + \varepsilon}\text{)}\\
 * \theta_t &= \theta_{t-1} - \eta\,\frac{1-\mu_t}{1-P_t}\,\frac{\hat g}{D} - \eta\,\frac{\mu_{t+1}}{1-P_t\,\mu_{t+1}}\,\frac{m_t}{D}
 * \end{aligned}
 * ```
 *
 * State: `firstMoment`, `secondMoment`, `muProduct` (kept as a running product, exactly as PyTorch
 * does, so results match it). Defaults: `lr` 2e-3, `beta` 0.9, `gamma` 0.999, `eps` 1e-8,
 * `momentumDecay` 4e-3 — PyTorch's `NAdam` (2.0 and later). PyTorch 1.13 and earlier computed the
 * last denominator as 1 − P_t·μ_t·μ_(t+1), counting μ_t twice; `legacyMuProduct: true` reproduces
 * that for parity with old runs, and is off by default because it is a bug.
 *
 * @example
 * ```ts
 * const opt = new NAdam({ lr: 0.01 });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(0.5)); // a step of about η against the gradient
 * ```
 */
export class NAdam extends OptimizerBase<NAdamOptions> {
  /** The rules of its options: each one's default and its check (see {@link NAdamOptions}). */
  static readonly optionRules: OptionRules<NAdamOptions> = rules;

  protected override readonly kernel = "nadam";
  private readonly gammaPower = new DecayPower();

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<NAdamOptions>>) {
    super("NAdam", rules, [{ name: "firstMoment" }, { name: "secondMoment", nonNegative: true }, { name: "muProduct", scalar: true, nonNegative: true, initial: () => 1 }], options);
  }

  protected override configure(): void {
    const v = this.values;
    const s = this.scalars;
    const inside = this.options.epsPlacement === "inside";
    s[NADAM_SLOTS.beta] = v[V.beta];
    s[NADAM_SLOTS.gamma] = v[V.gamma];
    s[NADAM_SLOTS.epsInside] = inside ? v[V.eps] : 0;
    s[NADAM_SLOTS.epsOutside] = inside ? 0 : v[V.eps];
  }

  protected override prepare(t: number): void {
    const v = this.values;
    const lr = v[V.lr];
    const beta = v[V.beta];
    power[0] = 0.96;
    power[1] = t * v[V.momentumDecay];
    powAt(power, 0);
    const mu = beta * (1 - 0.5 * power[0]);
    power[0] = 0.96;
    power[1] = (t + 1) * v[V.momentumDecay];
    powAt(power, 0);
    const muNext = beta * (1 - 0.5 * power[0]);
    const product = this.buffers[2][0] * mu; // stored by update, once the step is sure to happen
    const s = this.scalars;
    s[NADAM_SLOTS.product] = product;
    s[NADAM_SLOTS.gradCoefficient] = (lr * (1 - mu)) / (1 - product);
    s[NADAM_SLOTS.momentCoefficient] = (lr * muNext) / (1 - (this.options.legacyMuProduct ? product * mu : product) * muNext);
    this.gammaPower.follow(v, V.gamma, t);
    s[NADAM_SLOTS.invCorrection2] = 1 / (1 - this.gammaPower.numbers[0]);
  }

  protected override commit(): void {
    this.buffers[2][0] = this.scalars[NADAM_SLOTS.product];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    nadamKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1]);
  }
}
