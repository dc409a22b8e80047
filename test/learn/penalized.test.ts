// penalized(f, { l2, mask }): F(θ) = f(θ) + (λ/2)·Σ mᵢθᵢ², ∇F = ∇f + λ·m⊙θ. Checked against the
// objective's own value plus the penalty written out, central differences, and the closed-form
// minimiser of ridge regression with an unpenalised intercept.
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { InvalidOptionError, ShapeMismatchError } from "gradstep";
import {
  binaryCrossEntropy,
  checkGradient,
  dataset,
  empiricalRisk,
  linearRegression,
  logisticRegression,
  meanSquaredError,
  penalized,
  rosenbrock,
  sumOfSquares,
  syntheticLogistic,
  udlLinearData,
} from "gradstep/learn";

const coordinate = fc.double({ min: -3, max: 3, noNaN: true });

describe("value and gradient", () => {
  it("adds (λ/2)·Σ mᵢθᵢ² and λ·mᵢθᵢ to the objective's own (udl linear data, notebook 6.2's θ)", () => {
    const risk = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
    const theta = Float64Array.of(0.6, -0.2);
    const base = new Float64Array(2);
    const f = risk.evaluate(theta, base);
    expect(f).toBeCloseTo(12.3669, 4);
    const grad = new Float64Array(2);
    // all: (2/2)·(0.36 + 0.04) = 0.4; gradient + 2·θ
    expect(penalized(risk, { l2: 2 }).evaluate(theta, grad)).toBeCloseTo(f + 0.4, 13);
    expect(grad[0]).toBeCloseTo(base[0] + 1.2, 12);
    expect(grad[1]).toBeCloseTo(base[1] - 0.4, 12);
    // the intercept left out: (2/2)·0.04
    expect(penalized(risk, { l2: 2, mask: "exceptIntercept" }).evaluate(theta, grad)).toBeCloseTo(f + 0.04, 13);
    expect(grad[0]).toBe(base[0]);
    expect(grad[1]).toBeCloseTo(base[1] - 0.4, 12);
    // an explicit mask, as booleans or numbers
    expect(penalized(risk, { l2: 2, mask: [true, false] }).evaluate(theta, null)).toBeCloseTo(f + 0.36, 13);
    expect(penalized(risk, { l2: 2, mask: Float64Array.of(1, 0) }).evaluate(theta, null)).toBeCloseTo(f + 0.36, 13);
    // λ = 0 changes nothing, bit for bit
    const zero = new Float64Array(2);
    expect(penalized(risk, { l2: 0 }).evaluate(theta, zero)).toBe(f);
    expect(zero).toEqual(base);
  });

  it("is ln 2 at θ = 0 for logistic regression (the penalty vanishes)", () => {
    const data = syntheticLogistic({ size: 200, features: 3, seed: 1 });
    const J = penalized(empiricalRisk(logisticRegression(), binaryCrossEntropy(), data), { l2: 1 / 200, mask: "exceptIntercept" });
    expect(J.evaluate(new Float64Array(4), null)).toBeCloseTo(Math.LN2, 14);
    expect(J.examples).toBe(200);
    expect(J.dimension).toBe(4);
    expect(J.l2).toBe(1 / 200);
    expect([...J.mask]).toEqual([0, 1, 1, 1]);
  });

  it("ridge regression with a free intercept: the gradient vanishes at the closed-form minimiser", () => {
    // F(a, b) = (1/N)·Σ (a + b·x − y)² + (λ/2)·b²  ⇒  b = Sxy / (Sxx + λN/2), a = ȳ − b·x̄
    const data = udlLinearData();
    const N = data.size;
    const x = Array.from({ length: N }, (_, i) => data.X.get(i, 0));
    const y = Array.from({ length: N }, (_, i) => data.y.get(i));
    const mx = x.reduce((s, v) => s + v, 0) / N;
    const my = y.reduce((s, v) => s + v, 0) / N;
    let sxx = 0;
    let sxy = 0;
    for (let i = 0; i < N; i++) {
      sxx += (x[i] - mx) ** 2;
      sxy += (x[i] - mx) * (y[i] - my);
    }
    const lambda = 0.7;
    const b = sxy / (sxx + (lambda * N) / 2);
    const a = my - b * mx;
    const J = penalized(empiricalRisk(linearRegression(), meanSquaredError(), data), { l2: lambda, mask: "exceptIntercept" });
    const grad = new Float64Array(2);
    const best = J.evaluate(Float64Array.of(a, b), grad);
    expect(Math.abs(grad[0])).toBeLessThan(1e-14);
    expect(Math.abs(grad[1])).toBeLessThan(1e-14);
    for (const [da, db] of [[1e-3, 0], [-1e-3, 0], [0, 1e-3], [0, -1e-3]]) expect(J.evaluate(Float64Array.of(a + da, b + db), null)).toBeGreaterThan(best);
  });

  // 3 features, 8 examples, stored transposed (a strided view)
  const Xt = ndarray(Float64Array.from({ length: 3 * 8 }, (_, i) => Math.sin(i * 1.7) * 2), [3, 8]);
  const data = dataset(Xt.transpose(1, 0), Float64Array.from({ length: 8 }, (_, i) => (i % 3 === 0 ? 1 : 0)));
  const risk = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
  test.prop([fc.array(coordinate, { minLength: 4, maxLength: 4 }), fc.double({ min: 0, max: 10, noNaN: true }), fc.array(fc.boolean(), { minLength: 4, maxLength: 4 })], {
    numRuns: 100,
  })("passes checkGradient for any θ, λ and mask, on all rows and on a batch", (theta, l2, mask) => {
    const J = penalized(risk, { l2, mask });
    const at = Float64Array.from(theta);
    // Central differences with step h·max(1, |θᵢ|) err by O(h²) (truncation) plus about ε·|f|/h
    // (rounding of f(θ ± step), large where the penalty makes |f| large and ∂f/∂θᵢ is near 0: a
    // relative measure alone fails there, e.g. θ = (0, −1.97, 0, 0), λ = 9.67 gives 3.5e-6).
    for (const rows of [null, Int32Array.of(5, 1, 6)]) {
      const { analytic, numeric } = checkGradient(J, at, { rows });
      const f = Math.abs(J.evaluate(at, null, rows));
      analytic.forEach((a, i) => {
        const step = 1e-6 * Math.max(1, Math.abs(at[i]));
        expect(Math.abs(a - numeric[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(a)) + (8 * Number.EPSILON * Math.max(1, f)) / step);
      });
    }
  });

  it("on a batch: the objective's batch value plus the whole penalty", () => {
    const J = penalized(risk, { l2: 0.5, mask: "exceptIntercept" });
    const theta = Float64Array.of(0.3, -1, 2, 0.5);
    const rows = Int32Array.of(7, 2, 4, 0);
    const base = new Float64Array(4);
    const f = risk.evaluate(theta, base, rows, 3);
    const grad = new Float64Array(4);
    const penalty = 0.25 * (1 + 4 + 0.25);
    expect(J.evaluate(theta, grad, rows, 3)).toBeCloseTo(f + penalty, 14);
    const out = new Float64Array(1);
    J.evaluateInto(theta, grad, rows, 3, out);
    expect(out[0]).toBe(J.evaluate(theta, null, rows, 3));
    expect([...grad]).toEqual([base[0], base[1] + 0.5 * theta[1], base[2] + 0.5 * theta[2], base[3] + 0.5 * theta[3]]);
  });

  it("wraps an objective without evaluateInto (Rosenbrock)", () => {
    const f = rosenbrock();
    const J = penalized(f, { l2: 3 });
    const grad = new Float64Array(2);
    expect(J.evaluate(Float64Array.of(1, 1), grad)).toBe(3); // 0 + (3/2)·2
    expect([...grad]).toEqual([3, 3]);
    expect(J.examples).toBeUndefined();
    expect(checkGradient(J, Float64Array.of(-1.2, 1)).worstRelativeError).toBeLessThan(1e-7);
  });
});

describe("bad arguments: a typed error naming the argument", () => {
  const risk = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()); // dimension 2
  it.each([
    [{ l2: -1 }, InvalidOptionError, "l2"],
    [{ l2: Number.NaN }, InvalidOptionError, "l2"],
    [{ l2: Number.POSITIVE_INFINITY }, InvalidOptionError, "l2"],
    [{ l2: "0.1" }, InvalidOptionError, "l2"],
    [{}, InvalidOptionError, "l2"],
    [{ l2: 1, mask: [1, 1, 1] }, ShapeMismatchError, "mask"],
    [{ l2: 1, mask: [1] }, ShapeMismatchError, "mask"],
    [{ l2: 1, mask: [1, 2] }, InvalidOptionError, "mask[1]"],
    [{ l2: 1, mask: [Number.NaN, 1] }, InvalidOptionError, "mask[0]"],
    [{ l2: 1, mask: "bias" }, InvalidOptionError, "mask"],
    [{ l2: 1, lambda: 1 }, InvalidOptionError, "lambda"],
  ])("%o", (options, type, argument) => {
    let error: unknown;
    try {
      penalized(risk, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as InvalidOptionError).argument).toBe(argument);
  });

  it("refuses θ or a gradient of the wrong length, leaving the gradient as it was", () => {
    const J = penalized(rosenbrock(), { l2: 1 });
    const grad = Float64Array.of(7, 7);
    expect(() => J.evaluate(Float64Array.of(1, 2, 3), grad)).toThrow(ShapeMismatchError);
    expect(() => J.evaluate(Float64Array.of(1, 2), new Float64Array(3))).toThrow(ShapeMismatchError);
    expect([...grad]).toEqual([7, 7]);
  });

  it("refuses something that is not an objective", () => {
    expect(() => penalized({} as never, { l2: 1 })).toThrow(InvalidOptionError);
  });
});
