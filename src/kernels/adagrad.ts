import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link adaGradKernel}. */
export const ADAGRAD = { lr: RULE, epsInside: RULE + 1, epsOutside: RULE + 2 } as const;

/**
 * G ← G + ĝ²,  θ ← d·θ − η_t·ĝ / (√(G + ε_in) + ε_out)
 *
 * One of ε_in, ε_out is ε and the other 0: ε inside the root is the lecture's AdaGrad (SPEC §10),
 * outside is PyTorch's. The `lr` slot holds η_t = η / (1 + (t − 1)·lr_decay).
 */
export function adaGradKernel(params: Float64Array, grad: Float64Array, scalars: Float64Array, sumOfSquares: Float64Array): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[ADAGRAD.lr];
  const epsInside = scalars[ADAGRAD.epsInside];
  const epsOutside = scalars[ADAGRAD.epsOutside];
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const s = sumOfSquares[i] + g * g;
    sumOfSquares[i] = s;
    params[i] = decay * p - lr * (g / (Math.sqrt(s + epsInside) + epsOutside));
  }
}
