import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link adamaxKernel}. */
export const ADAMAX = { beta: RULE, gamma: RULE + 1, eps: RULE + 2, stepSize: RULE + 3 } as const;

/** Adamax: m ← β·m + (1 − β)·ĝ,  u ← max(γ·u, |ĝ| + ε),  θ ← d·θ − a·m / u with a = η / (1 − β^t). */
export function adamaxKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  firstMoment: Float64Array,
  infinityNorm: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const beta = scalars[ADAMAX.beta];
  const gamma = scalars[ADAMAX.gamma];
  const eps = scalars[ADAMAX.eps];
  const stepSize = scalars[ADAMAX.stepSize];
  const oneMinusBeta = 1 - beta;
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const m = beta * firstMoment[i] + oneMinusBeta * g;
    const u = Math.max(gamma * infinityNorm[i], Math.abs(g) + eps);
    firstMoment[i] = m;
    infinityNorm[i] = u;
    params[i] = decay * p - stepSize * (m / u);
  }
}
