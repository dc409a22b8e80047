// sin x in float64 arithmetic only, so that every JavaScript engine gives the same bits: engines'
// Math.sin round differently now and then (Chromium's differs from Node 20's on about 1 input in 30).
// Ported from fdlibm's s_sin.c as V8 carries it (src/base/ieee754.cc, Math.sin in Node 20), so the
// results equal Node 20's Math.sin bit for bit (test/math/sin-cos.test.ts, scripts/math/accuracy.ts),
// for every double: huge arguments are reduced with as many bits of 2/π as they need. Its
// WebAssembly twin (sin.wat beside this file, with trig-at.wat, rem-pio2*.wat and trig-kernels.wat;
// exported by the Wasm module as `math_sin`) gives the same bits, for the fused mini-batch of the
// Gabor model (src/objectives/risk-batch.wat). Copyright (C) 1993 by Sun Microsystems, Inc.; notice in
// THIRD_PARTY_NOTICES.md.

import { trigAt } from "./trig-at.js";

const io = new Float64Array(1);

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
  io[0] = x;
  sinAt(io, 0);
  return io[0];
}

/**
 * a[i] ← sin(a[i]), the same bits as {@link sin}. (The form hot loops call: only an array and an
 * index cross the call, where V8 would box a double passed to or returned from a call it does not
 * inline; {@link sin} is this behind a call small enough to be inlined.)
 *
 * @example
 * ```ts
 * const a = Float64Array.of(0);
 * sinAt(a, 0); // a[0] = 0
 * ```
 */
export function sinAt(a: Float64Array, i: number): void {
  trigAt(a, i, 0);
}
