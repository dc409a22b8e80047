// cos x in float64 arithmetic only, so that every JavaScript engine gives the same bits: engines'
// Math.cos round differently now and then (Chromium's differs from Node 20's on about 1 input in 30).
// Ported from fdlibm's s_cos.c as V8 carries it (src/base/ieee754.cc, Math.cos in Node 20), so the
// results equal Node 20's Math.cos bit for bit (test/math/sin-cos.test.ts, scripts/math/accuracy.ts),
// for every double: huge arguments are reduced with as many bits of 2/π as they need. Copyright (C)
// 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md.

import { highWord } from "./float-words.js";
import { reduced, remPio2 } from "./rem-pio2.js";
import { kernelCos, kernelSin } from "./trig-kernels.js";

/**
 * The cosine, computed with float64 arithmetic only: the same bits in every JavaScript engine, equal
 * to Node 20's Math.cos (the same fdlibm port). Error < 1 ulp; cos(±0) = 1, cos(±∞) = cos(NaN) = NaN.
 * x is reduced exactly to r = x − N·π/2, |r| ≤ π/4, for any double (huge ones included), then
 *
 * ```math
 * \cos x = \begin{cases} \cos r & N \equiv 0 \\ -\sin r & N \equiv 1 \\ -\cos r & N \equiv 2 \\ \sin r & N \equiv 3 \end{cases} \pmod 4
 * ```
 *
 * @example
 * ```ts
 * cos(Math.PI / 3); // 0.5000000000000001
 * cos(0); // 1
 * ```
 */
export function cos(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelCos(x, 0); // |x| ≲ π/4
  if (ix >= 0x7ff00000) return x - x; // ±∞ or NaN: NaN
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelCos(reduced[0], reduced[1]);
    case 1:
      return -kernelSin(reduced[0], reduced[1], true);
    case 2:
      return -kernelCos(reduced[0], reduced[1]);
    default:
      return kernelSin(reduced[0], reduced[1], true);
  }
}
