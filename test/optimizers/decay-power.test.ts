import { describe, expect, test } from "vitest";
import { DecayPower } from "../../src/optimizers/decay-power.js";

/** β^t from a DecayPower (which reads β from an array). */
const at = (power: DecayPower, beta: number, t: number): number => {
  power.follow(Float64Array.of(beta), 0, t);
  return power.numbers[0];
};

/** β^t rounded to the nearest double, from β's exact binary value (BigInt arithmetic). */
function exactPower(beta: number, t: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, beta);
  const bits = view.getBigUint64(0);
  const exponent = Number((bits >> 52n) & 0x7ffn) - 1075;
  const mantissa = (bits & ((1n << 52n) - 1n)) | (1n << 52n);
  const m = mantissa ** BigInt(t); // β^t = m · 2^(exponent·t), exactly
  const shift = m.toString(2).length - 53;
  if (shift <= 0) return Number(m) * 2 ** (exponent * t);
  let q = m >> BigInt(shift);
  const rest = m - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  return Number(q) * 2 ** (exponent * t + shift);
}

describe("DecayPower: β^t step after step", () => {
  test("is β^t correctly rounded (normal powers), where Math.pow is not always", () => {
    let powOff = 0;
    for (const beta of [0.9, 0.99, 0.999, 0.95, 0.5, 0.3, 0.9999]) {
      const power = new DecayPower();
      for (let t = 1; t <= 1500 && Math.pow(beta, t) > 2 ** -900; t++) {
        const exact = exactPower(beta, t);
        expect(at(power, beta, t), `${beta}^${t}`).toBe(exact);
        if (Math.pow(beta, t) !== exact) powOff++;
      }
    }
    expect(powOff).toBeGreaterThan(0); // why it is worth having
  });

  test("depends on (β, t) alone: jumps, restarts, block boundaries and a changed β give the same bits as counting up", () => {
    const beta = 0.999;
    const counted = new DecayPower();
    const values = new Map<number, number>();
    for (let t = 0; t <= 3 * 65536 + 10; t++) {
      const v = at(counted, beta, t);
      if (t % 9973 === 0 || (t % 65536 < 3 || t % 65536 > 65533)) values.set(t, v);
    }
    for (const [t, v] of values) {
      const fresh = new DecayPower();
      expect(at(fresh, beta, t), `fresh at ${t}`).toBe(v);
      const other = new DecayPower();
      at(other, 0.9, t + 5);
      expect(at(other, beta, t), `after another β, at ${t}`).toBe(v);
      const back = new DecayPower();
      at(back, beta, t + 70000);
      expect(at(back, beta, t), `going back to ${t}`).toBe(v);
    }
  });

  test("blocks of 16 and 256: counting up, fresh starts, jumps within a block and a β that changes every step agree", () => {
    const betas = [0.9, 0.999];
    const counted = betas.map(() => new DecayPower());
    const alternating = new DecayPower(); // a scheduled β: another base at every call
    const jumping = new DecayPower();
    for (let t = 0; t <= 1100; t++) {
      betas.forEach((beta, i) => {
        const v = at(counted[i], beta, t);
        expect(at(new DecayPower(), beta, t), `fresh ${beta}^${t}`).toBe(v);
        expect(at(alternating, beta, t), `alternating ${beta}^${t}`).toBe(v);
        if (t % 7 === 3) {
          expect(at(jumping, beta, t + (t % 13)), `jump past ${t}`).toBe(at(new DecayPower(), beta, t + (t % 13)));
          expect(at(jumping, beta, t), `back to ${t}`).toBe(v);
        }
      });
    }
  });

  test("edge bases: 0, 1, and t = 0", () => {
    const p = new DecayPower();
    expect(at(p, 0, 0)).toBe(1);
    expect(at(p, 0, 1)).toBe(0);
    expect(at(p, 0, 70000)).toBe(0);
    expect(at(new DecayPower(), 1, 123456)).toBe(1);
    expect(at(new DecayPower(), 0.9, 0)).toBe(1);
  });

  test("stays within an ulp of Math.pow down to the smallest normal powers", () => {
    const p = new DecayPower();
    for (let t = 1; t <= 6000; t++) {
      const want = Math.pow(0.9, t);
      if (want < 2 ** -1000) break;
      const got = at(p, 0.9, t);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * 2 ** -52);
    }
  });
});
