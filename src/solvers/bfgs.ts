// BFGS with a dense inverse Hessian, as scipy 1.10's _minimize_bfgs (scipy/optimize/_optimize.py).
import type { SolveStopReason, SolverLimits } from "./solver.js";
import { CONTINUE, LineSearchSolver, maxAbsInto } from "./line-search-solver.js";
import { ALPHA, ALPHA_F, C2, DERPHI0, F, GNORM, OLD_OLD_F, Wolfe12Status } from "./wolfe12-line.js";

/**
 * BFGS (Broyden, Fletcher, Goldfarb, Shanno) with a dense n × n inverse Hessian H, a port of scipy
 * 1.10's `minimize(method="BFGS")`: the same iterates, and the same counts of iterations, f and ∇f
 * evaluations (`nit`, `nfev`, `njev`), on the same objective. For small n (H has n² entries, an
 * iteration costs O(n³)); {@link solve} with `"lbfgs"` is the one for large n.
 *
 * Each iteration, from H₀ = I:
 *
 * ```math
 * p_k = -H_k g_k, \qquad x_{k+1} = x_k + \alpha_k p_k, \qquad s_k = \alpha_k p_k, \quad y_k = g_{k+1} - g_k, \quad \rho_k = 1 / y_k^\top s_k
 * ```
 * ```math
 * H_{k+1} = (I - \rho_k s_k y_k^\top)\, H_k\, (I - \rho_k y_k s_k^\top) + \rho_k s_k s_k^\top
 * ```
 *
 * with ρ_k = 1000 where y_kᵀs_k = 0 (scipy's choice). α_k comes from scipy's `_line_search_wolfe12`:
 * the Moré–Thuente search ({@link MoreThuenteSearch}, c₁ = 10⁻⁴, c₂ = 0.9, α in [10⁻¹⁰⁰, 10¹⁰⁰],
 * xtol = 10⁻¹⁴) from α₀ = min(1, 2.02·(f_k − f_{k−1})/g_kᵀp_k) (f₋₁ = f₀ + ‖g₀‖₂/2), and, if it
 * fails, the Nocedal–Wright search ({@link NocedalWrightSearch}). It stops once max|gᵢ| ≤
 * `gradientTolerance` (default 10⁻⁵), after `maxIterations` (default 200·n) in this run, once
 * `maxEvaluations` (default 15000) are spent in this run (tested between iterations: the one under
 * way finishes its line search), when no step is found (`"lineSearch"`), or when an evaluation gives a NaN or infinite value or slope (`"nonFinite"`; scipy
 * would go on with it); params then hold the last accepted iterate. `relativeChange` (default 0,
 * off) adds a test scipy's BFGS does not have. scipy's `xrtol` test (0 by default) is not kept.
 *
 * {@link evaluations} counts calls of the objective; {@link functionEvaluations} and
 * {@link gradientEvaluations} count as scipy's `nfev` and `njev` (a point where the search asked for
 * f only, or ∇f only, counts in one of them).
 *
 * @example
 * ```ts
 * const solver = new BFGS(); // gradientTolerance 1e-5, as scipy's gtol
 * const x = Float64Array.of(-1.2, 1);
 * solver.run(x, rosenbrock()); // "gradientTolerance"; x ≈ (1, 1)
 * solver.iterations;            // 32, scipy's nit
 * solver.evaluations;           // 39, scipy's nfev (and njev)
 * ```
 */
export class BFGS extends LineSearchSolver {
  /** `"bfgs"`. */
  readonly method = "bfgs" as const;
  /** @internal */
  protected readonly kind = "BFGS";
  private H!: Float64Array;
  private sk!: Float64Array;
  private yk!: Float64Array;
  // Scratch of the update: I − ρ s yᵀ, I − ρ y sᵀ and H·(I − ρ y sᵀ).
  private A1!: Float64Array;
  private A2!: Float64Array;
  private T!: Float64Array;
  private xNext!: Float64Array;

  /**
   * @param options the limits; see {@link SolverLimits} for the defaults.
   *
   * @throws {@link index!InvalidOptionError | InvalidOptionError} for a limit out of its range.
   */
  constructor(options?: Partial<SolverLimits>) {
    super(options, "bfgs");
  }

  /** @internal */
  protected ownLength(n: number): number {
    return n * n + 2 * n;
  }

  /** @internal */
  protected bind(state: Float64Array, offset: number, n: number): void {
    this.H = state.subarray(offset, offset + n * n);
    this.sk = state.subarray(offset + n * n, offset + n * n + n);
    this.yk = state.subarray(offset + n * n + n, offset + n * n + 2 * n);
    this.A1 = new Float64Array(n * n);
    this.A2 = new Float64Array(n * n);
    this.T = new Float64Array(n * n);
    this.xNext = new Float64Array(n);
  }

  /** @internal */
  protected begin(): void {
    const n = this.n;
    this.H.fill(0);
    for (let i = 0; i < n; i++) this.H[i * n + i] = 1;
  }

  /** @internal */
  protected iterate(): SolveStopReason | typeof CONTINUE {
    const n = this.n;
    const s = this.state!;
    const { H, g, p, x, sk, yk } = this;
    // pk = -np.dot(Hk, gfk)
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let j = 0; j < n; j++) sum += H[i * n + j] * g[j];
      p[i] = -sum;
    }
    let derphi0 = 0;
    for (let i = 0; i < n; i++) derphi0 += g[i] * p[i];
    s[DERPHI0] = derphi0;
    s[C2] = 0.9;
    const status = this.line.search();
    if (status === Wolfe12Status.NonFinite) return "nonFinite";
    if (status === Wolfe12Status.Failed) return "lineSearch";
    const alpha = s[ALPHA];
    // sk = alpha_k * pk; xkp1 = xk + sk
    const xNext = this.xNext;
    for (let i = 0; i < n; i++) {
      sk[i] = alpha * p[i];
      xNext[i] = x[i] + sk[i];
    }
    // gfkp1, from the search when it evaluated ∇f there (then nothing is evaluated), else anew;
    // x changes only after it (an objective that throws leaves the iterate as it was)
    this.line.gradientAt(xNext);
    x.set(xNext);
    const gNew = this.line.cachedGradient;
    for (let i = 0; i < n; i++) {
      yk[i] = gNew[i] - g[i];
      g[i] = gNew[i];
    }
    s[OLD_OLD_F] = s[F];
    s[F] = s[ALPHA_F];
    maxAbsInto(g, s, GNORM);
    if (s[GNORM] <= this.limits.gradientTolerance) return "gradientTolerance";
    if (!Number.isFinite(s[F])) return "nonFinite";
    let rhokInv = 0;
    for (let i = 0; i < n; i++) rhokInv += yk[i] * sk[i];
    const rhok = rhokInv === 0 ? 1000.0 : 1 / rhokInv;
    // A1 = I - sk yk^T rhok, A2 = I - yk sk^T rhok, Hk = A1 (Hk A2) + rhok sk sk^T
    const { A1, A2, T } = this;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const identity = i === j ? 1 : 0;
        A1[i * n + j] = identity - sk[i] * yk[j] * rhok;
        A2[i * n + j] = identity - yk[i] * sk[j] * rhok;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += H[i * n + k] * A2[k * n + j];
        T[i * n + j] = sum;
      }
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += A1[i * n + k] * T[k * n + j];
        H[i * n + j] = sum + rhok * sk[i] * sk[j];
      }
    }
    return CONTINUE;
  }
}
