import { LAMB_SLOTS, lambKernel } from "../kernels/lamb.js";
import { DECAY, L2 } from "../kernels/scalars.js";
import { decayRate, epsilon, oneOf, type OptionRules, positive, type Schedulable, type WeightDecayMode } from "../options.js";
import { DecayPower } from "./decay-power.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link LAMB}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * // optax.lamb(learning_rate=1e-3, weight_decay=0.01):
 * const opt = new LAMB({ lr: 1e-3, weightDecay: 0.01 } satisfies Partial<LAMBOptions>);
 * ```
 */
export interface LAMBOptions extends CommonOptions {
  /** η, the learning rate: the step's length relative to ‖θ‖ (the trust ratio makes ‖step‖ = η·‖θ‖). @defaultValue 1e-3 */
  lr: number;
  /** β₁, the decay of the gradient's average m, in [0, 1) (optax's `b1`). @defaultValue 0.9 */
  beta1: number;
  /** β₂, the decay of the squared gradient's average v, in [0, 1) (optax's `b2`). @defaultValue 0.999 */
  beta2: number;
  /** ε, added to √v̂; > 0. @defaultValue `1e-6` (optax's, and the paper's) */
  eps: number;
  /**
   * How λ enters: `"decoupled"`: λ·θ is added to the update r, inside the
   * trust ratio; `"l2"`: λ·θ is added to the gradient before the moments.
   * @defaultValue `"decoupled"` (the paper's)
   */
  weightDecayMode: WeightDecayMode;
}

const rules: OptionRules<LAMBOptions> = {
  lr: positive(1e-3),
  beta1: decayRate(0.9),
  beta2: decayRate(0.999),
  eps: epsilon(1e-6),
  ...commonRules,
  weightDecayMode: oneOf<WeightDecayMode>("decoupled", ["l2", "decoupled"]),
};
const V = optionIndex(rules);

/**
 * LAMB, layer-wise adaptive moments for large batches (You et al. 2019, "Large Batch Optimization
 * for Deep Learning: Training BERT in 76 minutes", Algorithm 2; optax's `lamb`, whose conventions it
 * follows): Adam's update, rescaled so that its length is η·‖θ‖₂ — each vector the optimizer steps
 * moves by the same fraction of its own norm, whatever its gradient's scale.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, β₁ = `beta1`,
 * β₂ = `beta2`, ε = `eps`, λ = `weightDecay` (mode `"decoupled"`), m = the `firstMoment` buffer,
 * v = the `secondMoment` buffer, t = {@link LAMB.stepCount} before the step.
 *
 * ```math
 * \begin{aligned}
 * m_{t+1} &= \beta_1 m_t + (1-\beta_1)\,\hat g, \qquad v_{t+1} = \beta_2 v_t + (1-\beta_2)\,\hat g^2, \qquad m_0 = v_0 = 0\\
 * r &= \frac{m_{t+1} / (1-\beta_1^{t+1})}{\sqrt{v_{t+1} / (1-\beta_2^{t+1})} + \varepsilon} + \lambda\,\theta_t\\
 * \text{ratio} &= \frac{\lVert\theta_t\rVert_2}{\lVert r\rVert_2} \text{ if both norms are } > 0, \text{ else } 1\\
 * \theta_{t+1} &= \theta_t - \eta\cdot\text{ratio}\cdot r
 * \end{aligned}
 * ```
 *
 * The norms are over the vector it steps: on a flat vector the whole vector; stepped by a
 * {@link TreeOptimizer} (`tree(new LAMB(…))`), each leaf has an optimizer of its own, so the ratio is
 * per leaf — per layer, as the paper intends. Both norms are exact where Σ x² would overflow or
 * underflow, and are summed in one order on both backends, so the two agree bit for bit.
 *
 * Conventions (the paper leaves them open): φ, the paper's scaling of ‖θ‖, is the identity; the
 * ratio is 1 where ‖θ‖ = 0 or ‖r‖ = 0 (optax's `scale_by_trust_ratio`; a freshly zeroed layer then
 * moves by η·r, as Adam would); the bias corrections are applied (Algorithm 2 has them). timm's
 * `Lamb` differs: it clips the whole gradient to global norm 1 first (`max_grad_norm`), and by
 * default applies the ratio only to tensors with weight decay; NVIDIA's apex `FusedLAMB` clips to a
 * global norm too. Those are `chain`/`tree` options here (`clipByGlobalNorm`, groups).
 *
 * State: `firstMoment` (m), `secondMoment` (v). Defaults: `lr` 1e-3, `beta1` 0.9, `beta2` 0.999,
 * `eps` 1e-6, `weightDecay` 0 in mode `"decoupled"` — optax's `lamb`.
 *
 * @example
 * ```ts
 * const opt = new LAMB({ lr: 0.1 });
 * const theta = Float64Array.of(3, 4); // ‖θ‖ = 5
 * // First step: r = ĝ/(|ĝ| + ε) ≈ [1, −1], ratio = 5/√2: the step has length η·‖θ‖ = 0.5.
 * opt.step(theta, Float64Array.of(10, -0.01)); // theta ≈ [3 − 0.3536, 4 + 0.3536]
 * ```
 */
export class LAMB extends OptimizerBase<LAMBOptions> {
  /** The rules of its options: each one's default and its check (see {@link LAMBOptions}). */
  static readonly optionRules: OptionRules<LAMBOptions> = rules;

  protected override readonly kernel = "lamb";
  override readonly stepNumbersFromOptions = true;
  private readonly beta1Power = new DecayPower();
  private readonly beta2Power = new DecayPower();

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<LAMBOptions>>) {
    super("LAMB", rules, [{ name: "firstMoment" }, { name: "secondMoment", nonNegative: true }], options);
  }

  protected override configure(): void {
    const v = this.values;
    const s = this.scalars;
    s[LAMB_SLOTS.lr] = v[V.lr];
    s[LAMB_SLOTS.beta] = v[V.beta1];
    s[LAMB_SLOTS.gamma] = v[V.beta2];
    s[LAMB_SLOTS.eps] = v[V.eps];
    // Decoupled: λ·θ joins the update inside the trust ratio (the paper's), not θ's factor d.
    const decoupled = this.options.weightDecayMode === "decoupled";
    s[LAMB_SLOTS.weightDecay] = decoupled ? v[V.weightDecay] : 0;
    if (decoupled) s[DECAY] = 1;
    else s[L2] = v[V.weightDecay];
  }

  protected override prepare(t: number): void {
    const v = this.values;
    this.beta1Power.follow(v, V.beta1, t);
    this.beta2Power.follow(v, V.beta2, t);
    this.scalars[LAMB_SLOTS.invCorrection1] = 1 / (1 - this.beta1Power.numbers[0]);
    this.scalars[LAMB_SLOTS.invCorrection2] = 1 / (1 - this.beta2Power.numbers[0]);
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    lambKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1]);
  }
}
