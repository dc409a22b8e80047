import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link nadamKernel}. */
export const NADAM = {
  beta: RULE,
  gamma: RULE + 1,
  gradCoefficient: RULE + 2,
  momentCoefficient: RULE + 3,
  invCorrection2: RULE + 4,
  epsInside: RULE + 5,
  epsOutside: RULE + 6,
  /** Π μ_i up to this step (not read by the kernel: carried from prepare to update). */
  product: RULE + 7,
} as const;

/**
 * NAdam (PyTorch): m ← β·m + (1 − β)·ĝ,  v ← γ·v + (1 − γ)·ĝ²,  D = √(v·c + ε_in) + ε_out,
 * θ ← d·θ − a·ĝ / D − b·m / D, where the caller computes, from the momentum schedule μ_t,
 * a = η·(1 − μ_t) / (1 − Π_(i≤t) μ_i), b = η·μ_(t+1) / (1 − Π_(i≤t+1) μ_i), c = 1 / (1 − γ^t).
 */
export function nadamKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  firstMoment: Float64Array,
  secondMoment: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const beta = scalars[NADAM.beta];
  const gamma = scalars[NADAM.gamma];
  const gradCoefficient = scalars[NADAM.gradCoefficient];
  const momentCoefficient = scalars[NADAM.momentCoefficient];
  const invCorrection2 = scalars[NADAM.invCorrection2];
  const epsInside = scalars[NADAM.epsInside];
  const epsOutside = scalars[NADAM.epsOutside];
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
    const denominator = Math.sqrt(v * invCorrection2 + epsInside) + epsOutside;
    params[i] = decay * p - gradCoefficient * (g / denominator) - momentCoefficient * (m / denominator);
  }
}
