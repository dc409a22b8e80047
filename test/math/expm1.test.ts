// src/math/expm1.ts against three sources: IEEE's results for the special inputs, mpmath's correctly
// rounded e^x − 1 (the fixture), and Math.expm1: bit for bit on Node 20, whose Math.expm1 is the same
// fdlibm port; and against its WebAssembly twin (math_expm1), bit for bit.
import { describe, expect, test } from "vitest";
import { expm1 } from "../../src/math/expm1.js";
import { negativeNaN, random, randomBits, reference, wasmMath } from "./math-inputs.js";
import { againstMath, againstMpmath, drawn, FDLIBM_ENGINE, nudge } from "./port-checks.js";

/** Inputs and IEEE-754's e^x − 1 for them. */
const SPECIAL: [number, number][] = [
  [Number.NaN, Number.NaN],
  [negativeNaN(), Number.NaN],
  [Infinity, Infinity],
  [-Infinity, -1],
  [0, 0],
  [-0, -0],
  [Number.MIN_VALUE, Number.MIN_VALUE],
  [-Number.MIN_VALUE, -Number.MIN_VALUE],
  [1e-300, 1e-300],
  [709.782712893384, 1.7976931348622732e308], // the largest input whose result is finite
  [709.7827128933841, Infinity],
  [Number.MAX_VALUE, Infinity],
  [-40, -1], // e^−40 < 2^−54: −1 + e^−40 rounds to −1
  [-Number.MAX_VALUE, -1],
];

/** Inputs across the port's branches, drawn in turn. */
function draws(next: () => number): (() => number)[] {
  const LN2 = Math.LN2;
  const k = () => Math.round(-60 + next() * 1084);
  return [
    () => -40 + next() * 750, // where e^x − 1 is neither −1 nor ∞
    () => (next() - 0.5) * 2 ** (-60 * next()), // near 0: the k = 0 branch and |x| < 2^−54
    () => nudge(k() * LN2, next), // k·ln2 ± 4 ulps
    () => nudge((k() + 0.5) * LN2, next), // (k + ½)·ln2 ± 4 ulps: k switches
    () => -3 + 6 * next(), // k = −1, 0, 1 and the x < −0.25 branch
    () => randomBits(next), // any double
  ];
}

describe("expm1", () => {
  test("special inputs give IEEE's results (NaN, ±∞, ±0, tiny, overflow, −1)", () => {
    for (const [x, expected] of SPECIAL) {
      const y = expm1(x);
      if (Number.isNaN(expected)) expect(y).toBeNaN();
      else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 1 ulp of the correctly rounded e^x − 1 (mpmath) on targeted and random inputs", () => {
    const { count, worst, notRounded } = againstMpmath("expm1", expm1);
    expect(count).toBeGreaterThan(5000);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's expm1 is not correctly rounded everywhere: 6.6% of these inputs are one ulp off
    expect(notRounded / count).toBeLessThan(0.1);
  });

  test("the same bits as Math.expm1 (Node 20) on 10^6 random inputs, the fixture's and the special ones", () => {
    const next = random(21);
    const inputs = [...SPECIAL.map(([x]) => x), ...reference("expm1").map(({ x }) => x), ...drawn(1_000_000, draws(next))];
    const { count, differ, worst, first } = againstMath(expm1, Math.expm1, inputs);
    expect(count).toBeGreaterThan(1_000_000);
    if (FDLIBM_ENGINE) {
      expect(first).toBe("");
      expect(differ).toBe(0);
    } else {
      expect(worst).toBeLessThanOrEqual(1); // another engine's expm1: both within 1 ulp of e^x − 1
    }
  });

  test("its WebAssembly twin (math_expm1) gives the same bits on 10^7 inputs across the branches, the fixture's and the special ones", () => {
    const { plain, shared } = wasmMath();
    const fixed = [...SPECIAL.map(([x]) => x), ...reference("expm1").map(({ x }) => x)];
    for (const wasm of [plain.math_expm1, shared.math_expm1]) expect(againstMath(expm1, wasm, fixed).first).toBe("");
    const next = random(31);
    const { count, differ, first } = againstMath(expm1, plain.math_expm1, drawn(10_000_000, draws(next)));
    expect(count).toBe(10_000_000);
    expect(first).toBe("");
    expect(differ).toBe(0);
    expect(againstMath(expm1, shared.math_expm1, drawn(1_000_000, draws(next))).first).toBe(""); // the shared-memory module too
  });
});
