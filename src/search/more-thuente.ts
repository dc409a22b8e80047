// MINPACK-2's dcsrch and dcstep (Moré and Thuente 1994), ported statement by statement: the line
// search that scipy's `line_search_wolfe1` (and so its BFGS and CG) and L-BFGS-B's Fortran call.
import { InvalidOptionError } from "../errors.js";

/**
 * What {@link MoreThuenteSearch.start} and {@link MoreThuenteSearch.next} ask of the caller, dcsrch's
 * `task` as a number:
 * - `FG` (1): evaluate f and φ′ = ∇f·d at {@link MoreThuenteSearch.step} and call `next(f, g)`;
 * - `Convergence` (2): the step meets f(α) ≤ f(0) + ftol·α·φ′(0) and |φ′(α)| ≤ gtol·|φ′(0)|;
 * - `RoundingErrors` (3), `XtolSatisfied` (4), `StepAtMax` (5), `StepAtMin` (6): dcsrch's four
 *   `WARNING`s (no step meets both conditions; the step is the best point found);
 * - 7–14: dcsrch's `ERROR`s on the arguments of `start` (`StepBelowMin`, `StepAboveMax`,
 *   `InitialSlopeNotNegative`, `FtolNegative`, `GtolNegative`, `XtolNegative`, `StepMinNegative`,
 *   `StepMaxBelowMin`).
 *
 * `task >= MoreThuenteTask.RoundingErrors` means the search failed (scipy returns `None` then).
 *
 * @example
 * ```ts
 * const search = new MoreThuenteSearch();
 * // φ(α) = (α − 3)², φ(0) = 9, φ′(0) = −6
 * let task = search.start(1, 9, -6, 1e-4, 0.9, 1e-14, 1e-8, 50);
 * if (task === MoreThuenteTask.FG) task = search.next((search.step - 3) ** 2, 2 * (search.step - 3)); // evaluate at search.step
 * ```
 */
export const MoreThuenteTask = {
  /** Evaluate φ and φ′ at the step, then call `next`. */
  FG: 1,
  /** Both conditions hold at the step. */
  Convergence: 2,
  /** `WARNING: ROUNDING ERRORS PREVENT PROGRESS`. */
  RoundingErrors: 3,
  /** `WARNING: XTOL TEST SATISFIED`: the bracket is shorter than xtol·stmax. */
  XtolSatisfied: 4,
  /** `WARNING: STP = STPMAX`. */
  StepAtMax: 5,
  /** `WARNING: STP = STPMIN`. */
  StepAtMin: 6,
  /** `ERROR: STP .LT. STPMIN`. */
  StepBelowMin: 7,
  /** `ERROR: STP .GT. STPMAX`. */
  StepAboveMax: 8,
  /** `ERROR: INITIAL G .GE. ZERO`: d is not a descent direction. */
  InitialSlopeNotNegative: 9,
  /** `ERROR: FTOL .LT. ZERO`. */
  FtolNegative: 10,
  /** `ERROR: GTOL .LT. ZERO`. */
  GtolNegative: 11,
  /** `ERROR: XTOL .LT. ZERO`. */
  XtolNegative: 12,
  /** `ERROR: STPMIN .LT. ZERO`. */
  StepMinNegative: 13,
  /** `ERROR: STPMAX .LT. STPMIN`. */
  StepMaxBelowMin: 14,
} as const;

/** One of the values of {@link MoreThuenteTask}. */
export type MoreThuenteTaskCode = (typeof MoreThuenteTask)[keyof typeof MoreThuenteTask];

/**
 * dcsrch's `task` string for a {@link MoreThuenteTask} code (to compare with MINPACK-2 or scipy).
 *
 * @example
 * ```ts
 * moreThuenteTaskText(MoreThuenteTask.XtolSatisfied); // "WARNING: XTOL TEST SATISFIED"
 * ```
 */
export function moreThuenteTaskText(task: number): string {
  const text = TASK_TEXT[task];
  if (text === undefined) throw new InvalidOptionError("task", task, "a MoreThuenteTask code, 1 to 14");
  return text;
}

const TASK_TEXT: Record<number, string> = {
  1: "FG",
  2: "CONVERGENCE",
  3: "WARNING: ROUNDING ERRORS PREVENT PROGRESS",
  4: "WARNING: XTOL TEST SATISFIED",
  5: "WARNING: STP = STPMAX",
  6: "WARNING: STP = STPMIN",
  7: "ERROR: STP .LT. STPMIN",
  8: "ERROR: STP .GT. STPMAX",
  9: "ERROR: INITIAL G .GE. ZERO",
  10: "ERROR: FTOL .LT. ZERO",
  11: "ERROR: GTOL .LT. ZERO",
  12: "ERROR: XTOL .LT. ZERO",
  13: "ERROR: STPMIN .LT. ZERO",
  14: "ERROR: STPMAX .LT. STPMIN",
};

// dcsrch's saved variables (its isave and dsave, plus the arguments that stay fixed during a
// search), one double each: doubles kept in object fields are boxed by V8, a Float64Array is not.
const BRACKT = 0; // 1 once a minimiser is bracketed
const STAGE = 1;
const GINIT = 2;
const GTEST = 3;
const GX = 4;
const GY = 5;
const FINIT = 6;
const FX = 7;
const FY = 8;
const STX = 9;
const STY = 10;
const STMIN = 11;
const STMAX = 12;
const WIDTH = 13;
const WIDTH1 = 14;
const FTOL = 15;
const GTOL = 16;
const XTOL = 17;
const STPMIN = 18;
const STPMAX = 19;
const STP = 20;
const TASK = 21;
/** The number of doubles of a {@link MoreThuenteSearch}'s state. */
const STATE_LENGTH = 22;
/** Where {@link MoreThuenteSearch.state} holds the step ({@link MoreThuenteSearch.step}), for callers that read it without a getter. */
export const MORE_THUENTE_STEP = STP;

const IN_STP = 0;
const IN_F = 1;
const IN_G = 2;
const IN_FTOL = 3;
const IN_GTOL = 4;
const IN_XTOL = 5;
const IN_STPMIN = 6;
const IN_STPMAX = 7;

// dcstep's arguments and results, in and out of one block (dcstep changes all but fp and dp).
const S_STX = 0;
const S_FX = 1;
const S_DX = 2;
const S_STY = 3;
const S_FY = 4;
const S_DY = 5;
const S_STP = 6;
const S_FP = 7;
const S_DP = 8;
const S_BRACKT = 9;
const S_STPMIN = 10;
const S_STPMAX = 11;
const S_STPF = 12; // the new step, from the case that computed it

const P5 = 0.5;
const P66 = 0.66;
const XTRAPL = 1.1;
const XTRAPU = 4.0;

/**
 * The Moré–Thuente line search (MINPACK-2's `dcsrch`), by reverse communication: the caller
 * evaluates φ(α) = f(x + α·d) and φ′(α) = ∇f(x + α·d)·d where the search asks. It finds α with
 *
 * ```math
 * \varphi(\alpha) \le \varphi(0) + \mathrm{ftol}\,\alpha\,\varphi'(0), \qquad |\varphi'(\alpha)| \le \mathrm{gtol}\,|\varphi'(0)|
 * ```
 *
 * keeping an interval [stx, sty] that brackets such a step, and choosing each trial step by
 * `dcstep`'s safeguarded cubic / quadratic / secant interpolation (Moré and Thuente 1994,
 * "Line search algorithms with guaranteed sufficient decrease", ACM TOMS 20). The arithmetic is
 * the Fortran's, operation for operation: the steps asked are the same doubles MINPACK-2 asks for.
 *
 * The state is one Float64Array allocated by the constructor; `start` and `next` allocate nothing
 * themselves, but a double passed to a call V8 does not inline is boxed: a loop that must not
 * allocate writes the arguments into {@link input}, calls {@link startFromInput} /
 * {@link nextFromInput}, and reads the step at `state[MORE_THUENTE_STEP]`.
 *
 * @example
 * ```ts
 * // φ(α) = (α − 3)², φ(0) = 9, φ′(0) = −6
 * const search = new MoreThuenteSearch();
 * let task = search.start(1, 9, -6, 1e-4, 0.9, 1e-14, 1e-8, 50);
 * while (task === MoreThuenteTask.FG) {
 *   const a = search.step;
 *   task = search.next((a - 3) ** 2, 2 * (a - 3));
 * }
 * // task === MoreThuenteTask.Convergence; search.step is the accepted step
 * ```
 */
export class MoreThuenteSearch {
  /** dcsrch's saved variables (the Fortran's isave and dsave, the tolerances and the current step). */
  readonly state: Float64Array = new Float64Array(STATE_LENGTH);
  /**
   * The arguments of {@link startFromInput} and {@link nextFromInput}: stp, f, g, ftol, gtol, xtol,
   * stpmin, stpmax (`next` reads f and g only). A caller that must not allocate writes them here: V8
   * boxes a double passed to (or returned from) a call it does not inline.
   */
  readonly input: Float64Array = new Float64Array(8);
  private readonly work = new Float64Array(13);

  /** The step to evaluate next (after `FG`), or the step found (after `Convergence` or a warning). */
  get step(): number {
    return this.state[STP];
  }

  /** The last task returned. */
  get task(): number {
    return this.state[TASK];
  }

  /**
   * Starts a search (dcsrch with task = 'START').
   * @param stp the first step to try, in [stpmin, stpmax], > 0
   * @param f φ(0)
   * @param g φ′(0), < 0
   * @param ftol the sufficient-decrease tolerance, ≥ 0 (c₁)
   * @param gtol the curvature tolerance, ≥ 0 (c₂)
   * @param xtol the search stops with a warning once the bracket is shorter than xtol·stmax
   * @param stpmin the least step, ≥ 0
   * @param stpmax the largest step, ≥ stpmin
   * @returns `FG` (evaluate at {@link step}), or an `ERROR` code
   */
  start(stp: number, f: number, g: number, ftol: number, gtol: number, xtol: number, stpmin: number, stpmax: number): MoreThuenteTaskCode {
    const input = this.input;
    input[IN_STP] = stp;
    input[IN_F] = f;
    input[IN_G] = g;
    input[IN_FTOL] = ftol;
    input[IN_GTOL] = gtol;
    input[IN_XTOL] = xtol;
    input[IN_STPMIN] = stpmin;
    input[IN_STPMAX] = stpmax;
    return this.startFromInput();
  }

  /**
   * {@link start} with its arguments read from {@link input} (stp, f, g, ftol, gtol, xtol, stpmin,
   * stpmax at 0–7): no double passes through a call, so nothing is boxed.
   */
  startFromInput(): MoreThuenteTaskCode {
    const input = this.input;
    const stp = input[IN_STP];
    const f = input[IN_F];
    const g = input[IN_G];
    const ftol = input[IN_FTOL];
    const gtol = input[IN_GTOL];
    const xtol = input[IN_XTOL];
    const stpmin = input[IN_STPMIN];
    const stpmax = input[IN_STPMAX];
    const s = this.state;
    let task: MoreThuenteTaskCode = MoreThuenteTask.FG;
    // The Fortran checks them in this order, a later error overwriting an earlier one.
    if (stp < stpmin) task = MoreThuenteTask.StepBelowMin;
    if (stp > stpmax) task = MoreThuenteTask.StepAboveMax;
    if (g >= 0) task = MoreThuenteTask.InitialSlopeNotNegative;
    if (ftol < 0) task = MoreThuenteTask.FtolNegative;
    if (gtol < 0) task = MoreThuenteTask.GtolNegative;
    if (xtol < 0) task = MoreThuenteTask.XtolNegative;
    if (stpmin < 0) task = MoreThuenteTask.StepMinNegative;
    if (stpmax < stpmin) task = MoreThuenteTask.StepMaxBelowMin;
    s[STP] = stp;
    s[TASK] = task;
    if (task !== MoreThuenteTask.FG) return task;
    s[FTOL] = ftol;
    s[GTOL] = gtol;
    s[XTOL] = xtol;
    s[STPMIN] = stpmin;
    s[STPMAX] = stpmax;
    s[BRACKT] = 0;
    s[STAGE] = 1;
    s[FINIT] = f;
    s[GINIT] = g;
    s[GTEST] = ftol * g;
    s[WIDTH] = stpmax - stpmin;
    s[WIDTH1] = s[WIDTH] / P5;
    s[STX] = 0;
    s[FX] = f;
    s[GX] = g;
    s[STY] = 0;
    s[FY] = f;
    s[GY] = g;
    s[STMIN] = 0;
    s[STMAX] = stp + XTRAPU * stp;
    return task;
  }

  /**
   * Continues the search with φ and φ′ at {@link step} (dcsrch after task = 'FG').
   * @returns `FG` (evaluate at the new {@link step}), `Convergence`, or a warning code
   */
  next(f: number, g: number): MoreThuenteTaskCode {
    this.input[IN_F] = f;
    this.input[IN_G] = g;
    return this.nextFromInput();
  }

  /** {@link next} with φ(stp) and φ′(stp) read from input[1] and input[2] (nothing is boxed). */
  nextFromInput(): MoreThuenteTaskCode {
    const f = this.input[IN_F];
    const g = this.input[IN_G];
    const s = this.state;
    if (s[TASK] !== MoreThuenteTask.FG) throw new InvalidOptionError("task", moreThuenteTaskText(s[TASK]), "a search waiting for FG (call start first)");
    let stp = s[STP];
    const brackt = s[BRACKT] === 1;
    // If psi(stp) <= 0 and f'(stp) >= 0 for some step, then the algorithm enters the second stage.
    const ftest = s[FINIT] + stp * s[GTEST];
    if (s[STAGE] === 1 && f <= ftest && g >= 0) s[STAGE] = 2;

    let task: MoreThuenteTaskCode = MoreThuenteTask.FG;
    if (brackt && (stp <= s[STMIN] || stp >= s[STMAX])) task = MoreThuenteTask.RoundingErrors;
    if (brackt && s[STMAX] - s[STMIN] <= s[XTOL] * s[STMAX]) task = MoreThuenteTask.XtolSatisfied;
    if (stp === s[STPMAX] && f <= ftest && g <= s[GTEST]) task = MoreThuenteTask.StepAtMax;
    if (stp === s[STPMIN] && (f > ftest || g >= s[GTEST])) task = MoreThuenteTask.StepAtMin;
    if (f <= ftest && Math.abs(g) <= s[GTOL] * -s[GINIT]) task = MoreThuenteTask.Convergence;
    if (task !== MoreThuenteTask.FG) {
      s[TASK] = task;
      return task;
    }

    const w = this.work;
    const gtest = s[GTEST];
    // A modified function ψ(α) = φ(α) − gtest·α predicts the step in the first stage when a lower
    // value has been found but the decrease is not sufficient.
    const modified = s[STAGE] === 1 && f <= s[FX] && f > ftest;
    w[S_STX] = s[STX];
    w[S_STY] = s[STY];
    w[S_STP] = stp;
    w[S_BRACKT] = s[BRACKT];
    w[S_STPMIN] = s[STMIN];
    w[S_STPMAX] = s[STMAX];
    if (modified) {
      w[S_FP] = f - stp * gtest;
      w[S_FX] = s[FX] - s[STX] * gtest;
      w[S_FY] = s[FY] - s[STY] * gtest;
      w[S_DP] = g - gtest;
      w[S_DX] = s[GX] - gtest;
      w[S_DY] = s[GY] - gtest;
    } else {
      w[S_FP] = f;
      w[S_FX] = s[FX];
      w[S_FY] = s[FY];
      w[S_DP] = g;
      w[S_DX] = s[GX];
      w[S_DY] = s[GY];
    }
    dcstep(w);
    s[STX] = w[S_STX];
    s[STY] = w[S_STY];
    s[BRACKT] = w[S_BRACKT];
    stp = w[S_STP];
    if (modified) {
      // Reset the function and derivative values for f.
      s[FX] = w[S_FX] + s[STX] * gtest;
      s[FY] = w[S_FY] + s[STY] * gtest;
      s[GX] = w[S_DX] + gtest;
      s[GY] = w[S_DY] + gtest;
    } else {
      s[FX] = w[S_FX];
      s[FY] = w[S_FY];
      s[GX] = w[S_DX];
      s[GY] = w[S_DY];
    }

    const bracketed = s[BRACKT] === 1;
    // Decide if a bisection step is needed.
    if (bracketed) {
      if (Math.abs(s[STY] - s[STX]) >= P66 * s[WIDTH1]) stp = s[STX] + P5 * (s[STY] - s[STX]);
      s[WIDTH1] = s[WIDTH];
      s[WIDTH] = Math.abs(s[STY] - s[STX]);
    }
    // Set the minimum and maximum steps allowed for stp.
    if (bracketed) {
      s[STMIN] = Math.min(s[STX], s[STY]);
      s[STMAX] = Math.max(s[STX], s[STY]);
    } else {
      s[STMIN] = stp + XTRAPL * (stp - s[STX]);
      s[STMAX] = stp + XTRAPU * (stp - s[STX]);
    }
    // Force the step to be within the bounds stpmax and stpmin (Fortran max then min: a NaN stays).
    if (!(stp > s[STPMIN])) stp = s[STPMIN]; // max(stp, stpmin)
    if (!(stp < s[STPMAX])) stp = s[STPMAX]; // min(stp, stpmax)
    // If further progress is not possible, let stp be the best point obtained during the search.
    if ((bracketed && (stp <= s[STMIN] || stp >= s[STMAX])) || (bracketed && s[STMAX] - s[STMIN] <= s[XTOL] * s[STMAX])) stp = s[STX];
    s[STP] = stp;
    s[TASK] = MoreThuenteTask.FG;
    return MoreThuenteTask.FG;
  }
}

// gfortran's MAX(a, b) and MIN(a, b) compile to a compare and select, `a > b ? a : b` with a NaN
// in either giving b (Math.max would give NaN for a NaN in either); inline, below, as ifs.
function maxOf3(a: number, b: number, c: number): number {
  const ab = a > b ? a : b;
  return ab > c ? ab : c;
}

/**
 * dcstep: a safeguarded step and the updated bracket, in place on w (stx, fx, dx, sty, fy, dy,
 * stp, fp, dp, brackt, stpmin, stpmax; the new step goes through w[S_STPF]). Each of the Fortran's
 * four cases is a function of its own: with all four in one function V8 boxed doubles of the second
 * case (an allocation per call), depending on the order the cases had come in.
 */
function dcstep(w: Float64Array): void {
  const fx = w[S_FX];
  const dx = w[S_DX];
  const fp = w[S_FP];
  const dp = w[S_DP];
  // The Fortran's sgnd = dp*(dx/abs(dx)); only its sign is used.
  const sgnd = dp * (dx / Math.abs(dx));
  if (fp > fx) {
    higherValue(w);
    w[S_BRACKT] = 1;
  } else if (sgnd < 0) {
    oppositeSlopes(w);
    w[S_BRACKT] = 1;
  } else if (Math.abs(dp) < Math.abs(dx)) {
    slopeDecreases(w);
  } else {
    slopeDoesNotDecrease(w);
  }

  // Update the interval which contains a minimizer.
  const stx = w[S_STX];
  const stp = w[S_STP];
  if (fp > fx) {
    w[S_STY] = stp;
    w[S_FY] = fp;
    w[S_DY] = dp;
  } else {
    if (sgnd < 0) {
      w[S_STY] = stx;
      w[S_FY] = fx;
      w[S_DY] = dx;
    }
    w[S_STX] = stp;
    w[S_FX] = fp;
    w[S_DX] = dp;
  }
  // Compute the new step.
  w[S_STP] = w[S_STPF];
}

// First case: a higher function value. The minimum is bracketed. If the cubic step is closer to
// stx than the quadratic step, the cubic step is taken, otherwise the average of the cubic and
// quadratic steps is taken.
function higherValue(w: Float64Array): void {
  const stx = w[S_STX];
  const fx = w[S_FX];
  const dx = w[S_DX];
  const stp = w[S_STP];
  const fp = w[S_FP];
  const dp = w[S_DP];
  const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
  const s = maxOf3(Math.abs(theta), Math.abs(dx), Math.abs(dp));
  let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
  if (stp < stx) gamma = -gamma;
  const p = gamma - dx + theta;
  const q = gamma - dx + gamma + dp;
  const r = p / q;
  const stpc = stx + r * (stp - stx);
  const stpq = stx + (dx / ((fx - fp) / (stp - stx) + dx) / 2) * (stp - stx);
  if (Math.abs(stpc - stx) < Math.abs(stpq - stx)) w[S_STPF] = stpc;
  else w[S_STPF] = stpc + (stpq - stpc) / 2;
}

// Second case: a lower function value and derivatives of opposite sign. The minimum is bracketed.
// If the cubic step is farther from stp than the secant step, the cubic step is taken, otherwise
// the secant step is taken.
function oppositeSlopes(w: Float64Array): void {
  const stx = w[S_STX];
  const fx = w[S_FX];
  const dx = w[S_DX];
  const stp = w[S_STP];
  const fp = w[S_FP];
  const dp = w[S_DP];
  const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
  const s = maxOf3(Math.abs(theta), Math.abs(dx), Math.abs(dp));
  let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dx / s) * (dp / s));
  if (stp > stx) gamma = -gamma;
  const p = gamma - dp + theta;
  const q = gamma - dp + gamma + dx;
  const r = p / q;
  const stpc = stp + r * (stx - stp);
  const stpq = stp + (dp / (dp - dx)) * (stx - stp);
  if (Math.abs(stpc - stp) > Math.abs(stpq - stp)) w[S_STPF] = stpc;
  else w[S_STPF] = stpq;
}

// Third case: a lower function value, derivatives of the same sign, and the magnitude of the
// derivative decreases. The cubic step is computed only if the cubic tends to infinity in the
// direction of the step or if the minimum of the cubic is beyond stp. Otherwise the cubic step is
// defined to be the secant step.
function slopeDecreases(w: Float64Array): void {
  const stx = w[S_STX];
  const fx = w[S_FX];
  const dx = w[S_DX];
  const sty = w[S_STY];
  const stp = w[S_STP];
  const fp = w[S_FP];
  const dp = w[S_DP];
  const stpmin = w[S_STPMIN];
  const stpmax = w[S_STPMAX];
  const theta = (3 * (fx - fp)) / (stp - stx) + dx + dp;
  const s = maxOf3(Math.abs(theta), Math.abs(dx), Math.abs(dp));
  // The case gamma = 0 only arises if the cubic does not tend to infinity in the direction of the
  // step. max(zero, ·): Math.max keeps a NaN as gfortran's MAX(0, NaN) does here, and stays a double.
  let gamma = s * Math.sqrt(Math.max(0, (theta / s) * (theta / s) - (dx / s) * (dp / s)));
  if (stp > stx) gamma = -gamma;
  const p = gamma - dp + theta;
  const q = gamma + (dx - dp) + gamma;
  const r = p / q;
  let stpc = stpmin;
  if (r < 0 && gamma !== 0) stpc = stp + r * (stx - stp);
  else if (stp > stx) stpc = stpmax;
  const stpq = stp + (dp / (dp - dx)) * (stx - stp);
  let stpf = stpq;
  if (w[S_BRACKT] === 1) {
    // A minimizer has been bracketed. If the cubic step is closer to stp than the secant step, the
    // cubic step is taken, otherwise the secant step is taken.
    if (Math.abs(stpc - stp) < Math.abs(stpq - stp)) stpf = stpc;
    // stpf = min(stp + p66·(sty − stp), stpf), or max: gfortran's MIN(a, b) is a < b ? a : b.
    const bound = stp + P66 * (sty - stp);
    if (stp > stx) {
      if (bound < stpf) stpf = bound;
    } else if (bound > stpf) stpf = bound;
  } else {
    // A minimizer has not been bracketed. If the cubic step is farther from stp than the secant
    // step, the cubic step is taken, otherwise the secant step is taken.
    if (Math.abs(stpc - stp) > Math.abs(stpq - stp)) stpf = stpc;
    if (stpmax < stpf) stpf = stpmax; // min(stpmax, stpf)
    if (stpmin > stpf) stpf = stpmin; // max(stpmin, stpf)
  }
  w[S_STPF] = stpf;
}

// Fourth case: a lower function value, derivatives of the same sign, and the magnitude of the
// derivative does not decrease. If the minimum is not bracketed, the step is either stpmin or
// stpmax, otherwise the cubic step is taken.
function slopeDoesNotDecrease(w: Float64Array): void {
  const stx = w[S_STX];
  const sty = w[S_STY];
  const fy = w[S_FY];
  const dy = w[S_DY];
  const stp = w[S_STP];
  const fp = w[S_FP];
  const dp = w[S_DP];
  if (w[S_BRACKT] === 1) {
    const theta = (3 * (fp - fy)) / (sty - stp) + dy + dp;
    const s = maxOf3(Math.abs(theta), Math.abs(dy), Math.abs(dp));
    let gamma = s * Math.sqrt((theta / s) * (theta / s) - (dy / s) * (dp / s));
    if (stp > sty) gamma = -gamma;
    const p = gamma - dp + theta;
    const q = gamma - dp + gamma + dy;
    const r = p / q;
    w[S_STPF] = stp + r * (sty - stp);
  } else if (stp > stx) w[S_STPF] = w[S_STPMAX];
  else w[S_STPF] = w[S_STPMIN];
}
