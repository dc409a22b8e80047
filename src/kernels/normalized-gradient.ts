import { DECAY, GRAD_SIGN, isPlain, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link normalizedGradientKernel}. */
export const NORMALIZED = { lr: RULE, eps: RULE + 1 } as const;

/**
 * θ ← d·θ − η·m / (√v + ε) with m = ĝ, v = ĝ² (SPEC §9). √(ĝ²) is computed as |ĝ|: the same double
 * whenever ĝ² does not overflow or underflow, and right when it would.
 */
export function normalizedGradientKernel(params: Float64Array, grad: Float64Array, scalars: Float64Array): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[NORMALIZED.lr];
  const eps = scalars[NORMALIZED.eps];
  const n = params.length;
  if (isPlain(gradSign, l2, decay)) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      params[i] = params[i] - (lr * g) / (Math.abs(g) + eps);
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    params[i] = decay * p - (lr * g) / (Math.abs(g) + eps);
  }
}
