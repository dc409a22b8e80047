// x − N·π/2 for sin and cos: fdlibm's __ieee754_rem_pio2 (e_rem_pio2.c as V8 carries it in
// src/base/ieee754.cc, the reduction of Node 20's Math.sin and Math.cos). Copyright (C) 1993 by Sun
// Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md.
//
// The method: |x| ≤ π/4 needs nothing; |x| < 3π/4 subtracts π/2 in two or three pieces (33 + 53 or
// 33 + 33 + 53 bits); |x| ≤ 2^19·π/2 takes N = round(x·2/π) and subtracts N·π/2 with π/2 in 33-bit
// pieces, each product exact, adding a piece while the result has lost more bits than the previous
// ones carry (85, 118 or 151 bits of π/2 in all); above that, remPio2Large multiplies by as many bits
// of 2/π as x's exponent needs. The remainder comes back as the unevaluated sum y0 + y1 (|y1| tiny)
// in `reduced`, a module-level array: nothing is allocated per call.

import { HIGH, scratch, words } from "./float-words.js";
import { remPio2Large } from "./rem-pio2-large.js";

const INV_PIO2 = 0.6366197723675814; // 0x3FE45F30 6DC9C883: 53 bits of 2/π
const PIO2_1 = 1.5707963267341256; // 0x3FF921FB 54400000: π/2's first 33 bits
const PIO2_1T = 6.077100506506192e-11; // 0x3DD0B461 1A626331: π/2 − PIO2_1
const PIO2_2 = 6.077100506303966e-11; // 0x3DD0B461 1A600000: the next 33 bits
const PIO2_2T = 2.0222662487959506e-21; // 0x3BA3198A 2E037073: π/2 − (PIO2_1 + PIO2_2)
const PIO2_3 = 2.0222662487111665e-21; // 0x3BA3198A 2E000000: the next 33 bits
const PIO2_3T = 8.4784276603689e-32; // 0x397B839A 252049C1: π/2 − (PIO2_1 + PIO2_2 + PIO2_3)
const TWO_24 = 16777216;

/** High words of N·π/2 for N = 1 … 32: where x is that close to N·π/2, the quick path may cancel (the Wasm twin reads these too). */
export const NPIO2_HW = Int32Array.of(
  0x3ff921fb, 0x400921fb, 0x4012d97c, 0x401921fb, 0x401f6a7a, 0x4022d97c, 0x4025fdbb, 0x402921fb, 0x402c463a, 0x402f6a7a, 0x4031475c,
  0x4032d97c, 0x40346b9c, 0x4035fdbb, 0x40378fdb, 0x403921fb, 0x403ab41b, 0x403c463a, 0x403dd85a, 0x403f6a7a, 0x40407e4c, 0x4041475c,
  0x4042106c, 0x4042d97c, 0x4043a28c, 0x40446b9c, 0x404534ac, 0x4045fdbb, 0x4046c6cb, 0x40478fdb, 0x404858eb, 0x404921fb,
);

/** The remainder of the last {@link remPio2} call: x − N·π/2 = reduced[0] + reduced[1]. */
export const reduced = new Float64Array(2);
const pieces = new Float64Array(3);

/**
 * N (an integer, its low bits are what sin and cos need) with x − N·π/2 = reduced[0] + reduced[1],
 * |reduced[0] + reduced[1]| ≤ π/4 (about), for x = a[i]: fdlibm's __ieee754_rem_pio2. For ±∞ and
 * NaN, N = 0 and reduced[0] = reduced[1] = NaN. (x is read from an array, so that no double crosses
 * the call: V8 boxes one where it does not inline, and this function is too large to inline.)
 */
export function remPio2(a: Float64Array, i: number): number {
  const x = a[i];
  scratch[0] = x;
  const hx = words[HIGH]; // GET_HIGH_WORD
  const ix = hx & 0x7fffffff;
  if (ix <= 0x3fe921fb) {
    reduced[0] = x;
    reduced[1] = 0;
    return 0;
  }
  if (ix < 0x4002d97c) {
    // |x| < 3π/4: N = ±1
    if (hx > 0) {
      let z = x - PIO2_1;
      if (ix !== 0x3ff921fb) {
        // 33 + 53 bits of π/2 are enough
        reduced[0] = z - PIO2_1T;
        reduced[1] = z - reduced[0] - PIO2_1T;
      } else {
        // near π/2: 33 + 33 + 53 bits
        z -= PIO2_2;
        reduced[0] = z - PIO2_2T;
        reduced[1] = z - reduced[0] - PIO2_2T;
      }
      return 1;
    }
    let z = x + PIO2_1;
    if (ix !== 0x3ff921fb) {
      reduced[0] = z + PIO2_1T;
      reduced[1] = z - reduced[0] + PIO2_1T;
    } else {
      z += PIO2_2;
      reduced[0] = z + PIO2_2T;
      reduced[1] = z - reduced[0] + PIO2_2T;
    }
    return -1;
  }
  if (ix <= 0x413921fb) {
    // |x| ≤ 2^19·π/2: medium
    let t = Math.abs(x);
    const n = (t * INV_PIO2 + 0.5) | 0;
    const fn = n;
    let r = t - fn * PIO2_1;
    let w = fn * PIO2_1T; // the first round is good to 85 bits
    if (n < 32 && ix !== NPIO2_HW[n - 1]) {
      reduced[0] = r - w; // no cancellation
    } else {
      const j = ix >> 20;
      reduced[0] = r - w;
      scratch[0] = reduced[0];
      let lost = j - ((words[HIGH] >> 20) & 0x7ff); // the bits lost to cancellation
      if (lost > 16) {
        // a second round, good to 118 bits
        t = r;
        w = fn * PIO2_2;
        r = t - w;
        w = fn * PIO2_2T - (t - r - w);
        reduced[0] = r - w;
        scratch[0] = reduced[0];
        lost = j - ((words[HIGH] >> 20) & 0x7ff);
        if (lost > 49) {
          // a third round, 151 bits: enough for every double
          t = r;
          w = fn * PIO2_3;
          r = t - w;
          w = fn * PIO2_3T - (t - r - w);
          reduced[0] = r - w;
        }
      }
    }
    reduced[1] = r - reduced[0] - w;
    if (hx < 0) {
      reduced[0] = -reduced[0];
      reduced[1] = -reduced[1];
      return -n;
    }
    return n;
  }
  if (ix >= 0x7ff00000) {
    // ±∞ or NaN
    reduced[0] = reduced[1] = x - x;
    return 0;
  }
  // huge: z = |x|·2^−e0 in [2^23, 2^24), cut into three 24-bit pieces
  const e0 = (ix >> 20) - 1046;
  scratch[0] = x;
  words[HIGH] = ix - (e0 << 20); // SET_HIGH_WORD: |x|·2^−e0, its low word kept
  let z = scratch[0];
  for (let p = 0; p < 2; p++) {
    pieces[p] = z | 0;
    z = (z - pieces[p]) * TWO_24;
  }
  pieces[2] = z;
  let nx = 3;
  while (pieces[nx - 1] === 0) nx--; // skip zero pieces
  const n = remPio2Large(pieces, reduced, e0, nx);
  if (hx < 0) {
    reduced[0] = -reduced[0];
    reduced[1] = -reduced[1];
    return -n;
  }
  return n;
}
