// src/math/sin.ts and cos.ts (with their argument reduction, rem-pio2.ts and rem-pio2-large.ts, and
// kernels, trig-kernels.ts) against three sources: IEEE's results for the special inputs, mpmath's
// correctly rounded sin x and cos x (the fixture, huge x included), and Math.sin / Math.cos: bit for
// bit on Node 20, whose Math.sin and Math.cos are the same fdlibm ports.
import { describe, expect, test } from "vitest";
import { cos } from "../../src/math/cos.js";
import { sin } from "../../src/math/sin.js";
import { type MathFunction, negativeNaN, random, randomBits, reference } from "./math-inputs.js";
import { againstMath, againstMpmath, drawn, FDLIBM_ENGINE, nudge } from "./port-checks.js";

/** Inputs and IEEE-754's sin x and cos x for them (1e22: the classic test of the reduction). */
const SPECIAL: [number, number, number][] = [
  [Number.NaN, Number.NaN, Number.NaN],
  [negativeNaN(), Number.NaN, Number.NaN],
  [Infinity, Number.NaN, Number.NaN],
  [-Infinity, Number.NaN, Number.NaN],
  [0, 0, 1],
  [-0, -0, 1],
  [Number.MIN_VALUE, Number.MIN_VALUE, 1],
  [-Number.MIN_VALUE, -Number.MIN_VALUE, 1],
  [1e-300, 1e-300, 1],
  [1e22, -0.8522008497671888, 0.523214785395139],
  [-1e22, 0.8522008497671888, 0.523214785395139],
];

const pair: [string, MathFunction, MathFunction, 1 | 2][] = [
  ["sin", sin, Math.sin, 1],
  ["cos", cos, Math.cos, 2],
];

describe.each(pair)("%s", (name, port, math, column) => {
  test("special inputs give IEEE's results (NaN, ±∞, ±0, tiny, 1e22)", () => {
    for (const row of SPECIAL) {
      const [x, expected] = [row[0], row[column]];
      const y = port(x);
      if (Number.isNaN(expected)) expect(y).toBeNaN();
      else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 1 ulp of the correctly rounded value (mpmath) on targeted and random inputs, huge ones included", () => {
    const { count, worst, notRounded } = againstMpmath(name as "sin" | "cos", port);
    expect(count).toBeGreaterThan(9000);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's sin and cos are not correctly rounded everywhere: 2.8% and 2.4% of these inputs are one ulp off
    expect(notRounded / count).toBeLessThan(0.05);
  });

  test(`the same bits as Math.${name} (Node 20) on 10^6 random inputs, the fixture's and the special ones`, () => {
    const next = random(column === 1 ? 24 : 25);
    const draws = [
      () => -10 + 20 * next(), // the models' range (the Gabor model's z)
      () => (next() - 0.5) * 2 ** (-70 * next()), // near 0: |x| < 2^−27
      () => nudge((Math.PI / 2) * Math.round(-1e4 + 2e4 * next()), next), // N·π/2 ± 4 ulps: cancellation in the reduction
      () => (next() - 0.5) * 2 ** (20 + 4 * next()) * Math.PI, // around 2^19·π/2, where the medium path ends
      () => (next() < 0.5 ? -1 : 1) * 2 ** (1024 * next()), // every exponent: the large-argument reduction
      () => randomBits(next), // any double
    ];
    const inputs = [...SPECIAL.map(([x]) => x), ...reference(name as "sin" | "cos").map(({ x }) => x), ...drawn(1_000_000, draws)];
    const { count, differ, worst, first } = againstMath(port, math, inputs);
    expect(count).toBeGreaterThan(1_000_000);
    if (FDLIBM_ENGINE) {
      expect(first).toBe("");
      expect(differ).toBe(0);
    } else {
      expect(worst).toBeLessThanOrEqual(1); // another engine's: both within 1 ulp of the true value
    }
  });
});
