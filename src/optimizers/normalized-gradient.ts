import type { KernelName } from "../backends/wasm/kernels-binary.js";
import {
  NORMALIZED_GRADIENT_GLOBAL_SLOTS,
  NORMALIZED_GRADIENT_SLOTS,
  normalizedGradientGlobalKernel,
  normalizedGradientKernel,
} from "../kernels/normalized-gradient.js";
import { epsilon, oneOf, type OptionRules, positive, type Schedulable } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/**
 * Options of {@link NormalizedGradient}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const opt = new NormalizedGradient({ lr: 0.08, eps: 1e-20 } satisfies Partial<NormalizedGradientOptions>);
 * ```
 */
export interface NormalizedGradientOptions extends CommonOptions {
  /** η, the step length of every coordinate. @defaultValue 1e-3 */
  lr: number;
  /** ε, which keeps a zero gradient from dividing by zero; > 0. @defaultValue 1e-8 */
  eps: number;
  /**
   * `"coordinate"`: each coordinate is divided by its own |g|.
   * `"global"`: the whole gradient is divided by its Euclidean norm ‖g‖₂, so the step has length η.
   * @defaultValue `"coordinate"` (the lecture's)
   */
  norm: "coordinate" | "global";
}

const rules: OptionRules<NormalizedGradientOptions> = {
  lr: positive(1e-3),
  eps: epsilon(1e-8),
  norm: oneOf<"coordinate" | "global">("coordinate", ["coordinate", "global"]),
  ...commonRules,
};
const V = optionIndex(rules);

/**
 * Gradient normalization (the lecture, §9; UDL eqs. 6.13–6.14): each coordinate moves by η against the
 * sign of its gradient, whatever the gradient's size.
 *
 * Notation: θ = `params`, g = `grad`, η = `lr`, ε = `eps`.
 *
 * ```math
 * m_{t+1} = g, \qquad v_{t+1} = g^2, \qquad \theta_{t+1} = \theta_t - \eta\,\frac{m_{t+1}}{\sqrt{v_{t+1}} + \varepsilon} \quad (\sqrt{g^2} \text{ computed as } |g|)
 * ```
 *
 * Each coordinate moves by η·|g|/(|g| + ε), that is ±η up to ε; a zero gradient does not move it.
 * With a constant η it does not settle at the minimum: it ends up bouncing around it.
 *
 * With `norm: "global"`, normalized gradient descent in its classical form: the whole step has
 * length η (up to ε) and the direction of −g,
 *
 * ```math
 * \theta_{t+1} = \theta_t - \eta\,\frac{g}{\lVert g \rVert_2 + \varepsilon}
 * ```
 *
 * with ‖g‖₂ exact where Σ g² would overflow or underflow. Its sum of squares has one order on both backends (see the backends guide), so the
 * two agree bit for bit.
 *
 * State: none (m and v are this step's g and g²). Defaults: `lr` 1e-3, `eps` 1e-8, `norm` "coordinate".
 *
 * @example
 * ```ts
 * const opt = new NormalizedGradient({ lr: 0.1, eps: 1e-8 });
 * const theta = Float64Array.of(0, 0);
 * opt.step(theta, Float64Array.of(250, -0.003)); // theta ≈ [-0.1, 0.1]
 * const global = new NormalizedGradient({ lr: 0.5, norm: "global" });
 * global.step(theta, Float64Array.of(3, 4)); // ‖g‖ = 5: theta ≈ [-0.1 − 0.3, 0.1 − 0.4]
 * ```
 */
export class NormalizedGradient extends OptimizerBase<NormalizedGradientOptions> {
  /** The rules of its options: each one's default and its check (see {@link NormalizedGradientOptions}). */
  static readonly optionRules: OptionRules<NormalizedGradientOptions> = rules;

  // Follow `norm`, which set() and restore() may change (configure runs then).
  protected override kernel: KernelName;
  override readonly stepNumbersFromOptions = true;
  private global: boolean;

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<NormalizedGradientOptions>>) {
    super("NormalizedGradient", rules, [], options);
    this.global = this.options.norm === "global";
    this.kernel = this.global ? "normalized_gradient_global" : "normalized_gradient";
  }

  protected override configure(): void {
    // read from the options: the base constructor configures before this constructor's body runs
    this.global = this.options.norm === "global";
    this.kernel = this.global ? "normalized_gradient_global" : "normalized_gradient";
    const slots = this.global ? NORMALIZED_GRADIENT_GLOBAL_SLOTS : NORMALIZED_GRADIENT_SLOTS;
    this.scalars[slots.lr] = this.values[V.lr];
    this.scalars[slots.eps] = this.values[V.eps];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    if (this.global) normalizedGradientGlobalKernel(params, grad, this.scalars);
    else normalizedGradientKernel(params, grad, this.scalars);
  }
}
