import { describe, expect, it } from "vitest";
import { Adam, GradientDescent, StepLimitError } from "gradstep";
import { bytes } from "../helpers.js";

function atStep(stepCount: number) {
  const opt = new Adam({ lr: 0.5, beta: 0.5, gamma: 0.75, eps: 1e-8, epsPlacement: "inside" });
  opt.step(new Float64Array(1), Float64Array.of(2)); // m = 1, v = 1
  opt.restore({ ...opt.snapshot(), stepCount });
  return opt;
}

describe("the step count", () => {
  it("stays an exact integer past 2^31 and 2^32", () => {
    for (const start of [2 ** 31 - 1, 2 ** 32 - 1]) {
      const opt = atStep(start);
      const p = new Float64Array(1);
      for (let i = 0; i < 3; i++) opt.step(p, Float64Array.of(1));
      expect(opt.stepCount).toBe(start + 3);
    }
  });

  it("refuses the step that would pass 2^53 − 1, changing nothing", () => {
    const opt = atStep(Number.MAX_SAFE_INTEGER - 1);
    const p = Float64Array.of(3);
    opt.step(p, Float64Array.of(1));
    expect(opt.stepCount).toBe(Number.MAX_SAFE_INTEGER);
    const before = { p: bytes(p), state: JSON.stringify(opt.snapshot()) };
    expect(() => opt.step(p, Float64Array.of(1))).toThrow(StepLimitError);
    expect(bytes(p)).toEqual(before.p);
    expect(JSON.stringify(opt.snapshot())).toBe(before.state);
  });

  it("gives Adam an exact bias correction once β^t underflows", () => {
    // t = 2^40: β^t = 0.5^(2^40) and γ^t underflow to 0, so m̃ = m and ṽ = v exactly.
    // m = 0.5·1 + 0.5·2 = 1.5, v = 0.75·1 + 0.25·4 = 1.75; θ = −0.5·1.5/√(1.75 + 1e-8)
    const opt = atStep(2 ** 40);
    const p = new Float64Array(1);
    opt.step(p, Float64Array.of(2));
    expect(p[0]).toBe(-(0.5 * 1.5) / Math.sqrt(1.75 + 1e-8));
  });

  it("is kept by snapshots and zeroed by reset", () => {
    const opt = new GradientDescent();
    for (let i = 0; i < 5; i++) opt.step(new Float64Array(2), new Float64Array(2));
    expect(opt.snapshot().stepCount).toBe(5);
    opt.reset();
    expect(opt.stepCount).toBe(0);
  });
});
