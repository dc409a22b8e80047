import { AdaGrad } from "../optimizers/adagrad.js";
import { Adam } from "../optimizers/adam.js";
import { GradientDescent } from "../optimizers/gradient-descent.js";
import { Momentum } from "../optimizers/momentum.js";
import { Nesterov } from "../optimizers/nesterov.js";
import { NormalizedGradient } from "../optimizers/normalized-gradient.js";
import { RMSProp } from "../optimizers/rmsprop.js";
import { translate } from "./translate.js";

/**
 * The lecture's symbols, as options. Each factory of {@link lecture} takes the ones its rule uses.
 *
 * @example
 * ```ts
 * const symbols: LectureSymbols = { lr: 0.01, rho: 0.9, eps: 1e-8 };
 * const opt = lecture.RMSProp(symbols);
 * ```
 */
export interface LectureSymbols {
  /** η, the learning rate. */
  lr?: number;
  /** β: momentum's decay (§7, §8), Adam's first-moment decay (§12). */
  beta?: number;
  /** γ: Adam's second-moment decay (§12). */
  gamma?: number;
  /** ρ: RMSProp's decay (§11). */
  rho?: number;
  /** ε: the stabiliser of §9–§12. */
  eps?: number;
}

function preset<T>(owner: string, symbols: (keyof LectureSymbols)[], fixed: Record<string, unknown>, build: (o: Record<string, unknown>) => T) {
  const keywords = Object.fromEntries(symbols.map((s) => [s, s]));
  return (options?: LectureSymbols): T => translate(`lecture.${owner}`, options, keywords, fixed, [], build);
}

/**
 * The lecture's conventions (§3 and §7–§12 of the guide "The lecture's mathematics"), one factory
 * per rule, taking only the lecture's symbols. Each sets every convention to the lecture's: ε inside
 * the square root for AdaGrad, RMSProp and Adam; Nesterov's gradient at θ − η·V; no weight decay.
 * The result reproduces the lecture's formulas evaluated line by line
 * (`npm run parity -- test/fixtures/lecture.json`).
 *
 * | factory | symbols | conventions set |
 * | --- | --- | --- |
 * | `GradientDescent` | η | — |
 * | `Momentum` | η, β | exponential average V ← β·V + (1 − β)·g |
 * | `Nesterov` | η, β | `lookAhead: "lecture"` |
 * | `NormalizedGradient` | η, ε | — |
 * | `AdaGrad` | η, ε | `epsPlacement: "inside"` |
 * | `RMSProp` | η, ρ, ε | `epsPlacement: "inside"` |
 * | `Adam` | η, β, γ, ε | `epsPlacement: "inside"` |
 *
 * @example
 * ```ts
 * import { lecture } from "gradstep";
 * const opt = lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-8 }); // θ − η·m̃/√(ṽ + ε)
 * ```
 */
export const lecture = {
  /** §3 of the lecture: θ ← θ − η·g. */
  GradientDescent: preset("GradientDescent", ["lr"], {}, (o) => new GradientDescent(o)),
  /** §7 of the lecture: V ← β·V + (1 − β)·g, θ ← θ − η·V. */
  Momentum: preset("Momentum", ["lr", "beta"], {}, (o) => new Momentum(o)),
  /** §8 of the lecture: the gradient at θ − η·V. */
  Nesterov: preset("Nesterov", ["lr", "beta"], { lookAhead: "lecture" }, (o) => new Nesterov(o)),
  /** §9 of the lecture: θ ← θ − η·g / (√(g²) + ε). */
  NormalizedGradient: preset("NormalizedGradient", ["lr", "eps"], {}, (o) => new NormalizedGradient(o)),
  /** §10 of the lecture: θ ← θ − η·g / √(G + ε). */
  AdaGrad: preset("AdaGrad", ["lr", "eps"], { epsPlacement: "inside" }, (o) => new AdaGrad(o)),
  /** §11 of the lecture: θ ← θ − η·g / √(E[g²] + ε). */
  RMSProp: preset("RMSProp", ["lr", "rho", "eps"], { epsPlacement: "inside" }, (o) => new RMSProp(o)),
  /** §12 of the lecture: θ ← θ − η·m̃ / √(ṽ + ε). */
  Adam: preset("Adam", ["lr", "beta", "gamma", "eps"], { epsPlacement: "inside" }, (o) => new Adam(o)),
};
