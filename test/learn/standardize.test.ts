// standardize and fitStandardizer against an independent oracle: the same column arithmetic written
// with ndarray-ops (a devDependency, used here and in the bench baseline only), on any strides.
import { fc, test } from "@fast-check/vitest";
import ndarray, { type NdArray } from "ndarray";
import ops from "ndarray-ops";
import { describe, expect, it } from "vitest";
import { type InvalidOptionError, ShapeMismatchError } from "gradstep";
import { dataset, fitStandardizer, standardize, syntheticLinear } from "gradstep/learn";

/** μ_j, σ_j and (X − μ)/σ by ndarray-ops: sum, subtract, squared norm, divide, column by column. */
function oracle(X: NdArray, mu?: Float64Array, sigma?: Float64Array) {
  const [n, d] = X.shape;
  const Z = ndarray(new Float64Array(n * d), [n, d]);
  ops.assign(Z, X);
  const mean = mu ?? new Float64Array(d);
  const deviation = sigma ?? new Float64Array(d);
  /** The mean and deviation of a column, of its values ÷ scale (a copy's). */
  const moments = (column: NdArray, scale: number): [number, number] => {
    const W = ndarray(new Float64Array(n), [n]);
    ops.assign(W, column);
    ops.divseq(W, scale);
    const m = ops.sum(W) / n;
    ops.subseq(W, m);
    return [m, Math.sqrt(ops.norm2squared(W) / n)];
  };
  for (let j = 0; j < d; j++) {
    const column = Z.pick(null, j);
    if (!mu) {
      let [m, sd] = moments(column, 1);
      // where the plain sums overflow or underflow (σ < 2^-450), once more on values ÷ max|value|
      const scale = ops.norminf(column);
      if ((!(Number.isFinite(m) && Number.isFinite(sd)) || sd < 2 ** -450) && scale > 0) [m, sd] = moments(column, scale).map((v) => v * scale);
      mean[j] = m;
      deviation[j] = sd > 0 ? sd : 1;
    }
    ops.subseq(column, mean[j]);
    ops.divseq(column, deviation[j]);
  }
  return { Z, mean, deviation };
}

const rows = (X: NdArray) => Array.from({ length: X.shape[0] }, (_, i) => Array.from({ length: X.shape[1] }, (_, j) => X.get(i, j)));

const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true });
const matrix = fc.integer({ min: 1, max: 6 }).chain((d) => fc.array(fc.array(finite, { minLength: d, maxLength: d }), { minLength: 1, maxLength: 12 }));

describe("fitStandardizer and standardize, against ndarray-ops", () => {
  test.prop([matrix])("the same μ, σ and scaled X, bit for bit", (X) => {
    const data = dataset(X, X.map(() => 0));
    const expected = oracle(data.X);
    const { data: z, mean, deviation, standardizer } = standardize(data);
    expect(Array.from(mean)).toEqual(Array.from(expected.mean));
    expect(Array.from(deviation)).toEqual(Array.from(expected.deviation));
    expect(rows(z.X)).toEqual(rows(expected.Z));
    expect(standardizer.mean).toBe(mean);
  });

  test.prop([matrix, matrix])("a fitted standardizer scales other data by the fitted μ and σ", (train, other) => {
    const d = train[0].length;
    const test = other.map((row) => Array.from({ length: d }, (_, j) => row[j % row.length]));
    const scaler = fitStandardizer(dataset(train, train.map(() => 1)));
    const fitted = oracle(dataset(train, train.map(() => 1)).X);
    const expected = rows(oracle(dataset(test, test.map(() => 0)).X, fitted.mean, fitted.deviation).Z);
    // (a column of a tiny σ, e.g. 5e-324, scales another value past the largest double: refused, naming it)
    if (!expected.flat().every(Number.isFinite)) {
      expect(() => scaler.apply(dataset(test, test.map((_, i) => i)))).toThrow(/expected a value whose standardized/);
      return;
    }
    const scaled = scaler.apply(dataset(test, test.map((_, i) => i)));
    expect(rows(scaled.X)).toEqual(expected);
    expect(Array.from(scaled.y.data as Float64Array)).toEqual(test.map((_, i) => i));
  });

  it("a column of σ = 5e-324 scales another data's 1e-15 past the largest double: refused, naming it (fast-check's counterexample)", () => {
    const scaler = fitStandardizer(dataset([[0, 0, 0, 0, 0], [0, 0, 0, 0, -1e-323]], [1, 1]));
    expect(scaler.deviation[4]).toBe(5e-324);
    const other = dataset([Array(5).fill(-8.881784197001252e-16), Array(5).fill(0)], [0, 1]);
    expect(() => scaler.apply(other)).toThrow("data.features[0][4] = -8.881784197001252e-16: expected a value whose standardized (x − μ)/σ is a finite number (μ = -5e-324, σ = 5e-324)");
  });

  it("reads a strided view (a transpose) as the matrix it shows", () => {
    // 3 × 2 seen through the transpose of a 2 × 3 row-major array
    const T = ndarray(Float64Array.of(1, 2, 4, 10, 30, 20), [2, 3]).transpose(1, 0);
    const { data: z, mean, deviation } = standardize(dataset(T, [0, 0, 0]));
    // columns [1, 2, 4] and [10, 30, 20]: μ = 7/3 and 20; σ = √((16/9 + 1/9 + 25/9)/3) = √14/3 and √(200/3)
    expect(mean[0]).toBeCloseTo(7 / 3, 15);
    expect(mean[1]).toBe(20);
    expect(deviation[0]).toBeCloseTo(Math.sqrt(14) / 3, 15);
    expect(deviation[1]).toBeCloseTo(Math.sqrt(200 / 3), 13);
    expect(rows(z.X)).toEqual(rows(oracle(T).Z));
    expect(z.X.stride).toEqual([2, 1]); // fresh and contiguous
  });

  it("keeps the fitted statistics: a test set is not scaled by its own", () => {
    const train = dataset([[0], [2], [4]], [0, 0, 0]); // μ = 2, σ = √(8/3)
    const test = dataset([[2], [2 + Math.sqrt(8 / 3)]], [5, 6]);
    const scaled = fitStandardizer(train).apply(test);
    expect(scaled.X.get(0, 0)).toBe(0);
    expect(scaled.X.get(1, 0)).toBeCloseTo(1, 15);
    expect(test.X.get(1, 0)).toBe(2 + Math.sqrt(8 / 3)); // the input is untouched
  });

  it("refuses data with another number of features, naming it", () => {
    const scaler = fitStandardizer(syntheticLinear({ size: 10, features: 3, seed: 1 }));
    expect(() => scaler.apply(syntheticLinear({ size: 10, features: 2, seed: 1 }))).toThrow(ShapeMismatchError);
    expect(() => scaler.apply(syntheticLinear({ size: 10, features: 2, seed: 1 }))).toThrow(/data\.features = 2.*3, the number of features/);
  });

  test.prop([matrix, matrix])("transform scales rows without targets as apply does (arrays of rows, strided views)", (train, other) => {
    const d = train[0].length;
    const test = other.map((row) => Array.from({ length: d }, (_, j) => row[j % row.length]));
    const scaler = fitStandardizer(dataset(train, train.map(() => 1)));
    const T = ndarray(new Float64Array(test.length * d), [d, test.length]);
    test.forEach((row, i) => row.forEach((v, j) => T.set(j, i, v)));
    // (a column of a tiny σ may scale another value past the largest double: all three refuse it alike)
    const outcome = (f: () => NdArray) => {
      try {
        return rows(f());
      } catch (e) {
        return (e as InvalidOptionError).expected;
      }
    };
    const expected = outcome(() => scaler.apply(dataset(test, test.map(() => 0))).X);
    expect(outcome(() => scaler.transform(test))).toEqual(expected);
    expect(outcome(() => scaler.transform(T.transpose(1, 0)))).toEqual(expected);
  });

  it("transform refuses rows of another width and non-finite entries, naming them", () => {
    const scaler = fitStandardizer(dataset([[1, 2], [3, 5]], [0, 0]));
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as ShapeMismatchError).argument;
      }
      return undefined;
    };
    expect(caught(() => scaler.transform([[1, 2], [3]]))).toBe("X[1]");
    expect(caught(() => scaler.transform([[1, NaN]]))).toBe("X[0][1]");
    expect(caught(() => scaler.transform(ndarray(new Float64Array(3), [1, 3])))).toBe("X");
  });
});
