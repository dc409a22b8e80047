import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { checkObjective } from "./check-objective.js";
import type { Objective } from "./objective.js";

/**
 * Which coordinates {@link penalized} penalises: one 0/1 (or boolean) entry per coordinate, `"all"`,
 * or `"exceptIntercept"`: every coordinate but θ0, the intercept of {@link linearRegression},
 * {@link logisticRegression} and {@link sigmoidRegression} (as scikit-learn leaves the intercept
 * unpenalised).
 *
 * @example
 * ```ts
 * const weightsOnly: PenaltyMask = "exceptIntercept"; // = [0, 1, 1, …, 1]
 * const chosen: PenaltyMask = [false, true, true];
 * ```
 */
export type PenaltyMask = "all" | "exceptIntercept" | ArrayLike<number | boolean>;

/**
 * Options of {@link penalized}.
 *
 * @example
 * ```ts
 * const options: PenaltyOptions = { l2: 1e-3, mask: "exceptIntercept" };
 * ```
 */
export interface PenaltyOptions {
  /** λ ≥ 0, finite: the weight of the L2 penalty (λ/2)·Σ mᵢθᵢ². */
  readonly l2: number;
  /** The coordinates penalised; see {@link PenaltyMask}. @defaultValue `"all"` */
  readonly mask?: PenaltyMask;
}

/**
 * An objective with its L2 penalty: what {@link penalized} returns.
 *
 * @example
 * ```ts
 * const J: PenalizedObjective = penalized(empiricalRisk(logisticRegression(), binaryCrossEntropy(), data), { l2: 1e-3 });
 * J.l2; // 0.001
 * ```
 */
export interface PenalizedObjective<O extends Objective = Objective> extends Objective {
  /** The objective without its penalty. */
  readonly objective: O;
  /** λ. */
  readonly l2: number;
  /** mᵢ ∈ {0, 1}, one per coordinate (a copy: changing it changes nothing). */
  readonly mask: Float64Array;
  /** Always present: a penalised objective evaluates without boxing its value. */
  evaluateInto(theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array): void;
}

/** The mask as 0/1 numbers, checked: its length and every entry. */
function maskOf(mask: PenaltyMask, dimension: number): Float64Array {
  const m = new Float64Array(dimension);
  if (mask === "all") return m.fill(1);
  if (mask === "exceptIntercept") return m.fill(1, 1);
  if (typeof mask !== "object" || mask === null || typeof (mask as ArrayLike<unknown>).length !== "number") {
    throw new InvalidOptionError("mask", mask, `"all", "exceptIntercept" or ${dimension} entries of 0/1 or false/true`);
  }
  if (mask.length !== dimension) throw new ShapeMismatchError("mask", mask, `length ${dimension}, the objective's dimension`);
  for (let i = 0; i < dimension; i++) {
    const v = mask[i];
    if (v === true || v === 1) m[i] = 1;
    else if (!(v === false || v === 0)) throw new InvalidOptionError(`mask[${i}]`, v, "0, 1, false or true");
  }
  return m;
}

/**
 * An objective plus an L2 penalty on the coordinates a mask selects (ridge regression, weight
 * decay as a term of the objective, the ½‖w‖² of scikit-learn's LogisticRegression):
 *
 * ```math
 * F(\theta) = f(\theta) + \frac{\lambda}{2}\sum_i m_i\,\theta_i^2, \qquad \frac{\partial F}{\partial\theta_i} = \frac{\partial f}{\partial\theta_i} + \lambda\,m_i\,\theta_i
 * ```
 *
 * The whole penalty is added to every evaluation, on all the data or on a batch of rows: with a
 * mean loss (`binaryCrossEntropy()`, `meanSquaredError()`) a batch's F is then an unbiased estimate
 * of the full F. With a summed loss, scale λ to the batch yourself. Evaluations allocate nothing:
 * the penalty is one loop after the objective's own evaluation (through its `evaluateInto` when it
 * has one).
 *
 * scikit-learn's `LogisticRegression(C=C)` (penalty "l2") minimises C·Σₖ ℓₖ + ½‖w‖² over N
 * examples, the intercept unpenalised; divided by C·N, that is the mean loss plus (λ/2)‖w‖² with
 * λ = 1/(C·N): the same minimiser as
 * `penalized(empiricalRisk(logisticRegression(), binaryCrossEntropy(), data), { l2: 1 / (C * N), mask: "exceptIntercept" })`.
 *
 * @param objective the objective f (an {@link empiricalRisk} or any {@link Objective}).
 * @param options λ (`l2`, finite, ≥ 0) and the mask; a bad one throws an {@link InvalidOptionError}
 * (or a {@link ShapeMismatchError} for a mask of the wrong length) naming it.
 *
 * @example
 * ```ts
 * const data = syntheticLogistic({ size: 200, features: 3, seed: 1 }); // N = 200
 * const risk = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
 * const J = penalized(risk, { l2: 1 / (1.0 * 200), mask: "exceptIntercept" }); // sklearn's C = 1
 * const grad = new Float64Array(J.dimension);
 * J.evaluate(new Float64Array(J.dimension), grad); // ln 2: the penalty is 0 at θ = 0
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a penalty that is not a finite number ≥ 0, or an unknown mask.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for a mask of another length than the objective's dimension.
 */
export function penalized<O extends Objective>(objective: O, options: PenaltyOptions): PenalizedObjective<O> {
  checkObjective(objective);
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "an object { l2, mask }");
  for (const key of Object.keys(options)) {
    if (key !== "l2" && key !== "mask") throw new InvalidOptionError(key, (options as unknown as Record<string, unknown>)[key], "one of the options of penalized: l2, mask", "unknown option");
  }
  const { l2, mask = "all" } = options;
  if (typeof l2 !== "number" || !Number.isFinite(l2) || l2 < 0) throw new InvalidOptionError("l2", l2, "a finite number ≥ 0");
  const dimension = objective.dimension;
  // Checked here: a negative or fractional dimension made the mask's allocation throw a bare RangeError, and NaN gave an empty mask.
  if (typeof dimension !== "number" || !Number.isSafeInteger(dimension) || dimension < 0) throw new InvalidOptionError("objective.dimension", dimension, "a whole number ≥ 0");
  const m = maskOf(mask, dimension);
  const inner = objective.evaluateInto?.bind(objective);
  const halfL2 = 0.5 * l2;
  const evaluateInto = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array): void => {
    if (theta.length !== dimension) throw new ShapeMismatchError("theta", theta, `length ${dimension}`);
    if (grad !== null && grad.length !== dimension) throw new ShapeMismatchError("grad", grad, `length ${dimension}`);
    if (inner !== undefined) inner(theta, grad, rows, count, out);
    else out[0] = objective.evaluate(theta, grad, rows, rows === null ? undefined : count);
    let sum = 0;
    for (let i = 0; i < dimension; i++) {
      const t = m[i] * theta[i];
      sum += t * theta[i];
      if (grad !== null) grad[i] += l2 * t;
    }
    out[0] += halfL2 * sum;
  };
  const value = new Float64Array(1);
  const result: PenalizedObjective<O> = {
    dimension,
    objective,
    l2,
    mask: m.slice(),
    evaluateInto,
    evaluate(theta, grad, rows = null, count) {
      evaluateInto(theta, grad, rows, rows === null ? (objective.examples ?? 0) : (count ?? rows.length), value);
      return value[0];
    },
  };
  return objective.examples === undefined ? result : { ...result, examples: objective.examples };
}
