// The body shared by sin and cos (fdlibm's s_sin.c and s_cos.c differ only in which kernel and which
// sign each quadrant takes): cos x = sin(x + π/2), so cos is sin with its quadrant advanced by one.
// Copyright (C) 1993 by Sun Microsystems, Inc.; notice in THIRD_PARTY_NOTICES.md.

import { HIGH, scratch, words } from "./float-words.js";
import { reduced, remPio2 } from "./rem-pio2.js";
import { kernelCos, kernelSin } from "./trig-kernels.js";

/**
 * a[i] ← sin(a[i] + k·π/2) for k = `quarterTurns` (0: sin, 1: cos), with x − N·π/2 = r reduced
 * and the kernel and sign of quadrant (N + k) mod 4: sin r, cos r, −sin r, −cos r.
 * @internal
 */
export function trigAt(a: Float64Array, i: number, quarterTurns: 0 | 1): void {
  const x = a[i];
  scratch[0] = x;
  const ix = words[HIGH] & 0x7fffffff; // GET_HIGH_WORD
  if (ix <= 0x3fe921fb) {
    // |x| ≲ π/4
    reduced[0] = x;
    reduced[1] = 0;
    if (quarterTurns === 0) kernelSin(reduced, false);
    else kernelCos(reduced);
    a[i] = reduced[0];
    return;
  }
  if (ix >= 0x7ff00000) {
    a[i] = x - x; // ±∞ or NaN: NaN
    return;
  }
  const quadrant = (remPio2(a, i) + quarterTurns) & 3;
  if (quadrant === 0 || quadrant === 2) kernelSin(reduced, true);
  else kernelCos(reduced);
  a[i] = quadrant < 2 ? reduced[0] : -reduced[0];
}
