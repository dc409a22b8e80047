// Two steps of each rule, every expected value derived by hand in the comments. Inputs are chosen so
// that most intermediates are exact binary fractions; where ε enters, the first-order expansion
// 1/(1 + δ) ≈ 1 − δ is exact to far below the tolerance.
import { describe, expect, it } from "vitest";
import { AdaGrad, Adam, GradientDescent, Momentum, Nesterov, NormalizedGradient, RMSProp } from "gradstep";
import { expectClose } from "../helpers.js";

describe("GradientDescent", () => {
  it("θ ← θ − η·g", () => {
    const opt = new GradientDescent({ lr: 0.5 });
    const theta = Float64Array.of(1, -2);
    opt.step(theta, Float64Array.of(2, -4)); // [1 − 0.5·2, −2 + 0.5·4] = [0, 0]
    expect(Array.from(theta)).toEqual([0, 0]);
    opt.step(theta, Float64Array.of(1, 3)); // [0 − 0.5, 0 − 1.5]
    expect(Array.from(theta)).toEqual([-0.5, -1.5]);
    expect(opt.stepCount).toBe(2);
  });
});

describe("Momentum", () => {
  it("V ← βV + (1 − β)g, θ ← θ − ηV", () => {
    const opt = new Momentum({ lr: 0.5, beta: 0.5 });
    const theta = Float64Array.of(1);
    opt.step(theta, Float64Array.of(2)); // V = 0.5·0 + 0.5·2 = 1;      θ = 1 − 0.5·1 = 0.5
    expect(theta[0]).toBe(0.5);
    opt.step(theta, Float64Array.of(-4)); // V = 0.5·1 + 0.5·(−4) = −1.5; θ = 0.5 + 0.75 = 1.25
    expect(theta[0]).toBe(1.25);
  });
});

describe("Nesterov", () => {
  // f(x) = x², ∇f(x) = 2x, η = 0.5, β = 0.5, θ_0 = 1, V_0 = 0.
  function run(lookAhead: "lecture" | "udl"): { points: number[]; thetas: number[] } {
    const opt = new Nesterov({ lr: 0.5, beta: 0.5, lookAhead });
    const theta = Float64Array.of(1);
    const out = new Float64Array(1);
    const points: number[] = [];
    const thetas: number[] = [];
    for (let t = 0; t < 2; t++) {
      const at = opt.gradientPoint(theta, out);
      points.push(at[0]);
      opt.step(theta, Float64Array.of(2 * at[0]));
      thetas.push(theta[0]);
    }
    return { points, thetas };
  }

  it("lecture: gradient at θ − η·V", () => {
    // t=0: θ̂ = 1 − 0.5·0 = 1;     g = 2; V = 0.5·2 = 1;           θ = 1 − 0.5·1 = 0.5
    // t=1: θ̂ = 0.5 − 0.5·1 = 0;   g = 0; V = 0.5·1 + 0 = 0.5;     θ = 0.5 − 0.25 = 0.25
    expect(run("lecture")).toEqual({ points: [1, 0], thetas: [0.5, 0.25] });
  });

  it("udl: gradient at θ − η·β·V", () => {
    // t=0: as above, θ = 0.5
    // t=1: θ̂ = 0.5 − 0.5·0.5·1 = 0.25; g = 0.5; V = 0.5·1 + 0.5·0.5 = 0.75; θ = 0.5 − 0.375 = 0.125
    expect(run("udl")).toEqual({ points: [1, 0.25], thetas: [0.5, 0.125] });
  });

  it("the gradient point is θ itself before the first step", () => {
    const opt = new Nesterov({ lr: 0.5 });
    const out = new Float64Array(2);
    expect(Array.from(opt.gradientPoint(Float64Array.of(3, 4), out))).toEqual([3, 4]);
  });
});

describe("NormalizedGradient", () => {
  it("each coordinate moves by η·|g|/(|g| + ε), a zero gradient not at all", () => {
    const opt = new NormalizedGradient({ lr: 0.25, eps: 1e-8 });
    const theta = Float64Array.of(1, 1, 1);
    // 0.25·3/(3 + 1e-8) = 0.25·(1 − 3.3333e-9) = 0.25 − 8.3333e-10; g = −0.5: 0.25 − 5e-9; g = 0: 0
    opt.step(theta, Float64Array.of(3, -0.5, 0));
    expectClose(theta, [0.75 + 8.333333333e-10, 1.25 - 5e-9, 1]);
    // 0.25·1e-8/(1e-8 + 1e-8) = 0.125: a gradient as small as ε moves half a step
    opt.step(theta, Float64Array.of(0, 0, 1e-8));
    expectClose(theta, [0.75 + 8.333333333e-10, 1.25 - 5e-9, 0.875]);
  });
});

describe("AdaGrad", () => {
  it("lecture form: θ ← θ − η·g/√(G + ε)", () => {
    const opt = new AdaGrad({ lr: 0.5, eps: 1e-8, epsPlacement: "inside" });
    const theta = Float64Array.of(1);
    opt.step(theta, Float64Array.of(3)); // G = 9;  Δ = 1.5/√(9 + 1e-8) = 0.5·(1 − 5.5556e-10)
    expectClose(theta, [0.5 + 2.7777777778e-10]);
    opt.step(theta, Float64Array.of(4)); // G = 25; Δ = 2/√(25 + 1e-8) = 0.4·(1 − 2e-10)
    expectClose(theta, [0.1 + 2.7777777778e-10 + 8e-11]);
  });

  it("PyTorch form (default): θ ← θ − η·g/(√G + ε)", () => {
    const opt = new AdaGrad({ lr: 0.5, eps: 1e-8 });
    const theta = Float64Array.of(1);
    opt.step(theta, Float64Array.of(3)); // Δ = 1.5/(3 + 1e-8) = 0.5·(1 − 3.3333e-9)
    expectClose(theta, [0.5 + 1.6666666667e-9]);
    opt.step(theta, Float64Array.of(4)); // Δ = 2/(5 + 1e-8) = 0.4·(1 − 2e-9)
    expectClose(theta, [0.1 + 1.6666666667e-9 + 8e-10]);
  });
});

describe("RMSProp", () => {
  it("lecture form: E ← ρE + (1 − ρ)g², θ ← θ − η·g/√(E + ε)", () => {
    const opt = new RMSProp({ lr: 0.5, rho: 0.5, eps: 1e-8, epsPlacement: "inside" });
    const theta = Float64Array.of(0);
    opt.step(theta, Float64Array.of(2)); // E = 0.5·4 = 2;       Δ = 1/√(2 + 1e-8) = (1/√2)(1 − 2.5e-9)
    const d1 = Math.SQRT1_2 * (1 - 2.5e-9);
    expectClose(theta, [-d1]);
    opt.step(theta, Float64Array.of(-2)); // E = 0.5·2 + 2 = 3; Δ = −1/√(3 + 1e-8) = −(1/√3)(1 − 1.6667e-9)
    expectClose(theta, [-d1 + (1 / Math.sqrt(3)) * (1 - 1.6666666667e-9)]);
  });

  it("PyTorch form (default): θ ← θ − η·g/(√E + ε)", () => {
    const opt = new RMSProp({ lr: 0.5, rho: 0.5, eps: 1e-8 });
    const theta = Float64Array.of(0);
    opt.step(theta, Float64Array.of(2)); // Δ = 1/(√2 + 1e-8) = (1/√2)(1 − 7.0711e-9)
    expectClose(theta, [-Math.SQRT1_2 * (1 - 7.0710678119e-9)]);
  });
});

describe("Adam", () => {
  // η = 0.5, β = 0.5, γ = 0.75, ε = 1e-8, θ_0 = 0.
  // t=1: g = 2:  m = 1,                v = 0.25·4 = 1;          m̃ = 1/0.5 = 2,       ṽ = 1/0.25 = 4
  // t=2: g = −2: m = 0.5 − 1 = −0.5,   v = 0.75 + 1 = 1.75;     m̃ = −0.5/0.75 = −2/3, ṽ = 1.75/0.4375 = 4
  it("lecture form: θ ← θ − η·m̃/√(ṽ + ε)", () => {
    const opt = new Adam({ lr: 0.5, beta: 0.5, gamma: 0.75, eps: 1e-8, epsPlacement: "inside" });
    const theta = Float64Array.of(0);
    opt.step(theta, Float64Array.of(2)); // Δ = 0.5·2/√(4 + 1e-8) = 0.5·(1 − 1.25e-9)
    expectClose(theta, [-0.5 + 6.25e-10]);
    opt.step(theta, Float64Array.of(-2)); // Δ = 0.5·(−2/3)/√(4 + 1e-8) = −(1/6)(1 − 1.25e-9)
    expectClose(theta, [-0.5 + 6.25e-10 + (1 / 6) * (1 - 1.25e-9)]);
  });

  it("PyTorch form (default): θ ← θ − η·m̃/(√ṽ + ε)", () => {
    const opt = new Adam({ lr: 0.5, beta: 0.5, gamma: 0.75, eps: 1e-8 });
    const theta = Float64Array.of(0);
    opt.step(theta, Float64Array.of(2)); // Δ = 0.5·2/(2 + 1e-8) = 0.5·(1 − 5e-9)
    expectClose(theta, [-0.5 + 2.5e-9]);
    opt.step(theta, Float64Array.of(-2)); // Δ = −(1/6)(1 − 5e-9)
    expectClose(theta, [-0.5 + 2.5e-9 + (1 / 6) * (1 - 5e-9)]);
  });

  it("has PyTorch's defaults", () => {
    expect(new Adam().options).toEqual({
      lr: 1e-3, beta: 0.9, gamma: 0.999, eps: 1e-8, epsPlacement: "outside", amsgrad: false,
      maximize: false, weightDecay: 0, weightDecayMode: "l2", nonFinite: "throw",
    });
  });
});

describe("NormalizedGradient, global norm", () => {
  it("θ ← θ − η·g/(‖g‖₂ + ε): the step has length η in the direction of −g", () => {
    const opt = new NormalizedGradient({ lr: 0.5, eps: 1e-8, norm: "global" });
    const theta = Float64Array.of(1, 1);
    opt.step(theta, Float64Array.of(3, -4)); // ‖g‖ = 5: θ ≈ [1 − 0.5·3/5, 1 + 0.5·4/5] = [0.7, 1.4]
    const first = [1 - (0.5 * 3) / (5 + 1e-8), 1 + (0.5 * 4) / (5 + 1e-8)];
    expectClose(theta, first, 1e-15);
    expectClose(theta, [0.7, 1.4], 1e-9); // ε shifts it by 1e-9 relative
    opt.step(theta, Float64Array.of(0, 1e-3)); // ‖g‖ = 1e-3: θ₂ moves by 0.5·1e-3/(1e-3 + 1e-8) ≈ 0.499995
    const second = [first[0], first[1] - (0.5 * 1e-3) / (1e-3 + 1e-8)];
    expectClose(theta, second, 1e-15);
    opt.step(theta, Float64Array.of(0, 0)); // a zero gradient: no move
    expectClose(theta, second, 0);
  });

  it("a huge η with a zero gradient leaves θ where it is (ĝ/(‖ĝ‖ + ε) is divided first: no ∞·0)", () => {
    const opt = new NormalizedGradient({ lr: 1.7e300, norm: "global" });
    const theta = Float64Array.of(1, -1);
    opt.step(theta, Float64Array.of(0, 0));
    expect(Array.from(theta)).toEqual([1, -1]);
  });

  it("is exact where Σ g² overflows or underflows (‖g‖ by scaling, as Math.hypot)", () => {
    for (const scale of [1e200, 1e-200, 1e300]) {
      const g = Float64Array.from([3, -4, 12], (x) => x * scale); // ‖g‖ = 13·scale
      const opt = new NormalizedGradient({ lr: 1, eps: 1e-300, norm: "global" });
      const theta = new Float64Array(3);
      opt.step(theta, g);
      const norm = Math.hypot(...g);
      expectClose(theta, Array.from(g, (x) => -x / (norm + 1e-300)), 1e-15);
    }
  });
});
