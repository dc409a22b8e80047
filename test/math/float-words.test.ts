// src/math/float-words.ts against the IEEE-754 encoding read through a DataView (big-endian words,
// independent of the machine's byte order) and against powers of two from Math.pow.
import { expect, test } from "vitest";
import { fromWords, highWord, lowWord, powerOfTwo } from "../../src/math/float-words.js";

const view = new DataView(new ArrayBuffer(8));
const high = (x: number) => {
  view.setFloat64(0, x);
  return view.getInt32(0);
};

test("highWord is the signed high 32 bits of the encoding", () => {
  expect(highWord(1)).toBe(0x3ff00000);
  expect(highWord(-0)).toBe(0x80000000 | 0);
  expect(highWord(-1)).toBe(0xbff00000 | 0);
  expect(highWord(Infinity)).toBe(0x7ff00000);
  expect(highWord(Number.MIN_VALUE)).toBe(0);
  for (const x of [Math.PI, -Math.E, 1e300, -1e-300, Number.MAX_VALUE, 2.2250738585072014e-308, Math.SQRT2 - 1]) {
    expect(highWord(x)).toBe(high(x));
  }
});

test("lowWord is the unsigned low 32 bits of the encoding, and fromWords puts both words back", () => {
  const low = (x: number) => {
    view.setFloat64(0, x);
    return view.getUint32(4);
  };
  expect(lowWord(1)).toBe(0);
  expect(lowWord(Number.MIN_VALUE)).toBe(1);
  expect(lowWord(-Number.MIN_VALUE)).toBe(1);
  expect(lowWord(Math.PI)).toBe(0x54442d18);
  expect(fromWords(0x3ff00000, 0)).toBe(1);
  expect(fromWords(0x400921fb, 0x54442d18)).toBe(Math.PI);
  expect(Object.is(fromWords(0x80000000 | 0, 0), -0)).toBe(true);
  for (const x of [Math.PI, -Math.E, 1e300, -1e-300, Number.MAX_VALUE, 2.2250738585072014e-308, Math.SQRT2 - 1, 5e-324, 0.1]) {
    expect(lowWord(x)).toBe(low(x));
    expect(fromWords(highWord(x), lowWord(x))).toBe(x);
  }
});

test("powerOfTwo(k) is 2^k exactly for every k in [−1074, 1023], normal and subnormal", () => {
  for (let k = -1074; k <= 1023; k++) {
    const p = powerOfTwo(k);
    expect(p).toBe(2 ** k);
    view.setFloat64(0, p);
    const bits = view.getBigUint64(0);
    // one bit set: the exponent field k + 1023 for a normal number, mantissa bit k + 1074 for a subnormal
    expect(bits).toBe(k >= -1022 ? BigInt(k + 1023) << 52n : 1n << BigInt(k + 1074));
  }
});
