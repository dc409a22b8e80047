import type { NdArray } from "ndarray";
import { ShapeMismatchError } from "../errors.js";
import { exp, expAt } from "../math/exp.js";
import { SCORE_MODEL, SQUASHED_MODEL, withBatchForm } from "../objectives/batch-forms.js";
import type { Model } from "./model.js";

/** Where e^−|z| is computed in place (see expAt): one module-level double, nothing allocated per call. */
const slot = new Float64Array(1);

// Shared by the linear score models: z = θ0 + Σ_j θ_j·x_j, read straight from X's data and strides;
// with `squash`, σ(z). (A flag, not a link function: a double returned from a call that is not
// inlined is boxed, which would allocate for every example.)
function scores(theta: Float64Array, X: NdArray, rows: Int32Array | null, count: number, out: Float64Array, squash: boolean): void {
  const data = X.data as ArrayLike<number>;
  const [rowStride, colStride] = X.stride;
  const d = X.shape[1];
  for (let k = 0; k < count; k++) {
    const base = X.offset + (rows === null ? k : rows[k]) * rowStride;
    let z = theta[0];
    for (let j = 0; j < d; j++) z += theta[j + 1] * data[base + j * colStride];
    if (squash) {
      out[k] = -Math.abs(z);
      expAt(out, k); // e^−|z| in place: no double crosses a call (V8 boxes one it does not inline)
      const e = out[k];
      out[k] = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    } else {
      out[k] = z;
    }
  }
}

// grad += Σ_k w_k·∂f/∂θ with ∂f/∂θ = (1, x) for the score, times σ'(z) = f·(1 − f) with `squash`.
function accumulate(theta: Float64Array, X: NdArray, rows: Int32Array | null, count: number, weights: Float64Array, grad: Float64Array, squash: boolean): void {
  const data = X.data as ArrayLike<number>;
  const [rowStride, colStride] = X.stride;
  const d = X.shape[1];
  for (let k = 0; k < count; k++) {
    const base = X.offset + (rows === null ? k : rows[k]) * rowStride;
    let w = weights[k];
    if (squash) {
      let z = theta[0];
      for (let j = 0; j < d; j++) z += theta[j + 1] * data[base + j * colStride];
      slot[0] = -Math.abs(z);
      expAt(slot, 0);
      const e = slot[0];
      const f = z >= 0 ? 1 / (1 + e) : e / (1 + e);
      w *= f * (1 - f);
    }
    grad[0] += w;
    for (let j = 0; j < d; j++) grad[j + 1] += w * data[base + j * colStride];
  }
}

function checkFeatures(kind: string, features: number): number {
  if (!Number.isSafeInteger(features) || features < 1) throw new ShapeMismatchError("features", features, `at least one input for ${kind}`);
  return features + 1;
}

/**
 * Linear regression (the lecture, §4): f(x; θ) = θ0 + θ1·x1 + … + θd·xd, with θ0 the intercept. With one
 * input, the lecture's ŷ = θ0 + θ1·x.
 *
 * ```math
 * \frac{\partial f}{\partial\theta_0} = 1, \qquad \frac{\partial f}{\partial\theta_j} = x_j
 * ```
 *
 * @example
 * ```ts
 * const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
 * J.evaluate(Float64Array.of(0.6, -0.2), null); // 12.3669 (notebook 6.2)
 * ```
 */
export function linearRegression(): Model {
  return withBatchForm(scoreModel("linearRegression"), SCORE_MODEL);
}

function scoreModel(kind: string): Model {
  return {
    kind,
    parameterCount: (features) => checkFeatures(kind, features),
    predict: (theta, X, rows, count, out) => scores(theta, X, rows, count, out, false),
    accumulateGradient: (theta, X, rows, count, weights, grad) => accumulate(theta, X, rows, count, weights, grad, false),
  };
}

/**
 * The logistic regression score: f(x; θ) = θ0 + θ·x, the log-odds of class 1 — the same arithmetic
 * as {@link linearRegression}, to pair with {@link binaryCrossEntropy}, which takes scores (logits)
 * so that it stays exact for large margins. The probability is σ(f).
 *
 * @example
 * ```ts
 * const risk = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
 * ```
 */
export function logisticRegression(): Model {
  return withBatchForm(scoreModel("logisticRegression"), SCORE_MODEL);
}

/**
 * σ(z) = 1/(1 + e^−z), computed without overflow for either sign of z.
 *
 * @example
 * ```ts
 * sigmoid(0); // 0.5
 * sigmoid(-800); // ≈ 0 (no overflow)
 * ```
 */
export function sigmoid(z: number): number {
  const e = exp(-Math.abs(z));
  return z >= 0 ? 1 / (1 + e) : e / (1 + e);
}

/**
 * Sigmoid regression (the lecture, §2): f(x; θ) = σ(θ0 + θ·x) = 1/(1 + e^−(w·x + b)) with b = θ0, w = θ1..d.
 * Paired with the mean squared error, it is the lecture's brute-force example.
 *
 * ```math
 * \frac{\partial f}{\partial\theta_0} = f\,(1-f), \qquad \frac{\partial f}{\partial\theta_j} = f\,(1-f)\,x_j
 * ```
 *
 * @example
 * ```ts
 * const L = empiricalRisk(sigmoidRegression(), meanSquaredError(), data);
 * ```
 */
export function sigmoidRegression(): Model {
  return withBatchForm<Model>(
    {
      kind: "sigmoidRegression",
      parameterCount: (features) => checkFeatures("sigmoidRegression", features),
      predict: (theta, X, rows, count, out) => scores(theta, X, rows, count, out, true),
      accumulateGradient: (theta, X, rows, count, weights, grad) => accumulate(theta, X, rows, count, weights, grad, true),
    },
    SQUASHED_MODEL,
  );
}
