// src/math/pow.ts against three sources: ECMAScript's results for the special inputs, mpmath's
// correctly rounded x^y (test/fixtures/pow-reference.json, gen_pow_reference.py), and Math.pow: bit
// for bit on Node 20, whose Math.pow is the same fdlibm port.
import { readFileSync } from "node:fs";
import { describe, expect, test } from "vitest";
import { pow } from "../../src/math/pow.js";
import { fromHex, random, randomBits, sameBits, ulpDistance } from "./math-inputs.js";
import { FDLIBM_ENGINE } from "./port-checks.js";

/** [x, y, x^y] as ECMAScript's Number::exponentiate defines them. */
const SPECIAL: [number, number, number][] = [
  [NaN, 0, 1],
  [NaN, -0, 1],
  [2, NaN, NaN],
  [NaN, 1, NaN],
  [1, Infinity, NaN],
  [-1, -Infinity, NaN],
  [1, NaN, NaN],
  [1.5, Infinity, Infinity],
  [-1.5, Infinity, Infinity],
  [1.5, -Infinity, 0],
  [0.5, Infinity, 0],
  [0.5, -Infinity, Infinity],
  [-0.5, -Infinity, Infinity],
  [Infinity, 0.5, Infinity],
  [Infinity, -2, 0],
  [-Infinity, 3, -Infinity],
  [-Infinity, 2, Infinity],
  [-Infinity, -3, -0],
  [-Infinity, -2, 0],
  [0, 3, 0],
  [0, -3, Infinity],
  [-0, 3, -0],
  [-0, 2, 0],
  [-0, -3, -Infinity],
  [-0, -2, Infinity],
  [-0, 0.5, 0],
  [-8, 1 / 3, NaN],
  [-2, 3, -8],
  [-2, -3, -0.125],
  [-2, 2, 4],
  [2, 10, 1024],
  [10, 22, 1e22],
  [3, 40, 12157665459056928801], // 3^40 rounds to this double: "nearly rounded" gets the integer's rounding right
  [2, -1074, Number.MIN_VALUE],
  [2, -1075, 0],
  [2, 1024, Infinity],
  [10, 309, Infinity],
  [0.5, 1074, Number.MIN_VALUE],
  [4, 0.5, 2],
  [2, 0.5, Math.SQRT2],
  [7, 1, 7],
  [7, -1, 1 / 7],
];

describe("pow", () => {
  test("special inputs give ECMAScript's results (NaN, ±∞, ±0, signs of odd powers, exact integers, overflow, subnormals)", () => {
    for (const [x, y, expected] of SPECIAL) {
      const z = pow(x, y);
      if (Number.isNaN(expected)) expect(z, `${x} ** ${y}`).toBeNaN();
      else expect([x, y, z]).toEqual([x, y, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 1 ulp of the correctly rounded x^y (mpmath) on the library's powers and random ones", () => {
    const data = JSON.parse(readFileSync(new URL("../fixtures/pow-reference.json", import.meta.url), "utf8")) as { pow: [string, string, string][] };
    let worst = 0;
    let notRounded = 0;
    for (const [hx, hy, hz] of data.pow) {
      const d = ulpDistance(pow(fromHex(hx), fromHex(hy)), fromHex(hz));
      if (d > worst) worst = d;
      if (d > 0) notRounded++;
    }
    expect(data.pow.length).toBeGreaterThan(5000);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's pow is nearly rounded: 5.2% of these (many near overflow and in the subnormal range) are one ulp off
    expect(notRounded / data.pow.length).toBeLessThan(0.08);
  });

  test("the same bits as Math.pow (Node 20) on 10^6 pairs: the library's powers, every exponent, random bits", () => {
    const next = random(29);
    const draws: (() => [number, number])[] = [
      () => [0.8 + 0.2 * next(), Math.floor(1e5 * next())], // β^t
      () => [2 * next(), 100 * next() - 50],
      () => [2 ** (-1074 + 2098 * next()), 6 * next() - 3], // every exponent
      () => [-4 * next(), Math.floor(60 * next()) - 30], // negative x, integer y
      () => [1 + (next() - 0.5) * 1e-9, (next() - 0.5) * 1e12], // |y| > 2^31 near 1
      () => [0.5 + 0.5 * next(), 1020 + 60 * next()], // subnormal results
      () => [randomBits(next), randomBits(next)],
      () => [randomBits(next), Math.floor(10 * next()) - 5],
    ];
    let differ = 0;
    let worst = 0;
    let first = "";
    for (let i = 0; i < 1_000_000; i++) {
      const [x, y] = draws[i % draws.length]();
      const a = pow(x, y);
      const b = Math.pow(x, y);
      if (sameBits(a, b)) continue;
      if (differ++ === 0) first = `pow(${x}, ${y}): port ${a}, Math ${b}`;
      worst = Math.max(worst, ulpDistance(a, b));
    }
    if (FDLIBM_ENGINE) {
      expect(first).toBe("");
      expect(differ).toBe(0);
    } else {
      expect(worst).toBeLessThanOrEqual(2); // another engine's pow: both within an ulp of x^y
    }
  });
});
