import type { NdArray } from "ndarray";
import { ShapeMismatchError } from "../errors.js";

/** A vector for a metric: an array, a typed array, or a 1-D ndarray (a dataset's y). */
export type MetricVector = ArrayLike<number> | NdArray;

/** The entries of a metric's vector as an ArrayLike (a 1-D ndarray copied, any stride). @internal */
export function valuesOf(argument: string, v: MetricVector): ArrayLike<number> {
  const m = v as NdArray;
  if (m !== null && typeof m === "object" && Array.isArray(m.shape) && typeof m.get === "function") {
    if (m.shape.length !== 1) throw new ShapeMismatchError(argument, v, "a vector (a 1-D ndarray, an array or a typed array)");
    return Float64Array.from({ length: m.shape[0] }, (_, i) => m.get(i));
  }
  if (v === null || typeof v !== "object" || typeof (v as ArrayLike<number>).length !== "number") throw new ShapeMismatchError(argument, v, "a vector (a 1-D ndarray, an array or a typed array)");
  return v as ArrayLike<number>;
}
