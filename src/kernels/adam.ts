import { DECAY, GRAD_SIGN, isPlain, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link adamKernel}; `amsgrad` is 1 or 0. */
export const ADAM = {
  beta: RULE,
  gamma: RULE + 1,
  stepSize: RULE + 2,
  invCorrection2: RULE + 3,
  epsInside: RULE + 4,
  epsOutside: RULE + 5,
  amsgrad: RULE + 6,
} as const;

/**
 * m ← β·m + (1 − β)·ĝ,  v ← γ·v + (1 − γ)·ĝ²,  with AMSGrad v_max ← max(v_max, v) (raw, as PyTorch);
 * θ ← d·θ − a·m / (√(v·c + ε_in) + ε_out),  a = η / (1 − β^t) (`stepSize`), c = 1 / (1 − γ^t).
 *
 * This is SPEC §12's m̃ / √(ṽ + ε) (ε_in = ε, ε_out = 0) or PyTorch's m̃ / (√ṽ + ε) (ε_in = 0,
 * ε_out = ε), with the bias corrections folded into two scalars per step so that each parameter
 * costs one square root and one division. `maxSecondMoment` is read only with AMSGrad.
 */
export function adamKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  firstMoment: Float64Array,
  secondMoment: Float64Array,
  maxSecondMoment: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const beta = scalars[ADAM.beta];
  const gamma = scalars[ADAM.gamma];
  const stepSize = scalars[ADAM.stepSize];
  const invCorrection2 = scalars[ADAM.invCorrection2];
  const epsInside = scalars[ADAM.epsInside];
  const epsOutside = scalars[ADAM.epsOutside];
  const amsgrad = scalars[ADAM.amsgrad] !== 0;
  const oneMinusBeta = 1 - beta;
  const oneMinusGamma = 1 - gamma;
  const n = params.length;
  if (!amsgrad && isPlain(gradSign, l2, decay)) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const m = beta * firstMoment[i] + oneMinusBeta * g;
      const v = gamma * secondMoment[i] + oneMinusGamma * g * g;
      firstMoment[i] = m;
      secondMoment[i] = v;
      params[i] = params[i] - stepSize * (m / (Math.sqrt(v * invCorrection2 + epsInside) + epsOutside));
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const m = beta * firstMoment[i] + oneMinusBeta * g;
    let v = gamma * secondMoment[i] + oneMinusGamma * g * g;
    firstMoment[i] = m;
    secondMoment[i] = v;
    if (amsgrad) {
      v = Math.max(maxSecondMoment[i], v);
      maxSecondMoment[i] = v;
    }
    params[i] = decay * p - stepSize * (m / (Math.sqrt(v * invCorrection2 + epsInside) + epsOutside));
  }
}
