// tanh x in float64 arithmetic only, through the ported expm1, so that every JavaScript engine gives
// the same bits: engines' Math.tanh round differently now and then.
// Its WebAssembly twin, tanh.wat beside this file (exported as `math_tanh`, through expm1.wat), is
// the same operations in the same order: the network batch's tanh layers (network-batch.wat).
//
// Ported from fdlibm's s_tanh.c as V8 carries it (src/base/ieee754.cc, which is Math.tanh in Node
// 20), so the results equal Node 20's Math.tanh bit for bit (test/math/tanh.test.ts,
// scripts/math/accuracy.ts). Copyright (C) 1993 by Sun Microsystems, Inc.; notice in
// THIRD_PARTY_NOTICES.md. fdlibm's error bound: < 2.5 ulps (measured much less: the accuracy script).
//
// The method: with t = expm1(±2|x|), tanh|x| = 1 − 2/(t + 2) for |x| ≥ 1 and −t/(t + 2) (t =
// expm1(−2|x|)) below, where nothing cancels; |x| < 2^−28 gives x itself (tanh x = x − x³/3 + …
// rounds to x), |x| ≥ 22 gives ±1 (1 − tanh 22 < 2^−63).

import { expm1At } from "./expm1.js";
import { HIGH, scratch, words } from "./float-words.js";

const io = new Float64Array(1);

/**
 * The hyperbolic tangent, computed with float64 arithmetic only: the same bits in every JavaScript
 * engine, equal to Node 20's Math.tanh (the same fdlibm port). tanh(NaN) = NaN, tanh(±∞) = ±1,
 * tanh(±0) = ±0.
 *
 * ```math
 * \tanh x = \frac{e^{2x} - 1}{e^{2x} + 1} = \operatorname{sign}(x)\left(1 - \frac{2}{\operatorname{expm1}(2|x|) + 2}\right)
 * ```
 *
 * @example
 * ```ts
 * tanh(0.5); // 0.46211715726000974
 * tanh(-Infinity); // -1
 * ```
 */
export function tanh(x: number): number {
  io[0] = x;
  tanhAt(io, 0);
  return io[0];
}

/**
 * a[i] ← tanh(a[i]), the same bits as {@link tanh}. (The form hot loops call: only an array and an
 * index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link tanh} is this behind a call small enough to be inlined.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(0.5);
 * tanhAt(a, 0); // a[0] = 0.46211715726000974
 * ```
 */
export function tanhAt(a: Float64Array, i: number): void {
  const x = a[i];
  scratch[0] = x;
  const jx = words[HIGH]; // GET_HIGH_WORD
  const ix = jx & 0x7fffffff;
  if (ix >= 0x7ff00000) {
    // ±∞ or NaN: 1/x ± 1 gives ±1 or NaN
    a[i] = jx >= 0 ? 1 / x + 1 : 1 / x - 1;
    return;
  }
  if (ix >= 0x40360000) {
    a[i] = jx >= 0 ? 1 : -1; // |x| ≥ 22: fdlibm's one − tiny, which rounds to 1
    return;
  }
  if (ix < 0x3e300000) return; // |x| < 2^−28: tanh x rounds to x (fdlibm's "huge + x > one" is always true here)
  // t = expm1(±2|x|), computed in a[i] itself; each branch writes its result (a double merged from
  // two branches may be boxed by V8)
  if (ix >= 0x3ff00000) {
    // |x| ≥ 1
    a[i] = 2 * Math.abs(x);
    expm1At(a, i);
    const z = 1 - 2 / (a[i] + 2);
    a[i] = jx >= 0 ? z : -z;
  } else {
    a[i] = -2 * Math.abs(x);
    expm1At(a, i);
    const t = a[i];
    const z = -t / (t + 2);
    a[i] = jx >= 0 ? z : -z;
  }
}
