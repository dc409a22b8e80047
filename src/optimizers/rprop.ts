import { RPROP_SLOTS, rpropKernel } from "../kernels/rprop.js";
import { InvalidOptionError } from "../errors.js";
import { nonNegative, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex, valueRange } from "./optimizer-base.js";

/**
 * Options of {@link Rprop}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new Rprop({ lr: 0.01, etaMinus: 0.5, etaPlus: 1.2, stepMin: 1e-6, stepMax: 50 } satisfies Partial<RpropOptions>);
 * ```
 */
export interface RpropOptions extends CommonOptions {
  /** The initial step size of every coordinate. @defaultValue 1e-2 */
  lr: number;
  /** η−, the factor that shrinks a step after a sign change, in (0, 1) (PyTorch's `etas[0]`). @defaultValue 0.5 */
  etaMinus: number;
  /** η+, the factor that grows a step while the sign holds, > 1 (PyTorch's `etas[1]`). @defaultValue 1.2 */
  etaPlus: number;
  /** Δ_min, the smallest step size, ≥ 0 (PyTorch's `step_sizes[0]`). @defaultValue 1e-6 */
  stepMin: number;
  /** Δ_max, the largest step size, ≥ Δ_min (PyTorch's `step_sizes[1]`). @defaultValue 50 */
  stepMax: number;
}

const rules: OptionRules<RpropOptions> = {
  lr: positive(1e-2, false), // the initial step sizes, so it cannot follow a schedule
  etaMinus: positive(0.5),
  etaPlus: positive(1.2),
  stepMin: nonNegative(1e-6),
  stepMax: positive(50),
  ...commonRules,
};
const V = optionIndex(rules);

function checkRprop(o: Readonly<Schedulable<RpropOptions>>): void {
  if (!(valueRange(o.etaMinus)[1] < 1)) throw new InvalidOptionError("etaMinus", o.etaMinus, "a number in (0, 1)");
  if (!(valueRange(o.etaPlus)[0] > 1)) throw new InvalidOptionError("etaPlus", o.etaPlus, "a number > 1");
  if (!(valueRange(o.stepMin)[1] <= valueRange(o.stepMax)[0])) {
    throw new InvalidOptionError("stepMax", o.stepMax, `a number ≥ stepMin (${JSON.stringify(o.stepMin)}) at every step`);
  }
}

/**
 * Rprop (Riedmiller & Braun, 1993): each coordinate keeps its own step size, grown while the
 * gradient's sign holds and shrunk when it flips; only the sign of the gradient is used.
 *
 * Notation: θ = `params`, ĝ = the gradient (after the {@link CommonOptions}); buffers
 * ĝ_prev = `previousGrad` (0 at first), Δ = `stepSizes` (`lr` at first).
 *
 * ```math
 * \begin{aligned}
 * \hat g\, \hat g_{\text{prev}} > 0 &: \quad \Delta \leftarrow \min(\Delta\,\eta^+,\ \Delta_{\max})\\
 * \hat g\, \hat g_{\text{prev}} < 0 &: \quad \Delta \leftarrow \max(\Delta\,\eta^-,\ \Delta_{\min}), \quad \hat g \leftarrow 0 \quad \text{(no step now, and no sign change seen next time)}\\
 * \hat g\, \hat g_{\text{prev}} = 0 &: \quad \Delta \text{ unchanged}\\
 * \theta_{t+1} &= \theta_t - \operatorname{sign}(\hat g)\,\Delta, \qquad \hat g_{\text{prev}} \leftarrow \hat g
 * \end{aligned}
 * ```
 *
 * This is PyTorch's `Rprop` (the variant without weight backtracking). The step uses this step's
 * gradient; optax's `rprop` applies the previous step's update, a known bug gradstep does not copy.
 * Defaults: `lr` 1e-2, `etaMinus` 0.5, `etaPlus` 1.2, `stepMin` 1e-6, `stepMax` 50.
 *
 * @example
 * ```ts
 * const opt = new Rprop({ lr: 0.1 });
 * const theta = Float64Array.of(0);
 * opt.step(theta, Float64Array.of(3));  // θ = −0.1
 * opt.step(theta, Float64Array.of(5));  // same sign: Δ = 0.12, θ = −0.22
 * opt.step(theta, Float64Array.of(-1)); // flipped: Δ = 0.06, no step, θ = −0.22
 * ```
 */
export class Rprop extends OptimizerBase<RpropOptions> {
  /** The rules of its options: each one's default and its check (see {@link RpropOptions}). */
  static readonly optionRules: OptionRules<RpropOptions> = rules;

  protected override readonly kernel = "rprop";
  override readonly stepNumbersFromOptions = true;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<RpropOptions>>) {
    super("Rprop", rules, [{ name: "previousGrad" }, { name: "stepSizes", nonNegative: true, initial: (o) => o.lr as number }], options, checkRprop);
  }

  protected override configure(): void {
    const v = this.values;
    const s = this.scalars;
    s[RPROP_SLOTS.etaMinus] = v[V.etaMinus];
    s[RPROP_SLOTS.etaPlus] = v[V.etaPlus];
    s[RPROP_SLOTS.stepMin] = v[V.stepMin];
    s[RPROP_SLOTS.stepMax] = v[V.stepMax];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    rpropKernel(params, grad, this.scalars, this.buffers[0], this.buffers[1]);
  }
}
