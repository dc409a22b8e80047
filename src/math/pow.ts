// x^y in float64 arithmetic only (+ − × ÷, √, comparisons, reading and writing the 32-bit words of a
// double), so that every JavaScript engine gives the same bits: engines' Math.pow round differently
// now and then (Chromium's differs from Node 20's on about 1 input in 20).
//
// Ported from fdlibm's e_pow.c as V8 carries it (src/base/ieee754.cc, `legacy::pow`, which is Math.pow
// and ** in Node 20), so the results equal Node 20's Math.pow bit for bit (test/math/pow.test.ts).
// Copyright (C) 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md. fdlibm's claim:
// "nearly rounded" (< 1 ulp measured), and an integer to an integer power is exact when representable.
//
// The method: log2|x| = t1 + t2 in extra precision (t1 with its low word cleared), y·log2|x| = n + y'
// with |y'| ≤ 1/2 by splitting y the same way, then 2^y' = e^(y'·ln2) by a rational fit, scaled by 2^n
// by adding n to the exponent. Special cases follow ECMAScript (±1 ** ±∞ is NaN).

import { HIGH, LOW, POWERS_OF_TWO, scratch, words } from "./float-words.js";

const DP_H1 = 5.84962487220764160156e-1; // 0x3FE2B803 40000000: log2(1.5) high
const DP_L1 = 1.35003920212974897128e-8; // 0x3E4CFDEB 43CFD006: log2(1.5) low
const TWO_53 = 9007199254740992;
const HUGE = 1e300;
const TINY = 1e-300;
const L1 = 5.99999999999994648725e-1;
const L2 = 4.28571428578550184252e-1;
const L3 = 3.33333329818377432918e-1;
const L4 = 2.72728123808534006489e-1;
const L5 = 2.30660745775561754067e-1;
const L6 = 2.06975017800338417784e-1;
const P1 = 1.66666666666666019037e-1;
const P2 = -2.77777777770155933842e-3;
const P3 = 6.61375632143793436117e-5;
const P4 = -1.6533902205465251539e-6;
const P5 = 4.13813679705723846039e-8;
const LG2 = 6.93147180559945286227e-1;
const LG2_H = 6.93147182464599609375e-1;
const LG2_L = -1.90465429995776804525e-9;
const OVT = 8.0085662595372944372e-17; // −(1024 − log2(overflow + ½ ulp))
const CP = 9.61796693925975554329e-1; // 2/(3 ln2)
const CP_H = 9.61796700954437255859e-1;
const CP_L = -7.02846165095275826516e-9;
const IVLN2 = 1.442695040888963387;
const IVLN2_H = 1.44269502162933349609;
const IVLN2_L = 1.92596299112661746887e-8;

/**
 * x raised to the power y, computed with float64 arithmetic only: the same bits in every JavaScript
 * engine, equal to Node 20's `Math.pow` and `**` (the same fdlibm port). Nearly rounded (< 1 ulp); an
 * integer to an integer power is exact where the result is representable. Special cases as
 * ECMAScript's `Math.pow`: x^0 = 1 (also for NaN), NaN where y is NaN, (±1)^(±∞) = NaN, a negative x to
 * a non-integer power is NaN.
 *
 * ```math
 * x^y = 2^{\,y \log_2 x}, \qquad y\log_2 x = n + y',\ |y'| \le \tfrac12,\quad 2^{y'} = e^{y' \ln 2}
 * ```
 *
 * @example
 * ```ts
 * pow(2, 10); // 1024
 * pow(0.9, 3); // 0.7290000000000001, as Math.pow in Node 20
 * ```
 */
export function pow(x: number, y: number): number {
  io[0] = x;
  io[1] = y;
  powAt(io, 0);
  return io[0];
}

const io = new Float64Array(2);

/**
 * a[i] ← a[i]^a[i + 1], the same bits as {@link pow}. (The form hot code calls: only an array and an
 * index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link pow} is this behind a call small enough to be inlined.) Words are read and written
 * inline through the shared scratch double, for the same reason.
 *
 * @example
 * ```ts
 * const a = Float64Array.of(0.9, 3);
 * powAt(a, 0); // a[0] = 0.7290000000000001
 * ```
 */
export function powAt(a: Float64Array, at: number): void {
  const x = a[at];
  const y = a[at + 1];
  scratch[0] = x;
  const hx = words[HIGH];
  const lx = words[LOW] >>> 0;
  scratch[0] = y;
  const hy = words[HIGH];
  const ly = words[LOW] >>> 0;
  let ix = hx & 0x7fffffff;
  const iy = hy & 0x7fffffff;

  if ((iy | ly) === 0) {
    a[at] = 1; // x^0 = 1
    return;
  }
  if (ix > 0x7ff00000 || (ix === 0x7ff00000 && lx !== 0) || iy > 0x7ff00000 || (iy === 0x7ff00000 && ly !== 0)) {
    a[at] = x + y; // NaN
    return;
  }

  // yIsInt: 0 not an integer, 1 an odd integer, 2 an even integer (looked at only for x < 0)
  let yIsInt = 0;
  if (hx < 0) {
    if (iy >= 0x43400000) yIsInt = 2;
    else if (iy >= 0x3ff00000) {
      const k = (iy >> 20) - 0x3ff;
      if (k > 20) {
        const j = ly >>> (52 - k);
        if (j << (52 - k) === (ly | 0)) yIsInt = 2 - (j & 1);
      } else if (ly === 0) {
        const j = iy >> (20 - k);
        if (j << (20 - k) === iy) yIsInt = 2 - (j & 1);
      }
    }
  }

  if (ly === 0) {
    if (iy === 0x7ff00000) {
      // y = ±∞
      if (((ix - 0x3ff00000) | lx) === 0) {
        a[at] = y - y; // (±1)^(±∞) = NaN
        return;
      }
      if (ix >= 0x3ff00000) {
        a[at] = hy >= 0 ? y : 0;
        return;
      }
      a[at] = hy < 0 ? -y : 0;
      return;
    }
    if (iy === 0x3ff00000) {
      a[at] = hy < 0 ? 1 / x : x; // y = ±1
      return;
    }
    if (hy === 0x40000000) {
      a[at] = x * x; // y = 2
      return;
    }
    if (hy === 0x3fe00000 && hx >= 0) {
      a[at] = Math.sqrt(x); // y = 0.5, x ≥ +0
      return;
    }
  }

  let ax = Math.abs(x);
  if (lx === 0 && (ix === 0x7ff00000 || ix === 0 || ix === 0x3ff00000)) {
    // x = ±0, ±∞, ±1
    let z = ax;
    if (hy < 0) z = 1 / z;
    if (hx < 0) {
      if (((ix - 0x3ff00000) | yIsInt) === 0) z = NaN; // (−1)^non-integer
      else if (yIsInt === 1) z = -z;
    }
    a[at] = z;
    return;
  }

  let n = (hx >> 31) + 1;
  if ((n | yIsInt) === 0) {
    a[at] = NaN; // (x < 0)^non-integer
    return;
  }
  const s = (n | (yIsInt - 1)) === 0 ? -1 : 1; // the sign of (−x)^odd

  let t1: number;
  let t2: number;
  if (iy > 0x41e00000) {
    // |y| > 2^31
    if (iy > 0x43f00000) {
      // |y| > 2^64: over- or underflows
      if (ix <= 0x3fefffff) {
        a[at] = hy < 0 ? HUGE * HUGE : TINY * TINY;
        return;
      }
      if (ix >= 0x3ff00000) {
        a[at] = hy > 0 ? HUGE * HUGE : TINY * TINY;
        return;
      }
    }
    if (ix < 0x3fefffff) {
      a[at] = hy < 0 ? s * HUGE * HUGE : s * TINY * TINY;
      return;
    }
    if (ix > 0x3ff00000) {
      a[at] = hy > 0 ? s * HUGE * HUGE : s * TINY * TINY;
      return;
    }
    // |1 − x| ≤ 2^−20: log x by x − x²/2 + x³/3 − x⁴/4
    const t = ax - 1;
    const w = t * t * (0.5 - t * (0.3333333333333333333333 - t * 0.25));
    const u = IVLN2_H * t;
    const v = t * IVLN2_L - w * IVLN2;
    scratch[0] = u + v;
    words[LOW] = 0;
    t1 = scratch[0];
    t2 = v - (t1 - u);
  } else {
    n = 0;
    if (ix < 0x00100000) {
      // subnormal x
      ax *= TWO_53;
      n -= 53;
      scratch[0] = ax;
      ix = words[HIGH];
    }
    n += (ix >> 20) - 0x3ff;
    const j = ix & 0x000fffff;
    ix = j | 0x3ff00000; // normalized
    let k: number;
    if (j <= 0x3988e) k = 0; // |x| < √(3/2)
    else if (j < 0xbb67a) k = 1; // |x| < √3
    else {
      k = 0;
      n += 1;
      ix -= 0x00100000;
    }
    scratch[0] = ax;
    words[HIGH] = ix;
    ax = scratch[0];
    const bp = k === 0 ? 1 : 1.5;
    const dpH = k === 0 ? 0 : DP_H1;
    const dpL = k === 0 ? 0 : DP_L1;

    // ss = s_h + s_l = (x − 1)/(x + 1) or (x − 1.5)/(x + 1.5)
    let u = ax - bp;
    let v = 1 / (ax + bp);
    const ss = u * v;
    scratch[0] = ss;
    words[LOW] = 0;
    const sH = scratch[0];
    words[HIGH] = ((ix >> 1) | 0x20000000) + 0x00080000 + (k << 18);
    words[LOW] = 0;
    let tH = scratch[0]; // ax + bp, its high part
    let tL = ax - (tH - bp);
    const sL = v * (u - sH * tH - sH * tL);
    // log(ax)
    let s2 = ss * ss;
    let r = s2 * s2 * (L1 + s2 * (L2 + s2 * (L3 + s2 * (L4 + s2 * (L5 + s2 * L6)))));
    r += sL * (sH + ss);
    s2 = sH * sH;
    scratch[0] = 3 + s2 + r;
    words[LOW] = 0;
    tH = scratch[0];
    tL = r - (tH - 3 - s2);
    u = sH * tH;
    v = sL * tH + tL * ss;
    // 2/(3 log 2)·(ss + …)
    scratch[0] = u + v;
    words[LOW] = 0;
    const pH = scratch[0];
    const pL = v - (pH - u);
    const zH = CP_H * pH;
    const zL = CP_L * pH + pL * CP + dpL;
    // log2(ax) = n + dp_h + z_h + z_l
    const t = n;
    scratch[0] = zH + zL + dpH + t;
    words[LOW] = 0;
    t1 = scratch[0];
    t2 = zL - (t1 - t - dpH - zH);
  }

  // (y1 + y2)·(t1 + t2), y1 = y with its low word cleared
  scratch[0] = y;
  words[LOW] = 0;
  const y1 = scratch[0];
  const pL = (y - y1) * t1 + y * t2;
  let pH = y1 * t1;
  let z = pL + pH;
  scratch[0] = z;
  let j = words[HIGH];
  const i = words[LOW];
  if (j >= 0x40900000) {
    // z ≥ 1024
    if (((j - 0x40900000) | i) !== 0) {
      a[at] = s * HUGE * HUGE;
      return;
    }
    if (pL + OVT > z - pH) {
      a[at] = s * HUGE * HUGE;
      return;
    }
  } else if ((j & 0x7fffffff) >= 0x4090cc00) {
    // z ≤ −1075
    if (((j - 0xc090cc00) | i) !== 0) {
      a[at] = s * TINY * TINY;
      return;
    }
    if (pL <= z - pH) {
      a[at] = s * TINY * TINY;
      return;
    }
  }

  // 2^(p_h + p_l)
  const hi = j & 0x7fffffff;
  let k = (hi >> 20) - 0x3ff;
  n = 0;
  if (hi > 0x3fe00000) {
    // |z| > 1/2: n = [z + 1/2]
    n = j + (0x00100000 >> (k + 1));
    k = ((n & 0x7fffffff) >> 20) - 0x3ff;
    words[HIGH] = n & ~(0x000fffff >> k);
    words[LOW] = 0;
    const t = scratch[0];
    n = ((n & 0x000fffff) | 0x00100000) >> (20 - k);
    if (j < 0) n = -n;
    pH -= t;
  }
  scratch[0] = pL + pH;
  words[LOW] = 0;
  let t = scratch[0];
  const u = t * LG2_H;
  const v = (pL - (t - pH)) * LG2 + t * LG2_L;
  z = u + v;
  const w = v - (z - u);
  t = z * z;
  t1 = z - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  const r = (z * t1) / (t1 - 2 - (w + z * w));
  z = 1 - (r - z);
  scratch[0] = z;
  j = (words[HIGH] + (n << 20)) | 0;
  if (j >> 20 <= 0) {
    // a subnormal result: z·2^n rounded once (z·2^(n+54) is exact, then one rounding by 2^−54)
    z = z * POWERS_OF_TWO[n + 54 + 1074] * POWERS_OF_TWO[-54 + 1074];
  } else {
    words[HIGH] = j; // (scratch holds z)
    z = scratch[0];
  }
  a[at] = s * z;
}
