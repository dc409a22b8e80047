/**
 * E ← ρ·E + (1 − ρ)·g²; then θ ← θ − η·g / √(E + ε) (ε inside, SPEC §11) or θ ← θ − η·g / (√E + ε)
 * (ε outside, PyTorch's RMSprop). Each branch keeps its source's order of operations.
 */
export function rmsPropKernel(
  params: Float64Array,
  grad: Float64Array,
  meanSquare: Float64Array,
  lr: number,
  rho: number,
  eps: number,
  epsInside: boolean,
): void {
  const n = params.length;
  const oneMinusRho = 1 - rho;
  if (epsInside) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const e = rho * meanSquare[i] + oneMinusRho * g * g;
      meanSquare[i] = e;
      params[i] = params[i] - (lr / Math.sqrt(e + eps)) * g;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const e = rho * meanSquare[i] + oneMinusRho * g * g;
      meanSquare[i] = e;
      params[i] = params[i] - lr * (g / (Math.sqrt(e) + eps));
    }
  }
}
