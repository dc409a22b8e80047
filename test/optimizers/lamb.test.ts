// LAMB (You et al. 2019, Algorithm 2; optax's conventions): closed forms of the first step, the
// ratio's edge cases, and the trust ratio per leaf of a tree.
import { describe, expect, it } from "vitest";
import { Adam, InvalidOptionError, LAMB, tree } from "gradstep";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { bytes, expectClose } from "../helpers.js";

const norm = (v: ArrayLike<number>) => Math.hypot(...Array.from(v));

/** The first step from the formula: m̂ = ĝ, v̂ = ĝ², r = ĝ/(|ĝ| + ε) + λθ, θ − η·(‖θ‖/‖r‖)·r. */
function firstStep(theta: number[], g: number[], lr: number, eps: number, weightDecay = 0): number[] {
  const r = g.map((gi, i) => gi / (Math.sqrt(gi * gi) + eps) + weightDecay * theta[i]);
  const ratio = norm(theta) > 0 && norm(r) > 0 ? norm(theta) / norm(r) : 1;
  return theta.map((t, i) => t - lr * ratio * r[i]);
}

describe("LAMB", () => {
  it("first step: m̂ = g, v̂ = g², and the step has length η·‖θ‖ whatever the gradient's scale", () => {
    for (const scale of [1e-6, 1, 1e6]) {
      const opt = new LAMB({ lr: 0.1 });
      const theta = Float64Array.of(3, 4); // ‖θ‖ = 5
      const g = [10 * scale, -0.01 * scale];
      opt.step(theta, Float64Array.from(g));
      expectClose(theta, firstStep([3, 4], g, 0.1, 1e-6), 1e-15);
      // r ≈ [1, −1] up to ε: the step η·ratio·r has length η·‖θ‖ = 0.5 (r's own length cancels)
      expect(Math.abs(Math.hypot(theta[0] - 3, theta[1] - 4) - 0.5)).toBeLessThan(1e-15);
    }
  });

  it("first step with decoupled weight decay: λθ joins r inside the ratio", () => {
    const opt = new LAMB({ lr: 0.05, weightDecay: 0.5 });
    const theta = Float64Array.of(1, -2, 0.5);
    const g = [0.3, 0.2, -4];
    opt.step(theta, Float64Array.from(g));
    expectClose(theta, firstStep([1, -2, 0.5], g, 0.05, 1e-6, 0.5), 1e-15);
    expect(Math.abs(Math.hypot(theta[0] - 1, theta[1] + 2, theta[2] - 0.5) - 0.05 * Math.hypot(1, 2, 0.5))).toBeLessThan(1e-15);
  });

  it('weightDecayMode "l2" adds λθ to the gradient before the moments instead', () => {
    const opt = new LAMB({ lr: 0.05, weightDecay: 0.5, weightDecayMode: "l2" });
    const theta = Float64Array.of(1, -2, 0.5);
    opt.step(theta, Float64Array.of(0.3, 0.2, -4));
    expectClose(theta, firstStep([1, -2, 0.5], [0.3 + 0.5, 0.2 - 1, -4 + 0.25], 0.05, 1e-6), 1e-15);
  });

  it("the ratio is 1 where ‖θ‖ = 0 (θ moves by η·r, as Adam) and θ stays where ‖r‖ = 0", () => {
    const lamb = new LAMB({ lr: 0.01, eps: 1e-8 });
    const adam = new Adam({ lr: 0.01, eps: 1e-8 });
    const a = new Float64Array(3);
    const b = new Float64Array(3);
    lamb.step(a, Float64Array.of(1, -2, 3));
    adam.step(b, Float64Array.of(1, -2, 3));
    expectClose(a, Array.from(b), 1e-15);
    const still = Float64Array.of(1, 2);
    new LAMB().step(still, new Float64Array(2)); // r = 0: ratio 1, step 0
    expect(Array.from(still)).toEqual([1, 2]);
  });

  it("two steps: the moments and the bias corrections of the second", () => {
    const opt = new LAMB({ lr: 0.1, beta1: 0.5, beta2: 0.75, eps: 1e-3 });
    const theta = Float64Array.of(2, -1);
    opt.step(theta, Float64Array.of(1, 2));
    const after1 = Array.from(theta);
    opt.step(theta, Float64Array.of(-3, 1));
    // m = 0.5·[1, 2]·0.5 + 0.5·[−3, 1] = [−1.25, 1], v = 0.75·0.25·[1, 4] + 0.25·[9, 1] = [2.4375, 1];
    // m̂ = m/0.75, v̂ = v/0.4375
    const m = [-1.25, 1];
    const v = [2.4375, 1];
    const r = m.map((mi, i) => mi / 0.75 / (Math.sqrt(v[i] / 0.4375) + 1e-3));
    const ratio = norm(after1) / norm(r);
    expectClose(theta, after1.map((t, i) => t - 0.1 * ratio * r[i]), 1e-15);
    const buffers = opt.snapshot().buffers;
    expect(Array.from(decodeFloat64(buffers.firstMoment) ?? [])).toEqual(m);
    expect(Array.from(decodeFloat64(buffers.secondMoment) ?? [])).toEqual(v);
  });

  it("norms stay exact where Σ θ² would overflow or underflow", () => {
    for (const scale of [1e200, 1e-200]) {
      const opt = new LAMB({ lr: 0.1 });
      const theta = Float64Array.of(3 * scale, 4 * scale);
      opt.step(theta, Float64Array.of(1, -1));
      // θ scaled by s scales ‖θ‖ and so the step: s times the step from [3, 4]
      expectClose(theta, firstStep([3, 4], [1, -1], 0.1, 1e-6).map((x) => x * scale), 1e-15);
    }
  });

  it("has optax's defaults: lr 1e-3, β₁ 0.9, β₂ 0.999, ε 1e-6, weight decay 0 decoupled", () => {
    const o = new LAMB().options;
    expect([o.lr, o.beta1, o.beta2, o.eps, o.weightDecay, o.weightDecayMode]).toEqual([1e-3, 0.9, 0.999, 1e-6, 0, "decoupled"]);
    expect(() => new LAMB({ beta1: 1 })).toThrow(InvalidOptionError);
    expect(() => new LAMB({ eps: 0 })).toThrow(/eps/);
  });
});

describe("LAMB over a tree: one trust ratio per leaf (per layer)", () => {
  const leaves = () => ({ layer1: { weight: Float64Array.of(0.5, -0.25, 1, 2), bias: Float64Array.of(0.01, -0.02) }, layer2: { weight: Float64Array.of(3, -4) } });
  const grads = (t: number) => ({
    layer1: { weight: Float64Array.of(1, 2, -1, 0.5).map((g) => g * (t + 1)), bias: Float64Array.of(100, -50).map((g) => g / (t + 1)) },
    layer2: { weight: Float64Array.of(-0.001, 0.002).map((g) => g * (t + 2)) },
  });

  it("is bit for bit each leaf stepped alone by a LAMB of its own, and each leaf's first step has length η·‖θ_leaf‖", () => {
    const params = leaves();
    const alone = leaves();
    const opt = tree(new LAMB({ lr: 0.01, weightDecay: 0.01 }));
    const own = { w1: new LAMB({ lr: 0.01, weightDecay: 0.01 }), b1: new LAMB({ lr: 0.01, weightDecay: 0.01 }), w2: new LAMB({ lr: 0.01, weightDecay: 0.01 }) };
    for (let t = 0; t < 5; t++) {
      const g = grads(t);
      const before = leaves();
      if (t === 0) {
        opt.step(params, g);
        // the gradients differ in scale by 1e5 from leaf to leaf; each leaf still moves by 1 % of its own norm
        for (const [p, b] of [[params.layer1.weight, before.layer1.weight], [params.layer1.bias, before.layer1.bias], [params.layer2.weight, before.layer2.weight]] as const) {
          const step = Math.hypot(...Array.from(p, (x, i) => x - b[i]));
          expect(Math.abs(step / (0.01 * norm(b)) - 1)).toBeLessThan(1e-12);
        }
      } else opt.step(params, g);
      own.w1.step(alone.layer1.weight, g.layer1.weight);
      own.b1.step(alone.layer1.bias, g.layer1.bias);
      own.w2.step(alone.layer2.weight, g.layer2.weight);
      expect(bytes(params.layer1.weight)).toEqual(bytes(alone.layer1.weight));
      expect(bytes(params.layer1.bias)).toEqual(bytes(alone.layer1.bias));
      expect(bytes(params.layer2.weight)).toEqual(bytes(alone.layer2.weight));
    }
  });

  it("differs from one LAMB over the concatenation, whose single ratio the large leaf dominates", () => {
    const params = leaves();
    tree(new LAMB({ lr: 0.01 })).step(params, grads(0));
    const flat = Float64Array.of(0.5, -0.25, 1, 2, 0.01, -0.02, 3, -4);
    const g = grads(0);
    new LAMB({ lr: 0.01 }).step(flat, Float64Array.of(...g.layer1.weight, ...g.layer1.bias, ...g.layer2.weight));
    // the bias (‖θ‖ ≈ 0.022) moves by about 1 % of its norm in the tree, by 1 % of the whole vector's (≈ 5.5) flat
    const treeBiasStep = Math.hypot(params.layer1.bias[0] - 0.01, params.layer1.bias[1] + 0.02);
    const flatBiasStep = Math.hypot(flat[4] - 0.01, flat[5] + 0.02);
    expect(treeBiasStep).toBeLessThan(3e-4);
    expect(flatBiasStep).toBeGreaterThan(2e-2);
  });
});
