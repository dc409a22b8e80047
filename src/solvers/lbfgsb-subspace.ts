// L-BFGS-B's subspace minimisation (lbfgsb.f 3.0 `freev`, `formk`, `cmprlb`, `subsm`, the last with
// Morales and Nocedal's 2011 projection-then-backtrack fix): minimise the quadratic model over the
// variables left free at the Cauchy point, by the Sherman–Morrison–Woodbury form of the reduced B.
import { choleskyUpper, middleTimes, solveUpper, solveUpperTransposed } from "./lbfgsb-compact.js";
import { THETA } from "./lbfgsb-scalars.js";

/** Slots of the free-set counters (an Int32Array): nfree, nenter, ileave (1-based position in indx2). */
export const SET_NFREE = 0;
/** Number of variables that entered the free set at this iteration (indx2[0..nenter)). */
export const SET_NENTER = 1;
/** 1-based position in indx2 of the first variable that left the free set (indx2[ileave−1..n)). */
export const SET_ILEAVE = 2;

/**
 * lbfgsb.f `freev`: the free variables at the Cauchy point into index[0..nfree), the fixed ones after;
 * from the second iteration on (under bounds) the variables that entered and left the free set into
 * indx2, so {@link formK} can update its products instead of recomputing them.
 * @returns whether the reduced matrix K must be formed again (the set changed, or B was updated).
 *
 * @example
 * ```ts
 * const wrk = freeVariables(n, sets, index, indx2, iwhere, updatd, cnstnd, iter);
 * ```
 */
export function freeVariables(n: number, sets: Int32Array, index: Int32Array, indx2: Int32Array, iwhere: Int32Array, updatd: boolean, cnstnd: boolean, iter: number): boolean {
  let nenter = 0;
  let ileave = n + 1;
  const oldFree = sets[SET_NFREE];
  if (iter > 0 && cnstnd) {
    for (let i = 0; i < oldFree; i++) {
      const k = index[i];
      if (iwhere[k] > 0) {
        ileave--;
        indx2[ileave - 1] = k;
      }
    }
    for (let i = oldFree; i < n; i++) {
      const k = index[i];
      if (iwhere[k] <= 0) {
        nenter++;
        indx2[nenter - 1] = k;
      }
    }
  }
  const wrk = ileave < n + 1 || nenter > 0 || updatd;
  let nfree = 0;
  let iact = n + 1;
  for (let i = 0; i < n; i++) {
    if (iwhere[i] <= 0) {
      index[nfree] = i;
      nfree++;
    } else {
      iact--;
      index[iact - 1] = i;
    }
  }
  sets[SET_NFREE] = nfree;
  sets[SET_NENTER] = nenter;
  sets[SET_ILEAVE] = ileave;
  return wrk;
}

/**
 * lbfgsb.f `formk`: the 2col × 2col matrix
 *
 * ```math
 * K = \begin{bmatrix} -D - Y_F^\top Y_F/\theta & L_A^\top - R_F^\top \\ L_A - R_F & \theta S_A^\top S_A \end{bmatrix}
 * ```
 *
 * (F the free, A the active variables at the Cauchy point), factored as K = LEL with
 * E = diag(−I, I) into the upper triangle of `wn`. `wn1` keeps the inner products
 * [YᵀZZᵀY, LₐᵀRᶻ; …, SᵀAAᵀS] between calls and is updated for the variables that entered or left.
 * @returns 0, or −1 / −2 if the first / second Cholesky factorisation failed.
 *
 * @example
 * ```ts
 * if (formK(n, sets, index, indx2, iupdat, updatd, wn, wn1, m, ws, wy, sy, scalars, col, head) !== 0) { // restart
 * }
 * ```
 */
export function formK(
  n: number,
  sets: Int32Array,
  ind: Int32Array,
  indx2: Int32Array,
  iupdat: number,
  updatd: boolean,
  wn: Float64Array,
  wn1: Float64Array,
  m: number,
  ws: Float64Array,
  wy: Float64Array,
  sy: Float64Array,
  scalars: Float64Array,
  col: number,
  head: number,
): number {
  const theta = scalars[THETA];
  const nsub = sets[SET_NFREE];
  const nenter = sets[SET_NENTER];
  const ileave = sets[SET_ILEAVE];
  const L = 2 * m; // leading dimension of wn and wn1; entries addressed 1-based below as in the Fortran
  let upcl: number;
  if (updatd) {
    if (iupdat > m) {
      // Shift the old part of wn1.
      for (let jy = 1; jy <= m - 1; jy++) {
        const js = m + jy;
        for (let q = 0; q < m - jy; q++) wn1[jy - 1 + q + L * (jy - 1)] = wn1[jy + q + L * jy];
        for (let q = 0; q < m - jy; q++) wn1[js - 1 + q + L * (js - 1)] = wn1[js + q + L * js];
        for (let q = 0; q < m - 1; q++) wn1[m + q + L * (jy - 1)] = wn1[m + 1 + q + L * jy];
      }
    }
    // The new row of the blocks (1,1), (2,2) and (2,1), and the new column of block (2,1).
    const iy = col;
    const is = m + col;
    let ipntr = (head + col - 1) % m;
    let jpntr = head;
    for (let jy = 1; jy <= col; jy++) {
      const js = m + jy;
      let temp1 = 0;
      let temp2 = 0;
      let temp3 = 0;
      for (let k = 0; k < nsub; k++) {
        const k1 = ind[k];
        temp1 = temp1 + wy[k1 + n * ipntr] * wy[k1 + n * jpntr];
      }
      for (let k = nsub; k < n; k++) {
        const k1 = ind[k];
        temp2 = temp2 + ws[k1 + n * ipntr] * ws[k1 + n * jpntr];
        temp3 = temp3 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr];
      }
      wn1[iy - 1 + L * (jy - 1)] = temp1;
      wn1[is - 1 + L * (js - 1)] = temp2;
      wn1[is - 1 + L * (jy - 1)] = temp3;
      jpntr = (jpntr + 1) % m;
    }
    const jy = col;
    jpntr = (head + col - 1) % m;
    ipntr = head;
    for (let i = 1; i <= col; i++) {
      const is2 = m + i;
      let temp3 = 0;
      for (let k = 0; k < nsub; k++) {
        const k1 = ind[k];
        temp3 = temp3 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr];
      }
      ipntr = (ipntr + 1) % m;
      wn1[is2 - 1 + L * (jy - 1)] = temp3;
    }
    upcl = col - 1;
  } else {
    upcl = col;
  }
  // Update the old entries for the variables that entered (indx2[0..nenter)) and left (indx2[ileave−1..n)).
  let ipntr = head;
  for (let iy = 1; iy <= upcl; iy++) {
    const is = m + iy;
    let jpntr = head;
    for (let jy = 1; jy <= iy; jy++) {
      const js = m + jy;
      let temp1 = 0;
      let temp2 = 0;
      let temp3 = 0;
      let temp4 = 0;
      for (let k = 0; k < nenter; k++) {
        const k1 = indx2[k];
        temp1 = temp1 + wy[k1 + n * ipntr] * wy[k1 + n * jpntr];
        temp2 = temp2 + ws[k1 + n * ipntr] * ws[k1 + n * jpntr];
      }
      for (let k = ileave - 1; k < n; k++) {
        const k1 = indx2[k];
        temp3 = temp3 + wy[k1 + n * ipntr] * wy[k1 + n * jpntr];
        temp4 = temp4 + ws[k1 + n * ipntr] * ws[k1 + n * jpntr];
      }
      wn1[iy - 1 + L * (jy - 1)] = wn1[iy - 1 + L * (jy - 1)] + temp1 - temp3;
      wn1[is - 1 + L * (js - 1)] = wn1[is - 1 + L * (js - 1)] - temp2 + temp4;
      jpntr = (jpntr + 1) % m;
    }
    ipntr = (ipntr + 1) % m;
  }
  ipntr = head;
  for (let is = m + 1; is <= m + upcl; is++) {
    let jpntr = head;
    for (let jy = 1; jy <= upcl; jy++) {
      let temp1 = 0;
      let temp3 = 0;
      for (let k = 0; k < nenter; k++) {
        const k1 = indx2[k];
        temp1 = temp1 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr];
      }
      for (let k = ileave - 1; k < n; k++) {
        const k1 = indx2[k];
        temp3 = temp3 + ws[k1 + n * ipntr] * wy[k1 + n * jpntr];
      }
      const at = is - 1 + L * (jy - 1);
      if (is <= jy + m) wn1[at] = wn1[at] + temp1 - temp3;
      else wn1[at] = wn1[at] - temp1 + temp3;
      jpntr = (jpntr + 1) % m;
    }
    ipntr = (ipntr + 1) % m;
  }
  // The upper triangle of K (in the col-sized layout) from wn1.
  for (let iy = 1; iy <= col; iy++) {
    const is = col + iy;
    const is1 = m + iy;
    for (let jy = 1; jy <= iy; jy++) {
      const js = col + jy;
      const js1 = m + jy;
      wn[jy - 1 + L * (iy - 1)] = wn1[iy - 1 + L * (jy - 1)] / theta;
      wn[js - 1 + L * (is - 1)] = wn1[is1 - 1 + L * (js1 - 1)] * theta;
    }
    for (let jy = 1; jy <= iy - 1; jy++) wn[jy - 1 + L * (is - 1)] = -wn1[is1 - 1 + L * (jy - 1)];
    for (let jy = iy; jy <= col; jy++) wn[jy - 1 + L * (is - 1)] = wn1[is1 - 1 + L * (jy - 1)];
    wn[iy - 1 + L * (iy - 1)] = wn[iy - 1 + L * (iy - 1)] + sy[iy - 1 + m * (iy - 1)];
  }
  // LEL factorisation: the (1,1) block's Cholesky factor, L⁻¹(−L_a' + R_z') into the (1,2) block, then
  // the (2,2) block's Schur complement and its Cholesky factor.
  if (choleskyUpper(wn, 0, L, col) !== 0) return -1;
  const col2 = 2 * col;
  for (let js = col + 1; js <= col2; js++) solveUpperTransposed(wn, 0, L, col, wn, L * (js - 1));
  for (let is = col + 1; is <= col2; is++) {
    for (let js = is; js <= col2; js++) {
      let sum = 0;
      for (let k = 0; k < col; k++) sum += wn[L * (is - 1) + k] * wn[L * (js - 1) + k];
      wn[is - 1 + L * (js - 1)] = wn[is - 1 + L * (js - 1)] + sum;
    }
  }
  if (choleskyUpper(wn, col + L * col, L, col) !== 0) return -2;
  return 0;
}

/**
 * lbfgsb.f `cmprlb`: the reduced gradient of the model at the Cauchy point on the free variables,
 * r = −Zᵀ(B(x_c − x) + g) = −Zᵀ(θ(x_c − x) − W M c + g), into r[0..nfree); unconstrained (after the
 * first iteration) simply r = −g.
 * @returns 0, or −8 if M c could not be formed.
 *
 * @example
 * ```ts
 * if (reducedGradient(n, m, x, g, ws, wy, sy, wt, z, r, wa, index, scalars, col, head, nfree, cnstnd) !== 0) { // restart
 * }
 * ```
 */
export function reducedGradient(
  n: number,
  m: number,
  x: Float64Array,
  g: Float64Array,
  ws: Float64Array,
  wy: Float64Array,
  sy: Float64Array,
  wt: Float64Array,
  z: Float64Array,
  r: Float64Array,
  wa: Float64Array,
  index: Int32Array,
  scalars: Float64Array,
  col: number,
  head: number,
  nfree: number,
  cnstnd: boolean,
): number {
  const theta = scalars[THETA];
  if (!cnstnd && col > 0) {
    for (let i = 0; i < n; i++) r[i] = -g[i];
    return 0;
  }
  for (let i = 0; i < nfree; i++) {
    const k = index[i];
    r[i] = -theta * (z[k] - x[k]) - g[k];
  }
  if (middleTimes(m, sy, wt, col, wa, 2 * m, wa, 0) !== 0) return -8;
  let pointr = head;
  for (let j = 0; j < col; j++) {
    const a1 = wa[j];
    const a2 = theta * wa[col + j];
    for (let i = 0; i < nfree; i++) {
      const k = index[i];
      r[i] = r[i] + wy[k + n * pointr] * a1 + ws[k + n * pointr] * a2;
    }
    pointr = (pointr + 1) % m;
  }
  return 0;
}

/**
 * lbfgsb.f `subsm` (3.0, with Morales–Nocedal's fix): the Newton step on the free variables,
 * d = (1/θ)·(r + (1/θ)·Zᵀ W K⁻¹ Wᵀ Z r) (Sherman–Morrison–Woodbury with K's LEL factors in `wn`),
 * x = P(x_c + d); if that projected point is not a descent direction from the iterate (gᵀ(x − x₀) > 0),
 * it goes back to x_c and takes the longest feasible step along d instead.
 * @param x the Cauchy point on entry (z), the subspace minimiser on return; `d` holds r on entry.
 * @param xx the iterate x₀; gg its gradient; wv 2m scratch; xp n scratch.
 * @returns 0, or a nonzero LINPACK code if a triangular solve failed (the caller restarts).
 *
 * @example
 * ```ts
 * if (subspaceMinimize(n, m, nfree, index, l, u, nbd, z, r, xp, ws, wy, scalars, x, g, col, head, wa, wn) !== 0) { // restart
 * }
 * ```
 */
export function subspaceMinimize(
  n: number,
  m: number,
  nsub: number,
  ind: Int32Array,
  l: Float64Array,
  u: Float64Array,
  nbd: Int32Array,
  x: Float64Array,
  d: Float64Array,
  xp: Float64Array,
  ws: Float64Array,
  wy: Float64Array,
  scalars: Float64Array,
  xx: Float64Array,
  gg: Float64Array,
  col: number,
  head: number,
  wv: Float64Array,
  wn: Float64Array,
): number {
  const theta = scalars[THETA];
  if (nsub <= 0) return 0;
  // wv = Wᵀ Z d.
  let pointr = head;
  for (let i = 0; i < col; i++) {
    let temp1 = 0;
    let temp2 = 0;
    for (let j = 0; j < nsub; j++) {
      const k = ind[j];
      temp1 = temp1 + wy[k + n * pointr] * d[j];
      temp2 = temp2 + ws[k + n * pointr] * d[j];
    }
    wv[i] = temp1;
    wv[col + i] = theta * temp2;
    pointr = (pointr + 1) % m;
  }
  // wv = K⁻¹ wv.
  const m2 = 2 * m;
  const col2 = 2 * col;
  let info = solveUpperTransposed(wn, 0, m2, col2, wv, 0);
  if (info !== 0) return info;
  for (let i = 0; i < col; i++) wv[i] = -wv[i];
  info = solveUpper(wn, 0, m2, col2, wv, 0);
  if (info !== 0) return info;
  // d = (1/θ)d + (1/θ²)ZᵀW wv.
  pointr = head;
  for (let jy = 0; jy < col; jy++) {
    const js = col + jy;
    for (let i = 0; i < nsub; i++) {
      const k = ind[i];
      d[i] = d[i] + (wy[k + n * pointr] * wv[jy]) / theta + ws[k + n * pointr] * wv[js];
    }
    pointr = (pointr + 1) % m;
  }
  const invTheta = 1 / theta;
  for (let i = 0; i < nsub; i++) d[i] = invTheta * d[i];
  // Project x_c + d onto the box.
  let iword = 0;
  for (let i = 0; i < n; i++) xp[i] = x[i];
  for (let i = 0; i < nsub; i++) {
    const k = ind[i];
    const dk = d[i];
    const xk = x[k];
    const kind = nbd[k];
    if (kind === 0) {
      x[k] = xk + dk;
    } else if (kind === 1) {
      x[k] = Math.max(l[k], xk + dk);
      if (x[k] === l[k]) iword = 1;
    } else if (kind === 2) {
      const lifted = Math.max(l[k], xk + dk);
      x[k] = Math.min(u[k], lifted);
      if (x[k] === l[k] || x[k] === u[k]) iword = 1;
    } else if (kind === 3) {
      x[k] = Math.min(u[k], xk + dk);
      if (x[k] === u[k]) iword = 1;
    }
  }
  if (iword === 0) return 0;
  // Is the projected point a descent direction from the iterate?
  let ddP = 0;
  for (let i = 0; i < n; i++) ddP = ddP + (x[i] - xx[i]) * gg[i];
  if (!(ddP > 0)) return 0;
  // No: back to the Cauchy point, then the longest step α ≤ 1 along d that stays feasible.
  for (let i = 0; i < n; i++) x[i] = xp[i];
  let alpha = 1;
  let temp1 = alpha;
  let ibd = 0;
  for (let i = 0; i < nsub; i++) {
    const k = ind[i];
    const dk = d[i];
    if (nbd[k] !== 0) {
      if (dk < 0 && nbd[k] <= 2) {
        const temp2 = l[k] - x[k];
        if (temp2 >= 0) temp1 = 0;
        else if (dk * alpha < temp2) temp1 = temp2 / dk;
      } else if (dk > 0 && nbd[k] >= 2) {
        const temp2 = u[k] - x[k];
        if (temp2 <= 0) temp1 = 0;
        else if (dk * alpha > temp2) temp1 = temp2 / dk;
      }
      if (temp1 < alpha) {
        alpha = temp1;
        ibd = i;
      }
    }
  }
  if (alpha < 1) {
    const dk = d[ibd];
    const k = ind[ibd];
    if (dk > 0) {
      x[k] = u[k];
      d[ibd] = 0;
    } else if (dk < 0) {
      x[k] = l[k];
      d[ibd] = 0;
    }
  }
  for (let i = 0; i < nsub; i++) {
    const k = ind[i];
    x[k] = x[k] + alpha * d[i];
  }
  return 0;
}
