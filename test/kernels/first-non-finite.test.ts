// firstNonFinite, the JavaScript backend's gradient check: sums of x·0 first, the search only where
// they are not 0. Against the definition (the first index where Number.isFinite fails), at every
// position of every tail length, and on finite values whose plain sum would overflow.
import { fc, test as property } from "@fast-check/vitest";
import { describe, expect, it } from "vitest";
import { firstNonFinite } from "../../src/kernels/first-non-finite.js";

const definition = (values: Float64Array) => values.findIndex((x) => !Number.isFinite(x));
const BAD = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];

describe("firstNonFinite", () => {
  it("finds NaN and ±Infinity at every position (lengths 0 to 40: every tail), the first of two", () => {
    for (let n = 0; n <= 40; n++) {
      const values = Float64Array.from({ length: n }, (_, i) => [1.5, -0, 5e-324, -2.25e10][i % 4]);
      expect(firstNonFinite(values), `n = ${n}`).toBe(-1);
      for (let i = 0; i < n; i++) {
        for (const bad of BAD) {
          values[i] = bad;
          expect(firstNonFinite(values), `n = ${n}, ${bad} at ${i}`).toBe(i);
          if (i + 1 < n) {
            values[n - 1] = BAD[(BAD.indexOf(bad) + 1) % 3];
            expect(firstNonFinite(values), `n = ${n}, ${bad} at ${i} and another at ${n - 1}`).toBe(i);
            values[n - 1] = [1.5, -0, 5e-324, -2.25e10][(n - 1) % 4];
          }
          values[i] = [1.5, -0, 5e-324, -2.25e10][i % 4];
        }
      }
    }
  });

  it("passes finite values whose plain sum would overflow, and finds a bad one among them", () => {
    for (const n of [1, 2, 7, 8, 9, 15, 16, 17, 1000]) {
      // runs of ±MAX_VALUE: each partial sum reaches ±Infinity, or Infinity − Infinity = NaN
      const values = Float64Array.from({ length: n }, (_, i) => (i % 24 < 12 ? Number.MAX_VALUE : -Number.MAX_VALUE));
      expect(firstNonFinite(values), `n = ${n}`).toBe(-1);
      for (const i of new Set([0, n >> 1, n - 1])) {
        for (const bad of BAD) {
          const kept = values[i];
          values[i] = bad;
          expect(firstNonFinite(values), `n = ${n}, ${bad} at ${i}`).toBe(i);
          values[i] = kept;
        }
      }
    }
  });

  property.prop([fc.array(fc.oneof(fc.double(), fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1e308)), { maxLength: 70 })])(
    "agrees with the definition on any doubles",
    (xs) => {
      const values = Float64Array.from(xs);
      expect(firstNonFinite(values)).toBe(definition(values));
    },
  );
});
