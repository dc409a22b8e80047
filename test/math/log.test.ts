// src/math/log.ts against three sources: IEEE's results for the special inputs, mpmath's correctly
// rounded log x (the fixture), and Math.log: bit for bit on Node 20, whose Math.log is the same
// fdlibm port; and against its WebAssembly twin (math_log), bit for bit.
import { describe, expect, test } from "vitest";
import { log } from "../../src/math/log.js";
import { negativeNaN, random, randomBits, reference, wasmMath } from "./math-inputs.js";
import { againstMath, againstMpmath, drawn, FDLIBM_ENGINE, nudge } from "./port-checks.js";

/** Inputs and IEEE-754's log x for them. */
const SPECIAL: [number, number][] = [
  [Number.NaN, Number.NaN],
  [negativeNaN(), Number.NaN],
  [Infinity, Infinity],
  [-Infinity, Number.NaN],
  [0, -Infinity],
  [-0, -Infinity],
  [1, 0],
  [-1, Number.NaN],
  [-Number.MIN_VALUE, Number.NaN],
  [Number.MIN_VALUE, -744.4400719213812], // the smallest subnormal: scaled by 2^54 first
  [2.2250738585072014e-308, -708.3964185322641], // the smallest normal
  [Number.MAX_VALUE, 709.782712893384],
  [2, Math.LN2],
  [10, Math.LN10],
];

/** Inputs across the port's branches, drawn in turn. */
function draws(next: () => number): (() => number)[] {
  return [
    () => 2 ** (-1074 + 2098 * next()), // every exponent, subnormals included
    () => 1 + 10 * next(), // the log-sum-exp's sums, s in [1, K]
    () => 1 + (next() - 0.5) * 2 ** (-60 * next()), // near 1: |f| < 2^−20 and the k = 0 branches
    () => nudge(Math.SQRT2 * 2 ** Math.round(-1000 + 2000 * next()), next), // √2·2^k: the normalization switch
    () => randomBits(next), // any double
  ];
}

describe("log", () => {
  test("special inputs give IEEE's results (NaN, ±∞, ±0, 1, negatives, subnormals)", () => {
    for (const [x, expected] of SPECIAL) {
      const y = log(x);
      if (Number.isNaN(expected)) expect(y).toBeNaN();
      else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 1 ulp of the correctly rounded log x (mpmath) on targeted and random inputs", () => {
    const { count, worst, notRounded } = againstMpmath("log", log);
    expect(count).toBeGreaterThan(10_000);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's log is not correctly rounded everywhere: 1.3% of these inputs are one ulp off
    expect(notRounded / count).toBeLessThan(0.05);
  });

  test("the same bits as Math.log (Node 20) on 10^6 random inputs, the fixture's and the special ones", () => {
    const next = random(23);
    const inputs = [...SPECIAL.map(([x]) => x), ...reference("log").map(({ x }) => x), ...drawn(1_000_000, draws(next))];
    const { count, differ, worst, first } = againstMath(log, Math.log, inputs);
    expect(count).toBeGreaterThan(1_000_000);
    if (FDLIBM_ENGINE) {
      expect(first).toBe("");
      expect(differ).toBe(0);
    } else {
      expect(worst).toBeLessThanOrEqual(1); // another engine's log: both within 1 ulp of log x
    }
  });

  test("its WebAssembly twin (math_log) gives the same bits on 10^7 inputs across the branches, the fixture's and the special ones", () => {
    const { plain, shared } = wasmMath();
    const fixed = [...SPECIAL.map(([x]) => x), ...reference("log").map(({ x }) => x)];
    for (const wasm of [plain.math_log, shared.math_log]) expect(againstMath(log, wasm, fixed).first).toBe("");
    const next = random(33);
    const { count, differ, first } = againstMath(log, plain.math_log, drawn(10_000_000, draws(next)));
    expect(count).toBe(10_000_000);
    expect(first).toBe("");
    expect(differ).toBe(0);
    expect(againstMath(log, shared.math_log, drawn(1_000_000, draws(next))).first).toBe(""); // the shared-memory module too
  });
});
