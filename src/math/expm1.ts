// e^x − 1 in float64 arithmetic only (+ − × ÷, truncation to an integer, comparisons, reading the
// high 32 bits of a double, scaling by an exact power of two), so that every JavaScript engine gives
// the same bits: engines' Math.expm1 round differently now and then (Chromium's differs from Node 20's
// on about 1 input in 2000).
// Its WebAssembly twin, expm1.wat beside this file (exported as `math_expm1`), is the same operations
// in the same order (tanh.wat's building block).
//
// Ported from fdlibm's s_expm1.c as V8 carries it (src/base/ieee754.cc, which is Math.expm1 in Node
// 20), so the results equal Node 20's Math.expm1 bit for bit (test/math/expm1.test.ts,
// scripts/math/accuracy.ts). Copyright (C) 1993 by Sun Microsystems, Inc.; notice in
// THIRD_PARTY_NOTICES.md. fdlibm's error bound: < 1 ulp.
//
// The method: x = k·ln2 + r with |r| ≤ ln2/2, r carried as hi − lo plus the correction c of its
// rounding; e^r − 1 = r − E from a rational form R1(r²) (a Remez fit, error < 2^−61) with the
// correction folded into E; then e^x − 1 = 2^k·(e^r − 1 + 1) − 1, arranged per range of k so that
// nothing cancels: k = 0 returns r − E, k = ±1 their own forms, k < −1 or k > 56 "2^k·(1 − (E − r)) − 1",
// otherwise 2^k·((1 − 2^−k) − (E − r)) (k < 20) or 2^k·((r − (E + 2^−k)) + 1). Where fdlibm writes the
// words of 1 − 2^−k, 2^−k and 2^k, this uses the same doubles, exactly (POWERS_OF_TWO).

import { HIGH, POWERS_OF_TWO, scratch, words } from "./float-words.js";

const O_THRESHOLD = 709.782712893384; // 0x40862E42 FEFA39EF: above, e^x − 1 overflows
const LN2_HI = 0.6931471803691238; // 0x3FE62E42 FEE00000
const LN2_LO = 1.9082149292705877e-10; // 0x3DEA39EF 35793C76
const INV_LN2 = 1.4426950408889634; // 0x3FF71547 652B82FE
// R1's coefficients scaled by 2^n (fdlibm's Q1 … Q5), for z = x²/2
const Q1 = -0.03333333333333313; // 0xBFA11111 111110F4
const Q2 = 0.0015873015872548146; // 0x3F5A01A0 19FE5585
const Q3 = -0.0000793650757867488; // 0xBF14CE19 9EAADBB7
const Q4 = 0.000004008217827329362; // 0x3ED0CFCA 86E65239
const Q5 = -2.0109921818362437e-7; // 0xBE8AFDB7 6E09C32D
const TWO_1023 = 8.98846567431158e307; // 0x1p+1023

const io = new Float64Array(1);

/**
 * e^x − 1, accurate also where e^x is close to 1 (|x| small), computed with float64 arithmetic only:
 * the same bits in every JavaScript engine, equal to Node 20's Math.expm1 (the same fdlibm port).
 * Error < 1 ulp; expm1(NaN) = NaN, expm1(+∞) = +∞, expm1(−∞) = −1, expm1(±0) = ±0, overflow gives +∞.
 *
 * ```math
 * \operatorname{expm1}(x) = e^x - 1 = 2^k\,(e^r - 1) + (2^k - 1), \qquad x = k\ln 2 + r,\ |r| \le \tfrac{\ln 2}{2}
 * ```
 *
 * @example
 * ```ts
 * expm1(1e-10); // 1.00000000005e-10 (where Math.exp(1e-10) - 1 gives 1.000000082740371e-10)
 * expm1(-Infinity); // -1
 * ```
 */
export function expm1(x: number): number {
  io[0] = x;
  expm1At(io, 0);
  return io[0];
}

/**
 * a[i] ← expm1(a[i]), the same bits as {@link expm1}. (The form hot loops call: only an array and
 * an index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link expm1} is this behind a call small enough to be inlined.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(1);
 * expm1At(a, 0); // a[0] = 1.718281828459045
 * ```
 */
export function expm1At(a: Float64Array, i: number): void {
  let x = a[i];
  scratch[0] = x;
  let hx = words[HIGH]; // GET_HIGH_WORD
  const negative = hx < 0;
  hx &= 0x7fffffff;
  if (hx >= 0x4043687a) {
    // |x| ≥ 56·ln2
    if (hx >= 0x40862e42) {
      // |x| ≥ 709.78…
      if (x !== x) { // NaN
        a[i] = x + x;
        return;
      }
      if (x === Infinity) {
        a[i] = x;
        return;
      }
      if (x === -Infinity) {
        a[i] = -1;
        return;
      }
      if (x > O_THRESHOLD) {
        a[i] = Infinity;
        return;
      }
    }
    if (negative) { // x < −56·ln2: e^x − 1 rounds to −1 (fdlibm's tiny − one)
      a[i] = -1;
      return;
    }
  }
  let k = 0;
  let c = 0;
  if (hx > 0x3fd62e42) {
    // |x| > ln2/2: reduce
    // k = ±1 below 1.5·ln2, else round(x/ln2); hi = x − k·LN2_HI exactly (for k = ±1 the same
    // doubles as fdlibm's x ∓ ln2_hi and ±ln2_lo: multiplying by ±1 is exact; one formula, so that
    // no double merges from two branches, which V8 would box)
    k = hx < 0x3ff0a2b2 ? (negative ? -1 : 1) : (INV_LN2 * x + (negative ? -0.5 : 0.5)) | 0; // truncation toward 0, as C's conversion to int
    const hi = x - k * LN2_HI;
    const lo = k * LN2_LO;
    x = hi - lo;
    c = hi - x - lo;
  } else if (hx < 0x3c900000) {
    // |x| < 2^−54: e^x − 1 rounds to x (fdlibm's x − ((huge + x) − (huge + x)), which is x)
    a[i] = x;
    return;
  }
  // x is now in [−ln2/2, ln2/2]
  const hfx = 0.5 * x;
  const hxs = x * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - x * t));
  if (k === 0) { // c is 0
    a[i] = x - (x * e - hxs);
    return;
  }
  e = x * (e - c) - c;
  e -= hxs;
  if (k === -1) {
    a[i] = 0.5 * (x - e) - 0.5;
    return;
  }
  if (k === 1) {
    if (x < -0.25) {
      a[i] = -2 * (e - (x + 0.5));
      return;
    }
    a[i] = 1 + 2 * (x - e);
    return;
  }
  if (k <= -2 || k > 56) {
    // e^x − 1 = 2^k·e^r − 1 loses nothing here
    let y = 1 - (e - x);
    if (k === 1024) y = y * 2 * TWO_1023;
    else y = y * POWERS_OF_TWO[k + 1074];
    a[i] = y - 1;
    return;
  }
  if (k < 20) {
    const y = 1 - POWERS_OF_TWO[-k + 1074] - (e - x); // 1 − 2^−k is exact (fdlibm writes its high word)
    a[i] = y * POWERS_OF_TWO[k + 1074];
    return;
  }
  let y = x - (e + POWERS_OF_TWO[-k + 1074]);
  y += 1;
  a[i] = y * POWERS_OF_TWO[k + 1074];
}
