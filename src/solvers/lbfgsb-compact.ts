// L-BFGS-B's compact limited-memory matrix B = θI − W M Wᵀ (Byrd, Nocedal, Schnabel 1994), ported
// from lbfgsb.f 3.0 (bmv, formt, matupd) with the two LINPACK routines it calls (dpofa, dtrsl).
// Matrices are column-major Float64Arrays as in the Fortran; history slots are 0-based, `head` is the
// oldest pair's slot. Every sum runs in the Fortran's order (BLAS ddot's: left to right), so the
// rounding is the same; the sums are written out where they are used, since a double returned from a
// call the JIT does not inline is boxed.
import { DR, DTD, STP, THETA } from "./lbfgsb-scalars.js";

/**
 * Σ_{i<count} a[aOff + i]·b[bOff + i], summed left to right (reference BLAS ddot's order).
 *
 * @example
 * ```ts
 * dot(2, Float64Array.of(1, 2), 0, Float64Array.of(3, 4), 0); // 11
 * ```
 */
export function dot(count: number, a: Float64Array, aOff: number, b: Float64Array, bOff: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += a[aOff + i] * b[bOff + i];
  return sum;
}

/**
 * LINPACK dpofa: the upper Cholesky factor R of the n × n symmetric positive definite matrix stored
 * (upper triangle) at a[off], leading dimension lda, overwritten in place: A = RᵀR.
 * @returns 0, or the order j of the leading minor that is not positive definite.
 *
 * @example
 * ```ts
 * const a = Float64Array.of(4, 0, 2, 5); // [[4, 2], [2, 5]]
 * choleskyUpper(a, 0, 2, 2); // 0; a = [2, 0, 1, 2]
 * ```
 */
export function choleskyUpper(a: Float64Array, off: number, lda: number, n: number): number {
  for (let j = 0; j < n; j++) {
    let s = 0;
    const colJ = off + lda * j;
    for (let k = 0; k < j; k++) {
      const colK = off + lda * k;
      let sum = 0;
      for (let i = 0; i < k; i++) sum += a[colK + i] * a[colJ + i];
      let t = a[colJ + k] - sum;
      t = t / a[colK + k];
      a[colJ + k] = t;
      s = s + t * t;
    }
    s = a[colJ + j] - s;
    if (s <= 0) return j + 1;
    a[colJ + j] = Math.sqrt(s);
  }
  return 0;
}

/**
 * LINPACK dtrsl with job 11: solves Rᵀx = b for the n × n upper triangular R at t[tOff] (leading
 * dimension ldt), x overwriting b[bOff..bOff+n).
 * @returns 0, or the 1-based index of a zero diagonal entry (nothing solved then).
 *
 * @example
 * ```ts
 * const b = Float64Array.of(2, 3);
 * solveUpperTransposed(Float64Array.of(2, 0, 1, 1), 0, 2, 2, b, 0); // b = [1, 2]
 * ```
 */
export function solveUpperTransposed(t: Float64Array, tOff: number, ldt: number, n: number, b: Float64Array, bOff: number): number {
  for (let i = 0; i < n; i++) if (t[tOff + i + ldt * i] === 0) return i + 1;
  b[bOff] = b[bOff] / t[tOff];
  for (let j = 1; j < n; j++) {
    const col = tOff + ldt * j;
    let sum = 0;
    for (let i = 0; i < j; i++) sum += t[col + i] * b[bOff + i];
    b[bOff + j] = b[bOff + j] - sum;
    b[bOff + j] = b[bOff + j] / t[tOff + j + ldt * j];
  }
  return 0;
}

/**
 * LINPACK dtrsl with job 01: solves Rx = b for the n × n upper triangular R at t[tOff] (leading
 * dimension ldt), x overwriting b[bOff..bOff+n), column by column (daxpy) as LINPACK does.
 * @returns 0, or the 1-based index of a zero diagonal entry (nothing solved then).
 *
 * @example
 * ```ts
 * const b = Float64Array.of(3, 2);
 * solveUpper(Float64Array.of(2, 0, 1, 1), 0, 2, 2, b, 0); // b = [0.5, 2]
 * ```
 */
export function solveUpper(t: Float64Array, tOff: number, ldt: number, n: number, b: Float64Array, bOff: number): number {
  for (let i = 0; i < n; i++) if (t[tOff + i + ldt * i] === 0) return i + 1;
  b[bOff + n - 1] = b[bOff + n - 1] / t[tOff + (n - 1) + ldt * (n - 1)];
  for (let j = n - 2; j >= 0; j--) {
    const temp = -b[bOff + j + 1];
    // daxpy(j + 1, temp, t(1, j + 2), b): BLAS returns at once for a zero multiplier.
    if (temp !== 0) {
      const col = tOff + ldt * (j + 1);
      for (let k = 0; k <= j; k++) b[bOff + k] = b[bOff + k] + temp * t[col + k];
    }
    b[bOff + j] = b[bOff + j] / t[tOff + j + ldt * j];
  }
  return 0;
}

/**
 * The middle matrix of the compact form times a vector (lbfgsb.f `bmv`): p = M v for the 2·col
 * vector v, where
 *
 * ```math
 * M = \begin{bmatrix} -D & L^\top \\ L & \theta S^\top S \end{bmatrix}^{-1},\quad
 * \text{from } S^\top Y = L + D + U \text{ and } T = \theta S^\top S + L D^{-1} L^\top = J J^\top
 * ```
 *
 * with J's transpose the Cholesky factor kept in `wt` (see {@link formT}).
 * @returns 0, or a nonzero LINPACK code when a triangular system is singular.
 *
 * @example
 * ```ts
 * // after formT(m, wt, sy, ss, col, scalars): p = M·v
 * middleTimes(m, sy, wt, col, v, 0, p, 0);
 * ```
 */
export function middleTimes(m: number, sy: Float64Array, wt: Float64Array, col: number, v: Float64Array, vOff: number, p: Float64Array, pOff: number): number {
  if (col === 0) return 0;
  // [D^½ 0; −L D^-½ J] [p1; p2] = [v1; v2]
  p[pOff + col] = v[vOff + col];
  for (let i = 1; i < col; i++) {
    let sum = 0;
    for (let k = 0; k < i; k++) sum = sum + (sy[i + m * k] * v[vOff + k]) / sy[k + m * k];
    p[pOff + col + i] = v[vOff + col + i] + sum;
  }
  let info = solveUpperTransposed(wt, 0, m, col, p, pOff + col);
  if (info !== 0) return info;
  for (let i = 0; i < col; i++) p[pOff + i] = v[vOff + i] / Math.sqrt(sy[i + m * i]);
  // [−D^½ D^-½ Lᵀ; 0 Jᵀ] [p1; p2] = [p1; p2]
  info = solveUpper(wt, 0, m, col, p, pOff + col);
  if (info !== 0) return info;
  for (let i = 0; i < col; i++) p[pOff + i] = -p[pOff + i] / Math.sqrt(sy[i + m * i]);
  for (let i = 0; i < col; i++) {
    let sum = 0;
    for (let k = i + 1; k < col; k++) sum = sum + (sy[k + m * i] * p[pOff + col + k]) / sy[i + m * i];
    p[pOff + i] = p[pOff + i] + sum;
  }
  return 0;
}

/**
 * lbfgsb.f `formt`: T = θ·SᵀS + L D⁻¹ Lᵀ (upper half) into `wt`, then its Cholesky factor Jᵀ in place
 * (θ read from `scalars`).
 * @returns 0, or the LINPACK order at which T is not positive definite.
 *
 * @example
 * ```ts
 * if (formT(m, wt, sy, ss, col, scalars) !== 0) { // restart the memory
 * }
 * ```
 */
export function formT(m: number, wt: Float64Array, sy: Float64Array, ss: Float64Array, col: number, scalars: Float64Array): number {
  const theta = scalars[THETA];
  for (let j = 0; j < col; j++) wt[m * j] = theta * ss[m * j];
  for (let i = 1; i < col; i++) {
    for (let j = i; j < col; j++) {
      let ddum = 0;
      for (let k = 0; k < i; k++) ddum = ddum + (sy[i + m * k] * sy[j + m * k]) / sy[k + m * k];
      wt[i + m * j] = ddum + theta * ss[i + m * j];
    }
  }
  return choleskyUpper(wt, 0, m, col);
}

/** Slots of the ring counters {@link updateMemory} reads and writes (an Int32Array: [head, col, itail]). */
export const RING_HEAD = 0;
/** Number of pairs kept. */
export const RING_COL = 1;
/** Slot of the newest pair. */
export const RING_TAIL = 2;

/**
 * lbfgsb.f `matupd`: stores the pair s = d (already scaled by the step), y = r in the ring (n × m
 * column-major `ws`, `wy`), drops the oldest once m are kept, and updates SᵀY (lower triangle `sy`)
 * and SᵀS (upper triangle `ss`).
 * @param ring [head, col, itail], updated in place.
 * @param iupdat the number of updates so far, this one included.
 * @param scalars sᵀy (DR), the step (STP) and dᵀd of the unscaled direction (DTD): ss's new diagonal
 * is stp²·dtd. (The caller sets the new θ = yᵀy / sᵀy itself.)
 *
 * @example
 * ```ts
 * updateMemory(n, m, ws, wy, sy, ss, d, r, ring, iupdat, scalars);
 * ```
 */
export function updateMemory(
  n: number,
  m: number,
  ws: Float64Array,
  wy: Float64Array,
  sy: Float64Array,
  ss: Float64Array,
  d: Float64Array,
  r: Float64Array,
  ring: Int32Array,
  iupdat: number,
  scalars: Float64Array,
): void {
  if (iupdat <= m) {
    ring[RING_COL] = iupdat;
    ring[RING_TAIL] = (ring[RING_HEAD] + iupdat - 1) % m;
  } else {
    ring[RING_TAIL] = (ring[RING_TAIL] + 1) % m;
    ring[RING_HEAD] = (ring[RING_HEAD] + 1) % m;
  }
  const col = ring[RING_COL];
  const head = ring[RING_HEAD];
  const itail = ring[RING_TAIL];
  for (let i = 0; i < n; i++) {
    ws[i + n * itail] = d[i];
    wy[i + n * itail] = r[i];
  }
  if (iupdat > m) {
    // Shift the old part of SS (up and left) and of SY (up and left).
    for (let j = 1; j < col; j++) {
      for (let q = 0; q < j; q++) ss[q + m * (j - 1)] = ss[q + 1 + m * j];
      for (let q = 0; q < col - j; q++) sy[j - 1 + q + m * (j - 1)] = sy[j + q + m * j];
    }
  }
  let pointr = head;
  for (let j = 0; j < col - 1; j++) {
    let dy = 0;
    let sd = 0;
    for (let i = 0; i < n; i++) dy += d[i] * wy[n * pointr + i];
    for (let i = 0; i < n; i++) sd += ws[n * pointr + i] * d[i];
    sy[col - 1 + m * j] = dy;
    ss[j + m * (col - 1)] = sd;
    pointr = (pointr + 1) % m;
  }
  const stp = scalars[STP];
  ss[col - 1 + m * (col - 1)] = stp === 1 ? scalars[DTD] : stp * stp * scalars[DTD];
  sy[col - 1 + m * (col - 1)] = scalars[DR];
}
