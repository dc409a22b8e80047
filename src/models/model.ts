import type { NdArray } from "ndarray";

/**
 * A model f(x; θ) with an analytic gradient with respect to θ, evaluated on batches of rows of a
 * dataset's X (any strides; the data are read directly, not through `get()`). Both methods write
 * into buffers the caller owns, so an evaluation allocates nothing.
 *
 * @example
 * ```ts
 * const model = linearRegression();
 * const data = udlLinearData();
 * const out = new Float64Array(data.size);
 * model.predict(Float64Array.of(0.6, -0.2), data.X, null, data.size, out); // ŷ for every example
 * ```
 */
export interface Model {
  /** The model's name. */
  readonly kind: string;
  /** The number of parameters for inputs with `features` features; throws if it cannot take them. */
  parameterCount(features: number): number;
  /** out[k] ← f(x_(rows[k]); θ) for k < count (`rows` null: row k itself). */
  predict(theta: Float64Array, X: NdArray, rows: Int32Array | null, count: number, out: Float64Array): void;
  /** grad ← grad + Σ_(k < count) weights[k]·∂f(x_(rows[k]); θ)/∂θ. */
  accumulateGradient(theta: Float64Array, X: NdArray, rows: Int32Array | null, count: number, weights: Float64Array, grad: Float64Array): void;
}
