import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { fusedMultiplyAdd } from "../numeric/fused-multiply-add.js";
import type { Objective } from "../objectives/objective.js";

/**
 * Options of {@link StrongWolfeSearch.search}; the defaults are PyTorch's `_strong_wolfe`'s.
 *
 * @example
 * ```ts
 * const options: StrongWolfeOptions = { c1: 1e-4, c2: 0.9, toleranceChange: 1e-9, maxIterations: 25 };
 * ```
 */
export interface StrongWolfeOptions {
  /** c₁ of the sufficient-decrease (Armijo) condition, in (0, 1). @defaultValue 1e-4 */
  c1?: number;
  /** c₂ of the curvature condition, in (c₁, 1). @defaultValue 0.9 */
  c2?: number;
  /** The zoom stops when the bracket, times max|dᵢ|, is shorter than this. @defaultValue 1e-9 */
  toleranceChange?: number;
  /** The most evaluations after the first (PyTorch's `max_ls`). @defaultValue 25 */
  maxIterations?: number;
}

/**
 * Why a strong-Wolfe search stopped:
 * - `"wolfe"`: the step meets both strong Wolfe conditions;
 * - `"bracketTooSmall"`: the zoom's bracket shrank below `toleranceChange`;
 * - `"maxIterations"`: the evaluations ran out;
 * - `"nonFinite"`: an evaluation gave a NaN or −∞ value, or a finite value with a gradient whose
 *   slope along d is not finite. The search returns the best step it had accepted before it.
 *
 * In every case the step returned is the low end of the bracket, whose value and gradient are finite.
 *
 * @example
 * ```ts
 * const search = new StrongWolfeSearch(2);
 * if (search.status !== "wolfe") console.log(`line search stopped early: ${search.status}`);
 * ```
 */
export type StrongWolfeStatus = "wolfe" | "bracketTooSmall" | "maxIterations" | "nonFinite";


/**
 * The minimiser of the cubic through (x₁, f₁) and (x₂, f₂) with slopes g₁ and g₂, clamped to
 * [lower, upper]; the midpoint of [lower, upper] where the cubic has no minimiser (PyTorch's
 * `_cubic_interpolate`):
 *
 * ```math
 * d_1 = g_1 + g_2 - 3\,\frac{f_1 - f_2}{x_1 - x_2}, \quad d_2 = \sqrt{d_1^2 - g_1 g_2}, \quad
 * x^\ast = x_2 - (x_2 - x_1)\,\frac{g_2 + d_2 - d_1}{g_2 - g_1 + 2 d_2} \ (x_1 \le x_2)
 * ```
 *
 * @example
 * ```ts
 * // f(x) = (x − 1)²: f(0) = 1, f'(0) = −2, f(3) = 4, f'(3) = 4
 * cubicInterpolate(0, 1, -2, 3, 4, 4, 0, 3); // 1
 * ```
 */
export function cubicInterpolate(x1: number, f1: number, g1: number, x2: number, f2: number, g2: number, lower: number, upper: number): number {
  const r = CUBIC_SCRATCH;
  r[X1] = x1;
  r[F1] = f1;
  r[G1] = g1;
  r[X2] = x2;
  r[F2] = f2;
  r[G2] = g2;
  r[LOWER] = lower;
  r[UPPER] = upper;
  cubicMinimizer(r, false, false, false, TYPES_SCRATCH);
  return r[MINIMIZER];
}

// Which of PyTorch's numbers are 0-dim tensors rather than Python floats matters in one place:
// `3 * (f1 - f2) / (x1 - x2)` with a tensor divisor is Tensor.__rtruediv__, which multiplies by
// the reciprocal (two roundings). The steps t are tensors where they come from a tensor (LBFGS's
// first step, min(1, 1/‖g‖₁)·η; the cubic's minimiser, computed from the slopes, which are tensors);
// the search tracks that flag beside each step.
const TYPES_SCRATCH = new Uint8Array(1);

// The cubic's inputs and output in a block of doubles: a call with numbers for arguments (or a number
// returned) that the JIT does not inline boxes each of them, an allocation per call.
const X1 = 0;
const F1 = 1;
const G1 = 2;
const X2 = 3;
const F2 = 4;
const G2 = 5;
const LOWER = 6;
const UPPER = 7;
const MINIMIZER = 8;
const CUBIC_SLOTS = 9;
const CUBIC_SCRATCH = new Float64Array(CUBIC_SLOTS);

/**
 * {@link cubicInterpolate} on r[X1..UPPER], into r[MINIMIZER], with the tensor flags of x₁ or x₂
 * (either makes the divisor a tensor) and of the bounds; writes into types[0] whether the result is
 * a tensor (the minimiser is one; a bound or the midpoint is as its operands were).
 */
function cubicMinimizer(r: Float64Array, tensorDivisor: boolean, lowerTensor: boolean, upperTensor: boolean, types: Uint8Array): void {
  const x1 = r[X1];
  const f1 = r[F1];
  const g1 = r[G1];
  const x2 = r[X2];
  const f2 = r[F2];
  const g2 = r[G2];
  const lower = r[LOWER];
  const upper = r[UPPER];
  const numerator = 3 * (f1 - f2);
  const d1 = g1 + g2 - (tensorDivisor ? (1 / (x1 - x2)) * numerator : numerator / (x1 - x2));
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    // min(max(min_pos, lower), upper), Python's: the first argument unless the second compares past it
    let value = minPos;
    let tensor = true;
    if (lower > value) {
      value = lower;
      tensor = lowerTensor;
    }
    if (upper < value) {
      value = upper;
      tensor = upperTensor;
    }
    types[0] = tensor ? 1 : 0;
    r[MINIMIZER] = value;
    return;
  }
  types[0] = lowerTensor || upperTensor ? 1 : 0;
  r[MINIMIZER] = (lower + upper) / 2;
}

// The search's numbers in one block (see the cubic's): its result, its inputs (written by search()
// or by LBFGS), and the trial point's value and slope.
const STEP = 0;
const VALUE = 1;
const EVALUATIONS = 2;
/** @internal */
export { EVALUATIONS as SEARCH_EVALUATIONS, STEP as SEARCH_STEP, VALUE as SEARCH_VALUE };
/** @internal */
export const IN_VALUE = 3;
/** @internal */
export const IN_SLOPE = 4;
/** @internal */
export const IN_STEP = 5;
/** @internal */
export const IN_C1 = 6;
/** @internal */
export const IN_C2 = 7;
/** @internal */
export const IN_TOLERANCE_CHANGE = 8;
/** @internal */
export const IN_MAX_ITERATIONS = 9;
/** @internal Whether PyTorch holds the first step as a tensor (1) or a Python float (0). */
export const IN_STEP_IS_TENSOR = 10;
const TRIAL_STEP = 11;
const TRIAL_VALUE = 12;
const TRIAL_SLOPE = 13;
const REGISTERS = 14;

/**
 * A line search for a step t along a descent direction d from x that meets the strong Wolfe
 * conditions (Nocedal & Wright, Algorithms 3.5 and 3.6: bracketing, then a zoom by cubic
 * interpolation), exactly as PyTorch's `_strong_wolfe` in `torch.optim.lbfgs`, which
 * {@link index!LBFGS | LBFGS} uses. With φ(t) = f(x + t·d):
 *
 * ```math
 * \varphi(t) \le \varphi(0) + c_1\, t\, \varphi'(0), \qquad |\varphi'(t)| \le -c_2\, \varphi'(0)
 * ```
 *
 * One instance holds the scratch vectors for one dimension, allocated once: a search allocates
 * nothing of its own (the objective's `evaluate` returns a number, which the engine may box where
 * it does not inline the call; `evaluateInto`, when the objective has it, avoids that). After
 * {@link StrongWolfeSearch.search} the chosen step, its value and gradient, the evaluation count and
 * the {@link StrongWolfeStatus} are read from the instance. PyTorch's branches on +∞ values (the
 * search backs off) are kept; a NaN stops the search (status `"nonFinite"`) instead of spreading.
 *
 * @example
 * ```ts
 * import { rosenbrock, StrongWolfeSearch } from "gradstep/learn";
 * const f = rosenbrock();
 * const x = Float64Array.of(-1.2, 1);
 * const g = new Float64Array(2);
 * const value = f.evaluate(x, g);
 * const d = Float64Array.of(-g[0], -g[1]); // steepest descent
 * const search = new StrongWolfeSearch(2);
 * search.search(f, x, d, value, g, -(g[0] * g[0] + g[1] * g[1]), 1e-3);
 * search.step; search.value; search.evaluations; search.status; // search.grad: ∇f at x + step·d
 * ```
 */
export class StrongWolfeSearch {
  /** The gradient at the chosen step, x + step·d. */
  readonly grad: Float64Array;
  /** The point evaluated last (scratch). */
  private readonly point: Float64Array;
  private readonly gradNew: Float64Array;
  private readonly gradPrev: Float64Array;
  /** The gradients at the bracket's two ends. */
  private readonly bracketGrad0: Float64Array;
  private readonly bracketGrad1: Float64Array;
  /** The numbers of the search: inputs, result, trial (slots above). @internal */
  readonly registers: Float64Array = new Float64Array(REGISTERS);
  private readonly cubic = new Float64Array(CUBIC_SLOTS);
  private readonly out = new Float64Array(1);
  private readonly types = new Uint8Array(1);
  /** Why the last search stopped (`"wolfe"` before the first). */
  status: StrongWolfeStatus = "wolfe";

  /**
   * @param dimension the length of x, d and the gradients.
   *
   * @throws {@link index!InvalidOptionError | InvalidOptionError} when `dimension` is not a whole number ≥ 1.
   */
  constructor(readonly dimension: number) {
    if (!Number.isSafeInteger(dimension) || dimension < 0) throw new InvalidOptionError("dimension", dimension, "a whole number ≥ 0");
    this.grad = allocateFloat64(dimension, "dimension");
    this.point = allocateFloat64(dimension, "dimension");
    this.gradNew = allocateFloat64(dimension, "dimension");
    this.gradPrev = allocateFloat64(dimension, "dimension");
    this.bracketGrad0 = allocateFloat64(dimension, "dimension");
    this.bracketGrad1 = allocateFloat64(dimension, "dimension");
  }

  /** The step t chosen by the last search. */
  get step(): number {
    return this.registers[STEP];
  }

  /** f(x + step·d), the value at the chosen step. */
  get value(): number {
    return this.registers[VALUE];
  }

  /** Evaluations of the objective in the last search. */
  get evaluations(): number {
    return this.registers[EVALUATIONS];
  }

  /**
   * Searches along `direction` from `x`; `x`, `direction` and `grad` are only read.
   *
   * @param objective f, evaluated at the points x + t·d.
   * @param x the start.
   * @param direction d, a descent direction (slope < 0).
   * @param value f(x).
   * @param grad ∇f(x).
   * @param slope ∇f(x)·d, φ'(0).
   * @param step the first step tried.
   * @param options c₁, c₂, the zoom's tolerance and the evaluation budget.
   * @returns this instance, holding the result.
   */
  search(objective: Objective, x: Float64Array, direction: Float64Array, value: number, grad: Float64Array, slope: number, step: number, options: StrongWolfeOptions = NO_OPTIONS): this {
    const n = this.dimension;
    const { c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxIterations = 25 } = options;
    if (!(c1 > 0 && c1 < 1)) throw new InvalidOptionError("c1", c1, "a number in (0, 1)");
    if (!(c2 > c1 && c2 < 1)) throw new InvalidOptionError("c2", c2, "a number in (c1, 1)");
    if (!(toleranceChange >= 0 && toleranceChange < Infinity)) throw new InvalidOptionError("toleranceChange", toleranceChange, "a finite number ≥ 0");
    if (!Number.isSafeInteger(maxIterations) || maxIterations < 0) throw new InvalidOptionError("maxIterations", maxIterations, "a whole number ≥ 0");
    checkVector("x", x, n);
    checkVector("direction", direction, n);
    checkVector("grad", grad, n);
    if (!Number.isFinite(value)) throw new InvalidOptionError("value", value, "a finite number");
    if (!(Number.isFinite(slope) && slope < 0)) throw new InvalidOptionError("slope", slope, "a finite number < 0 (a descent direction)");
    if (!(Number.isFinite(step) && step > 0)) throw new InvalidOptionError("step", step, "a finite number > 0");
    const r = this.registers;
    r[IN_VALUE] = value;
    r[IN_SLOPE] = slope;
    r[IN_STEP] = step;
    r[IN_C1] = c1;
    r[IN_C2] = c2;
    r[IN_TOLERANCE_CHANGE] = toleranceChange;
    r[IN_MAX_ITERATIONS] = maxIterations;
    r[IN_STEP_IS_TENSOR] = 0;
    this.run(objective, x, direction, grad);
    return this;
  }

  /**
   * {@link StrongWolfeSearch.search} without the checks, for callers that have made them.
   * @internal
   */
  run(objective: Objective, x: Float64Array, d: Float64Array, g: Float64Array): void {
    const reg = this.registers;
    const f = reg[IN_VALUE];
    const gtd = reg[IN_SLOPE];
    let t = reg[IN_STEP];
    const c1 = reg[IN_C1];
    const c2 = reg[IN_C2];
    const toleranceChange = reg[IN_TOLERANCE_CHANGE];
    const maxLs = reg[IN_MAX_ITERATIONS];
    const stepIsTensor = reg[IN_STEP_IS_TENSOR] === 1;
    const cubic = this.cubic;
    const n = this.dimension;
    const gNew = this.gradNew;
    const gPrev = this.gradPrev;
    const bg0 = this.bracketGrad0;
    const bg1 = this.bracketGrad1;
    const types = this.types;
    let dNorm = 0;
    for (let i = 0; i < n; i++) {
      const a = Math.abs(d[i]);
      if (a > dNorm) dNorm = a;
    }
    // The comments quote PyTorch 1.13's _strong_wolfe; lists become two slots (0, 1). Each step
    // has a flag beside it: whether PyTorch holds it as a tensor (see cubicMinimizer).
    let tT = stepIsTensor;
    reg[TRIAL_STEP] = t;
    this.evaluate(objective, x, d);
    let fNew = reg[TRIAL_VALUE];
    let gtdNew = reg[TRIAL_SLOPE];
    let evaluations = 1;
    let tPrev = 0;
    let tPrevT = false;
    let fPrev = f;
    let gtdPrev = gtd;
    let prevIsStart = true; // g_prev is g (gPrev is not written yet)
    let done = false;
    let lsIter = 0;
    let status: StrongWolfeStatus = "maxIterations";
    // bracket, bracket_f, bracket_gtd (bracket_g: bg0, bg1); `single` for bracket = [t]
    let b0 = 0;
    let b1 = 0;
    let b0T = false;
    let b1T = false;
    let bf0 = 0;
    let bf1 = 0;
    let bgtd0 = 0;
    let bgtd1 = 0;
    let single = false;
    let poisoned = this.poisoned();
    while (lsIter < maxLs && !poisoned) {
      // f_new > f + c1*t*gtd or (ls_iter > 1 and f_new >= f_prev), or gtd_new >= 0: bracket = [t_prev, t]
      const armijoFails = fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev);
      if (!armijoFails && Math.abs(gtdNew) <= -c2 * gtd) {
        b0 = t;
        b0T = tT;
        bf0 = fNew;
        bg0.set(gNew);
        single = true;
        done = true;
        break;
      }
      if (armijoFails || gtdNew >= 0) {
        b0 = tPrev;
        b1 = t;
        b0T = tPrevT;
        b1T = tT;
        bf0 = fPrev;
        bf1 = fNew;
        bg0.set(prevIsStart ? g : gPrev);
        bg1.set(gNew);
        bgtd0 = gtdPrev;
        bgtd1 = gtdNew;
        break;
      }
      // interpolate within [t + 0.01(t − t_prev), 10t]
      const minStep = t + 0.01 * (t - tPrev);
      const maxStep = t * 10;
      const tmp = t;
      const tmpT = tT;
      cubic[X1] = tPrev;
      cubic[F1] = fPrev;
      cubic[G1] = gtdPrev;
      cubic[X2] = t;
      cubic[F2] = fNew;
      cubic[G2] = gtdNew;
      cubic[LOWER] = minStep;
      cubic[UPPER] = maxStep;
      cubicMinimizer(cubic, tPrevT || tT, tPrevT || tT, tT, types);
      t = cubic[MINIMIZER];
      tT = types[0] === 1;
      tPrev = tmp;
      tPrevT = tmpT;
      fPrev = fNew;
      gPrev.set(gNew);
      prevIsStart = false;
      gtdPrev = gtdNew;
      reg[TRIAL_STEP] = t;
      this.evaluate(objective, x, d);
      fNew = reg[TRIAL_VALUE];
      gtdNew = reg[TRIAL_SLOPE];
      evaluations++;
      lsIter++;
      poisoned = this.poisoned();
    }
    if (poisoned) {
      // the last point accepted: t_prev (0 or an earlier trial that kept the sufficient decrease)
      reg[STEP] = tPrev;
      reg[VALUE] = fPrev;
      reg[EVALUATIONS] = evaluations;
      this.finish(prevIsStart ? g : gPrev, "nonFinite");
      return;
    }
    if (lsIter === maxLs) {
      // bracket = [0, t]
      b0 = 0;
      b1 = t;
      b0T = false;
      b1T = tT;
      bf0 = f;
      bf1 = fNew;
      bg0.set(g);
      bg1.set(gNew);
      single = false;
    }
    // zoom
    let insufProgress = false;
    let low = single || bf0 <= bf1 ? 0 : 1;
    while (!done && lsIter < maxLs) {
      if (Math.abs(b1 - b0) * dNorm < toleranceChange) {
        status = "bracketTooSmall";
        break;
      }
      const ordered = b0 <= b1;
      cubic[X1] = b0;
      cubic[F1] = bf0;
      cubic[G1] = bgtd0;
      cubic[X2] = b1;
      cubic[F2] = bf1;
      cubic[G2] = bgtd1;
      cubic[LOWER] = ordered ? b0 : b1;
      cubic[UPPER] = ordered ? b1 : b0;
      cubicMinimizer(cubic, b0T || b1T, ordered ? b0T : b1T, ordered ? b1T : b0T, types);
      t = cubic[MINIMIZER];
      tT = types[0] === 1;
      // max(bracket), min(bracket): Python's pick the first unless the second compares past it
      const bMax = b1 > b0 ? b1 : b0;
      const bMaxT = b1 > b0 ? b1T : b0T;
      const bMin = b1 < b0 ? b1 : b0;
      const bMinT = b1 < b0 ? b1T : b0T;
      const eps = 0.1 * (bMax - bMin);
      const epsT = bMaxT || bMinT;
      const toMax = bMax - t;
      const toMin = t - bMin;
      if ((toMin < toMax ? toMin : toMax) < eps) {
        // interpolation close to the boundary
        if (insufProgress || t >= bMax || t <= bMin) {
          if (Math.abs(t - bMax) < Math.abs(t - bMin)) {
            t = bMax - eps;
            tT = bMaxT || epsT;
          } else {
            t = bMin + eps;
            tT = bMinT || epsT;
          }
          insufProgress = false;
        } else {
          insufProgress = true;
        }
      } else {
        insufProgress = false;
      }
      reg[TRIAL_STEP] = t;
      this.evaluate(objective, x, d);
      fNew = reg[TRIAL_VALUE];
      gtdNew = reg[TRIAL_SLOPE];
      evaluations++;
      lsIter++;
      if (this.poisoned()) {
        status = "nonFinite";
        break;
      }
      const lowF = low === 0 ? bf0 : bf1;
      if (fNew > f + c1 * t * gtd || fNew >= lowF) {
        // Armijo fails or not lower than the lowest point: the new point is the high end
        if (low === 0) {
          b1 = t;
          b1T = tT;
          bf1 = fNew;
          bg1.set(gNew);
          bgtd1 = gtdNew;
        } else {
          b0 = t;
          b0T = tT;
          bf0 = fNew;
          bg0.set(gNew);
          bgtd0 = gtdNew;
        }
        low = bf0 <= bf1 ? 0 : 1;
      } else {
        if (Math.abs(gtdNew) <= -c2 * gtd) {
          done = true;
        } else if (gtdNew * (low === 0 ? b1 - b0 : b0 - b1) >= 0) {
          // the old high end is replaced by the low end
          if (low === 0) {
            b1 = b0;
            b1T = b0T;
            bf1 = bf0;
            bg1.set(bg0);
            bgtd1 = bgtd0;
          } else {
            b0 = b1;
            b0T = b1T;
            bf0 = bf1;
            bg0.set(bg1);
            bgtd0 = bgtd1;
          }
        }
        // the new point becomes the low end
        if (low === 0) {
          b0 = t;
          b0T = tT;
          bf0 = fNew;
          bg0.set(gNew);
          bgtd0 = gtdNew;
        } else {
          b1 = t;
          b1T = tT;
          bf1 = fNew;
          bg1.set(gNew);
          bgtd1 = gtdNew;
        }
      }
    }
    if (done) status = "wolfe";
    reg[STEP] = low === 0 ? b0 : b1;
    reg[VALUE] = low === 0 ? bf0 : bf1;
    reg[EVALUATIONS] = evaluations;
    this.finish(low === 0 ? bg0 : bg1, status);
  }

  // The trial's value may not enter the bracket's low end: NaN or −∞, or a finite value whose slope
  // is not finite (a NaN or ±∞ in the gradient). +∞ is PyTorch's "too far": it only ever ends a bracket.
  private poisoned(): boolean {
    const value = this.registers[TRIAL_VALUE];
    const slope = this.registers[TRIAL_SLOPE];
    return value !== value || value === -Infinity || (value !== Infinity && slope - slope !== 0);
  }

  private finish(grad: Float64Array, status: StrongWolfeStatus): void {
    this.grad.set(grad);
    this.status = status;
  }

  /** f and ∇f·d at x + t·d (t in the registers), into the registers; ∇f in gradNew. */
  private evaluate(objective: Objective, x: Float64Array, d: Float64Array): void {
    const point = this.point;
    const gNew = this.gradNew;
    const n = this.dimension;
    const reg = this.registers;
    const t = reg[TRIAL_STEP];
    for (let i = 0; i < n; i++) point[i] = fusedMultiplyAdd(t, d[i], x[i]); // PyTorch's p.add_(d, alpha=t)
    evaluateObjective(objective, point, gNew, this.out);
    let slope = 0;
    for (let i = 0; i < n; i++) slope += gNew[i] * d[i];
    reg[TRIAL_VALUE] = this.out[0];
    reg[TRIAL_SLOPE] = slope;
  }
}

const NO_OPTIONS: StrongWolfeOptions = Object.freeze({});

function checkVector(name: string, v: Float64Array, n: number): void {
  if (!(v instanceof Float64Array) || v.length !== n) throw new ShapeMismatchError(name, v, `a Float64Array of length ${n}`);
}

/**
 * f(θ) into out[0], with ∇f(θ) written into `grad`: through `evaluateInto` when the objective has
 * it (a number returned from a call the JIT does not inline is boxed), else `evaluate`.
 * @internal
 */
export function evaluateObjective(objective: Objective, theta: Float64Array, grad: Float64Array, out: Float64Array): void {
  if (objective.evaluateInto !== undefined) objective.evaluateInto(theta, grad, null, 0, out);
  else out[0] = objective.evaluate(theta, grad);
}
