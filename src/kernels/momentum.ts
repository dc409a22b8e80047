import { DECAY, GRAD_SIGN, isPlain, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link momentumKernel} and {@link lookAheadKernel}. */
export const MOMENTUM = { lr: RULE, beta: RULE + 1, lookAheadScale: RULE + 2 } as const;

/**
 * V ← β·V + (1 − β)·ĝ,  θ ← d·θ − η·V  (SPEC §7; also §8, with g evaluated at the look-ahead point).
 */
export function momentumKernel(params: Float64Array, grad: Float64Array, scalars: Float64Array, velocity: Float64Array): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[MOMENTUM.lr];
  const beta = scalars[MOMENTUM.beta];
  const oneMinusBeta = 1 - beta;
  const n = params.length;
  if (isPlain(gradSign, l2, decay)) {
    for (let i = 0; i < n; i++) {
      const v = beta * velocity[i] + oneMinusBeta * grad[i];
      velocity[i] = v;
      params[i] = params[i] - lr * v;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const v = beta * velocity[i] + oneMinusBeta * (gradSign * grad[i] + l2 * p);
    velocity[i] = v;
    params[i] = decay * p - lr * v;
  }
}

/** out ← θ − c·V: Nesterov's look-ahead point, with c = η (lecture) or c = η·β (UDL eq. 6.12). */
export function lookAheadKernel(out: Float64Array, params: Float64Array, scalars: Float64Array, velocity: Float64Array): void {
  const scale = scalars[MOMENTUM.lookAheadScale];
  const n = params.length;
  for (let i = 0; i < n; i++) out[i] = params[i] - scale * velocity[i];
}
