// Kernels of the gradient transforms a Chain applies before its optimizer. Like the update kernels,
// they take their numbers from a Float64Array, never as arguments or return values (see scalars.ts).

/** g ← clamp(g, −c, c), c = scalars[slot]. */
export function clipByValueKernel(grad: Float64Array, scalars: Float64Array, slot: number): void {
  const limit = scalars[slot];
  const n = grad.length;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    grad[i] = g > limit ? limit : g < -limit ? -limit : g;
  }
}

/**
 * scalars[slot] ← ‖g‖₂. One pass in the common case; when the sum of squares overflows or
 * underflows, a second pass scaled by max|g| gives the exact norm instead of Infinity or 0.
 */
export function globalNormKernel(grad: Float64Array, scalars: Float64Array, slot: number): void {
  const n = grad.length;
  let sum = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    sum += g * g;
    const a = Math.abs(g);
    if (a > largest) largest = a;
  }
  if (sum < Infinity && (sum > 1e-280 || largest === 0)) {
    scalars[slot] = Math.sqrt(sum);
    return;
  }
  let scaled = 0;
  for (let i = 0; i < n; i++) {
    const g = grad[i] / largest;
    scaled += g * g;
  }
  scalars[slot] = largest * Math.sqrt(scaled);
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
