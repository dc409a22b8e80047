import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link adadeltaKernel}. */
export const ADADELTA = { lr: RULE, rho: RULE + 1, eps: RULE + 2 } as const;

/**
 * Adadelta: E ← ρ·E + (1 − ρ)·ĝ²,  Δ = √(D + ε) / √(E + ε) · ĝ,  D ← ρ·D + (1 − ρ)·Δ²,  θ ← d·θ − η·Δ.
 * Δ divides by the new E (TF.js uses the previous one) and D is updated after Δ, as in Zeiler
 * (2012) and PyTorch.
 */
export function adadeltaKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  meanSquare: Float64Array,
  meanSquareDelta: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[ADADELTA.lr];
  const rho = scalars[ADADELTA.rho];
  const eps = scalars[ADADELTA.eps];
  const oneMinusRho = 1 - rho;
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const e = rho * meanSquare[i] + oneMinusRho * g * g;
    meanSquare[i] = e;
    const delta = (Math.sqrt(meanSquareDelta[i] + eps) / Math.sqrt(e + eps)) * g;
    meanSquareDelta[i] = rho * meanSquareDelta[i] + oneMinusRho * delta * delta;
    params[i] = decay * p - lr * delta;
  }
}
