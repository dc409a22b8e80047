import { describe, expect, it } from "vitest";
import { InvalidOptionError } from "gradstep";
import { createRandom, dataset, splitDataset } from "gradstep/learn";

const n = 103;
// row i holds (i, −i) with target 10·i, so every row of a part names its origin
const data = dataset(Array.from({ length: n }, (_, i) => [i, -i]), Array.from({ length: n }, (_, i) => 10 * i));

describe("splitDataset", () => {
  it("partitions the rows: sizes round(v·n), round(t·n), the rest; rows and targets kept together", () => {
    const { train, validation, test, order } = splitDataset(data, { validation: 0.15, test: 0.2, seed: 4 });
    expect([train.size, validation!.size, test!.size]).toEqual([103 - 15 - 21, 15, 21]);
    const seen: number[] = [];
    for (const part of [train, validation!, test!]) {
      for (let k = 0; k < part.size; k++) {
        const i = part.X.get(k, 0);
        expect(part.X.get(k, 1)).toBe(-i);
        expect(part.y.get(k)).toBe(10 * i);
        seen.push(i);
      }
    }
    expect(Array.from(order)).toEqual(seen);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
  });

  it("is the seeded Fisher–Yates shuffle of createRandom: the same seed, the same split", () => {
    const a = splitDataset(data, { test: 0.3, seed: "s" });
    const b = splitDataset(data, { test: 0.3, seed: "s" });
    expect(Array.from(a.order)).toEqual(Array.from(b.order));
    expect(Array.from(splitDataset(data, { test: 0.3, seed: "t" }).order)).not.toEqual(Array.from(a.order));
    // the shuffle written out: swap i with ⌊u·(i + 1)⌋ from the top; test rows first, then the rest
    const random = createRandom("s");
    const p = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [p[i], p[j]] = [p[j], p[i]];
    }
    const nTest = Math.round(0.3 * n);
    expect(Array.from(a.order)).toEqual([...p.slice(nTest), ...p.slice(0, nTest)]);
    expect(a.validation).toBeNull();
  });

  it("defaults: test 0.2, no validation", () => {
    const { train, validation, test } = splitDataset(data);
    expect([train.size, validation, test!.size]).toEqual([82, null, 21]);
  });

  it.each([
    [{ test: 1 }, "test"],
    [{ validation: -0.1 }, "validation"],
    [{ validation: 0.6, test: 0.5 }, "validation"],
    [{ tests: 0.2 }, "tests"],
  ])("refuses %j, naming %s", (options, argument) => {
    let error: unknown;
    try {
      splitDataset(data, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).argument).toBe(argument);
  });
});
