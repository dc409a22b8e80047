import type { NdArray } from "ndarray";

/**
 * An n × d matrix's (or an n-vector's) values, row-major, in a new Float64Array: the copy of its data
 * a risk takes when it is built (empiricalRisk, networkRisk), whatever the data's layout.
 */
export function rowMajorCopy(M: NdArray): Float64Array {
  const [n, d = 1] = M.shape;
  const [rowStride, columnStride = 1] = M.stride;
  const out = new Float64Array(n * d);
  if (M.data instanceof Float64Array && rowStride === d && (columnStride === 1 || d === 1)) {
    out.set(M.data.subarray(M.offset, M.offset + n * d)); // row-major already: one block copy
  } else if (M.shape.length === 1) {
    for (let i = 0; i < n; i++) out[i] = M.get(i);
  } else {
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = M.get(i, j);
  }
  return out;
}
