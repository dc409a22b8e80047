// Global-norm clipping over the leaves of a tree, to the bit what clipByGlobalNorm's kernel computes
// on their concatenation: that kernel sums the squares in two lanes (even and odd indices, as Wasm
// SIMD's two doubles do), adds the lanes, then the last element when the length is odd; so here each
// element goes to the lane of its index in the concatenation. Rarely, when Σ g² overflows or falls
// below 1e-280, a second pass sums the squares of g / max|g| the same way (kernels/global-norm.ts).
// Numbers pass through `work`, never as arguments or results: a double crossing a call that is not
// inlined is boxed, an allocation per step.

/** work[0..1]: the two lanes; [2]: the odd tail; [3]: the divisor of the second pass (1 in the first). */
const work = new Float64Array(4);

/** Σ over the concatenation of the `use`d `vectors` (`total` numbers) of (v / work[3])², lane by lane as the kernel; into work[0]. */
function laneSum(vectors: readonly Float64Array[], use: readonly boolean[], total: number): void {
  const pairs = total - (total & 1);
  const scale = work[3];
  work[0] = 0;
  work[1] = 0;
  work[2] = 0;
  let j = 0;
  for (let k = 0; k < vectors.length; k++) {
    if (!use[k]) continue;
    const v = vectors[k];
    for (let i = 0; i < v.length; i++, j++) {
      const x = scale === 1 ? v[i] : v[i] / scale;
      if (j < pairs) work[j & 1] += x * x;
      else work[2] = x * x;
    }
  }
  work[0] = pairs < total ? work[0] + work[1] + work[2] : work[0] + work[1];
}

/** max |v| over the concatenation (lane by lane as the kernel; max is exact either way); into work[3]. */
function largest(vectors: readonly Float64Array[], use: readonly boolean[]): void {
  work[0] = -Infinity;
  work[1] = -Infinity;
  let j = 0;
  for (let k = 0; k < vectors.length; k++) {
    if (!use[k]) continue;
    const v = vectors[k];
    for (let i = 0; i < v.length; i++, j++) work[j & 1] = Math.max(work[j & 1], Math.abs(v[i]));
  }
  work[3] = Math.max(work[0], work[1]);
}

/**
 * Writes into numbers[2] the factor f = c / (‖g‖₂ + ε) (c = numbers[0], ε = numbers[1]) by which
 * clipByGlobalNorm scales the concatenation of the `use`d `vectors` (`total` numbers) when f < 1,
 * computed as its kernel computes it.
 * @internal
 */
export function treeClipFactor(vectors: readonly Float64Array[], use: readonly boolean[], total: number, numbers: Float64Array): void {
  largest(vectors, use);
  const max = work[3];
  work[3] = 1;
  laneSum(vectors, use, total);
  const sumSquares = work[0];
  let norm = Math.sqrt(sumSquares);
  if (!(sumSquares < Infinity && (sumSquares > 1e-280 || !(max > 0)))) {
    work[3] = max;
    laneSum(vectors, use, total);
    norm = max * Math.sqrt(work[0]);
  }
  numbers[2] = numbers[0] / (norm + numbers[1]);
}
