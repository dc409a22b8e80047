// The metrics on cases worked by hand (scikit-learn's values: test/learn/sklearn-softmax.test.ts).
import ndarray from "ndarray";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "gradstep";
import { accuracy, dataset, logLoss, meanSquaredErrorOf, rSquared } from "gradstep/learn";

describe("metrics", () => {
  it("accuracy: the fraction equal; a dataset's y (a strided ndarray) works", () => {
    expect(accuracy([0, 1, 2, 1], [0, 2, 2, 1])).toBe(0.75);
    const y = ndarray(Float64Array.of(1, 9, 0, 9, 2, 9), [3], [2]);
    expect(accuracy(y, Int32Array.of(1, 0, 0))).toBe(2 / 3);
    expect(accuracy(dataset([[0], [1]], [1, 0]).y, [1, 0])).toBe(1);
  });

  it("logLoss: −mean log p of the true class; ∞ for a probability 0", () => {
    expect(logLoss([0, 1], [0.9, 0.1, 0.2, 0.8])).toBeCloseTo(-(Math.log(0.9) + Math.log(0.8)) / 2, 15);
    expect(logLoss([2], [0.25, 0.25, 0.5])).toBe(Math.LN2);
    expect(logLoss([0], [0, 1])).toBe(Infinity);
  });

  it("meanSquaredErrorOf and rSquared", () => {
    expect(meanSquaredErrorOf([1, 2, 3], [1, 2, 5])).toBe(4 / 3);
    expect(rSquared([1, 2, 3], [1, 2, 3])).toBe(1);
    expect(rSquared([1, 2, 3], [2, 2, 2])).toBe(0);
    expect(rSquared([1, 2, 3], [3, 2, 1])).toBe(-3); // 1 − 8/2
    // constant targets: 1 for a perfect fit, 0 otherwise (as scikit-learn)
    expect(rSquared([4, 4], [4, 4])).toBe(1);
    expect(rSquared([4, 4], [4, 5])).toBe(0);
  });

  it("refuses mismatched lengths, empty input and bad labels, naming them", () => {
    const argument = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return [(e as InvalidOptionError).constructor, (e as InvalidOptionError).argument];
      }
      return undefined;
    };
    expect(argument(() => accuracy([0, 1], [0]))).toEqual([ShapeMismatchError, "predicted"]);
    expect(argument(() => accuracy([], []))).toEqual([ShapeMismatchError, "labels"]);
    expect(argument(() => logLoss([0, 1], [0.5, 0.5, 1]))).toEqual([ShapeMismatchError, "probabilities"]);
    expect(argument(() => logLoss([0, 3], [0.5, 0.5, 0.5, 0.5]))).toEqual([InvalidOptionError, "labels[1]"]);
    expect(argument(() => rSquared([1, 2], [1, 2, 3]))).toEqual([ShapeMismatchError, "predictions"]);
    expect(argument(() => meanSquaredErrorOf(ndarray(new Float64Array(4), [2, 2]), [1, 2]))).toEqual([ShapeMismatchError, "targets"]);
  });
});
