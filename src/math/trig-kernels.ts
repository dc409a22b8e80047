// sin and cos on [−π/4, π/4] for an argument given as x + y (|y| tiny, the tail of the reduction
// x − N·π/2): fdlibm's __kernel_sin and __kernel_cos (k_sin.c, k_cos.c as V8 carries them in
// src/base/ieee754.cc, the kernels of Node 20's Math.sin and Math.cos). Copyright (C) 1993 by Sun
// Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md.
//
// sin: a degree-13 odd polynomial (Remez error < 2^−58), sin(x + y) ≈ sin x + (1 − x²/2)·y.
// cos: a degree-14 even polynomial (Remez error < 2^−58), cos(x + y) ≈ cos x − x·y, with 1 − x²/2
// split as (1 − qx) − (x²/2 − qx), qx ≈ |x|/4 (both differences exact) above |x| = 0.3.

import { HIGH, LOW, scratch, words } from "./float-words.js";

const S1 = -0.16666666666666632; // 0xBFC55555 55555549
const S2 = 0.00833333333332249; // 0x3F811111 1110F8A6
const S3 = -0.00019841269829857949; // 0xBF2A01A0 19C161D5
const S4 = 0.0000027557313707070068; // 0x3EC71DE3 57B1FE7D
const S5 = -2.5050760253406863e-8; // 0xBE5AE5E6 8A2B9CEB
const S6 = 1.58969099521155e-10; // 0x3DE5D93A 5ACFD57C
const C1 = 0.0416666666666666; // 0x3FA55555 5555554C
const C2 = -0.001388888888887411; // 0xBF56C16C 16C15177
const C3 = 0.00002480158728947673; // 0x3EFA01A0 19CB1590
const C4 = -2.7557314351390663e-7; // 0xBE927E4F 809C52AD
const C5 = 2.087572321298175e-9; // 0x3E21EE9E BDB4B1C4
const C6 = -1.1359647557788195e-11; // 0xBDA8FAE9 BE8838D4

/**
 * r[0] ← sin(r[0] + r[1]) for |r[0] + r[1]| ≲ π/4; `tail` false means r[1] = 0 (fdlibm's iy = 0).
 * (Through an array, so that no double crosses the call: V8 boxes one where it does not inline.)
 */
export function kernelSin(r: Float64Array, tail: boolean): void {
  const x = r[0];
  const y = r[1];
  scratch[0] = x;
  const ix = words[HIGH] & 0x7fffffff; // GET_HIGH_WORD
  if (ix < 0x3e400000) return; // |x| < 2^−27: sin x rounds to x
  const z = x * x;
  const v = z * x;
  const s = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  r[0] = tail ? x - (z * (0.5 * y - v * s) - y - v * S1) : x + v * (S1 + z * s);
}

/** r[0] ← cos(r[0] + r[1]) for |r[0] + r[1]| ≲ π/4. */
export function kernelCos(r: Float64Array): void {
  const x = r[0];
  const y = r[1];
  scratch[0] = x;
  const ix = words[HIGH] & 0x7fffffff; // GET_HIGH_WORD
  if (ix < 0x3e400000) {
    r[0] = 1; // |x| < 2^−27: cos x rounds to 1
    return;
  }
  const z = x * x;
  const c = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  if (ix < 0x3fd33333) {
    r[0] = 1 - (0.5 * z - (z * c - x * y)); // |x| < 0.3
    return;
  }
  // qx = 0.28125 (high word 0x3FD20000) for |x| > 0.78125, else |x|/4 cut to its high word; built
  // from words in both cases, so that no double constant merges with a computed double (V8 boxes it)
  words[HIGH] = ix > 0x3fe90000 ? 0x3fd20000 : ix - 0x00200000; // INSERT_WORDS(qx, …, 0)
  words[LOW] = 0;
  const qx = scratch[0];
  const iz = 0.5 * z - qx;
  const w = 1 - qx;
  r[0] = w - (iz - (z * c - x * y));
}
