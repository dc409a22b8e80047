import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "gradstep";
import {
  armijoBacktracking,
  bracketingLineSearch,
  dataset,
  empiricalRisk,
  gaborModel,
  gridSearch,
  landscape,
  linearRegression,
  lineSearchDescent,
  meanSquaredError,
  sigmoidRegression,
  sumOfSquares,
  udlGaborData,
  udlLinearData,
} from "gradstep/learn";

const book = JSON.parse(readFileSync(new URL("../fixtures/udlbook-ch6.json", import.meta.url), "utf8"));

describe("the bracketing line search of notebooks 6.1–6.3", () => {
  it("6.1: returns 0.383 after 10 iterations", () => {
    const L = (phi: number) => 1 - 0.5 * Math.exp(-((phi - 0.65) ** 2) / 0.1) - 0.45 * Math.exp(-((phi - 0.35) ** 2) / 0.02);
    const result = bracketingLineSearch(L, { maxDistance: 1, threshold: 1e-4, maxIterations: 10 });
    expect(result.iterations).toBe(10);
    expect(Number(result.step.toFixed(3))).toBe(0.383);
    expect(result.step).toBeCloseTo(book["6_1_line_search"].computed.soln, 14);
    const uncapped = bracketingLineSearch(L, { maxDistance: 1, threshold: 1e-4, maxIterations: 1000 });
    expect(uncapped.iterations).toBe(book["6_1_line_search"].computed.same_search_without_iteration_cap.iterations);
  });

  it.each([
    ["6.2, max distance 0.1", "6_2_gradient_descent", "gd_line_search_max_dist_0.1", 0.1, 1e-5, 15, [1.6, -0.5]],
    ["6.2, max distance 2", "6_2_gradient_descent", "gd_line_search_max_dist_2.0", 2, 1e-5, 15, [1.6, -0.5]],
    ["6.3, the Gabor model", "6_3_stochastic_gradient_descent", "gd_line_search", 2, 1e-5, 15, [-1.5, 8.5]],
  ] as const)("%s: the notebook's path and step lengths", (_name, nb, key, maxDistance, threshold, maxIterations, start) => {
    const data = nb === "6_2_gradient_descent" ? udlLinearData() : udlGaborData();
    const model = nb === "6_2_gradient_descent" ? linearRegression() : gaborModel();
    const expected = book[nb].computed[key];
    const run = lineSearchDescent({
      objective: empiricalRisk(model, sumOfSquares(), data),
      params: Float64Array.from(start),
      steps: expected.path.length - 1,
      search: { kind: "bracketing", maxDistance, threshold, maxIterations },
    });
    run.path.forEach((p, t) => p.forEach((v, i) => expect(v).toBeCloseTo(expected.path[t][i], 11)));
    run.steps.forEach((s, t) => expect(s).toBeCloseTo(expected.alphas[t], 11));
    run.losses.forEach((l, t) => expect(l).toBeCloseTo(expected.loss[t], 10));
  });
});

describe("lineSearchDescent, where the search picks a step into NaN", () => {
  it("does not take it: θ stays at the last finite point, and the run says why it stopped", () => {
    // J(x) = x² + ln x from x = 3: the bracketing search over [0, 2] compares J at x − s·J'(x) < 0 (NaN)
    const J = {
      dimension: 1,
      evaluate(x: Float64Array, g: Float64Array | null) {
        if (g) g[0] = 2 * x[0] + 1 / x[0];
        return x[0] * x[0] + Math.log(x[0]);
      },
    };
    const params = Float64Array.of(3);
    const run = lineSearchDescent({ objective: J, params, steps: 5, search: { kind: "bracketing" } });
    expect(run.reason).toBe("nonFinite");
    expect(params[0]).toBe(3);
    expect(run.losses).toEqual([9 + Math.log(3)]);
    expect(run.path).toEqual([[3]]);
    const fine = lineSearchDescent({ objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()), params: Float64Array.of(1.6, -0.5), steps: 3, search: { kind: "armijo" } });
    expect(fine.reason).toBe("steps");
  });
});

describe("Armijo backtracking", () => {
  it("halves until the decrease is sufficient", () => {
    // L(s) = (1 − 4s)², L(0) = 1, L'(0) = −8: s = 1 gives 9, 0.5 gives 1, 0.25 gives 0 ≤ 1 − 1e-4·0.25·8
    expect(armijoBacktracking((s) => (1 - 4 * s) ** 2, 1, -8)).toEqual({ step: 0.25, satisfied: true, iterations: 3, evaluations: 3 });
  });

  it("drives full-batch descent to the least-squares solution", () => {
    const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
    const params = Float64Array.of(1.6, -0.5);
    lineSearchDescent({ objective: J, params, steps: 200, search: { kind: "armijo" } });
    const best = book["6_2_gradient_descent"].computed.least_squares_optimum.phi;
    expect(params[0]).toBeCloseTo(best[0], 8);
    expect(params[1]).toBeCloseTo(best[1], 8);
  });

  it("refuses an ascent direction", () => {
    expect(() => armijoBacktracking((s) => s, 0, 1)).toThrow(InvalidOptionError);
  });
});

describe("brute force (SPEC §2)", () => {
  // Sigmoid regression data made from w = 2, b = −1, no noise: the grid must find (b, w) = (−1, 2).
  const xs = Array.from({ length: 21 }, (_, i) => -2 + i * 0.2);
  const data = dataset(xs.map((x) => [x]), xs.map((x) => 1 / (1 + Math.exp(-(2 * x - 1)))));
  const L = empiricalRisk(sigmoidRegression(), meanSquaredError(), data);

  it("finds the argmin on the grid and reports (points per axis)^(parameters) evaluations", () => {
    const axis = { from: -4, to: 4, points: 81 };
    const result = gridSearch(L, [axis, axis]);
    expect(result.evaluations).toBe(81 ** 2);
    expect(result.argmin[0]).toBeCloseTo(-1, 12);
    expect(result.argmin[1]).toBeCloseTo(2, 12);
    expect(result.min).toBeLessThan(1e-28);
  });

  it("a loss landscape over a 2-D slice, row = y, column = x", () => {
    const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
    const land = landscape(J, { x: { from: -10, to: 9.9, points: 200 }, y: { from: 2.5, to: 22.4, points: 200 } });
    expect(land.values.shape).toEqual([200, 200]);
    expect(land.evaluations).toBe(40000);
    expect(land.values.get(35, 100)).toBe(J.evaluate(Float64Array.of(land.x[100], land.y[35]), null));
    expect(land.x[1]).toBeCloseTo(-9.9, 12);
  });

  it.each([
    [[{ from: 0, to: 1, points: 1 }, { from: 0, to: 1, points: 5 }], "axes[0].points"],
    [[{ from: 1, to: 0, points: 5 }, { from: 0, to: 1, points: 5 }], "axes[0].to"],
    [[{ from: 0, to: 1, points: 5 }], "axes"],
  ])("refuses %j", (axes, argument) => {
    try {
      gridSearch(L, axes);
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidOptionError).argument).toBe(argument);
    }
  });
});
