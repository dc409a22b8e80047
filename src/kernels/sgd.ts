import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link sgdKernel}; `nesterov` and `firstStep` are 1 or 0. */
export const SGD_SLOTS = { lr: RULE, momentum: RULE + 1, dampening: RULE + 2, nesterov: RULE + 3, firstStep: RULE + 4 } as const;

/**
 * PyTorch's SGD: with momentum μ > 0, B ← ĝ on the first step, else B ← μ·B + (1 − dampening)·ĝ;
 * the step direction is ĝ + μ·B with Nesterov, B without; θ ← d·θ − η·direction.
 * Without momentum, θ ← d·θ − η·ĝ. `momentumBuffer` is read only when μ > 0.
 */
export function sgdKernel(params: Float64Array, grad: Float64Array, scalars: Float64Array, momentumBuffer: Float64Array): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const lr = scalars[SGD_SLOTS.lr];
  const momentum = scalars[SGD_SLOTS.momentum];
  const keep = 1 - scalars[SGD_SLOTS.dampening];
  const nesterov = scalars[SGD_SLOTS.nesterov] !== 0;
  const firstStep = scalars[SGD_SLOTS.firstStep] !== 0;
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    let direction = gradSign * grad[i] + l2 * p;
    if (momentum > 0) {
      const b = firstStep ? direction : momentum * momentumBuffer[i] + keep * direction;
      momentumBuffer[i] = b;
      direction = nesterov ? direction + momentum * b : b;
    }
    params[i] = decay * p - lr * direction;
  }
}
