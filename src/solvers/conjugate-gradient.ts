// Nonlinear conjugate gradient, Polak–Ribière+, as scipy 1.10's _minimize_cg (scipy/optimize/_optimize.py).
import type { SolveStopReason, SolverLimits } from "./solver.js";
import { CONTINUE, LineSearchSolver, maxAbsInto } from "./line-search-solver.js";
import { ALPHA, ALPHA_F, C2, DERPHI0, F, GNORM, OLD_OLD_F, SCALARS, Wolfe12Status } from "./wolfe12-line.js";

// CG's own scalars, after the line search's (below SCALARS).
const DELTAK = 14; // g_kᵀg_k
const CACHED_ALPHA = 15; // the step of the last descent check (NaN: none this iteration)
const CACHED_GNORM = 16;
const SIGMA_3 = 0.01;

/**
 * Nonlinear conjugate gradient with the Polak–Ribière+ choice of β, a port of scipy 1.10's
 * `minimize(method="CG")`: the same iterates and counts (`nit`, `nfev`, `njev`) on the same
 * objective. It keeps three vectors besides x: memory O(n), an iteration O(n) plus its evaluations.
 *
 * From p₀ = −g₀, each iteration:
 *
 * ```math
 * x_{k+1} = x_k + \alpha_k p_k, \qquad \beta_k = \max\!\Big(0,\ \frac{(g_{k+1} - g_k)^\top g_{k+1}}{g_k^\top g_k}\Big), \qquad p_{k+1} = -g_{k+1} + \beta_k p_k
 * ```
 *
 * α_k comes from scipy's `_line_search_wolfe12` with c₁ = 10⁻⁴, c₂ = 0.4 (the Moré–Thuente search,
 * {@link MoreThuenteSearch}, then the Nocedal–Wright one, {@link NocedalWrightSearch}, if the first
 * fails), which also requires a sufficient descent of the next direction (Gilbert and Nocedal 1992):
 *
 * ```math
 * p_{k+1}^\top g_{k+1} \le -0.01\, g_{k+1}^\top g_{k+1} \quad \text{or} \quad \max_i |g_{k+1,i}| \le \text{gradientTolerance}
 * ```
 *
 * It stops once max|gᵢ| ≤ `gradientTolerance` (default 10⁻⁵), after `maxIterations` (default
 * 200·n) or `maxEvaluations` (default 15000, tested between iterations) in this run, when no step is found (`"lineSearch"`), or on a NaN or infinite value or slope
 * (`"nonFinite"`); params then hold the last accepted iterate. Counts as {@link BFGS}'s.
 *
 * @example
 * ```ts
 * const solver = new ConjugateGradient();
 * const x = Float64Array.of(-1.2, 1);
 * solver.run(x, rosenbrock()); // "gradientTolerance"; x ≈ (1, 1)
 * solver.functionEvaluations;   // 78, scipy's nfev
 * ```
 */
export class ConjugateGradient extends LineSearchSolver {
  /** `"cg"`. */
  readonly method = "cg" as const;
  /** @internal */
  protected readonly kind = "ConjugateGradient";
  // scipy's cached_step: the x, p and g of the last step the descent check computed.
  private cachedX!: Float64Array;
  private cachedP!: Float64Array;
  private cachedG!: Float64Array;
  private readonly descent = (): boolean => this.descentCondition();

  /**
   * @param options the limits; see {@link SolverLimits} for the defaults.
   *
   * @throws {@link index!InvalidOptionError | InvalidOptionError} for a limit out of its range.
   */
  constructor(options?: Partial<SolverLimits>) {
    super(options, "cg");
  }

  /** @internal */
  protected ownLength(n: number): number {
    return 3 * n;
  }

  /** @internal */
  protected bind(state: Float64Array, offset: number, n: number): void {
    this.cachedX = state.subarray(offset, offset + n);
    this.cachedP = state.subarray(offset + n, offset + 2 * n);
    this.cachedG = state.subarray(offset + 2 * n, offset + 3 * n);
    this.line.condition = this.descent;
  }

  /** @internal */
  protected begin(): void {
    // pk = -gfk
    for (let i = 0; i < this.n; i++) this.p[i] = -this.g[i];
  }

  /**
   * scipy's polak_ribiere_powell_step(alpha, gfkp1) into the cached step: x + α·p, the next
   * direction from gfkp1 (the gradient at x + α·p, in `gNext`), max|gfkp1ᵢ|; α = state[CACHED_ALPHA].
   */
  private polakRibiereStep(gNext: Float64Array): void {
    const n = this.n;
    const s = this.state!;
    const alpha = s[CACHED_ALPHA];
    const { x, p, g, cachedX, cachedP, cachedG } = this;
    const deltak = s[DELTAK];
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (gNext[i] - g[i]) * gNext[i];
    const ratio = dot / deltak;
    const beta = ratio > 0 ? ratio : 0; // Python's max(0, ratio)
    for (let i = 0; i < n; i++) {
      cachedX[i] = x[i] + alpha * p[i];
      cachedG[i] = gNext[i];
      cachedP[i] = -gNext[i] + beta * p[i];
    }
    maxAbsInto(cachedG, s, CACHED_GNORM);
  }

  // scipy's descent_condition, the search's extra condition; the gradient at α is the line's.
  private descentCondition(): boolean {
    const s = this.state!;
    s[CACHED_ALPHA] = this.line.out[3];
    this.polakRibiereStep(this.line.cachedGradient);
    if (s[CACHED_GNORM] <= this.limits.gradientTolerance) return true;
    const { cachedP, cachedG } = this;
    let pg = 0;
    let gg = 0;
    for (let i = 0; i < this.n; i++) pg += cachedP[i] * cachedG[i];
    for (let i = 0; i < this.n; i++) gg += cachedG[i] * cachedG[i];
    return pg <= -SIGMA_3 * gg;
  }

  /** @internal */
  protected iterate(): SolveStopReason | typeof CONTINUE {
    const n = this.n;
    const s = this.state!;
    const { g, p, x } = this;
    let deltak = 0;
    for (let i = 0; i < n; i++) deltak += g[i] * g[i];
    s[DELTAK] = deltak;
    s[CACHED_ALPHA] = NaN;
    let derphi0 = 0;
    for (let i = 0; i < n; i++) derphi0 += g[i] * p[i];
    s[DERPHI0] = derphi0;
    s[C2] = 0.4;
    const status = this.line.search();
    if (status === Wolfe12Status.NonFinite) return "nonFinite";
    if (status === Wolfe12Status.Failed) return "lineSearch";
    const alpha = s[ALPHA];
    if (alpha !== s[CACHED_ALPHA]) {
      // The search returned a step the descent check did not see (scipy: without its gradient).
      const xNext = this.cachedX;
      for (let i = 0; i < n; i++) xNext[i] = x[i] + alpha * p[i];
      this.line.gradientAt(xNext);
      s[CACHED_ALPHA] = alpha;
      this.polakRibiereStep(this.line.cachedGradient);
    }
    x.set(this.cachedX);
    p.set(this.cachedP);
    g.set(this.cachedG);
    s[GNORM] = s[CACHED_GNORM];
    s[OLD_OLD_F] = s[F];
    s[F] = s[ALPHA_F];
    return CONTINUE;
  }
}

// CG's scalars must fit below the shared head.
if (CACHED_GNORM >= SCALARS) throw new Error("ConjugateGradient's scalars overlap the solver state's vectors");
