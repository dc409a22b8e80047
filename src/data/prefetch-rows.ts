import type { NdArray } from "ndarray";

/** Numbers of 8 bytes in a 64-byte cache line. */
const PER_LINE = 8;

/** Below this many numbers in X (256 KB of float64) the dataset stays in a core's cache anyway. */
const CACHED = 1 << 15;

/** Where {@link prefetchRows} puts the sum of what it read, so that the reads are not dropped. */
const sink = new Float64Array(1);

/**
 * Brings a batch's rows of X, and their targets in y, into the cache before a model reads them:
 * one number from every cache line of each row (and each target), in one loop whose reads do not
 * depend on one another, so the CPU has many of them in flight at once. The model's own pass over
 * a row is a chain of multiply-adds that waits for each row in turn; with rows drawn in random
 * order from a dataset larger than the cache, that wait was most of the cost of a shuffled epoch
 * (100,000 × 20, batches of 64: 2.4× the cost of an epoch in file order; this pass takes about a
 * third of the evaluation's time off). It reads
 * only, so every result stays the same to the bit. Skipped where it cannot help: a small X (it
 * stays in cache), consecutive rows (the hardware prefetcher streams them).
 */
export function prefetchRows(X: NdArray, y: NdArray, rows: Int32Array, count: number): void {
  const [n, d] = X.shape;
  if (n * d < CACHED || consecutive(rows, count)) return;
  const data = X.data as ArrayLike<number>;
  const [rowStride, colStride] = X.stride;
  const offset = X.offset;
  // Columns a cache line apart (every column when they are a line or more apart), and the last.
  const step = colStride === 0 ? d : Math.max(1, Math.floor(PER_LINE / Math.abs(colStride)));
  const targets = y.data as ArrayLike<number>;
  const yStride = y.stride[0];
  let sum = 0;
  for (let k = 0; k < count; k++) {
    const row = rows[k];
    const base = offset + row * rowStride;
    for (let j = 0; j < d; j += step) sum += data[base + j * colStride];
    sum += data[base + (d - 1) * colStride] + targets[y.offset + row * yStride];
  }
  sink[0] = sum;
}

/** rows[k] = rows[0] + k for every k < count (a batch in file order); stops at the first that is not. */
function consecutive(rows: Int32Array, count: number): boolean {
  const first = rows[0];
  for (let k = 1; k < count; k++) if (rows[k] !== first + k) return false;
  return true;
}
