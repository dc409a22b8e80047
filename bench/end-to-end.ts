// End to end: logistic regression on 100,000 × 20 synthetic examples, mini-batches of 64, Adam
// (lr 0.01), 5 epochs — through gradstep's own training loop (its batch in one Wasm call, and on the
// JavaScript path as before), a hand-written JavaScript loop doing
// the same arithmetic on the same batches, and TensorFlow.js's CPU backend. The final losses agree
// (to float32's precision for TF.js), which shows the three did the same work.
import * as tf from "@tensorflow/tfjs-core";
import { Adam, backendInfo, setBackend } from "gradstep";
import { binaryCrossEntropy, empiricalRisk, EpochSampler, logisticRegression, minimize, syntheticLogistic } from "gradstep/learn";
import { pytorchAvailable, type PyTorchResult, runPyTorch } from "./pytorch.js";

export interface EndToEndResult {
  name: string;
  seconds: number;
  loss: number;
  note?: string;
}

const N = 100_000;
const D = 20;
const BATCH = 64;
const SEED = 2026;

/**
 * The three JavaScript contenders, and PyTorch (float64, one thread) on the same data and batches
 * when /usr/bin/python3 has torch — which also times its Adam step at `adamSizes`.
 */
export async function endToEnd(quick: boolean, adamSizes: number[], samples: number): Promise<{ results: EndToEndResult[]; pytorch?: PyTorchResult; pytorchNote: string }> {
  const epochs = quick ? 1 : 5;
  const data = syntheticLogistic({ size: N, features: D, seed: SEED });
  const X = data.X.data as Float64Array; // contiguous n × d, as generated
  const y = data.y.data as Float64Array;
  const results: EndToEndResult[] = [];

  // gradstep: the batch in one Wasm call (the Wasm backend), and on the JavaScript path as before it
  // (the objective built on the JS backend: an objective keeps the backend it was built on; Adam on Wasm)
  {
    const objective = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
    const choice = backendInfo().choice;
    setBackend("js");
    const jsObjective = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
    setBackend(choice);
    for (const [name, J] of [["gradstep (minimize)", objective], ["gradstep, batch on the JS path", jsObjective]] as const) {
      const params = new Float64Array(D + 1);
      const start = performance.now();
      const result = minimize({ objective: J, optimizer: new Adam({ lr: 0.01 }), params, sampler: new EpochSampler({ size: N, batchSize: BATCH, seed: SEED }), epochs });
      results.push({ name, seconds: (performance.now() - start) / 1000, loss: result.loss, note: J === jsObjective ? "before the Wasm batch; ratios to C: the C-limit table" : undefined });
    }
  }

  // hand-written: the same batches, gradient and Adam update, inline
  {
    const sampler = new EpochSampler({ size: N, batchSize: BATCH, seed: SEED });
    const rows = new Int32Array(BATCH);
    const p = new Float64Array(D + 1);
    const g = new Float64Array(D + 1);
    const m = new Float64Array(D + 1);
    const v = new Float64Array(D + 1);
    const start = performance.now();
    let t = 0;
    while (sampler.epoch < epochs) {
      const count = sampler.next(rows);
      g.fill(0);
      for (let k = 0; k < count; k++) {
        const base = rows[k] * D;
        let z = p[0];
        for (let j = 0; j < D; j++) z += p[j + 1] * X[base + j];
        const e = Math.exp(-Math.abs(z));
        const w = ((z >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[rows[k]]) / count;
        g[0] += w;
        for (let j = 0; j < D; j++) g[j + 1] += w * X[base + j];
      }
      t++;
      const stepSize = 0.01 / (1 - Math.pow(0.9, t));
      const c = 1 / (1 - Math.pow(0.999, t));
      for (let i = 0; i <= D; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        p[i] -= stepSize * (m[i] / (Math.sqrt(v[i] * c) + 1e-8));
      }
    }
    let loss = 0;
    for (let i = 0; i < N; i++) {
      let z = p[0];
      for (let j = 0; j < D; j++) z += p[j + 1] * X[i * D + j];
      loss += Math.max(z, 0) - y[i] * z + Math.log1p(Math.exp(-Math.abs(z)));
    }
    results.push({ name: "hand-written JavaScript loop", seconds: (performance.now() - start) / 1000, loss: loss / N });
  }

  // TensorFlow.js, CPU backend (float32), the same batches
  {
    const sampler = new EpochSampler({ size: N, batchSize: BATCH, seed: SEED });
    const rows = new Int32Array(BATCH);
    const Xt = tf.tensor2d(Float32Array.from(X), [N, D]);
    const yt = tf.tensor2d(Float32Array.from(y), [N, 1]);
    const w = tf.variable(tf.zeros([D, 1]));
    const b = tf.variable(tf.zeros([1]));
    const optimizer = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    const start = performance.now();
    while (sampler.epoch < epochs) {
      const count = sampler.next(rows);
      // tfjs-core alone registers no gradients (they come with the full @tensorflow/tfjs package),
      // so the logistic gradient is written with TF ops: ∇w = Xᵀ(σ(Xw + b) − y)/B, ∇b = mean(σ − y).
      const index = tf.tensor1d(rows.subarray(0, count), "int32");
      const [gw, gb] = tf.tidy(() => {
        const xb = tf.gather(Xt, index);
        const residual = tf.sub(tf.sigmoid(tf.add(tf.matMul(xb, w), b)), tf.gather(yt, index));
        return [tf.div(tf.matMul(xb, residual, true, false), count), tf.mean(residual, 0)];
      });
      optimizer.applyGradients({ [w.name]: gw, [b.name]: gb });
      tf.dispose([index, gw, gb]);
    }
    const loss = tf.tidy(() => tf.losses.sigmoidCrossEntropy(yt, tf.add(tf.matMul(Xt, w), b)).dataSync()[0]);
    results.push({ name: "TensorFlow.js CPU (float32)", seconds: (performance.now() - start) / 1000, loss, note: "float32" });
    tf.dispose([Xt, yt, w, b]);
    optimizer.dispose();
  }

  if (!pytorchAvailable()) return { results, pytorchNote: "PyTorch skipped: /usr/bin/python3 cannot import torch (apt-get install python3-torch)" };
  const sampler = new EpochSampler({ size: N, batchSize: BATCH, seed: SEED });
  const rows = new Int32Array(BATCH);
  const batches: Int32Array[] = [];
  while (sampler.epoch < epochs) batches.push(rows.slice(0, sampler.next(rows)));
  const pytorch = runPyTorch(adamSizes, samples, X, y, D, batches);
  if (!pytorch) return { results, pytorchNote: "PyTorch failed (see stderr)" };
  results.push({ name: `PyTorch ${pytorch.torch} (float64, 1 thread)`, seconds: pytorch.endToEnd.seconds, loss: pytorch.endToEnd.loss, note: "autograd + torch.optim.Adam" });
  return { results, pytorch, pytorchNote: `PyTorch ${pytorch.torch}, float64, 1 thread` };
}
