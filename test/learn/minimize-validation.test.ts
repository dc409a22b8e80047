// minimize's validation (early stopping, best θ restored), checkpoints, and minimizeAsync: each
// checked against the same run replayed without the feature (the recorded path, evaluated here).
import { describe, expect, it } from "vitest";
import { Adam } from "../../src/index.js";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { dataset, empiricalRisk, EpochSampler, linearRegression, minimize, minimizeAsync, sumOfSquares, type TrainingState } from "../../src/learn.js";

// y = 1 + Σ w_j x_j + noise over 8 features: 10 training rows (an over-parameterised fit that
// overfits the noise) and 30 held-out rows from the same rule.
const rows = Array.from({ length: 40 }, (_, i) => Array.from({ length: 8 }, (_, j) => Math.sin(1.7 * i + 2.3 * j + 0.5 * i * j)));
const ys = rows.map((x, i) => 1 + x.reduce((s, v, j) => s + (j % 3 === 0 ? 0.5 : -0.25) * v, 0) + 0.8 * Math.sin(13.1 * i));
const train = empiricalRisk(linearRegression(), sumOfSquares(), dataset(rows.slice(0, 10), ys.slice(0, 10)));
const heldOut = empiricalRisk(linearRegression(), sumOfSquares(), dataset(rows.slice(10), ys.slice(10)));
const start = () => new Float64Array(9);

/** The validation losses, best step and stopping step the rule gives on a path (θ after each step). */
function expected(path: number[][], patience: number, minDelta: number) {
  const losses: number[] = [];
  let best = NaN;
  let bestStep = -1;
  let since = 0;
  for (let step = 1; step < path.length; step++) {
    const loss = heldOut.evaluate(Float64Array.from(path[step]), null);
    losses.push(loss);
    if (bestStep < 0 || loss < best - minDelta) {
      best = loss;
      bestStep = step;
      since = 0;
    } else if (++since >= patience) return { losses, best, bestStep, stop: step };
  }
  return { losses, best, bestStep, stop: path.length - 1 };
}

describe("minimize: validation and early stopping", () => {
  it("stops after `patience` evaluations without a new best and restores the best θ (full batch, each step)", () => {
    const free = minimize({ objective: train, optimizer: new Adam({ lr: 0.3 }), params: start(), steps: 300, record: {} });
    const want = expected(free.path, 5, 1e-6);
    expect(want.stop).toBeLessThan(300); // the held-out loss does rise: early stopping has something to do
    const params = start();
    const result = minimize({ objective: train, optimizer: new Adam({ lr: 0.3 }), params, steps: 300, validation: { objective: heldOut, patience: 5, minDelta: 1e-6 } });
    expect(result.reason).toBe("earlyStopping");
    expect(result.steps).toBe(want.stop);
    expect(result.validation!.losses).toEqual(want.losses);
    expect(result.validation!.steps).toEqual(want.losses.map((_, k) => k + 1));
    expect([result.validation!.best, result.validation!.bestStep]).toEqual([want.best, want.bestStep]);
    expect(Array.from(params)).toEqual(free.path[want.bestStep]);
    expect(result.loss).toBe(train.evaluate(params, null));
    // The state is the last θ's: resuming continues the run, not the restored θ.
    expect(Array.from(decodeFloat64(result.state.params)!)).toEqual(free.path[want.stop]);
  });

  it("with a sampler, at each epoch's end or every k steps; restoreBest: false keeps the last θ", () => {
    const sampler = () => new EpochSampler({ size: 10, batchSize: 4, seed: 7 }); // 3 steps per epoch
    const free = minimize({ objective: train, optimizer: new Adam({ lr: 0.2 }), params: start(), sampler: sampler(), steps: 60, record: {} });
    const params = start();
    const perEpoch = minimize({ objective: train, optimizer: new Adam({ lr: 0.2 }), params, sampler: sampler(), steps: 60, validation: { objective: heldOut, restoreBest: false } });
    expect(perEpoch.validation!.steps).toEqual([3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39, 42, 45, 48, 51, 54, 57, 60]);
    expect(perEpoch.validation!.losses).toEqual(perEpoch.validation!.steps.map((s) => heldOut.evaluate(Float64Array.from(free.path[s]), null)));
    expect(Array.from(params)).toEqual(free.path[60]);
    const every7 = minimize({ objective: train, optimizer: new Adam({ lr: 0.2 }), params: start(), sampler: sampler(), steps: 60, validation: { objective: heldOut, every: 7 } });
    expect(every7.validation!.steps).toEqual([7, 14, 21, 28, 35, 42, 49, 56]);
  });

  it("a run stopped and resumed (with its validation record) ends as the uninterrupted one, bit for bit", () => {
    const validation = { objective: heldOut, patience: 8 };
    const whole = start();
    const all = minimize({ objective: train, optimizer: new Adam({ lr: 0.3 }), params: whole, steps: 300, validation });
    expect(all.steps).toBeGreaterThan(4);
    const part = minimize({ objective: train, optimizer: new Adam({ lr: 0.3 }), params: start(), steps: 4, validation });
    const params = start();
    const rest = minimize({ objective: train, optimizer: new Adam({ lr: 0.3 }), params, steps: 300, validation, resume: JSON.parse(JSON.stringify(part.state)) });
    expect([rest.reason, rest.steps]).toEqual([all.reason, all.steps]);
    expect(rest.validation!.bestStep).toBe(all.validation!.bestStep);
    expect(Array.from(params)).toEqual(Array.from(whole));
    expect(() => minimize({ objective: train, optimizer: new Adam({ lr: 0.3 }), params: start(), steps: 300, resume: part.state })).toThrow(/resume.validation/);
  });

  it("refuses bad validation options", () => {
    const base = { objective: train, optimizer: new Adam(), params: start(), steps: 5 };
    expect(() => minimize({ ...base, validation: { objective: heldOut, patience: 0 } })).toThrow(/validation.patience/);
    expect(() => minimize({ ...base, validation: { objective: heldOut, minDelta: -1 } })).toThrow(/validation.minDelta/);
    expect(() => minimize({ ...base, validation: { objective: heldOut, patiense: 3 } as never })).toThrow(/validation.patiense/);
    const other = empiricalRisk(linearRegression(), sumOfSquares(), dataset([[1]], [1]));
    expect(() => minimize({ ...base, validation: { objective: other } })).toThrow(/validation.objective.dimension/);
  });
});

describe("minimize: checkpoints", () => {
  it("every k steps, a state from which the run resumes bit for bit", () => {
    const saved: TrainingState[] = [];
    const whole = start();
    minimize({ objective: train, optimizer: new Adam({ lr: 0.1 }), params: whole, steps: 25, checkpoint: { every: 10, save: (s) => saved.push(JSON.parse(JSON.stringify(s))) } });
    expect(saved.map((s) => s.steps)).toEqual([10, 20]);
    const params = start();
    minimize({ objective: train, optimizer: new Adam({ lr: 0.1 }), params, steps: 25, resume: saved[1] });
    expect(Array.from(params)).toEqual(Array.from(whole));
    expect(() => minimize({ objective: train, optimizer: new Adam(), params: start(), steps: 5, checkpoint: { every: 0, save: () => {} } })).toThrow(/checkpoint.every/);
  });
});

describe("minimizeAsync", () => {
  it("gives minimize's result bit for bit, yielding to the event loop between slices", async () => {
    const sampler = () => new EpochSampler({ size: 10, batchSize: 3, seed: 11 });
    const options = () => ({ objective: train, optimizer: new Adam({ lr: 0.05 }), params: start(), sampler: sampler(), epochs: 2000, validation: { objective: heldOut, patience: 50 }, record: { every: 100 } });
    const a = options();
    const sync = minimize(a);
    const b = options();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const async = await minimizeAsync({ ...b, sliceMs: 1 });
    clearInterval(timer);
    expect(Array.from(b.params)).toEqual(Array.from(a.params));
    expect({ ...async, state: undefined }).toEqual({ ...sync, state: undefined });
    expect(JSON.stringify(async.state)).toBe(JSON.stringify(sync.state));
    expect(ticks).toBeGreaterThan(0); // the event loop ran during the run
    await expect(minimizeAsync({ ...options(), sliceMs: 0 })).rejects.toThrow(/sliceMs/);
  });
});
