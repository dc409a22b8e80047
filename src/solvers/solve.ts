// solve(): one call that runs a deterministic solver from a start to a stop criterion.
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { checkObjective } from "../objectives/check-objective.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Objective } from "../objectives/objective.js";
import { BFGS } from "./bfgs.js";
import { ConjugateGradient } from "./conjugate-gradient.js";
import { LBFGSB } from "./lbfgsb.js";
import type { SolveMethod, SolverLimits, SolveStopReason } from "./solver.js";
import { knownKeys, type ResolvedSolverLimits, resolveSolverLimits, SOLVER_LIMIT_NAMES } from "./solver-limits.js";

/**
 * Options of {@link solve}: the objective, the start, the method and its limits.
 *
 * @example
 * ```ts
 * const options: SolveOptions = { objective: rosenbrock(), params: [-1.2, 1], method: "bfgs", gradientTolerance: 1e-8 };
 * ```
 */
export interface SolveOptions extends Partial<SolverLimits> {
  /** f and ∇f. */
  objective: Objective;
  /** The start x₀, of the objective's dimension. It is copied: the result's `params` is a new array. */
  params: Float64Array | readonly number[];
  /** Which solver (see {@link SolveMethod}). @defaultValue `"lbfgs"` */
  method?: SolveMethod;
  /** L-BFGS's m, the (s, y) pairs kept, a whole number ≥ 1 (`"lbfgs"` and `"lbfgsb"` only; scipy's `maxcor`). @defaultValue 10 */
  historySize?: number;
  /** Lower bounds, one number for all or one per coordinate, −Infinity for none (`"lbfgsb"` only: the other methods refuse them). @defaultValue `-Infinity` (none) */
  lower?: number | Float64Array | readonly number[];
  /** Upper bounds, one number for all or one per coordinate, +Infinity for none (`"lbfgsb"` only). @defaultValue `+Infinity` (none) */
  upper?: number | Float64Array | readonly number[];
  /** What to record: `path: true` keeps x₀ and every iterate. */
  record?: {
    /** Keep x₀ and every iterate in the result's `path`. @defaultValue false */
    path?: boolean;
  };
}

/**
 * What {@link solve} returns.
 *
 * @example
 * ```ts
 * const { params, value, stopReason } = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "bfgs" });
 * ```
 */
export interface SolveResult {
  /** The last accepted iterate (a new array). */
  params: Float64Array;
  /** f there. */
  value: number;
  /** max|gᵢ| there. */
  gradientNorm: number;
  /** Iterations run. */
  iterations: number;
  /** Evaluations of the objective (value and gradient together). */
  evaluations: number;
  /** Why it stopped. */
  stopReason: SolveStopReason;
  /** x₀ and each iterate, when `record.path` was asked for. */
  path?: Float64Array[];
}

const OPTION_NAMES: readonly string[] = ["objective", "params", "method", "historySize", "lower", "upper", "record", ...SOLVER_LIMIT_NAMES];

/** How each method runs. */
type Runner = (objective: Objective, x: Float64Array, limits: ResolvedSolverLimits, options: SolveOptions, path: Float64Array[] | undefined) => Omit<SolveResult, "params" | "path">;

const runners: Record<SolveMethod, Runner> = {
  bfgs: (objective, x, limits, _o, path) => runSolver(new BFGS(limitsOf(limits)), objective, x, path),
  cg: (objective, x, limits, _o, path) => runSolver(new ConjugateGradient(limitsOf(limits)), objective, x, path),
  lbfgs: (objective, x, limits, o, path) => runSolver(new LBFGSB({ ...limitsOf(limits), historySize: o.historySize ?? 10 }), objective, x, path),
  lbfgsb: (objective, x, limits, o, path) =>
    runSolver(new LBFGSB({ ...limitsOf(limits), historySize: o.historySize ?? 10, lower: o.lower ?? -Infinity, upper: o.upper ?? Infinity }), objective, x, path),
};

function limitsOf(limits: ResolvedSolverLimits): Partial<SolverLimits> {
  const { gradientTolerance, relativeChange, maxIterations, maxEvaluations } = limits;
  return maxIterations === undefined ? { gradientTolerance, relativeChange, maxEvaluations } : { gradientTolerance, relativeChange, maxIterations, maxEvaluations };
}

function runSolver(solver: BFGS | ConjugateGradient | LBFGSB, objective: Objective, x: Float64Array, path: Float64Array[] | undefined): Omit<SolveResult, "params" | "path"> {
  const stopReason = solver.run(x, objective, path === undefined ? undefined : (xk) => path.push(Float64Array.from(xk)));
  return { value: solver.value, gradientNorm: solver.gradientNorm, iterations: solver.iterations, evaluations: solver.evaluations, stopReason };
}

/**
 * Minimises `objective` from `params` with a deterministic solver until a stop criterion
 * ({@link SolveStopReason}). Each method is a port of scipy 1.10's `scipy.optimize.minimize`, with
 * the same iterates and the same counts of iterations and evaluations (see the solvers' pages):
 *
 * - `"lbfgs"` (the default) and `"lbfgsb"`: {@link LBFGSB}, scipy's `method="L-BFGS-B"`, with
 *   `historySize` pairs (default 10); `"lbfgsb"` takes box bounds `lower`/`upper`, `"lbfgs"` none.
 *   (The {@link index!LBFGS | LBFGS} optimizer class is PyTorch's L-BFGS, for `step(params, objective)` loops.)
 * - `"bfgs"`: {@link BFGS}, scipy's `method="BFGS"` (a dense n × n inverse Hessian: for small n).
 * - `"cg"`: {@link ConjugateGradient}, scipy's `method="CG"` (Polak–Ribière+).
 *
 * Limits (each optional, see {@link SolverLimits}): max|gᵢ| ≤ `gradientTolerance` (1e-5, the
 * projected gradient's under bounds), `relativeChange` (2.22e-9 for L-BFGS-B, scipy's
 * factr·ε; none for BFGS and CG), `maxIterations` (200·n for BFGS and CG, 15000 for L-BFGS-B),
 * `maxEvaluations` (15000). The start is copied, never changed; the result holds a new array (for
 * `"lbfgsb"`, the start is first projected onto the box). Every option is checked before anything
 * runs; a bad or unknown one throws {@link InvalidOptionError} (or {@link ShapeMismatchError} for
 * `params`) naming it and its value.
 *
 * @example
 * ```ts
 * const result = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "bfgs" });
 * result.stopReason;  // "gradientTolerance"
 * result.params;      // ≈ [1, 1]
 * result.evaluations; // 39, as scipy's nfev
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an unknown method or option, a limit out of its range, or bounds with a method other than `"lbfgsb"`.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for `params` or bounds of another length than the objective's dimension.
 */
export function solve(options: SolveOptions): SolveResult {
  knownKeys("options", options, OPTION_NAMES, "solve");
  const { objective, params, method = "lbfgs", historySize, lower, upper, record } = options;
  if (typeof method !== "string" || !["lbfgs", "bfgs", "cg", "lbfgsb"].includes(method)) throw new InvalidOptionError("method", method, 'one of "lbfgs", "bfgs", "cg", "lbfgsb"');
  if (method !== "lbfgsb" && (lower !== undefined || upper !== undefined)) {
    const name = lower !== undefined ? "lower" : "upper";
    throw new InvalidOptionError(name, lower ?? upper, `no bounds with method "${method}": bounds need method "lbfgsb"`);
  }
  checkObjective(objective);
  if (!(params instanceof Float64Array) && !Array.isArray(params)) throw new ShapeMismatchError("params", params, "a Float64Array or an array of numbers");
  // Each entry and the length read once, through the engine's accessors for a Float64Array: what is
  // checked is what is copied, whatever a length getter or a Proxy answers on a second read.
  const values: ArrayLike<unknown> = params instanceof Float64Array ? plainFloat64(params, "params") : params;
  const n = values.length;
  const dimension = objective.dimension;
  if (n !== dimension) throw new ShapeMismatchError("params", values, `length ${dimension} (the objective's dimension)`);
  const x = allocateFloat64(n, "params");
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`params[${i}]`, v, "a finite number");
    x[i] = v;
  }
  if (historySize !== undefined) {
    if (method !== "lbfgs" && method !== "lbfgsb") throw new InvalidOptionError("historySize", historySize, `absent with method "${method}" (it is L-BFGS's)`);
    if (typeof historySize !== "number" || !Number.isSafeInteger(historySize) || historySize < 1) throw new InvalidOptionError("historySize", historySize, "a whole number ≥ 1");
  }
  let recordPath = false;
  if (record !== undefined) {
    knownKeys("record", record, ["path"], "solve's record");
    if (record.path !== undefined && typeof record.path !== "boolean") throw new InvalidOptionError("record.path", record.path, "true or false");
    recordPath = record.path === true;
  }
  const limits = resolveSolverLimits(options, method);
  const path = recordPath ? [Float64Array.from(x)] : undefined;
  const result = runners[method](objective, x, limits, options, path);
  return path === undefined ? { params: x, ...result } : { params: x, ...result, path };
}
