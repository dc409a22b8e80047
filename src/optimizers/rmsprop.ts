import { rmsPropKernel } from "../kernels/rmsprop.js";
import { decayRate, type EpsPlacement, epsilon, epsPlacementRule, nonFiniteRule, type OptionRules, positive } from "../options.js";
import { type CommonOptions, OptimizerBase } from "./optimizer-base.js";

/**
 * Options of {@link RMSProp}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const lecture = new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-8, epsPlacement: "inside" } satisfies Partial<RMSPropOptions>);
 * ```
 */
export interface RMSPropOptions extends CommonOptions {
  /** η, the learning rate. Default 1e-2 (PyTorch). */
  lr: number;
  /** ρ, the decay of the squared-gradient average, in [0, 1) (PyTorch's `alpha`). Default 0.99. */
  rho: number;
  /** ε, which keeps the denominator away from zero; > 0. Default 1e-8. */
  eps: number;
  /** `"outside"` (default, PyTorch): g / (√E + ε). `"inside"` (the lecture): g / √(E + ε). */
  epsPlacement: EpsPlacement;
}

const rules: OptionRules<RMSPropOptions> = {
  lr: positive(1e-2),
  rho: decayRate(0.99),
  eps: epsilon(1e-8),
  epsPlacement: epsPlacementRule,
  nonFinite: nonFiniteRule,
};

/**
 * RMSProp (SPEC §11): AdaGrad with a decaying average of squared gradients instead of a sum, so
 * the effective rate can grow again when gradients shrink.
 *
 * Notation: θ = `params`, g = `grad`, η = `lr`, ρ = `rho`, ε = `eps`, E[g²] = the `meanSquare` buffer.
 *
 * ```text
 * E[g²]_(t+1) = ρ·E[g²]_t + (1 − ρ)·g²                 E[g²]_0 = 0
 * θ_(t+1)     = θ_t − η·g / (√E[g²]_(t+1) + ε)         (epsPlacement "outside", default, PyTorch)
 * θ_(t+1)     = θ_t − η·g / √(E[g²]_(t+1) + ε)         (epsPlacement "inside", the lecture)
 * ```
 *
 * State: `meanSquare` (E[g²]). Defaults: `lr` 1e-2, `rho` 0.99, `eps` 1e-8, `epsPlacement`
 * "outside" — PyTorch's `RMSprop` without momentum or centering (PyTorch names ρ `alpha`).
 *
 * The lecture's exact form: `new RMSProp({ lr, rho, eps, epsPlacement: "inside" })`.
 *
 * @example
 * ```ts
 * const opt = new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-8, epsPlacement: "inside" });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(2)); // E = 0.1·4 = 0.4, θ = 1 − 0.01·2/√0.40000001 ≈ 0.968377
 * ```
 */
export class RMSProp extends OptimizerBase<RMSPropOptions> {
  constructor(options?: Partial<RMSPropOptions>) {
    super("RMSProp", rules, ["meanSquare"], options);
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    const { lr, rho, eps, epsPlacement } = this.options;
    rmsPropKernel(params, grad, this.buffers[0], lr, rho, eps, epsPlacement === "inside");
  }
}
