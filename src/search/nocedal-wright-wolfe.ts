// scipy 1.10's scalar_search_wolfe2 (scipy/optimize/_linesearch.py): Nocedal and Wright's bracketing
// strong-Wolfe search with its zoom (Algorithms 3.5 and 3.6), ported statement by statement. scipy's
// BFGS and CG fall back to it when the Moré–Thuente search (MINPACK-2's dcsrch) fails.

/**
 * φ along a line, as {@link NocedalWrightSearch} asks for it. The results go into `out`, so that no
 * number is returned from a call (V8 boxes a double returned from a call it does not inline):
 * - `value(α)` writes φ(α) into out[0];
 * - `slope(α)` writes φ′(α) into out[1];
 * - `accept(α)` is scipy's `extra_condition`, asked (after `slope(α)`) of a step meeting the strong
 *   Wolfe conditions; `true` accepts it;
 * - out[2] ≠ 0 stops the search at once (the caller saw something it cannot go on from, e.g. a NaN).
 *
 * @example
 * ```ts
 * const out = new Float64Array(3);
 * const line: LineFunction = { out, value: (a) => { out[0] = (a - 3) ** 2; }, slope: (a) => { out[1] = 2 * (a - 3); }, accept: () => true };
 * ```
 */
export interface LineFunction {
  /** out[0] = φ(α) after `value`, out[1] = φ′(α) after `slope`, out[2] ≠ 0 to stop the search. */
  readonly out: Float64Array;
  /** Writes φ(α) into out[0]. */
  value(alpha: number): void;
  /** Writes φ′(α) into out[1]. */
  slope(alpha: number): void;
  /** scipy's `extra_condition`: whether a step meeting the strong Wolfe conditions is accepted. */
  accept(alpha: number): boolean;
}

/**
 * How {@link NocedalWrightSearch.search} ended:
 * - `Found` (1): α meets the strong Wolfe conditions (and `accept`); φ(α) and φ′(α) are known;
 * - `MaxIterations` (2): the bracketing phase ran out of its iterations; scipy then still returns
 *   its last step α with φ(α) but no φ′(α) (and its callers use that step);
 * - `Failed` (3): no step (scipy's `None`): the zoom ran out, or the step reached 0 or `amax`;
 * - `Stopped` (4): the line function set out[2].
 *
 * @example
 * ```ts
 * if (search.search(line, f0, NaN, g0, 1e-4, 0.9, 1e100, 10) === NocedalWrightStatus.Found) use(search.alpha);
 * ```
 */
export const NocedalWrightStatus = { Found: 1, MaxIterations: 2, Failed: 3, Stopped: 4 } as const;

const ALPHA = 0;
const PHI = 1;
const DERPHI = 2;
// Results of the interpolations (NaN for scipy's None).
const SCRATCH = 3;

/**
 * scipy's `scalar_search_wolfe2`: finds α > 0 with
 *
 * ```math
 * \varphi(\alpha) \le \varphi(0) + c_1\,\alpha\,\varphi'(0), \qquad |\varphi'(\alpha)| \le -c_2\,\varphi'(0)
 * ```
 *
 * by doubling α from α₁ = min(1, 1.01·2·(φ(0) − φ_prev)/φ′(0)) (1 when that is negative or
 * φ_prev is unknown) until a bracket is found, then zooming in it with cubic, quadratic or
 * bisection steps (Nocedal and Wright, Numerical Optimization, Algorithms 3.5 and 3.6). The
 * arithmetic is scipy's, operation for operation. Allocates nothing.
 *
 * @example
 * ```ts
 * const search = new NocedalWrightSearch();
 * // φ(α) = (α − 3)²: φ(0) = 9, φ′(0) = −6
 * search.search(line, 9, NaN, -6, 1e-4, 0.9, 1e100, 10); // Found; search.alpha === 1
 * ```
 */
export class NocedalWrightSearch {
  private readonly result = new Float64Array(4);

  /** The step found (after `Found` or `MaxIterations`). */
  get alpha(): number {
    return this.result[ALPHA];
  }
  /** φ at {@link alpha}. */
  get phi(): number {
    return this.result[PHI];
  }
  /** φ′ at {@link alpha} (after `Found`). */
  get derphi(): number {
    return this.result[DERPHI];
  }

  /**
   * Runs the search.
   * @param phi0 φ(0)
   * @param oldPhi0 φ at the previous iterate, NaN if unknown (scipy's `old_phi0=None`)
   * @param derphi0 φ′(0), < 0
   * @param amax the largest step (scipy passes 1e100 from BFGS and CG)
   * @param maxiter the bracketing phase's iterations (scipy's default 10)
   * @returns a {@link NocedalWrightStatus} code
   */
  search(line: LineFunction, phi0: number, oldPhi0: number, derphi0: number, c1: number, c2: number, amax: number, maxiter: number): number {
    const out = line.out;
    const r = this.result;
    let alpha0 = 0;
    let alpha1: number;
    if (!Number.isNaN(oldPhi0) && derphi0 !== 0) alpha1 = pyMin(1.0, (1.01 * 2 * (phi0 - oldPhi0)) / derphi0);
    else alpha1 = 1.0;
    if (alpha1 < 0) alpha1 = 1.0;
    alpha1 = pyMin(alpha1, amax);
    line.value(alpha1);
    if (out[2] !== 0) return NocedalWrightStatus.Stopped;
    let phiA1 = out[0];
    let phiA0 = phi0;
    let derphiA0 = derphi0;
    for (let i = 0; i < maxiter; i++) {
      // alpha1 == 0: perhaps the increment has slipped below machine precision.
      if (alpha1 === 0 || alpha0 === amax) return NocedalWrightStatus.Failed;
      const notFirstIteration = i > 0;
      if (phiA1 > phi0 + c1 * alpha1 * derphi0 || (phiA1 >= phiA0 && notFirstIteration)) {
        return this.zoom(alpha0, alpha1, phiA0, phiA1, derphiA0, line, phi0, derphi0, c1, c2);
      }
      line.slope(alpha1);
      if (out[2] !== 0) return NocedalWrightStatus.Stopped;
      const derphiA1 = out[1];
      if (Math.abs(derphiA1) <= -c2 * derphi0) {
        const accepted = line.accept(alpha1);
        if (out[2] !== 0) return NocedalWrightStatus.Stopped;
        if (accepted) {
          r[ALPHA] = alpha1;
          r[PHI] = phiA1;
          r[DERPHI] = derphiA1;
          return NocedalWrightStatus.Found;
        }
      }
      if (derphiA1 >= 0) return this.zoom(alpha1, alpha0, phiA1, phiA0, derphiA1, line, phi0, derphi0, c1, c2);
      let alpha2 = 2 * alpha1; // increase by a factor of two on each iteration
      alpha2 = pyMin(alpha2, amax);
      alpha0 = alpha1;
      alpha1 = alpha2;
      phiA0 = phiA1;
      line.value(alpha1);
      if (out[2] !== 0) return NocedalWrightStatus.Stopped;
      phiA1 = out[0];
      derphiA0 = derphiA1;
    }
    // The bracketing phase ran out: scipy returns the last step, without its slope.
    r[ALPHA] = alpha1;
    r[PHI] = phiA1;
    r[DERPHI] = NaN;
    return NocedalWrightStatus.MaxIterations;
  }

  // scipy's _zoom (Algorithm 3.6): a_lo has the lower value and a slope pointing into the bracket.
  private zoom(aLo: number, aHi: number, phiLo: number, phiHi: number, derphiLo: number, line: LineFunction, phi0: number, derphi0: number, c1: number, c2: number): number {
    const out = line.out;
    const r = this.result;
    const maxiter = 10;
    let i = 0;
    const delta1 = 0.2; // cubic interpolant check
    const delta2 = 0.1; // quadratic interpolant check
    let phiRec = phi0;
    let aRec = 0;
    let cchk = 0;
    let aJ = NaN;
    for (;;) {
      const dalpha = aHi - aLo;
      let a: number;
      let b: number;
      if (dalpha < 0) {
        a = aHi;
        b = aLo;
      } else {
        a = aLo;
        b = aHi;
      }
      // The cubic through (a_lo, φ_lo, φ′_lo), (a_hi, φ_hi) and the previous a_hi; if it is too
      // close to the ends (or outside), the quadratic through (a_lo, φ_lo, φ′_lo) and (a_hi, φ_hi);
      // if that is too, bisection.
      if (i > 0) {
        cchk = delta1 * dalpha;
        cubicmin(aLo, phiLo, derphiLo, aHi, phiHi, aRec, phiRec, r);
        aJ = r[SCRATCH];
      }
      if (i === 0 || Number.isNaN(aJ) || aJ > b - cchk || aJ < a + cchk) {
        const qchk = delta2 * dalpha;
        quadmin(aLo, phiLo, derphiLo, aHi, phiHi, r);
        aJ = r[SCRATCH];
        if (Number.isNaN(aJ) || aJ > b - qchk || aJ < a + qchk) aJ = aLo + 0.5 * dalpha;
      }
      line.value(aJ);
      if (out[2] !== 0) return NocedalWrightStatus.Stopped;
      const phiAj = out[0];
      if (phiAj > phi0 + c1 * aJ * derphi0 || phiAj >= phiLo) {
        phiRec = phiHi;
        aRec = aHi;
        aHi = aJ;
        phiHi = phiAj;
      } else {
        line.slope(aJ);
        if (out[2] !== 0) return NocedalWrightStatus.Stopped;
        const derphiAj = out[1];
        if (Math.abs(derphiAj) <= -c2 * derphi0) {
          const accepted = line.accept(aJ);
          if (out[2] !== 0) return NocedalWrightStatus.Stopped;
          if (accepted) {
            r[ALPHA] = aJ;
            r[PHI] = phiAj;
            r[DERPHI] = derphiAj;
            return NocedalWrightStatus.Found;
          }
        }
        if (derphiAj * (aHi - aLo) >= 0) {
          phiRec = phiHi;
          aRec = aHi;
          aHi = aLo;
          phiHi = phiLo;
        } else {
          phiRec = phiLo;
          aRec = aLo;
        }
        aLo = aJ;
        phiLo = phiAj;
        derphiLo = derphiAj;
      }
      i += 1;
      if (i > maxiter) return NocedalWrightStatus.Failed;
    }
  }
}

// Python's min(a, b): a unless b < a (so a NaN b gives a).
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

// scipy's _cubicmin: the minimiser of the cubic through (a, fa) with slope fpa, (b, fb) and (c, fc),
// into r[SCRATCH]; NaN where scipy returns None (numpy raises on a division by zero, an overflow or
// a square root of a negative number, or the result is not finite).
function cubicmin(a: number, fa: number, fpa: number, b: number, fb: number, c: number, fc: number, r: Float64Array): void {
  r[SCRATCH] = NaN;
  const C = fpa;
  const db = b - a;
  const dc = c - a;
  const dbdc = db * dc;
  const denom = dbdc * dbdc * (db - dc);
  if (denom === 0 || !Number.isFinite(denom)) return;
  const d00 = dc * dc;
  const d01 = -(db * db);
  const d10 = -Math.pow(dc, 3);
  const d11 = Math.pow(db, 3);
  const v0 = fb - fa - C * db;
  const v1 = fc - fa - C * dc;
  let A = d00 * v0 + d01 * v1;
  let B = d10 * v0 + d11 * v1;
  if (!Number.isFinite(A) || !Number.isFinite(B)) return;
  A /= denom;
  B /= denom;
  const radical = B * B - 3 * A * C;
  if (!(radical >= 0) || 3 * A === 0 || !Number.isFinite(radical)) return;
  const xmin = a + (-B + Math.sqrt(radical)) / (3 * A);
  if (Number.isFinite(xmin)) r[SCRATCH] = xmin;
}

// scipy's _quadmin: the minimiser of the quadratic through (a, fa) with slope fpa and (b, fb), into
// r[SCRATCH]; NaN where scipy returns None.
function quadmin(a: number, fa: number, fpa: number, b: number, fb: number, r: Float64Array): void {
  r[SCRATCH] = NaN;
  const D = fa;
  const C = fpa;
  const db = b - a * 1.0;
  const db2 = db * db;
  if (db2 === 0) return;
  const B = (fb - D - C * db) / db2;
  if (B === 0 || !Number.isFinite(B)) return;
  const xmin = a - C / (2.0 * B);
  if (Number.isFinite(xmin)) r[SCRATCH] = xmin;
}
