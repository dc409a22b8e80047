import { describe, expect, it } from "vitest";
import { Adam, GradientDescent, InvalidSnapshotError, Lookahead, lookahead, type Optimizer, SGD, ShapeMismatchError } from "../../src/index.js";

const gradient = (theta: Float64Array, t: number) => theta.map((v, i) => (i + 1) * v + 0.3 * Math.sin(t + i));

describe("lookahead: k fast steps, then φ ← φ + α(θ − φ), θ ← φ", () => {
  it("gradient descent on ½aθ²: the closed form after each synchronisation", () => {
    const eta = 0.1;
    const a = 2;
    const alpha = 0.5;
    const k = 3;
    const opt = lookahead(new GradientDescent({ lr: eta }), { syncPeriod: k, slowStepSize: alpha });
    const theta = Float64Array.of(1);
    let phi = 1;
    for (let sync = 0; sync < 4; sync++) {
      for (let j = 0; j < k; j++) opt.step(theta, Float64Array.of(a * theta[0]));
      // k fast steps from φ: φ(1 − ηa)^k; then φ ← φ + α(φ(1 − ηa)^k − φ)
      phi = phi + alpha * (phi * (1 - eta * a) ** k - phi);
      expect(theta[0]).toBeCloseTo(phi, 14);
      expect(opt.slowWeights()[0]).toBe(theta[0]);
    }
  });

  it.each([
    ["Adam", () => new Adam({ lr: 0.05 })],
    ["SGD with momentum", () => new SGD({ lr: 0.05, momentum: 0.9 })],
  ] as [string, () => Optimizer][])("%s: bit for bit the optimizer stepped by hand with the synchronisations, its state carried on", (_, make) => {
    const k = 4;
    const alpha = 0.8;
    const opt = lookahead(make(), { syncPeriod: k, slowStepSize: alpha });
    const byHand = make();
    const a = Float64Array.of(1, -2, 0.5);
    const b = Float64Array.from(a);
    const phi = Float64Array.from(a);
    for (let t = 0; t < 21; t++) {
      const g = gradient(b, t);
      opt.step(a, g);
      byHand.step(b, g);
      if ((t + 1) % k === 0) {
        for (let i = 0; i < b.length; i++) {
          phi[i] = phi[i] + alpha * (b[i] - phi[i]);
          b[i] = phi[i];
        }
      }
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    expect(opt.pending).toBe(21 % k);
    expect(Array.from(opt.slowWeights())).toEqual(Array.from(phi));
  });

  it("a refused step changes nothing and does not count; bad options are refused", () => {
    const opt = lookahead(new SGD({ lr: 0.1 }), { syncPeriod: 2 });
    const params = Float64Array.of(1, 2);
    expect(() => opt.step(params, Float64Array.of(Number.NaN, 0))).toThrow();
    expect(opt.slowWeights().length).toBe(0);
    opt.step(params, Float64Array.of(1, 1));
    const before = JSON.stringify(opt.snapshot());
    expect(() => opt.step(params, Float64Array.of(Number.POSITIVE_INFINITY, 0))).toThrow();
    expect(() => opt.step(Float64Array.of(1), Float64Array.of(1))).toThrow(ShapeMismatchError);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    expect(opt.pending).toBe(1);
    expect(() => lookahead(new SGD(), { syncPeriod: 0 })).toThrow(/syncPeriod/);
    expect(() => lookahead(new SGD(), { slowStepSize: 0 })).toThrow(/slowStepSize/);
    expect(() => lookahead(new SGD(), { slowStepSize: 1.5 })).toThrow(/slowStepSize/);
  });

  it("continues bit-identically from a snapshot between synchronisations, and refuses a corrupted one whole", () => {
    const whole = lookahead(new Adam({ lr: 0.05 }), { syncPeriod: 3 });
    const a = Float64Array.of(1, 1);
    for (let t = 0; t < 14; t++) whole.step(a, gradient(a, t));
    const first = lookahead(new Adam({ lr: 0.05 }), { syncPeriod: 3 });
    const b = Float64Array.of(1, 1);
    for (let t = 0; t < 7; t++) first.step(b, gradient(b, t));
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    const second = new Lookahead(new Adam());
    second.restore(saved);
    for (let t = 7; t < 14; t++) second.step(b, gradient(b, t));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(second.snapshot()).toEqual(whole.snapshot());
    const untouched = JSON.stringify(second.snapshot());
    for (const bad of [
      { ...saved, buffers: { ...saved.buffers, pending: "AAAAAAAACEA=" } }, // 3: not below syncPeriod
      { ...saved, buffers: { ...saved.buffers, slow: "AAAA" } },
      { ...saved, options: { ...saved.options, slowStepSize: 2 } },
      { ...saved, options: { ...saved.options, optimizer: { ...saved.options.optimizer, kind: "SGD" } } },
    ]) {
      expect(() => second.restore(bad)).toThrow(InvalidSnapshotError);
    }
    expect(JSON.stringify(second.snapshot())).toBe(untouched);
  });
});
