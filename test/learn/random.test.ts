// gradstep's generator and shuffle run their own copy of seedrandom's ARC4 over typed arrays; the
// reference here is seedrandom itself (its quick(), its state(), and the Fisher–Yates loop the
// sampler ran on it before), so recorded runs and saved snapshots stay valid.
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import seedrandom from "seedrandom";
import { InvalidSnapshotError } from "gradstep";
import { createRandom, DEFAULT_SEED, EpochSampler, type EpochSamplerSnapshot, type RandomState } from "gradstep/learn";

type Reference = seedrandom.StatefulPRNG<seedrandom.State.Arc4>;
const reference = (seed: number | string): Reference => seedrandom(String(seed), { state: true });
const restoredReference = (state: RandomState): Reference => seedrandom("", { state: { i: state.i, j: state.j, S: [...state.S] } });

/** How many of `count` draws differ between the two (compared in chunks, so 10^7 stays fast). */
function mismatches(ours: () => number, theirs: () => number, count: number): number {
  const chunk = 1 << 16;
  const a = new Float64Array(chunk);
  const b = new Float64Array(chunk);
  let differ = 0;
  for (let done = 0; done < count; done += chunk) {
    const n = Math.min(chunk, count - done);
    for (let k = 0; k < n; k++) a[k] = ours();
    for (let k = 0; k < n; k++) b[k] = theirs();
    for (let k = 0; k < n; k++) if (!Object.is(a[k], b[k])) differ++;
  }
  return differ;
}

/** The shuffled sampler as it was built on seedrandom: Fisher–Yates with quick(), cut into batches. */
function referenceBatches(size: number, batchSize: number, seed: number | string, batches: number): number[][] {
  const prng = reference(seed);
  const order = Array.from({ length: size }, (_, i) => i);
  const out: number[][] = [];
  let cursor = size;
  while (out.length < batches) {
    if (cursor >= size) {
      for (let i = size - 1; i > 0; i--) {
        const j = Math.floor(prng.quick() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
      cursor = 0;
    }
    out.push(order.slice(cursor, Math.min(size, cursor + batchSize)));
    cursor += batchSize;
  }
  return out;
}

function draw(sampler: EpochSampler, batches: number): number[][] {
  const rows = new Int32Array(sampler.batchSize);
  return Array.from({ length: batches }, () => Array.from(rows.subarray(0, sampler.next(rows))));
}

describe("createRandom: seedrandom's ARC4 quick() stream", () => {
  it("draws what seedrandom draws, 10^7 numbers from the default seed", () => {
    const ours = createRandom();
    const theirs = reference(DEFAULT_SEED);
    expect(mismatches(() => ours.next(), () => theirs.quick(), 1e7)).toBe(0);
    expect(ours.state()).toEqual(theirs.state());
  });

  it.each([0, 1, 42, -7, 3.5, 2 ** 40, "", "seed", "ünïcode ✓"])("and from seed %j (10^5 draws, same state after)", (seed) => {
    const ours = createRandom(seed);
    const theirs = reference(seed);
    expect(ours.state()).toEqual(theirs.state()); // seedrandom derives the state from the seed
    expect(mismatches(() => ours.next(), () => theirs.quick(), 1e5)).toBe(0);
    expect(ours.state()).toEqual(theirs.state());
  });

  test.prop([fc.nat(3000), fc.nat(3000), fc.integer()], { numRuns: 40 })("saves and restores like seedrandom", (before, after, seed) => {
    const ours = createRandom(seed);
    const theirs = reference(seed);
    mismatches(() => ours.next(), () => theirs.quick(), before);
    const saved = JSON.parse(JSON.stringify(ours.state())) as RandomState;
    expect(saved).toEqual(JSON.parse(JSON.stringify(theirs.state())));
    // seedrandom's saved state continues in ours, and ours in seedrandom
    const resumed = createRandom(999);
    resumed.restore(JSON.parse(JSON.stringify(theirs.state())));
    const resumedReference = restoredReference(saved);
    expect(mismatches(() => resumed.next(), () => resumedReference.quick(), after)).toBe(0);
    expect(mismatches(() => ours.next(), () => theirs.quick(), after)).toBe(0);
    expect(resumed.state()).toEqual(resumedReference.state());
  });

  it("keeps i and j as given, as seedrandom does, until a draw reduces them", () => {
    const S = reference(5).state().S;
    for (const [i, j] of [[300, -5], [-1, 1000], [255, 255]]) {
      const ours = createRandom(1);
      ours.restore({ i, j, S });
      const theirs = restoredReference({ i, j, S });
      expect(ours.state()).toEqual(theirs.state());
      expect(mismatches(() => ours.next(), () => theirs.quick(), 1000)).toBe(0);
      expect(ours.state()).toEqual(theirs.state());
    }
  });

  it("refuses a state that is not ARC4's and keeps its own", () => {
    const random = createRandom(3);
    random.next();
    const before = random.state();
    for (const bad of [null, { i: 0, j: 0, S: [1, 2] }, { i: 0.5, j: 0, S: before.S }, { ...before, S: [...before.S.slice(1), 256] }]) {
      expect(() => random.restore(bad as never)).toThrow(InvalidSnapshotError);
      expect(random.state()).toEqual(before);
    }
  });
});

describe("EpochSampler: the permutations of the seedrandom-based shuffle", () => {
  it("draws the recorded batches (size 30, batch 5, seed 1)", () => {
    // Recorded with the sampler built on seedrandom's quick() (before the typed-array ARC4).
    expect(draw(new EpochSampler({ size: 30, batchSize: 5, seed: 1 }), 7)).toEqual([
      [15, 21, 19, 26, 11], [10, 23, 29, 27, 13], [1, 22, 3, 2, 25], [6, 28, 20, 9, 17], [24, 18, 12, 0, 16], [14, 7, 5, 4, 8],
      [6, 8, 2, 13, 20],
    ]);
  });

  it.each([
    [2, 1],
    [255, 16],
    [256, 7],
    [257, 64],
    [513, 100],
    [1000, 3],
    [4099, 512],
  ])("size %i, batch %i: the same batches as Fisher–Yates on seedrandom's quick(), three epochs", (size, batchSize) => {
    for (const seed of [DEFAULT_SEED, 11, "x"]) {
      const batches = Math.ceil(size / batchSize) * 3;
      expect(draw(new EpochSampler({ size, batchSize, seed }), batches)).toEqual(referenceBatches(size, batchSize, seed, batches));
    }
  });

  it("samplers drawn in turn keep apart (each its own generator state)", () => {
    const a = new EpochSampler({ size: 300, batchSize: 100, seed: 1 });
    const b = new EpochSampler({ size: 500, batchSize: 250, seed: 2 });
    const rowsA = new Int32Array(100);
    const rowsB = new Int32Array(250);
    const drawnA: number[][] = [];
    const drawnB: number[][] = [];
    for (let k = 0; k < 12; k++) {
      drawnA.push(Array.from(rowsA.subarray(0, a.next(rowsA))));
      drawnB.push(Array.from(rowsB.subarray(0, b.next(rowsB))));
    }
    expect(drawnA).toEqual(referenceBatches(300, 100, 1, 12));
    expect(drawnB).toEqual(referenceBatches(500, 250, 2, 12));
  });

  it("its snapshot holds seedrandom's state at the same point, and a snapshot from then continues identically", () => {
    const size = 1000;
    const sampler = new EpochSampler({ size, batchSize: 100 });
    draw(sampler, 25); // two epochs and a half
    const prng = reference(DEFAULT_SEED);
    const order = Array.from({ length: size }, (_, i) => i);
    for (let epoch = 0; epoch < 3; epoch++) {
      for (let i = size - 1; i > 0; i--) {
        const j = Math.floor(prng.quick() * (i + 1));
        [order[i], order[j]] = [order[j], order[i]];
      }
    }
    const snapshot = sampler.snapshot();
    // The snapshot as the seedrandom-based sampler wrote it, recorded: a few of its values.
    expect(snapshot.order.slice(0, 4)).toEqual([824, 957, 423, 116]);
    expect([snapshot.random.i, snapshot.random.j, ...snapshot.random.S.slice(0, 4)]).toEqual([212, 79, 72, 232, 2, 245]);
    const old: EpochSamplerSnapshot = { kind: "EpochSampler", size, batchSize: 100, lastBatch: "keep", epoch: 2, cursor: 500, order, random: prng.state() };
    expect(snapshot).toEqual(old);
    const resumed = new EpochSampler({ size, batchSize: 100, seed: 5 });
    resumed.restore(JSON.parse(JSON.stringify(old)));
    expect(draw(resumed, 40)).toEqual(draw(sampler, 40));
    expect(resumed.snapshot()).toEqual(sampler.snapshot());
  });
});
