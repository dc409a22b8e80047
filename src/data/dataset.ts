import type { NdArray } from "ndarray";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { stridedView } from "./strided-view.js";

/**
 * A supervised dataset: inputs X, one row per example (an n × d ndarray, any strides), and targets
 * y (an n-vector ndarray). Built and checked by {@link dataset}.
 *
 * @example
 * ```ts
 * const data: Dataset = dataset([[0], [1], [2]], [1, 3, 5]);
 * data.X.shape; // [3, 1]
 * ```
 */
export interface Dataset {
  /** n × d inputs. */
  readonly X: NdArray;
  /** n targets. */
  readonly y: NdArray;
  /** n, the number of examples. */
  readonly size: number;
  /** d, the number of input features. */
  readonly features: number;
}

/** An array or a numeric typed array (a DataView is a view too, but not of numbers). */
function isSequence(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/** Rows (arrays or typed arrays) copied into an n × d matrix, each checked; an ndarray as given. */
function toMatrix(X: NdArray | readonly ArrayLike<number>[]): NdArray {
  if (!Array.isArray(X)) return X as NdArray;
  const rows = X as readonly unknown[];
  if (rows.length > 0 && !isSequence(rows[0])) throw new ShapeMismatchError("X[0]", rows[0], "a row of numbers (an array or a typed array)");
  const d = rows.length > 0 ? (rows[0] as ArrayLike<unknown>).length : 0;
  const data = new Float64Array(rows.length * d);
  // (every index, holes included: forEach would skip a hole and leave its row zeros)
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!isSequence(row) || row.length !== d) throw new ShapeMismatchError(`X[${i}]`, row, `a row of ${d} numbers, like X[0]`);
    for (let j = 0; j < d; j++) {
      const v = row[j];
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`X[${i}][${j}]`, v, "a finite number");
      data[i * d + j] = v;
    }
  }
  return stridedView(data, [rows.length, d]);
}

/**
 * Checks and wraps a dataset. X may be an n × d ndarray (any strides: a transposed or sliced view
 * works) or an array of rows, each an array or a typed array (`Float64Array`, `Float32Array`,
 * `Int32Array`, …); y an n-vector ndarray, an array or a typed array. Rows and an array y are
 * copied into `Float64Array`s. Throws a typed error naming the argument (`X[3]`, `y[7]`, …), the
 * value and what was expected, for a wrong shape, a length mismatch, an empty dataset or a value
 * that is not a finite number (strings and null are refused, not converted).
 *
 * @example
 * ```ts
 * import ndarray from "ndarray";
 * const X = ndarray(new Float64Array([0.1, 0.2, 0.3, 0.4]), [4, 1]);
 * const data = dataset(X, [1, 0, 1, 1]);
 * const same = dataset([Float64Array.of(0.1), Float64Array.of(0.2), Float64Array.of(0.3), Float64Array.of(0.4)], [1, 0, 1, 1]);
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an `X` without rows or columns, or a value that is not a finite number.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for rows of different lengths, or a `y` that is not one target per row.
 */
export function dataset(X: NdArray | readonly ArrayLike<number>[], y: NdArray | ArrayLike<number>): Dataset {
  const Xm = toMatrix(X);
  if (!Xm || !Array.isArray(Xm.shape) || Xm.shape.length !== 2) throw new ShapeMismatchError("X", X, "an n × d matrix (a 2-D ndarray, or an array of rows)");
  // An array is checked as given (a string "1" must not pass as 1), then copied into a Float64Array.
  const sequence = isSequence(y);
  const yv = sequence ? stridedView(y as unknown as number[], [y.length]) : (y as NdArray);
  if (!yv || !Array.isArray(yv.shape) || yv.shape.length !== 1) throw new ShapeMismatchError("y", y, "a vector (a 1-D ndarray, an array or a typed array)");
  const [n, d] = Xm.shape;
  if (n === 0) throw new InvalidOptionError("X", X, "at least one example");
  if (d === 0) throw new InvalidOptionError("X", X, "at least one feature");
  if (yv.shape[0] !== n) throw new ShapeMismatchError("y", y, `${n} targets, one per row of X`);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = Xm.get(i, j);
      if (typeof v !== "number" || !Number.isFinite(v)) throw new InvalidOptionError(`X[${i}][${j}]`, v, "a finite number");
    }
    const t = yv.get(i);
    if (typeof t !== "number" || !Number.isFinite(t)) throw new InvalidOptionError(`y[${i}]`, t, "a finite number");
  }
  const targets = sequence ? stridedView(Float64Array.from(y as ArrayLike<number>), [n]) : yv;
  return Object.freeze({ X: Xm, y: targets, size: n, features: d });
}
