/**
 * m ← β·m + (1 − β)·g,  v ← γ·v + (1 − γ)·g²,  m̃ = m / (1 − β^t),  ṽ = v / (1 − γ^t); then
 * θ ← θ − η·m̃ / √(ṽ + ε) (ε inside, SPEC §12) or θ ← θ − η·m̃ / (√ṽ + ε) (ε outside, PyTorch).
 *
 * The bias corrections are folded into two scalars per step (η / (1 − β^t) and 1 / (1 − γ^t), or
 * its square root), so each parameter costs one square root and one division, as in PyTorch.
 *
 * @param correction1 1 − β^t, with t the step count after this step.
 * @param correction2 1 − γ^t.
 */
export function adamKernel(
  params: Float64Array,
  grad: Float64Array,
  firstMoment: Float64Array,
  secondMoment: Float64Array,
  lr: number,
  beta: number,
  gamma: number,
  eps: number,
  correction1: number,
  correction2: number,
  epsInside: boolean,
): void {
  const n = params.length;
  const oneMinusBeta = 1 - beta;
  const oneMinusGamma = 1 - gamma;
  const stepSize = lr / correction1;
  if (epsInside) {
    const invCorrection2 = 1 / correction2;
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const m = beta * firstMoment[i] + oneMinusBeta * g;
      const v = gamma * secondMoment[i] + oneMinusGamma * g * g;
      firstMoment[i] = m;
      secondMoment[i] = v;
      params[i] = params[i] - stepSize * (m / Math.sqrt(v * invCorrection2 + eps));
    }
  } else {
    const invSqrtCorrection2 = 1 / Math.sqrt(correction2);
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const m = beta * firstMoment[i] + oneMinusBeta * g;
      const v = gamma * secondMoment[i] + oneMinusGamma * g * g;
      firstMoment[i] = m;
      secondMoment[i] = v;
      params[i] = params[i] - stepSize * (m / (Math.sqrt(v) * invSqrtCorrection2 + eps));
    }
  }
}
