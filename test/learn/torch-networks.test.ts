// softmaxRegression and mlp against PyTorch 1.13 in float64 (test/fixtures/torch-networks.json, made
// by scripts/reference/gen_torch_networks.py): F.linear, tanh/relu/sigmoid, F.cross_entropy or
// F.mse_loss, the gradient from autograd, for fixed θ and data (a batch of rows in one case).
// The same formulas in another order of operations agree to rounding: measured ≤ 3e-14 relative per
// component (loss ≤ 2e-16, probabilities ≤ 6e-14), asserted at 1e-12. A gradient component far below
// the gradient's scale is a sum whose terms cancel (p_k·x_j − [k = t]·x_j): its absolute error is
// set by the rounding of those terms, ε·‖g‖∞, so components under 1e-6·‖g‖∞ (two of 7 cases: one of
// 2.9e-36 in the ±800-scores case) are held to 1e-12·‖g‖∞ instead.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dataset, type DenseNetwork, mlp, networkRisk, softmaxRegression, type HiddenLayer } from "gradstep/learn";

interface Case {
  name: string;
  inputs: number;
  hidden: HiddenLayer[];
  output: "softmax" | "regression";
  classes?: number;
  X: number[][];
  y: number[];
  rows: number[] | null;
  reduction: "mean" | "sum";
  theta: number[];
  loss: number;
  grad: number[];
  predictions: number[];
}

const reference = JSON.parse(readFileSync(new URL("../fixtures/torch-networks.json", import.meta.url), "utf8")) as { versions: { torch: string }; cases: Case[] };

function network(c: Case): DenseNetwork {
  if (c.hidden.length === 0 && c.output === "softmax") return softmaxRegression({ inputs: c.inputs, classes: c.classes! });
  return mlp({ inputs: c.inputs, hidden: c.hidden, output: c.output === "softmax" ? { kind: "softmax", classes: c.classes! } : { kind: "regression" } });
}

const TOL = 1e-12;

describe(`dense networks against PyTorch ${reference.versions.torch} (float64)`, () => {
  it("has its seven cases", () => expect(reference.cases.length).toBe(7));

  for (const c of reference.cases) {
    it(c.name, () => {
      const net = network(c);
      const J = networkRisk(net, dataset(c.X, c.y), { reduction: c.reduction });
      const theta = Float64Array.from(c.theta);
      expect(J.dimension).toBe(c.theta.length);
      const grad = new Float64Array(J.dimension);
      const loss = J.evaluate(theta, grad, c.rows === null ? null : Int32Array.from(c.rows));
      expect(Math.abs(loss - c.loss)).toBeLessThanOrEqual(TOL * Math.abs(c.loss));
      const scale = Math.max(...c.grad.map(Math.abs));
      c.grad.forEach((g, i) => {
        const error = Math.abs(grad[i] - g);
        expect(error, `grad[${i}]`).toBeLessThanOrEqual(TOL * (Math.abs(g) >= 1e-6 * scale ? Math.abs(g) : scale));
      });
      const predictions = net.predict(theta, c.X);
      expect(predictions.length).toBe(c.predictions.length);
      c.predictions.forEach((p, i) => expect(Math.abs(predictions[i] - p), `prediction ${i}`).toBeLessThanOrEqual(TOL * Math.abs(p)));
    });
  }

  it("the ±800 case needs the log-sum-exp: its scores overflow e^z", () => {
    const c = reference.cases.find((k) => k.name.includes("800"))!;
    const theta = c.theta;
    const K = c.classes!;
    let largest = 0;
    for (const x of c.X) {
      for (let k = 0; k < K; k++) {
        let z = theta[K * c.inputs + k];
        for (let j = 0; j < c.inputs; j++) z += theta[k * c.inputs + j] * x[j];
        largest = Math.max(largest, Math.abs(z));
      }
    }
    expect(largest).toBeGreaterThan(710); // e^710 = ∞ in float64
    expect(Number.isFinite(c.loss)).toBe(true);
  });
});
