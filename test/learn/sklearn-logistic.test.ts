// L2-penalised logistic regression against scikit-learn 1.2.1 (test/fixtures/sklearn-logistic.json,
// made by scripts/reference/gen_sklearn_logistic.py). sklearn's LogisticRegression(C, solver "lbfgs")
// minimises Σₖ ℓₖ + ‖w‖²/(2C); divided by C·N that is gradstep's
//   penalized(empiricalRisk(logisticRegression(), binaryCrossEntropy(), data), { l2: 1/(C·N), mask: "exceptIntercept" }).
// The generator also polishes sklearn's solution with Newton's method to the exact minimiser θ*
// (gradient max-norm ≤ 1e-16) and gives μ, the Hessian's smallest eigenvalue there: F is μ-strongly
// convex near θ*, so ‖θ − θ*‖₂ ≤ ‖∇F(θ)‖₂/μ (to first order) — the coefficient tolerances below,
// with a factor 2 for μ being θ*'s. Where μ is small (≈ λ: make_classification's redundant
// features are nearly collinear), F resolves θ only to about √(2·δF/μ), δF ≈ 1e-14 the rounding of
// a mean over 600 examples: L-BFGS then stops on an unresolvable step (max|∂F| ≈ 6e-9, ‖θ − θ*‖ ≈ 4e-6),
// as sklearn (‖θ − θ*‖ ≈ 5e-6) does. So the gradient is not asserted below 1e-10 but the distance is bounded.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { LBFGS } from "gradstep";
import { binaryCrossEntropy, dataset, empiricalRisk, logisticRegression, type Objective, penalized, solve } from "gradstep/learn";

interface Case {
  name: string;
  C: number;
  lambda: number;
  X: number[][];
  y: number[];
  sklearn: { theta: number[]; objective: number; n_iter: number; grad_norm: number };
  newton: { theta: number[]; objective: number; grad_max: number; hessian_min_eigenvalue: number };
}

const reference = JSON.parse(readFileSync(new URL("../fixtures/sklearn-logistic.json", import.meta.url), "utf8")) as { versions: { sklearn: string }; cases: Case[] };

/** Minimises `objective` from θ = 0 with L-BFGS (strong Wolfe), to max|∂F/∂θᵢ| ≤ 1e-10. (To become solve({ method: "lbfgs" }).) */
function fit(objective: Objective): { theta: Float64Array; evaluations: number; iterations: number; stopReason: string | undefined } {
  const theta = new Float64Array(objective.dimension);
  const opt = new LBFGS({ lineSearchFn: "strong_wolfe", maxIter: 10_000, maxEval: 20_000, toleranceGrad: 1e-10, toleranceChange: 0 });
  opt.step(theta, objective);
  return { theta, evaluations: opt.funcEvals, iterations: opt.nIter, stopReason: opt.stopReason };
}

const distance = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.hypot(...Array.from(a, (v, i) => v - b[i]));

describe(`logistic regression with an L2 penalty, as scikit-learn ${reference.versions.sklearn} fits it`, () => {
  it("has its three cases", () => expect(reference.cases.length).toBe(3));

  for (const c of reference.cases) {
    it(c.name, () => {
      const data = dataset(c.X, c.y);
      expect(c.lambda).toBe(1 / (c.C * data.size));
      const F = penalized(empiricalRisk(logisticRegression(), binaryCrossEntropy(), data), { l2: 1 / (c.C * data.size), mask: "exceptIntercept" });
      // gradstep's F at sklearn's solution is numpy's, to rounding
      expect(F.evaluate(Float64Array.from(c.sklearn.theta), null)).toBeCloseTo(c.sklearn.objective, 14);

      const { theta, evaluations, stopReason } = fit(F);
      expect(["gradientTolerance", "stepTolerance"]).toContain(stopReason);
      const grad = new Float64Array(F.dimension);
      const value = F.evaluate(theta, grad);
      const gradNorm = Math.hypot(...grad);
      // the objective: no worse than sklearn's (which stops on scipy's ftol), within 1e-8 of it, and
      // at the exact minimum to F's rounding (measured: 3e-14, 4e-16, 6e-16 relative)
      expect(value).toBeLessThanOrEqual(c.sklearn.objective);
      expect(Math.abs(value - c.sklearn.objective) / c.sklearn.objective).toBeLessThanOrEqual(1e-8);
      expect(Math.abs(value - c.newton.objective) / c.newton.objective).toBeLessThanOrEqual(1e-13);
      // the coefficients: within the strong-convexity bound of θ*, and of sklearn's by sklearn's own bound
      const mu = c.newton.hessian_min_eigenvalue;
      expect(distance(theta, c.newton.theta)).toBeLessThanOrEqual((2 * gradNorm) / mu + 1e-12);
      expect(distance(theta, c.sklearn.theta)).toBeLessThanOrEqual((2 * (gradNorm + c.sklearn.grad_norm)) / mu);
      expect(evaluations).toBeLessThan(200); // measured: 29, 21, 74 (sklearn's n_iter: 12, 12, 34, to its looser stop)

      // solve's "lbfgs" (scipy's L-BFGS-B, as sklearn runs it) at a tight tolerance: the same objective
      const solved = solve({ objective: F, params: new Float64Array(F.dimension), method: "lbfgs", gradientTolerance: 1e-10, relativeChange: 0 });
      expect(solved.value).toBeLessThanOrEqual(c.sklearn.objective);
      expect(Math.abs(solved.value - c.newton.objective) / c.newton.objective).toBeLessThanOrEqual(1e-13);
      expect(solved.evaluations).toBeLessThan(200);
    });
  }
});
