import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { decodeFloat64, encodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { bytes } from "../helpers.js";

describe("float64 base64", () => {
  it("matches Node's base64 of the little-endian bytes", () => {
    const values = Float64Array.of(1, -0, Infinity, -Infinity, NaN, 5e-324, -1.7976931348623157e308);
    expect(encodeFloat64(values)).toBe(Buffer.from(values.buffer).toString("base64"));
    expect(encodeFloat64(Float64Array.of(1))).toBe("AAAAAAAA8D8=");
    expect(encodeFloat64(new Float64Array(0))).toBe("");
  });

  test.prop([fc.float64Array({ maxLength: 40 })], { numRuns: 500 })("round-trips every bit", (values) => {
    const decoded = decodeFloat64(encodeFloat64(values))!;
    expect(bytes(decoded)).toEqual(bytes(values));
  });

  it("round-trips a long buffer (chunked encoding)", () => {
    const values = Float64Array.from({ length: 10_001 }, (_, i) => Math.sin(i) * 10 ** (i % 300));
    expect(bytes(decodeFloat64(encodeFloat64(values))!)).toEqual(bytes(values));
  });

  it.each(["A", "AAAAAAAA8D8", "AAAAAAAA8D8*", "AAAA", "AAAAAAAA8D8=AAAA", "é"])("rejects %j", (text) => {
    expect(decodeFloat64(text)).toBeUndefined();
  });
});
