// What the ported exp and log1p need from a double's bits, where WebAssembly reinterprets an f64 as
// an i64: its high 32-bit word as fdlibm reads it (GET_HIGH_WORD), through one module-level scratch
// double (nothing allocated per call), and exact powers of two (fdlibm builds them from bits; so do
// the Wasm twins; here a table gives the same doubles).

/**
 * One double and its two 32-bit words, shared by the ports, which read and write words inline through
 * these rather than through the functions below: a helper that V8 does not inline (its inlining budget
 * spent on a large caller) would box each double or word it returns (a word above 2^30 is not a small
 * integer), and the hot loops must not allocate.
 */
export const scratch = new Float64Array(1);
/** `scratch`'s words, signed: words[HIGH] is the high word (fdlibm's GET_HIGH_WORD), words[LOW] the low. */
export const words = new Int32Array(scratch.buffer);
/** Index of the high word (sign, exponent, top 20 mantissa bits) in `words`: 1 on little-endian machines. */
export const HIGH = new Uint8Array(Float64Array.of(1).buffer)[7] === 0x3f ? 1 : 0;
/** Index of the low word in `words`. */
export const LOW = 1 - HIGH;

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

/** 2^j for j = −1074 … 1023 at index j + 1074: exact (doubling and halving 1 never rounds). */
export const POWERS_OF_TWO = new Float64Array(1074 + 1024);
POWERS_OF_TWO[1074] = 1;
for (let j = 1; j <= 1023; j++) POWERS_OF_TWO[1074 + j] = POWERS_OF_TWO[1073 + j] * 2;
for (let j = -1; j >= -1074; j--) POWERS_OF_TWO[1074 + j] = POWERS_OF_TWO[1075 + j] / 2;

/**
 * 2^k for an integer k in [−1074, 1023], exactly. For k ≥ −1022 this is the double fdlibm builds with
 * INSERT_WORDS(twopk, (0x3ff + k) << 20, 0), which the Wasm twins build from bits; here it is read
 * from a table (a load, where writing two words and reading the double back would stall the CPU's
 * store forwarding).
 *
 * @example
 * ```ts
 * powerOfTwo(-3); // 0.125
 * ```
 */
export function powerOfTwo(k: number): number {
  return POWERS_OF_TWO[k + 1074];
}

/**
 * The low 32 bits of `x`'s IEEE-754 encoding as an unsigned integer (fdlibm's GET_LOW_WORD).
 *
 * @example
 * ```ts
 * lowWord(1); // 0
 * lowWord(Number.MIN_VALUE); // 1
 * ```
 */
export function lowWord(x: number): number {
  scratch[0] = x;
  return words[LOW] >>> 0;
}

/**
 * The double whose IEEE-754 encoding has the high 32 bits `high` and the low 32 bits `low`
 * (fdlibm's INSERT_WORDS; SET_HIGH_WORD and SET_LOW_WORD are this with one word read from x).
 *
 * @example
 * ```ts
 * fromWords(0x3ff00000, 0); // 1
 * ```
 */
export function fromWords(high: number, low: number): number {
  words[HIGH] = high;
  words[LOW] = low;
  return scratch[0];
}
