import { DisposedError, GradstepError, InvalidOptionError, InvalidSnapshotError, ShapeMismatchError, StepLimitError } from "../errors.js";
import { checkObjective } from "../objectives/check-objective.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { allocateFloat64, guardAllocation } from "../memory/allocate.js";
import { checkHeld, plainFloat64 } from "../memory/float64-vectors.js";
import { fusedMultiplyAddInto } from "../numeric/fused-multiply-add.js";
import { PYTORCH_SUM_SCRATCH, pytorchSum } from "../numeric/pytorch-sum.js";
import type { Objective } from "../objectives/objective.js";
import { nonNegative, oneOf, type OptionRule, type OptionRules, positive, resolveOptions, wholeNumber } from "../options.js";
import {
  evaluateObjective,
  IN_C1,
  IN_C2,
  IN_MAX_ITERATIONS,
  IN_SLOPE,
  IN_STEP,
  IN_STEP_IS_TENSOR,
  IN_TOLERANCE_CHANGE,
  IN_VALUE,
  SEARCH_EVALUATIONS,
  SEARCH_STEP,
  SEARCH_VALUE,
  StrongWolfeSearch,
  type StrongWolfeStatus,
} from "../search/strong-wolfe.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";
import type { ClosureOptimizer } from "./closure-optimizer.js";
import type { OptimizerSnapshot } from "./optimizer.js";
import { disposeWithUsing } from "./using-dispose.js";

/**
 * Options of {@link LBFGS}: PyTorch's keyword arguments of `torch.optim.LBFGS`, in camelCase, with
 * its defaults. Every option may be left out; none follows a schedule.
 *
 * @example
 * ```ts
 * // torch.optim.LBFGS(params, history_size=10, max_iter=4, line_search_fn="strong_wolfe")
 * const opt = new LBFGS({ historySize: 10, maxIter: 4, lineSearchFn: "strong_wolfe" } satisfies Partial<LBFGSOptions>);
 * ```
 */
export interface LBFGSOptions {
  /** η: the step along the direction without a line search, the first step tried with one. @defaultValue 1 */
  lr: number;
  /** The most iterations in one {@link LBFGS.step}, a whole number ≥ 1. @defaultValue 20 */
  maxIter: number;
  /** The most evaluations of the objective in one step, a whole number ≥ 1. @defaultValue `⌊1.25·maxIter⌋` (25) */
  maxEval: number;
  /** A step stops once max|gᵢ| ≤ this, ≥ 0. @defaultValue 1e-7 */
  toleranceGrad: number;
  /** A step stops once the loss, or max|t·dᵢ|, changes by less than this, ≥ 0. @defaultValue 1e-9 */
  toleranceChange: number;
  /** m, the number of (s, y) pairs kept, a whole number ≥ 1. @defaultValue 100 */
  historySize: number;
  /** `"strong_wolfe"`: each step length from {@link StrongWolfeSearch}; `"none"` (PyTorch's `None`): t = η. @defaultValue "none" */
  lineSearchFn: "none" | "strong_wolfe";
}

/**
 * Why the last {@link LBFGS.step} stopped iterating:
 * - `"maxIter"`, `"maxEval"`: its budget of iterations or evaluations ran out;
 * - `"gradientTolerance"`: max|gᵢ| ≤ `toleranceGrad` (at its first evaluation or after an iteration);
 * - `"directionalDerivative"`: g·d > −`toleranceChange`, no descent left along d;
 * - `"stepTolerance"`: max|t·dᵢ| ≤ `toleranceChange`;
 * - `"lossTolerance"`: the loss changed by less than `toleranceChange`;
 * - `"nonFinite"`: an evaluation gave a NaN or infinite value or gradient; `params` stay at the last
 *   point the step accepted (where a line search stopped on one, the best point it had accepted), or
 *   as given where the step's first evaluation was not finite. Without a line search, the point given
 *   may be one the previous step's last iteration moved to without evaluating it, as PyTorch does.
 *
 * @example
 * ```ts
 * const opt = new LBFGS({ maxIter: 20 });
 * opt.step(params, objective);
 * if (opt.stopReason === "nonFinite") console.log("the objective overflowed; params kept");
 * ```
 */
export type LBFGSStopReason = "maxIter" | "maxEval" | "gradientTolerance" | "directionalDerivative" | "stepTolerance" | "lossTolerance" | "nonFinite";


const rules: OptionRules<LBFGSOptions> = {
  lr: positive(1, false) as OptionRule<number>,
  maxIter: wholeNumber(20, 1),
  maxEval: wholeNumber(25, 1),
  toleranceGrad: nonNegative(1e-7, false) as OptionRule<number>,
  toleranceChange: nonNegative(1e-9, false) as OptionRule<number>,
  historySize: wholeNumber(100, 1),
  lineSearchFn: oneOf<"none" | "strong_wolfe">("none", ["none", "strong_wolfe"]),
};

// The state's numbers, in one block (a number field written per iteration would box).
const T = 0; // t, the last step length
const H_DIAG = 1; // γ, the initial inverse Hessian's scale
const PREV_LOSS = 2;
const FUNC_EVALS = 3;
const N_ITER = 4;
const HISTORY_START = 5; // the ring's oldest slot
const HISTORY_COUNT = 6; // pairs held
const SCALAR_NAMES = ["t", "hDiag", "previousLoss", "funcEvals", "nIter", "historyStart", "historyCount"] as const;
const VECTOR_NAMES = ["oldDirs", "oldSteps", "rho", "direction", "previousGrad"] as const;
const BUFFER_NAMES: readonly string[] = [...VECTOR_NAMES, ...SCALAR_NAMES];
const KIND = "LBFGS";
// PyTorch's _strong_wolfe, as LBFGS calls it: its own defaults, not the optimizer's toleranceChange.
const C1 = 1e-4;
const C2 = 0.9;
const LS_TOLERANCE_CHANGE = 1e-9;
const MAX_LS = 25;

/** The state that a snapshot holds; the rest (gradients, points) is scratch. */
interface History {
  /** y vectors, m × n, a ring. */
  readonly oldDirs: Float64Array;
  /** s vectors, m × n, the same ring. */
  readonly oldSteps: Float64Array;
  /** ρ = 1/(yᵀs) per slot. */
  readonly rho: Float64Array;
  /** d, the last direction. */
  readonly direction: Float64Array;
  /** the gradient at the start of the last iteration. */
  readonly previousGrad: Float64Array;
  /** the numbers (T, H_DIAG, …). */
  readonly scalars: Float64Array;
}

/** Scratch of a step: allocated with the state, never in a snapshot. */
interface Scratch {
  readonly grad: Float64Array;
  readonly trial: Float64Array;
  readonly trialGrad: Float64Array;
  readonly alpha: Float64Array;
  readonly out: Float64Array;
  /** The two-loop recursion's coefficient, read by fusedMultiplyAddInto. */
  readonly coefficient: Float64Array;
  readonly sum: Float64Array;
  readonly search: StrongWolfeSearch;
}

/**
 * Limited-memory BFGS, exactly as PyTorch's `torch.optim.LBFGS` (1.13, float64: the same evaluation
 * and iteration counts, and to the bit for fewer than 16 parameters, where gradstep reproduces
 * PyTorch's fused multiply-adds and summation order; PyTorch takes longer dot products from its
 * BLAS, which groups them its own way, so there the two differ in the last bit of a dot product,
 * enough for long runs on sensitive problems to part ways). Unlike the first-order
 * optimizers, a step is given the objective, not a gradient: one {@link LBFGS.step} is one PyTorch
 * `step(closure)`, which runs up to `maxIter` iterations and returns the loss at its first evaluation.
 *
 * Each iteration k (g = ∇f(θ), m pairs (sᵢ, yᵢ) kept, newest last):
 *
 * ```math
 * \begin{aligned}
 * s &= t\,d, \quad y = g - g_{\text{prev}}; \quad \text{if } y^\top s > 10^{-10}:\ \text{keep }(s, y),\ \rho = 1/y^\top s,\ \gamma = y^\top s / y^\top y\\
 * q &= -g; \quad \alpha_i = \rho_i\, s_i^\top q,\ q \leftarrow q - \alpha_i y_i \quad (i = \text{newest} \dots \text{oldest})\\
 * d &= \gamma\, q; \quad \beta_i = \rho_i\, y_i^\top d,\ d \leftarrow d + (\alpha_i - \beta_i)\, s_i \quad (i = \text{oldest} \dots \text{newest})\\
 * \theta &\leftarrow \theta + t\, d, \quad t = \eta \ (\text{first iteration ever: } t = \min(1, 1/\lVert g\rVert_1)\,\eta,\ d = -g)
 * \end{aligned}
 * ```
 *
 * With `lineSearchFn: "strong_wolfe"`, t comes from {@link StrongWolfeSearch} started at that t
 * (c₁ = 1e-4, c₂ = 0.9, at most 25 evaluations). Without, the objective is evaluated once per
 * iteration, except in the step's last one, which moves `params` without evaluating the objective
 * there (PyTorch's choice; the next step's first evaluation is at that point). A step stops early on `toleranceGrad`,
 * `toleranceChange`, `maxEval` or a non-finite evaluation: see {@link LBFGSStopReason} and
 * {@link LBFGS.stopReason}.
 *
 * State (all in snapshots): the history ring (`historySize` pairs), d, t, γ, the previous gradient
 * and loss, and PyTorch's cumulative counters {@link LBFGS.funcEvals} and {@link LBFGS.nIter}. It is
 * allocated at the first step; no iteration allocates. The loops run in JavaScript on both backends
 * (bit-identical); `params` may be an {@link allocateVector} vector of Wasm memory.
 *
 * @example
 * ```ts
 * import { LBFGS } from "gradstep";
 * import { rosenbrock } from "gradstep/learn";
 * const f = rosenbrock();
 * const theta = Float64Array.of(-1.2, 1);
 * const opt = new LBFGS({ lineSearchFn: "strong_wolfe", maxIter: 100, maxEval: 200 });
 * opt.step(theta, f); // returns f(−1.2, 1) = 24.2; theta ≈ [1, 1] afterwards
 * opt.funcEvals; opt.nIter; opt.stopReason; // counts as PyTorch keeps them, why it stopped
 * ```
 */
export class LBFGS implements ClosureOptimizer {
  /** The rules of its options: each one's default and its check (see {@link LBFGSOptions}). */
  static readonly optionRules: OptionRules<LBFGSOptions> = rules;
  /** `"LBFGS"`, as in snapshots. */
  readonly kind = KIND;
  /** {@link LBFGS.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  private resolved: Readonly<LBFGSOptions>;
  // The numeric options as doubles: a number read from an options object on a step's path can be boxed.
  private readonly numbers = new Float64Array(6);
  private history: History | undefined = undefined;
  private scratch: Scratch | undefined = undefined;
  private steps = 0;
  private disposed = false;
  private reason: LBFGSStopReason | undefined = undefined;

  /**
   * @param options see {@link LBFGSOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   */
  constructor(options?: Partial<LBFGSOptions>) {
    this.resolved = resolveLBFGSOptions(options);
    this.adoptNumbers();
  }

  private adoptNumbers(): void {
    const o = this.resolved;
    this.numbers.set([o.lr, o.maxIter, o.maxEval, o.toleranceGrad, o.toleranceChange, o.historySize]);
  }

  /** The resolved options, every default filled in. */
  get options(): Readonly<LBFGSOptions> {
    return this.resolved;
  }

  /** Calls of {@link LBFGS.step} so far (each runs up to `maxIter` iterations). */
  get stepCount(): number {
    return this.steps;
  }

  /** The length of the vectors the state was built for, or `undefined` before the first step. */
  get size(): number | undefined {
    return this.history === undefined ? undefined : this.history.direction.length;
  }

  /** Evaluations of the objective over all steps (PyTorch's `state["func_evals"]`). */
  get funcEvals(): number {
    return this.history === undefined ? 0 : this.history.scalars[FUNC_EVALS];
  }

  /** Iterations over all steps (PyTorch's `state["n_iter"]`). */
  get nIter(): number {
    return this.history === undefined ? 0 : this.history.scalars[N_ITER];
  }

  /** Why the last step stopped iterating; `undefined` before the first step, after a restore or reset, and after a step the objective interrupted by throwing. */
  get stopReason(): LBFGSStopReason | undefined {
    return this.reason;
  }

  /** How the last strong-Wolfe search ended (`undefined` without a line search, or before the first search). */
  get lineSearchStatus(): StrongWolfeStatus | undefined {
    return this.resolved.lineSearchFn === "strong_wolfe" && this.scratch !== undefined && this.scratch.search.evaluations > 0 ? this.scratch.search.status : undefined;
  }

  /**
   * One PyTorch `step(closure)`: evaluates f and ∇f at `params`, then runs up to `maxIter`
   * iterations, each moving `params` in place along the L-BFGS direction.
   *
   * @param params θ, updated in place (the objective is evaluated at it and at trial points of the
   *   optimizer's own).
   * @param objective f: its `evaluate` (or `evaluateInto`) writes ∇f into the gradient it is given.
   * @returns the loss at the step's first evaluation, f(θ) before the step (what PyTorch returns).
   * @throws ShapeMismatchError where params is not a Float64Array of the objective's and the state's
   *   length, before anything changes. An exception from the objective itself propagates; `params`
   *   then hold the last accepted iterate and the state stays usable (`nIter` counts the interrupted
   *   iteration, `funcEvals` not the evaluations it made).
   */
  step(params: Float64Array, objective: Objective): number {
    this.assertLive();
    const p = plainFloat64(params, "params");
    checkHeld(p, "params", params);
    const n = p.length;
    checkObjective(objective);
    if (objective.dimension !== n) throw new ShapeMismatchError("params", params, `length ${objective.dimension}, the objective's dimension`);
    if (this.history !== undefined && n !== this.history.direction.length) {
      throw new ShapeMismatchError("params", params, `length ${this.history.direction.length}, the length this optimizer's state was built for (call reset() to start over with another length)`);
    }
    if (this.steps >= Number.MAX_SAFE_INTEGER) throw new StepLimitError("stepCount", this.steps, "fewer than 2^53 − 1 steps");
    if (this.history === undefined) {
      const history = allocateHistory(n, this.resolved.historySize);
      this.scratch = allocateScratch(n, this.resolved.historySize);
      this.history = history;
    }
    this.steps += 1;
    this.reason = undefined; // (until the step ends: an objective that throws leaves no reason of an earlier step)
    return this.iterate(p, objective, this.history, this.scratch as Scratch);
  }

  /**
   * Changes options between steps (see {@link Optimizer.set}): checked whole with the others first; the
   * history is kept. `historySize` cannot change while a history exists (call {@link LBFGS.reset} first).
   *
   * @example
   * ```ts
   * const opt = new LBFGS();
   * opt.set({ maxIter: 50 });
   * ```
   */
  set(options: Readonly<Partial<LBFGSOptions>>): void {
    this.assertLive();
    if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidOptionError("options", options, "an object with options of LBFGS");
    const resolved = resolveLBFGSOptions({ ...this.resolved, ...options });
    if (this.history !== undefined && resolved.historySize !== this.resolved.historySize) {
      throw new InvalidOptionError("historySize", resolved.historySize, `${this.resolved.historySize}, the size of the history kept (call reset() first)`);
    }
    this.resolved = resolved;
    this.adoptNumbers();
  }

  /** Forgets all state: the counters return to 0 and the buffers are released. Options stay. */
  reset(): void {
    this.assertLive();
    this.history = undefined;
    this.scratch = undefined;
    this.steps = 0;
    this.reason = undefined;
  }

  /**
   * The full state as JSON (see {@link OptimizerSnapshot}): the options, the history ring as
   * buffers `oldDirs`, `oldSteps` (m × n each), `rho` (m), `direction`, `previousGrad` (n), and the
   * numbers `t`, `hDiag`, `previousLoss`, `funcEvals`, `nIter`, `historyStart`, `historyCount`.
   */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    const h = this.history;
    const buffers: Record<string, string> = {};
    for (const name of VECTOR_NAMES) buffers[name] = encodeFloat64(h === undefined ? new Float64Array(0) : h[name]);
    SCALAR_NAMES.forEach((name, i) => {
      buffers[name] = encodeFloat64(h === undefined ? new Float64Array(0) : h.scalars.subarray(i, i + 1));
    });
    return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, kind: KIND, options: { ...this.resolved }, stepCount: this.steps, size: this.size ?? null, buffers };
  }

  /**
   * Replaces options and state by those of a snapshot; the optimizer then continues bit for bit as
   * the one that took it. The snapshot is checked whole first: a bad one (another kind, a malformed or
   * inconsistent field, a non-finite number) throws {@link InvalidSnapshotError} and changes nothing.
   *
   * @throws {@link InvalidSnapshotError} for another kind, a malformed or inconsistent field, or a non-finite number (nothing changes).
   */
  restore(snapshot: unknown): void {
    this.assertLive();
    const { options, stepCount, history } = decodeLBFGSSnapshot(snapshot);
    const scratch = history === undefined ? undefined : allocateScratch(history.direction.length, options.historySize);
    this.assertLive(); // a getter of the snapshot may have disposed this optimizer meanwhile
    this.resolved = options;
    this.adoptNumbers();
    this.history = history;
    this.scratch = scratch;
    this.steps = stepCount;
    this.reason = undefined;
  }

  /** Gives the state back at once. Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    this.history = undefined;
    this.scratch = undefined;
    this.disposed = true;
  }

  private assertLive(): void {
    if (this.disposed) throw new DisposedError("this", KIND, "an optimizer that has not been disposed");
  }

  // PyTorch 1.13's LBFGS.step, line by line; names as there (flat_grad = grad, d = direction).
  private iterate(p: Float64Array, objective: Objective, h: History, scratch: Scratch): number {
    const o = this.numbers;
    const lr = o[0];
    const maxIter = o[1];
    const maxEval = o[2];
    const toleranceGrad = o[3];
    const toleranceChange = o[4];
    const historySize = o[5] | 0; // whole numbers, as integers for the ring's indices
    const lineSearch = this.resolved.lineSearchFn === "strong_wolfe";
    const n = p.length;
    const s = h.scalars;
    const { oldDirs, oldSteps, rho, direction: d, previousGrad } = h;
    const { grad, trial, trialGrad, alpha: al, out, coefficient, search } = scratch;
    // evaluate initial f(x) and df/dx
    evaluateObjective(objective, p, grad, out);
    let loss = out[0];
    const origLoss = loss;
    let currentEvals = 1;
    s[FUNC_EVALS] += 1;
    if (!Number.isFinite(loss) || !maxAbsFinite(grad, n, out)) {
      this.reason = "nonFinite";
      return origLoss;
    }
    if (out[0] <= toleranceGrad) {
      this.reason = "gradientTolerance";
      return origLoss;
    }
    let reason: LBFGSStopReason = "maxIter";
    let nIter = 0;
    while (nIter < maxIter) {
      nIter++;
      s[N_ITER] += 1;
      // compute the descent direction
      if (s[N_ITER] === 1) {
        for (let i = 0; i < n; i++) d[i] = -grad[i];
        s[HISTORY_START] = 0;
        s[HISTORY_COUNT] = 0;
        s[H_DIAG] = 1;
      } else {
        // y = g − g_prev, s = d·t, ys = y·s
        const t = s[T];
        let ys = 0;
        for (let i = 0; i < n; i++) ys += (grad[i] - previousGrad[i]) * (d[i] * t);
        if (ys > 1e-10) {
          // the ring: a new pair goes after the newest, over the oldest once full
          let start = s[HISTORY_START] | 0;
          let count = s[HISTORY_COUNT] | 0;
          let slot: number;
          if (count === historySize) {
            slot = start;
            start = start + 1 === historySize ? 0 : start + 1;
          } else {
            slot = start + count < historySize ? start + count : start + count - historySize;
            count++;
          }
          const base = slot * n;
          let yy = 0;
          for (let i = 0; i < n; i++) {
            const y = grad[i] - previousGrad[i];
            oldDirs[base + i] = y;
            oldSteps[base + i] = d[i] * t;
            yy += y * y;
          }
          rho[slot] = 1 / ys;
          s[H_DIAG] = ys / yy;
          s[HISTORY_START] = start;
          s[HISTORY_COUNT] = count;
        }
        // the two-loop recursion, in d: q = −g, then r = γ·q
        const start = s[HISTORY_START] | 0;
        const count = s[HISTORY_COUNT] | 0;
        for (let i = 0; i < n; i++) d[i] = -grad[i];
        for (let k = count - 1; k >= 0; k--) {
          const slot = start + k < historySize ? start + k : start + k - historySize;
          const base = slot * n;
          let sq = 0;
          for (let i = 0; i < n; i++) sq += oldSteps[base + i] * d[i];
          const a = sq * rho[slot];
          al[k] = a;
          coefficient[0] = -a;
          fusedMultiplyAddInto(d, coefficient, 0, oldDirs, base, d, n); // q.add_(y, alpha=−α)
        }
        const hDiag = s[H_DIAG];
        for (let i = 0; i < n; i++) d[i] *= hDiag;
        for (let k = 0; k < count; k++) {
          const slot = start + k < historySize ? start + k : start + k - historySize;
          const base = slot * n;
          let yr = 0;
          for (let i = 0; i < n; i++) yr += oldDirs[base + i] * d[i];
          coefficient[0] = al[k] - yr * rho[slot];
          fusedMultiplyAddInto(d, coefficient, 0, oldSteps, base, d, n); // r.add_(s, alpha=α − β)
        }
      }
      previousGrad.set(grad);
      s[PREV_LOSS] = loss;
      // the step length's first guess
      let t: number;
      let tIsTensor = false; // PyTorch's t is a 0-dim tensor here where 1/‖g‖₁ < 1 (see StrongWolfeSearch)
      if (s[N_ITER] === 1) {
        const inverse = 1 / pytorchSum(grad, n, true, scratch.sum);
        tIsTensor = inverse < 1;
        t = (tIsTensor ? inverse : 1) * lr;
      } else {
        t = lr;
      }
      s[T] = t;
      let gtd = 0;
      for (let i = 0; i < n; i++) gtd += grad[i] * d[i];
      if (gtd > -toleranceChange) {
        reason = "directionalDerivative";
        break;
      }
      let lsFuncEvals = 0;
      let optCond = false;
      let nonFinite = false;
      if (lineSearch) {
        const r = search.registers;
        r[IN_VALUE] = loss;
        r[IN_SLOPE] = gtd;
        r[IN_STEP] = t;
        r[IN_C1] = C1;
        r[IN_C2] = C2;
        r[IN_TOLERANCE_CHANGE] = LS_TOLERANCE_CHANGE;
        r[IN_MAX_ITERATIONS] = MAX_LS;
        r[IN_STEP_IS_TENSOR] = tIsTensor ? 1 : 0;
        search.run(objective, p, d, grad);
        loss = r[SEARCH_VALUE];
        grad.set(search.grad);
        t = r[SEARCH_STEP];
        s[T] = t;
        lsFuncEvals = r[SEARCH_EVALUATIONS];
        fusedMultiplyAddInto(p, s, T, d, 0, p, n); // s[T] = t
        maxAbsFinite(grad, n, out);
        optCond = out[0] <= toleranceGrad;
        nonFinite = search.status === "nonFinite";
      } else if (nIter !== maxIter) {
        // a fixed step, evaluated at a trial point: params move only if it is finite
        fusedMultiplyAddInto(trial, s, T, d, 0, p, n); // s[T] = t
        evaluateObjective(objective, trial, trialGrad, out);
        const value = out[0];
        lsFuncEvals = 1;
        if (Number.isFinite(value) && maxAbsFinite(trialGrad, n, out)) {
          optCond = out[0] <= toleranceGrad;
          p.set(trial);
          grad.set(trialGrad);
          loss = value;
        } else {
          nonFinite = true;
        }
      } else {
        // the step's last iteration: no evaluation (PyTorch: of no use in a stochastic setting)
        fusedMultiplyAddInto(p, s, T, d, 0, p, n); // s[T] = t
      }
      currentEvals += lsFuncEvals;
      s[FUNC_EVALS] += lsFuncEvals;
      // check conditions
      if (nonFinite) {
        reason = "nonFinite";
        break;
      }
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) {
        reason = "maxEval";
        break;
      }
      if (optCond) {
        reason = "gradientTolerance";
        break;
      }
      let change = 0;
      for (let i = 0; i < n; i++) {
        const c = Math.abs(d[i] * t);
        if (c > change) change = c;
      }
      if (change <= toleranceChange) {
        reason = "stepTolerance";
        break;
      }
      if (Math.abs(loss - s[PREV_LOSS]) < toleranceChange) {
        reason = "lossTolerance";
        break;
      }
    }
    this.reason = reason;
    return origLoss;
  }
}

disposeWithUsing(LBFGS);

/**
 * max |vᵢ| into out[0] (a number returned from a call that is not inlined is boxed), and whether
 * every vᵢ is finite: one pass for PyTorch's `abs().max()` and the check for NaN and ±∞.
 */
function maxAbsFinite(v: Float64Array, n: number, out: Float64Array): boolean {
  let m = 0;
  let nan = false;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(v[i]);
    if (a > m) m = a;
    else if (a !== a) nan = true;
  }
  out[0] = m;
  return !nan && m !== Infinity;
}

/** The options, with `maxEval` following `maxIter` (⌊1.25·maxIter⌋, PyTorch's `max_iter * 5 // 4`) unless given. */
function resolveLBFGSOptions(options: unknown, requireAll = false): Readonly<LBFGSOptions> {
  const resolved = resolveOptions(KIND, rules, options, requireAll) as Readonly<LBFGSOptions>;
  const given = (options as Record<string, unknown> | undefined)?.maxEval;
  if (given !== undefined) return resolved;
  return Object.freeze({ ...resolved, maxEval: Math.floor((resolved.maxIter * 5) / 4) });
}

function allocateHistory(n: number, m: number): History {
  return {
    oldDirs: allocateFloat64(m * n, "state.oldDirs"),
    oldSteps: allocateFloat64(m * n, "state.oldSteps"),
    rho: allocateFloat64(m, "state.rho"),
    direction: allocateFloat64(n, "state.direction"),
    previousGrad: allocateFloat64(n, "state.previousGrad"),
    scalars: allocateFloat64(SCALAR_NAMES.length, "state.scalars"),
  };
}

function allocateScratch(n: number, m: number): Scratch {
  return {
    grad: allocateFloat64(n, "state.grad"),
    trial: allocateFloat64(n, "state.trial"),
    trialGrad: allocateFloat64(n, "state.trialGrad"),
    alpha: allocateFloat64(m, "state.alpha"),
    out: new Float64Array(1),
    coefficient: new Float64Array(1),
    sum: new Float64Array(PYTORCH_SUM_SCRATCH),
    search: guardAllocation("state.search", 6 * n, () => new StrongWolfeSearch(n)),
  };
}

/** A snapshot of {@link LBFGS}, checked whole and decoded (nothing is adopted here). */
function decodeLBFGSSnapshot(snapshot: unknown): { options: Readonly<LBFGSOptions>; stepCount: number; history: History | undefined } {
  const s = checkSnapshotHeader(snapshot, KIND);
  let options: Readonly<LBFGSOptions>;
  try {
    options = resolveLBFGSOptions(expectField("snapshot.options", own(s, "options"), "object"), true);
  } catch (e) {
    if (e instanceof InvalidSnapshotError || !(e instanceof GradstepError)) throw e;
    throw new InvalidSnapshotError(`snapshot.options.${e.argument}`, e.value, e.expected);
  }
  const stepCount = own(s, "stepCount");
  if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0) throw new InvalidSnapshotError("snapshot.stepCount", stepCount, "an integer in [0, 2^53 − 1]");
  const size = own(s, "size");
  if (size !== null && (!Number.isSafeInteger(size) || (size as number) < 0)) throw new InvalidSnapshotError("snapshot.size", size, "null or an integer ≥ 0");
  if (size === null && stepCount !== 0) throw new InvalidSnapshotError("snapshot.size", size, "the state's length, since stepCount > 0");
  const given = expectField("snapshot.buffers", own(s, "buffers"), "object");
  for (const key of Object.keys(given)) {
    if (!BUFFER_NAMES.includes(key)) throw new InvalidSnapshotError(`snapshot.buffers.${key}`, given[key], `only the buffers of ${KIND}: ${BUFFER_NAMES.join(", ")}`);
  }
  const n = size === null ? 0 : (size as number);
  const m = options.historySize;
  const lengths: Record<string, number> = { oldDirs: m * n, oldSteps: m * n, rho: m, direction: n, previousGrad: n };
  const decoded = new Map<string, Float64Array>();
  for (const name of BUFFER_NAMES) {
    const path = `snapshot.buffers.${name}`;
    const text = expectField(path, own(given, name), "string");
    const length = size === null ? 0 : (lengths[name] ?? 1);
    const values = guardAllocation(path, length, () => decodeFloat64(text));
    if (values === undefined || values.length !== length) throw new InvalidSnapshotError(path, text, `base64 of ${length} little-endian float64 values`);
    const bad = firstNonFinite(values);
    if (bad >= 0) throw new InvalidSnapshotError(`${path}[${bad}]`, values[bad], "a finite number");
    decoded.set(name, values);
  }
  if (size === null) return { options, stepCount: stepCount as number, history: undefined };
  const scalars = new Float64Array(SCALAR_NAMES.map((name) => decoded.get(name)![0]));
  const whole = (index: number, max: number, expected: string) => {
    const v = scalars[index];
    if (!Number.isSafeInteger(v) || v < 0 || v > max) throw new InvalidSnapshotError(`snapshot.buffers.${SCALAR_NAMES[index]}`, v, expected);
  };
  whole(FUNC_EVALS, Number.MAX_SAFE_INTEGER, "a whole number");
  whole(N_ITER, Number.MAX_SAFE_INTEGER, "a whole number");
  whole(HISTORY_START, m - 1, `a whole number < historySize (${m})`);
  whole(HISTORY_COUNT, scalars[N_ITER] === 0 ? 0 : m, `a whole number ≤ historySize (${m}), 0 before the first iteration`);
  if (scalars[N_ITER] > 0 && !(scalars[H_DIAG] > 0)) throw new InvalidSnapshotError("snapshot.buffers.hDiag", scalars[H_DIAG], "a number > 0 (yᵀs / yᵀy)");
  const rho = decoded.get("rho")!;
  for (let k = 0; k < scalars[HISTORY_COUNT]; k++) {
    const slot = (scalars[HISTORY_START] + k) % m;
    if (!(rho[slot] > 0)) throw new InvalidSnapshotError(`snapshot.buffers.rho[${slot}]`, rho[slot], "a number > 0 (1 / yᵀs of a pair kept)");
  }
  return {
    options,
    stepCount: stepCount as number,
    history: {
      oldDirs: decoded.get("oldDirs")!,
      oldSteps: decoded.get("oldSteps")!,
      rho,
      direction: decoded.get("direction")!,
      previousGrad: decoded.get("previousGrad")!,
      scalars,
    },
  };
}
