import { adaGradKernel } from "../kernels/adagrad.js";
import { type EpsPlacement, epsilon, epsPlacementRule, nonFiniteRule, type OptionRules, positive } from "../options.js";
import { type CommonOptions, OptimizerBase } from "./optimizer-base.js";

/**
 * Options of {@link AdaGrad}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * const lecture = new AdaGrad({ lr: 0.1, eps: 1e-8, epsPlacement: "inside" } satisfies Partial<AdaGradOptions>);
 * ```
 */
export interface AdaGradOptions extends CommonOptions {
  /** η, the learning rate. Default 1e-2 (PyTorch). */
  lr: number;
  /** ε, which keeps the denominator away from zero; > 0. Default 1e-10 (PyTorch). */
  eps: number;
  /** `"outside"` (default, PyTorch): g / (√G + ε). `"inside"` (the lecture): g / √(G + ε). */
  epsPlacement: EpsPlacement;
}

const rules: OptionRules<AdaGradOptions> = {
  lr: positive(1e-2),
  eps: epsilon(1e-10),
  epsPlacement: epsPlacementRule,
  nonFinite: nonFiniteRule,
};

/**
 * AdaGrad (SPEC §10): each coordinate's rate is divided by the root of the sum of its squared
 * gradients, so the effective learning rate of each coordinate only shrinks.
 *
 * Notation: θ = `params`, g = `grad`, η = `lr`, ε = `eps`, G = the `sumOfSquares` buffer.
 *
 * ```text
 * G_(t+1) = G_t + g²                              G_0 = 0
 * θ_(t+1) = θ_t − η·g / (√G_(t+1) + ε)            (epsPlacement "outside", default, PyTorch)
 * θ_(t+1) = θ_t − η·g / √(G_(t+1) + ε)            (epsPlacement "inside", the lecture)
 * ```
 *
 * State: `sumOfSquares` (G). Defaults: `lr` 1e-2, `eps` 1e-10, `epsPlacement` "outside" — PyTorch's
 * `Adagrad` with `lr_decay` 0 and `initial_accumulator_value` 0.
 *
 * The lecture's exact form: `new AdaGrad({ lr, eps, epsPlacement: "inside" })`.
 *
 * @example
 * ```ts
 * const opt = new AdaGrad({ lr: 0.1, eps: 1e-8, epsPlacement: "inside" });
 * const theta = Float64Array.of(1);
 * opt.step(theta, Float64Array.of(3)); // G = 9,  θ = 1 − 0.1·3/√(9 + 1e-8) ≈ 0.9
 * opt.step(theta, Float64Array.of(4)); // G = 25, θ ≈ 0.9 − 0.1·4/5 = 0.82
 * ```
 */
export class AdaGrad extends OptimizerBase<AdaGradOptions> {
  constructor(options?: Partial<AdaGradOptions>) {
    super("AdaGrad", rules, ["sumOfSquares"], options);
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    const { lr, eps, epsPlacement } = this.options;
    adaGradKernel(params, grad, this.buffers[0], lr, eps, epsPlacement === "inside");
  }
}
