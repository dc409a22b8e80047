// Lion (Chen et al. 2023), derived by hand: every intermediate below is an exact binary fraction.
import { describe, expect, it } from "vitest";
import { Lion } from "gradstep";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";

const momentumOf = (opt: Lion) => Array.from(decodeFloat64(opt.snapshot().buffers.momentum) ?? []);

describe("Lion", () => {
  it("c = β₁m + (1 − β₁)g, θ ← θ − η(sign(c) + λθ), m ← β₂m + (1 − β₂)g: two steps", () => {
    const opt = new Lion({ lr: 0.5, beta1: 0.5, beta2: 0.75, weightDecay: 0.25 });
    const theta = Float64Array.of(1, -2);
    // c = 0.5·0 + 0.5·[2, −4] = [1, −2], sign = [1, −1]
    // θ = [1 − 0.5·(1 + 0.25·1), −2 − 0.5·(−1 + 0.25·(−2))] = [0.375, −1.25];  m = 0.25·[2, −4] = [0.5, −1]
    opt.step(theta, Float64Array.of(2, -4));
    expect(Array.from(theta)).toEqual([0.375, -1.25]);
    expect(momentumOf(opt)).toEqual([0.5, -1]);
    // c = 0.5·[0.5, −1] + 0.5·[−1, −3] = [−0.25, −2], sign = [−1, −1]: the first coordinate turns
    // although m still points the other way
    // θ = [0.375 − 0.5·(−1 + 0.09375), −1.25 − 0.5·(−1 − 0.3125)] = [0.828125, −0.59375]
    // m = 0.75·[0.5, −1] + 0.25·[−1, −3] = [0.125, −1.5]
    opt.step(theta, Float64Array.of(-1, -3));
    expect(Array.from(theta)).toEqual([0.828125, -0.59375]);
    expect(momentumOf(opt)).toEqual([0.125, -1.5]);
    expect(opt.stepCount).toBe(2);
  });

  it("moves each coordinate by exactly η whatever the gradient's size, and not at all where c = 0", () => {
    const opt = new Lion({ lr: 0.125 });
    const theta = Float64Array.of(1, 1, 1, 1);
    opt.step(theta, Float64Array.of(1e300, -1e-300, 0, -0));
    expect(Array.from(theta)).toEqual([0.875, 1.125, 1, 1]);
  });

  it("has the paper's defaults: lr 1e-4, β₁ 0.9, β₂ 0.99, decoupled weight decay", () => {
    const o = new Lion().options;
    expect([o.lr, o.beta1, o.beta2, o.weightDecay, o.weightDecayMode]).toEqual([1e-4, 0.9, 0.99, 0, "decoupled"]);
  });

  it('weightDecayMode "l2" adds λθ to the gradient instead', () => {
    const opt = new Lion({ lr: 0.5, beta1: 0.5, weightDecay: 2, weightDecayMode: "l2" });
    const theta = Float64Array.of(1);
    // ĝ = −1 + 2·1 = 1: c = 0.5, θ = 1 − 0.5 = 0.5
    opt.step(theta, Float64Array.of(-1));
    expect(theta[0]).toBe(0.5);
  });

  it("refuses β₁ or β₂ outside [0, 1) and a non-positive lr, naming the option", () => {
    expect(() => new Lion({ beta1: 1 })).toThrow(/beta1/);
    expect(() => new Lion({ beta2: -0.1 })).toThrow(/beta2/);
    expect(() => new Lion({ lr: 0 })).toThrow(/lr/);
  });
});
