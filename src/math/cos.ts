// cos x in float64 arithmetic only, so that every JavaScript engine gives the same bits: engines'
// Math.cos round differently now and then (Chromium's differs from Node 20's on about 1 input in 30).
// Ported from fdlibm's s_cos.c as V8 carries it (src/base/ieee754.cc, Math.cos in Node 20), so the
// results equal Node 20's Math.cos bit for bit (test/math/sin-cos.test.ts, scripts/math/accuracy.ts),
// for every double: huge arguments are reduced with as many bits of 2/π as they need. Its
// WebAssembly twin (cos.wat beside this file, with trig-at.wat, rem-pio2*.wat and trig-kernels.wat;
// exported by the Wasm module as `math_cos`) gives the same bits, for the fused mini-batch of the
// Gabor model (src/objectives/risk-batch.wat). Copyright (C) 1993 by Sun Microsystems, Inc.; notice in
// THIRD_PARTY_NOTICES.md.

import { trigAt } from "./trig-at.js";

const io = new Float64Array(1);

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
  io[0] = x;
  cosAt(io, 0);
  return io[0];
}

/**
 * a[i] ← cos(a[i]), the same bits as {@link cos}. (The form hot loops call: only an array and an
 * index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link cos} is this behind a call small enough to be inlined.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(0);
 * cosAt(a, 0); // a[0] = 1
 * ```
 */
export function cosAt(a: Float64Array, i: number): void {
  trigAt(a, i, 1);
}
