// gradstep/learn's data, objectives, metrics and grid search under hostile input (an adversarial
// review's findings): each case failed before its fix, with a silent NaN or wrong number, a
// TypeError, or a RangeError.
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidSnapshotError, OutOfMemoryError, setBackend, ShapeMismatchError } from "gradstep";
import {
  binaryCrossEntropy,
  checkGradient,
  csvDataset,
  dataset,
  EpochSampler,
  empiricalRisk,
  fitStandardizer,
  gridSearch,
  landscape,
  linearRegression,
  meanSquaredError,
  mlp,
  networkRisk,
  ReplaySampler,
  rosenbrock,
  rSquared,
  softmaxRegression,
  standardize,
  sumOfSquares,
  syntheticLinear,
} from "gradstep/learn";
import { expectRefusal, thrown } from "../helpers.js";

const data = dataset([[1], [2], [3]], [1, 0, 1]);

describe.each(["js", "auto"] as const)("a batch's rows and count, backend %s", (backend) => {
  it("a row outside [0, N), a fractional row, a count outside [1, rows.length] or fractional: refused before the gradient is written", () => {
    setBackend(backend);
    const risks = [empiricalRisk(linearRegression(), meanSquaredError(), data), empiricalRisk(linearRegression(), binaryCrossEntropy(), data), networkRisk(softmaxRegression({ inputs: 1, classes: 2 }), data)];
    for (const J of risks) {
      const theta = new Float64Array(J.dimension).fill(0.1);
      const grad = new Float64Array(J.dimension).fill(7);
      const cases: [Int32Array | number[], number | undefined, string][] = [
        [Int32Array.of(3), undefined, "rows[0]"], // gave NaN, grad all NaN
        [Int32Array.of(0, -1), undefined, "rows[1]"],
        [[1.5], undefined, "rows[0]"], // NaN in JavaScript; row 1 on Wasm
        [Int32Array.of(0), 2, "count"], // gave NaN
        [Int32Array.of(0, 1), 1.5, "count"], // divided a mean by 1.5
        [new Int32Array(0), undefined, "count"], // 0/0 under a mean
        [Int32Array.of(0, 1), -1, "count"],
      ];
      for (const [rows, count, argument] of cases) {
        expectRefusal(() => J.evaluate(theta, grad, rows as Int32Array, count), InvalidOptionError, argument);
        expect(grad.every((g) => g === 7)).toBe(true);
      }
      // a valid batch still gives the mean over its rows: rows 2 and 0 equal rows 0 and 2
      expect(J.evaluate(theta, null, Int32Array.of(2, 0, 1), 2)).toBe(J.evaluate(theta, null, Int32Array.of(0, 2)));
    }
    setBackend("auto");
  });
});

describe("arguments that are not what they should be: typed errors, not TypeErrors", () => {
  it("objectives, grids and the standardizer name the argument", () => {
    expectRefusal(() => empiricalRisk(linearRegression(), sumOfSquares(), null as never), InvalidOptionError, "data");
    expectRefusal(() => empiricalRisk(null as never, sumOfSquares(), data), InvalidOptionError, "model");
    expectRefusal(() => gridSearch(null as never, []), InvalidOptionError, "objective");
    expectRefusal(() => landscape(rosenbrock(), undefined as never), InvalidOptionError, "options");
    expectRefusal(() => fitStandardizer(data).apply(null as never), InvalidOptionError, "data");
    expectRefusal(() => syntheticLinear(undefined as never), InvalidOptionError, "options");
    expectRefusal(() => empiricalRisk(linearRegression(), sumOfSquares(), data).evaluate(null as never, null), ShapeMismatchError, "theta");
    expectRefusal(() => rosenbrock().evaluate([1, 1] as never, null), ShapeMismatchError, "theta");
    expectRefusal(() => checkGradient(rosenbrock(), Float64Array.of(1, 2), { h: 0 }), InvalidOptionError, "h"); // a worst error of NaN
    expectRefusal(() => checkGradient(rosenbrock(), Float64Array.of(1, 2), { h: Number.NaN }), InvalidOptionError, "h");
  });

  it("a JavaScript caller may leave the gradient out", () => {
    expect(rosenbrock().evaluate(Float64Array.of(0, 0), undefined as never)).toBe(1);
    expect(empiricalRisk(linearRegression(), sumOfSquares(), data).evaluate(Float64Array.of(0, 1), undefined as never)).toBe(0 + 4 + 4); // Σ(θ0 + θ1·x − y)²
  });
});

describe("holes in sparse arrays are refused, not read as zeros", () => {
  /* biome-ignore lint: sparse arrays are the point */
  const holeRow = [[5], , [7]] as unknown as number[][];
  it("dataset, the standardizer, ReplaySampler", () => {
    expectRefusal(() => dataset(holeRow, [1, 2, 3]), ShapeMismatchError, "X[1]");
    expectRefusal(() => fitStandardizer(data).transform(holeRow), ShapeMismatchError, "X[1]");
    expectRefusal(() => new ReplaySampler([[1, , 1]] as unknown as number[][], { size: 2 }), InvalidOptionError, "batches[0]");
    expectRefusal(() => new ReplaySampler([[0], , [1]] as unknown as number[][], { size: 2 }), InvalidOptionError, "batches[1]"); // gave batchSize NaN
  });

  it("a sampler snapshot whose order or generator state has a hole: refused (every() skipped it, so n − 1 distinct values passed as a permutation)", () => {
    const sampler = new EpochSampler({ size: 5, batchSize: 2, seed: 1 });
    sampler.next(new Int32Array(2));
    const good = sampler.snapshot() as unknown as { order: number[]; random: { S: number[] } };
    const order = [...good.order];
    delete order[3];
    expectRefusal(() => sampler.restore({ ...good, order } as never), InvalidSnapshotError, "snapshot.order");
    const S = [...good.random.S];
    delete S[7];
    expect(thrown(() => sampler.restore({ ...good, random: { ...good.random, S } } as never))).toBeInstanceOf(InvalidSnapshotError);
    expect(sampler.snapshot()).toEqual(good);
  });

  it("mlp's hidden layers and csvDataset's features: a hole is refused (a layer went missing; a feature column read as zeros)", () => {
    expect(thrown(() => mlp({ inputs: 2, hidden: [{ units: 3, activation: "tanh" }, , { units: 4, activation: "tanh" }] as never, output: { kind: "regression" } }))).toBeInstanceOf(InvalidOptionError);
    expect(thrown(() => csvDataset("a,b,c\n1,2,3\n", { target: "c", features: ["a", , "b"] as never }))).toBeInstanceOf(InvalidOptionError);
  });

  it("a non-finite value in an ndarray is refused by the standardizer as in rows", () => {
    expectRefusal(() => fitStandardizer(data).transform(ndarray(Float64Array.of(Number.NaN), [1, 1])), InvalidOptionError, "X[0][0]");
  });
});

describe("extreme finite values: no overflow or underflow into a wrong answer", () => {
  it("standardize: ±1e200 and ±1e-200 become ±1 (σ = 1e200, 1e-200); values near the largest double stay finite", () => {
    for (const s of [1e200, 1e-200]) {
      const { data: scaled, deviation } = standardize(dataset([[s], [-s]], [0, 0]));
      expect(deviation[0]).toBe(s); // gave ∞ (then X' = 0), and 1 (a "constant" column, X' unscaled)
      expect([scaled.X.get(0, 0), scaled.X.get(1, 0)]).toEqual([1, -1]);
    }
    const { data: scaled, mean, deviation } = standardize(dataset([[1e308], [1e308], [1.7e308]], [0, 0, 0])); // threw "X[0][0] = NaN"
    // μ = 1.2333e308, σ = √(2·(0.2333e308)² + (0.4667e308)²)/√3 = 0.32998e308
    expect(mean[0] / 1.2333333333333333e308).toBeCloseTo(1, 14);
    expect(deviation[0] / (Math.sqrt((2 * 0.23333333333333334 ** 2 + 0.4666666666666667 ** 2) / 3) * 1e308)).toBeCloseTo(1, 14);
    expect(scaled.X.get(2, 0)).toBeCloseTo(Math.sqrt(2), 12); // (x − μ)/σ of the odd one out: √2
    const wide = fitStandardizer(dataset([[1.7e308], [-1.7e308]], [0, 0]));
    expect(Array.from(wide.transform([[1.7e308], [-1.7e308]]).data as Float64Array)).toEqual([1, -1]);
    // a value the fitted σ scales past the largest double is refused, naming it
    expectRefusal(() => fitStandardizer(dataset([[1e-300], [-1e-300]], [0, 0])).transform([[0], [1e10]]), InvalidOptionError, "X[1][0]");
  });

  it("ordinary data keeps the bits of the plain two-pass formula", () => {
    const { mean, deviation } = standardize(dataset([[1], [2], [4]], [0, 0, 0]));
    const mu = (1 + 2 + 4) / 3;
    expect(mean[0]).toBe(mu);
    expect(deviation[0]).toBe(Math.sqrt(((1 - mu) * (1 - mu) + (2 - mu) * (2 - mu) + (4 - mu) * (4 - mu)) / 3));
    expect(rSquared([1, 2, 4], [1.5, 2, 3])).toBe(1 - (0.25 + 0 + 1) / ((1 - mu) * (1 - mu) + (2 - mu) * (2 - mu) + (4 - mu) * (4 - mu)));
  });

  it("rSquared: ±1e-200 predicted by 0 is R² = 0 (it said 1, a perfect fit); ±1e200 is finite", () => {
    expect(rSquared([1e-200, -1e-200], [0, 0])).toBe(0);
    // 1 − (0.1e200)² / (2·(1e200)²) = 1 − 0.005
    expect(rSquared([1e200, -1e200], [0.9e200, -1e200])).toBeCloseTo(0.995, 14);
  });
});

describe("grid search and landscapes", () => {
  it("an axis whose span is past the largest double is refused (its points were NaN and ∞)", () => {
    expectRefusal(() => landscape(rosenbrock(), { x: { from: -1e308, to: 1e308, points: 3 }, y: { from: 0, to: 1, points: 2 } }), InvalidOptionError, "x.to");
  });

  it("an objective NaN everywhere: min NaN at the first point (it said ∞, as if found)", () => {
    const r = gridSearch({ dimension: 1, evaluate: () => Number.NaN }, [{ from: 0, to: 1, points: 3 }]);
    expect(r.min).toBeNaN();
    expect(Array.from(r.argmin)).toEqual([0]);
    // NaN at some points: they never win
    const some = gridSearch({ dimension: 1, evaluate: (t) => (t[0] === 0 ? Number.NaN : t[0]) }, [{ from: 0, to: 1, points: 3 }]);
    expect([some.min, some.argmin[0]]).toEqual([0.5, 0.5]);
  });

  it("grids, datasets and samplers too large to hold: OutOfMemoryError, not a RangeError", () => {
    expectRefusal(() => gridSearch(rosenbrock(), [{ from: 0, to: 1, points: 2 ** 40 }, { from: 0, to: 1, points: 2 }]), OutOfMemoryError, "axes[0].points");
    expectRefusal(() => landscape(rosenbrock(), { x: { from: 0, to: 1, points: 1e6 }, y: { from: 0, to: 1, points: 1e6 } }), OutOfMemoryError, "values");
    expectRefusal(() => syntheticLinear({ size: 2 ** 40 }), OutOfMemoryError, "size");
    expectRefusal(() => new EpochSampler({ size: 2 ** 40, batchSize: 1 }), OutOfMemoryError, "size");
  });
});

describe("csvDataset", () => {
  it("blank lines at the end are ignored, as its docs say (two of them were refused)", () => {
    for (const text of ["x,y\n1,2\n\n", "x,y\r\n1,2\r\n\r\n", "x,y\n1,2\n  \n\n"]) expect(csvDataset(text).size).toBe(1);
    expectRefusal(() => csvDataset("x,y\n1,2\n\n3,4\n"), ShapeMismatchError, "line 3"); // a blank line inside is not
  });
});
