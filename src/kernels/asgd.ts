import { DECAY, GRAD_SIGN, L2, RULE } from "./scalars.js";

/**
 * Scalar slots of {@link asgdKernel}. The kernel reads `eta`, `shrink` and `mu`; `nextEta` and
 * `nextMu` (η and μ of the following step) are carried from prepare to commit, not read here.
 */
export const ASGD_SLOTS = { eta: RULE, shrink: RULE + 1, mu: RULE + 2, nextEta: RULE + 3, nextMu: RULE + 4 } as const;

/**
 * PyTorch's ASGD, in its order of operations: ĝ = s·g + λ_L2·θ;  θ ← d·((1 − λ·η)·θ) − η·ĝ
 * (`shrink` = 1 − λ·η);  then the average ā ← ā + (θ − ā)·μ, or ā ← θ where μ = 1 (PyTorch copies
 * then). `average` is the `ax` buffer.
 */
export function asgdKernel(params: Float64Array, grad: Float64Array, scalars: Float64Array, average: Float64Array): void {
  const gradSign = scalars[GRAD_SIGN];
  const l2 = scalars[L2];
  const decay = scalars[DECAY];
  const eta = scalars[ASGD_SLOTS.eta];
  const shrink = scalars[ASGD_SLOTS.shrink];
  const mu = scalars[ASGD_SLOTS.mu];
  const copy = mu === 1;
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const p = params[i];
    const g = gradSign * grad[i] + l2 * p;
    const q = decay * (shrink * p) - eta * g;
    params[i] = q;
    const a = average[i];
    average[i] = copy ? q : a + (q - a) * mu;
  }
}
