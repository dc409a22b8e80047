// e^x in float64 arithmetic only (+ − × ÷, truncation to an integer, comparisons, scaling by an exact
// power of two), so that the same operation sequence written in WebAssembly (exp.wat beside
// this file, exported by the Wasm module as `math_exp`) gives the same bits: WebAssembly has no exp
// instruction, and a JS path that called Math.exp would differ from it in the last bit now and then.
//
// Ported from fdlibm's e_exp.c as FreeBSD msun and V8 (src/base/ieee754.cc, which is Math.exp in
// Node) carry it, including V8's exp(1) = Math.E, so the results equal Node's Math.exp bit for bit
// (measured: 0 of 10^7 differ, scripts/math/accuracy.ts). Copyright (C) 2004 by Sun Microsystems,
// Inc.; notice in THIRD_PARTY_NOTICES.md. fdlibm's error bound: < 1 ulp; measured against mpmath
// on 10^5 inputs over [−745, 710] and the hard sets: at most 0.90 ulp, 93% correctly rounded.
//
// The method: x = k·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high part whose multiples by k are
// exact and a low part), e^r = 1 + r + r·c/(2 − c) with c = r − r²·P(r²) (a Remez fit, error
// < 2^−59), then e^x = 2^k·e^r. The one change from the C text: fdlibm classifies x by the high 32
// bits of |x|; here by comparing |x| with the double whose high word is that bound and whose low
// word is 0, which selects the same inputs (non-negative doubles are ordered like their bits) without
// reading bits, and the sign by x < 0 (the branches that read it never see ±0).

import { POWERS_OF_TWO } from "./float-words.js";

/** |x| ≥ this (high word 0x40862E42): overflow, underflow or a non-finite input is possible. */
const BIG = 709.7822265625; // 0x1.62e42p+9
/** 0.5·ln2 < |x| (high word > 0x3FD62E42): reduce the argument. */
const HALF_LN2 = 0.3465735912322998; // 0x1.62e43p-2
/** |x| < 1.5·ln2 (high word < 0x3FF0A2B2): k = ±1. */
const ONE_AND_HALF_LN2 = 1.0397205352783203; // 0x1.0a2b2p+0
/** |x| < 2^−28: e^x rounds to 1 + x. */
const TINY = 3.725290298461914e-9; // 0x1p-28
/** Above this e^x overflows. */
const OVERFLOW = 709.782712893384; // 0x1.62e42fefa39efp+9
/** Below this e^x underflows to 0. */
const UNDERFLOW = -745.1332191019411; // -0x1.74910d52d3051p+9
/** ln2's high part: its last 32 bits are 0, so k·LN2_HI is exact for |k| < 2^20. */
const LN2_HI = 0.6931471803691238; // 0x1.62e42feep-1
/** ln2 − LN2_HI. */
const LN2_LO = 1.9082149292705877e-10; // 0x1.a39ef35793c76p-33
const INV_LN2 = 1.4426950408889634; // 0x1.71547652b82fep+0
const P1 = 0.16666666666666602; // 0x1.555555555553ep-3
const P2 = -0.0027777777777015593; // -0x1.6c16c16bebd93p-9
const P3 = 0.00006613756321437934; // 0x1.1566aaf25de2cp-14
const P4 = -0.0000016533902205465252; // -0x1.bbd41c5d26bf1p-20
const P5 = 4.1381367970572385e-8; // 0x1.6376972bea4dp-25
const TWO_1023 = 8.98846567431158e307; // 0x1p+1023
const TWO_M1000 = 9.332636185032189e-302; // 0x1p-1000

/**
 * e^x, computed with float64 arithmetic only, bit-identical to the Wasm backend's `math_exp` and
 * (in Node, whose Math.exp is the same fdlibm port) to Math.exp. Error < 1 ulp; exp(NaN) = NaN,
 * exp(+∞) = +∞, exp(−∞) = 0, exp(±0) = 1, overflow gives +∞ and underflow 0 (through subnormals).
 *
 * @example
 * ```ts
 * exp(1); // 2.718281828459045
 * exp(-Infinity); // 0
 * ```
 */
export function exp(x: number): number {
  io[0] = x;
  expAt(io, 0);
  return io[0];
}

const io = new Float64Array(1);

/**
 * a[i] ← e^(a[i]), the same bits as {@link exp}. (The form hot loops call: only an array and an
 * index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link exp} is this behind a call small enough to be inlined. It was the other way round,
 * this form calling exp, which relied on exp being inlined in turn: once this form is inlined into a
 * caller, exp's call counts against the caller's inlining budget, and the Gabor model's gradient,
 * bundled, was now and then compiled calling it: about 44 bytes of heap numbers a row, for the rest
 * of the process.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(0, 1);
 * expAt(a, 1); // a = [0, 2.718281828459045]
 * ```
 */
export function expAt(a: Float64Array, i: number): void {
  let x = a[i];
  const ax = Math.abs(x);
  if (!(ax < BIG)) {
    if (x !== x) {
      a[i] = x + x; // NaN
      return;
    }
    if (ax === Infinity) {
      a[i] = x > 0 ? x : 0;
      return;
    }
    if (x > OVERFLOW) {
      a[i] = Infinity;
      return;
    }
    if (x < UNDERFLOW) {
      a[i] = 0;
      return;
    }
  }
  let hi = 0;
  let lo = 0;
  let k = 0;
  if (ax >= HALF_LN2) {
    if (x === 1) {
      a[i] = Math.E; // V8's special case: the steps below round e one ulp low
      return;
    }
    // k = ±1 below 1.5·ln2 (fdlibm's x ∓ ln2HI and ±ln2LO are the same doubles as below: multiplying
    // by ±1 is exact; one formula, so that no double constant merges with a computed double, which
    // V8 would box), else round(x/ln2)
    k = ax < ONE_AND_HALF_LN2 ? (x < 0 ? -1 : 1) : (INV_LN2 * x + (x < 0 ? -0.5 : 0.5)) | 0; // truncation toward 0, as C's (int) cast
    hi = x - k * LN2_HI; // exact
    lo = k * LN2_LO;
    x = hi - lo;
  } else if (ax < TINY) {
    a[i] = 1 + x;
    return;
  }
  // x is now in [−0.5·ln2, 0.5·ln2]
  const t = x * x;
  const c = x - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) {
    a[i] = 1 - ((x * c) / (c - 2) - x);
    return;
  }
  const y = 1 - (lo - (x * c) / (2 - c) - hi);
  if (k >= -1021) {
    a[i] = k === 1024 ? y * 2 * TWO_1023 : y * POWERS_OF_TWO[k + 1074];
    return;
  }
  a[i] = y * POWERS_OF_TWO[k + 1000 + 1074] * TWO_M1000; // 2^k·y is subnormal: round once, at the end
}
