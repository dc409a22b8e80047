import ndarray, { type NdArray } from "ndarray";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";

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

function toMatrix(X: NdArray | readonly (readonly number[])[]): NdArray {
  if (Array.isArray(X)) {
    const rows = X as readonly (readonly number[])[];
    const d = rows.length > 0 && Array.isArray(rows[0]) ? rows[0].length : 0;
    const data = new Float64Array(rows.length * d);
    rows.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== d) throw new ShapeMismatchError(`X[${i}]`, row, `an array of ${d} numbers, like X[0]`);
      row.forEach((v, j) => (data[i * d + j] = v));
    });
    return ndarray(data, [rows.length, d]);
  }
  return X as NdArray;
}

function toVector(y: NdArray | ArrayLike<number>): NdArray {
  if (Array.isArray(y) || ArrayBuffer.isView(y)) return ndarray(Float64Array.from(y as ArrayLike<number>), [(y as ArrayLike<number>).length]);
  return y as NdArray;
}

/**
 * Checks and wraps a dataset. X may be an n × d ndarray (any strides: a transposed or sliced view
 * works) or an array of rows; y an n-vector ndarray, an array or a typed array. Throws a typed error, naming the
 * argument, for a wrong shape, a length mismatch, an empty dataset or a value that is not finite.
 *
 * @example
 * ```ts
 * import ndarray from "ndarray";
 * const X = ndarray(new Float64Array([0.1, 0.2, 0.3, 0.4]), [4, 1]);
 * const data = dataset(X, [1, 0, 1, 1]);
 * ```
 */
export function dataset(X: NdArray | readonly (readonly number[])[], y: NdArray | ArrayLike<number>): Dataset {
  const Xm = toMatrix(X);
  const yv = toVector(y);
  if (!Xm || !Array.isArray(Xm.shape) || Xm.shape.length !== 2) throw new ShapeMismatchError("X", X, "an n × d matrix (2-D ndarray or array of rows)");
  if (!yv || !Array.isArray(yv.shape) || yv.shape.length !== 1) throw new ShapeMismatchError("y", y, "a vector (1-D ndarray or array)");
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
  return Object.freeze({ X: Xm, y: yv, size: n, features: d });
}
