// Adafactor (Shazeer & Stern 2018, as PyTorch 2.5's torch.optim.Adafactor): steps derived by hand,
// the factored state's size, the relative step, clipping, and matrices of a tree's leaves.
import { describe, expect, it } from "vitest";
import { Adafactor, InvalidOptionError, InvalidSnapshotError, ShapeMismatchError, tree } from "gradstep";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { bytes, expectClose } from "../helpers.js";

const state = (opt: Adafactor, name: string) => Array.from(decodeFloat64(opt.snapshot().buffers[name]) ?? []);

describe("Adafactor", () => {
  it("first factored step, by hand: ĝ² rank 1, so V̂ = ĝ², U = sign(ĝ), RMS(U) = 1", () => {
    const opt = new Adafactor({ columns: 2 });
    const theta = Float64Array.of(1, -1, 1, -1);
    opt.step(theta, Float64Array.of(4, -2, 2, -1));
    // ĝ² = [[16, 4], [4, 1]]: row means [10, 2.5], column means [10, 2.5]; β̂₂ = 1 − 1^−0.8 = 0, so R, C are
    // those; V̂ = R_i·C_j / mean(R) = [[16, 4], [4, 1]]; α = max(1e-3, RMS(θ) = 1)·min(0.01, 1) = 0.01
    expect(Array.from(theta)).toEqual([0.99, -0.99, 0.99, -0.99]);
    expect(state(opt, "rowVariance")).toEqual([10, 2.5]);
    expect(state(opt, "columnVariance")).toEqual([10, 2.5]);
    expect(state(opt, "variance")).toEqual([]);
  });

  it("second factored step: R, C averaged with β̂₂ = 1 − 2^−0.8, V̂ no longer ĝ², and U clipped to RMS 1", () => {
    const opt = new Adafactor({ columns: 2, lr: 0.5 });
    const theta = Float64Array.of(1, -1, 1, -1);
    opt.step(theta, Float64Array.of(4, -2, 2, -1));
    const after1 = Array.from(theta); // α = 1·min(0.5, 1) = 0.5: [0.5, −0.5, 0.5, −0.5]
    expect(after1).toEqual([0.5, -0.5, 0.5, -0.5]);
    const g = [0, 6, -6, 0];
    opt.step(theta, Float64Array.from(g));
    const w = 2 ** -0.8;
    // ĝ² = [[0, 36], [36, 0]]: row means [18, 18], column means [18, 18]
    const R = [(1 - w) * 10 + w * 18, (1 - w) * 2.5 + w * 18];
    const C = [(1 - w) * 10 + w * 18, (1 - w) * 2.5 + w * 18];
    const meanR = (R[0] + R[1]) / 2;
    const U = g.map((gi, k) => gi / Math.sqrt((R[Math.floor(k / 2)] * C[k % 2]) / meanR));
    const rmsU = Math.hypot(...U) / 2;
    const alpha = 0.5 * Math.min(0.5, 1 / Math.SQRT2); // RMS(θ) = 0.5, ρ₂ = min(0.5, 1/√2)
    expect(rmsU).toBeGreaterThan(1); // the clipping acts
    expectClose(theta, after1.map((t, k) => t - (alpha / rmsU) * U[k]), 1e-15);
    expectClose(state(opt, "rowVariance"), R, 1e-15);
    expectClose(state(opt, "columnVariance"), C, 1e-15);
  });

  it("unfactored, the first step moves each coordinate by α = max(ε₂, RMS(θ))·ρ₁ against its gradient's sign", () => {
    const opt = new Adafactor({ lr: 0.1 });
    const theta = Float64Array.of(3, 0, -4, 0); // RMS(θ) = 2.5
    opt.step(theta, Float64Array.of(1e-3, -7, 1e6, 0));
    expect(Array.from(theta)).toEqual([3 - 0.25, 0.25, -4 - 0.25, 0]);
    expect(state(opt, "variance")).toEqual([1e-6, 49, 1e12, 0]);
  });

  it("ε₂ floors the scale: from θ = 0 the first step is ε₂·ρ₁", () => {
    const theta = new Float64Array(2);
    new Adafactor({ eps2: 1e-3, lr: 0.01 }).step(theta, Float64Array.of(1, -1));
    expect(Array.from(theta)).toEqual([-1e-5, 1e-5]);
  });

  it("ρ_t = min(η, 1/√t) with relativeStep (PyTorch's), η without", () => {
    // n = 1, g = 1 every step: V̂ ≈ 1, U ≈ 1, RMS(U) ≈ 1, so θ ← θ − |θ|·ρ_t
    const run = (relativeStep: boolean) => {
      const opt = new Adafactor({ lr: 0.5, relativeStep });
      const theta = Float64Array.of(1);
      for (let t = 0; t < 5; t++) opt.step(theta, Float64Array.of(1));
      return theta[0];
    };
    // ρ = 0.5, 0.5, 0.5, 0.5 (1/√4 = 0.5), then 1/√5 < 0.5
    expectClose([run(true)], [0.0625 * (1 - 1 / Math.sqrt(5))], 1e-15);
    expectClose([run(false)], [0.03125], 1e-15);
  });

  it("clips U by RMS(U)/d, decays θ by 1 − ηλ first, and keeps an optional first moment of the scaled update", () => {
    const clipped = Float64Array.of(2, -2);
    new Adafactor({ lr: 0.1, clipThreshold: 0.5 }).step(clipped, Float64Array.of(1, 1)); // RMS(U) = 1 > d: U/2
    expect(Array.from(clipped)).toEqual([2 - 0.1, -2 - 0.1]);
    const decayed = Float64Array.of(2, -2);
    new Adafactor({ lr: 0.1, weightDecay: 0.5 }).step(decayed, Float64Array.of(1, 1)); // α from θ before the decay
    expectClose(decayed, [2 * 0.95 - 0.2, -2 * 0.95 - 0.2], 1e-15);
    const opt = new Adafactor({ lr: 0.1, beta1: 0.75 });
    const theta = Float64Array.of(2, -2);
    opt.step(theta, Float64Array.of(1, 1)); // m = 0.25·0.2·[1, 1]
    expectClose(theta, [2 - 0.05, -2 - 0.05], 1e-15);
    expectClose(state(opt, "momentum"), [0.05, 0.05], 1e-15);
  });

  it("keeps rows + columns numbers for a matrix, and per matrix for a stack (rows)", () => {
    const matrix = new Adafactor({ columns: 8 });
    matrix.step(new Float64Array(64 * 8).fill(1), new Float64Array(64 * 8).fill(0.5));
    expect([state(matrix, "rowVariance").length, state(matrix, "columnVariance").length, state(matrix, "variance").length]).toEqual([64, 8, 0]);
    const stack = new Adafactor({ rows: 4, columns: 8 });
    stack.step(new Float64Array(3 * 4 * 8).fill(1), new Float64Array(3 * 4 * 8).fill(0.5));
    expect([state(stack, "rowVariance").length, state(stack, "columnVariance").length]).toEqual([12, 24]);
  });

  it("a stack of matrices steps as each matrix alone", () => {
    const g = Float64Array.from({ length: 12 }, (_, k) => Math.sin(k + 1) * (k < 6 ? 1 : 100));
    const both = Float64Array.from({ length: 12 }, (_, k) => Math.cos(k));
    const first = both.slice(0, 6);
    const second = both.slice(6);
    const stacked = new Adafactor({ rows: 2, columns: 3, eps2: 10 }); // ε₂ above RMS(θ): α the same for all
    const a = new Adafactor({ columns: 3, eps2: 10 });
    const b = new Adafactor({ columns: 3, eps2: 10 });
    for (let t = 0; t < 3; t++) {
      stacked.step(both, g);
      a.step(first, g.subarray(0, 6));
      b.step(second, g.subarray(6));
    }
    // RMS(U) is over the whole stack, as PyTorch's over the whole tensor: equal here since each U has RMS ≤ 1 unclipped
    expect(bytes(both.subarray(0, 6))).toEqual(bytes(first));
    expect(bytes(both.subarray(6))).toEqual(bytes(second));
  });

  it("refuses a length that is no whole number of matrices, rows without columns, and such a snapshot or set, changing nothing", () => {
    const opt = new Adafactor({ columns: 3 });
    const theta = Float64Array.of(1, 2, 3, 4);
    expect(() => opt.step(theta, new Float64Array(4))).toThrow(ShapeMismatchError);
    expect([opt.stepCount, opt.size, Array.from(theta)]).toEqual([0, undefined, [1, 2, 3, 4]]);
    expect(() => new Adafactor({ rows: 2 })).toThrow(InvalidOptionError);
    expect(() => new Adafactor({ columns: 1.5 })).toThrow(/columns/);
    expect(() => new Adafactor({ beta2Decay: 0.1 })).toThrow(/beta2Decay/);
    const stepped = new Adafactor({ columns: 2 });
    stepped.step(theta, Float64Array.of(1, 1, 1, 1));
    const saved = stepped.snapshot();
    expect(() => new Adafactor().restore({ ...saved, options: { ...saved.options, columns: 3 } })).toThrow(InvalidSnapshotError);
    expect(() => stepped.set({ columns: 4 })).toThrow(InvalidOptionError);
    expect(() => stepped.set({ columns: 1 })).toThrow(InvalidOptionError); // fits, but R and C would change size
    expect(JSON.stringify(stepped.snapshot())).toBe(JSON.stringify(saved));
    const resumed = new Adafactor();
    resumed.restore(saved);
    const a = Float64Array.from(theta);
    const b = Float64Array.from(theta);
    stepped.step(a, Float64Array.of(1, -2, 3, -4));
    resumed.step(b, Float64Array.of(1, -2, 3, -4));
    expect(bytes(a)).toEqual(bytes(b));
  });

  it("has PyTorch 2.5's defaults and runs JavaScript on both backends", () => {
    const opt = new Adafactor();
    const o = opt.options;
    expect([o.lr, o.beta2Decay, o.eps1, o.eps2, o.clipThreshold, o.beta1, o.relativeStep, o.columns, o.rows, o.weightDecay, o.weightDecayMode]).toEqual([
      1e-2, -0.8, Number.EPSILON, 1e-3, 1, 0, true, 0, 0, 0, "decoupled",
    ]);
    expect(opt.backend).toBe("js");
  });
});

describe("Adafactor over a tree", () => {
  it("optionsForShape: PyTorch's factoring of the last two dimensions, none below two", () => {
    expect(Adafactor.optionsForShape([64, 32])).toEqual({ rows: 64, columns: 32 });
    expect(Adafactor.optionsForShape([3, 4, 5])).toEqual({ rows: 4, columns: 5 });
    expect(Adafactor.optionsForShape([7])).toEqual({ rows: 0, columns: 0 });
    expect(() => Adafactor.optionsForShape([2, 0])).toThrow(InvalidOptionError);
    // a leaf's { data, shape } through a group: bit for bit the leaf alone with those options
    const shape = [2, 3, 2];
    const params = { conv: { data: Float64Array.from({ length: 12 }, (_, k) => Math.cos(k)), shape } };
    const alone = params.conv.data.slice();
    const opt = tree(new Adafactor(), { groups: [{ match: "conv", ...Adafactor.optionsForShape(shape) }] });
    const own = new Adafactor({ rows: 3, columns: 2 });
    for (let t = 0; t < 3; t++) {
      const g = Float64Array.from({ length: 12 }, (_, k) => Math.sin(k * (t + 1)));
      opt.step(params, { conv: { data: g, shape } });
      own.step(alone, g);
    }
    expect(bytes(params.conv.data)).toEqual(bytes(alone));
  });

  it("factors a { data, shape } leaf by itself (the rule's optionsForShape), bit for bit as the leaf alone", () => {
    const params = { w: { data: Float64Array.from({ length: 12 }, (_, k) => Math.cos(k)), shape: [4, 3] }, b: Float64Array.of(0.5, -0.5) };
    const opt = tree(new Adafactor({ lr: 0.05 }));
    const w = new Adafactor({ lr: 0.05, rows: 4, columns: 3 });
    const b = new Adafactor({ lr: 0.05 });
    const weight = params.w.data.slice();
    const bias = params.b.slice();
    for (let t = 0; t < 3; t++) {
      const gw = Float64Array.from({ length: 12 }, (_, k) => Math.sin(k + t));
      const gb = Float64Array.of(1, -t);
      opt.step(params, { w: gw, b: gb });
      w.step(weight, gw);
      b.step(bias, gb);
    }
    expect(bytes(params.w.data)).toEqual(bytes(weight));
    expect(bytes(params.b)).toEqual(bytes(bias));
    expect(opt.leafOptions("w")).toMatchObject({ rows: 4, columns: 3 });
    expect(opt.leafOptions("b")).toMatchObject({ rows: 0, columns: 0 });
  });

  it("factors a matrix leaf given its columns in a group, bit for bit as the leaf alone, and resumes from the tree's snapshot", () => {
    const params = () => ({ hidden: { weight: { data: Float64Array.from({ length: 12 }, (_, k) => Math.cos(k)), shape: [4, 3] }, bias: Float64Array.of(0.1, -0.2, 0.3, 0) } });
    const grads = (t: number) => ({ hidden: { weight: { data: Float64Array.from({ length: 12 }, (_, k) => Math.sin(k + t)), shape: [4, 3] }, bias: Float64Array.of(1, -t, 2, 0.5) } });
    const p = params();
    const opt = tree(new Adafactor({ lr: 0.05 }), { groups: [{ match: "hidden/weight", columns: 3 }] });
    const weight = params().hidden.weight.data;
    const bias = params().hidden.bias;
    const w = new Adafactor({ lr: 0.05, columns: 3 });
    const b = new Adafactor({ lr: 0.05 });
    for (let t = 0; t < 3; t++) {
      opt.step(p, grads(t));
      w.step(weight, grads(t).hidden.weight.data);
      b.step(bias, grads(t).hidden.bias);
    }
    expect(bytes(p.hidden.weight.data)).toEqual(bytes(weight));
    expect(bytes(p.hidden.bias)).toEqual(bytes(bias));
    const saved = opt.snapshot();
    expect(Object.keys(saved.leaves?.["hidden/weight"]?.optimizer?.buffers ?? {})).toContain("rowVariance");
    const resumed = tree(new Adafactor({ lr: 0.05 }), { groups: [{ match: "hidden/weight", columns: 3 }] });
    resumed.restore(JSON.parse(JSON.stringify(saved)));
    const q = { hidden: { weight: { data: p.hidden.weight.data.slice(), shape: [4, 3] }, bias: p.hidden.bias.slice() } };
    opt.step(p, grads(3));
    resumed.step(q, grads(3));
    expect(bytes(q.hidden.weight.data)).toEqual(bytes(p.hidden.weight.data));
  });
});
