// src/math/tanh.ts against three sources: IEEE's results for the special inputs, mpmath's correctly
// rounded tanh x (the fixture), and Math.tanh: bit for bit on Node 20, whose Math.tanh is the same
// fdlibm port; and against its WebAssembly twin (math_tanh), bit for bit.
import { describe, expect, test } from "vitest";
import { tanh } from "../../src/math/tanh.js";
import { negativeNaN, random, randomBits, reference, wasmMath } from "./math-inputs.js";
import { againstMath, againstMpmath, drawn, FDLIBM_ENGINE, nudge } from "./port-checks.js";

/** Inputs and IEEE-754's tanh x for them. */
const SPECIAL: [number, number][] = [
  [Number.NaN, Number.NaN],
  [negativeNaN(), Number.NaN],
  [Infinity, 1],
  [-Infinity, -1],
  [0, 0],
  [-0, -0],
  [Number.MIN_VALUE, Number.MIN_VALUE],
  [-Number.MIN_VALUE, -Number.MIN_VALUE],
  [1e-300, 1e-300],
  [-1e-300, -1e-300],
  [22, 1], // 1 − tanh 22 < 2^−63
  [-22, -1],
  [1e300, 1],
  [-Number.MAX_VALUE, -1],
];

/** Inputs across the port's branches, drawn in turn. */
function draws(next: () => number): (() => number)[] {
  return [
    () => -25 + 50 * next(), // the whole unsaturated range and past it
    () => -1.5 + 3 * next(), // both formulas, around |x| = 1
    () => (next() - 0.5) * 2 ** (-70 * next()), // near 0: |x| < 2^−28
    () => nudge(next() < 0.5 ? 1 : 22, next, 40) * (next() < 0.5 ? -1 : 1), // the thresholds 1 and 22
    () => randomBits(next), // any double
  ];
}

describe("tanh", () => {
  test("special inputs give IEEE's results (NaN, ±∞, ±0, tiny, saturation)", () => {
    for (const [x, expected] of SPECIAL) {
      const y = tanh(x);
      if (Number.isNaN(expected)) expect(y).toBeNaN();
      else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 2 ulps of the correctly rounded tanh x (mpmath) on targeted and random inputs", () => {
    const { count, worst, notRounded } = againstMpmath("tanh", tanh);
    expect(count).toBeGreaterThan(3000);
    // fdlibm's tanh (1 − 2/(expm1(2|x|) + 2) and −t/(t + 2)) rounds more than once: its bound is
    // 2.5 ulps; measured here at most 2, and 18% of these inputs not correctly rounded
    expect(worst).toBeLessThanOrEqual(2);
    expect(notRounded / count).toBeLessThan(0.25);
  });

  test("the same bits as Math.tanh (Node 20) on 10^6 random inputs, the fixture's and the special ones", () => {
    const next = random(22);
    const inputs = [...SPECIAL.map(([x]) => x), ...reference("tanh").map(({ x }) => x), ...drawn(1_000_000, draws(next))];
    const { count, differ, worst, first } = againstMath(tanh, Math.tanh, inputs);
    expect(count).toBeGreaterThan(1_000_000);
    if (FDLIBM_ENGINE) {
      expect(first).toBe("");
      expect(differ).toBe(0);
    } else {
      expect(worst).toBeLessThanOrEqual(3); // another engine's tanh: both within 2.5 ulps or less of tanh x
    }
  });

  test("its WebAssembly twin (math_tanh) gives the same bits on 10^7 inputs across the branches, the fixture's and the special ones", () => {
    const { plain, shared } = wasmMath();
    const fixed = [...SPECIAL.map(([x]) => x), ...reference("tanh").map(({ x }) => x)];
    for (const wasm of [plain.math_tanh, shared.math_tanh]) expect(againstMath(tanh, wasm, fixed).first).toBe("");
    const next = random(32);
    const { count, differ, first } = againstMath(tanh, plain.math_tanh, drawn(10_000_000, draws(next)));
    expect(count).toBe(10_000_000);
    expect(first).toBe("");
    expect(differ).toBe(0);
    expect(againstMath(tanh, shared.math_tanh, drawn(1_000_000, draws(next))).first).toBe(""); // the shared-memory module too
  });
});
