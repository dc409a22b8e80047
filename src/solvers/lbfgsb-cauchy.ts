// L-BFGS-B's generalized Cauchy point (lbfgsb.f 3.0 `cauchy`, `hpsolb`): the first local minimiser
// of the quadratic model along the projected steepest-descent path, found breakpoint by breakpoint.
import { middleTimes } from "./lbfgsb-compact.js";
import { SBGNRM, THETA } from "./lbfgsb-scalars.js";

// 2·dlamch('e'), float64's machine epsilon 2⁻⁵² (lbfgsb.f's epsmch).
const EPSMCH = 2.220446049250313e-16;

/**
 * lbfgsb.f `hpsolb`: heap operations on the breakpoints t[0..n) with their variables `order`.
 * With `iheap` = 0 the array is first made a heap; then the least t is moved to t[n − 1] and the
 * rest (n − 1 entries) made a heap again.
 *
 * @example
 * ```ts
 * const t = Float64Array.of(3, 1, 2), order = Int32Array.of(0, 1, 2);
 * heapSelectLeast(3, t, order, 0); // t[2] = 1, order[2] = 1
 * ```
 */
export function heapSelectLeast(n: number, t: Float64Array, order: Int32Array, iheap: number): void {
  // 1-based positions as in the Fortran: position p is t[p − 1].
  if (iheap === 0) {
    for (let k = 2; k <= n; k++) {
      const ddum = t[k - 1];
      const indxin = order[k - 1];
      let i = k;
      while (i > 1) {
        const j = i >> 1;
        if (!(ddum < t[j - 1])) break;
        t[i - 1] = t[j - 1];
        order[i - 1] = order[j - 1];
        i = j;
      }
      t[i - 1] = ddum;
      order[i - 1] = indxin;
    }
  }
  if (n > 1) {
    let i = 1;
    const out = t[0];
    const indxou = order[0];
    const ddum = t[n - 1];
    const indxin = order[n - 1];
    for (;;) {
      let j = i + i;
      if (j > n - 1) break;
      if (t[j] < t[j - 1]) j = j + 1;
      if (!(t[j - 1] < ddum)) break;
      t[i - 1] = t[j - 1];
      order[i - 1] = order[j - 1];
      i = j;
    }
    t[i - 1] = ddum;
    order[i - 1] = indxin;
    t[n - 1] = out;
    order[n - 1] = indxou;
  }
}

/** Where a variable is, lbfgsb.f's `iwhere`: free with no bounds. */
export const UNBOUNDED = -1;
/** Free (may move). */
export const FREE = 0;
/** Fixed at its lower bound. */
export const AT_LOWER = 1;
/** Fixed at its upper bound. */
export const AT_UPPER = 2;
/** Fixed because its lower and upper bounds are equal. */
export const FIXED = 3;
/** Free with a zero gradient component (lbfgsb.f's −3: treated as not moving in the Cauchy search). */
export const ZERO_GRADIENT = -3;

/** The arrays the Cauchy point reads and writes (the solver's state, allocated once). */
export interface CauchyWork {
  /** n, the number of variables. */
  n: number;
  /** m, the history size (leading dimension of sy and wt). */
  m: number;
  /** Bound kinds: 0 none, 1 lower only, 2 both, 3 upper only. */
  nbd: Int32Array;
  /** Lower and upper bounds. */
  lower: Float64Array;
  /** Upper bounds. */
  upper: Float64Array;
  /** Variable status, the constants {@link FREE}, {@link AT_LOWER}, …; updated. */
  iwhere: Int32Array;
  /** n scratch: the breakpoint variables (lbfgsb.f `iorder`, which is `indx2`). */
  order: Int32Array;
  /** n scratch: the breakpoints (lbfgsb.f `t`). */
  breakpoints: Float64Array;
  /** n scratch: the projected steepest-descent direction. */
  d: Float64Array;
  /** S and Y, n × m column-major, and the middle matrix's SᵀY and Cholesky factor (see {@link middleTimes}). */
  ws: Float64Array;
  /** Y, n × m column-major. */
  wy: Float64Array;
  /** SᵀY, m × m. */
  sy: Float64Array;
  /** Cholesky factor of T, m × m. */
  wt: Float64Array;
  /** 8m scratch: p = Wᵀd at 0, c = Wᵀ(xcp − x) at 2m (read by the subspace step), wbp at 4m, v at 6m. */
  wa: Float64Array;
}

/**
 * The generalized Cauchy point x_c (lbfgsb.f `cauchy`). Along the projected gradient path
 * x(t) = P(x − t·g, l, u), the model m(x) = gᵀ(x − x₀) + ½(x − x₀)ᵀB(x − x₀) with B = θI − W M Wᵀ
 * is piecewise quadratic; on each segment between breakpoints (taken in increasing order from a
 * heap) f′ = f1 and f″ = f2 are updated in O(m) and the search stops at the first segment whose
 * minimiser −f1/f2 lies inside it.
 *
 * @param x the iterate; `xcp` receives the Cauchy point; `wa[2m..4m)` receives c = Wᵀ(xcp − x).
 * @param scalars θ (THETA) and max|projected gᵢ| (SBGNRM; 0 → xcp = x).
 * @returns 0, or a nonzero code if a triangular solve in M v failed (the caller restarts the memory).
 *
 * @example
 * ```ts
 * if (cauchyPoint(w, x, g, xcp, col, head, scalars) !== 0) { // refresh the memory
 * }
 * ```
 */
export function cauchyPoint(
  w: CauchyWork,
  x: Float64Array,
  g: Float64Array,
  xcp: Float64Array,
  col: number,
  head: number,
  scalars: Float64Array,
): number {
  const { n, m, nbd, lower: l, upper: u, iwhere, order: iorder, breakpoints: t, d, ws, wy, sy, wt, wa } = w;
  const theta = scalars[THETA];
  const sbgnrm = scalars[SBGNRM];
  const epsmch = EPSMCH;
  if (sbgnrm <= 0) {
    for (let i = 0; i < n; i++) xcp[i] = x[i];
    return 0;
  }
  const P = 0;
  const C = 2 * m;
  const WBP = 4 * m;
  const V = 6 * m;
  let bnded = true;
  let nfree = n + 1; // 1-based position, filled downwards
  let nbreak = 0;
  let ibkmin = 0;
  let tl = 0;
  let tu = 0;
  let bkmin = 0;
  const col2 = 2 * col;
  let f1 = 0;
  for (let i = 0; i < col2; i++) wa[P + i] = 0;
  // The status of each variable, d = −g on the free ones, p = Wᵀd, and the breakpoints.
  for (let i = 0; i < n; i++) {
    const neggi = -g[i];
    if (iwhere[i] !== FIXED && iwhere[i] !== UNBOUNDED) {
      if (nbd[i] <= 2) tl = x[i] - l[i];
      if (nbd[i] >= 2) tu = u[i] - x[i];
      const xlower = nbd[i] <= 2 && tl <= 0;
      const xupper = nbd[i] >= 2 && tu <= 0;
      iwhere[i] = FREE;
      if (xlower) {
        if (neggi <= 0) iwhere[i] = AT_LOWER;
      } else if (xupper) {
        if (neggi >= 0) iwhere[i] = AT_UPPER;
      } else if (Math.abs(neggi) <= 0) {
        iwhere[i] = ZERO_GRADIENT;
      }
    }
    let pointr = head;
    if (iwhere[i] !== FREE && iwhere[i] !== UNBOUNDED) {
      d[i] = 0;
    } else {
      d[i] = neggi;
      f1 = f1 - neggi * neggi;
      for (let j = 0; j < col; j++) {
        wa[P + j] = wa[P + j] + wy[i + n * pointr] * neggi;
        wa[P + col + j] = wa[P + col + j] + ws[i + n * pointr] * neggi;
        pointr = (pointr + 1) % m;
      }
      if (nbd[i] <= 2 && nbd[i] !== 0 && neggi < 0) {
        nbreak++;
        iorder[nbreak - 1] = i;
        t[nbreak - 1] = tl / -neggi;
        if (nbreak === 1 || t[nbreak - 1] < bkmin) {
          bkmin = t[nbreak - 1];
          ibkmin = nbreak;
        }
      } else if (nbd[i] >= 2 && neggi > 0) {
        nbreak++;
        iorder[nbreak - 1] = i;
        t[nbreak - 1] = tu / neggi;
        if (nbreak === 1 || t[nbreak - 1] < bkmin) {
          bkmin = t[nbreak - 1];
          ibkmin = nbreak;
        }
      } else {
        nfree--;
        iorder[nfree - 1] = i;
        if (Math.abs(neggi) > 0) bnded = false;
      }
    }
  }
  if (theta !== 1) for (let j = 0; j < col; j++) wa[P + col + j] = theta * wa[P + col + j];
  for (let i = 0; i < n; i++) xcp[i] = x[i];
  if (nbreak === 0 && nfree === n + 1) return 0; // d = 0: xcp = x
  for (let j = 0; j < col2; j++) wa[C + j] = 0;
  // f1 = f′(0) = −dᵀd, f2 = f″(0) = θdᵀd − pᵀMp.
  let f2 = -theta * f1;
  const f2Org = f2;
  if (col > 0) {
    const info = middleTimes(m, sy, wt, col, wa, P, wa, V);
    if (info !== 0) return info;
    let vp = 0;
    for (let j = 0; j < col2; j++) vp += wa[V + j] * wa[P + j];
    f2 = f2 - vp;
  }
  let dtm = -f1 / f2;
  let tsum = 0;
  let reachedLast = false;
  if (nbreak > 0) {
    let nleft = nbreak;
    let iter = 1;
    let tj = 0;
    for (;;) {
      // The next breakpoint: the least one, from the heap after the first.
      const tj0 = tj;
      let ibp: number;
      if (iter === 1) {
        tj = bkmin;
        ibp = iorder[ibkmin - 1];
      } else {
        if (iter === 2 && ibkmin !== nbreak) {
          // Replace the already used smallest breakpoint with the last one, then build the heap.
          t[ibkmin - 1] = t[nbreak - 1];
          iorder[ibkmin - 1] = iorder[nbreak - 1];
        }
        heapSelectLeast(nleft, t, iorder, iter - 2);
        tj = t[nleft - 1];
        ibp = iorder[nleft - 1];
      }
      const dt = tj - tj0;
      if (dtm < dt) break; // the minimiser lies in this segment
      // Fix variable ibp at its bound and update f1, f2 for the next segment.
      tsum = tsum + dt;
      nleft--;
      iter++;
      const dibp = d[ibp];
      d[ibp] = 0;
      let zibp: number;
      if (dibp > 0) {
        zibp = u[ibp] - x[ibp];
        xcp[ibp] = u[ibp];
        iwhere[ibp] = AT_UPPER;
      } else {
        zibp = l[ibp] - x[ibp];
        xcp[ibp] = l[ibp];
        iwhere[ibp] = AT_LOWER;
      }
      if (nleft === 0 && nbreak === n) {
        // All n variables are fixed: xcp is the corner reached.
        dtm = dt;
        reachedLast = true;
        break;
      }
      const dibp2 = dibp * dibp;
      f1 = f1 + dt * f2 + dibp2 - theta * dibp * zibp;
      f2 = f2 - theta * dibp2;
      if (col > 0) {
        if (dt !== 0) for (let j = 0; j < col2; j++) wa[C + j] = wa[C + j] + dt * wa[P + j];
        // wbp = the row of W for variable ibp.
        let pointr = head;
        for (let j = 0; j < col; j++) {
          wa[WBP + j] = wy[ibp + n * pointr];
          wa[WBP + col + j] = theta * ws[ibp + n * pointr];
          pointr = (pointr + 1) % m;
        }
        const info = middleTimes(m, sy, wt, col, wa, WBP, wa, V);
        if (info !== 0) return info;
        let wmc = 0;
        let wmp = 0;
        let wmw = 0;
        for (let j = 0; j < col2; j++) wmc += wa[C + j] * wa[V + j];
        for (let j = 0; j < col2; j++) wmp += wa[P + j] * wa[V + j];
        for (let j = 0; j < col2; j++) wmw += wa[WBP + j] * wa[V + j];
        const negDibp = -dibp;
        if (negDibp !== 0) for (let j = 0; j < col2; j++) wa[P + j] = wa[P + j] + negDibp * wa[WBP + j];
        f1 = f1 + dibp * wmc;
        f2 = f2 + 2.0 * dibp * wmp - dibp2 * wmw;
      }
      f2 = Math.max(epsmch * f2Org, f2);
      if (nleft > 0) {
        dtm = -f1 / f2;
        continue;
      } else if (bnded) {
        f1 = 0;
        f2 = 0;
        dtm = 0;
      } else {
        dtm = -f1 / f2;
      }
      break;
    }
  }
  if (!reachedLast) {
    if (dtm <= 0) dtm = 0;
    tsum = tsum + dtm;
    // xcp = x + tsum·d on the variables still free.
    if (tsum !== 0) for (let i = 0; i < n; i++) xcp[i] = xcp[i] + tsum * d[i];
  }
  if (col > 0 && dtm !== 0) for (let j = 0; j < col2; j++) wa[C + j] = wa[C + j] + dtm * wa[P + j];
  return 0;
}
