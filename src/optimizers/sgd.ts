import { SGD_SLOTS, sgdKernel } from "../kernels/sgd.js";
import { InvalidOptionError } from "../errors.js";
import { flag, nonNegative, type OptionRules, positive, unitInterval, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex, valueRange } from "./optimizer-base.js";

/**
 * Options of {@link SGD}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new SGD({ lr: 0.1, momentum: 0.9, nesterov: true } satisfies Partial<SGDOptions>);
 * ```
 */
export interface SGDOptions extends CommonOptions {
  /** η, the learning rate. @defaultValue 1e-3 */
  lr: number;
  /** μ, the heavy-ball momentum, ≥ 0. @defaultValue `0` (plain gradient descent) */
  momentum: number;
  /** How much of each new gradient the buffer leaves out, in [0, 1]. @defaultValue 0 */
  dampening: number;
  /** Nesterov momentum in PyTorch's reformulated form; needs momentum > 0 and dampening 0. @defaultValue false */
  nesterov: boolean;
}

const rules: OptionRules<SGDOptions> = {
  lr: positive(1e-3),
  momentum: nonNegative(0),
  dampening: unitInterval(0),
  nesterov: flag(false),
  ...commonRules,
};
const V = optionIndex(rules);

function checkNesterov(o: Readonly<Schedulable<SGDOptions>>): void {
  if (!o.nesterov) return;
  if (!(valueRange(o.momentum)[0] > 0)) throw new InvalidOptionError("momentum", o.momentum, "a number > 0 (at every step) when nesterov is true");
  if (valueRange(o.dampening)[1] !== 0) throw new InvalidOptionError("dampening", o.dampening, "0 when nesterov is true");
}

/**
 * Stochastic gradient descent with heavy-ball momentum, exactly as PyTorch's `torch.optim.SGD`.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}), η = `lr`,
 * μ = `momentum`, τ = `dampening`, B = the `momentumBuffer` buffer.
 *
 * ```math
 * \begin{aligned}
 * B_1 &= \hat g \quad \text{(the first step takes the gradient as it is)}, \qquad B_{t+1} = \mu B_t + (1-\tau)\,\hat g\\
 * \theta_{t+1} &= \theta_t - \eta\,(\hat g + \mu B_{t+1}) \quad \text{(nesterov)}, \qquad \theta_{t+1} = \theta_t - \eta\, B_{t+1} \quad \text{(otherwise; with } \mu = 0\text{, } \theta_t - \eta\hat g\text{)}
 * \end{aligned}
 * ```
 *
 * Compared with the lecture: {@link Momentum} averages, V ← β·V + (1 − β)·g, so its velocity is
 * (1 − β) times smaller and it needs no first-step rule; {@link Nesterov} evaluates the gradient at a
 * look-ahead point, while `nesterov: true` here uses PyTorch's reformulation with the gradient at θ.
 *
 * State: `momentumBuffer` (B), only when μ > 0. Defaults: `lr` 1e-3, `momentum` 0, `dampening` 0,
 * `nesterov` false. Checks as PyTorch: Nesterov needs μ > 0 and τ = 0.
 *
 * @example
 * ```ts
 * const opt = new SGD({ lr: 0.1, momentum: 0.9 });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(1)); // B = 1,            θ = 1 − 0.1 = 0.9
 * opt.step(theta, Float64Array.of(1)); // B = 0.9 + 1 = 1.9, θ = 0.9 − 0.19 = 0.71
 * ```
 */
export class SGD extends OptimizerBase<SGDOptions> {
  /** The rules of its options: each one's default and its check (see {@link SGDOptions}). */
  static readonly optionRules: OptionRules<SGDOptions> = rules;

  protected override readonly kernel = "sgd";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<SGDOptions>>) {
    super("SGD", rules, [{ name: "momentumBuffer", needed: (o) => valueRange(o.momentum)[1] > 0 }], options, checkNesterov);
  }

  protected override configure(): void {
    const v = this.values;
    const s = this.scalars;
    s[SGD_SLOTS.lr] = v[V.lr];
    s[SGD_SLOTS.momentum] = v[V.momentum];
    s[SGD_SLOTS.dampening] = v[V.dampening];
    s[SGD_SLOTS.nesterov] = this.options.nesterov ? 1 : 0;
  }

  protected override prepare(t: number): void {
    this.scalars[SGD_SLOTS.firstStep] = t === 1 ? 1 : 0;
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    sgdKernel(params, grad, this.scalars, this.buffers[0]);
  }
}
