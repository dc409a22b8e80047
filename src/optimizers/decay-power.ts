// β^t for the bias corrections of Adam-like rules, step after step, without a Math.pow per step
// (two of them were a quarter of a small step's cost). The power is carried as a double-double
// (hi + lo, about 104 bits) and multiplied by β once per step with Dekker's exact product, so the
// double returned is β^t correctly rounded (to within 2^-96 of the true power: faithful always,
// correctly rounded unless β^t lies that close to a rounding boundary). Math.pow itself is not
// correctly rounded: for β = 0.9 it is off by an ulp at about one step in ten.
//
// The value at t depends on (β, t) alone, never on the path taken to it, so a restored or a
// rescheduled optimizer continues bit-identically: each block of 16 steps starts from β^s computed
// afresh by squaring (s = t rounded down to the block), and the steps of a block multiply from there.

/** Steps per block: short, so that a β that changes every step (scheduled) costs little more. */
const BLOCK = 16;
/** 2^27 + 1: Dekker's splitter, which cuts a double into two halves of 26 bits. */
const SPLITTER = 134217729;

/**
 * β^t for consecutive step counts t, correctly rounded. A jump to any other (β, t), or a β that
 * changes every step (a schedule), costs a block's restart: about 60 double-double products. Its
 * doubles live in a Float64Array and none crosses a call boundary (β is read from an array, β^t from
 * `numbers[0]`): a double passed to, returned from or stored in a field by code the JIT did not
 * inline is a new heap number, an allocation a step.
 * @internal
 */
export class DecayPower {
  /** [β^t, the low part of β^t, β], for the (β, t) of the last {@link DecayPower.follow}. */
  readonly numbers = Float64Array.of(1, 0, Number.NaN);
  private t = -1;

  /** Brings `numbers[0]` to β^t, with β = `values[index]` in [0, 1] and t a whole number ≥ 0. */
  follow(values: Float64Array, index: number, t: number): void {
    // Every product is written out: a helper taking doubles, where the JIT does not inline it (its
    // budget depends on the caller), would box them at every call.
    const numbers = this.numbers;
    const base = values[index];
    const start = t - (t % BLOCK);
    if (!(base === numbers[2]) || t < this.t || start !== this.t - (this.t % BLOCK)) {
      // hi + lo ← β^start by binary powering in double-double: the square x, the product p
      let pHi = 1;
      let pLo = 0;
      let xHi = base;
      let xLo = 0;
      for (let e = start; e > 0; e = Math.floor(e / 2)) {
        const cx = SPLITTER * xHi;
        const xHigh = cx - (cx - xHi);
        const xLow = xHi - xHigh;
        if (e % 2 === 1) {
          const product = pHi * xHi;
          const cp = SPLITTER * pHi;
          const pHigh = cp - (cp - pHi);
          const pLow = pHi - pHigh;
          const error = pHigh * xHigh - product + pHigh * xLow + pLow * xHigh + pLow * xLow;
          const tail = error + (pHi * xLo + pLo * xHi);
          pHi = product + tail;
          pLo = tail - (pHi - product);
        }
        if (e > 1) {
          const square = xHi * xHi;
          const error = xHigh * xHigh - square + xHigh * xLow + xLow * xHigh + xLow * xLow;
          const tail = error + (xHi * xLo + xLo * xHi);
          xHi = square + tail;
          xLo = tail - (xHi - square);
        }
      }
      numbers[0] = pHi;
      numbers[1] = pLo;
      numbers[2] = base;
      this.t = start;
    }
    if (this.t === t) return;
    const cb = SPLITTER * base;
    const baseHigh = cb - (cb - base);
    const baseLow = base - baseHigh;
    while (this.t < t) {
      // (hi + lo)·β in double-double
      const hi = numbers[0];
      const product = hi * base;
      const ch = SPLITTER * hi;
      const hiHigh = ch - (ch - hi);
      const hiLow = hi - hiHigh;
      const error = hiHigh * baseHigh - product + hiHigh * baseLow + hiLow * baseHigh + hiLow * baseLow;
      const tail = error + numbers[1] * base;
      const sum = product + tail;
      numbers[1] = tail - (sum - product);
      numbers[0] = sum;
      this.t += 1;
    }
  }
}
