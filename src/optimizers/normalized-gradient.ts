import { NORMALIZED_GRADIENT_SLOTS, normalizedGradientKernel } from "../kernels/normalized-gradient.js";
import { epsilon, type OptionRules, positive, type Schedulable } from "../options.js";
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
  /** η, the step length of every coordinate. Default 1e-3. */
  lr: number;
  /** ε, which keeps a zero gradient from dividing by zero; > 0. Default 1e-8. */
  eps: number;
}

const rules: OptionRules<NormalizedGradientOptions> = { lr: positive(1e-3), eps: epsilon(1e-8), ...commonRules };
const V = optionIndex(rules);

/**
 * Gradient normalization (SPEC §9, UDL eqs. 6.13–6.14): each coordinate moves by η against the
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
 * State: none (m and v are this step's g and g²). Defaults: `lr` 1e-3, `eps` 1e-8.
 *
 * @example
 * ```ts
 * const opt = new NormalizedGradient({ lr: 0.1, eps: 1e-8 });
 * const theta = Float64Array.of(0, 0);
 * opt.step(theta, Float64Array.of(250, -0.003)); // theta ≈ [-0.1, 0.1]
 * ```
 */
export class NormalizedGradient extends OptimizerBase<NormalizedGradientOptions> {
  protected override readonly kernel = "normalized_gradient";

  constructor(options?: Partial<Schedulable<NormalizedGradientOptions>>) {
    super("NormalizedGradient", rules, [], options);
  }

  protected override configure(): void {
    this.scalars[NORMALIZED_GRADIENT_SLOTS.lr] = this.values[V.lr];
    this.scalars[NORMALIZED_GRADIENT_SLOTS.eps] = this.values[V.eps];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    normalizedGradientKernel(params, grad, this.scalars);
  }
}
