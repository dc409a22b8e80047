// UDL chapter 6 notebooks (test/fixtures/udlbook-ch6.json, MIT; see its provenance), number for number.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Adam, GradientDescent, Momentum, Nesterov, NormalizedGradient, type Optimizer } from "gradstep";
import {
  anisotropicValley,
  empiricalRisk,
  gaborModel,
  linearRegression,
  minimize,
  type Objective,
  ReplaySampler,
  sumOfSquares,
  udlGaborData,
  udlLinearData,
} from "gradstep/learn";

const book = JSON.parse(readFileSync(new URL("../fixtures/udlbook-ch6.json", import.meta.url), "utf8"));
const nb62 = book["6_2_gradient_descent"];
const nb63 = book["6_3_stochastic_gradient_descent"];
const nb64 = book["6_4_momentum"];
const nb65 = book["6_5_adam"];

/** Largest |a − b| / max(|b|, 1) over two paths of points. */
function pathError(actual: number[][], expected: number[][]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  actual.forEach((p, t) => p.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - expected[t][i]) / Math.max(Math.abs(expected[t][i]), 1)))));
  return worst;
}

describe("the notebooks' data and losses", () => {
  it("6.2: J(0.6, −0.2) = 12.367 and its gradient", () => {
    const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
    const grad = new Float64Array(2);
    expect(J.evaluate(Float64Array.of(0.6, -0.2), grad)).toBeCloseTo(nb62.computed["loss_at_(0.6,-0.2)"], 12);
    expect(Number(J.evaluate(Float64Array.of(0.6, -0.2), null).toFixed(3))).toBe(nb62.expected_values_in_notebook["loss_at_phi_(0.6,-0.2)"]);
    nb62.computed["gradient_at_(0.6,-0.2)"].forEach((g: number, i: number) => expect(grad[i]).toBeCloseTo(g, 11));
    expect(J.evaluate(Float64Array.from(nb62.computed.least_squares_optimum.phi), null)).toBeCloseTo(nb62.computed.least_squares_optimum.loss, 13);
  });

  it("6.3: the Gabor loss at (0.6, −0.2) and (−5, 25), and the gradient there", () => {
    const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
    const grad = new Float64Array(2);
    expect(Number(J.evaluate(Float64Array.of(0.6, -0.2), null).toFixed(3))).toBe(nb63.expected_values_in_notebook["loss_at_phi_(0.6,-0.2)"]);
    expect(J.evaluate(Float64Array.of(0.6, -0.2), null)).toBeCloseTo(nb63.computed["loss_at_(0.6,-0.2)"], 12);
    expect(J.evaluate(Float64Array.of(-5, 25), grad)).toBeCloseTo(nb63.computed["loss_at_(-5,25)"], 12);
    nb63.computed["gradient_at_(-5,25)"].forEach((g: number, i: number) => expect(grad[i]).toBeCloseTo(g, 12));
  });
});

function run(objective: Objective, optimizer: Optimizer, start: number[], steps: number, batches?: number[][]) {
  return minimize({
    objective,
    optimizer,
    params: Float64Array.from(start),
    steps,
    sampler: batches ? new ReplaySampler(batches, { size: objective.examples! }) : undefined,
    record: {},
  });
}

describe("the notebooks' runs", () => {
  const gabor = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());

  it("6.3: full-batch gradient descent, α = 0.2, 21 steps", () => {
    const { start, n_steps, alpha } = nb63.runs.gd_fixed_lr;
    const result = run(gabor, new GradientDescent({ lr: alpha }), start, n_steps);
    expect(pathError(result.path!, nb63.computed.gd_fixed_lr.path)).toBeLessThan(1e-12);
    result.losses!.forEach((l, t) => expect(l).toBeCloseTo(nb63.computed.gd_fixed_lr.loss[t], 11));
  });

  it("6.3: SGD on the recorded batches of 5, α = 0.8, 41 steps: it crosses into the global minimum's valley", () => {
    const { start, n_steps, alpha } = nb63.runs.sgd;
    const result = run(gabor, new GradientDescent({ lr: alpha }), start, n_steps, nb63.computed.sgd.batches);
    expect(pathError(result.path!, nb63.computed.sgd.path)).toBeLessThan(1e-11);
    expect(result.loss).toBeCloseTo(nb63.computed.sgd.loss[n_steps], 10);
  });

  describe("6.4: SGD, momentum and both Nesterov forms on the same 81 batches, α = 0.6, β = 0.6", () => {
    const { start, n_steps, alpha } = nb64.runs.common;
    const beta = nb64.runs.momentum.beta;
    const cases: [string, () => Optimizer, string][] = [
      ["SGD", () => new GradientDescent({ lr: alpha }), "sgd"],
      ["momentum (eq. 6.11)", () => new Momentum({ lr: alpha, beta }), "momentum"],
      ["Nesterov, the book's look-ahead θ − α·β·m (eq. 6.12)", () => new Nesterov({ lr: alpha, beta, lookAhead: "udl" }), "nesterov_book_form"],
      ["Nesterov, the lecture's look-ahead θ − α·m", () => new Nesterov({ lr: alpha, beta, lookAhead: "lecture" }), "nesterov_lookahead_phi_minus_alpha_m"],
    ];
    it.each(cases)("%s", (_name, make, key) => {
      const result = run(gabor, make(), start, n_steps, nb64.computed.batches);
      expect(pathError(result.path!, nb64.computed[key].path)).toBeLessThan(1e-10);
      if (nb64.computed[key].final_loss !== undefined) expect(result.loss).toBeCloseTo(nb64.computed[key].final_loss, 9);
    });
  });

  describe("6.5: the anisotropic valley, with the notebook's central-difference gradients", () => {
    // The notebook differentiates numerically, (L(φ + δ/2·e_k) − L(φ − δ/2·e_k))/δ with δ = 1e-5, of
    // the loss written as 1 − exp(−0.5·4·φ1²)·exp(−0.5·(φ0 − 0.7)²/4); GD with α = 1 amplifies the
    // last bits of that expression, so it is written here exactly as the notebook writes it.
    const valley = anisotropicValley();
    const notebookLoss = (p: Float64Array) => 1 - Math.exp(-0.5 * 4.0 * (p[1] * p[1])) * Math.exp((-0.5 * ((p[0] - 0.7) * (p[0] - 0.7))) / 4.0);
    const numeric: Objective = {
      dimension: 2,
      evaluate(theta, grad) {
        if (grad) {
          const p = Float64Array.from(theta);
          for (let k = 0; k < 2; k++) {
            p[k] = theta[k] + 1e-5 / 2;
            const up = notebookLoss(p);
            p[k] = theta[k] - 1e-5 / 2;
            const down = notebookLoss(p);
            p[k] = theta[k];
            grad[k] = (up - down) / 1e-5;
          }
        }
        return valley.evaluate(theta, null);
      },
    };
    const start = nb65.start;
    const runs: [string, () => Optimizer, number, string, number][] = [
      ["GD α = 0.08, 200 steps", () => new GradientDescent({ lr: 0.08 }), 200, "gd_small_lr", 1e-10],
      // This run amplifies one-ulp differences (the file's note: "φ1 oscillates … and is sensitive";
      // V8's Math.exp and numpy's exp may round differently), so its tolerance is the note's ~5e-5.
      ["GD α = 1, 40 steps (oscillates in φ1)", () => new GradientDescent({ lr: 1 }), 40, "gd_large_lr", 5e-5],
      ["normalized gradients α = 0.08, ε = 1e-20", () => new NormalizedGradient({ lr: 0.08, eps: 1e-20 }), 40, "normalized_gradients", 1e-12],
      ["Adam α = 0.05, β = 0.9, γ = 0.99, ε = 1e-20 (the book's ε outside)", () => new Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-20 }), 60, "adam", 1e-10],
    ];
    it.each(runs)("%s", (_name, make, steps, key, tolerance) => {
      const result = run(numeric, make(), start, steps);
      expect(pathError(result.path!, nb65.computed[key].path)).toBeLessThan(tolerance);
      expect(Math.abs(result.loss - Number(nb65.computed.final_losses[key]))).toBeLessThan(tolerance);
    });

    it("with analytic gradients, the same paths up to the notebook's own stated sensitivity", () => {
      const result = run(valley, new GradientDescent({ lr: 1 }), start, 40);
      expect(pathError(result.path!, nb65.computed.gd_large_lr.path)).toBeLessThan(2e-4); // "moves the final point by ~5e-5"
    });
  });
});
