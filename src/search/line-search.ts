import { InvalidOptionError } from "../errors.js";

/**
 * Options of {@link bracketingLineSearch}.
 *
 * @example
 * ```ts
 * const options: BracketingOptions = { maxDistance: 2, threshold: 1e-5, maxIterations: 15 };
 * ```
 */
export interface BracketingOptions {
  /** The search interval is [0, maxDistance]. @defaultValue 1 */
  maxDistance?: number;
  /** Stop when |b − c| ≤ threshold. @defaultValue 1e-4 */
  threshold?: number;
  /** Stop after this many iterations. @defaultValue 10 */
  maxIterations?: number;
}

/**
 * What a line search returns.
 *
 * @example
 * ```ts
 * const { step, iterations, evaluations }: LineSearchResult = bracketingLineSearch((s) => (s - 0.3) ** 2);
 * ```
 */
export interface LineSearchResult {
  /** The step length chosen. */
  readonly step: number;
  /** Iterations taken. */
  readonly iterations: number;
  /** Evaluations of the loss. */
  readonly evaluations: number;
  /** For Armijo backtracking: whether the step met the condition (false if the budget ran out). */
  readonly satisfied?: boolean;
}

/**
 * The bracketing line search of UDL notebooks 6.1–6.3 (book Figure 6.10): four points
 * a < b < c < d on [0, maxDistance] start at 0, ⅓, ⅔ and 1 of it; each iteration
 *
 * ```text
 * if L(a) is the smallest of L(a), L(b), L(c), L(d):  b, c, d move halfway towards a
 * else if L(b) < L(c):  d ← c, then b, c ← a + (d − a)/3, a + 2(d − a)/3
 * else:                 a ← b, then b, c ← a + (d − a)/3, a + 2(d − a)/3
 * ```
 *
 * while |b − c| > threshold and fewer than maxIterations iterations; the result is (b + c)/2.
 *
 * @example
 * ```ts
 * const L = (phi: number) => 1 - 0.5 * Math.exp(-((phi - 0.65) ** 2) / 0.1) - 0.45 * Math.exp(-((phi - 0.35) ** 2) / 0.02);
 * bracketingLineSearch(L, { maxDistance: 1 }).step; // 0.383 after 10 iterations (notebook 6.1)
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an option out of its range.
 */
export function bracketingLineSearch(loss: (s: number) => number, options: BracketingOptions = {}): LineSearchResult {
  const { maxDistance = 1, threshold = 1e-4, maxIterations = 10 } = options;
  if (!(Number.isFinite(maxDistance) && maxDistance > 0)) throw new InvalidOptionError("maxDistance", maxDistance, "a finite number > 0");
  if (!(Number.isFinite(threshold) && threshold >= 0)) throw new InvalidOptionError("threshold", threshold, "a finite number ≥ 0");
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 0) throw new InvalidOptionError("maxIterations", maxIterations, "a whole number ≥ 0");
  let a = 0;
  let b = 0.33 * maxDistance;
  let c = 0.66 * maxDistance;
  let d = maxDistance;
  let iterations = 0;
  let evaluations = 0;
  while (Math.abs(b - c) > threshold && iterations < maxIterations) {
    iterations++;
    const la = loss(a);
    const lb = loss(b);
    const lc = loss(c);
    const ld = loss(d);
    evaluations += 4;
    if (la <= lb && la <= lc && la <= ld) {
      b = a + (b - a) / 2;
      c = a + (c - a) / 2;
      d = a + (d - a) / 2;
      continue;
    }
    if (lb < lc) d = c;
    else a = b;
    b = a + (d - a) / 3;
    c = a + (2 * (d - a)) / 3;
  }
  return { step: (b + c) / 2, iterations, evaluations };
}

/**
 * Options of {@link armijoBacktracking}.
 *
 * @example
 * ```ts
 * const options: ArmijoOptions = { initialStep: 1, shrink: 0.5, sufficientDecrease: 1e-4 };
 * ```
 */
export interface ArmijoOptions {
  /** The first step tried. @defaultValue 1 */
  initialStep?: number;
  /** The factor each rejected step is multiplied by, in (0, 1). @defaultValue 0.5 */
  shrink?: number;
  /** c in the Armijo condition, in (0, 1). @defaultValue 1e-4 */
  sufficientDecrease?: number;
  /** The most steps tried. @defaultValue 50 */
  maxIterations?: number;
}

/**
 * Backtracking with the Armijo condition: the first s in initialStep·shrink^k with
 *
 * ```math
 * L(s) \le L(0) + c\,s\,L'(0) \qquad (L'(0) < 0;\ \text{for a step along } -g,\ L'(0) = -\lVert g\rVert^2)
 * ```
 *
 * If none of maxIterations candidates qualifies, the last (smallest) one is returned with
 * `satisfied: false`.
 *
 * @example
 * ```ts
 * // L(s) = (1 − s)², L(0) = 1, L'(0) = −2
 * armijoBacktracking((s) => (1 - s) ** 2, 1, -2).step; // 1
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an option out of its range, or a direction that is not a descent direction (slope ≥ 0).
 */
export function armijoBacktracking(
  loss: (s: number) => number,
  value: number,
  slope: number,
  options: ArmijoOptions = {},
): LineSearchResult {
  const { initialStep = 1, shrink = 0.5, sufficientDecrease = 1e-4, maxIterations = 50 } = options;
  if (!(Number.isFinite(initialStep) && initialStep > 0)) throw new InvalidOptionError("initialStep", initialStep, "a finite number > 0");
  if (!(shrink > 0 && shrink < 1)) throw new InvalidOptionError("shrink", shrink, "a number in (0, 1)");
  if (!(sufficientDecrease > 0 && sufficientDecrease < 1)) throw new InvalidOptionError("sufficientDecrease", sufficientDecrease, "a number in (0, 1)");
  if (!Number.isSafeInteger(maxIterations) || maxIterations < 1) throw new InvalidOptionError("maxIterations", maxIterations, "a whole number ≥ 1");
  if (!(Number.isFinite(slope) && slope < 0)) throw new InvalidOptionError("slope", slope, "a finite number < 0 (a descent direction)");
  let step = initialStep;
  for (let k = 1; k <= maxIterations; k++) {
    if (loss(step) <= value + sufficientDecrease * step * slope) return { step, satisfied: true, iterations: k, evaluations: k };
    if (k < maxIterations) step *= shrink;
  }
  return { step, satisfied: false, iterations: maxIterations, evaluations: maxIterations };
}
