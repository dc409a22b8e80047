// What BFGS and CG share: the state in one Float64Array (so a snapshot is one buffer), the start
// (scipy evaluates f and ∇f at x0 and guesses the first step from old_old_fval = f + ‖g‖₂/2), the
// stop tests around each iteration, resuming, and snapshots. The iteration itself is the subclass's.
import { InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import { checkObjective } from "../objectives/check-objective.js";
import type { Objective } from "../objectives/objective.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import type { SolveMethod, SolverLimits, Solver, SolveStopReason } from "./solver.js";
import { knownKeys, type ResolvedSolverLimits, resolveSolverLimits, SOLVER_LIMIT_NAMES } from "./solver-limits.js";
import { EVALUATIONS, F, GNORM, ITERATIONS, NFEV, NJEV, OLD_OLD_F, SCALARS, STARTED, Wolfe12Line } from "./wolfe12-line.js";

/** The `format` of a solver snapshot. */
export const SOLVER_SNAPSHOT_FORMAT = "gradstep/solver";
/** The solver snapshot layout's version. */
export const SOLVER_SNAPSHOT_VERSION = 1;
const SNAPSHOT_FIELDS = ["format", "version", "kind", "options", "dimension", "state"];

/**
 * A solver's whole state as JSON: {@link BFGS.restore} (or {@link ConjugateGradient.restore}) of it
 * continues bit for bit. `state` is base64 of the little-endian doubles of the state (null before
 * the first run).
 *
 * @example
 * ```ts
 * const solver = new BFGS();
 * const saved = JSON.stringify(solver.snapshot());
 * ```
 */
export interface SolverSnapshot {
  /** `"gradstep/solver"`. */
  format: typeof SOLVER_SNAPSHOT_FORMAT;
  /** The layout's version, 1. */
  version: typeof SOLVER_SNAPSHOT_VERSION;
  /** `"BFGS"` or `"ConjugateGradient"`. */
  kind: string;
  /** The limits of the solver that took it (a restore adopts them). */
  options: Partial<SolverLimits>;
  /** n, or null before the first run. */
  dimension: number | null;
  /** Base64 of the state's little-endian doubles, or null before the first run. */
  state: string | null;
}

/** What an iteration asks of the loop: go on, or stop for a reason. */
export const CONTINUE = 0;

// Offsets of the vectors every line-search solver keeps, after the scalars (n doubles each).
const X = 0;
const G = 1;
const P = 2;
const CACHED_POINT = 3;
const CACHED_GRADIENT = 4;
const SHARED_VECTORS = 5;

/**
 * A solver that searches along a direction with scipy's `_line_search_wolfe12` each iteration:
 * the base of {@link BFGS} and {@link ConjugateGradient}. Not exported from the package.
 */
export abstract class LineSearchSolver implements Solver {
  abstract readonly method: SolveMethod;
  /** The kind in snapshots. @internal */
  protected abstract readonly kind: string;
  /** The limits, defaults filled in. @internal */
  protected limits: Readonly<ResolvedSolverLimits>;
  private options: Partial<SolverLimits>;
  private readonly method_: SolveMethod;
  /** The whole state (scalars, x, g, p, the last point evaluated and its gradient, the subclass's buffers). @internal */
  protected state: Float64Array | null = null;
  /** The dimension of the state. @internal */
  protected n = 0;
  /** The iterate x_k (a view of the state). @internal */
  protected x!: Float64Array;
  /** The gradient g_k at x_k. @internal */
  protected g!: Float64Array;
  /** The search direction p_k. @internal */
  protected p!: Float64Array;
  /** The line search along x + α·p. @internal */
  protected line!: Wolfe12Line;
  // What onIteration is given: a copy of x, so that a callback writing into it cannot move the iterate.
  private reported!: Float64Array;
  private stopReason: SolveStopReason | undefined;

  constructor(options: Partial<SolverLimits> | undefined, method: SolveMethod) {
    const owner = method === "bfgs" ? "BFGS" : "ConjugateGradient";
    knownKeys("options", options ?? {}, SOLVER_LIMIT_NAMES, owner);
    // The copy is what is checked and kept: a getter or Proxy answering differently on a second read
    // could otherwise put in the snapshot an option that was never checked.
    const given = { ...options };
    knownKeys("options", given, SOLVER_LIMIT_NAMES, owner);
    this.limits = Object.freeze(resolveSolverLimits(given, method));
    this.options = given;
    this.method_ = method;
  }

  /** The doubles the subclass keeps after the shared ones, for dimension n. @internal */
  protected abstract ownLength(n: number): number;
  /** Binds the subclass's views into the state, at `offset` (and allocates its scratch). @internal */
  protected abstract bind(state: Float64Array, offset: number, n: number): void;
  /** The subclass's part of the start (x, g, f known). @internal */
  protected abstract begin(): void;
  /** One iteration: CONTINUE (0) or why to stop. @internal */
  protected abstract iterate(): SolveStopReason | typeof CONTINUE;

  /** f at the last accepted iterate (NaN before the first run). */
  get value(): number {
    return this.state === null ? NaN : this.state[F];
  }
  /** max|gᵢ| at the last accepted iterate (NaN before the first run). */
  get gradientNorm(): number {
    return this.state === null ? NaN : this.state[GNORM];
  }
  /** Iterations over all runs. */
  get iterations(): number {
    return this.state === null ? 0 : this.state[ITERATIONS];
  }
  /** Calls of the objective (value and gradient together) over all runs. */
  get evaluations(): number {
    return this.state === null ? 0 : this.state[EVALUATIONS];
  }
  /** scipy's `nfev`: the points where f was asked for, over all runs. */
  get functionEvaluations(): number {
    return this.state === null ? 0 : this.state[NFEV];
  }
  /** scipy's `njev`: the points where ∇f was asked for, over all runs. */
  get gradientEvaluations(): number {
    return this.state === null ? 0 : this.state[NJEV];
  }
  /** Why the last run stopped; `undefined` before the first run (and after a reset or restore). */
  get lastStopReason(): SolveStopReason | undefined {
    return this.stopReason;
  }

  /** Forgets the iterate and the counts (keeps the buffers): the next run starts from its `params`. */
  reset(): void {
    if (this.state !== null) this.state.fill(0);
    this.stopReason = undefined;
  }

  private allocate(n: number): void {
    const state = new Float64Array(SCALARS + SHARED_VECTORS * n + this.ownLength(n));
    this.adopt(state, n);
  }

  private adopt(state: Float64Array, n: number): void {
    const v = (k: number) => state.subarray(SCALARS + k * n, SCALARS + (k + 1) * n);
    this.state = state;
    this.n = n;
    this.x = v(X);
    this.g = v(G);
    this.p = v(P);
    this.reported = new Float64Array(n);
    this.line = new Wolfe12Line(state, this.x, this.p, v(CACHED_POINT), v(CACHED_GRADIENT), new Float64Array(n));
    this.bind(state, SCALARS + SHARED_VECTORS * n, n);
  }

  /**
   * Runs from `params` until a stop criterion; `params` then holds the last accepted iterate. The
   * first run (or the first after {@link reset}) starts at `params`; a later run continues the
   * iterations, and `params` must then hold what the last run left there.
   * @param onIteration called after each iteration with the new iterate (to record a path)
   * @returns why it stopped
   */
  run(params: Float64Array, objective: Objective, onIteration?: (x: Float64Array) => void): SolveStopReason {
    if (!(params instanceof Float64Array)) throw new ShapeMismatchError("params", params, "a Float64Array");
    // The engine's view of the doubles: a subclass whose length getter lies must not steer set() past them.
    const given = params;
    params = plainFloat64(given, "params");
    if (params.length < 1) throw new ShapeMismatchError("params", given, "at least one entry");
    checkObjective(objective);
    if (objective.dimension !== params.length) throw new ShapeMismatchError("params", params, `length ${objective.dimension} (the objective's dimension)`);
    const n = params.length;
    const resumed = this.state !== null && this.state[STARTED] === 1;
    if (resumed) {
      if (n !== this.n) throw new ShapeMismatchError("params", params, `length ${this.n}, the iterate the last run left (reset() to start elsewhere)`);
      for (let i = 0; i < n; i++) {
        if (!Object.is(params[i], this.x[i])) throw new InvalidOptionError(`params[${i}]`, params[i], `${this.x[i]}, the iterate the last run left (reset() to start elsewhere)`);
      }
    } else if (this.state === null || this.n !== n) this.allocate(n);
    const s = this.state!;
    const line = this.line;
    line.use(objective);
    const maxIterations = this.limits.maxIterations ?? 200 * n;
    const { gradientTolerance, relativeChange, maxEvaluations } = this.limits;
    const evaluationsBefore = resumed ? s[EVALUATIONS] : 0;
    if (!resumed) {
      // scipy: old_fval = f(x0); gfk = myfprime(x0); old_old_fval = old_fval + ‖gfk‖₂ / 2
      this.x.set(params);
      line.valueAt(this.x);
      s[F] = line.out[0];
      line.gradientAt(this.x);
      this.g.set(line.cachedGradient);
      let squares = 0;
      for (let i = 0; i < n; i++) squares += this.g[i] * this.g[i];
      s[OLD_OLD_F] = s[F] + Math.sqrt(squares) / 2;
      maxAbsInto(this.g, s, GNORM);
      s[STARTED] = 1;
      this.begin();
    }
    let reason: SolveStopReason = "maxIterations";
    let iterations = 0;
    // An objective that throws ends the run; params then hold the last accepted iterate all the same.
    try {
      for (;;) {
        const gnorm = s[GNORM];
        if (Number.isNaN(gnorm) || !Number.isFinite(s[F])) {
          reason = "nonFinite";
          break;
        }
        if (!(gnorm > gradientTolerance)) {
          reason = "gradientTolerance";
          break;
        }
        if (iterations >= maxIterations) {
          reason = "maxIterations";
          break;
        }
        if (s[EVALUATIONS] - evaluationsBefore >= maxEvaluations) {
          reason = "maxEvaluations";
          break;
        }
        const before = s[F];
        const step = this.iterate();
        if (step !== CONTINUE) {
          reason = step;
          if (reason === "gradientTolerance") {
            iterations++;
            s[ITERATIONS] += 1;
            if (onIteration !== undefined) this.report(onIteration);
          }
          break;
        }
        iterations++;
        s[ITERATIONS] += 1;
        if (onIteration !== undefined) this.report(onIteration);
        if (relativeChange > 0 && (before - s[F]) / Math.max(Math.abs(before), Math.abs(s[F]), 1) <= relativeChange) {
          reason = "relativeChange";
          break;
        }
      }
    } finally {
      params.set(this.x);
    }
    this.stopReason = reason;
    return reason;
  }

  private report(onIteration: (x: Float64Array) => void): void {
    this.reported.set(this.x);
    onIteration(this.reported);
  }

  /**
   * The whole state as JSON (the options, the iterate, the subclass's buffers, the counts).
   *
   * @example
   * ```ts
   * const solver = new BFGS();
   * const copy = new BFGS();
   * copy.restore(JSON.parse(JSON.stringify(solver.snapshot())));
   * ```
   */
  snapshot(): SolverSnapshot {
    return {
      format: SOLVER_SNAPSHOT_FORMAT,
      version: SOLVER_SNAPSHOT_VERSION,
      kind: this.kind,
      options: { ...this.options },
      dimension: this.state === null ? null : this.n,
      state: this.state === null ? null : encodeFloat64(this.state),
    };
  }

  /**
   * Replaces the limits and the state by a snapshot's; the solver then continues bit for bit as the
   * one that took it. A bad snapshot (another kind or format, bad limits, a malformed state) throws
   * {@link InvalidSnapshotError} and changes nothing.
   */
  restore(snapshot: unknown): void {
    if (typeof snapshot !== "object" || snapshot === null || Array.isArray(snapshot)) throw new InvalidSnapshotError("snapshot", snapshot, "a plain object");
    const s = snapshot as Record<string, unknown>;
    for (const key of Object.keys(s)) {
      if (!SNAPSHOT_FIELDS.includes(key)) throw new InvalidSnapshotError(`snapshot.${key}`, s[key], `only the fields ${SNAPSHOT_FIELDS.join(", ")}`);
    }
    if (s.format !== SOLVER_SNAPSHOT_FORMAT) throw new InvalidSnapshotError("snapshot.format", s.format, JSON.stringify(SOLVER_SNAPSHOT_FORMAT));
    if (s.version !== SOLVER_SNAPSHOT_VERSION) throw new InvalidSnapshotError("snapshot.version", s.version, `version ${SOLVER_SNAPSHOT_VERSION}`);
    if (s.kind !== this.kind) throw new InvalidSnapshotError("snapshot.kind", s.kind, `a snapshot of ${this.kind}`);
    let options: Partial<SolverLimits>;
    let limits: ResolvedSolverLimits;
    try {
      const given = s.options; // each field is read once: a getter may answer differently on a second read
      knownKeys("snapshot.options", given, SOLVER_LIMIT_NAMES, this.kind);
      // Copied first, then checked: the options adopted are the ones checked, whatever a getter answers next.
      options = { ...(given as Partial<SolverLimits>) };
      knownKeys("snapshot.options", options, SOLVER_LIMIT_NAMES, this.kind);
      limits = resolveSolverLimits(options, this.method_, "snapshot.options.");
    } catch (e) {
      if (e instanceof InvalidOptionError) throw new InvalidSnapshotError(e.argument, e.value, e.expected);
      throw e;
    }
    const adoptOptions = () => {
      this.limits = Object.freeze(limits);
      this.options = options;
      this.stopReason = undefined;
    };
    const n = s.dimension;
    const text = s.state;
    if (n === null) {
      if (text !== null) throw new InvalidSnapshotError("snapshot.state", text, "null, since dimension is null");
      this.state = null;
      this.n = 0;
      adoptOptions();
      return;
    }
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 1 || n > 1 << 20) throw new InvalidSnapshotError("snapshot.dimension", n, "null or a whole number ≥ 1");
    const length = SCALARS + SHARED_VECTORS * n + this.ownLength(n);
    const values = typeof text === "string" ? decodeFloat64(text) : undefined;
    if (values === undefined || values.length !== length) throw new InvalidSnapshotError("snapshot.state", text, `base64 of ${length} little-endian float64 values`);
    for (const k of [ITERATIONS, EVALUATIONS, NFEV, NJEV]) {
      if (!(Number.isSafeInteger(values[k]) && values[k] >= 0)) throw new InvalidSnapshotError("snapshot.state", text, "counts that are whole numbers ≥ 0");
    }
    if (values[STARTED] !== 0 && values[STARTED] !== 1) throw new InvalidSnapshotError("snapshot.state", text, "a started flag of 0 or 1");
    if (this.state !== null && this.n === n) this.state.set(values);
    else this.adopt(values, n);
    adoptOptions();
  }
}

/** target[index] = max|vᵢ| as numpy's amax(abs(v)): NaN if any entry is NaN (written, not returned: a returned double can box). */
export function maxAbsInto(v: Float64Array, target: Float64Array, index: number): void {
  // m starts as a double read from the array: a Smi 0 merged with doubles made V8 box m.
  let m = Math.abs(v[0]);
  for (let i = 1; i < v.length; i++) {
    const a = Math.abs(v[i]);
    if (a > m) m = a;
    else if (a !== a) m = a; // a NaN stays: no later a > NaN
  }
  target[index] = m;
}
