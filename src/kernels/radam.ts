import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link radamKernel}. */
export const RADAM = { beta: RULE, gamma: RULE + 1, eps: RULE + 2, rectifiedStep: RULE + 3, plainStep: RULE + 4 } as const;

/**
 * RAdam (PyTorch): m ← β·m + (1 − β)·ĝ,  v ← γ·v + (1 − γ)·ĝ²; then, when the variance is tractable
 * (ρ_t > 5), θ ← d·θ − a·m / (√v + ε) with a = η·r_t·√(1 − γ^t) / (1 − β^t) (r_t the rectification);
 * otherwise θ ← d·θ − (η / (1 − β^t))·m. The caller computes `rectifiedStep` (a, or 0 when not
 * tractable) and `plainStep` (η / (1 − β^t)). ε is added to the uncorrected √v, as PyTorch does.
 */
export function radamKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  firstMoment: Float64Array,
  secondMoment: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const beta = scalars[RADAM.beta];
  const gamma = scalars[RADAM.gamma];
  const eps = scalars[RADAM.eps];
  const rectifiedStep = scalars[RADAM.rectifiedStep];
  const plainStep = scalars[RADAM.plainStep];
  const rectified = rectifiedStep > 0;
  const oneMinusBeta = 1 - beta;
  const oneMinusGamma = 1 - gamma;
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const m = beta * firstMoment[i] + oneMinusBeta * g;
    const v = gamma * secondMoment[i] + oneMinusGamma * g * g;
    firstMoment[i] = m;
    secondMoment[i] = v;
    params[i] = rectified ? decay * p - rectifiedStep * (m / (Math.sqrt(v) + eps)) : decay * p - plainStep * m;
  }
}
