// The strong-Wolfe line search on its own (LBFGS's parity cases check it against PyTorch's
// _strong_wolfe, evaluation for evaluation): the cubic's closed form, the conditions it promises,
// its evaluation count, its stop reasons, and its checks.
import { describe, expect, it } from "vitest";
import { InvalidOptionError, ShapeMismatchError } from "gradstep";
import { cubicInterpolate, illConditionedQuadratic, type Objective, rosenbrock, StrongWolfeSearch } from "gradstep/learn";

/** `base`, counting its evaluations, with `bad` returned where x₀ > limit. */
function counted(base: Objective, limit = Infinity, bad = NaN): Objective & { calls: number } {
  return {
    dimension: base.dimension,
    calls: 0,
    evaluate(theta, grad) {
      this.calls++;
      const value = base.evaluate(theta, grad);
      if (theta[0] > limit) {
        if (grad) grad.fill(bad);
        return bad;
      }
      return value;
    },
  };
}

describe("cubicInterpolate", () => {
  it("finds the minimiser of a cubic from two values and slopes", () => {
    // f(x) = x³ − 3x: f(0) = 0, f'(0) = −3; f(2) = 2, f'(2) = 9; local minimum at x = 1
    expect(cubicInterpolate(0, 0, -3, 2, 2, 9, 0, 2)).toBeCloseTo(1, 14);
    // the same, points given in the other order
    expect(cubicInterpolate(2, 2, 9, 0, 0, -3, 0, 2)).toBeCloseTo(1, 14);
    // f(x) = (x − 1)², a quadratic is a cubic too: f(0) = 1, f'(0) = −2; f(3) = 4, f'(3) = 4
    expect(cubicInterpolate(0, 1, -2, 3, 4, 4, 0, 3)).toBe(1);
  });

  it("clamps to the bounds, and takes their midpoint where the cubic has no minimiser", () => {
    expect(cubicInterpolate(0, 0, -3, 2, 2, 9, 1.5, 2)).toBe(1.5);
    expect(cubicInterpolate(0, 0, -3, 2, 2, 9, 0, 0.5)).toBe(0.5);
    // d₁ = 1 + 1 − 3·(0 − 0.9)/(0 − 1) = −0.7, d₁² − g₁g₂ = 0.49 − 1 < 0
    expect(cubicInterpolate(0, 0, 1, 1, 0.9, 1, 0, 1)).toBe(0.5);
  });
});

describe("StrongWolfeSearch", () => {
  const c1 = 1e-4;
  const c2 = 0.9;

  it.each([
    ["Rosenbrock, steepest descent from (−1.2, 1)", rosenbrock(), [-1.2, 1], 1e-3],
    ["Rosenbrock, a long first step", rosenbrock(), [-1.2, 1], 1],
    ["an ill-conditioned quadratic", illConditionedQuadratic(1e4, 5), [1, 1, 1, 1, 1], 1],
    ["an ill-conditioned quadratic, a tiny first step", illConditionedQuadratic(1e4, 5), [1, 1, 1, 1, 1], 1e-8],
  ] as const)("%s: the step meets both strong Wolfe conditions; value, gradient and count are right", (_name, f, start, t0) => {
    const n = f.dimension;
    const x = Float64Array.from(start);
    const g = new Float64Array(n);
    const value = f.evaluate(x, g);
    const d = g.map((v) => -v);
    const slope = -g.reduce((s, v) => s + v * v, 0);
    const objective = counted(f);
    const search = new StrongWolfeSearch(n).search(objective, x, d, value, g, slope, t0);
    expect(search.status).toBe("wolfe");
    expect(search.evaluations).toBe(objective.calls);
    const at = x.map((v, i) => v + search.step * d[i]);
    const gAt = new Float64Array(n);
    const valueAt = f.evaluate(at, gAt);
    expect(search.value).toBeCloseTo(valueAt, 12);
    for (let i = 0; i < n; i++) expect(search.grad[i]).toBeCloseTo(gAt[i], 10);
    expect(valueAt).toBeLessThanOrEqual(value + c1 * search.step * slope); // sufficient decrease
    const slopeAt = gAt.reduce((s, v, i) => s + v * d[i], 0);
    expect(Math.abs(slopeAt)).toBeLessThanOrEqual(-c2 * slope); // curvature
    expect(Array.from(x)).toEqual(Array.from(start)); // x is only read
  });

  it("stops on a NaN with status nonFinite and the best step it had accepted (never NaN)", () => {
    // along −∇f from (−1.2, 1) on Rosenbrock, a NaN wall at x₀ > −1.0
    const f = rosenbrock();
    const x = Float64Array.of(-1.2, 1);
    const g = new Float64Array(2);
    const value = f.evaluate(x, g);
    const d = g.map((v) => -v);
    const slope = -(g[0] * g[0] + g[1] * g[1]);
    const search = new StrongWolfeSearch(2).search(counted(f, -1.0), x, d, value, g, slope, 1);
    expect(search.status).toBe("nonFinite");
    for (const v of [search.step, search.value, ...search.grad]) expect(Number.isFinite(v)).toBe(true);
    expect(search.value).toBeLessThanOrEqual(value);
  });

  it("backs off from +∞ (PyTorch's branch), and reports an exhausted budget or a tiny bracket", () => {
    const f = illConditionedQuadratic(10, 2);
    const x = Float64Array.of(1, 1);
    const g = new Float64Array(2);
    const value = f.evaluate(x, g);
    const d = g.map((v) => -v);
    const slope = -(g[0] * g[0] + g[1] * g[1]);
    // +∞ where |x₀| > 3: the first trial, t = 10 along −∇f = (−1, −10), lands at (−9, −99)
    const walled: Objective = { dimension: 2, evaluate: (t, gr) => (Math.abs(t[0]) > 3 ? (gr?.fill(Infinity), Infinity) : f.evaluate(t, gr)) };
    const backedOff = new StrongWolfeSearch(2).search(walled, x, d, value, g, slope, 10);
    expect(backedOff.status).toBe("wolfe");
    expect(Number.isFinite(backedOff.value)).toBe(true);
    const none = new StrongWolfeSearch(2).search(counted(f), x, d, value, g, slope, 10, { maxIterations: 0 });
    expect([none.status, none.evaluations, none.step]).toEqual(["maxIterations", 1, 0]); // PyTorch's bracket [0, t]: its low end
    const coarse = new StrongWolfeSearch(2).search(counted(f), x, d, value, g, slope, 10, { toleranceChange: 1e6 });
    expect(coarse.status).toBe("bracketTooSmall");
  });

  it("refuses bad options and vectors with typed errors", () => {
    const s = new StrongWolfeSearch(2);
    const f = rosenbrock();
    const v = Float64Array.of(1, 1);
    const d = Float64Array.of(-1, 0);
    expect(() => s.search(f, v, d, 1, v, -1, 1, { c1: 0 })).toThrow(InvalidOptionError);
    expect(() => s.search(f, v, d, 1, v, -1, 1, { c2: 1e-5 })).toThrow(/c2/);
    expect(() => s.search(f, v, d, 1, v, 1, 1)).toThrow(/slope/);
    expect(() => s.search(f, v, d, 1, v, -1, 0)).toThrow(/step/);
    expect(() => s.search(f, v, d, NaN, v, -1, 1)).toThrow(/value/);
    expect(() => s.search(f, new Float64Array(3), d, 1, v, -1, 1)).toThrow(ShapeMismatchError);
    expect(() => new StrongWolfeSearch(-1)).toThrow(InvalidOptionError);
  });
});
