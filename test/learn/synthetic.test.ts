import { describe, expect, it } from "vitest";
import { GradientDescent, InvalidOptionError } from "gradstep";
import {
  dataset,
  empiricalRisk,
  linearRegression,
  minimize,
  standardize,
  sumOfSquares,
  syntheticGabor,
  syntheticLinear,
  syntheticLogistic,
} from "gradstep/learn";

describe("synthetic datasets", () => {
  it("are the same for the same seed, and different for another", () => {
    const a = syntheticLinear({ size: 20, features: 2, seed: 5 });
    const b = syntheticLinear({ size: 20, features: 2, seed: 5 });
    const c = syntheticLinear({ size: 20, features: 2, seed: 6 });
    expect(Array.from(a.y.data as Float64Array)).toEqual(Array.from(b.y.data as Float64Array));
    expect(Array.from(a.y.data as Float64Array)).not.toEqual(Array.from(c.y.data as Float64Array));
  });

  it("linear, without noise: least squares recovers θ", () => {
    const data = syntheticLinear({ size: 50, features: 3, noise: 0, theta: [1, -2, 0.5, 3], seed: 1 });
    const params = new Float64Array(4);
    minimize({ objective: empiricalRisk(linearRegression(), sumOfSquares(), data), optimizer: new GradientDescent({ lr: 0.003 }), params, steps: 5000 });
    [1, -2, 0.5, 3].forEach((w, i) => expect(params[i]).toBeCloseTo(w, 8));
  });

  it("logistic labels are 0 or 1, more often 1 where the score is large", () => {
    const data = syntheticLogistic({ size: 4000, features: 1, theta: [0, 4], seed: 2 });
    const y = data.y.data as Float64Array;
    expect(y.every((v) => v === 0 || v === 1)).toBe(true);
    let positiveX = 0;
    let agree = 0;
    for (let i = 0; i < data.size; i++) {
      const x = data.X.get(i, 0);
      if (x > 1) {
        positiveX++;
        agree += y[i];
      }
    }
    expect(agree / positiveX).toBeGreaterThan(0.95); // σ(4) ≈ 0.982 and beyond
  });

  it("Gabor data follow the model up to the noise", () => {
    const data = syntheticGabor({ size: 200, noise: 0, theta: [0, 10], seed: 3 });
    for (let i = 0; i < 200; i++) {
      const x = data.X.get(i, 0);
      const z = 0.6 * x;
      expect(data.y.get(i)).toBeCloseTo(Math.sin(z) * Math.exp(-(z * z) / 32), 14);
      expect(x >= -15 && x <= 15).toBe(true);
    }
  });

  it("refuses impossible options", () => {
    expect(() => syntheticLinear({ size: 0 })).toThrow(InvalidOptionError);
    expect(() => syntheticLinear({ size: 10, noise: -1 })).toThrow(InvalidOptionError);
    expect(() => syntheticLinear({ size: 10, features: 2, theta: [1, 2] })).toThrow(InvalidOptionError);
  });
});

describe("standardize", () => {
  it("gives columns mean 0 and deviation 1, and returns what it used", () => {
    const data = dataset([[1, 10, 5], [2, 20, 5], [3, 60, 5], [6, 30, 5]], [0, 1, 2, 3]);
    const { data: z, mean, deviation } = standardize(data);
    expect(Array.from(mean)).toEqual([3, 30, 5]);
    // deviation of [1, 2, 3, 6]: √((4 + 1 + 0 + 9)/4) = √3.5; constant column: 1 (only centred)
    expect(deviation[0]).toBeCloseTo(Math.sqrt(3.5), 15);
    expect(deviation[2]).toBe(1);
    for (let j = 0; j < 3; j++) {
      let sum = 0;
      let squares = 0;
      for (let i = 0; i < 4; i++) {
        sum += z.X.get(i, j);
        squares += z.X.get(i, j) ** 2;
      }
      expect(sum).toBeCloseTo(0, 14);
      expect(squares / 4).toBeCloseTo(j === 2 ? 0 : 1, 14);
    }
    expect(data.X.get(3, 1)).toBe(30); // the input is untouched
  });
});
