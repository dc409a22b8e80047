// The shuffled EpochSampler's cost per element of an epoch (the seeded Fisher–Yates shuffle and the
// copies of its batches of 64), against the same loop on seedrandom's own quick() — how gradstep
// drew its permutations before its typed-array copy of seedrandom's ARC4 — interleaved in one run.
// Both draw the same permutations (checked here before timing). `node bench/run-bundled.mjs bench/shuffle.ts [--quick]`
// prints the table alone; `npm run bench` prints it in its end-to-end part.
import seedrandom from "seedrandom";
import { EpochSampler } from "gradstep/learn";
import { interleaved } from "./timing.js";
import { isEntry } from "./entry.js";

export interface ShuffleRow {
  /** N, the number of examples. */
  n: number;
  /** gradstep's EpochSampler, ns per element of an epoch. */
  sampler: number;
  /** Fisher–Yates on seedrandom's quick(), the same batches, ns per element. */
  seedrandom: number;
  /** Median over rounds of sampler ÷ seedrandom (the two samples of a round timed back to back). */
  ratio: number;
}

const BATCH = 64;
const SEED = 2026;

/**
 * One epoch of the sampler as it was: its generator an object whose next() calls seedrandom's
 * quick() (createRandom's shape then), Fisher–Yates with it, then the batches copied out.
 */
function seedrandomEpochs(n: number): () => void {
  const prng = seedrandom(String(SEED));
  const random = { next: () => prng.quick() };
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rows = new Int32Array(BATCH);
  return () => {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    for (let cursor = 0; cursor < n; cursor += BATCH) {
      const count = Math.min(BATCH, n - cursor);
      for (let k = 0; k < count; k++) rows[k] = order[cursor + k];
    }
  };
}

function samplerEpochs(n: number): () => void {
  const sampler = new EpochSampler({ size: n, batchSize: BATCH, seed: SEED });
  const rows = new Int32Array(BATCH);
  const batches = Math.ceil(n / BATCH);
  return () => {
    for (let b = 0; b < batches; b++) sampler.next(rows);
  };
}

/** The first epochs of both agree, batch for batch (else the comparison would be meaningless). */
function checkSame(n: number): void {
  const sampler = new EpochSampler({ size: n, batchSize: BATCH, seed: SEED });
  const rows = new Int32Array(BATCH);
  const prng = seedrandom(String(SEED));
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let epoch = 0; epoch < 2; epoch++) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(prng.quick() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (let cursor = 0; cursor < n; cursor += BATCH) {
      const count = sampler.next(rows);
      for (let k = 0; k < count; k++) if (rows[k] !== order[cursor + k]) throw new Error(`bench/shuffle: the EpochSampler's permutation of ${n} differs from seedrandom's`);
    }
  }
}

export function shuffleCost(quick: boolean): ShuffleRow[] {
  const sizes = quick ? [1e3, 1e5] : [1e3, 1e4, 1e5, 1e6];
  // A warm-up at every size first, so that both contenders run optimized code when timed (a first
  // long call is compiled mid-loop, and that code can be entered again and again before it is).
  for (const n of sizes) {
    checkSame(n);
    for (const epochs of [samplerEpochs(n), seedrandomEpochs(n)]) for (let k = 0; k < 1e6 / n + 3; k++) epochs();
  }
  return sizes.map((n) => {
    const [ours, theirs] = interleaved([samplerEpochs(n), seedrandomEpochs(n)], quick ? 21 : 61, quick ? 4 : 8);
    const ratios = ours.samples.map((s, k) => s / theirs.samples[k]).sort((a, b) => a - b);
    return { n, sampler: ours.median / n, seedrandom: theirs.median / n, ratio: ratios[ratios.length >> 1] };
  });
}

export function shuffleTable(rows: ShuffleRow[]): string[] {
  return [
    `   Shuffled EpochSampler (batches of ${BATCH}), ns per element of an epoch, median; before = Fisher–Yates on seedrandom's quick():`,
    ...rows.map((r) => `   n = ${r.n.toExponential(0)}: gradstep ${r.sampler.toFixed(1)}, seedrandom quick() ${r.seedrandom.toFixed(1)}, ratio ${r.ratio.toFixed(2)}`),
  ];
}

if (isEntry("shuffle.ts")) {
  for (const line of shuffleTable(shuffleCost(process.argv.includes("--quick")))) console.log(line);
}
