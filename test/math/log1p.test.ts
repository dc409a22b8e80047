// src/math/log1p.ts against three sources: IEEE's results for the special inputs, mpmath's correctly
// rounded log(1 + x) (the fixture), and Math.log1p; and against its WebAssembly twin (math_log1p),
// bit for bit.
import { describe, expect, test } from "vitest";
import { log1p } from "../../src/math/log1p.js";
import { type MathFunction, negativeNaN, random, randomBits, reference, sameBits, ulpDistance, wasmMath } from "./math-inputs.js";

const { plain, shared } = wasmMath();
const twins: [string, MathFunction][] = [
  ["JS", log1p],
  ["Wasm (plain memory)", plain.math_log1p],
  ["Wasm (shared memory)", shared.math_log1p],
];

/** Inputs and IEEE-754's log(1 + x) for them. */
const SPECIAL: [number, number][] = [
  [Number.NaN, Number.NaN],
  [negativeNaN(), Number.NaN],
  [Infinity, Infinity],
  [-Infinity, Number.NaN],
  [0, 0],
  [-0, -0],
  [Number.MIN_VALUE, Number.MIN_VALUE],
  [-Number.MIN_VALUE, -Number.MIN_VALUE],
  [-1, -Infinity],
  [-1.0000000000000002, Number.NaN],
  [-2, Number.NaN],
  [-Number.MAX_VALUE, Number.NaN],
  [1, Math.LN2],
  [Number.MAX_VALUE, 709.782712893384],
  [1e-300, 1e-300],
  [-0.9999999999999999, -36.7368005696771], // 1 + x = 2^−53
];

describe("log1p", () => {
  test.each(twins)("%s: special inputs give IEEE's results (NaN, ±∞, ±0, −1, below −1)", (_, f) => {
    for (const [x, expected] of SPECIAL) {
      const y = f(x);
      if (Number.isNaN(expected)) expect(y).toBeNaN();
      else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 1 ulp of the correctly rounded log(1 + x) (mpmath) on targeted and random inputs", () => {
    const cases = reference("log1p");
    let worst = 0;
    let notRounded = 0;
    for (const { x, rounded } of cases) {
      const d = ulpDistance(log1p(x), rounded);
      if (d > worst) worst = d;
      if (d > 0) notRounded++;
    }
    expect(cases.length).toBeGreaterThan(5000);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's log1p is not correctly rounded everywhere: 1.3% of these inputs are one ulp off
    expect(notRounded / cases.length).toBeLessThan(0.1);
  });

  test("JS and Wasm give the same bits on 10^5 random inputs, the fixture's and the special ones", () => {
    const next = random(3);
    const inputs: number[] = [...SPECIAL.map(([x]) => x), ...reference("log1p").map(({ x }) => x)];
    for (let i = 0; i < 25_000; i++) {
      inputs.push(-1 + next() * 2); // (−1, 1): the k = 0 branch and the correction term
      inputs.push(Math.expm1(-40 + next() * 730)); // 1 + x up to 1e308
      inputs.push((next() - 0.5) * 2 ** (-70 * next())); // near 0: |x| < 2^−29 and 2^−54
      inputs.push(randomBits(next)); // any double
    }
    let differ = 0;
    let firstDifference = "";
    for (const x of inputs) {
      const y = log1p(x);
      for (const wasm of [plain.math_log1p, shared.math_log1p]) {
        if (!sameBits(y, wasm(x)) && differ++ === 0) firstDifference = `log1p(${x}): JS ${y}, Wasm ${wasm(x)}`;
      }
    }
    expect(inputs.length).toBeGreaterThan(100_000);
    expect(firstDifference).toBe("");
    expect(differ).toBe(0);
  });

  test("within 1 ulp of Math.log1p on 10^6 random inputs in (−1, 1e300]", () => {
    const next = random(4);
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // half in (−1, 1), half spread over the exponents up to 1e300
      const x = i % 2 === 0 ? -1 + (1 - next()) * 2 : Math.expm1(next() * 690.8);
      const d = ulpDistance(log1p(x), Math.log1p(x));
      if (d > worst) worst = d;
    }
    // Node's Math.log1p is the same fdlibm port (V8's ieee754::log1p): there the distance is 0
    expect(worst).toBeLessThanOrEqual(1);
  });
});
