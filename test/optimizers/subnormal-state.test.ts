// The "Backends" guide's section on subnormal numbers: a moving average fed exact zeros decays into
// the subnormal range and rounding holds it there. Its claims, checked on both backends against the
// update written out in float64 here (m ← β₁·m + (1 − β₁)·g; B ← μ·B + g, PyTorch 1.13's order).
import { afterEach, describe, expect, it } from "vitest";
import { Adam, backendInfo, setBackend, SGD } from "gradstep";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";

const TINY = 2 ** -1074; // the least subnormal double
const STEPS = 8000;

/** The state buffer `name` of `opt`, from its snapshot. */
function buffer(opt: Adam | SGD, name: string): number[] {
  const { buffers } = opt.snapshot() as unknown as { buffers: Record<string, string> };
  return Array.from(decodeFloat64(buffers[name]) ?? []);
}

describe("a moving average fed zeros stays subnormal (the Backends guide)", () => {
  const initial = backendInfo().choice;
  afterEach(() => setBackend(initial));

  it("the written-out updates: 0.9 · 5·2⁻¹⁰⁷⁴ rounds back to 5·2⁻¹⁰⁷⁴, from any start above it", () => {
    expect(0.9 * (5 * TINY)).toBe(5 * TINY);
    expect(0.9 * (4 * TINY)).toBe(4 * TINY); // (and 1–4·2⁻¹⁰⁷⁴, from below)
    for (const start of [6, 11, 1000, 1e9]) {
      let m = start * TINY;
      for (let t = 0; t < 300; t++) m = 0.9 * m + (1 - 0.9) * 0;
      expect(m).toBe(5 * TINY);
    }
  });

  for (const backend of ["js", "wasm"] as const) {
    it(`Adam's first moment and SGD's momentum buffer end at 5·2⁻¹⁰⁷⁴ and stay there (${backend})`, () => {
      setBackend(backend);
      const g0 = [1e-3, -2e-3, 0.5, 7];
      const zero = new Float64Array(4);
      const adam = new Adam({ lr: 1e-3 });
      const sgd = new SGD({ lr: 1e-3, momentum: 0.9 });
      const p = new Float64Array([1, 2, 3, 4]);
      const q = new Float64Array([1, 2, 3, 4]);
      adam.step(p, Float64Array.from(g0));
      sgd.step(q, Float64Array.from(g0));
      // the same numbers written out: m₁ = (1 − β₁)·g₀ and B₁ = g₀, then fed zeros
      const m = g0.map((g) => 0.9 * 0 + (1 - 0.9) * g);
      const b = [...g0];
      for (let t = 1; t < STEPS; t++) {
        adam.step(p, zero);
        sgd.step(q, zero);
        for (let i = 0; i < 4; i++) {
          m[i] = 0.9 * m[i] + (1 - 0.9) * 0;
          b[i] = 0.9 * b[i] + 0;
        }
      }
      const expected = g0.map((g) => Math.sign(g) * 5 * TINY);
      expect(m).toEqual(expected);
      expect(b).toEqual(expected);
      expect(buffer(adam, "firstMoment")).toEqual(expected);
      expect(buffer(sgd, "momentumBuffer")).toEqual(expected);
      adam.dispose();
      sgd.dispose();
    });
  }
});
