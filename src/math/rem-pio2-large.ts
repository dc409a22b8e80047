// The argument reduction x − N·π/2 for huge |x| (above 2^19·π/2), where the 85 to 151 bits of π/2
// the medium path uses are not enough: fdlibm's __kernel_rem_pio2 (k_rem_pio2.c as V8 carries it in
// src/base/ieee754.cc, with precision 2, as __ieee754_rem_pio2 calls it). Copyright (C)
// 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md.
//
// The method: x, cut in up to three 24-bit pieces x_j·2^(e0 − 24j), is multiplied by 2/π held as
// 24-bit integers (TWO_OVER_PI), skipping the terms that are a multiple of 8 (they change neither
// N mod 8 nor the fraction), so the work does not grow with x's exponent; the integer part mod 8 gives
// N, the fraction (with more terms of 2/π pulled in while it is all zeros) times π/2 (PIO2, π/2 in
// 24-bit pieces) gives y0 + y1. Every step is exact integer arithmetic in doubles or int32, or a
// float64 sum in fdlibm's order, so the bits match. Working arrays are module-level: nothing is
// allocated per call.

import { POWERS_OF_TWO } from "./float-words.js";

/** 2/π in 24-bit pieces: TWO_OVER_PI[i]·2^(−24(i+1)), 396 hex digits (the Wasm twin reads these, written into its memory by scripts/kernels/generate.ts). */
export const TWO_OVER_PI = Int32Array.of(
  0xa2f983, 0x6e4e44, 0x1529fc, 0x2757d1, 0xf534dd, 0xc0db62, 0x95993c, 0x439041, 0xfe5163, 0xabdebb, 0xc561b7, 0x246e3a, 0x424dd2, 0xe00649,
  0x2eea09, 0xd1921c, 0xfe1deb, 0x1cb129, 0xa73ee8, 0x8235f5, 0x2ebb44, 0x84e99c, 0x7026b4, 0x5f7e41, 0x3991d6, 0x398353, 0x39f49c, 0x845f8b,
  0xbdf928, 0x3b1ff8, 0x97ffde, 0x05980f, 0xef2f11, 0x8b5a0a, 0x6d1f6d, 0x367ecf, 0x27cb09, 0xb74f46, 0x3f669e, 0x5fea2d, 0x7527ba, 0xc7ebe5,
  0xf17b3d, 0x0739f7, 0x8a5292, 0xea6bfb, 0x5fb11f, 0x8d5d08, 0x560330, 0x46fc7b, 0x6babf0, 0xcfbc20, 0x9af436, 0x1da9e3, 0x91615e, 0xe61b08,
  0x659985, 0x5f14a0, 0x68408d, 0xffd880, 0x4d7327, 0x310606, 0x1556ca, 0x73a8c9, 0x60e27b, 0xc08c6b,
);
/** π/2 in 24-bit pieces (each double has its last 29 bits zero; the Wasm twin reads these too). */
export const PIO2 = Float64Array.of(
  1.5707962512969971, // 0x3FF921FB 40000000
  7.549789415861596e-8, // 0x3E74442D 00000000
  5.390302529957765e-15, // 0x3CF84698 80000000
  3.282003415807913e-22, // 0x3B78CC51 60000000
  1.270655753080676e-29, // 0x39F01B83 80000000
  1.2293330898111133e-36, // 0x387A2520 40000000
  2.7337005381646456e-44, // 0x36E38222 80000000
  2.1674168387780482e-51, // 0x3569F31D 00000000
);
const TWO_24 = 16777216;
const TWO_M24 = 5.960464477539063e-8;
/** fdlibm's jk for precision 2 (64 bits): jk + 1 terms of 2/π to start with. */
const JK = 4;

const f = new Float64Array(20);
const q = new Float64Array(20);
const fq = new Float64Array(20);
const iq = new Int32Array(20);

/** fdlibm's scalbn(z, n) for the exponents met here (n in [−600, 30]: the product never rounds). */
function scale(z: number, n: number): number {
  return z * POWERS_OF_TWO[n + 1074];
}

/**
 * N mod 8 for x·(2/π) = N + r, |r| ≤ 1/2, with (x − N·π/2) = y[0] + y[1] written into `y`, for the
 * positive x = Σ_j x[j]·2^(e0 − 24j) given in `nx` 24-bit pieces. (fdlibm's __kernel_rem_pio2 with
 * prec = 2.)
 */
export function remPio2Large(x: Float64Array, y: Float64Array, e0: number, nx: number): number {
  const jp = JK;
  const jx = nx - 1;
  let jv = ((e0 - 3) / 24) | 0; // C's integer division truncates toward 0
  if (jv < 0) jv = 0;
  let q0 = e0 - 24 * (jv + 1);
  // f[0 … jx + jk] = TWO_OVER_PI[jv − jx … jv + jk]
  let j = jv - jx;
  const m = jx + JK;
  for (let i = 0; i <= m; i++, j++) f[i] = j < 0 ? 0 : TWO_OVER_PI[j];
  for (let i = 0; i <= JK; i++) {
    let fw = 0;
    for (let jj = 0; jj <= jx; jj++) fw += x[jj] * f[jx + i - jj];
    q[i] = fw;
  }
  let jz = JK;
  let z: number;
  let n: number;
  let ih: number;
  for (;;) {
    // distill q[] into iq[] reversingly
    let i = 0;
    z = q[jz];
    for (let jj = jz; jj > 0; i++, jj--) {
      const fw = (TWO_M24 * z) | 0;
      iq[i] = (z - TWO_24 * fw) | 0;
      z = q[jj - 1] + fw;
    }
    // n = the integer part mod 8
    z = scale(z, q0);
    z -= 8 * Math.floor(z * 0.125);
    n = z | 0;
    z -= n;
    ih = 0;
    if (q0 > 0) {
      // iq[jz − 1] holds n's last bits
      const b = iq[jz - 1] >> (24 - q0);
      n += b;
      iq[jz - 1] -= b << (24 - q0);
      ih = iq[jz - 1] >> (23 - q0);
    } else if (q0 === 0) {
      ih = iq[jz - 1] >> 23;
    } else if (z >= 0.5) {
      ih = 2;
    }
    if (ih > 0) {
      // the fraction is ≥ 1/2: take 1 − fraction, and N + 1
      n += 1;
      let carry = 0;
      for (let ii = 0; ii < jz; ii++) {
        const v = iq[ii];
        if (carry === 0) {
          if (v !== 0) {
            carry = 1;
            iq[ii] = 0x1000000 - v;
          }
        } else {
          iq[ii] = 0xffffff - v;
        }
      }
      if (q0 > 0) {
        // rare: 1 in 12
        if (q0 === 1) iq[jz - 1] &= 0x7fffff;
        else if (q0 === 2) iq[jz - 1] &= 0x3fffff;
      }
      if (ih === 2) {
        z = 1 - z;
        if (carry !== 0) z -= scale(1, q0);
      }
    }
    // recompute with more terms of 2/π while the fraction's leading pieces are all zeros
    if (z === 0) {
      let any = 0;
      for (let ii = jz - 1; ii >= JK; ii--) any |= iq[ii];
      if (any === 0) {
        let k = 1;
        while (JK >= k && iq[JK - k] === 0) k++; // k = the number of terms needed
        for (let ii = jz + 1; ii <= jz + k; ii++) {
          f[jx + ii] = TWO_OVER_PI[jv + ii];
          let fw = 0;
          for (let jj = 0; jj <= jx; jj++) fw += x[jj] * f[jx + ii - jj];
          q[ii] = fw;
        }
        jz += k;
        continue;
      }
    }
    break;
  }
  // chop off zero terms
  if (z === 0) {
    jz -= 1;
    q0 -= 24;
    while (iq[jz] === 0) {
      jz--;
      q0 -= 24;
    }
  } else {
    // break z into 24-bit pieces if necessary
    z = scale(z, -q0);
    if (z >= TWO_24) {
      const fw = (TWO_M24 * z) | 0;
      iq[jz] = (z - TWO_24 * fw) | 0;
      jz += 1;
      q0 += 24;
      iq[jz] = fw;
    } else {
      iq[jz] = z | 0;
    }
  }
  // the integer pieces as doubles
  let fw = scale(1, q0);
  for (let i = jz; i >= 0; i--) {
    q[i] = fw * iq[i];
    fw *= TWO_M24;
  }
  // PIO2[0 … jp]·q[jz … 0]
  for (let i = jz; i >= 0; i--) {
    fw = 0;
    for (let k = 0; k <= jp && k <= jz - i; k++) fw += PIO2[k] * q[i + k];
    fq[jz - i] = fw;
  }
  // compress fq[] into y[0] + y[1]
  fw = 0;
  for (let i = jz; i >= 0; i--) fw += fq[i];
  y[0] = ih === 0 ? fw : -fw;
  fw = fq[0] - fw;
  for (let i = 1; i <= jz; i++) fw += fq[i];
  y[1] = ih === 0 ? fw : -fw;
  return n & 7;
}
