/** out ← θ − s·V: Nesterov's look-ahead point, with s = η (lecture) or s = η·β (UDL eq. 6.12). */
export function lookAheadKernel(out: Float64Array, params: Float64Array, velocity: Float64Array, scale: number): void {
  const n = params.length;
  for (let i = 0; i < n; i++) out[i] = params[i] - scale * velocity[i];
}
