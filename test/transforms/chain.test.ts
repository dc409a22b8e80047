import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import {
  Adam,
  backendInfo,
  chain,
  GradientDescent,
  InvalidOptionError,
  InvalidSnapshotError,
  NonFiniteGradientError,
  type Optimizer,
  RMSProp,
  SGD,
  setBackend,
  type Transform,
} from "gradstep";
import { bytes, expectClose, gradientAt } from "../helpers.js";

function run(opt: Optimizer, params: Float64Array, steps: number, from = 0): Float64Array {
  for (let t = from; t < from + steps; t++) opt.step(params, gradientAt(t, params.length));
  return params;
}

describe("transforms, by hand", () => {
  it("clipByValue clamps each coordinate", () => {
    const theta = new Float64Array(3);
    chain([{ kind: "clipByValue", limit: 1 }], new GradientDescent({ lr: 1 })).step(theta, Float64Array.of(3, -0.5, -2));
    expect(Array.from(theta)).toEqual([-1, 0.5, 1]);
  });

  it("clipByGlobalNorm rescales to maxNorm when the norm is larger", () => {
    // g = (3, 4), ‖g‖ = 5 > 2.5: g ← g·0.5 = (1.5, 2)
    const theta = new Float64Array(2);
    chain([{ kind: "clipByGlobalNorm", maxNorm: 2.5 }], new GradientDescent({ lr: 1 })).step(theta, Float64Array.of(3, 4));
    expect(Array.from(theta)).toEqual([-1.5, -2]);
    // ‖g‖ = 5 ≤ 10: unchanged
    const kept = new Float64Array(2);
    chain([{ kind: "clipByGlobalNorm", maxNorm: 10 }], new GradientDescent({ lr: 1 })).step(kept, Float64Array.of(3, 4));
    expect(Array.from(kept)).toEqual([-3, -4]);
  });

  it("clipByGlobalNorm measures norms whose square overflows or underflows", () => {
    // g = (3e200, 4e200): g² overflows, ‖g‖ = 5e200; clipped to norm 1: (0.6, 0.8)
    const big = new Float64Array(2);
    chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }], new GradientDescent({ lr: 1 })).step(big, Float64Array.of(3e200, 4e200));
    expectClose(big, [-0.6, -0.8], 1e-15);
    // g = (3e-200, 4e-200): g² underflows, ‖g‖ = 5e-200 < 1: unchanged
    const small = new Float64Array(2);
    chain([{ kind: "clipByGlobalNorm", maxNorm: 1e-200 }], new GradientDescent({ lr: 1 })).step(small, Float64Array.of(3e-200, 4e-200));
    expectClose(small.map((x) => x * 1e200), [-0.6, -0.8], 1e-15);
  });

  it("clipByGlobalNorm with PyTorch's eps: factor maxNorm/(‖g‖ + 1e-6)", () => {
    const theta = new Float64Array(2);
    chain([{ kind: "clipByGlobalNorm", maxNorm: 2.5, eps: 1e-6 }], new GradientDescent({ lr: 1 })).step(theta, Float64Array.of(3, 4));
    expectClose(theta, [-3 * (2.5 / (5 + 1e-6)), -4 * (2.5 / (5 + 1e-6))], 1e-16);
  });

  it("decoupledWeightDecay without the lr factor: θ ← θ·(1 − λ)", () => {
    // θ = 2: θ ← 2·(1 − 0.25) = 1.5, then GD with η = 0.5, g = 1: 1
    const theta = Float64Array.of(2);
    chain([{ kind: "decoupledWeightDecay", weightDecay: 0.25 }], new GradientDescent({ lr: 0.5 })).step(theta, Float64Array.of(1));
    expect(theta[0]).toBe(1);
  });

  it("leaves the caller's gradient untouched", () => {
    const grad = Float64Array.of(3, -4);
    chain([{ kind: "clipByValue", limit: 1 }, { kind: "addWeightDecay", weightDecay: 1 }], new SGD({ lr: 0.1 })).step(Float64Array.of(1, 1), grad);
    expect(Array.from(grad)).toEqual([3, -4]);
  });
});

describe("a chain equals the fused optimizer it spells out, bit for bit", () => {
  it("decoupled weight decay with the lr factor = weightDecayMode decoupled (AdamW)", () => {
    const fused = run(new Adam({ lr: 0.01, weightDecay: 0.1, weightDecayMode: "decoupled" }), Float64Array.of(1, -2, 3, 0.5), 50);
    const chained = run(chain([{ kind: "decoupledWeightDecay", weightDecay: 0.1, scaleByLr: true }], new Adam({ lr: 0.01 })), Float64Array.of(1, -2, 3, 0.5), 50);
    expect(bytes(chained)).toEqual(bytes(fused));
  });

  it("with a scheduled lr too", () => {
    const lr = { kind: "cosine", initial: 0.05, final: 0.001, period: 30 } as const;
    const fused = run(new Adam({ lr, weightDecay: 0.1, weightDecayMode: "decoupled" }), Float64Array.of(1, -2, 3), 40);
    const chained = run(chain([{ kind: "decoupledWeightDecay", weightDecay: 0.1, scaleByLr: true }], new Adam({ lr })), Float64Array.of(1, -2, 3), 40);
    expect(bytes(chained)).toEqual(bytes(fused));
  });

  it("addWeightDecay = L2 weight decay", () => {
    const fused = run(new RMSProp({ lr: 0.01, weightDecay: 0.05 }), Float64Array.of(1, -2, 3), 50);
    const chained = run(chain([{ kind: "addWeightDecay", weightDecay: 0.05 }], new RMSProp({ lr: 0.01 })), Float64Array.of(1, -2, 3), 50);
    expect(bytes(chained)).toEqual(bytes(fused));
  });

  it("an empty chain = the optimizer", () => {
    const alone = run(new SGD({ lr: 0.01, momentum: 0.9 }), Float64Array.of(1, 2), 20);
    const chained = run(chain([], new SGD({ lr: 0.01, momentum: 0.9 })), Float64Array.of(1, 2), 20);
    expect(bytes(chained)).toEqual(bytes(alone));
  });
});

describe("bad input", () => {
  const bad: [string, unknown, string][] = [
    ["an unknown kind", { kind: "clipByMagic" }, "transforms[0].kind"],
    ["a missing number", { kind: "clipByValue" }, "transforms[0].limit"],
    ["a negative limit", { kind: "clipByValue", limit: -1 }, "transforms[0].limit"],
    ["an unknown field", { kind: "addWeightDecay", weightDecay: 0.1, decay: 2 }, "transforms[0].decay"],
    ["a bad schedule", { kind: "addWeightDecay", weightDecay: { kind: "cosine", initial: 0.1, final: 0, period: -1 } }, "transforms[0].weightDecay.period"],
    ["a non-boolean switch", { kind: "decoupledWeightDecay", weightDecay: 0.1, scaleByLr: "yes" }, "transforms[0].scaleByLr"],
  ];
  it.each(bad)("%s", (_what, transform, argument) => {
    let error: unknown;
    try {
      chain([transform as Transform], new SGD());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).argument).toBe(argument);
  });

  it("refuses two decoupled decays", () => {
    const d: Transform = { kind: "decoupledWeightDecay", weightDecay: 0.1 };
    expect(() => chain([d, d], new SGD())).toThrow(InvalidOptionError);
  });

  it("changes nothing when the gradient, or the transformed gradient, is not finite", () => {
    const opt = chain([{ kind: "decoupledWeightDecay", weightDecay: 0.1 }, { kind: "addWeightDecay", weightDecay: 1 }], new Adam({ lr: 0.1 }));
    const params = Float64Array.of(1e308, 2);
    opt.step(params, Float64Array.of(-1e308, 1)); // ĝ = −1e308 + 1e308 = 0: fine
    const before = { p: bytes(params), s: JSON.stringify(opt.snapshot()) };
    expect(() => opt.step(params, Float64Array.of(NaN, 1))).toThrow(NonFiniteGradientError);
    expect({ p: bytes(params), s: JSON.stringify(opt.snapshot()) }).toEqual(before);
    // finite, but ĝ = 1e308 + 1·θ overflows: refused before the decoupled decay touches θ
    expect(() => opt.step(params, Float64Array.of(1e308, 1))).toThrow(NonFiniteGradientError);
    expect({ p: bytes(params), s: JSON.stringify(opt.snapshot()) }).toEqual(before);
  });
});

describe("snapshots", () => {
  const transforms: Transform[] = [
    { kind: "clipByGlobalNorm", maxNorm: { kind: "linear", initial: 10, final: 1, steps: 20 } },
    { kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true },
  ];
  const make = () => chain(transforms, new Adam({ lr: 0.05 }));

  test.prop([fc.nat(30), fc.nat(30)], { numRuns: 30 })("restore mid-run and continue bit-identically", (split, rest) => {
    const whole = run(make(), Float64Array.of(1, -1, 2), split + rest);
    const first = make();
    const p = run(first, Float64Array.of(1, -1, 2), split);
    const second = make();
    second.restore(JSON.parse(JSON.stringify(first.snapshot())));
    run(second, p, rest, split);
    expect(bytes(p)).toEqual(bytes(whole));
  });

  it("a bad snapshot changes nothing", () => {
    const opt = make();
    run(opt, Float64Array.of(1, 2, 3), 3);
    const good = JSON.parse(JSON.stringify(opt.snapshot()));
    const before = JSON.stringify(opt.snapshot());
    const broken = [
      { ...good, kind: "Adam" },
      { ...good, options: { ...good.options, transforms: [{ kind: "nope" }] } },
      { ...good, options: { ...good.options, optimizer: { ...good.options.optimizer, stepCount: -1 } } },
      { ...good, options: { ...good.options, optimizer: { ...good.options.optimizer, kind: "SGD" } } },
    ];
    for (const snap of broken) {
      expect(() => opt.restore(snap)).toThrow(InvalidSnapshotError);
      expect(JSON.stringify(opt.snapshot())).toBe(before);
    }
  });
});

describe("nonFinite: skip", () => {
  it("skips the whole chain's step, decay included", () => {
    const opt = chain([{ kind: "decoupledWeightDecay", weightDecay: 0.1 }], new Adam({ lr: 0.1 }), { nonFinite: "skip" });
    const params = Float64Array.of(1, 2);
    opt.step(params, Float64Array.of(1, 1));
    const before = { p: bytes(params), s: JSON.stringify(opt.snapshot()) };
    opt.step(params, Float64Array.of(Infinity, 1));
    expect({ p: bytes(params), s: JSON.stringify(opt.snapshot()) }).toEqual(before);
    expect(opt.stepCount).toBe(1);
  });
});

describe("clipByGlobalNorm on the Wasm backend", () => {
  test.prop(
    [
      fc.integer({ min: 0, max: 70 }),
      fc.constantFrom(1, 1e200, 1e-200),
      fc.double({ min: 1e-3, max: 1e3, noNaN: true }),
      fc.integer({ min: 1, max: 4 }),
      fc.integer(),
    ],
    { numRuns: 200 },
  )("runs the Wasm kernel on the chain's Wasm-held gradient, to the same bits as the JavaScript backend", (n, scale, maxNorm, steps, seed) => {
    const make = () => chain([{ kind: "clipByGlobalNorm", maxNorm }], new Adam({ lr: 0.01 }));
    setBackend("js");
    const js = make();
    setBackend("wasm");
    const wasm = make();
    const pa = Float64Array.from({ length: n }, (_, i) => Math.sin(seed + i));
    const pb = Float64Array.from(pa);
    for (let t = 0; t < steps; t++) {
      const g = Float64Array.from({ length: n }, (_, i) => scale * Math.cos(seed * 0.37 + 1.3 * t + 0.7 * i));
      js.step(pa, g);
      wasm.step(pb, g);
    }
    expect(bytes(pb)).toEqual(bytes(pa));
    // its transformed gradient is Wasm memory (beside Adam's two buffers), which dispose gives back
    const used = backendInfo().memoryUsed;
    wasm.dispose();
    const block = n === 0 ? 0 : Math.ceil((8 * n) / 64) * 64; // the arena's blocks are 64-byte aligned
    expect(used - backendInfo().memoryUsed).toBe(3 * block);
    setBackend("auto");
  });
});
