import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Adam, chain, InvalidOptionError, InvalidSnapshotError, LBFGS, ReduceLROnPlateau, SGD } from "../../src/index.js";

interface PlateauCase {
  name: string;
  lr: number;
  options: { mode: "min" | "max"; factor: number; patience: number; threshold: number; threshold_mode: "rel" | "abs"; cooldown: number; min_lr: number; eps: number };
  metrics: (number | string)[];
  lrs: number[];
  best: (number | string)[];
  badEpochs: number[];
  cooldownCounter: number[];
}

const number = (x: number | string) => (typeof x === "string" ? Number(x) : x);
const reference = JSON.parse(readFileSync(new URL("../fixtures/torch-plateau.json", import.meta.url), "utf8")) as { torch: string; cases: PlateauCase[] };

describe("ReduceLROnPlateau reproduces PyTorch 1.13 (scripts/reference/gen_torch_plateau.py)", () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))("%s", (_, c) => {
    const opt = new SGD({ lr: c.lr });
    const o = c.options;
    const plateau = new ReduceLROnPlateau(opt, { mode: o.mode, factor: o.factor, patience: o.patience, threshold: o.threshold, thresholdMode: o.threshold_mode, cooldown: o.cooldown, minLr: o.min_lr, eps: o.eps });
    c.metrics.forEach((metric, k) => {
      plateau.step(number(metric));
      expect(opt.options.lr, `lr after epoch ${k + 1}`).toBe(c.lrs[k]);
      expect(plateau.best).toBe(number(c.best[k]));
      expect(plateau.badEpochs).toBe(c.badEpochs[k]);
      expect(plateau.cooldownCounter).toBe(c.cooldownCounter[k]);
    });
    expect(plateau.epochs).toBe(c.metrics.length);
  });

  it("covers reductions, cooldowns and both modes", () => {
    const reduced = reference.cases.filter((c) => c.lrs.some((lr) => lr !== c.lr));
    expect(reduced.length).toBeGreaterThan(20);
    expect(reference.cases.some((c) => c.options.mode === "max" && c.lrs.at(-1) !== c.lr)).toBe(true);
    expect(reference.cases.some((c) => c.cooldownCounter.some((k) => k > 0))).toBe(true);
  });
});

describe("ReduceLROnPlateau drives any gradstep optimizer", () => {
  it("lowers a Chain's optimizer's lr, keeping its state", () => {
    const opt = chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }], new Adam({ lr: 0.1 }));
    const plateau = new ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    const params = Float64Array.of(1, 2);
    opt.step(params, Float64Array.of(0.5, -0.5));
    plateau.step(1);
    expect(plateau.step(1)).toBe(true);
    expect(plateau.learningRate).toBe(0.05);
    expect(opt.optimizer.options.lr).toBe(0.05);
    expect(opt.stepCount).toBe(1);
  });

  it("refuses an optimizer whose lr is a schedule, a NaN metric, and bad options, changing nothing", () => {
    expect(() => new ReduceLROnPlateau(new SGD({ lr: { kind: "exponential", initial: 0.1, gamma: 0.9 } }))).toThrow(InvalidOptionError);
    expect(() => new ReduceLROnPlateau(new SGD(), { factor: 1 })).toThrow(/factor/);
    expect(() => new ReduceLROnPlateau(new SGD(), { patience: 1.5 })).toThrow(/patience/);
    expect(() => new ReduceLROnPlateau(new SGD(), { thresholdMode: "relative" as "rel" })).toThrow(/thresholdMode/);
    expect(() => new ReduceLROnPlateau(new SGD(), { speed: 1 } as never)).toThrow(/speed/);
    const opt = new SGD({ lr: 0.1 });
    const plateau = new ReduceLROnPlateau(opt, { patience: 0 });
    plateau.step(1);
    const before = JSON.stringify(plateau.snapshot());
    expect(() => plateau.step(Number.NaN)).toThrow(/metric/);
    expect(() => plateau.step("1" as unknown as number)).toThrow(/metric/);
    expect(JSON.stringify(plateau.snapshot())).toBe(before);
    expect(opt.options.lr).toBe(0.1);
  });

  it("continues bit-identically from a snapshot, and refuses a corrupted one whole", () => {
    const metrics = [1, 0.99, 0.99, 0.98, 0.98, 0.98, 0.97, 0.97, 0.97, 0.97];
    const whole = new SGD({ lr: 1 });
    const wholePlateau = new ReduceLROnPlateau(whole, { patience: 1, cooldown: 1, factor: 0.5, threshold: 0.02 });
    for (const m of metrics) wholePlateau.step(m);
    const first = new SGD({ lr: 1 });
    const firstPlateau = new ReduceLROnPlateau(first, { patience: 1, cooldown: 1, factor: 0.5, threshold: 0.02 });
    for (const m of metrics.slice(0, 5)) firstPlateau.step(m);
    const saved = JSON.parse(JSON.stringify({ opt: first.snapshot(), plateau: firstPlateau.snapshot() }));
    const second = new SGD();
    second.restore(saved.opt);
    const secondPlateau = new ReduceLROnPlateau(second);
    secondPlateau.restore(saved.plateau);
    for (const m of metrics.slice(5)) secondPlateau.step(m);
    expect(second.options.lr).toBe(whole.options.lr);
    expect(secondPlateau.snapshot()).toEqual(wholePlateau.snapshot());
    const untouched = JSON.stringify(secondPlateau.snapshot());
    for (const bad of [
      { ...saved.plateau, kind: "Adam" },
      { ...saved.plateau, options: { ...saved.plateau.options, factor: 2 } },
      { ...saved.plateau, buffers: { numbers: "AAAA" } },
      { ...saved.plateau, buffers: {} },
      { ...saved.plateau, extra: 1 },
    ]) {
      expect(() => secondPlateau.restore(bad)).toThrow(InvalidSnapshotError);
    }
    expect(JSON.stringify(secondPlateau.snapshot())).toBe(untouched);
  });
});

describe("set: options changed between steps", () => {
  const grads = Array.from({ length: 12 }, (_, t) => Float64Array.of(Math.sin(t + 1), Math.cos(2 * t + 1), 0.3 - t / 20));

  it("Adam with set({ lr }) at step 5 is bit-identical to a piecewise lr schedule switching at 5", () => {
    const setOpt = new Adam({ lr: 0.1 });
    const scheduled = new Adam({ lr: { kind: "piecewise", boundaries: [5], values: [0.1, 0.02] } });
    const a = Float64Array.of(1, -1, 0.5);
    const b = Float64Array.of(1, -1, 0.5);
    grads.forEach((g, t) => {
      if (t === 5) setOpt.set({ lr: 0.02 });
      setOpt.step(a, g);
      scheduled.step(b, g);
    });
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(setOpt.snapshot().options.lr).toBe(0.02);
  });

  it("checks the options whole: a bad value, an unknown key or a cross-option conflict changes nothing", () => {
    const opt = new SGD({ lr: 0.1, momentum: 0.9 });
    const params = Float64Array.of(1, 2, 3);
    opt.step(params, grads[0]);
    const before = JSON.stringify(opt.snapshot());
    expect(() => opt.set({ lr: -1 })).toThrow(/lr/);
    expect(() => opt.set({ lr: 0.5, speed: 2 } as never)).toThrow(/speed/);
    expect(() => opt.set({ momentum: 0, nesterov: true })).toThrow(InvalidOptionError);
    expect(() => opt.set(null as never)).toThrow(/options/);
    // momentum 0 would drop the momentum buffer that the state holds
    expect(() => opt.set({ momentum: 0 })).toThrow(/momentumBuffer/);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    const adam = new Adam();
    adam.step(params, grads[1]);
    expect(() => adam.set({ amsgrad: true })).toThrow(/maxSecondMoment/);
    adam.reset();
    adam.set({ amsgrad: true });
    expect(adam.options.amsgrad).toBe(true);
  });

  it("LBFGS: set changes its options but not the size of a history it holds", () => {
    const opt = new LBFGS({ historySize: 5 });
    opt.set({ lr: 0.5, maxIter: 3 });
    expect(opt.options.lr).toBe(0.5);
    const f = { dimension: 2, evaluate: (t: Float64Array, g: Float64Array | null) => (g && (g[0] = 2 * t[0], g[1] = 4 * t[1]), t[0] * t[0] + 2 * t[1] * t[1]) };
    opt.step(Float64Array.of(1, 1), f);
    expect(() => opt.set({ historySize: 6 })).toThrow(/historySize/);
    expect(() => opt.set({ lr: 0 })).toThrow(/lr/);
    expect(opt.options.historySize).toBe(5);
    expect(opt.options.lr).toBe(0.5);
  });
});

describe("minimize steps a plateau with the full loss of each epoch", () => {
  // f(θ) = θ² with SGD at lr 1: θ jumps between ±1 forever, a plateau, until the lr is lowered.
  const f = { dimension: 1, evaluate: (t: Float64Array, g: Float64Array | null) => (g && (g[0] = 2 * t[0]), t[0] * t[0]) };

  it("lowers the lr on the plateau, and a resumed run is bit-identical to one that never stopped", async () => {
    const { minimize } = await import("../../src/learn.js");
    const run = (steps: number, resume?: Parameters<typeof minimize>[0]["resume"]) => {
      const optimizer = new SGD({ lr: 1 });
      const plateau = new ReduceLROnPlateau(optimizer, { patience: 2, factor: 0.25 });
      const params = Float64Array.of(1);
      const result = minimize({ objective: f, optimizer, params, steps, plateau, resume });
      return { result, optimizer, plateau, params };
    };
    const whole = run(20);
    expect(whole.optimizer.options.lr).toBeLessThan(1);
    expect(whole.result.loss).toBeLessThan(1e-3);
    // by hand: losses 1 (the best), then 1, 1, 1 (bad epochs 1, 2, 3 > patience) → lr 0.25 after the fourth step
    expect(run(3).optimizer.options.lr).toBe(1);
    expect(run(4).optimizer.options.lr).toBe(0.25);
    const first = run(7);
    const second = run(20, JSON.parse(JSON.stringify(first.result.state)));
    expect(Array.from(second.params)).toEqual(Array.from(whole.params));
    expect(second.plateau.snapshot()).toEqual(whole.plateau.snapshot());
    expect(second.optimizer.snapshot()).toEqual(whole.optimizer.snapshot());
  });

  it("refuses a plateau of another optimizer, and a resume without the plateau's state", async () => {
    const { minimize } = await import("../../src/learn.js");
    const optimizer = new SGD({ lr: 1 });
    const other = new ReduceLROnPlateau(new SGD({ lr: 1 }));
    expect(() => minimize({ objective: f, optimizer, params: Float64Array.of(1), steps: 1, plateau: other })).toThrow(/plateau/);
    const plain = minimize({ objective: f, optimizer, params: Float64Array.of(1), steps: 1 });
    const plateau = new ReduceLROnPlateau(optimizer);
    const before = JSON.stringify(optimizer.snapshot());
    expect(() => minimize({ objective: f, optimizer, params: Float64Array.of(1), steps: 2, plateau, resume: plain.state })).toThrow(/resume.plateau/);
    expect(JSON.stringify(optimizer.snapshot())).toBe(before);
  });
});
