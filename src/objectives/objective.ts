/**
 * Something to minimise: its value at θ and, into a buffer the caller owns, its gradient. An
 * empirical risk evaluates on a batch of example rows when given one, on all the data otherwise;
 * plain functions ignore `rows`.
 *
 * @example
 * ```ts
 * const f = rosenbrock();
 * const grad = new Float64Array(2);
 * f.evaluate(Float64Array.of(1, 1), grad); // 0; grad = [0, 0]
 * ```
 */
export interface Objective {
  /** The number of parameters. */
  readonly dimension: number;
  /**
   * N, the number of examples of an objective over data (an empirical risk): batch rows index
   * 0..N − 1. Absent for a plain function, which takes no batches. {@link minimize} checks a
   * sampler's size against it.
   */
  readonly examples?: number;
  /**
   * The value at θ; when `grad` is given, the gradient is written into it (overwriting it).
   * @param rows the examples of a batch (an empirical risk's), the first `count` entries.
   *
   * @throws {@link index!ShapeMismatchError | ShapeMismatchError} (the library's objectives) for a `theta` or `grad` of another length than `dimension`;
   *   {@link index!InvalidOptionError | InvalidOptionError} (the library's empirical risks) for a row outside [0, examples) or a `count` outside [1, rows.length].
   */
  evaluate(theta: Float64Array, grad: Float64Array | null, rows?: Int32Array | null, count?: number): number;
  /**
   * The same, with the value written into out[0] instead of returned. Optional; {@link minimize}
   * uses it when present, since a number returned from a call the JIT does not inline is boxed,
   * an allocation per step. With `value` false (and a gradient asked for), the caller needs only
   * to know whether the value is finite: out[0] may then hold, instead of the value, any number that
   * is finite exactly where the value is, if that is cheaper (an empirical risk's Wasm path leaves
   * out the cross-entropy's log(1 + e^−|z|) terms). Default true.
   */
  evaluateInto?(theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array, value?: boolean): void;
}
