// The 32-bit words of a double, as fdlibm reads and writes them (GET_HIGH_WORD, SET_HIGH_WORD,
// INSERT_WORDS), over one scratch double: what the ported exp and log1p need where WebAssembly
// reinterprets an f64 as an i64. The scratch is module-level, so nothing is allocated per call.

const scratch = new Float64Array(1);
const words = new Int32Array(scratch.buffer);
/** Index of the high word (sign, exponent, top 20 mantissa bits) in `words`: 1 on little-endian machines. */
const HIGH = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f ? 1 : 0;
const LOW = 1 - HIGH;

/**
 * The high 32 bits of `x`'s IEEE-754 encoding as a signed integer (fdlibm's GET_HIGH_WORD).
 *
 * @example
 * ```ts
 * highWord(1); // 0x3ff00000
 * ```
 */
export function highWord(x: number): number {
  scratch[0] = x;
  return words[HIGH];
}

/**
 * `x` with its high 32 bits replaced by `high` and its low 32 bits kept (fdlibm's SET_HIGH_WORD).
 *
 * @example
 * ```ts
 * withHighWord(3, 0x3ff00000); // 1.5: 3 = 1.5·2¹, its exponent set to 2⁰
 * ```
 */
export function withHighWord(x: number, high: number): number {
  scratch[0] = x;
  words[HIGH] = high;
  return scratch[0];
}

/**
 * 2^k for an integer k in [−1022, 1023], exactly: the double whose exponent field is k + 1023 and
 * whose mantissa is 0 (fdlibm's INSERT_WORDS(twopk, (0x3ff + k) << 20, 0)).
 *
 * @example
 * ```ts
 * powerOfTwo(-3); // 0.125
 * ```
 */
export function powerOfTwo(k: number): number {
  words[HIGH] = (0x3ff + k) << 20;
  words[LOW] = 0;
  return scratch[0];
}
