// The contract every deterministic solver (BFGS, CG, L-BFGS, L-BFGS-B) keeps, and what `solve` returns.
import type { Objective } from "../objectives/objective.js";

/**
 * The solvers {@link solve} runs:
 * - `"lbfgs"`: limited-memory BFGS, two-loop recursion, strong-Wolfe line search;
 * - `"bfgs"`: BFGS with a dense inverse Hessian (n × n; for small n), scipy's `method="BFGS"`;
 * - `"cg"`: nonlinear conjugate gradient, Polak–Ribière+, scipy's `method="CG"`;
 * - `"lbfgsb"`: L-BFGS-B (Byrd, Lu, Nocedal, Zhu 1995), box constraints, scipy's `method="L-BFGS-B"`.
 *
 * @example
 * ```ts
 * const method: SolveMethod = "bfgs";
 * ```
 */
export type SolveMethod = "lbfgs" | "bfgs" | "cg" | "lbfgsb";

/**
 * Why a solver stopped:
 * - `"gradientTolerance"`: max|gᵢ| ≤ `gradientTolerance` (the projected gradient under bounds);
 * - `"relativeChange"`: (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ `relativeChange`;
 * - `"maxIterations"`, `"maxEvaluations"`: a budget ran out;
 * - `"lineSearch"`: the line search found no acceptable step (params stay at the last accepted iterate);
 * - `"nonFinite"`: the objective gave a NaN or infinite value or gradient where the solver could
 *   not step back from it (params stay at the last accepted iterate).
 *
 * @example
 * ```ts
 * const result = solve({ objective: rosenbrock(), params: Float64Array.of(-1.2, 1), method: "bfgs" });
 * if (result.stopReason !== "gradientTolerance") console.log(`stopped early: ${result.stopReason}`);
 * ```
 */
export type SolveStopReason = "gradientTolerance" | "relativeChange" | "maxIterations" | "maxEvaluations" | "lineSearch" | "nonFinite";

/** The budgets and tolerances every solver takes (each may be left out). */
export interface SolverLimits {
  /** Stop once max|gᵢ| (the projected gradient's, under bounds) is at most this, ≥ 0. @defaultValue 1e-5 (scipy's `gtol`) */
  gradientTolerance: number;
  /**
   * Stop once the relative decrease of f in an iteration is at most this, ≥ 0. Default 2.220446049250313e-9
   * (scipy L-BFGS-B's `ftol`, factr = 10⁷); 0 turns the test off. BFGS and CG in scipy have no such test: their
   * default here is 0.
   */
  relativeChange: number;
  /** The most iterations of one run, a whole number ≥ 1. @defaultValue `200·n` for BFGS and CG, `15000` for L-BFGS-B (scipy's) */
  maxIterations: number;
  /** The most evaluations of the objective in one run, a whole number ≥ 1. @defaultValue 15000 (scipy L-BFGS-B's `maxfun`) */
  maxEvaluations: number;
}

/**
 * A solver keeps its state between runs: calling {@link Solver.run} again continues from where the
 * last run stopped, bit for bit as one longer run would have gone. A run allocates nothing per
 * iteration (the state is allocated at the first run).
 */
export interface Solver {
  /** Which solver this is. */
  readonly method: SolveMethod;
  /**
   * Runs from `params` (updated in place to the last accepted iterate) until a stop criterion.
   * @returns why it stopped.
   */
  run(params: Float64Array, objective: Objective): SolveStopReason;
  /** f at the last accepted iterate. */
  readonly value: number;
  /** max|gᵢ| (projected under bounds) at the last accepted iterate. */
  readonly gradientNorm: number;
  /** Iterations over all runs. */
  readonly iterations: number;
  /** Evaluations of the objective (value and gradient together) over all runs. */
  readonly evaluations: number;
}
