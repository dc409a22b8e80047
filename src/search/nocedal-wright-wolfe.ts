// scipy 1.10's scalar_search_wolfe2 (scipy/optimize/_linesearch.py): Nocedal and Wright's bracketing
// strong-Wolfe search with its zoom (Algorithms 3.5 and 3.6), ported statement by statement. scipy's
// BFGS and CG fall back to it when the Moré–Thuente search (MINPACK-2's dcsrch) fails.
import { fusedMultiplyAdd } from "../numeric/fused-multiply-add.js";

/**
 * φ along a line, as {@link NocedalWrightSearch} asks for it. The step α is in out[3] and the
 * results go into `out`, so that no double passes through a call (V8 boxes a double passed to or
 * returned from a call it does not inline):
 * - `value()` writes φ(α) into out[0];
 * - `slope()` writes φ′(α) into out[1];
 * - `accept()` is scipy's `extra_condition`, asked (after `slope()`) of a step meeting the strong
 *   Wolfe conditions; `true` accepts it;
 * - out[2] ≠ 0 stops the search at once (the caller saw something it cannot go on from, e.g. a NaN).
 *
 * @example
 * ```ts
 * const out = new Float64Array(4);
 * const line: LineFunction = { out, value: () => { out[0] = (out[3] - 3) ** 2; }, slope: () => { out[1] = 2 * (out[3] - 3); }, accept: () => true };
 * ```
 */
export interface LineFunction {
  /** out[0] = φ(α) after `value`, out[1] = φ′(α) after `slope`, out[2] ≠ 0 to stop the search, out[3] = α. */
  readonly out: Float64Array;
  /** Writes φ(α) into out[0], α = out[3]. */
  value(): void;
  /** Writes φ′(α) into out[1], α = out[3]. */
  slope(): void;
  /** scipy's `extra_condition` at α = out[3]: whether a step meeting the strong Wolfe conditions is accepted. */
  accept(): boolean;
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
 * const search = new NocedalWrightSearch();
 * if (search.search(line, 9, NaN, -6, 1e-4, 0.9, 1e100, 10) === NocedalWrightStatus.Found) console.log(search.alpha);
 * ```
 */
export const NocedalWrightStatus = {
  /** A step meeting the strong Wolfe conditions (and `accept`). */
  Found: 1,
  /** The bracketing phase ran out; the last step, without its slope. */
  MaxIterations: 2,
  /** No step (scipy's `None`). */
  Failed: 3,
  /** The line function asked to stop (out[2] ≠ 0). */
  Stopped: 4,
} as const;

const ALPHA = 0;
const PHI = 1;
const DERPHI = 2;
// Results of the interpolations (NaN for scipy's None).
const SCRATCH = 3;
// zoom's arguments: a_lo, a_hi, phi_lo, phi_hi, derphi_lo.
const Z_A_LO = 4;
const Z_A_HI = 5;
const Z_PHI_LO = 6;
const Z_PHI_HI = 7;
const Z_DERPHI_LO = 8;
// The interpolations' arguments.
const I_A = 9; // a, fa, fpa, b, fb, c, fc at 9–15

// The inputs of searchFromInput.
const IN_PHI0 = 0;
const IN_OLD_PHI0 = 1;
const IN_DERPHI0 = 2;
const IN_C1 = 3;
const IN_C2 = 4;
const IN_AMAX = 5;
const IN_MAXITER = 6;

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
 * arithmetic is scipy's, operation for operation. Allocates nothing when driven through
 * {@link input} and {@link searchFromInput}.
 *
 * @example
 * ```ts
 * const search = new NocedalWrightSearch();
 * // φ(α) = (α − 3)²: φ(0) = 9, φ′(0) = −6
 * const out = new Float64Array(4); // φ(α), φ′(α), stop, α
 * const line: LineFunction = {
 *   out,
 *   value: () => void (out[0] = (out[3] - 3) ** 2),
 *   slope: () => void (out[1] = 2 * (out[3] - 3)),
 *   accept: () => true,
 * };
 * search.search(line, 9, NaN, -6, 1e-4, 0.9, 1e100, 10); // Found; search.alpha === 1
 * ```
 */
export class NocedalWrightSearch {
  /** The arguments of {@link searchFromInput}: φ(0), φ_prev (NaN: unknown), φ′(0), c₁, c₂, amax, maxiter. */
  readonly input: Float64Array = new Float64Array(7);
  /** The step found at [0], φ there at [1], φ′ there at [2] (the rest is scratch). */
  readonly result: Float64Array = new Float64Array(16);

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
    // Written one by one: an array literal here was an allocation per search.
    const input = this.input;
    input[IN_PHI0] = phi0;
    input[IN_OLD_PHI0] = oldPhi0;
    input[IN_DERPHI0] = derphi0;
    input[IN_C1] = c1;
    input[IN_C2] = c2;
    input[IN_AMAX] = amax;
    input[IN_MAXITER] = maxiter;
    return this.searchFromInput(line);
  }

  /** {@link search} with its numbers read from {@link input}. */
  searchFromInput(line: LineFunction): number {
    const input = this.input;
    const phi0 = input[IN_PHI0];
    const oldPhi0 = input[IN_OLD_PHI0];
    const derphi0 = input[IN_DERPHI0];
    const c1 = input[IN_C1];
    const c2 = input[IN_C2];
    const amax = input[IN_AMAX];
    const maxiter = input[IN_MAXITER];
    const out = line.out;
    const r = this.result;
    let alpha0 = 0;
    let alpha1: number;
    if (!Number.isNaN(oldPhi0) && derphi0 !== 0) {
      const guess = (1.01 * 2 * (phi0 - oldPhi0)) / derphi0;
      alpha1 = guess < 1.0 ? guess : 1.0; // Python's min(1.0, guess)
    } else alpha1 = 1.0;
    if (alpha1 < 0) alpha1 = 1.0;
    if (amax < alpha1) alpha1 = amax;
    out[3] = alpha1;
    line.value();
    if (out[2] !== 0) return NocedalWrightStatus.Stopped;
    let phiA1 = out[0];
    let phiA0 = phi0;
    let derphiA0 = derphi0;
    for (let i = 0; i < maxiter; i++) {
      // alpha1 == 0: perhaps the increment has slipped below machine precision.
      if (alpha1 === 0 || alpha0 === amax) return NocedalWrightStatus.Failed;
      const notFirstIteration = i > 0;
      if (phiA1 > phi0 + c1 * alpha1 * derphi0 || (phiA1 >= phiA0 && notFirstIteration)) {
        r[Z_A_LO] = alpha0;
        r[Z_A_HI] = alpha1;
        r[Z_PHI_LO] = phiA0;
        r[Z_PHI_HI] = phiA1;
        r[Z_DERPHI_LO] = derphiA0;
        return this.zoom(line);
      }
      out[3] = alpha1;
      line.slope();
      if (out[2] !== 0) return NocedalWrightStatus.Stopped;
      const derphiA1 = out[1];
      if (Math.abs(derphiA1) <= -c2 * derphi0) {
        const accepted = line.accept();
        if (out[2] !== 0) return NocedalWrightStatus.Stopped;
        if (accepted) {
          r[ALPHA] = alpha1;
          r[PHI] = phiA1;
          r[DERPHI] = derphiA1;
          return NocedalWrightStatus.Found;
        }
      }
      if (derphiA1 >= 0) {
        r[Z_A_LO] = alpha1;
        r[Z_A_HI] = alpha0;
        r[Z_PHI_LO] = phiA1;
        r[Z_PHI_HI] = phiA0;
        r[Z_DERPHI_LO] = derphiA1;
        return this.zoom(line);
      }
      let alpha2 = 2 * alpha1; // increase by a factor of two on each iteration
      if (amax < alpha2) alpha2 = amax; // Python's min(alpha2, amax)
      alpha0 = alpha1;
      alpha1 = alpha2;
      phiA0 = phiA1;
      out[3] = alpha1;
      line.value();
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
  private zoom(line: LineFunction): number {
    const input = this.input;
    const phi0 = input[IN_PHI0];
    const derphi0 = input[IN_DERPHI0];
    const c1 = input[IN_C1];
    const c2 = input[IN_C2];
    const out = line.out;
    const r = this.result;
    let aLo = r[Z_A_LO];
    let aHi = r[Z_A_HI];
    let phiLo = r[Z_PHI_LO];
    let phiHi = r[Z_PHI_HI];
    let derphiLo = r[Z_DERPHI_LO];
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
      r[I_A] = aLo;
      r[I_A + 1] = phiLo;
      r[I_A + 2] = derphiLo;
      r[I_A + 3] = aHi;
      r[I_A + 4] = phiHi;
      r[I_A + 5] = aRec;
      r[I_A + 6] = phiRec;
      if (i > 0) {
        cchk = delta1 * dalpha;
        cubicmin(r);
        aJ = r[SCRATCH];
      }
      if (i === 0 || Number.isNaN(aJ) || aJ > b - cchk || aJ < a + cchk) {
        const qchk = delta2 * dalpha;
        quadmin(r);
        aJ = r[SCRATCH];
        if (Number.isNaN(aJ) || aJ > b - qchk || aJ < a + qchk) aJ = aLo + 0.5 * dalpha;
      }
      out[3] = aJ;
      line.value();
      if (out[2] !== 0) return NocedalWrightStatus.Stopped;
      const phiAj = out[0];
      if (phiAj > phi0 + c1 * aJ * derphi0 || phiAj >= phiLo) {
        phiRec = phiHi;
        aRec = aHi;
        aHi = aJ;
        phiHi = phiAj;
      } else {
        out[3] = aJ;
        line.slope();
        if (out[2] !== 0) return NocedalWrightStatus.Stopped;
        const derphiAj = out[1];
        if (Math.abs(derphiAj) <= -c2 * derphi0) {
          const accepted = line.accept();
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

// scipy's _cubicmin: the minimiser of the cubic through (a, fa) with slope fpa, (b, fb) and (c, fc)
// (from r[I_A..I_A+6]), into r[SCRATCH]; NaN where scipy returns None (numpy raises on a division by zero, an overflow or
// a square root of a negative number, or the result is not finite).
function cubicmin(r: Float64Array): void {
  const a = r[I_A];
  const fa = r[I_A + 1];
  const fpa = r[I_A + 2];
  const b = r[I_A + 3];
  const fb = r[I_A + 4];
  const c = r[I_A + 5];
  const fc = r[I_A + 6];
  r[SCRATCH] = NaN;
  const C = fpa;
  const db = b - a;
  const dc = c - a;
  const dbdc = db * dc;
  const denom = dbdc * dbdc * (db - dc);
  if (denom === 0 || !Number.isFinite(denom)) return;
  const d00 = dc * dc;
  const d01 = -(db * db);
  const d10 = -cube(dc);
  const d11 = cube(db);
  const v0 = fb - fa - C * db;
  const v1 = fc - fa - C * dc;
  // [A, B] = np.dot(d1, [v0, v1]): numpy's 2 × 2 product (OpenBLAS's dgemv kernel, on the x86-64
  // machine the reference fixture comes from) computes each row as fma(d_i0, v0, d_i1·v1).
  let A = fusedMultiplyAdd(d00, v0, d01 * v1);
  let B = fusedMultiplyAdd(d10, v0, d11 * v1);
  if (!Number.isFinite(A) || !Number.isFinite(B)) return;
  A /= denom;
  B /= denom;
  const radical = B * B - 3 * A * C;
  if (!(radical >= 0) || 3 * A === 0 || !Number.isFinite(radical)) return;
  const xmin = a + (-B + Math.sqrt(radical)) / (3 * A);
  if (Number.isFinite(xmin)) r[SCRATCH] = xmin;
}

const SPLITTER = 134217729; // 2^27 + 1, Veltkamp's splitting constant

// x³ rounded once, as glibc's pow(x, 3) (Python's x ** 3) gives it; V8's Math.pow(x, 3) can be an
// ulp off. x·x = p + e and p·x = q + f exactly (Dekker's products), then x³ = q + (f + e·x).
function cube(x: number): number {
  const p = x * x;
  const q = p * x;
  if (!Number.isFinite(q) || q === 0) return q;
  let t = SPLITTER * x;
  const xh = t - (t - x);
  const xl = x - xh;
  const e = xl * xl - (((p - xh * xh) - xl * xh) - xh * xl);
  t = SPLITTER * p;
  const ph = t - (t - p);
  const pl = p - ph;
  const f = pl * xl - (((q - ph * xh) - pl * xh) - ph * xl);
  return q + (f + e * x);
}

// scipy's _quadmin: the minimiser of the quadratic through (a, fa) with slope fpa and (b, fb) (from
// r[I_A..I_A+4]), into r[SCRATCH]; NaN where scipy returns None.
function quadmin(r: Float64Array): void {
  const a = r[I_A];
  const fa = r[I_A + 1];
  const fpa = r[I_A + 2];
  const b = r[I_A + 3];
  const fb = r[I_A + 4];
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
