// sin x in float64 arithmetic only, so that every JavaScript engine gives the same bits: engines'
// Math.sin round differently now and then (Chromium's differs from Node 20's on about 1 input in 30).
// Ported from fdlibm's s_sin.c as V8 carries it (src/base/ieee754.cc, Math.sin in Node 20), so the
// results equal Node 20's Math.sin bit for bit (test/math/sin-cos.test.ts, scripts/math/accuracy.ts),
// for every double: huge arguments are reduced with as many bits of 2/π as they need. Copyright (C)
// 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md.

import { highWord } from "./float-words.js";
import { reduced, remPio2 } from "./rem-pio2.js";
import { kernelCos, kernelSin } from "./trig-kernels.js";

/**
 * The sine, computed with float64 arithmetic only: the same bits in every JavaScript engine, equal to
 * Node 20's Math.sin (the same fdlibm port). Error < 1 ulp; sin(±0) = ±0, sin(±∞) = sin(NaN) = NaN.
 * x is reduced exactly to r = x − N·π/2, |r| ≤ π/4, for any double (huge ones included), then
 *
 * ```math
 * \sin x = \begin{cases} \sin r & N \equiv 0 \\ \cos r & N \equiv 1 \\ -\sin r & N \equiv 2 \\ -\cos r & N \equiv 3 \end{cases} \pmod 4
 * ```
 *
 * @example
 * ```ts
 * sin(Math.PI / 6); // 0.49999999999999994
 * sin(1e22); // -0.8522008497671888 (x reduced with as many bits of 2/π as it needs)
 * ```
 */
export function sin(x: number): number {
  const ix = highWord(x) & 0x7fffffff;
  if (ix <= 0x3fe921fb) return kernelSin(x, 0, false); // |x| ≲ π/4
  if (ix >= 0x7ff00000) return x - x; // ±∞ or NaN: NaN
  const n = remPio2(x);
  switch (n & 3) {
    case 0:
      return kernelSin(reduced[0], reduced[1], true);
    case 1:
      return kernelCos(reduced[0], reduced[1]);
    case 2:
      return -kernelSin(reduced[0], reduced[1], true);
    default:
      return -kernelCos(reduced[0], reduced[1]);
  }
}
