// scipy 1.10's _line_search_wolfe12 (scipy/optimize/_optimize.py) for BFGS and CG: the Moré–Thuente
// search (line_search_wolfe1, MINPACK-2's dcsrch), and when it fails, or its step fails the extra
// condition, the Nocedal–Wright search (line_search_wolfe2). Evaluations are counted as scipy's
// ScalarFunction counts them: it remembers the last point and evaluates f (nfev) or ∇f (njev) anew
// only at a point that differs from it.
import type { Objective } from "../objectives/objective.js";
import { MORE_THUENTE_STEP, MoreThuenteSearch, MoreThuenteTask } from "../search/more-thuente.js";
import { type LineFunction, NocedalWrightSearch, NocedalWrightStatus } from "../search/nocedal-wright-wolfe.js";

// The scalars of a solver's state that the line search keeps (its first SCALARS doubles).
/** f at the last accepted iterate (scipy's old_fval). */
export const F = 0;
/** f at the iterate before (scipy's old_old_fval). */
export const OLD_OLD_F = 1;
/** max|gᵢ| at the last accepted iterate. */
export const GNORM = 2;
/** Iterations over all runs. */
export const ITERATIONS = 3;
/** Calls of the objective over all runs. */
export const EVALUATIONS = 4;
/** scipy's nfev and njev: points where f, and where ∇f, was asked for. */
export const NFEV = 5;
export const NJEV = 6;
// The last point evaluated (scipy's ScalarFunction's memory): its f, whether its f and its ∇f have
// been counted (nfev, njev), and whether there is one.
const CACHE_F = 7;
const CACHE_F_COUNTED = 8;
const CACHE_G_COUNTED = 9;
const CACHE_VALID = 10;
/** 1 once the first run has evaluated the start. */
export const STARTED = 11;
/** The line search's result: the step and f there. */
export const ALPHA = 12;
export const ALPHA_F = 13;
/** The search's inputs: ∇f(x)·p and c₂. */
export const DERPHI0 = 17;
export const C2 = 18;
/** The number of scalars at the head of a solver's state (14–16 and 19 are the solver's own: CG's δ_k and descent-check step); its vectors come after. */
export const SCALARS = 20;

// scipy's line_search_wolfe1 arguments from BFGS and CG: c1 (also wolfe2's default), amin, amax, xtol.
const C1_WOLFE = 1e-4;
const AMIN = 1e-100;
const AMAX = 1e100;
const XTOL_WOLFE1 = 1e-14;

/** How {@link Wolfe12Line.search} ended. */
export const Wolfe12Status = { Found: 1, Failed: 2, NonFinite: 3 } as const;

/**
 * The line x + α·p of a BFGS or CG iteration, searched as scipy's `_line_search_wolfe12` does.
 * Holds views into the solver's state (x, p, the last point evaluated and its gradient) and
 * scratch; allocates nothing after construction.
 */
export class Wolfe12Line implements LineFunction {
  /** φ at [0], φ′ at [1], a stop flag at [2], the step α asked about at [3] (see {@link LineFunction}). */
  readonly out: Float64Array = new Float64Array(4);
  private readonly moreThuente = new MoreThuenteSearch();
  private readonly nocedalWright = new NocedalWrightSearch();
  private objective: Objective | null = null;
  // f from evaluateInto (a double returned from a call can box).
  private readonly valueOut = new Float64Array(1);
  /** scipy's extra_condition at α = out[3], or null; asked with the gradient at α in {@link cachedGradient}. */
  condition: (() => boolean) | null = null;

  constructor(
    private readonly scalars: Float64Array,
    private readonly x: Float64Array,
    private readonly p: Float64Array,
    /** The last point evaluated, and the gradient there. */
    private readonly cachedPoint: Float64Array,
    readonly cachedGradient: Float64Array,
    private readonly trial: Float64Array,
    // The point handed to the objective, a copy (scipy's fun(np.copy(x))): one that writes into it
    // would otherwise change the remembered point and make the next evaluations miss the memory.
    private readonly argument: Float64Array = new Float64Array(cachedPoint.length),
  ) {}

  /** The objective of the current run. */
  use(objective: Objective): void {
    this.objective = objective;
  }

  /** Evaluates at `point` unless it is the last point evaluated (ScalarFunction's memory). */
  private ensure(point: Float64Array): void {
    const s = this.scalars;
    const c = this.cachedPoint;
    if (s[CACHE_VALID] === 1) {
      let same = true;
      for (let i = 0; i < c.length; i++) {
        if (c[i] !== point[i]) {
          same = false;
          break;
        }
      }
      if (same) return;
    }
    // Invalid until the evaluation returns: an objective that throws leaves no stale memory.
    s[CACHE_VALID] = 0;
    c.set(point);
    const argument = this.argument;
    argument.set(point);
    const objective = this.objective!;
    if (objective.evaluateInto !== undefined) {
      objective.evaluateInto(argument, this.cachedGradient, null, 0, this.valueOut);
      s[CACHE_F] = this.valueOut[0];
    } else {
      s[CACHE_F] = objective.evaluate(argument, this.cachedGradient);
    }
    s[EVALUATIONS] += 1;
    s[CACHE_F_COUNTED] = 0;
    s[CACHE_G_COUNTED] = 0;
    s[CACHE_VALID] = 1;
  }

  /** f at `point` into out[0] (scipy's `f(point)`), counted in nfev if new. */
  valueAt(point: Float64Array): void {
    this.ensure(point);
    const s = this.scalars;
    if (s[CACHE_F_COUNTED] === 0) {
      s[CACHE_F_COUNTED] = 1;
      s[NFEV] += 1;
    }
    this.out[0] = s[CACHE_F];
  }

  /** ∇f at `point` into {@link cachedGradient} (scipy's `fprime(point)`), counted in njev if new. */
  gradientAt(point: Float64Array): void {
    this.ensure(point);
    const s = this.scalars;
    if (s[CACHE_G_COUNTED] === 0) {
      s[CACHE_G_COUNTED] = 1;
      s[NJEV] += 1;
    }
  }

  /** trial = x + α·p with α = out[3], as numpy computes `xk + alpha * pk`. */
  private toTrial(): Float64Array {
    const alpha = this.out[3];
    const t = this.trial;
    const x = this.x;
    const p = this.p;
    for (let i = 0; i < t.length; i++) t[i] = x[i] + alpha * p[i];
    return t;
  }

  /** φ(α) = f(x + α·p) into out[0], α = out[3]; out[2] = 1 if it is not finite. */
  value(): void {
    this.valueAt(this.toTrial());
    if (!Number.isFinite(this.out[0])) this.out[2] = 1;
  }

  /** φ′(α) = ∇f(x + α·p)·p into out[1], α = out[3]; out[2] = 1 if it is not finite. */
  slope(): void {
    this.gradientAt(this.toTrial());
    const g = this.cachedGradient;
    const p = this.p;
    let d = 0;
    for (let i = 0; i < p.length; i++) d += g[i] * p[i];
    this.out[1] = d;
    if (!Number.isFinite(d)) this.out[2] = 1;
  }

  /** scipy's extra_condition at α = out[3] (true when there is none). */
  accept(): boolean {
    return this.condition === null ? true : this.condition();
  }

  /**
   * `_line_search_wolfe12(f, fprime, xk, pk, gfk, old_fval, old_old_fval, c2=c2, amin=1e-100,
   * amax=1e100)`: on `Found`, the step is in scalars[ALPHA] and f there in scalars[ALPHA_F].
   * `NonFinite`: an evaluation gave a NaN or infinite f or slope (scipy would go on with it).
   * ∇f(x)·p is read from scalars[DERPHI0] and c₂ from scalars[C2] (doubles passed to a call box).
   */
  search(): number {
    const s = this.scalars;
    const out = this.out;
    out[2] = 0;
    const mt = this.moreThuente;
    const mtIn = mt.input;
    // line_search_wolfe1 → scalar_search_wolfe1: the first step from the last decrease
    mtIn[0] = 1.0;
    if (s[DERPHI0] !== 0) {
      const guess = (1.01 * 2 * (s[F] - s[OLD_OLD_F])) / s[DERPHI0];
      if (guess < 1.0) mtIn[0] = guess; // Python's min(1.0, guess)
      if (mtIn[0] < 0) mtIn[0] = 1.0;
    }
    // (Each number is read from the arrays where it is used, none kept in a local across a call:
    // TurboFan boxed such doubles here, an allocation per search.)
    mtIn[1] = s[F];
    mtIn[2] = s[DERPHI0];
    mtIn[3] = C1_WOLFE;
    mtIn[4] = s[C2];
    mtIn[5] = XTOL_WOLFE1;
    mtIn[6] = AMIN;
    mtIn[7] = AMAX;
    let task: number = mt.startFromInput();
    // scipy calls dcsrch at most 100 times; an FG from the last call is a failure.
    for (let call = 1; task === MoreThuenteTask.FG; call++) {
      out[3] = mt.state[MORE_THUENTE_STEP];
      this.value();
      if (out[2] !== 0) return Wolfe12Status.NonFinite;
      this.slope();
      if (out[2] !== 0) return Wolfe12Status.NonFinite;
      if (call === 100) break;
      mtIn[1] = out[0];
      mtIn[2] = out[1];
      task = mt.nextFromInput();
    }
    if (task === MoreThuenteTask.Convergence) {
      s[ALPHA] = mt.state[MORE_THUENTE_STEP];
      s[ALPHA_F] = out[0];
      let accepted = true;
      if (this.condition !== null) {
        out[3] = s[ALPHA];
        accepted = this.condition();
        if (out[2] !== 0) return Wolfe12Status.NonFinite;
      }
      if (accepted) return Wolfe12Status.Found;
    }
    // line_search_wolfe2 → scalar_search_wolfe2 (c1 its default 1e-4, c2 and amax as passed)
    const nw = this.nocedalWright;
    const nwIn = nw.input;
    nwIn[0] = s[F];
    nwIn[1] = s[OLD_OLD_F];
    nwIn[2] = s[DERPHI0];
    nwIn[3] = C1_WOLFE;
    nwIn[4] = s[C2];
    nwIn[5] = AMAX;
    nwIn[6] = 10;
    const status = nw.searchFromInput(this);
    if (status === NocedalWrightStatus.Stopped) return Wolfe12Status.NonFinite;
    if (status === NocedalWrightStatus.Failed) return Wolfe12Status.Failed;
    s[ALPHA] = nw.result[0];
    s[ALPHA_F] = nw.result[1];
    return Wolfe12Status.Found;
  }
}
