// Issue 17's acceptance run: an MLP on the bundled UCI digits (bench/data/digits.csv), trained with
// Adam on mini-batches and stopped early on a validation set, reaches ≥ 95% accuracy on a held-out
// test set; the run is deterministic (the same bits twice, and on either backend: the same digest),
// and minimizeAsync gives the same parameters.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Adam } from "../../src/index.js";
import { accuracy, csvDataset, EpochSampler, fitStandardizer, minimize, minimizeAsync, mlp, networkRisk, splitDataset } from "../../src/learn.js";

const digits = csvDataset(readFileSync(new URL("../../bench/data/digits.csv", import.meta.url), "utf8"), { target: "digit" });
const { train, validation, test } = splitDataset(digits, { validation: 0.15, test: 0.2, seed: 2026 });
const scaler = fitStandardizer(train); // the training rows' statistics for all three
const [trainSet, validationSet, testSet] = [train, validation!, test!].map((d) => scaler.apply(d));
const net = mlp({ inputs: 64, hidden: [{ units: 32, activation: "tanh" }], output: { kind: "softmax", classes: 10 } });

function options() {
  return {
    objective: networkRisk(net, trainSet),
    optimizer: new Adam({ lr: 3e-3 }),
    params: net.initialize(7),
    sampler: new EpochSampler({ size: trainSet.size, batchSize: 32, seed: 11 }),
    epochs: 60,
    validation: { objective: networkRisk(net, validationSet), patience: 5, minDelta: 1e-4 },
  };
}

const digest = (theta: Float64Array) => createHash("sha256").update(new Uint8Array(theta.buffer, theta.byteOffset, theta.byteLength)).digest("hex").slice(0, 16);

describe("an MLP on the UCI digits", () => {
  it("reaches ≥ 95% test accuracy with early stopping, deterministically, and minimizeAsync gives the same bits", async () => {
    const a = options();
    const result = minimize(a);
    expect(result.reason).toBe("earlyStopping");
    const testAccuracy = accuracy(testSet.y, net.classify(a.params, testSet.X));
    expect(testAccuracy).toBeGreaterThanOrEqual(0.95);
    const b = options();
    minimize(b);
    expect(digest(b.params)).toBe(digest(a.params));
    const c = options();
    const later = await minimizeAsync({ ...c, sliceMs: 20 });
    expect(digest(c.params)).toBe(digest(a.params));
    expect(later.validation!.bestStep).toBe(result.validation!.bestStep);
    // The same on the JavaScript kernels and on Wasm (CI runs the suite on both): one digest.
    expect({ epochs: result.epochs, bestStep: result.validation!.bestStep, testAccuracy, theta: digest(a.params) }).toMatchInlineSnapshot(`
      {
        "bestStep": 1073,
        "epochs": 34,
        "testAccuracy": 0.9637883008356546,
        "theta": "b3453e65cec4f864",
      }
    `);
  }, 120_000);
});
