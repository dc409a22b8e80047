// β^t for the bias corrections of Adam-like rules, step after step, without a Math.pow per step
// (two of them were a quarter of a small step's cost). Powers are carried as double-doubles (hi + lo,
// about 104 bits) multiplied with Dekker's exact product. Each product adds a relative error of about
// 2^-104 and powering multiplies the earlier ones by the exponent, so hi + lo is within t·2^-100 of
// β^t (measured: under 2^-84 for β up to 0.99999 as far as β^t stays above 2^-960), and the double
// returned is β^t correctly rounded unless β^t lies that close to a rounding boundary: in practice
// always (Math.pow itself is off by an ulp at about one step in ten for β = 0.9). Below about 2^-960
// the low parts underflow and lose their bits: there β^t can be several ulps off (12 at most measured,
// subnormal powers included), where 1 − β^t, which the rules use, is exactly 1 either way.
//
// The value at t depends on (β, t) alone, never on the path taken to it, so a restored or a
// rescheduled optimizer continues bit-identically. It is defined by one fixed procedure, with
// t = 256·j + 16·k + r (0 ≤ k, r < 16):
//   β^t = ((β²⁵⁶)^j · β¹⁶ · … (k times)) · β · … (r times)
// with β¹⁶ and β²⁵⁶ by squaring and (β²⁵⁶)^j by binary powering. Step after step that is one product:
// by β within a block of 16, by β¹⁶ at a block's start, and binary powering once every 256 steps.

/** 2^27 + 1: Dekker's splitter, which cuts a double into two halves of 26 bits. */
const SPLITTER = 134217729;

// Slots of DecayPower.numbers: double-doubles at even indices (hi, then lo).
/** β^t. */
const VALUE = 0;
/** β (its low part 0). */
const BASE = 2;
/** β^(t rounded down to a multiple of 16). */
const BLOCK = 4;
/** β¹⁶. */
const BASE16 = 6;
/** β²⁵⁶. */
const BASE256 = 8;
/** Binary powering's square. */
const SQUARE = 10;
/** β cut in two halves of 26 bits (Dekker's split), for the product by β. */
const BASE_HALVES = 12;

/**
 * numbers[out] ← numbers[a] · numbers[b], double-doubles (Dekker's product). Takes and writes array
 * slots, never a double: a double passed to or returned from a call the JIT does not inline is boxed,
 * an allocation a step. `out` may be `a` or `b`.
 */
function multiply(numbers: Float64Array, out: number, a: number, b: number): void {
  const aHi = numbers[a];
  const aLo = numbers[a + 1];
  const bHi = numbers[b];
  const bLo = numbers[b + 1];
  const product = aHi * bHi;
  const ca = SPLITTER * aHi;
  const aHigh = ca - (ca - aHi);
  const aLow = aHi - aHigh;
  const cb = SPLITTER * bHi;
  const bHigh = cb - (cb - bHi);
  const bLow = bHi - bHigh;
  const error = aHigh * bHigh - product + aHigh * bLow + aLow * bHigh + aLow * bLow;
  const tail = error + (aHi * bLo + aLo * bHi);
  const hi = product + tail;
  numbers[out] = hi;
  numbers[out + 1] = tail - (hi - product);
}

/** numbers[out] ← numbers[base]^e by binary powering (out ≠ base; uses the SQUARE slots). */
function power(numbers: Float64Array, out: number, base: number, e: number): void {
  numbers[out] = 1;
  numbers[out + 1] = 0;
  for (let k = -1; e > 0; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass (see kernels/scalars.ts)
      numbers[SQUARE] = numbers[base];
      numbers[SQUARE + 1] = numbers[base + 1];
    }
    if (e % 2 === 1) multiply(numbers, out, out, SQUARE);
    if (e > 1) multiply(numbers, SQUARE, SQUARE, SQUARE);
    e = Math.floor(e / 2);
  }
}

/**
 * β^t for consecutive step counts t, correctly rounded (down to about 2^-960; see above). A jump to any other (β, t), or a β that
 * changes every step (a schedule), costs a restart: about 50 double-double products. Its doubles
 * live in a Float64Array and none crosses a call boundary (β is read from an array, β^t from
 * `numbers[0]`).
 * @internal
 */
export class DecayPower {
  /** β^t for the (β, t) of the last {@link DecayPower.follow} at [0] (its low part at [1]); then β and the powers it builds from. */
  readonly numbers = Float64Array.of(1, 0, Number.NaN, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0, 0);
  private t = -1;

  /** Brings `numbers[0]` to β^t, with β = `values[index]` in [0, 1] and t a whole number ≥ 0. */
  follow(values: Float64Array, index: number, t: number): void {
    const numbers = this.numbers;
    const base = values[index];
    if (t === this.t + 1 && t % 16 !== 0 && base === numbers[BASE]) {
      // the common case, the next step within a block: (hi + lo)·β, β's halves ready (its low part 0)
      const hi = numbers[VALUE];
      const product = hi * base;
      const ch = SPLITTER * hi;
      const hiHigh = ch - (ch - hi);
      const hiLow = hi - hiHigh;
      const baseHigh = numbers[BASE_HALVES];
      const baseLow = numbers[BASE_HALVES + 1];
      const error = hiHigh * baseHigh - product + hiHigh * baseLow + hiLow * baseHigh + hiLow * baseLow;
      const tail = error + (hi * 0 + numbers[VALUE + 1] * base);
      const sum = product + tail;
      numbers[VALUE] = sum;
      numbers[VALUE + 1] = tail - (sum - product);
      this.t = t;
      return;
    }
    this.walk(values, index, t);
  }

  /**
   * {@link DecayPower.follow}'s other cases: a restart where β changed, t went back or crossed a block
   * of 256, then the products up to t. Kept out of `follow`, whose common case has no loop, and
   * written as one loop with an entry pass (see kernels/scalars.ts).
   */
  private walk(values: Float64Array, index: number, t: number): void {
    const numbers = this.numbers;
    for (let k = -1; ; k++) {
      if (k < 0) continue; // the entry pass
      if (k === 0) {
        const base = values[index];
        if (this.t === t && base === numbers[BASE]) return;
        if (!(base === numbers[BASE]) || t < this.t || Math.floor(t / 256) !== Math.floor(this.t / 256)) {
          // restart at t's block of 256: β¹⁶, β²⁵⁶, then (β²⁵⁶)^j
          numbers[BASE] = base;
          const cb = SPLITTER * base;
          numbers[BASE_HALVES] = cb - (cb - base);
          numbers[BASE_HALVES + 1] = base - numbers[BASE_HALVES];
          power(numbers, BASE16, BASE, 16);
          power(numbers, BASE256, BASE16, 16);
          this.t = t - (t % 256);
          power(numbers, BLOCK, BASE256, this.t / 256);
          numbers[VALUE] = numbers[BLOCK];
          numbers[VALUE + 1] = numbers[BLOCK + 1];
        }
      }
      if (!(this.t < t)) return;
      if (t - (t % 16) > this.t) {
        // on to the next block of 16 (a multiple of 256 is not crossed here: that restarted above)
        multiply(numbers, BLOCK, BLOCK, BASE16);
        numbers[VALUE] = numbers[BLOCK];
        numbers[VALUE + 1] = numbers[BLOCK + 1];
        this.t += 16 - (this.t % 16);
      } else {
        multiply(numbers, VALUE, VALUE, BASE);
        this.t += 1;
      }
    }
  }
}
