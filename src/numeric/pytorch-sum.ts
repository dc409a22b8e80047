// The order in which PyTorch's CPU `sum` adds a contiguous float64 vector (ATen's cascade_sum on
// AVX2: vectors of 4 lanes, 4 such vectors in flight, partial sums cascaded in levels of 2^k
// chunks), so that a value PyTorch sums (LBFGS's ‖g‖₁) is the same double here.

const LANES = 4; // doubles per AVX2 vector
const ILP = 4; // vectors accumulated side by side (row_sum's ilp_factor)
const LEVELS = 4; // multi_row_sum's num_levels

/**
 * Σ f(vᵢ) for i < n, added in PyTorch's order; f is |·| when `absolute`, else the identity.
 * @internal
 */
export function pytorchSum(v: Float64Array, n: number, absolute: boolean, scratch: Float64Array): number {
  if (n < LANES) {
    let s = 0;
    for (let i = 0; i < n; i++) s += absolute ? Math.abs(v[i]) : v[i];
    return s;
  }
  // vectorized_inner_sum: the whole vectors through row_sum, the remainder first in the final sum
  const vectors = Math.floor(n / LANES);
  const lanes = scratch; // LANES entries: the lane sums of row_sum
  rowSum(v, vectors, absolute, lanes, scratch);
  let total = 0;
  for (let i = vectors * LANES; i < n; i++) total += absolute ? Math.abs(v[i]) : v[i];
  for (let l = 0; l < LANES; l++) total += lanes[l];
  return total;
}

/** The scratch {@link pytorchSum} needs. @internal */
export const PYTORCH_SUM_SCRATCH = LANES + LEVELS * ILP * LANES;

// row_sum over `count` vectors of LANES doubles: ILP rows of vectors through multi_row_sum, the
// leftover vectors into row 0, then rows 1..ILP−1 into row 0. Writes the LANES lane sums to out.
function rowSum(v: Float64Array, count: number, absolute: boolean, out: Float64Array, scratch: Float64Array): void {
  const rows = Math.floor(count / ILP);
  // acc[level][row][lane] in scratch after the first LANES entries
  const acc = LANES;
  scratch.fill(0, acc, acc + LEVELS * ILP * LANES);
  const levelPower = Math.max(4, Math.floor(ceilLog2(rows) / LEVELS));
  const levelStep = 2 ** levelPower;
  const levelMask = levelStep - 1;
  let i = 0;
  for (; i + levelStep <= rows; ) {
    for (let j = 0; j < levelStep; j++, i++) {
      for (let row = 0; row < ILP; row++) {
        const base = (i * ILP + row) * LANES;
        for (let lane = 0; lane < LANES; lane++) scratch[acc + (0 * ILP + row) * LANES + lane] += absolute ? Math.abs(v[base + lane]) : v[base + lane];
      }
    }
    for (let j = 1; j < LEVELS; j++) {
      for (let k = 0; k < ILP * LANES; k++) {
        scratch[acc + j * ILP * LANES + k] += scratch[acc + (j - 1) * ILP * LANES + k];
        scratch[acc + (j - 1) * ILP * LANES + k] = 0;
      }
      const mask = levelMask * 2 ** (j * levelPower);
      if ((i & mask) !== 0) break;
    }
  }
  for (; i < rows; i++) {
    for (let row = 0; row < ILP; row++) {
      const base = (i * ILP + row) * LANES;
      for (let lane = 0; lane < LANES; lane++) scratch[acc + (0 * ILP + row) * LANES + lane] += absolute ? Math.abs(v[base + lane]) : v[base + lane];
    }
  }
  for (let j = 1; j < LEVELS; j++) {
    for (let k = 0; k < ILP * LANES; k++) scratch[acc + k] += scratch[acc + j * ILP * LANES + k];
  }
  // row_sum: the vectors left over (count mod ILP) into row 0, then rows 1..ILP−1 into row 0
  for (let k = rows * ILP; k < count; k++) {
    for (let lane = 0; lane < LANES; lane++) scratch[acc + (0 * ILP + 0) * LANES + lane] += absolute ? Math.abs(v[k * LANES + lane]) : v[k * LANES + lane];
  }
  for (let row = 1; row < ILP; row++) {
    for (let lane = 0; lane < LANES; lane++) scratch[acc + (0 * ILP + 0) * LANES + lane] += scratch[acc + (0 * ILP + row) * LANES + lane];
  }
  for (let lane = 0; lane < LANES; lane++) out[lane] = scratch[acc + (0 * ILP + 0) * LANES + lane];
}

function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return Math.ceil(Math.log2(x));
}
