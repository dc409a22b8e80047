// Kernels of the gradient transforms a Chain applies before its optimizer. Like the update kernels,
// they take their numbers from a Float64Array, never as arguments or return values (see scalars.ts).
// clipByGlobalNorm's is generated from its declaration (transforms/clip-by-global-norm.rule.ts).

/** g ← clamp(g, −c, c), c = scalars[slot]. */
export function clipByValueKernel(grad: Float64Array, scalars: Float64Array, slot: number): void {
  const limit = scalars[slot];
  const n = grad.length;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    grad[i] = g > limit ? limit : g < -limit ? -limit : g;
  }
}

/** g ← g·f, f = scalars[slot]. */
export function scaleKernel(values: Float64Array, scalars: Float64Array, slot: number): void {
  const factor = scalars[slot];
  const n = values.length;
  for (let i = 0; i < n; i++) values[i] = values[i] * factor;
}

/** g ← g + λ·θ, λ = scalars[slot]. */
export function addScaledKernel(grad: Float64Array, params: Float64Array, scalars: Float64Array, slot: number): void {
  const lambda = scalars[slot];
  const n = grad.length;
  for (let i = 0; i < n; i++) grad[i] = grad[i] + lambda * params[i];
}

/** θ ← clamp(θ, ℓ, h) coordinate by coordinate (exact: no arithmetic, the same bits on every backend). */
export function clampKernel(params: Float64Array, lower: Float64Array, upper: Float64Array): void {
  const n = params.length;
  for (let i = 0; i < n; i++) {
    const x = params[i];
    const l = lower[i];
    const h = upper[i];
    params[i] = x < l ? l : x > h ? h : x;
  }
}
