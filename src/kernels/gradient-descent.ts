/** θ ← θ − η·g (SPEC §3). */
export function gradientDescentKernel(params: Float64Array, grad: Float64Array, lr: number): void {
  const n = params.length;
  for (let i = 0; i < n; i++) params[i] = params[i] - lr * grad[i];
}
