// solve(): one call that runs a deterministic solver from a start to a stop criterion.
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import type { Objective } from "../objectives/objective.js";
import { LBFGS, type LBFGSStopReason } from "../optimizers/lbfgs.js";
import { BFGS } from "./bfgs.js";
import { ConjugateGradient } from "./conjugate-gradient.js";
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
  /** Which solver (see {@link SolveMethod}). Default `"lbfgs"`. */
  method?: SolveMethod;
  /** L-BFGS's m, the (s, y) pairs kept, a whole number ≥ 1 (`"lbfgs"` only). Default 10. */
  historySize?: number;
  /** Lower bounds (for `"lbfgsb"` only: the other methods refuse them). */
  lower?: Float64Array | readonly number[];
  /** Upper bounds (for `"lbfgsb"` only). */
  upper?: Float64Array | readonly number[];
  /** What to record: `path: true` keeps x₀ and every iterate (`"bfgs"` and `"cg"`). */
  record?: {
    /** Keep x₀ and every iterate in the result's `path`. Default false. */
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

/** How each method runs; `"lbfgsb"` is not here yet. */
type Runner = (objective: Objective, x: Float64Array, limits: ResolvedSolverLimits, historySize: number, path: Float64Array[] | undefined) => Omit<SolveResult, "params" | "path">;

const runners: Record<Exclude<SolveMethod, "lbfgsb">, Runner> = {
  bfgs: (objective, x, limits, _m, path) => runLineSearchSolver(new BFGS(limitsOf(limits)), objective, x, path),
  cg: (objective, x, limits, _m, path) => runLineSearchSolver(new ConjugateGradient(limitsOf(limits)), objective, x, path),
  lbfgs: runLBFGS,
};

function limitsOf(limits: ResolvedSolverLimits): Partial<SolverLimits> {
  const { gradientTolerance, relativeChange, maxIterations, maxEvaluations } = limits;
  return maxIterations === undefined ? { gradientTolerance, relativeChange, maxEvaluations } : { gradientTolerance, relativeChange, maxIterations, maxEvaluations };
}

function runLineSearchSolver(solver: BFGS | ConjugateGradient, objective: Objective, x: Float64Array, path: Float64Array[] | undefined): Omit<SolveResult, "params" | "path"> {
  const stopReason = solver.run(x, objective, path === undefined ? undefined : (xk) => path.push(Float64Array.from(xk)));
  return { value: solver.value, gradientNorm: solver.gradientNorm, iterations: solver.iterations, evaluations: solver.evaluations, stopReason };
}

// L-BFGS through the LBFGS class (PyTorch's algorithm) in one step: maxIter and maxEval are the
// limits, toleranceGrad is gradientTolerance. PyTorch's toleranceChange is absolute and used by
// three tests (|f_k − f_{k+1}|, max|t·dᵢ|, and the directional derivative g·d > −tol): it gets
// relativeChange, and a stop on any of the three reports "relativeChange".
const LBFGS_REASONS: Record<LBFGSStopReason, SolveStopReason> = {
  maxIter: "maxIterations",
  maxEval: "maxEvaluations",
  gradientTolerance: "gradientTolerance",
  directionalDerivative: "relativeChange",
  stepTolerance: "relativeChange",
  lossTolerance: "relativeChange",
  nonFinite: "nonFinite",
};

function runLBFGS(objective: Objective, x: Float64Array, limits: ResolvedSolverLimits, historySize: number, path: Float64Array[] | undefined): Omit<SolveResult, "params" | "path"> {
  if (path !== undefined) throw new InvalidOptionError("record.path", true, "false or absent with method \"lbfgs\" (a path is recorded for \"bfgs\" and \"cg\")");
  const optimizer = new LBFGS({
    lineSearchFn: "strong_wolfe",
    historySize,
    toleranceGrad: limits.gradientTolerance,
    toleranceChange: limits.relativeChange,
    maxIter: limits.maxIterations ?? 15000,
    maxEval: limits.maxEvaluations,
  });
  optimizer.step(x, objective);
  // f and max|gᵢ| at the result: one more evaluation, not counted in `evaluations`.
  const grad = new Float64Array(x.length);
  const value = objective.evaluate(x, grad);
  let gradientNorm = 0;
  for (let i = 0; i < grad.length; i++) gradientNorm = Math.max(gradientNorm, Math.abs(grad[i]));
  return { value, gradientNorm, iterations: optimizer.nIter, evaluations: optimizer.funcEvals, stopReason: LBFGS_REASONS[optimizer.stopReason ?? "maxIter"] };
}

/**
 * Minimises `objective` from `params` with a deterministic solver until a stop criterion
 * ({@link SolveStopReason}): `"lbfgs"` (default), `"bfgs"` or `"cg"` (see {@link SolveMethod};
 * `"lbfgsb"` is not available yet). The start is copied, never changed; the result holds a new array.
 *
 * - `"bfgs"` ({@link BFGS}) and `"cg"` ({@link ConjugateGradient}) are ports of scipy 1.10's
 *   `minimize(method="BFGS")` and `method="CG"`: the same iterates and counts.
 * - `"lbfgs"` runs the {@link LBFGS} class (PyTorch's algorithm) with its strong-Wolfe line search
 *   and `historySize` pairs (default 10): `maxIterations` and `maxEvaluations` become its `maxIter`
 *   (default 15000) and `maxEval`, `gradientTolerance` its `toleranceGrad`. Its `toleranceChange`
 *   is absolute and serves three tests (the change of f, the step max|t·dᵢ|, the slope g·d): it
 *   gets `relativeChange` (default 2.22e-9), and a stop on any of them reports `"relativeChange"`.
 *   Its `value` and `gradientNorm` come from one more evaluation at the result (not counted).
 *
 * Limits (each optional, see {@link SolverLimits}): max|gᵢ| ≤ `gradientTolerance` (1e-5),
 * `relativeChange`, `maxIterations` (200·n for BFGS and CG), `maxEvaluations` (15000).
 * Bounds (`lower`, `upper`) are refused by these methods. Every option is checked before anything
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
 */
export function solve(options: SolveOptions): SolveResult {
  knownKeys("options", options, OPTION_NAMES, "solve");
  const { objective, params, method = "lbfgs", historySize, lower, upper, record } = options;
  if (typeof method !== "string" || !["lbfgs", "bfgs", "cg", "lbfgsb"].includes(method)) throw new InvalidOptionError("method", method, 'one of "lbfgs", "bfgs", "cg", "lbfgsb"');
  if (method === "lbfgsb") throw new InvalidOptionError("method", method, 'one of "lbfgs", "bfgs", "cg" ("lbfgsb" is not available yet)');
  if (lower !== undefined || upper !== undefined) {
    const name = lower !== undefined ? "lower" : "upper";
    throw new InvalidOptionError(name, lower ?? upper, `no bounds with method "${method}": bounds need method "lbfgsb"`);
  }
  if (typeof objective !== "object" || objective === null || typeof objective.evaluate !== "function") throw new InvalidOptionError("objective", objective, "an Objective (dimension, evaluate(theta, grad))");
  if (!(params instanceof Float64Array) && !Array.isArray(params)) throw new ShapeMismatchError("params", params, "a Float64Array or an array of numbers");
  if (params.length !== objective.dimension) throw new ShapeMismatchError("params", params, `length ${objective.dimension} (the objective's dimension)`);
  for (let i = 0; i < params.length; i++) {
    if (typeof params[i] !== "number" || !Number.isFinite(params[i])) throw new InvalidOptionError(`params[${i}]`, params[i], "a finite number");
  }
  if (historySize !== undefined) {
    if (method !== "lbfgs") throw new InvalidOptionError("historySize", historySize, `absent with method "${method}" (it is L-BFGS's)`);
    if (typeof historySize !== "number" || !Number.isSafeInteger(historySize) || historySize < 1) throw new InvalidOptionError("historySize", historySize, "a whole number ≥ 1");
  }
  let recordPath = false;
  if (record !== undefined) {
    knownKeys("record", record, ["path"], "solve's record");
    if (record.path !== undefined && typeof record.path !== "boolean") throw new InvalidOptionError("record.path", record.path, "true or false");
    recordPath = record.path === true;
  }
  const limits = resolveSolverLimits(options, method);
  if (recordPath && method === "lbfgs") throw new InvalidOptionError("record.path", true, 'false or absent with method "lbfgs" (a path is recorded for "bfgs" and "cg")');
  const x = Float64Array.from(params);
  const path = recordPath ? [Float64Array.from(x)] : undefined;
  const result = runners[method](objective, x, limits, historySize ?? 10, path);
  return path === undefined ? { params: x, ...result } : { params: x, ...result, path };
}
