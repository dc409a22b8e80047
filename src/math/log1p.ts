// log(1 + x) in float64 arithmetic only (+ − × ÷, comparisons, reading the high 32 bits of a double,
// scaling by an exact power of two), so that the same operation sequence written in WebAssembly
// (log1p.wat beside this file, exported by the Wasm module as `math_log1p`) gives the same bits:
// WebAssembly has no log instruction, and a JS path that called Math.log1p would differ from it in
// the last bit now and then.
//
// Ported from fdlibm's s_log1p.c as FreeBSD msun and V8 (src/base/ieee754.cc, which is Math.log1p
// in Node) carry it, so the results equal Node's Math.log1p bit for bit (measured: 0 of 10^7
// differ, scripts/math/accuracy.ts). Copyright (C) 1993 by Sun Microsystems, Inc.; notice in
// THIRD_PARTY_NOTICES.md. fdlibm's error bound: < 1 ulp; measured against mpmath on 10^5 inputs
// over (−1, 1e300] and the hard sets: at most 0.77 ulp, 99% correctly rounded.
//
// The method: 1 + x = 2^k·(1 + f) with √2/2 < 1 + f < √2; when k ≠ 0, u = 1 + x is rounded and the
// correction c = ((1 + x) − u)/u is added back. With s = f/(2 + f), log(1 + f) = f − (f²/2 −
// s·(f²/2 + R(s²))), R a Remez fit (error < 2^−58.45); then log1p(x) = k·ln2 + log(1 + f), ln2
// split in a high part whose multiples by k are exact and a low part. The branches read x's high
// word (hx, signed) as fdlibm does; `hu` keeps the top 20 mantissa bits of the normalized u. Where
// fdlibm normalizes u by overwriting its exponent field (SET_HIGH_WORD; the Wasm twin does the same
// with i64 operations), this multiplies u by 2^−k: the same double, exactly (u is normal and the
// product lies in [1/2, 2)), without writing bits back through memory.

import { HIGH, POWERS_OF_TWO, scratch, words } from "./float-words.js";

/** ln2's high part: its last 32 bits are 0, so k·LN2_HI is exact for |k| < 2^20. */
const LN2_HI = 0.6931471803691238; // 0x1.62e42feep-1
/** ln2 − LN2_HI. */
const LN2_LO = 1.9082149292705877e-10; // 0x1.a39ef35793c76p-33
const LP1 = 0.6666666666666735; // 0x1.5555555555593p-1
const LP2 = 0.3999999999940942; // 0x1.999999997fa04p-2
const LP3 = 0.2857142874366239; // 0x1.2492494229359p-2
const LP4 = 0.22222198432149784; // 0x1.c71c51d8e78afp-3
const LP5 = 0.1818357216161805; // 0x1.7466496cb03dep-3
const LP6 = 0.15313837699209373; // 0x1.39a09d078c69fp-3
const LP7 = 0.14798198605116586; // 0x1.2f112df3e5244p-3
/** 2/3 as fdlibm writes it (0.66666666666666666, which rounds to 0x1.5555555555555p-1). */
const TWO_THIRDS = 0.6666666666666666;

const io = new Float64Array(1);

/**
 * log(1 + x), computed with float64 arithmetic only, bit-identical to the Wasm backend's
 * `math_log1p` and (in Node, whose Math.log1p is the same fdlibm port) to Math.log1p. Error < 1 ulp;
 * log1p(−1) = −∞, log1p(x < −1) = NaN, log1p(NaN) = NaN, log1p(+∞) = +∞, log1p(±0) = ±0.
 *
 * @example
 * ```ts
 * log1p(1e-20); // 1e-20 (where Math.log(1 + 1e-20) gives 0)
 * log1p(-1); // -Infinity
 * ```
 */
export function log1p(x: number): number {
  io[0] = x;
  log1pAt(io, 0);
  return io[0];
}

/**
 * a[i] ← log1p(a[i]), the same bits as {@link log1p}. (The form hot loops call: only an array and
 * an index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link log1p} is this behind a call small enough to be inlined.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(1);
 * log1pAt(a, 0); // a[0] = 0.6931471805599453
 * ```
 */
export function log1pAt(a: Float64Array, i: number): void {
  const x = a[i];
  scratch[0] = x;
  const hx = words[HIGH]; // GET_HIGH_WORD
  const ax = hx & 0x7fffffff;
  let k = 1;
  let f = 0;
  let c = 0;
  let hu = 0;
  if (hx < 0x3fda827a) {
    // 1 + x < √2, or x negative (including −∞ and NaNs with the sign bit set)
    if (ax >= 0x3ff00000) { // x ≤ −1, or NaN
      a[i] = x === -1 ? -Infinity : NaN;
      return;
    }
    if (ax < 0x3e200000) {
      // |x| < 2^−29: x − x²/2 is exact enough, and x itself below 2^−54
      if (ax < 0x3c900000) {
        a[i] = x;
        return;
      }
      a[i] = x - x * x * 0.5;
      return;
    }
    if (hx > 0 || hx <= (0xbfd2bec4 | 0)) {
      // √2/2 ≤ 1 + x < √2: f = x exactly, no correction
      k = 0;
      f = x;
      hu = 1;
    }
  }
  if (hx >= 0x7ff00000) { // +∞ or NaN
    a[i] = x + x;
    return;
  }
  if (k !== 0) {
    let u: number;
    if (hx < 0x43400000) {
      u = 1 + x;
      scratch[0] = u;
      hu = words[HIGH]; // GET_HIGH_WORD
      k = (hu >> 20) - 1023;
      c = k > 0 ? 1 - (u - x) : x - (u - 1); // (1 + x) − u, exactly
      c /= u;
    } else {
      // x ≥ 2^53: 1 + x rounds to x, and log(x) is all there is
      u = x;
      scratch[0] = u;
      hu = words[HIGH]; // GET_HIGH_WORD
      k = (hu >> 20) - 1023;
      c = 0;
    }
    hu &= 0x000fffff;
    if (hu < 0x6a09e) {
      u *= POWERS_OF_TWO[-k + 1074]; // u·2^−k in [1, √2): the exponent field set to 0x3ff (SET_HIGH_WORD), exactly
    } else {
      k += 1;
      u *= POWERS_OF_TWO[-k + 1074]; // u·2^−(k+1) in [√2/2, 1): the exponent field set to 0x3fe, exactly
      hu = (0x00100000 - hu) >> 2;
    }
    f = u - 1;
  }
  const hfsq = 0.5 * f * f;
  if (hu === 0) {
    // |f| < 2^−20
    if (f === 0) {
      if (k === 0) {
        a[i] = 0;
        return;
      }
      c += k * LN2_LO;
      a[i] = k * LN2_HI + c;
      return;
    }
    const R = hfsq * (1 - TWO_THIRDS * f);
    if (k === 0) {
      a[i] = f - R;
      return;
    }
    a[i] = k * LN2_HI - (R - (k * LN2_LO + c) - f);
    return;
  }
  const s = f / (2 + f);
  const z = s * s;
  const R = z * (LP1 + z * (LP2 + z * (LP3 + z * (LP4 + z * (LP5 + z * (LP6 + z * LP7))))));
  if (k === 0) {
    a[i] = f - (hfsq - s * (hfsq + R));
    return;
  }
  a[i] = k * LN2_HI - (hfsq - (s * (hfsq + R) + (k * LN2_LO + c)) - f);
}
