// Two steps of each peer optimizer and configuration, expected values derived by hand in the comments.
import { describe, expect, it } from "vitest";
import { AdaGrad, Adadelta, Adam, Adamax, GradientDescent, Momentum, NAdam, RAdam, RMSProp, Rprop, SGD } from "gradstep";
import { expectClose } from "../helpers.js";

function steps(opt: { step(p: Float64Array, g: Float64Array): void }, theta0: number, grads: number[]): number[] {
  const theta = Float64Array.of(theta0);
  return grads.map((g) => {
    opt.step(theta, Float64Array.of(g));
    return theta[0];
  });
}

describe("SGD (PyTorch)", () => {
  it("heavy-ball: B_1 = g, then B ← μB + g", () => {
    // η = 0.5, μ = 0.5, θ0 = 1, g = 2, 2:  B = 2, θ = 1 − 1 = 0;  B = 1 + 2 = 3, θ = 0 − 1.5
    expect(steps(new SGD({ lr: 0.5, momentum: 0.5 }), 1, [2, 2])).toEqual([0, -1.5]);
  });

  it("Nesterov: direction g + μB", () => {
    // B = 2, dir = 2 + 1 = 3, θ = 1 − 1.5 = −0.5;  B = 1 + 2 = 3, dir = 2 + 1.5 = 3.5, θ = −0.5 − 1.75
    expect(steps(new SGD({ lr: 0.5, momentum: 0.5, nesterov: true }), 1, [2, 2])).toEqual([-0.5, -2.25]);
  });

  it("dampening spares the first step", () => {
    // τ = 0.5: B = 2 (not dampened), θ = 0;  B = 0.5·2 + 0.5·2 = 2, θ = −1
    expect(steps(new SGD({ lr: 0.5, momentum: 0.5, dampening: 0.5 }), 1, [2, 2])).toEqual([0, -1]);
  });

  it("without momentum is GradientDescent, bit for bit", () => {
    const grads = [0.3, -1.7, 2.9, 1e-3];
    expect(steps(new SGD({ lr: 0.07 }), 0.4, grads)).toEqual(steps(new GradientDescent({ lr: 0.07 }), 0.4, grads));
  });
});

describe("the common options", () => {
  it("L2 weight decay adds λθ to the gradient", () => {
    // η = 0.5, λ = 0.5, θ = 2, g = 1: ĝ = 1 + 1 = 2, θ = 1;  ĝ = 1 + 0.5 = 1.5, θ = 0.25
    expect(steps(new GradientDescent({ lr: 0.5, weightDecay: 0.5 }), 2, [1, 1])).toEqual([1, 0.25]);
  });

  it("decoupled weight decay shrinks θ by 1 − ηλ", () => {
    // θ = 0.75·2 − 0.5·1 = 1;  θ = 0.75·1 − 0.5 = 0.25
    expect(steps(new GradientDescent({ lr: 0.5, weightDecay: 0.5, weightDecayMode: "decoupled" }), 2, [1, 1])).toEqual([1, 0.25]);
  });

  it("maximize ascends: the same as descending on −g, bit for bit", () => {
    const grads = [0.3, -1.7, 2.9, 1e-3, 0];
    const up = steps(new Adam({ lr: 0.01, maximize: true }), 0.4, grads);
    expect(up).toEqual(steps(new Adam({ lr: 0.01 }), 0.4, grads.map((g) => -g)));
    expect(up[0]).toBeGreaterThan(0.4);
  });
});

describe("Adam with AMSGrad", () => {
  // η = 0.5, β = γ = 0.5, θ0 = 0.  t=1, g=2: m = 1, v = 2, v̂ = 2; a = 0.5/0.5 = 1, c = 2: θ = −1/√4 = −0.5
  // t=2, g=0: m = 0.5, v = 1, v̂ = 2; a = 0.5/0.75 = 2/3, c = 4/3:
  //   AMSGrad θ = −0.5 − (2/3)·0.5/√(8/3) = −0.5 − 0.2041241;  plain θ = −0.5 − (2/3)·0.5/√(4/3) = −0.5 − 0.2886751
  it("divides by the running maximum of the raw v", () => {
    expectClose(steps(new Adam({ lr: 0.5, beta: 0.5, gamma: 0.5, eps: 1e-12, amsgrad: true }), 0, [2, 0]), [-0.5, -0.70412414523], 1e-11);
    expectClose(steps(new Adam({ lr: 0.5, beta: 0.5, gamma: 0.5, eps: 1e-12 }), 0, [2, 0]), [-0.5, -0.78867513459], 1e-11);
  });

  it("equals plain Adam while v never decreases", () => {
    const grads = [0.1, -0.2, 0.4, -0.8, 1.6];
    expect(steps(new Adam({ lr: 0.01, amsgrad: true }), 1, grads)).toEqual(steps(new Adam({ lr: 0.01 }), 1, grads));
  });
});

describe("AdaGrad (PyTorch options)", () => {
  it("lrDecay and initialAccumulator", () => {
    // η = 1, decay 1, G0 = 1.  g = √3: η_1 = 1, G = 4, θ = −√3/2;  g = √12: η_2 = 1/2, G = 16, θ −= 0.5·√12/4
    const opt = new AdaGrad({ lr: 1, lrDecay: 1, initialAccumulator: 1, eps: 1e-300 });
    expectClose(steps(opt, 0, [Math.sqrt(3), Math.sqrt(12)]), [-0.86602540378, -0.86602540378 - 0.43301270189], 1e-11);
  });
});

describe("RMSProp (PyTorch options)", () => {
  it("centered: divides by √(E − ḡ²)", () => {
    // η = 0.5, ρ = 0.5.  g = 2: E = 2, ḡ = 1, σ² = 1, θ = −1;  g = 4: E = 9, ḡ = 2.5, σ² = 2.75, θ = −1 − 2/√2.75
    expectClose(steps(new RMSProp({ lr: 0.5, rho: 0.5, eps: 1e-300, centered: true }), 0, [2, 4]), [-1, -1 - 1.20604537831], 1e-11);
  });

  it("momentum: B ← μB + g/√E, θ ← θ − ηB", () => {
    // g = 2: E = 2, B = √2, θ = −0.5√2;  g = 2: E = 3, B = 0.5√2 + 2/√3, θ −= 0.5·B
    const b2 = 0.5 * Math.SQRT2 + 2 / Math.sqrt(3);
    expectClose(steps(new RMSProp({ lr: 0.5, rho: 0.5, eps: 1e-300, momentum: 0.5 }), 0, [2, 2]), [-0.70710678119, -0.70710678119 - 0.5 * b2], 1e-11);
  });
});

describe("Adamax", () => {
  it("u ← max(γu, |g| + ε)", () => {
    // η = 0.5, β = γ = 0.5, ε ≈ 0.  g = 2: m = 1, u = 2, a = 0.5/0.5 = 1, θ = −0.5
    // g = 1: m = 1, u = max(1, 1) = 1, a = 0.5/0.75 = 2/3, θ = −0.5 − 2/3
    expectClose(steps(new Adamax({ lr: 0.5, beta: 0.5, gamma: 0.5, eps: 1e-300 }), 0, [2, 1]), [-0.5, -0.5 - 2 / 3], 1e-15);
  });
});

describe("NAdam", () => {
  // η = 0.1, β = γ = 0.5, ψ = 0 so μ_t = 0.5·(1 − 0.5) = 0.25 for all t; g = 2:
  // m = 1, v = 2, D = √(2/0.5) = 2; P_1 = 0.25; a = 0.1·0.75/0.75 = 0.1; θ = −0.1·2/2 − b·1/2
  it("uses 1 − P_t·μ_(t+1) in the momentum term (PyTorch ≥ 2.0)", () => {
    // b = 0.1·0.25/(1 − 0.0625) = 0.0266667
    expectClose(steps(new NAdam({ lr: 0.1, beta: 0.5, gamma: 0.5, momentumDecay: 0, eps: 1e-300 }), 0, [2]), [-0.1 - 0.0266666666667 / 2], 1e-12);
  });

  it("legacyMuProduct reproduces PyTorch 1.13's 1 − P_t·μ_t·μ_(t+1)", () => {
    // b = 0.025/(1 − 0.015625) = 0.0253968
    const opt = new NAdam({ lr: 0.1, beta: 0.5, gamma: 0.5, momentumDecay: 0, eps: 1e-300, legacyMuProduct: true });
    expectClose(steps(opt, 0, [2]), [-0.1 - 0.0253968253968 / 2], 1e-12);
  });
});

describe("RAdam", () => {
  it("is momentum SGD with bias correction while ρ_t ≤ 5", () => {
    // η = 0.1, β = 0.5, γ = 0.999: ρ_1 = 1999 − 2·0.999/0.001 = 1 → θ = −0.1·(1/0.5) = −0.2
    // t=2, g = 2: m = 1.5, m̃ = 1.5/0.75 = 2, ρ_2 ≈ 2 → θ = −0.4
    expectClose(steps(new RAdam({ lr: 0.1, beta: 0.5 }), 0, [2, 2]), [-0.2, -0.4], 1e-15);
  });

  it("rectifies once ρ_t > 5, as its formula says", () => {
    // γ = 0.5: ρ_∞ = 3, never > 5; γ = 0.9: ρ_∞ = 19, ρ_t > 5 from t = 6.
    const opt = new RAdam({ lr: 0.1, beta: 0.5, gamma: 0.9, eps: 1e-8 });
    const theta = Float64Array.of(0);
    let m = 0;
    let v = 0;
    let expected = 0;
    for (let t = 1; t <= 8; t++) {
      opt.step(theta, Float64Array.of(1));
      m = 0.5 * m + 0.5;
      v = 0.9 * v + 0.1;
      const rhoT = 19 - (2 * t * 0.9 ** t) / (1 - 0.9 ** t);
      const mHat = m / (1 - 0.5 ** t);
      if (rhoT > 5) {
        const r = Math.sqrt(((rhoT - 4) * (rhoT - 2) * 19) / (15 * 17 * rhoT));
        expected -= (0.1 * mHat * r * Math.sqrt(1 - 0.9 ** t)) / (Math.sqrt(v) + 1e-8);
      } else {
        expected -= 0.1 * mHat;
      }
      expect(t <= 5 ? rhoT <= 5 : rhoT > 5).toBe(true);
      expectClose(theta, [expected], 1e-14);
    }
  });
});

describe("Adadelta", () => {
  it("Δ = √(D + ε)/√(E + ε)·g, then D is updated", () => {
    // η = 1, ρ = 0.5, ε = 0.5.  g = 1: E = 0.5, Δ = √0.5/√1 = 0.7071068, D = 0.25, θ = −0.7071068
    // g = 1: E = 0.75, Δ = √0.75/√1.25 = √0.6 = 0.7745967, θ = −1.4817035
    expectClose(steps(new Adadelta({ lr: 1, rho: 0.5, eps: 0.5 }), 0, [1, 1]), [-0.70710678119, -0.70710678119 - 0.77459666924], 1e-11);
  });
});

describe("Rprop", () => {
  it("grows the step while the sign holds, shrinks it and pauses on a flip", () => {
    // Δ0 = 0.1: g = 3 (no previous): θ = −0.1;  g = 5: Δ = 0.12, θ = −0.22;
    // g = −1: flip, Δ = 0.06, no move;  g = −1: previous taken as 0, Δ stays 0.06, θ = −0.16
    expectClose(steps(new Rprop({ lr: 0.1 }), 0, [3, 5, -1, -1]), [-0.1, -0.22, -0.22, -0.16], 1e-15);
  });

  it("keeps the step size within [stepMin, stepMax]", () => {
    const opt = new Rprop({ lr: 0.1, etaPlus: 2, stepMax: 0.3, etaMinus: 0.1, stepMin: 0.05 });
    // Δ: 0.1 → 0.2 → 0.3 (capped) → flip: 0.03 → 0.05 (floored, no move)
    expectClose(steps(opt, 0, [1, 1, 1, -1]), [-0.1, -0.3, -0.6, -0.6], 1e-15);
  });
});

describe("identities between rules", () => {
  it("Adam with β = 0, once γ^t has underflowed, is RMSProp with ρ = γ, bit for bit", () => {
    // β = 0 makes m = g; at t ≥ 2^40 both bias corrections are exactly 1, so m̃/√ṽ = g/√v.
    for (const epsPlacement of ["inside", "outside"] as const) {
      const adam = new Adam({ lr: 0.01, beta: 0, gamma: 0.9, eps: 1e-8, epsPlacement });
      adam.step(new Float64Array(1), new Float64Array(1)); // a zero gradient: state stays zero
      adam.restore({ ...adam.snapshot(), stepCount: 2 ** 40 });
      const rms = new RMSProp({ lr: 0.01, rho: 0.9, eps: 1e-8, epsPlacement });
      const grads = [0.5, -2, 3e-3, 7, -0.25];
      expect(steps(adam, 1, grads)).toEqual(steps(rms, 1, grads));
    }
  });

  it("Momentum with β = 0 is GradientDescent, bit for bit", () => {
    const grads = [0.5, -2, 3e-3, 7];
    expect(steps(new Momentum({ lr: 0.1, beta: 0 }), 1, grads)).toEqual(steps(new GradientDescent({ lr: 0.1 }), 1, grads));
  });
});
