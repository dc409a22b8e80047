// The natural logarithm in float64 arithmetic only (+ − × ÷, comparisons, reading and writing the
// 32-bit words of a double), so that every JavaScript engine gives the same bits: engines' Math.log
// round differently now and then (Chromium's differs from Node 20's on about 1 input in 20).
// Its WebAssembly twin, log.wat beside this file (exported as `math_log`), is the same operations in
// the same order: the network batch's log-sum-exp (src/objectives/network-batch.wat).
//
// Ported from fdlibm's e_log.c as V8 carries it (src/base/ieee754.cc, which is Math.log in Node 20),
// so the results equal Node 20's Math.log bit for bit (test/math/log.test.ts, scripts/math/accuracy.ts).
// Copyright (C) 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md. fdlibm's error
// bound: < 1 ulp.
//
// The method: x = 2^k·(1 + f) with √2/2 < 1 + f < √2 (a subnormal x scaled by 2^54 first); with
// s = f/(2 + f), log(1 + f) = f − s·(f − R) or, for larger f, f − (f²/2 − s·(f²/2 + R)), R = R(s²) a
// Remez fit (error < 2^−58.45); then log x = k·ln2 + log(1 + f), ln2 split in a high part whose
// multiples by k are exact and a low part. Where fdlibm normalizes x by writing its high word
// (SET_HIGH_WORD), this does the same through the shared scratch double (float-words.ts).

import { HIGH, scratch, words } from "./float-words.js";

const LN2_HI = 0.6931471803691238; // 0x3FE62E42 FEE00000
const LN2_LO = 1.9082149292705877e-10; // 0x3DEA39EF 35793C76
const TWO_54 = 18014398509481984; // 0x1p+54
const LG1 = 0.6666666666666735; // 0x3FE55555 55555593
const LG2 = 0.3999999999940942; // 0x3FD99999 9997FA04
const LG3 = 0.2857142874366239; // 0x3FD24924 94229359
const LG4 = 0.22222198432149784; // 0x3FCC71C5 1D8E78AF
const LG5 = 0.1818357216161805; // 0x3FC74664 96CB03DE
const LG6 = 0.15313837699209373; // 0x3FC39A09 D078C69F
const LG7 = 0.14798198605116586; // 0x3FC2F112 DF3E5244
/** 1/3 as fdlibm writes it (0.33333333333333333, which rounds to 0x1.5555555555555p-2). */
const THIRD = 0.3333333333333333;

const io = new Float64Array(1);

/**
 * The natural logarithm, computed with float64 arithmetic only: the same bits in every JavaScript
 * engine, equal to Node 20's Math.log (the same fdlibm port). Error < 1 ulp; log(±0) = −∞,
 * log(x < 0) = NaN, log(NaN) = NaN, log(+∞) = +∞, log(1) = +0.
 *
 * ```math
 * \log x = k\ln 2 + \log(1 + f), \qquad x = 2^k (1 + f),\ \tfrac{\sqrt 2}{2} < 1 + f < \sqrt 2
 * ```
 *
 * @example
 * ```ts
 * log(Math.E); // 1
 * log(0); // -Infinity
 * ```
 */
export function log(x: number): number {
  io[0] = x;
  logAt(io, 0);
  return io[0];
}

/**
 * a[i] ← log(a[i]), the same bits as {@link log}. (The form hot loops call: only an array and
 * an index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link log} is this behind a call small enough to be inlined.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(1);
 * logAt(a, 0); // a[0] = 0
 * ```
 */
export function logAt(a: Float64Array, i: number): void {
  let x = a[i];
  scratch[0] = x;
  let hx = words[HIGH]; // GET_HIGH_WORD
  let k = 0;
  if (hx < 0x00100000) {
    // x < 2^−1022: zero, negative or subnormal (and negative NaNs)
    if (x === 0) {
      a[i] = -Infinity;
      return;
    }
    if (hx < 0 || x !== x) { // (x − x)/0
      a[i] = NaN;
      return;
    }
    k -= 54;
    x *= TWO_54; // a subnormal: scale up, exactly
    scratch[0] = x;
    hx = words[HIGH]; // GET_HIGH_WORD
  }
  if (hx >= 0x7ff00000) { // +∞ or NaN
    a[i] = x + x;
    return;
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  const half = (hx + 0x95f64) & 0x100000; // fdlibm's i: 0x100000 where x is normalized to x/2
  scratch[0] = x;
  words[HIGH] = hx | (half ^ 0x3ff00000); // SET_HIGH_WORD: x or x/2 normalized into [√2/2, √2)
  x = scratch[0];
  k += half >> 20;
  const f = x - 1;
  if ((0x000fffff & (2 + hx)) < 3) {
    // −2^−20 ≤ f < 2^−20
    if (f === 0) {
      a[i] = k === 0 ? 0 : k * LN2_HI + k * LN2_LO;
      return;
    }
    const R = f * f * (0.5 - THIRD * f);
    if (k === 0) {
      a[i] = f - R;
      return;
    }
    a[i] = k * LN2_HI - (R - k * LN2_LO - f);
    return;
  }
  const s = f / (2 + f);
  const dk = k;
  const z = s * s;
  let far = hx - 0x6147a; // fdlibm's i: with j below, > 0 where f is far from 0 (the hfsq form)
  const w = z * z;
  const j = 0x6b851 - hx;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  far |= j;
  const R = t2 + t1;
  if (far > 0) {
    const hfsq = 0.5 * f * f;
    if (k === 0) {
      a[i] = f - (hfsq - s * (hfsq + R));
      return;
    }
    a[i] = dk * LN2_HI - (hfsq - (s * (hfsq + R) + dk * LN2_LO) - f);
    return;
  }
  if (k === 0) {
    a[i] = f - s * (f - R);
    return;
  }
  a[i] = dk * LN2_HI - (s * (f - R) - dk * LN2_LO - f);
}
