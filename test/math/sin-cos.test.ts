// src/math/sin.ts and cos.ts (with their argument reduction, rem-pio2.ts and rem-pio2-large.ts, and
// kernels, trig-kernels.ts) against three sources: IEEE's results for the special inputs, mpmath's
// correctly rounded sin x and cos x (the fixture, huge x included), and Math.sin / Math.cos: bit for
// bit on Node 20, whose Math.sin and Math.cos are the same fdlibm ports. Then their WebAssembly twins
// (src/math/sin.wat, cos.wat, trig-at.wat, rem-pio2*.wat, trig-kernels.wat: math_sin, math_cos and
// math_sin_cos) against the same special values and mpmath, and bit for bit against the JS ports and
// Math.* on 10^7 inputs.
import { describe, expect, test } from "vitest";
import { cos } from "../../src/math/cos.js";
import { sin } from "../../src/math/sin.js";
import { type MathFunction, negativeNaN, random, randomBits, reference, sameBits, wasmMath, wasmMathMemory } from "./math-inputs.js";
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

const { plain, shared } = wasmMath();
/** sin and cos from one call of a module's math_sin_cos (a pair: JavaScript sees its two results as an array). */
const sinCosOf = (exports: Record<string, MathFunction>, column: 1 | 2): MathFunction => {
  const both = exports.math_sin_cos as unknown as (x: number) => [number, number];
  return (x) => both(x)[column - 1];
};
const twins: [string, MathFunction, MathFunction][] = [
  ["Wasm math_sin, math_cos (plain memory)", plain.math_sin, plain.math_cos],
  ["Wasm math_sin, math_cos (shared memory)", shared.math_sin, shared.math_cos],
  ["Wasm math_sin_cos (plain memory)", sinCosOf(plain, 1), sinCosOf(plain, 2)],
  ["Wasm math_sin_cos (shared memory)", sinCosOf(shared, 1), sinCosOf(shared, 2)],
];

describe.each(twins)("%s", (_, wasmSin, wasmCos) => {
  test("special inputs give IEEE's results (NaN, ±∞, ±0, tiny, 1e22)", () => {
    for (const [x, s, c] of SPECIAL) {
      for (const [y, expected] of [[wasmSin(x), s], [wasmCos(x), c]]) {
        if (Number.isNaN(expected)) expect(y).toBeNaN();
        else expect([x, y]).toEqual([x, expected]); // toEqual tells +0 from −0
      }
    }
  });

  test("within 1 ulp of the correctly rounded value (mpmath), and the JS port's bits, on the fixture's inputs (huge ones included)", () => {
    for (const [name, f, port] of [["sin", wasmSin, sin], ["cos", wasmCos, cos]] as const) {
      expect(againstMpmath(name, f).worst).toBeLessThanOrEqual(1);
      const { count, first } = againstMath(f, port, reference(name).map(({ x }) => x));
      expect(count).toBeGreaterThan(9000);
      expect(first).toBe("");
    }
  });
});

test(
  "the Wasm twins give the JS ports' bits, and Math.sin's and Math.cos's (Node 20), on 10^7 inputs over every magnitude and reduction path",
  () => {
    const next = random(26);
    const EDGES = [Math.PI / 4, (3 * Math.PI) / 4, Math.PI / 2, 2 ** 19 * (Math.PI / 2), 2 ** 20 * (Math.PI / 2)]; // where the reduction changes path
    const draws = [
      () => -10 + 20 * next(), // the models' range (the Gabor model's z)
      () => (next() - 0.5) * 2 ** (-70 * next()), // near 0: |x| < 2^−27
      () => (next() < 0.5 ? -1 : 1) * next() * 2 ** -1022, // subnormal (or ±0)
      () => nudge((Math.PI / 2) * Math.round(-1e4 + 2e4 * next()), next), // N·π/2 ± 4 ulps: cancellation in the reduction
      () => nudge((Math.PI / 2) * Math.round(2 ** 21 * (next() - 0.5)), next), // the same up to the end of the medium path
      () => (next() < 0.5 ? -1 : 1) * EDGES[Math.floor(next() * EDGES.length)] * (1 + (next() - 0.5) * 2 ** (-52 + 40 * next())), // the paths' edges
      () => (next() - 0.5) * 2 ** (20 + 4 * next()) * Math.PI, // around 2^19·π/2, where the medium path ends
      () => (next() < 0.5 ? -1 : 1) * 2 ** (1024 * next()), // every exponent: the large-argument reduction
      () => randomBits(next), // any double (NaN and ±∞ among them)
    ];
    const specials = [...SPECIAL.map(([x]) => x), Number.MAX_VALUE, -Number.MAX_VALUE, 2 ** -1022, 2 ** -1022 - 2 ** -1074, ...EDGES, ...EDGES.map((x) => -x)];
    const CHUNK = 1 << 16;
    const TOTAL = 10_000_000;
    const IN = 65536 / 8;
    const OUT = IN + CHUNK;
    const PAIRS = OUT + CHUNK; // math_sin_cos_array's sin, cos pairs
    const pages = Math.ceil(((PAIRS + 2 * CHUNK) * 8) / 65536);
    const modules = [wasmMathMemory(false, pages), wasmMathMemory(true, pages)];
    let count = 0;
    let differ = 0;
    let first = "";
    const check = (label: string, x: number, y: number, expected: number) => {
      if (!sameBits(y, expected) && differ++ === 0) first = `${label}(${x}): ${y}, expected ${expected}`;
    };
    for (let chunk = 0; count < TOTAL; chunk++) {
      // every chunk through the plain-memory module, every eighth through the shared-memory one too
      const { exports, heap } = modules[chunk % 8 === 7 ? 1 : 0];
      const n = Math.min(CHUNK, TOTAL - count);
      for (let i = 0; i < n; i++) heap[IN + i] = chunk === 0 && i < specials.length ? specials[i] : draws[i % draws.length]();
      exports.math_sin_cos_array(IN * 8, PAIRS * 8, n);
      for (const [name, port, math] of [["sin", sin, Math.sin], ["cos", cos, Math.cos]] as const) {
        exports[`math_${name}_array`](IN * 8, OUT * 8, n);
        for (let i = 0; i < n; i++) {
          const x = heap[IN + i];
          const y = port(x);
          check(`Wasm ${name}`, x, heap[OUT + i], y);
          check(`Wasm math_sin_cos's ${name}`, x, heap[PAIRS + 2 * i + (name === "sin" ? 0 : 1)], y);
          if (FDLIBM_ENGINE) check(`Math.${name}`, x, math(x), y);
        }
      }
      count += n;
    }
    expect(count).toBe(TOTAL);
    expect(first).toBe("");
    expect(differ).toBe(0);
  },
  600_000,
);
