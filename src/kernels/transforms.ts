// Kernels of the gradient transforms a Chain applies before its optimizer. Like the update kernels,
// they take their numbers from a Float64Array, never as arguments or return values (see scalars.ts).
// clipByGlobalNorm's is generated from its declaration (transforms/clip-by-global-norm.rule.ts).

/** g ← clamp(g, −c, c), c = scalars[slot]. */
export function clipByValueKernel(grad: Float64Array, scalars: Float64Array, slot: number): void {
  const n = grad.length;
  let limit = 0;
  for (let i = -1; i < n; i++) {
    if (i <= 0) {
      if (i < 0) continue; // the entry pass (see scalars.ts)
      limit = scalars[slot];
    }
    const g = grad[i];
    grad[i] = g > limit ? limit : g < -limit ? -limit : g;
  }
}

/** g ← g·f, f = scalars[slot]. */
export function scaleKernel(values: Float64Array, scalars: Float64Array, slot: number): void {
  const n = values.length;
  let factor = 0;
  for (let i = -1; i < n; i++) {
    if (i <= 0) {
      if (i < 0) continue; // the entry pass (see scalars.ts)
      factor = scalars[slot];
    }
    values[i] = values[i] * factor;
  }
}

/** g ← g + λ·θ, λ = scalars[slot]. */
export function addScaledKernel(grad: Float64Array, params: Float64Array, scalars: Float64Array, slot: number): void {
  const n = grad.length;
  let lambda = 0;
  for (let i = -1; i < n; i++) {
    if (i <= 0) {
      if (i < 0) continue; // the entry pass (see scalars.ts)
      lambda = scalars[slot];
    }
    grad[i] = grad[i] + lambda * params[i];
  }
}

/** θ ← clamp(θ, ℓ, h) coordinate by coordinate (exact: no arithmetic, the same bits on every backend). */
export function clampKernel(params: Float64Array, lower: Float64Array, upper: Float64Array): void {
  const n = params.length;
  for (let i = -1; i < n; i++) {
    if (i < 0) continue; // the entry pass (see scalars.ts)
    const x = params[i];
    const l = lower[i];
    const h = upper[i];
    params[i] = x < l ? l : x > h ? h : x;
  }
}
