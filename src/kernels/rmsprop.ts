import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link rmsPropKernel}; `centered` is 1 or 0. */
export const RMSPROP = { lr: RULE, rho: RULE + 1, epsInside: RULE + 2, epsOutside: RULE + 3, centered: RULE + 4, momentum: RULE + 5 } as const;

/**
 * E ← ρ·E + (1 − ρ)·ĝ²;  centered: ḡ ← ρ·ḡ + (1 − ρ)·ĝ, σ² = max(E − ḡ², 0), else σ² = E;
 * D = √(σ² + ε_in) + ε_out;  with momentum μ > 0: B ← μ·B + ĝ / D, θ ← d·θ − η·B;
 * without: θ ← d·θ − η·ĝ / D.
 *
 * One of ε_in, ε_out is ε and the other 0 (inside: the lecture's SPEC §11; outside: PyTorch).
 * σ² is clamped at 0 because E − ḡ² ≥ 0 holds in exact arithmetic but can round to a tiny negative
 * number, whose square root would be NaN. `gradAverage` and `momentumBuffer` are read only when
 * centered or μ > 0.
 */
export function rmsPropKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  meanSquare: Float64Array,
  gradAverage: Float64Array,
  momentumBuffer: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[RMSPROP.lr];
  const rho = scalars[RMSPROP.rho];
  const epsInside = scalars[RMSPROP.epsInside];
  const epsOutside = scalars[RMSPROP.epsOutside];
  const centered = scalars[RMSPROP.centered] !== 0;
  const momentum = scalars[RMSPROP.momentum];
  const oneMinusRho = 1 - rho;
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const e = rho * meanSquare[i] + oneMinusRho * g * g;
    meanSquare[i] = e;
    let variance = e;
    if (centered) {
      const a = rho * gradAverage[i] + oneMinusRho * g;
      gradAverage[i] = a;
      const difference = e - a * a;
      variance = difference > 0 ? difference : 0;
    }
    const scaled = g / (Math.sqrt(variance + epsInside) + epsOutside);
    if (momentum > 0) {
      const b = momentum * momentumBuffer[i] + scaled;
      momentumBuffer[i] = b;
      params[i] = decay * p - lr * b;
    } else {
      params[i] = decay * p - lr * scaled;
    }
  }
}
