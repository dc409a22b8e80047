import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "gradstep";
import { EpochSampler, ReplaySampler } from "gradstep/learn";

function draw(sampler: EpochSampler, batches: number): number[][] {
  const rows = new Int32Array(sampler.batchSize);
  return Array.from({ length: batches }, () => Array.from(rows.subarray(0, sampler.next(rows))));
}

describe("EpochSampler", () => {
  test.prop([fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.nat()], { numRuns: 200 })(
    "each epoch is a permutation of 0..N − 1 (lastBatch keep)",
    (size, b, seed) => {
      const batchSize = Math.min(b, size);
      const sampler = new EpochSampler({ size, batchSize, seed });
      const perEpoch = Math.ceil(size / batchSize);
      for (let epoch = 0; epoch < 3; epoch++) {
        const seen = draw(sampler, perEpoch).flat();
        expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: size }, (_, i) => i));
        expect(sampler.epoch).toBe(epoch + 1);
      }
    },
  );

  it("drops the last partial batch when asked, without skipping anything for good", () => {
    const sampler = new EpochSampler({ size: 7, batchSize: 3, seed: 1, lastBatch: "drop" });
    const batches = draw(sampler, 4);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 3, 3]);
    expect(sampler.epoch).toBe(2);
    expect(new Set(batches[0].concat(batches[1])).size).toBe(6);
  });

  it("does not shuffle batch gradient descent (B = N)", () => {
    expect(draw(new EpochSampler({ size: 5, batchSize: 5 }), 2)).toEqual([[0, 1, 2, 3, 4], [0, 1, 2, 3, 4]]);
  });

  it("the same seed gives the same batches; another seed others", () => {
    const a = draw(new EpochSampler({ size: 30, batchSize: 5, seed: 9 }), 12);
    expect(draw(new EpochSampler({ size: 30, batchSize: 5, seed: 9 }), 12)).toEqual(a);
    expect(draw(new EpochSampler({ size: 30, batchSize: 5, seed: 10 }), 12)).not.toEqual(a);
  });

  test.prop([fc.nat(25), fc.nat(25)], { numRuns: 50 })("resumes from a snapshot with the same batches", (split, rest) => {
    const whole = draw(new EpochSampler({ size: 13, batchSize: 4, seed: 3 }), split + rest);
    const first = new EpochSampler({ size: 13, batchSize: 4, seed: 3 });
    draw(first, split);
    const second = new EpochSampler({ size: 13, batchSize: 4, seed: 999 });
    second.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(draw(second, rest)).toEqual(whole.slice(split));
    const reference = new EpochSampler({ size: 13, batchSize: 4, seed: 3 });
    draw(reference, split + rest);
    expect(second.epoch).toBe(reference.epoch);
  });

  it.each([
    [{ size: 0, batchSize: 1 }, "size"],
    [{ size: 10, batchSize: 0 }, "batchSize"],
    [{ size: 10, batchSize: 11 }, "batchSize"],
    [{ size: 10, batchSize: 2.5 }, "batchSize"],
    [{ size: 10, batchSize: 2, lastBatch: "fill" }, "lastBatch"],
  ])("refuses %j", (options, argument) => {
    expect(() => new EpochSampler(options as never)).toThrow(InvalidOptionError);
    try {
      new EpochSampler(options as never);
    } catch (e) {
      expect((e as InvalidOptionError).argument).toBe(argument);
    }
  });

  it("refuses a corrupt snapshot and keeps its state", () => {
    const sampler = new EpochSampler({ size: 6, batchSize: 2, seed: 1 });
    draw(sampler, 2);
    const good = JSON.parse(JSON.stringify(sampler.snapshot()));
    const before = JSON.stringify(sampler.snapshot());
    for (const bad of [
      { ...good, order: [0, 0, 1, 2, 3, 4] },
      { ...good, cursor: 9 },
      { ...good, size: 7 },
      { ...good, random: { i: 0, j: 0, S: [1, 2] } },
      { ...good, kind: "ReplaySampler" },
    ]) {
      expect(() => sampler.restore(bad)).toThrow(InvalidSnapshotError);
      expect(JSON.stringify(sampler.snapshot())).toBe(before);
    }
  });
});

describe("ReplaySampler", () => {
  it("replays the batches in order, then refuses", () => {
    const replay = new ReplaySampler([[3, 1], [2]], { size: 4 });
    const rows = new Int32Array(2);
    expect(replay.next(rows)).toBe(2);
    expect(Array.from(rows)).toEqual([3, 1]);
    expect(replay.next(rows)).toBe(1);
    expect(rows[0]).toBe(2);
    expect(() => replay.next(rows)).toThrow(InvalidOptionError);
  });
});

describe("hostile use (an adversarial review's findings)", () => {
  it("a seed that is neither a finite number nor a string is refused, by samplers, splits and generators", async () => {
    const { createRandom, dataset, splitDataset } = await import("gradstep/learn");
    const data = dataset(Array.from({ length: 10 }, (_, i) => [i, -i]), Array.from({ length: 10 }, (_, i) => i));
    expect(splitDataset(data, { validation: 0.2, seed: 1 }).train.size).toBeGreaterThan(0);
    for (const seed of [NaN, Infinity, null, true, {}, [], { a: 1 }]) {
      expect(() => new EpochSampler({ size: 10, batchSize: 2, seed: seed as number })).toThrow(InvalidOptionError);
      expect(() => createRandom(seed as number)).toThrow(InvalidOptionError);
      expect(() => splitDataset(data, { validation: 0.2, seed: seed as number })).toThrow(InvalidOptionError);
    }
    expect(draw(new EpochSampler({ size: 10, batchSize: 2, seed: 1.5 }), 5)).toEqual(draw(new EpochSampler({ size: 10, batchSize: 2, seed: "1.5" }), 5));
  });

  it("next() refuses a buffer shorter than the batch, drawing nothing", () => {
    const sampler = new EpochSampler({ size: 10, batchSize: 5, seed: 3 });
    const before = JSON.stringify(sampler.snapshot());
    expect(() => sampler.next(new Int32Array(2))).toThrow(ShapeMismatchError);
    expect(JSON.stringify(sampler.snapshot())).toBe(before);
    const replay = new ReplaySampler([[0, 1, 2]], { size: 3 });
    expect(() => replay.next(new Int32Array(2))).toThrow(ShapeMismatchError);
    expect(replay.epoch).toBe(0);
  });

  it("a snapshot with a generator state that is no permutation, or with fields of its own, is refused", () => {
    const sampler = new EpochSampler({ size: 10, batchSize: 2, seed: 3 });
    draw(sampler, 3);
    const good = sampler.snapshot();
    const corrupt = [
      { ...good, random: { ...good.random, S: new Array(256).fill(0) } },
      { ...good, extra: 1 },
      JSON.parse(JSON.stringify(good).replace('{"kind"', '{"__proto__":{"x":1},"kind"')),
    ];
    for (const snapshot of corrupt) {
      const target = new EpochSampler({ size: 10, batchSize: 2, seed: 9 });
      const before = JSON.stringify(target.snapshot());
      expect(() => target.restore(snapshot)).toThrow(InvalidSnapshotError);
      expect(JSON.stringify(target.snapshot())).toBe(before);
    }
    const replay = new ReplaySampler([[0], [1]], { size: 2 });
    expect(() => replay.restore({ kind: "ReplaySampler", position: 1, extra: 2 })).toThrow(InvalidSnapshotError);
  });
});
