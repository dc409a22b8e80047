// The math ports give the same bits in every engine: the SHA-256 of each one's outputs over seeded
// inputs (golden-inputs.ts, the same doubles in every engine) is fixed here, and the browser check
// (scripts/browser/math-page.js) asserts that Chromium computes the same digests. On Node 20 they are
// also the digests of Math.* itself (the same fdlibm code): checked too, as an independent source.
import { createHash } from "node:crypto";
import { expect, test } from "vitest";
import { cos, cosAt } from "../../src/math/cos.js";
import { exp, expAt } from "../../src/math/exp.js";
import { expm1, expm1At } from "../../src/math/expm1.js";
import { log, logAt } from "../../src/math/log.js";
import { log1p, log1pAt } from "../../src/math/log1p.js";
import { pow, powAt } from "../../src/math/pow.js";
import { sin, sinAt } from "../../src/math/sin.js";
import { tanh, tanhAt } from "../../src/math/tanh.js";
import { GOLDEN_COUNT, GOLDEN_RANGES, goldenInputs, goldenOutputs, goldenPowInputs, goldenPowOutputs } from "./golden-inputs.js";
import { FDLIBM_ENGINE } from "./port-checks.js";

const ports: Record<string, (x: number) => number> = { exp, log1p, expm1, tanh, log, sin, cos };
const inPlace: Record<string, (a: Float64Array, i: number) => void> = { exp: expAt, log1p: log1pAt, expm1: expm1At, tanh: tanhAt, log: logAt, sin: sinAt, cos: cosAt };
const digest = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);

/** The digests, engine-independent by construction: any change to a port's bits changes them. */
const GOLDEN = {
  exp: "d7719be47674156e",
  log1p: "3ad722e976ec67a5",
  expm1: "521094ccafea7adb",
  tanh: "f927c36c1c07acff",
  log: "609e3aa7f81876f1",
  sin: "3bb53ac27502f02c",
  cos: "6be11e8901be69a6",
};
/** pow's, over goldenPowInputs()'s pairs. */
const GOLDEN_POW = "d48ec84c0ee3e0ac";

test("the ports' outputs over the golden inputs have the fixed digests", () => {
  expect(Object.keys(GOLDEN_RANGES)).toEqual(Object.keys(GOLDEN));
  const digests = Object.fromEntries(Object.keys(GOLDEN).map((name) => [name, digest(goldenOutputs(name, ports[name]))]));
  expect(digests).toEqual(GOLDEN);
});

test("the golden inputs: GOLDEN_COUNT per function, the special values first, reproducible", () => {
  for (const name of Object.keys(GOLDEN)) {
    const inputs = goldenInputs(name);
    expect(inputs.length).toBe(GOLDEN_COUNT);
    expect([inputs[0], inputs[1], inputs[2], inputs[3]]).toEqual([0, -0, Infinity, -Infinity]);
    expect(inputs[4]).toBeNaN();
    expect(goldenInputs(name)).toEqual(inputs);
  }
  expect(goldenInputs("sin")).not.toEqual(goldenInputs("cos"));
});

test.runIf(FDLIBM_ENGINE)("on Node 20 the digests are also Math.*'s (the same fdlibm code)", () => {
  const math = Math as unknown as Record<string, (x: number) => number>;
  const digests = Object.fromEntries(Object.keys(GOLDEN).map((name) => [name, digest(goldenOutputs(name, math[name]))]));
  expect(digests).toEqual(GOLDEN);
});

test("the array forms (expAt, …) write f(a[i]) into a[i] and nothing else: the scalar forms' bits", () => {
  for (const name of Object.keys(GOLDEN)) {
    const inputs = goldenInputs(name);
    const a = new Float64Array(inputs.length + 2);
    a.set(inputs, 1);
    a[0] = 12345;
    a[a.length - 1] = -6789;
    for (let i = 1; i <= inputs.length; i++) inPlace[name](a, i);
    expect([a[0], a[a.length - 1]]).toEqual([12345, -6789]);
    const scalar = Float64Array.from(inputs, (x) => ports[name](x));
    // the same bits, NaNs as NaNs
    expect(Array.from(a.subarray(1, -1), (y, i) => Object.is(y, scalar[i]) || (y !== y && scalar[i] !== scalar[i])).every(Boolean)).toBe(true);
  }
});

test("pow over the golden pairs has the fixed digest (on Node 20 also Math.pow's), and powAt writes a[i] only", () => {
  expect(digest(goldenPowOutputs(pow))).toBe(GOLDEN_POW);
  if (FDLIBM_ENGINE) expect(digest(goldenPowOutputs(Math.pow))).toBe(GOLDEN_POW);
  const pairs = goldenPowInputs();
  expect(pairs.length).toBe(2 * GOLDEN_COUNT);
  expect(goldenPowInputs()).toEqual(pairs);
  const a = Float64Array.of(12345, 0, 0, -6789);
  for (let k = 0; k < GOLDEN_COUNT; k++) {
    a[1] = pairs[2 * k];
    a[2] = pairs[2 * k + 1];
    powAt(a, 1);
    const expected = pow(pairs[2 * k], pairs[2 * k + 1]);
    expect(Object.is(a[1], expected) || (a[1] !== a[1] && expected !== expected)).toBe(true);
    expect([a[0], a[2], a[3]]).toEqual([12345, pairs[2 * k + 1], -6789]);
  }
});
