/**
 * V ← β·V + (1 − β)·g,  θ ← θ − η·V  (SPEC §7; also §8, with g evaluated at the look-ahead point).
 */
export function momentumKernel(params: Float64Array, grad: Float64Array, velocity: Float64Array, lr: number, beta: number): void {
  const n = params.length;
  const oneMinusBeta = 1 - beta;
  for (let i = 0; i < n; i++) {
    const v = beta * velocity[i] + oneMinusBeta * grad[i];
    velocity[i] = v;
    params[i] = params[i] - lr * v;
  }
}
