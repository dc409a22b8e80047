// src/math/exp.ts against three sources: IEEE's results for the special inputs, mpmath's correctly
// rounded e^x (the fixture), and Math.exp; and against its WebAssembly twin (math_exp), bit for bit.
import { describe, expect, test } from "vitest";
import { exp } from "../../src/math/exp.js";
import { type MathFunction, negativeNaN, random, randomBits, reference, sameBits, ulpDistance, wasmMath, wasmMathMemory } from "./math-inputs.js";

const { plain, shared } = wasmMath();
const twins: [string, MathFunction][] = [
  ["JS", exp],
  ["Wasm (plain memory)", plain.math_exp],
  ["Wasm (shared memory)", shared.math_exp],
];

/** Inputs and IEEE-754's e^x for them. */
const SPECIAL: [number, number][] = [
  [Number.NaN, Number.NaN],
  [negativeNaN(), Number.NaN],
  [Infinity, Infinity],
  [-Infinity, 0],
  [0, 1],
  [-0, 1],
  [Number.MIN_VALUE, 1],
  [-Number.MIN_VALUE, 1],
  [1, Math.E],
  [709.782712893384, 1.7976931348622732e308], // the largest input whose result is finite
  [709.7827128933841, Infinity], // the next double overflows
  [1000, Infinity],
  [Number.MAX_VALUE, Infinity],
  [-745.1332191019411, 5e-324], // the smallest input whose result is not 0
  [-745.1332191019412, 0],
  [-1000, 0],
  [-Number.MAX_VALUE, 0],
  [-708.3964185322641, 2.2250738585072626e-308], // about the smallest normal result
];

describe("exp", () => {
  test.each(twins)("%s: special inputs give IEEE's results (NaN, ±∞, ±0, overflow, underflow)", (_, f) => {
    for (const [x, expected] of SPECIAL) {
      const y = f(x);
      if (Number.isNaN(expected)) expect(y).toBeNaN();
      else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
    }
  });

  test("within 1 ulp of the correctly rounded e^x (mpmath) on targeted and random inputs", () => {
    const cases = reference("exp");
    let worst = 0;
    let notRounded = 0;
    for (const { x, rounded } of cases) {
      const d = ulpDistance(exp(x), rounded);
      if (d > worst) worst = d;
      if (d > 0) notRounded++;
    }
    expect(cases.length).toBeGreaterThan(5000);
    expect(worst).toBeLessThanOrEqual(1);
    // fdlibm's exp is not correctly rounded everywhere: 6.0% of these inputs (weighted towards the
    // hard ones near k·ln2) are one ulp off
    expect(notRounded / cases.length).toBeLessThan(0.1);
  });

  test("JS and Wasm give the same bits on 10^5 random inputs, the fixture's and the special ones", () => {
    const next = random(1);
    const inputs: number[] = [...SPECIAL.map(([x]) => x), ...reference("exp").map(({ x }) => x)];
    for (let i = 0; i < 25_000; i++) {
      inputs.push(-745.2 + next() * 1455); // the range where e^x is neither 0 nor ∞
      inputs.push((next() - 0.5) * 2 ** (-70 * next())); // near 0: the tiny and k = 0 branches
      inputs.push(Math.round(next() * 2100 - 1075) * Math.LN2 * (1 + (next() - 0.5) * 1e-15)); // near k·ln2
      inputs.push(randomBits(next)); // any double
    }
    let differ = 0;
    let firstDifference = "";
    for (const x of inputs) {
      const y = exp(x);
      for (const wasm of [plain.math_exp, shared.math_exp]) {
        if (!sameBits(y, wasm(x)) && differ++ === 0) firstDifference = `exp(${x}): JS ${y}, Wasm ${wasm(x)}`;
      }
    }
    expect(inputs.length).toBeGreaterThan(100_000);
    expect(firstDifference).toBe("");
    expect(differ).toBe(0);
  });

  test("within 1 ulp of Math.exp on 10^6 random inputs in [−745, 710]", () => {
    const next = random(2);
    let worst = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const x = -745 + next() * 1455;
      const d = ulpDistance(exp(x), Math.exp(x));
      if (d > worst) worst = d;
    }
    // Node's Math.exp is the same fdlibm port (V8's ieee754::exp): there the distance is 0
    expect(worst).toBeLessThanOrEqual(1);
  });
});

describe("math_exp2: e^x of both lanes of an f64x2 (the Wasm batch's sigmoid), bit for bit its scalar twin's", () => {
  const { exports, heap } = wasmMathMemory(false, 256);
  const exp2Array = exports.math_exp2_array as (input: number, output: number, n: number) => void;
  const CHUNK = 1 << 20; // doubles per call: in at 0, out after
  const input = heap.subarray(0, CHUNK);
  const output = heap.subarray(CHUNK, 2 * CHUNK);

  /** Runs `fill`'s 2^20 inputs through math_exp2 and compares each with the JS port; returns the first difference. */
  function compare(fill: (input: Float64Array) => void): string {
    fill(input);
    exp2Array(0, 8 * CHUNK, CHUNK);
    for (let i = 0; i < CHUNK; i++) {
      const want = exp(input[i]);
      if (!sameBits(want, output[i])) return `exp(${input[i]}) in lane ${i % 2} beside ${input[i ^ 1]}: scalar ${want}, f64x2 ${output[i]}`;
    }
    return "";
  }

  test("10^7 inputs: every branch (tiny, k = 0, k = ±1, e, the reduction, and the lanes left to the scalar code), mixed across lanes", () => {
    const next = random(7);
    const kinds: (() => number)[] = [
      () => -745.2 + next() * 1455, // where e^x is neither 0 nor ∞ (subnormal and k = 1024 lanes go scalar)
      () => (next() - 0.5) * 2 ** (-70 * next()), // near 0: tiny and k = 0
      () => (next() - 0.5) * 2.2, // both sides of 0.5·ln2 and 1.5·ln2
      () => Math.round(next() * 2100 - 1075) * Math.LN2 * (1 + (next() - 0.5) * 1e-15), // near k·ln2
      () => (next() < 0.5 ? -1 : 1) * [0.3465735912322998, 1.0397205352783203, 2 ** -28, 707][Math.floor(next() * 4)] * (1 + (next() - 0.5) * 2 ** -50), // at the bounds
      () => [1, -1, 0, -0, Number.NaN, Infinity, -Infinity, 709.78, -708.5, 5e-324][Math.floor(next() * 10)],
      () => randomBits(next),
      () => -Math.abs((next() - 0.5) * 40), // the sigmoid's −|z|
    ];
    let first = "";
    let count = 0;
    for (let round = 0; round < 10 && first === ""; round++) {
      first = compare((values) => {
        for (let i = 0; i < values.length; i++) values[i] = kinds[(i * 7 + round + (next() < 0.3 ? 1 : 0)) % kinds.length]();
      });
      count += CHUNK;
    }
    expect(first).toBe("");
    expect(count).toBeGreaterThanOrEqual(10_000_000);
  });
});
