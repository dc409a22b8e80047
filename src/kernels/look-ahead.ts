/** out ← θ − c·V: Nesterov's look-ahead point, with c = η (lecture) or c = η·β (UDL eq. 6.12); c = scalars[slot]. */
export function lookAheadKernel(out: Float64Array, params: Float64Array, scalars: Float64Array, slot: number, velocity: Float64Array): void {
  const n = params.length;
  let scale = 0;
  for (let i = -1; i < n; i++) {
    if (i <= 0) {
      if (i < 0) continue; // the entry pass (see scalars.ts)
      scale = scalars[slot];
    }
    out[i] = params[i] - scale * velocity[i];
  }
}
