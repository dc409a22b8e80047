// Global-norm clipping over the leaves of a tree, to the bit what clipByGlobalNorm's kernel computes
// on their concatenation: that kernel sums the squares in two lanes (even and odd indices, as Wasm
// SIMD's two doubles do), adds the lanes, then the last element when the length is odd; so here each
// element goes to the lane of its index in the concatenation. Rarely, when Σ g² overflows or falls
// below 1e-280, a second pass sums the squares of g / max|g| the same way (kernels/global-norm.ts).

const lanes = new Float64Array(2);
const largestOf = new Float64Array(2);

/** Σ over the concatenation of `vectors` (those `use`d) of square(v), lane by lane as the kernel, then the odd tail. */
function laneSum(vectors: readonly Float64Array[], use: readonly boolean[], total: number, scale: number): number {
  const pairs = total - (total & 1);
  lanes[0] = 0;
  lanes[1] = 0;
  let tail = 0;
  let j = 0;
  for (let k = 0; k < vectors.length; k++) {
    if (!use[k]) continue;
    const v = vectors[k];
    for (let i = 0; i < v.length; i++, j++) {
      const x = scale === 1 ? v[i] : v[i] / scale;
      if (j < pairs) lanes[j & 1] += x * x;
      else tail = x * x;
    }
  }
  const sum = lanes[0] + lanes[1];
  return pairs < total ? sum + tail : sum;
}

/** max |v| over the concatenation, lane by lane as the kernel (the same value: max is exact). */
function largest(vectors: readonly Float64Array[], use: readonly boolean[], total: number): number {
  const pairs = total - (total & 1);
  largestOf[0] = -Infinity;
  largestOf[1] = -Infinity;
  let tail = -Infinity;
  let j = 0;
  for (let k = 0; k < vectors.length; k++) {
    if (!use[k]) continue;
    const v = vectors[k];
    for (let i = 0; i < v.length; i++, j++) {
      if (j < pairs) largestOf[j & 1] = Math.max(largestOf[j & 1], Math.abs(v[i]));
      else tail = Math.abs(v[i]);
    }
  }
  const both = Math.max(largestOf[0], largestOf[1]);
  return pairs < total ? Math.max(both, tail) : both;
}

/**
 * The factor f = c / (‖g‖₂ + ε) by which clipByGlobalNorm scales the concatenation of the `use`d
 * `vectors` (`total` numbers) when f < 1, computed as its kernel computes it.
 * @internal
 */
export function treeClipFactor(vectors: readonly Float64Array[], use: readonly boolean[], total: number, maxNorm: number, eps: number): number {
  const sumSquares = laneSum(vectors, use, total, 1);
  const max = largest(vectors, use, total);
  const direct = sumSquares < Infinity && (sumSquares > 1e-280 || !(max > 0));
  const norm = direct ? Math.sqrt(sumSquares) : max * Math.sqrt(laneSum(vectors, use, total, max));
  return maxNorm / (norm + eps);
}
