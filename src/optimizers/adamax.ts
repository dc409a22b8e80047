import { ADAMAX_SLOTS, adamaxKernel } from "../kernels/adamax.js";
import { decayRate, epsilon, type OptionRules, positive, type Schedulable } from "../options.js";
import { DecayPower } from "./decay-power.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link Adamax}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new Adamax({ lr: 0.002, beta: 0.9, gamma: 0.999 } satisfies Partial<AdamaxOptions>);
 * ```
 */
export interface AdamaxOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue `2e-3` (PyTorch) */
  lr: number;
  /** β, the decay of the gradient's average m, in [0, 1) (PyTorch's `betas[0]`). @defaultValue 0.9 */
  beta: number;
  /** γ, the decay of the infinity norm u, in [0, 1) (PyTorch's `betas[1]`). @defaultValue 0.999 */
  gamma: number;
  /** ε, added to |ĝ| so u is never 0; > 0. @defaultValue 1e-8 */
  eps: number;
}

const rules: OptionRules<AdamaxOptions> = {
  lr: positive(2e-3),
  beta: decayRate(0.9),
  gamma: decayRate(0.999),
  eps: epsilon(1e-8),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * Adamax (Kingma & Ba, 2015, §7.1): Adam with the infinity norm in place of the root mean square.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`, β = `beta`,
 * γ = `gamma`, ε = `eps`; buffers m = `firstMoment`, u = `infinityNorm`.
 *
 * ```math
 * m_{t+1} = \beta m_t + (1-\beta)\,\hat g, \qquad u_{t+1} = \max(\gamma u_t,\ |\hat g| + \varepsilon), \qquad \theta_{t+1} = \theta_t - \frac{\eta}{1-\beta^{t+1}}\,\frac{m_{t+1}}{u_{t+1}}
 * ```
 *
 * State: `firstMoment`, `infinityNorm`. Defaults: `lr` 2e-3, `beta` 0.9, `gamma` 0.999, `eps` 1e-8 —
 * PyTorch's `Adamax` (ε added to |ĝ| inside the max, as PyTorch does).
 *
 * @example
 * ```ts
 * const opt = new Adamax({ lr: 0.1 });
 * const theta = Float64Array.of(0);
 * opt.step(theta, Float64Array.of(4)); // m = 0.4, u ≈ 4, θ ≈ −(0.1/0.1)·0.4/4 = −0.1
 * ```
 */
export class Adamax extends OptimizerBase<AdamaxOptions> {
  /** The rules of its options: each one's default and its check (see {@link AdamaxOptions}). */
  static readonly optionRules: OptionRules<AdamaxOptions> = rules;

  protected override readonly kernel = "adamax";
  override readonly stepNumbersFromOptions = true;
  private readonly betaPower = new DecayPower();

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<AdamaxOptions>>) {
    super("Adamax", rules, [{ name: "firstMoment" }, { name: "infinityNorm", nonNegative: true }], options);
  }

  protected override configure(): void {
    this.scalars[ADAMAX_SLOTS.beta] = this.values[V.beta];
    this.scalars[ADAMAX_SLOTS.gamma] = this.values[V.gamma];
    this.scalars[ADAMAX_SLOTS.eps] = this.values[V.eps];
  }

  protected override prepare(t: number): void {
    this.betaPower.follow(this.values, V.beta, t);
    this.scalars[ADAMAX_SLOTS.stepSize] = this.values[V.lr] / (1 - this.betaPower.numbers[0]);
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    adamaxKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1]);
  }
}
