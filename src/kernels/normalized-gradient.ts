/**
 * θ ← θ − η·m / (√v + ε) with m = g, v = g² (SPEC §9). √(g²) is computed as |g|: the same double
 * whenever g² does not overflow or underflow, and right when it would.
 */
export function normalizedGradientKernel(params: Float64Array, grad: Float64Array, lr: number, eps: number): void {
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    params[i] = params[i] - (lr * g) / (Math.abs(g) + eps);
  }
}
