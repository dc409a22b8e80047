import { DECAY, GRAD_SIGN, isPlain, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link gradientDescentKernel}: η. */
export const GD = { lr: RULE } as const;

/** θ ← d·θ − η·ĝ with ĝ = s·g + λ·θ (SPEC §3; s, λ, d: see scalars.ts). */
export function gradientDescentKernel(params: Float64Array, grad: Float64Array, scalars: Float64Array): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[GD.lr];
  const n = params.length;
  if (isPlain(gradSign, l2, decay)) {
    for (let i = 0; i < n; i++) params[i] = params[i] - lr * grad[i];
    return;
  }
  for (let i = 0; i < n; i++) {
    const p = params[i];
    params[i] = decay * p - lr * (gradSign * grad[i] + l2 * p);
  }
}
