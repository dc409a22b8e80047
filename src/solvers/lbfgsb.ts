// L-BFGS-B (Byrd, Lu, Nocedal, Zhu 1995; version 3.0 with Morales–Nocedal 2011), as scipy 1.10's
// `minimize(method="L-BFGS-B")` runs it: lbfgsb.f's mainlb, active, projgr and lnsrlb ported
// statement by statement, with scipy's driver (maxiter and maxfun checked at each new iterate).
import { GradstepError, InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import type { Objective } from "../objectives/objective.js";
import { MORE_THUENTE_STEP, MoreThuenteSearch, MoreThuenteTask } from "../search/more-thuente.js";
import { evaluateObjective } from "../search/strong-wolfe.js";
import { allocateFloat64, guardAllocation } from "../memory/allocate.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";
import { cauchyPoint, type CauchyWork, FIXED, FREE, UNBOUNDED, ZERO_GRADIENT } from "./lbfgsb-cauchy.js";
import { formT, RING_COL, RING_HEAD, RING_TAIL, updateMemory } from "./lbfgsb-compact.js";
import { CACHED_F, DNORM, DOUBLE_NAMES, DR, DTD, F, FOLD, GD, GDOLD, SBGNRM, STP, STPMX, THETA } from "./lbfgsb-scalars.js";
import { formK, freeVariables, reducedGradient, SET_ILEAVE, SET_NENTER, SET_NFREE, subspaceMinimize } from "./lbfgsb-subspace.js";
import type { SolveMethod, Solver, SolverLimits, SolveStopReason } from "./solver.js";
import { knownKeys, resolveSolverLimits } from "./solver-limits.js";

/**
 * Options of {@link LBFGSB}: the box l ≤ x ≤ u, the memory m and the {@link SolverLimits}, with
 * scipy's defaults (`maxcor=10`, `gtol=1e-5`, `ftol=2.220446049250313e-09`, `maxiter=15000`, `maxfun=15000`).
 * Every option may be left out.
 *
 * @example
 * ```ts
 * // scipy.optimize.minimize(f, x0, jac=True, method="L-BFGS-B", bounds=[(0, None), (None, 0.5)])
 * const solver = new LBFGSB({ lower: [0, -Infinity], upper: [Infinity, 0.5] });
 * ```
 */
export interface LBFGSBOptions extends SolverLimits {
  /** Lower bounds: one number for every coordinate or one per coordinate; −Infinity for none. @defaultValue −Infinity */
  lower: number | ArrayLike<number>;
  /** Upper bounds: one number for every coordinate or one per coordinate; +Infinity for none. @defaultValue +Infinity */
  upper: number | ArrayLike<number>;
  /** m, the number of correction pairs (s, y) kept, a whole number ≥ 1 (scipy's `maxcor`). @defaultValue 10 */
  historySize: number;
}

/**
 * A snapshot of {@link LBFGSB}: plain JSON (bounds and vectors as base64 of float64 bytes, so ±Infinity
 * survive). {@link LBFGSB.restore} of it continues bit for bit.
 *
 * @example
 * ```ts
 * const solver = new LBFGSB({ lower: Float64Array.of(0, 0) });
 * const saved: LBFGSBSnapshot = JSON.parse(JSON.stringify(solver.snapshot()));
 * const copy = new LBFGSB();
 * copy.restore(saved); // options, bounds and state: copy.run(x, f) goes on as solver.run(x, f) would
 * ```
 */
export interface LBFGSBSnapshot {
  /** `"gradstep/optimizer"`. */
  format: string;
  /** The layout's version, 1. */
  version: number;
  /** `"LBFGSB"`. */
  kind: string;
  /** The limits and the history size (bounds are in `buffers`). */
  options: Pick<LBFGSBOptions, "historySize" | keyof SolverLimits>;
  /** Iterations over all runs. */
  stepCount: number;
  /** n, or null before the first run. */
  size: number | null;
  /** Every array of the state, by name. */
  buffers: Record<string, string>;
}

const KIND = "LBFGSB";
// lnsrlb's constants: the Moré–Thuente tolerances, the step bound without bounds, scipy's maxls.
const FTOL = 1e-3;
const GTOL = 0.9;
const XTOL = 0.1;
const BIG = 1e10;
const MAXLS = 20;
// 2·dlamch('e'), the machine epsilon of float64, 2⁻⁵².
const EPSMCH = 2.220446049250313e-16;

// Where a run resumes.
const PHASE_START = 0; // evaluate at the (projected) start
const PHASE_START_CHECK = 1; // test the projected gradient at the start
const PHASE_DIRECTION = 2; // lbfgsb.f label 222: a new search direction
const PHASE_NEW_X = 3; // label 777: stop tests and the BFGS update after a line search
const PHASE_SEARCH = 4; // in a line search, f and g wanted at the trial x (the objective threw there)

// The integers and flags of the state (counters may pass 2³¹, so also float64).
const PHASE = 0;
const ITER = 1; // lbfgsb.f's iter (also counts a failed last search)
const IUPDAT = 2;
const NSKIP = 3;
const ITERATIONS = 4; // scipy's nit, over all runs
const EVALUATIONS = 5;
const CNSTND = 6;
const BOXED = 7;
const UPDATD = 8;
const CACHED = 9; // 1 when cachedX, cachedG and CACHED_F hold the last point evaluated
const IFUN = 10; // evaluations of the current line search
const COUNTER_NAMES = ["phase", "iter", "iupdat", "nskip", "iterations", "evaluations", "cnstnd", "boxed", "updatd", "cached", "ifun"] as const;

const VECTOR_NAMES = ["x", "g", "z", "r", "d", "t", "xp", "lower", "upper", "ws", "wy", "sy", "ss", "wt", "wn", "snd", "wa", "cachedX", "cachedG"] as const;
const INDEX_NAMES = ["nbd", "iwhere", "index", "indx2", "ring", "sets"] as const;
const BUFFER_NAMES: readonly string[] = [...VECTOR_NAMES, ...INDEX_NAMES, "doubles", "counters", "search"];

/** The resolved limits (bounds kept apart: they are per coordinate). */
interface Limits {
  historySize: number;
  gradientTolerance: number;
  relativeChange: number;
  maxIterations: number;
  maxEvaluations: number;
}

/** The state, allocated at the first run (n known then). */
interface State {
  n: number;
  m: number;
  x: Float64Array;
  g: Float64Array;
  z: Float64Array;
  r: Float64Array;
  d: Float64Array;
  t: Float64Array;
  xp: Float64Array;
  /** The last point evaluated and its gradient (scipy's ScalarFunction evaluates a point again only if it differs). */
  cachedX: Float64Array;
  cachedG: Float64Array;
  /** The point handed to the objective (scipy's fun(np.copy(x))) and to onIteration, a copy of x: not part of snapshots. */
  argument: Float64Array;
  lower: Float64Array;
  upper: Float64Array;
  ws: Float64Array;
  wy: Float64Array;
  sy: Float64Array;
  ss: Float64Array;
  wt: Float64Array;
  wn: Float64Array;
  snd: Float64Array;
  wa: Float64Array;
  nbd: Int32Array;
  iwhere: Int32Array;
  index: Int32Array;
  indx2: Int32Array;
  ring: Int32Array;
  sets: Int32Array;
  doubles: Float64Array;
  counters: Float64Array;
  /** The Cauchy point's view of the arrays above. */
  cauchy: CauchyWork;
  search: MoreThuenteSearch;
  out: Float64Array;
}

function allocateState(n: number, m: number): State {
  // Through the guard: an n·m no memory holds (historySize 2^40, say) is an OutOfMemoryError, not a bare RangeError.
  return guardAllocation("historySize", n * m, () => makeState(n, m));
}

function makeState(n: number, m: number): State {
  const s = {
    n,
    m,
    x: new Float64Array(n),
    g: new Float64Array(n),
    z: new Float64Array(n),
    r: new Float64Array(n),
    d: new Float64Array(n),
    t: new Float64Array(n),
    xp: new Float64Array(n),
    cachedX: new Float64Array(n),
    cachedG: new Float64Array(n),
    argument: new Float64Array(n),
    lower: new Float64Array(n),
    upper: new Float64Array(n),
    ws: new Float64Array(n * m),
    wy: new Float64Array(n * m),
    sy: new Float64Array(m * m),
    ss: new Float64Array(m * m),
    wt: new Float64Array(m * m),
    wn: new Float64Array(4 * m * m),
    snd: new Float64Array(4 * m * m),
    wa: new Float64Array(8 * m),
    nbd: new Int32Array(n),
    iwhere: new Int32Array(n),
    index: new Int32Array(n),
    indx2: new Int32Array(n),
    ring: new Int32Array(3),
    sets: new Int32Array(3),
    doubles: new Float64Array(DOUBLE_NAMES.length),
    counters: new Float64Array(COUNTER_NAMES.length),
    search: new MoreThuenteSearch(),
    out: new Float64Array(1),
  } as Omit<State, "cauchy"> as State;
  s.cauchy = {
    n,
    m,
    nbd: s.nbd,
    lower: s.lower,
    upper: s.upper,
    iwhere: s.iwhere,
    order: s.indx2,
    breakpoints: s.t,
    d: s.d,
    ws: s.ws,
    wy: s.wy,
    sy: s.sy,
    wt: s.wt,
    wa: s.wa,
  };
  return s;
}

const OPTION_NAMES = ["lower", "upper", "historySize", "gradientTolerance", "relativeChange", "maxIterations", "maxEvaluations"];

/** The limits checked with the other solvers' rules (scipy L-BFGS-B's defaults), and m. */
function resolveLimits(options: Record<string, unknown>): Limits {
  const historySize = own(options, "historySize");
  if (historySize !== undefined && (!Number.isSafeInteger(historySize) || (historySize as number) < 1)) throw new InvalidOptionError("historySize", historySize, "a whole number ≥ 1");
  const limits = resolveSolverLimits(
    {
      gradientTolerance: own(options, "gradientTolerance") as number | undefined,
      relativeChange: own(options, "relativeChange") as number | undefined,
      maxIterations: own(options, "maxIterations") as number | undefined,
      maxEvaluations: own(options, "maxEvaluations") as number | undefined,
    },
    "lbfgsb",
  );
  return {
    historySize: historySize === undefined ? 10 : (historySize as number),
    gradientTolerance: limits.gradientTolerance,
    relativeChange: limits.relativeChange,
    maxIterations: limits.maxIterations ?? 15000,
    maxEvaluations: limits.maxEvaluations,
  };
}

/** A bound option as given: one number for all coordinates, or a copy of the per-coordinate values. */
function resolveBound(name: "lower" | "upper", value: unknown): number | Float64Array {
  const infinite = name === "lower" ? -Infinity : Infinity;
  if (value === undefined) return infinite;
  if (typeof value === "number") {
    if (Number.isNaN(value) || value === -infinite) throw new InvalidOptionError(name, value, `a number or ${infinite} (no bound)`);
    return value + 0;
  }
  // length read once and checked: a negative, fractional or huge length (or a getter answering
  // differently on a second read) made the copy's allocation throw a bare RangeError.
  const length = typeof value === "object" && value !== null ? (value as ArrayLike<unknown>).length : undefined;
  if (typeof length !== "number") throw new InvalidOptionError(name, value, "a number or an array of numbers");
  const given = value as ArrayLike<unknown>;
  if (!Number.isSafeInteger(length) || length < 0) throw new InvalidOptionError(`${name}.length`, length, "a whole number ≥ 0");
  const copy = allocateFloat64(length, name);
  for (let i = 0; i < length; i++) {
    const v = given[i];
    if (typeof v !== "number" || Number.isNaN(v) || v === -infinite) throw new InvalidOptionError(`${name}[${i}]`, v, `a number or ${infinite} (no bound)`);
    copy[i] = v + 0;
  }
  return copy;
}

function boundAt(bound: number | Float64Array, i: number): number {
  return typeof bound === "number" ? bound : bound[i];
}

/** lower ≤ upper wherever both are known (all of them once n is). */
function checkBoxOrder(lower: number | Float64Array, upper: number | Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    const lo = boundAt(lower, i);
    const hi = boundAt(upper, i);
    if (lo > hi) {
      const name = typeof lower === "number" ? "lower" : `lower[${i}]`;
      throw new InvalidOptionError(name, lo, `a number ≤ upper${typeof upper === "number" ? "" : `[${i}]`} = ${hi}`);
    }
  }
}

/**
 * L-BFGS-B: limited-memory BFGS for f(x) subject to l ≤ x ≤ u (Byrd, Lu, Nocedal and Zhu 1995,
 * version 3.0 with Morales and Nocedal's 2011 subspace fix), ported from the Fortran that scipy
 * 1.10's `minimize(method="L-BFGS-B")` runs, with the same iterates and evaluation counts.
 *
 * Each iteration, at x with gradient g and the compact limited-memory Hessian
 * B = θI − W M Wᵀ (W = [Y, θS] of the last m pairs s = x_{k+1} − x_k, y = g_{k+1} − g_k):
 * 1. the generalized Cauchy point x_c: the first minimiser of the quadratic model
 *    m(x) = gᵀ(x − x_k) + ½(x − x_k)ᵀB(x − x_k) along the projected gradient path P(x_k − t·g);
 * 2. subspace minimisation: with the variables at a bound in x_c held there, the model's minimiser
 *    over the free ones (Sherman–Morrison–Woodbury on B), projected onto the box (and backtracked
 *    to x_c if the projection is not a descent direction), gives x̄;
 * 3. a Moré–Thuente line search along d = x̄ − x_k (ftol 1e-3, gtol 0.9, xtol 0.1; the first step 1,
 *    or min(1/‖d‖, 1) at the first iteration; at most the largest feasible step), at most 20 evaluations;
 * 4. the pair (s, y) is kept if sᵀy > ε·(−gᵀs), and θ = yᵀy / sᵀy.
 *
 * It stops when max|P(x − g) − x|ᵢ ≤ `gradientTolerance` (the projected gradient), when
 * (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ `relativeChange`, or on the budgets, which scipy
 * checks once per iteration (so `maxEvaluations` may be passed by the last line search's evaluations).
 * The start is projected onto the box first. {@link run} continues where the last run stopped, bit
 * for bit as one longer run; nothing is allocated per iteration.
 *
 * @example
 * ```ts
 * const solver = new LBFGSB({ upper: 0.5 });
 * const x = Float64Array.of(-1.2, 1);
 * const reason = solver.run(x, rosenbrock()); // "gradientTolerance": x = [0.5, 0.25], the bound x₀ ≤ 0.5 active
 * // (14 iterations, 19 evaluations, as scipy)
 * ```
 */
export class LBFGSB implements Solver {
  /** `"lbfgsb"`. */
  readonly method: SolveMethod = "lbfgsb";
  private limits: Limits;
  private lowerOption: number | Float64Array;
  private upperOption: number | Float64Array;
  private state: State | undefined;

  /**
   * @throws {@link index!InvalidOptionError | InvalidOptionError} for an unknown option, a limit out of range, a NaN bound, or
   * a lower bound above its upper bound (naming the option, the index and the value).
   */
  constructor(options: Partial<LBFGSBOptions> = {}) {
    knownKeys("options", options, OPTION_NAMES, "LBFGSB");
    const given = options as Record<string, unknown>;
    this.limits = resolveLimits(given);
    this.lowerOption = resolveBound("lower", own(given, "lower"));
    this.upperOption = resolveBound("upper", own(given, "upper"));
    const lowerLength = typeof this.lowerOption === "number" ? -1 : this.lowerOption.length;
    const upperLength = typeof this.upperOption === "number" ? -1 : this.upperOption.length;
    if (lowerLength >= 0 && upperLength >= 0 && lowerLength !== upperLength) {
      throw new InvalidOptionError("upper", given.upper, `as many bounds as lower (${lowerLength})`);
    }
    checkBoxOrder(this.lowerOption, this.upperOption, Math.max(lowerLength, upperLength, 1));
  }

  /** f at the last accepted iterate (NaN before the first run, or when the start gave none). */
  get value(): number {
    if (this.state === undefined || this.state.counters[PHASE] === PHASE_START) return NaN;
    return this.state.doubles[this.state.counters[PHASE] === PHASE_SEARCH ? FOLD : F];
  }

  /** max|gᵢ| of the projected gradient at the last accepted iterate (NaN before the first run, or when the start gave none). */
  get gradientNorm(): number {
    if (this.state === undefined || this.state.counters[PHASE] === PHASE_START) return NaN;
    return this.state.doubles[SBGNRM];
  }

  /** Iterations (accepted line searches) over all runs, scipy's `nit`. */
  get iterations(): number {
    return this.state === undefined ? 0 : this.state.counters[ITERATIONS];
  }

  /**
   * Evaluations of the objective over all runs, scipy's `nfev`: as scipy's ScalarFunction, a point
   * equal to the last one evaluated (a failing line search can return to it) is not evaluated again.
   */
  get evaluations(): number {
    return this.state === undefined ? 0 : this.state.counters[EVALUATIONS];
  }

  /** The BFGS updates skipped because sᵀy ≤ ε·(−gᵀs), over all runs. */
  get skippedUpdates(): number {
    return this.state === undefined ? 0 : this.state.counters[NSKIP];
  }

  /**
   * Runs from `params` until a stop criterion; `params` ends at the last accepted iterate. If `params`
   * still holds the iterate where the last run stopped, the run continues from the whole state (bit
   * for bit as one longer run); otherwise it starts afresh from `params` (projected onto the box),
   * with the memory cleared and the totals kept. If the objective throws, the error passes through
   * with `params` at the last accepted iterate (as given, if it was the start that threw) and the state
   * as before that evaluation: the next run evaluates there again and goes on bit for bit.
   * @throws {@link index!ShapeMismatchError | ShapeMismatchError} if `params` is not a Float64Array of the objective's dimension,
   * of the state's, or of the bounds' length (nothing changed then).
   * @param onIteration called after each iteration with the new iterate (to record a path).
   */
  run(params: Float64Array, objective: Objective, onIteration?: (x: Float64Array) => void): SolveStopReason {
    if (!(params instanceof Float64Array)) throw new ShapeMismatchError("params", params, "a Float64Array");
    params = plainFloat64(params, "params"); // the engine's length: a subclass's length getter may lie
    const n = params.length;
    if (objective.dimension !== n) throw new ShapeMismatchError("params", params, `a Float64Array of the objective's dimension ${objective.dimension}`);
    if (n < 1) throw new ShapeMismatchError("params", params, "at least one parameter");
    if (this.state !== undefined && this.state.n !== n) throw new ShapeMismatchError("params", params, `a Float64Array of length ${this.state.n} (the solver's state)`);
    if (typeof this.lowerOption !== "number" && this.lowerOption.length !== n) throw new ShapeMismatchError("lower", this.lowerOption, `${n} bounds, one per parameter`);
    if (typeof this.upperOption !== "number" && this.upperOption.length !== n) throw new ShapeMismatchError("upper", this.upperOption, `${n} bounds, one per parameter`);
    if (this.state === undefined) {
      this.state = allocateState(n, this.limits.historySize);
      for (let i = 0; i < n; i++) {
        this.state.lower[i] = boundAt(this.lowerOption, i);
        this.state.upper[i] = boundAt(this.upperOption, i);
      }
    }
    const s = this.state;
    if (s.counters[PHASE] !== PHASE_START) {
      // The iterate where the last run stopped (in a line search: the last accepted one, kept in t).
      const iterate = s.counters[PHASE] === PHASE_SEARCH ? s.t : s.x;
      for (let i = 0; i < n; i++) {
        if (params[i] !== iterate[i]) {
          s.counters[PHASE] = PHASE_START;
          break;
        }
      }
    }
    if (s.counters[PHASE] === PHASE_START) for (let i = 0; i < n; i++) s.x[i] = params[i];
    let reason: SolveStopReason;
    try {
      reason = iterate(s, this.limits, objective, onIteration);
    } catch (error) {
      // The objective threw. In a line search, params get the last accepted iterate and the state
      // stays as it was before the evaluation, which the next run does again; at the start, params
      // stay as given.
      if (s.counters[PHASE] === PHASE_SEARCH) {
        for (let i = 0; i < n; i++) {
          params[i] = s.t[i];
          s.g[i] = s.cachedG[i]; // what the objective may have half written: the last evaluation's
        }
      } else if (s.counters[PHASE] === PHASE_START) {
        clearStart(s);
      } else {
        for (let i = 0; i < n; i++) params[i] = s.x[i];
      }
      throw error;
    }
    for (let i = 0; i < n; i++) params[i] = s.x[i];
    return reason;
  }

  /** The whole state as plain JSON, for {@link restore}. */
  snapshot(): LBFGSBSnapshot {
    const s = this.state;
    const buffers: Record<string, string> = {};
    if (s !== undefined) {
      for (const name of VECTOR_NAMES) buffers[name] = encodeFloat64(s[name]);
      for (const name of INDEX_NAMES) buffers[name] = encodeFloat64(Float64Array.from(s[name]));
      buffers.doubles = encodeFloat64(s.doubles);
      buffers.counters = encodeFloat64(s.counters);
      buffers.search = encodeFloat64(s.search.state);
    } else {
      const n = typeof this.lowerOption !== "number" ? this.lowerOption.length : typeof this.upperOption !== "number" ? this.upperOption.length : 1;
      const lower = new Float64Array(n);
      const upper = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        lower[i] = boundAt(this.lowerOption, i);
        upper[i] = boundAt(this.upperOption, i);
      }
      // Before the first run only the bounds are kept: one value each when given as one number.
      buffers.lower = encodeFloat64(typeof this.lowerOption === "number" ? Float64Array.of(this.lowerOption) : lower);
      buffers.upper = encodeFloat64(typeof this.upperOption === "number" ? Float64Array.of(this.upperOption) : upper);
    }
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: KIND,
      options: { ...this.limits },
      stepCount: this.iterations,
      size: s === undefined ? null : s.n,
      buffers,
    };
  }

  /**
   * Replaces options and state by those of a snapshot; the solver then continues bit for bit as the
   * one that took it. The snapshot is checked whole first: a bad one throws
   * {@link index!InvalidSnapshotError | InvalidSnapshotError} and changes nothing.
   *
   * @throws {@link index!InvalidSnapshotError | InvalidSnapshotError} for a malformed snapshot (nothing changes).
   */
  restore(snapshot: unknown): void {
    const decoded = decodeSnapshot(snapshot);
    this.limits = decoded.limits;
    this.lowerOption = decoded.lowerOption;
    this.upperOption = decoded.upperOption;
    this.state = decoded.state;
  }
}

/** A run of mainlb from the phase the state is in, to a stop. */
function iterate(s: State, limits: Limits, objective: Objective, onIteration: ((x: Float64Array) => void) | undefined): SolveStopReason {
  const { n, m, x, g, z, r, d, t, xp, lower: l, upper: u, ws, wy, sy, ss, wt, wn, snd, wa, nbd, iwhere, index, indx2, ring, sets, doubles: v, counters: c } = s;
  const search = s.search;
  const pgtol = limits.gradientTolerance;
  const tol = limits.relativeChange;
  let runIterations = 0;
  let runEvaluations = 0;

  if (c[PHASE] === PHASE_START) {
    startFresh(s);
    const outcome = evaluate(s, objective);
    runEvaluations++;
    if (outcome === NON_FINITE) {
      clearStart(s);
      return "nonFinite";
    }
    projectedGradientNorm(n, l, u, nbd, x, g, v);
    c[PHASE] = PHASE_START_CHECK;
  }
  if (c[PHASE] === PHASE_START_CHECK) {
    if (v[SBGNRM] <= pgtol) return "gradientTolerance";
    c[PHASE] = PHASE_DIRECTION;
  }
  for (;;) {
    if (c[PHASE] === PHASE_NEW_X) {
      // Label 777: the stop tests, then the BFGS update.
      if (v[SBGNRM] <= pgtol) return "gradientTolerance";
      const ddum = Math.max(Math.abs(v[FOLD]), Math.abs(v[F]), 1);
      if (v[FOLD] - v[F] <= tol * ddum) return "relativeChange";
      for (let i = 0; i < n; i++) r[i] = g[i] - r[i];
      let rr = 0;
      for (let i = 0; i < n; i++) rr += r[i] * r[i];
      let dr: number;
      let ddum2: number;
      const stp = v[STP];
      if (stp === 1) {
        dr = v[GD] - v[GDOLD];
        ddum2 = -v[GDOLD];
      } else {
        dr = (v[GD] - v[GDOLD]) * stp;
        for (let i = 0; i < n; i++) d[i] = stp * d[i];
        ddum2 = -v[GDOLD] * stp;
      }
      c[PHASE] = PHASE_DIRECTION;
      if (dr <= EPSMCH * ddum2) {
        // sᵀy too small: skip the update.
        c[NSKIP]++;
        c[UPDATD] = 0;
      } else {
        c[UPDATD] = 1;
        c[IUPDAT]++;
        v[DR] = dr;
        updateMemory(n, m, ws, wy, sy, ss, d, r, ring, c[IUPDAT], v);
        v[THETA] = rr / dr;
        if (formT(m, wt, sy, ss, ring[RING_COL], v) !== 0) resetMemory(s);
      }
    }
    // A run that stopped in a line search (the objective threw) goes on with the evaluation at the trial x.
    const resuming = c[PHASE] === PHASE_SEARCH;
    let failed = false;
    let nonFinite = false;
    let task: number = MoreThuenteTask.FG;
    const input = search.input;
    if (!resuming) {
      // Label 222: the search direction d = x̄ − x.
      const cnstnd = c[CNSTND] === 1;
      let wrk: boolean;
      if (!cnstnd && ring[RING_COL] > 0) {
        for (let i = 0; i < n; i++) z[i] = x[i];
        wrk = c[UPDATD] === 1;
      } else {
        if (cauchyPoint(s.cauchy, x, g, z, ring[RING_COL], ring[RING_HEAD], v) !== 0) {
          resetMemory(s);
          continue;
        }
        wrk = freeVariables(n, sets, index, indx2, iwhere, c[UPDATD] === 1, cnstnd, c[ITER]);
      }
      const nfree = sets[SET_NFREE];
      const col = ring[RING_COL];
      if (nfree !== 0 && col !== 0) {
        if (wrk && formK(n, sets, index, indx2, c[IUPDAT], c[UPDATD] === 1, wn, snd, m, ws, wy, sy, v, col, ring[RING_HEAD]) !== 0) {
          resetMemory(s);
          continue;
        }
        if (
          reducedGradient(n, m, x, g, ws, wy, sy, wt, z, r, wa, index, v, col, ring[RING_HEAD], nfree, cnstnd) !== 0 ||
          subspaceMinimize(n, m, nfree, index, l, u, nbd, z, r, xp, ws, wy, v, x, g, col, ring[RING_HEAD], wa, wn) !== 0
        ) {
          resetMemory(s);
          continue;
        }
      }
      for (let i = 0; i < n; i++) d[i] = z[i] - x[i];

      // lnsrlb: a Moré–Thuente search along d from x (kept in t, its gradient in r, f in fold).
      let dtd = 0;
      for (let i = 0; i < n; i++) dtd += d[i] * d[i];
      v[DTD] = dtd;
      v[DNORM] = Math.sqrt(dtd);
      // +BIG, not BIG: bundled, the constant is a `var`, of unknown type to V8 11.3's optimizing
      // compiler, and stpmx, merged with the loop's quotients, stayed tagged: each quotient was boxed
      // (about 830 bytes a run of 35 iterations in the bundle; none on the sources)
      let stpmx = +BIG;
      if (cnstnd) {
        if (c[ITER] === 0) {
          stpmx = 1;
        } else {
          for (let i = 0; i < n; i++) {
            const a1 = d[i];
            if (nbd[i] !== 0) {
              if (a1 < 0 && nbd[i] <= 2) {
                const a2 = l[i] - x[i];
                if (a2 >= 0) stpmx = 0;
                else if (a1 * stpmx < a2) stpmx = a2 / a1;
              } else if (a1 > 0 && nbd[i] >= 2) {
                const a2 = u[i] - x[i];
                if (a2 <= 0) stpmx = 0;
                else if (a1 * stpmx > a2) stpmx = a2 / a1;
              }
            }
          }
        }
      }
      v[STPMX] = stpmx;
      v[STP] = c[ITER] === 0 && c[BOXED] !== 1 ? Math.min(1 / v[DNORM], stpmx) : 1;
      for (let i = 0; i < n; i++) {
        t[i] = x[i];
        r[i] = g[i];
      }
      v[FOLD] = v[F];
      let gd = 0;
      for (let i = 0; i < n; i++) gd += g[i] * d[i];
      v[GD] = gd;
      v[GDOLD] = gd;
      failed = gd >= 0; // not a descent direction (lbfgsb.f info = −4)
      if (!failed) {
        // dcsrch's arguments through its input array (a double passed to a call would be boxed).
        input[0] = v[STP];
        input[1] = v[F];
        input[2] = gd;
        input[3] = FTOL;
        input[4] = GTOL;
        input[5] = XTOL;
        input[6] = 0;
        input[7] = stpmx;
        task = search.startFromInput();
        c[IFUN] = 0;
      }
    }
    if (!failed) {
      let pending = resuming;
      for (;;) {
        if (!pending) {
          if (task === MoreThuenteTask.Convergence || (task >= MoreThuenteTask.RoundingErrors && task <= MoreThuenteTask.StepAtMin)) break;
          if (task !== MoreThuenteTask.FG) {
            failed = true; // a dcsrch argument error: not reachable with lnsrlb's arguments
            break;
          }
          c[IFUN]++;
          if (c[IFUN] - 1 >= MAXLS) {
            failed = true;
            break;
          }
          const stp = search.state[MORE_THUENTE_STEP];
          v[STP] = stp;
          if (stp === 1) {
            for (let i = 0; i < n; i++) x[i] = z[i];
          } else {
            for (let i = 0; i < n; i++) {
              let xi = stp * d[i] + t[i];
              if (nbd[i] === 1 || nbd[i] === 2) xi = Math.max(xi, l[i]);
              if (nbd[i] === 2 || nbd[i] === 3) xi = Math.min(xi, u[i]);
              x[i] = xi;
            }
          }
          // If the objective throws now, the run ends here and the next one evaluates at this x again.
          c[PHASE] = PHASE_SEARCH;
        }
        pending = false;
        const outcome = evaluate(s, objective);
        if (outcome !== REUSED) runEvaluations++;
        if (outcome === NON_FINITE) {
          nonFinite = true;
          break;
        }
        let gd = 0;
        for (let i = 0; i < n; i++) gd += g[i] * d[i];
        v[GD] = gd;
        input[1] = v[F];
        input[2] = gd;
        task = search.nextFromInput();
      }
      v[STP] = search.state[MORE_THUENTE_STEP];
    }
    c[PHASE] = PHASE_DIRECTION;
    if (failed || nonFinite) {
      // Back to the last iterate.
      for (let i = 0; i < n; i++) {
        x[i] = t[i];
        g[i] = r[i];
      }
      v[F] = v[FOLD];
      projectedGradientNorm(n, l, u, nbd, x, g, v);
      if (nonFinite) return "nonFinite";
      if (ring[RING_COL] === 0) {
        c[ITER]++;
        return "lineSearch";
      }
      // Restart from the steepest descent with the memory cleared.
      resetMemory(s);
      continue;
    }
    // A new iterate.
    c[ITER]++;
    c[ITERATIONS]++;
    runIterations++;
    projectedGradientNorm(n, l, u, nbd, x, g, v);
    c[PHASE] = PHASE_NEW_X;
    if (onIteration !== undefined) {
      // A copy: a callback writing into the array it is given would otherwise move the iterate.
      const reported = s.argument;
      for (let i = 0; i < n; i++) reported[i] = x[i];
      onIteration(reported);
    }
    // scipy's driver: the budgets, at each new iterate.
    if (runIterations >= limits.maxIterations) return "maxIterations";
    if (runEvaluations > limits.maxEvaluations) return "maxEvaluations";
  }
}

// What evaluate() did.
const REUSED = 0; // the point was the last one evaluated: its f and g again
const EVALUATED = 1;
const NON_FINITE = 2; // evaluated, and f or g is NaN or infinite (not kept for reuse)

/**
 * f and g at s.x into v[F] and s.g, as scipy's ScalarFunction gives them: a point equal to the last
 * one evaluated (a line search can come back to it) is not evaluated again, nor counted.
 * @returns {@link REUSED}, {@link EVALUATED} or {@link NON_FINITE}.
 */
function evaluate(s: State, objective: Objective): number {
  const { n, x, g, cachedX, cachedG, doubles: v, counters: c } = s;
  if (c[CACHED] === 1) {
    let same = true;
    for (let i = 0; i < n; i++) {
      if (x[i] !== cachedX[i]) {
        same = false;
        break;
      }
    }
    if (same) {
      for (let i = 0; i < n; i++) g[i] = cachedG[i];
      v[F] = v[CACHED_F];
      return REUSED;
    }
  }
  // The objective gets a copy: one that writes into the point it is given would otherwise move the
  // iterate itself, and the value reported would not be the value at the params returned.
  const argument = s.argument;
  for (let i = 0; i < n; i++) argument[i] = x[i];
  evaluateObjective(objective, argument, g, s.out);
  v[F] = s.out[0];
  c[EVALUATIONS]++;
  if (!allFinite(v, g)) {
    c[CACHED] = 0;
    return NON_FINITE;
  }
  v[CACHED_F] = v[F];
  for (let i = 0; i < n; i++) {
    cachedX[i] = x[i];
    cachedG[i] = g[i];
  }
  c[CACHED] = 1;
  return EVALUATED;
}

/** After a start that gave no finite f and g (or threw): nothing accepted, nothing non-finite kept. */
function clearStart(s: State): void {
  s.g.fill(0);
  s.doubles[F] = 0;
  s.doubles[SBGNRM] = 0;
}

/** The start: lbfgsb.f's initialisation and `active` (project x onto the box, classify the bounds). */
function startFresh(s: State): void {
  const { n, x, lower: l, upper: u, nbd, iwhere, doubles: v, counters: c } = s;
  let cnstnd = false;
  let boxed = true;
  for (let i = 0; i < n; i++) {
    const hasLower = l[i] !== -Infinity;
    const hasUpper = u[i] !== Infinity;
    nbd[i] = hasLower ? (hasUpper ? 2 : 1) : hasUpper ? 3 : 0;
  }
  for (let i = 0; i < n; i++) {
    if (nbd[i] > 0) {
      if (nbd[i] <= 2 && x[i] <= l[i]) {
        if (x[i] < l[i]) x[i] = l[i];
      } else if (nbd[i] >= 2 && x[i] >= u[i]) {
        if (x[i] > u[i]) x[i] = u[i];
      }
    }
  }
  for (let i = 0; i < n; i++) {
    if (nbd[i] !== 2) boxed = false;
    if (nbd[i] === 0) {
      iwhere[i] = UNBOUNDED;
    } else {
      cnstnd = true;
      iwhere[i] = nbd[i] === 2 && u[i] - l[i] <= 0 ? FIXED : FREE;
    }
  }
  resetMemory(s);
  c[CACHED] = 0; // a new start is evaluated (and counted), as a new scipy call would
  c[ITER] = 0;
  c[NSKIP] = 0;
  c[CNSTND] = cnstnd ? 1 : 0;
  c[BOXED] = boxed ? 1 : 0;
  s.sets[SET_NFREE] = n;
  s.sets[SET_NENTER] = 0;
  s.sets[SET_ILEAVE] = n + 1;
  v[FOLD] = 0;
  v[DNORM] = 0;
  v[GD] = 0;
  v[GDOLD] = 0;
  v[STPMX] = 0;
  v[STP] = 0;
  v[DTD] = 0;
}

/** Drops the limited memory: B = I (lbfgsb.f's restarts after a failed factorisation or search). */
function resetMemory(s: State): void {
  s.ring[RING_COL] = 0;
  s.ring[RING_HEAD] = 0;
  s.ring[RING_TAIL] = 0;
  s.doubles[THETA] = 1;
  s.counters[IUPDAT] = 0;
  s.counters[UPDATD] = 0;
}

/**
 * lbfgsb.f `projgr`: max|proj gᵢ| where proj gᵢ = max(xᵢ − uᵢ, gᵢ) if gᵢ < 0 (upper bound) and
 * min(xᵢ − lᵢ, gᵢ) otherwise (lower bound), i.e. ‖P(x − g) − x‖∞; NaN if g holds one. Into v[SBGNRM]
 * (a double returned from a call that is not inlined is boxed).
 */
function projectedGradientNorm(n: number, l: Float64Array, u: Float64Array, nbd: Int32Array, x: Float64Array, g: Float64Array, v: Float64Array): void {
  let sbgnrm = 0;
  for (let i = 0; i < n; i++) {
    let gi = g[i];
    if (gi !== gi) {
      v[SBGNRM] = gi;
      return;
    }
    if (nbd[i] !== 0) {
      if (gi < 0) {
        if (nbd[i] >= 2) gi = Math.max(x[i] - u[i], gi);
      } else if (nbd[i] <= 2) {
        gi = Math.min(x[i] - l[i], gi);
      }
    }
    sbgnrm = Math.max(sbgnrm, Math.abs(gi));
  }
  v[SBGNRM] = sbgnrm;
}

/** f (v[F]) and every gᵢ finite. */
function allFinite(v: Float64Array, g: Float64Array): boolean {
  const f = v[F];
  if (f - f !== 0) return false;
  for (let i = 0; i < g.length; i++) if (g[i] - g[i] !== 0) return false;
  return true;
}

/** A snapshot checked whole and decoded (nothing adopted here). */
function decodeSnapshot(snapshot: unknown): { limits: Limits; lowerOption: number | Float64Array; upperOption: number | Float64Array; state: State | undefined } {
  const header = checkSnapshotHeader(snapshot, KIND);
  const optionsField = expectField("snapshot.options", own(header, "options"), "object");
  let limits: Limits;
  try {
    for (const key of Object.keys(optionsField)) {
      if (!["historySize", "gradientTolerance", "relativeChange", "maxIterations", "maxEvaluations"].includes(key)) throw new InvalidOptionError(key, optionsField[key], "a limit or historySize");
    }
    limits = resolveLimits(optionsField);
  } catch (e) {
    if (!(e instanceof GradstepError)) throw e;
    throw new InvalidSnapshotError(`snapshot.options.${e.argument}`, e.value, e.expected);
  }
  const size = own(header, "size");
  if (size !== null && (!Number.isSafeInteger(size) || (size as number) < 1)) throw new InvalidSnapshotError("snapshot.size", size, "null or a whole number ≥ 1");
  const stepCount = own(header, "stepCount");
  if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0) throw new InvalidSnapshotError("snapshot.stepCount", stepCount, "a whole number");
  const given = expectField("snapshot.buffers", own(header, "buffers"), "object");
  const names = size === null ? ["lower", "upper"] : BUFFER_NAMES;
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) throw new InvalidSnapshotError(`snapshot.buffers.${key}`, given[key], `only the buffers ${names.join(", ")}`);
  }
  const read = (name: string, length: number | undefined): Float64Array => {
    const path = `snapshot.buffers.${name}`;
    const text = expectField(path, own(given, name), "string");
    const values = decodeFloat64(text);
    if (values === undefined || (length !== undefined && values.length !== length)) throw new InvalidSnapshotError(path, text, `base64 of ${length ?? "some"} little-endian float64 values`);
    for (let i = 0; i < values.length; i++) {
      const bound = name === "lower" || name === "upper";
      const bad = bound ? Number.isNaN(values[i]) || values[i] === (name === "lower" ? Infinity : -Infinity) : !Number.isFinite(values[i]);
      if (bad) throw new InvalidSnapshotError(`${path}[${i}]`, values[i], bound ? "a bound (a number, or ∓Infinity for none)" : "a finite number");
    }
    return values;
  };
  if (size === null) {
    if (stepCount !== 0) throw new InvalidSnapshotError("snapshot.stepCount", stepCount, "0 before the first run");
    const lower = read("lower", undefined);
    const upper = read("upper", undefined);
    if (lower.length < 1 || upper.length < 1) throw new InvalidSnapshotError("snapshot.buffers.lower", own(given, "lower"), "at least one bound");
    const lowerOption = lower.length === 1 ? lower[0] : lower;
    const upperOption = upper.length === 1 ? upper[0] : upper;
    try {
      checkBoxOrder(lowerOption, upperOption, Math.max(lower.length, upper.length));
    } catch (e) {
      if (!(e instanceof GradstepError)) throw e;
      throw new InvalidSnapshotError(`snapshot.buffers.${e.argument}`, e.value, e.expected);
    }
    return { limits, lowerOption, upperOption, state: undefined };
  }
  const n = size as number;
  const m = limits.historySize;
  // The largest buffers' lengths checked before the state is allocated: a size or historySize no
  // buffer of the snapshot matches is refused as such, not by an allocation that fails.
  read("x", n);
  read("ws", n * m);
  const state = allocateState(n, m);
  const lengths: Record<string, number> = {
    x: n, g: n, z: n, r: n, d: n, t: n, xp: n, cachedX: n, cachedG: n, lower: n, upper: n,
    ws: n * m, wy: n * m, sy: m * m, ss: m * m, wt: m * m, wn: 4 * m * m, snd: 4 * m * m, wa: 8 * m,
    nbd: n, iwhere: n, index: n, indx2: n, ring: 3, sets: 3,
    doubles: DOUBLE_NAMES.length, counters: COUNTER_NAMES.length, search: state.search.state.length,
  };
  for (const name of VECTOR_NAMES) state[name].set(read(name, lengths[name]));
  const whole = (name: string, values: Float64Array, i: number, lo: number, hi: number) => {
    const value = values[i];
    if (!Number.isSafeInteger(value) || value < lo || value > hi) throw new InvalidSnapshotError(`snapshot.buffers.${name}[${i}]`, value, `a whole number in [${lo}, ${hi}]`);
  };
  const indexLimits: Record<string, [number, number]> = { nbd: [0, 3], iwhere: [ZERO_GRADIENT, FIXED], index: [0, n - 1], indx2: [0, n - 1], ring: [0, m], sets: [0, n + 1] };
  for (const name of INDEX_NAMES) {
    const values = read(name, lengths[name]);
    for (let i = 0; i < values.length; i++) whole(name, values, i, indexLimits[name][0], indexLimits[name][1]);
    state[name].set(values);
  }
  const ring = state.ring;
  if (ring[RING_HEAD] >= m || ring[RING_TAIL] >= m || ring[RING_COL] > m) throw new InvalidSnapshotError("snapshot.buffers.ring", Array.from(ring), `head and tail < historySize (${m}), at most ${m} pairs`);
  if (state.sets[SET_NFREE] > n || state.sets[SET_NENTER] > n || state.sets[SET_ILEAVE] < 1) throw new InvalidSnapshotError("snapshot.buffers.sets", Array.from(state.sets), `counts within the ${n} variables`);
  state.doubles.set(read("doubles", lengths.doubles));
  const counters = read("counters", lengths.counters);
  for (let i = 0; i < counters.length; i++) whole("counters", counters, i, 0, i === PHASE ? PHASE_SEARCH : i === IFUN ? MAXLS : i >= CNSTND ? 1 : Number.MAX_SAFE_INTEGER);
  state.counters.set(counters);
  state.search.state.set(read("search", lengths.search)); // dcsrch's saved variables (mid-search only)
  if (counters[ITERATIONS] !== stepCount) throw new InvalidSnapshotError("snapshot.stepCount", stepCount, `the iterations in the counters (${counters[ITERATIONS]})`);
  if (counters[IUPDAT] > 0 && !(state.doubles[THETA] > 0)) throw new InvalidSnapshotError("snapshot.buffers.doubles", state.doubles[THETA], "θ > 0 once pairs are kept");
  // The bounds and their kinds must agree.
  for (let i = 0; i < n; i++) {
    if (state.lower[i] > state.upper[i]) throw new InvalidSnapshotError(`snapshot.buffers.lower[${i}]`, state.lower[i], `a number ≤ upper[${i}] = ${state.upper[i]}`);
    const kind = state.lower[i] !== -Infinity ? (state.upper[i] !== Infinity ? 2 : 1) : state.upper[i] !== Infinity ? 3 : 0;
    if (counters[PHASE] !== PHASE_START && state.nbd[i] !== kind) throw new InvalidSnapshotError(`snapshot.buffers.nbd[${i}]`, state.nbd[i], `${kind}, the kind of the bounds`);
  }
  return { limits, lowerOption: state.lower.slice(), upperOption: state.upper.slice(), state };
}
