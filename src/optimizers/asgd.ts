import { ASGD_SLOTS, asgdKernel } from "../kernels/asgd.js";
import { powAt } from "../math/pow.js";
import { nonNegative, type OptionRules, positive, type Schedulable } from "../options.js";
import { scheduleValue } from "../schedules/schedule-value.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/** x, y, then x^y after powAt (the port), read and written inline: no double crosses a call, which V8 would box where it does not inline. */
const power = new Float64Array(2);

/**
 * Options of {@link ASGD}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * // PyTorch's ASGD(lr=0.05, t0=100): average the iterates from step 102 on
 * const opt = new ASGD({ lr: 0.05, t0: 100 } satisfies Partial<ASGDOptions>);
 * ```
 */
export interface ASGDOptions extends CommonOptions {
  /** η₀, the initial step size (η of the first step). @defaultValue 1e-2 */
  lr: number;
  /** λ, the decay of the step size and of θ (PyTorch's `lambd`), ≥ 0. @defaultValue 1e-4 */
  lambd: number;
  /** α, the power of the step size's decay, ≥ 0 (0: a constant step size). @defaultValue 0.75 */
  alpha: number;
  /** t₀, the step after which averaging starts, ≥ 0; not schedulable. @defaultValue 1e6 */
  t0: number;
}

const rules: OptionRules<ASGDOptions> = {
  lr: positive(1e-2),
  lambd: nonNegative(1e-4),
  alpha: nonNegative(0.75, false),
  t0: nonNegative(1e6, false),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * Averaged stochastic gradient descent (Polyak & Juditsky, 1992), exactly as PyTorch's
 * `torch.optim.ASGD`: SGD with a slowly decaying step size η_t that also shrinks θ, plus a running
 * average ā of the iterates from step t₀ + 2 on — the average is the point of the method:
 * evaluate and deploy {@link ASGD.averagedParams}, not `params`.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η₀ = `lr`,
 * λ = `lambd`, α = `alpha`, t₀ = `t0`; state ā = the `average` buffer (PyTorch's `ax`), and η_t,
 * μ_t (the `eta` and `mu` buffers, one number each). Steps are counted from t = 1; η_t and μ_t are
 * those computed at the end of step t − 1, as PyTorch keeps them.
 *
 * ```math
 * \begin{aligned}
 * \eta_1 &= \eta_0, \qquad \eta_{t+1} = \frac{\eta_0}{(1 + \lambda\,\eta_0\, t)^{\alpha}}, \qquad
 * \mu_1 = 1, \qquad \mu_{t+1} = \frac{1}{\max(1,\ t - t_0)}\\
 * \theta_t &= (1 - \lambda\,\eta_t)\,\theta_{t-1} - \eta_t\,\hat g\\
 * \bar a_t &= \bar a_{t-1} + \mu_t\,(\theta_t - \bar a_{t-1}) \quad (\mu_t \ne 1), \qquad \bar a_t = \theta_t \quad (\mu_t = 1)
 * \end{aligned}
 * ```
 *
 * So ā is θ itself up to step ⌊t₀⌋ + 2 and from then on the plain mean of θ_k over
 * k = ⌊t₀⌋ + 2, …, t (for a whole t₀); with the default t₀ = 1e6 it is θ for the first million
 * steps. PyTorch starts `ax` at zeros, but the first step has μ = 1 and copies θ into it.
 *
 * `weightDecay` in mode "l2" (the default, PyTorch's `weight_decay`) adds λ_L2·θ to ĝ. In mode
 * "decoupled" θ is also multiplied by 1 − η₀·λ_L2 (with `lr`, as in every optimizer, not η_t);
 * PyTorch has no such mode: its own decoupled shrink is the 1 − λ·η_t above.
 *
 * State: `average` (ā), `eta` and `mu`, all in snapshots. Defaults: `lr` 1e-2, `lambd` 1e-4,
 * `alpha` 0.75, `t0` 1e6 — PyTorch's `ASGD`. A scheduled `lr` or `lambd` acts as it does under a
 * PyTorch scheduler: η of the first step is the first `lr`, and each step's value of `lr` and
 * `lambd` sets the η of the step after it.
 *
 * @example
 * ```ts
 * const opt = new ASGD({ lr: 0.1, lambd: 0, t0: 0 });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(1)); // θ = 0.9, ā = θ (μ = 1)
 * opt.step(theta, Float64Array.of(1)); // θ = 0.8, ā = θ (μ = 1/max(1, 1 − 0) = 1)
 * opt.step(theta, Float64Array.of(1)); // θ ≈ 0.7, μ = 1/2: ā = (0.8 + 0.7)/2 = 0.75
 * opt.averagedParams(); // Float64Array [0.75]
 * ```
 */
export class ASGD extends OptimizerBase<ASGDOptions> {
  /** The rules of its options: each one's default and its check (see {@link ASGDOptions}). */
  static readonly optionRules: OptionRules<ASGDOptions> = rules;

  protected override readonly kernel = "asgd";

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<ASGDOptions>>) {
    super(
      "ASGD",
      rules,
      [
        { name: "average" },
        { name: "eta", scalar: true, nonNegative: true, initial: (o) => (typeof o.lr === "number" ? o.lr : scheduleValue(o.lr, 0)) },
        { name: "mu", scalar: true, nonNegative: true, initial: () => 1 },
      ],
      options,
    );
  }

  /**
   * A copy of the averaged parameters ā (PyTorch's `state["ax"]`), what ASGD is for: use them
   * instead of `params` to evaluate or deploy the model. `undefined` before the first step.
   *
   * @example
   * ```ts
   * const opt = new ASGD({ lr: 0.05, t0: 100 });
   * const theta = Float64Array.of(2);
   * for (let t = 0; t < 1000; t++) opt.step(theta, Float64Array.of(theta[0] - 1 + Math.sin(t)));
   * const averaged = opt.averagedParams()!; // closer to 1 than theta is
   * ```
   *
   * @throws {@link DisposedError} after `dispose()`.
   */
  averagedParams(): Float64Array | undefined {
    this.assertLive();
    return this.size === undefined ? undefined : Float64Array.from(this.buffers[0]);
  }

  protected override prepare(t: number): void {
    const v = this.values;
    const s = this.scalars;
    const lr = v[V.lr];
    const lambd = v[V.lambd];
    const eta = this.buffers[1][0];
    s[ASGD_SLOTS.eta] = eta;
    s[ASGD_SLOTS.shrink] = 1 - lambd * eta;
    s[ASGD_SLOTS.mu] = this.buffers[2][0];
    // PyTorch, at the end of step t: new_eta = lr / ((1 + lambd * lr * step) ** alpha), new_mu = 1 / max(1, step - t0)
    power[0] = 1 + lambd * lr * t;
    power[1] = v[V.alpha];
    powAt(power, 0);
    s[ASGD_SLOTS.nextEta] = lr / power[0];
    s[ASGD_SLOTS.nextMu] = 1 / Math.max(1, t - v[V.t0]);
  }

  protected override commit(): void {
    this.buffers[1][0] = this.scalars[ASGD_SLOTS.nextEta];
    this.buffers[2][0] = this.scalars[ASGD_SLOTS.nextMu];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    asgdKernel(params, grad, this.scalars, this.buffers[0]);
  }
}
