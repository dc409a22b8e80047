import { RMSPROP_SLOTS, rmspropKernel } from "../kernels/rmsprop.js";
import { decayRate, type EpsPlacement, epsilon, epsPlacementRule, flag, nonNegative, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex, valueRange } from "./optimizer-base.js";

/**
 * Options of {@link RMSProp}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const lecture = new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-8, epsPlacement: "inside" } satisfies Partial<RMSPropOptions>);
 * ```
 */
export interface RMSPropOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue `1e-2` (PyTorch) */
  lr: number;
  /** ρ, the decay of the squared-gradient average, in [0, 1) (PyTorch's `alpha`). @defaultValue 0.99 */
  rho: number;
  /** ε, which keeps the denominator away from zero; > 0. @defaultValue 1e-8 */
  eps: number;
  /** `"outside"`: ĝ / (√E + ε). `"inside"` (the lecture): ĝ / √(E + ε). @defaultValue `"outside"` (PyTorch) */
  epsPlacement: EpsPlacement;
  /** Divide by the root of the gradient's *variance* E[ĝ²] − E[ĝ]² instead of E[ĝ²]. @defaultValue false */
  centered: boolean;
  /** μ, momentum on the scaled step, ≥ 0 (PyTorch's `momentum`; η stays outside the buffer). @defaultValue 0 */
  momentum: number;
}

const rules: OptionRules<RMSPropOptions> = {
  lr: positive(1e-2),
  rho: decayRate(0.99),
  eps: epsilon(1e-8),
  epsPlacement: epsPlacementRule,
  centered: flag(false),
  momentum: nonNegative(0),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * RMSProp (the lecture, §11): AdaGrad with a decaying average of squared gradients instead of a sum, so
 * the effective rate can grow again when gradients shrink.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, ρ = `rho`,
 * ε = `eps`, μ = `momentum`; buffers E = `meanSquare`, ḡ = `gradAverage`, B = `momentumBuffer`.
 *
 * ```math
 * \begin{aligned}
 * E_{t+1} &= \rho E_t + (1-\rho)\,\hat g^2, \qquad E_0 = 0\\
 * \bar g_{t+1} &= \rho \bar g_t + (1-\rho)\,\hat g \quad \text{(centered only; } \bar g_0 = 0\text{)}\\
 * \sigma^2 &= \max(E_{t+1} - \bar g_{t+1}^2,\ 0) \text{ if centered, else } E_{t+1}\\
 * D &= \sqrt{\sigma^2} + \varepsilon \quad \text{("outside", default, PyTorch)} \quad\text{or}\quad \sqrt{\sigma^2 + \varepsilon} \quad \text{("inside", the lecture)}\\
 * B_{t+1} &= \mu B_t + \hat g / D, \quad \theta_{t+1} = \theta_t - \eta B_{t+1} \quad (\mu > 0); \qquad \theta_{t+1} = \theta_t - \eta\,\hat g / D \quad (\mu = 0)
 * \end{aligned}
 * ```
 *
 * State: `meanSquare` (E), plus `gradAverage` (ḡ) when centered and `momentumBuffer` (B) when μ > 0.
 * Defaults: `lr` 1e-2, `rho` 0.99, `eps` 1e-8, `epsPlacement` "outside", not centered, no momentum
 * — PyTorch's `RMSprop` (which names ρ `alpha`). TensorFlow.js differs: it puts ε inside the root
 * and η inside the momentum buffer, and its centered form subtracts ε under the root; gradstep's
 * centered σ² is never below 0 (rounding can make E − ḡ² a tiny negative number; it is clamped).
 *
 * The lecture's exact form: `new RMSProp({ lr, rho, eps, epsPlacement: "inside" })`, or `lecture.RMSProp`.
 *
 * @example
 * ```ts
 * const opt = new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-8, epsPlacement: "inside" });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(2)); // E = 0.1·4 = 0.4, θ = 1 − 0.01·2/√0.40000001 ≈ 0.968377
 * ```
 */
export class RMSProp extends OptimizerBase<RMSPropOptions> {
  /** The rules of its options: each one's default and its check (see {@link RMSPropOptions}). */
  static readonly optionRules: OptionRules<RMSPropOptions> = rules;

  protected override readonly kernel = "rmsprop";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<RMSPropOptions>>) {
    super(
      "RMSProp",
      rules,
      [{ name: "meanSquare", nonNegative: true }, { name: "gradAverage", needed: (o) => o.centered }, { name: "momentumBuffer", needed: (o) => valueRange(o.momentum)[1] > 0 }],
      options,
    );
  }

  protected override configure(): void {
    const v = this.values;
    const s = this.scalars;
    const inside = this.options.epsPlacement === "inside";
    s[RMSPROP_SLOTS.lr] = v[V.lr];
    s[RMSPROP_SLOTS.rho] = v[V.rho];
    s[RMSPROP_SLOTS.epsInside] = inside ? v[V.eps] : 0;
    s[RMSPROP_SLOTS.epsOutside] = inside ? 0 : v[V.eps];
    s[RMSPROP_SLOTS.centered] = this.options.centered ? 1 : 0;
    s[RMSPROP_SLOTS.momentum] = v[V.momentum];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    rmspropKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1], this.buffers[2]);
  }
}
