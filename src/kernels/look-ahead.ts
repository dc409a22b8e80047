/** out ← θ − c·V: Nesterov's look-ahead point, with c = η (lecture) or c = η·β (UDL eq. 6.12); c = scalars[slot]. */
export function lookAheadKernel(out: Float64Array, params: Float64Array, scalars: Float64Array, slot: number, velocity: Float64Array): void {
  const scale = scalars[slot];
  const n = params.length;
  for (let i = 0; i < n; i++) out[i] = params[i] - scale * velocity[i];
}
