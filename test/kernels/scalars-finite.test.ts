// scalarsFinite, the step's check of its 16 derived numbers, written slot by slot: against the
// definition (Number.isFinite of each), with NaN and ±Infinity in every slot and signed zeros.
import { describe, expect, it } from "vitest";
import { SCALAR_SLOTS, scalarsFinite } from "../../src/kernels/scalars.js";

describe("scalarsFinite", () => {
  const definition = (s: Float64Array) => s.every((x) => Number.isFinite(x));

  it("covers every slot: NaN, ±Infinity at each one is seen", () => {
    expect(SCALAR_SLOTS).toBe(16);
    for (let slot = 0; slot < SCALAR_SLOTS; slot++) {
      for (const bad of [Number.NaN, Infinity, -Infinity]) {
        const s = Float64Array.from({ length: SCALAR_SLOTS }, (_, k) => k - 7.5);
        s[slot] = bad;
        expect(scalarsFinite(s)).toBe(false);
        expect(definition(s)).toBe(false);
      }
    }
  });

  it("agrees with the definition on finite blocks (extremes, signed zeros, subnormals) and random ones", () => {
    const extremes = [0, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, -Number.MIN_VALUE, 1e308, -1e-308];
    const s = new Float64Array(SCALAR_SLOTS);
    for (let trial = 0; trial < 2000; trial++) {
      for (let k = 0; k < SCALAR_SLOTS; k++) {
        const u = Math.sin(trial * 31 + k * 7) * 1e4;
        s[k] = trial % 3 === 0 ? extremes[(trial + k) % extremes.length] : u;
      }
      if (trial % 5 === 0) s[trial % SCALAR_SLOTS] = trial % 2 === 0 ? Number.NaN : -Infinity;
      expect(scalarsFinite(s)).toBe(definition(s));
    }
  });
});
