/** Index of the first NaN or ±Infinity in `values`, or -1 when all are finite. */
export function firstNonFinite(values: Float64Array): number {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    const x = values[i];
    // x − x is 0 for every finite x and NaN for NaN and ±Infinity; cheaper than Number.isFinite.
    if (x - x !== 0) return i;
  }
  return -1;
}
