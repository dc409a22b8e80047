// Softmax regression with an L2 penalty on W, and the metrics, against scikit-learn 1.2.1
// (test/fixtures/sklearn-softmax.json, made by scripts/reference/gen_sklearn_softmax.py).
// LogisticRegression(multi_class="multinomial", C) minimises Σₖ CEₖ + ‖W‖²/(2C), the intercepts
// unpenalised; divided by C·N that is
//   penalized(networkRisk(softmaxRegression({ inputs: d, classes: K }), data), { l2: 1/(C·N), mask: weightMask() }).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { accuracy, dataset, logLoss, meanSquaredErrorOf, networkRisk, penalized, rSquared, softmaxRegression, solve } from "gradstep/learn";

interface Case {
  name: string;
  C: number;
  lambda: number;
  classes: number;
  X: number[][];
  y: number[];
  sklearn: { theta: number[]; objective: number; n_iter: number; grad_norm: number };
}
interface Metrics {
  labels: number[];
  predicted: number[];
  probabilities: number[];
  targets: number[];
  predictions: number[];
  accuracy: number;
  log_loss: number;
  r2: number;
  mse: number;
}

const reference = JSON.parse(readFileSync(new URL("../fixtures/sklearn-softmax.json", import.meta.url), "utf8")) as { versions: { sklearn: string }; cases: Case[]; metrics: Metrics };

describe(`softmax regression with an L2 penalty, as scikit-learn ${reference.versions.sklearn} fits it`, () => {
  it("has its three cases", () => expect(reference.cases.length).toBe(3));

  for (const c of reference.cases) {
    it(c.name, () => {
      const data = dataset(c.X, c.y);
      const model = softmaxRegression({ inputs: data.features, classes: c.classes });
      expect(c.lambda).toBe(1 / (c.C * data.size));
      const F = penalized(networkRisk(model, data), { l2: c.lambda, mask: model.weightMask() });
      // gradstep's F at sklearn's solution is numpy's, to rounding (measured: 0, 4e-16, 2e-16 relative)
      const atSklearn = F.evaluate(Float64Array.from(c.sklearn.theta), null);
      expect(Math.abs(atSklearn - c.sklearn.objective)).toBeLessThanOrEqual(1e-14 * c.sklearn.objective);
      // minimised from θ = 0 by solve's L-BFGS to a tight tolerance: no worse than sklearn's
      // (stopped at ‖∇F‖ of 2e-6–3e-5, so F above the minimum by ≈ ‖∇F‖²/μ); measured: sklearn's F
      // above ours by 9e-10, 4e-10, 3e-9 relative (ours: max|∂F| ≤ 2.5e-9, 22–87 evaluations)
      const solved = solve({ objective: F, params: new Float64Array(F.dimension), method: "lbfgs", gradientTolerance: 1e-10, relativeChange: 0 });
      expect(solved.value).toBeLessThanOrEqual(c.sklearn.objective + 1e-15);
      expect((c.sklearn.objective - solved.value) / c.sklearn.objective).toBeLessThanOrEqual(1e-8);
      expect(solved.evaluations).toBeLessThan(500);
      // the fitted model's training accuracy equals sklearn's coefficients' (same argmax on every row)
      const ours = model.classify(solved.params, data.X);
      const theirs = model.classify(Float64Array.from(c.sklearn.theta), data.X);
      expect(accuracy(ours, theirs)).toBe(1);
    });
  }
});

describe(`metrics, as scikit-learn ${reference.versions.sklearn} computes them`, () => {
  const m = reference.metrics;
  // sums of 40 terms in another order: equal to a few ulps
  it("accuracy_score", () => expect(accuracy(m.labels, m.predicted)).toBe(m.accuracy));
  it("log_loss", () => expect(Math.abs(logLoss(m.labels, m.probabilities) - m.log_loss)).toBeLessThanOrEqual(1e-14 * m.log_loss));
  it("r2_score", () => expect(Math.abs(rSquared(m.targets, m.predictions) - m.r2)).toBeLessThanOrEqual(1e-14));
  it("mean_squared_error", () => expect(Math.abs(meanSquaredErrorOf(m.targets, m.predictions) - m.mse)).toBeLessThanOrEqual(1e-14 * m.mse));
});
