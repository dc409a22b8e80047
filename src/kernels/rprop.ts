import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/** Scalar slots of {@link rpropKernel}. */
export const RPROP = { etaMinus: RULE, etaPlus: RULE + 1, stepMin: RULE + 2, stepMax: RULE + 3 } as const;

/**
 * Rprop (PyTorch): per coordinate, with the previous gradient ĝ_prev and step size Δ:
 * ĝ·ĝ_prev > 0: Δ ← min(Δ·η+, Δ_max);  < 0: Δ ← max(Δ·η−, Δ_min) and ĝ is taken as 0 (no move, and
 * no sign change seen next step);  = 0: Δ unchanged (clamped).  θ ← d·θ − sign(ĝ)·Δ;  ĝ_prev ← ĝ.
 * The step uses this step's gradient (optax's rprop emits the previous step's update instead).
 */
export function rpropKernel(
  params: Float64Array,
  grad: Float64Array,
  scalars: Float64Array,
  previousGrad: Float64Array,
  stepSizes: Float64Array,
): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const etaMinus = scalars[RPROP.etaMinus];
  const etaPlus = scalars[RPROP.etaPlus];
  const stepMin = scalars[RPROP.stepMin];
  const stepMax = scalars[RPROP.stepMax];
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    let g = gradSign * grad[i] + l2 * p;
    const agreement = g * previousGrad[i];
    const factor = agreement > 0 ? etaPlus : agreement < 0 ? etaMinus : 1;
    const size = Math.min(Math.max(stepSizes[i] * factor, stepMin), stepMax);
    stepSizes[i] = size;
    if (agreement < 0) g = 0;
    previousGrad[i] = g;
    params[i] = decay * p - Math.sign(g) * size;
  }
}
