import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Adam, Average, average, InvalidOptionError, InvalidSnapshotError, type Optimizer, SGD, ShapeMismatchError } from "../../src/index.js";

interface AveragingCase {
  name: string;
  optimizer: "SGD" | "Adam";
  options: { lr: number; momentum?: number };
  a: number[];
  b: number[];
  params0: number[];
  average: { kind: "polyak" | "ema"; decay: number; start: number; every: number };
  steps: number;
  params: number[][];
  averages: (number[] | null)[];
  nAveraged: number;
}

const reference = JSON.parse(readFileSync(new URL("../fixtures/torch-averaging.json", import.meta.url), "utf8")) as { cases: AveragingCase[] };
function expectClose(actual: number[], expected: number[], label: string): void {
  expect(actual.length, label).toBe(expected.length);
  actual.forEach((v, i) => expect(Math.abs(v - expected[i]), `${label}[${i}]`).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected[i]))));
}

const quadraticGradient = (c: AveragingCase, theta: Float64Array, g: Float64Array) => {
  for (let i = 0; i < theta.length; i++) g[i] = c.a[i] * (theta[i] - c.b[i]);
};

describe("average reproduces torch.optim.swa_utils.AveragedModel (PyTorch 1.13, scripts/reference/gen_torch_averaging.py)", () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const inner: Optimizer = c.optimizer === "SGD" ? new SGD(c.options) : new Adam(c.options);
    const opt = average(inner, c.average);
    const theta = Float64Array.from(c.params0);
    const g = new Float64Array(theta.length);
    // The iterates agree with PyTorch's to rounding (its SGD and Adam fuse some multiply-adds), so
    // PyTorch's averages are matched to 1e-12; the average of gradstep's own iterates is then checked
    // to the bit against AveragedModel's formulas applied by hand.
    let mine: number[] | null = null;
    let n = 0;
    for (let t = 0; t < c.steps; t++) {
      quadraticGradient(c, theta, g);
      opt.step(theta, g);
      expectClose(Array.from(theta), c.params[t], `params after step ${t + 1}`);
      const step = t + 1;
      const { kind, decay, start, every } = c.average;
      if (step > start && (step - start - 1) % every === 0) {
        mine = mine === null ? Array.from(theta) : mine.map((v, i) => (kind === "polyak" ? v + (theta[i] - v) / (n + 1) : decay * v + (1 - decay) * theta[i]));
        n += 1;
      }
      if (c.averages[t] === null) expect(opt.averagedCount).toBe(0);
      else {
        expectClose(Array.from(opt.average()), c.averages[t]!, `average after step ${step}`);
        expect(Array.from(opt.average())).toEqual(mine);
      }
    }
    expect(opt.averagedCount).toBe(c.nAveraged);
  });

  it("covers both kinds, a start and a stride", () => {
    const kinds = new Set(reference.cases.map((c) => c.average.kind));
    expect(kinds).toEqual(new Set(["polyak", "ema"]));
    expect(reference.cases.some((c) => c.average.start > 0 && c.average.every > 1)).toBe(true);
  });
});

describe("average: reading it disturbs nothing; failures change nothing; snapshots", () => {
  it("params follow the optimizer alone, bit for bit", () => {
    const alone = new Adam({ lr: 0.1 });
    const wrapped = average(new Adam({ lr: 0.1 }), { kind: "ema", decay: 0.9 });
    const a = Float64Array.of(1, -2, 3);
    const b = Float64Array.of(1, -2, 3);
    const out = new Float64Array(3);
    for (let t = 0; t < 20; t++) {
      const g = a.map((v, i) => Math.sin(v + i + t));
      alone.step(a, g);
      wrapped.step(b, g);
      wrapped.averageInto(out);
      wrapped.average();
      expect(Array.from(b)).toEqual(Array.from(a));
    }
  });

  it("a refused step changes neither params nor the average; bad options and outs are refused", () => {
    const opt = average(new SGD({ lr: 0.1 }));
    const params = Float64Array.of(1, 2);
    opt.step(params, Float64Array.of(1, 1));
    const before = JSON.stringify(opt.snapshot());
    expect(() => opt.step(params, Float64Array.of(Number.NaN, 1))).toThrow();
    expect(() => opt.step(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 1))).toThrow(ShapeMismatchError);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    expect(Array.from(params)).toEqual([0.9, 1.9]);
    expect(() => opt.averageInto(new Float64Array(3))).toThrow(ShapeMismatchError);
    expect(() => average(new SGD(), { decay: 1 })).toThrow(/decay/);
    expect(() => average(new SGD(), { every: 0 })).toThrow(/every/);
    expect(() => average(new SGD(), { kind: "swa" as "polyak" })).toThrow(/kind/);
    expect(() => average(new SGD()).averageInto(new Float64Array(2))).toThrow(InvalidOptionError);
  });

  it("continues bit-identically from a snapshot, and refuses a corrupted one whole", () => {
    const grads = (t: number) => Float64Array.of(Math.cos(t), Math.sin(2 * t) - 0.5);
    const whole = average(new SGD({ lr: 0.05, momentum: 0.9 }), { start: 2, every: 2 });
    const a = Float64Array.of(1, 1);
    for (let t = 0; t < 15; t++) whole.step(a, grads(t));
    const first = average(new SGD({ lr: 0.05, momentum: 0.9 }), { start: 2, every: 2 });
    const b = Float64Array.of(1, 1);
    for (let t = 0; t < 7; t++) first.step(b, grads(t));
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    const second = new Average(new SGD());
    second.restore(saved);
    for (let t = 7; t < 15; t++) second.step(b, grads(t));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(second.snapshot()).toEqual(whole.snapshot());
    const untouched = JSON.stringify(second.snapshot());
    for (const bad of [
      { ...saved, buffers: { ...saved.buffers, average: "AAAA" } },
      { ...saved, buffers: { ...saved.buffers, averagedCount: "AAAAAAAA+H8=" } }, // NaN
      { ...saved, options: { ...saved.options, decay: -1 } },
      { ...saved, options: { ...saved.options, optimizer: { ...saved.options.optimizer, kind: "Adam" } } },
    ]) {
      expect(() => second.restore(bad)).toThrow(InvalidSnapshotError);
    }
    expect(JSON.stringify(second.snapshot())).toBe(untouched);
  });
});
