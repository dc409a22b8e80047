import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { InvalidOptionError, ShapeMismatchError } from "gradstep";
import {
  anisotropicValley,
  beale,
  binaryCrossEntropy,
  checkGradient,
  dataset,
  empiricalRisk,
  gaborModel,
  illConditionedQuadratic,
  linearRegression,
  logisticRegression,
  meanSquaredError,
  rosenbrock,
  sigmoidRegression,
  sumOfSquares,
  udlGaborData,
} from "gradstep/learn";

const coordinate = fc.double({ min: -3, max: 3, noNaN: true });

describe("every model and loss passes checkGradient", () => {
  // Random data with 3 features, stored transposed (a strided view) to exercise the strides.
  const Xt = ndarray(Float64Array.from({ length: 3 * 8 }, (_, i) => Math.sin(i * 1.7) * 2), [3, 8]);
  const data = dataset(Xt.transpose(1, 0), Float64Array.from({ length: 8 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  const cases = [
    ["linear regression + sum of squares", empiricalRisk(linearRegression(), sumOfSquares(), data)],
    ["linear regression + mean squared error", empiricalRisk(linearRegression(), meanSquaredError(), data)],
    ["sigmoid regression + mean squared error", empiricalRisk(sigmoidRegression(), meanSquaredError(), data)],
    ["logistic regression + binary cross-entropy", empiricalRisk(logisticRegression(), binaryCrossEntropy(), data)],
    ["logistic regression + summed binary cross-entropy", empiricalRisk(logisticRegression(), binaryCrossEntropy({ reduction: "sum" }), data)],
  ] as const;
  for (const [name, objective] of cases) {
    test.prop([fc.array(coordinate, { minLength: 4, maxLength: 4 })], { numRuns: 50 })(name, (theta) => {
      const point = Float64Array.from(theta);
      const { analytic, numeric } = checkGradient(objective, point);
      // Each component within 1e-6 relative, plus what rounding f itself costs a central difference:
      // a few ulps of f(θ ± h) divided by 2h (h = 1e-6·max(1, |θ_i|), checkGradient's). A component
      // near 0 is judged by that alone: 1e-6 relative to checkGradient's floor (1e-5·|f|) was
      // below it, and failed now and then (seed 304487080: 6.05e-6 on sigmoid regression + MSE).
      const f = Math.abs(objective.evaluate(point, null));
      for (let i = 0; i < point.length; i++) {
        const h = 1e-6 * Math.max(1, Math.abs(point[i]));
        const rounding = (8 * Number.EPSILON * Math.max(1, f)) / (2 * h);
        expect(Math.abs(analytic[i] - numeric[i]), `component ${i}`).toBeLessThanOrEqual(1e-6 * Math.max(Math.abs(analytic[i]), Math.abs(numeric[i])) + rounding);
      }
    });
  }

  test.prop([fc.double({ min: -10, max: 10, noNaN: true }), fc.double({ min: 2.5, max: 22.5, noNaN: true })], { numRuns: 100 })(
    "the Gabor model + sum of squares",
    (phi0, phi1) => {
      const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
      // central differences are O(h²) accurate; this landscape's third derivatives are large
      expect(checkGradient(J, Float64Array.of(phi0, phi1)).worstRelativeError).toBeLessThan(1e-5);
    },
  );

  test.prop([coordinate, coordinate], { numRuns: 100 })("the test functions", (x, y) => {
    for (const f of [rosenbrock(), beale(), anisotropicValley(), illConditionedQuadratic(100)]) {
      expect(checkGradient(f, Float64Array.of(x, y)).worstRelativeError).toBeLessThan(1e-4);
    }
  });

  it("a batch's gradient is the sum over its rows (sum of squares)", () => {
    const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
    const theta = Float64Array.of(-1.5, 6.5);
    const whole = new Float64Array(2);
    const parts = [new Float64Array(2), new Float64Array(2)];
    J.evaluate(theta, whole);
    const first = Int32Array.from({ length: 15 }, (_, i) => i);
    const second = Int32Array.from({ length: 15 }, (_, i) => i + 15);
    const loss = J.evaluate(theta, parts[0], first) + J.evaluate(theta, parts[1], second);
    expect(loss).toBeCloseTo(J.evaluate(theta, null), 12);
    for (let i = 0; i < 2; i++) expect(parts[0][i] + parts[1][i]).toBeCloseTo(whole[i], 12);
  });
});

describe("binary cross-entropy is stable for any margin", () => {
  it.each([[800, 1], [800, 0], [-800, 1], [-800, 0], [0, 1]])("z = %d, y = %d", (z, y) => {
    const d = new Float64Array(1);
    const out = new Float64Array(1);
    binaryCrossEntropy().evaluate(Float64Array.of(z), ndarray(Float64Array.of(y), [1]), null, 1, d, out);
    const value = out[0];
    // ℓ = max(z, 0) − y·z + log(1 + e^−|z|): for |z| = 800, e^−800 underflows and ℓ is exact
    const expected = Math.max(z, 0) - y * z + (z === 0 ? Math.LN2 : 0);
    expect(value).toBe(expected);
    expect(d[0]).toBe((z > 0 ? 1 : z < 0 ? 0 : 0.5) - y);
  });
});

describe("datasets", () => {
  it("accepts arrays of rows and strided views", () => {
    const data = dataset([[1, 2], [3, 4], [5, 6]], [1, 2, 3]);
    expect([data.size, data.features]).toEqual([3, 2]);
    const view = dataset(ndarray(Float64Array.of(1, 2, 3, 4, 5, 6), [2, 3]).transpose(1, 0), [0, 1, 2]);
    expect(view.X.get(2, 1)).toBe(6);
  });

  it.each([
    ["an empty dataset", () => dataset(ndarray(new Float64Array(0), [0, 1]), []), InvalidOptionError, "X"],
    ["X and y of different lengths", () => dataset([[1], [2]], [1]), ShapeMismatchError, "y"],
    ["a ragged X", () => dataset([[1, 2], [3]], [1, 2]), ShapeMismatchError, "X[1]"],
    ["a NaN in X", () => dataset([[1], [NaN]], [1, 2]), InvalidOptionError, "X[1][0]"],
    ["an Infinity in y", () => dataset([[1], [2]], [1, Infinity]), InvalidOptionError, "y[1]"],
    ["a 1-D X", () => dataset(ndarray(Float64Array.of(1, 2), [2]), [1, 2]), ShapeMismatchError, "X"],
  ])("refuses %s", (_what, make, type, argument) => {
    let error: unknown;
    try {
      make();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as InvalidOptionError).argument).toBe(argument);
  });

  it("a model refuses data it cannot take", () => {
    expect(() => empiricalRisk(gaborModel(), sumOfSquares(), dataset([[1, 2]], [1]))).toThrow(ShapeMismatchError);
  });
});

it("binaryCrossEntropy refuses an unknown reduction", () => {
  expect(() => binaryCrossEntropy({ reduction: "max" as never })).toThrow(InvalidOptionError);
});

describe("checkGradient", () => {
  it("catches a wrong gradient", () => {
    const wrong = { dimension: 2, evaluate: (t: Float64Array, g: Float64Array | null) => {
      if (g) { g[0] = t[0]; g[1] = 2 * t[1]; } // ∂/∂x of x² is 2x, not x
      return t[0] * t[0] + t[1] * t[1];
    } };
    expect(checkGradient(wrong, Float64Array.of(1.5, -0.5)).worstRelativeError).toBeGreaterThan(0.4);
  });
});
