/**
 * G ← G + g²; then θ ← θ − η·g / √(G + ε) (ε inside, SPEC §10) or θ ← θ − η·g / (√G + ε)
 * (ε outside, PyTorch's Adagrad). Each branch keeps its source's order of operations.
 */
export function adaGradKernel(
  params: Float64Array,
  grad: Float64Array,
  sumOfSquares: Float64Array,
  lr: number,
  eps: number,
  epsInside: boolean,
): void {
  const n = params.length;
  if (epsInside) {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const s = sumOfSquares[i] + g * g;
      sumOfSquares[i] = s;
      params[i] = params[i] - (lr / Math.sqrt(s + eps)) * g;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const g = grad[i];
      const s = sumOfSquares[i] + g * g;
      sumOfSquares[i] = s;
      params[i] = params[i] - lr * (g / (Math.sqrt(s) + eps));
    }
  }
}
