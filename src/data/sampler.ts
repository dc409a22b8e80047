import { InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import { guardAllocation } from "../memory/allocate.js";
import { Arc4 } from "./arc4.js";
import { checkRandomState, DEFAULT_SEED, type RandomState } from "./random.js";

/**
 * Chooses the examples of each step's batch. `next` writes the indices into a caller's buffer and
 * returns how many it wrote (allocation-free); its state can be saved and restored so a resumed
 * run draws the same batches. A sampler knows the number N of examples it draws from, so that
 * {@link minimize} can refuse one built for other data: every index lies in 0..N − 1.
 *
 * @example
 * ```ts
 * const sampler = new EpochSampler({ size: 30, batchSize: 5, seed: 1 });
 * const rows = new Int32Array(5);
 * const count = sampler.next(rows); // 5 indices, all different
 * ```
 */
export interface BatchSampler {
  /** N, the number of examples it draws from: every index it returns is in 0..N − 1. */
  readonly size: number;
  /** The largest batch this sampler returns. */
  readonly batchSize: number;
  /** Epochs completed (every example seen once); for a replay, the batches replayed so far. */
  readonly epoch: number;
  /** Writes the next batch's indices into `out` (length ≥ batchSize, else a ShapeMismatchError and nothing drawn) and returns the count. */
  next(out: Int32Array): number;
  /**
   * Gives back the batch the last {@link BatchSampler.next} drew: the next call draws it again, and
   * the epochs count as before it. {@link minimize} calls it when a step fails (its objective or
   * optimizer throws), so that the run stands at its last step taken. Optional: without it, a
   * failed step's batch is lost.
   */
  unread?(): void;
  /** The full state, as JSON. */
  snapshot(): unknown;
  /**
   * Throws an {@link InvalidSnapshotError} (naming `snapshot.…`) unless {@link BatchSampler.restore}
   * would accept `snapshot`; changes nothing. {@link minimize} calls it before it writes anything.
   *
   * @throws {@link index!InvalidSnapshotError | InvalidSnapshotError} unless `snapshot` is this kind of sampler's, for the same size and batches.
   */
  checkSnapshot(snapshot: unknown): void;
  /**
   * Continues from a state that {@link BatchSampler.snapshot} returned; checks it whole first.
   *
   * @throws {@link index!InvalidSnapshotError | InvalidSnapshotError} as {@link BatchSampler.checkSnapshot} (nothing changes).
   */
  restore(snapshot: unknown): void;
}

/** What {@link EpochSampler} does with the last N mod B examples of an epoch. */
export type LastBatchPolicy = "keep" | "drop";

/**
 * Options of {@link EpochSampler}.
 *
 * @example
 * ```ts
 * const options: EpochSamplerOptions = { size: 100, batchSize: 32, seed: 7, lastBatch: "drop" };
 * ```
 */
export interface EpochSamplerOptions {
  /** N, the number of examples. */
  size: number;
  /** B: N for batch gradient descent, 2..N − 1 for mini-batches, 1 for stochastic. */
  batchSize: number;
  /** The seed of the shuffles. @defaultValue {@link DEFAULT_SEED} */
  seed?: number | string;
  /**
   * When B does not divide N: `"keep"` ends each epoch with a smaller batch of the
   * N mod B examples left; `"drop"` skips them, so every batch has B examples (each epoch still draws
   * a fresh permutation, so no example is skipped for good).
   * @defaultValue "keep"
   */
  lastBatch?: LastBatchPolicy;
}

/**
 * Batches drawn without replacement (the lecture, §6): each epoch is a fresh random permutation of the N
 * examples (Fisher–Yates with a seeded generator), cut into batches of B. With B = N (batch gradient
 * descent) nothing is shuffled: the batch is 0..N − 1 in order, so sums are taken in a fixed order.
 *
 * @example
 * ```ts
 * const stochastic = new EpochSampler({ size: 12, batchSize: 1, seed: 3 });
 * const rows = new Int32Array(1);
 * for (let k = 0; k < 12; k++) stochastic.next(rows); // each example exactly once
 * stochastic.epoch; // 1
 * ```
 */
export class EpochSampler implements BatchSampler {
  /** N, the number of examples. */
  readonly size: number;
  /** B. */
  readonly batchSize: number;
  /** What happens to the last N mod B examples of an epoch. */
  readonly lastBatch: LastBatchPolicy;
  private readonly random: Arc4;
  private readonly order: Int32Array;
  private cursor: number;
  private epochs = 0;
  /** The last batch drawn, for unread: its length (0 once given back) and whether it ended an epoch. */
  private lastCount = 0;
  private lastEnded = false;

  /**
   * A sampler over `options.size` examples.
   *
   * @throws {@link index!InvalidOptionError | InvalidOptionError} when `size` or `batchSize` is not a whole number ≥ 1, or `lastBatch` is unknown.
   */
  constructor(options: EpochSamplerOptions) {
    const { size, batchSize, seed = DEFAULT_SEED, lastBatch = "keep" } = options ?? ({} as EpochSamplerOptions);
    if (!Number.isSafeInteger(size) || size < 1) throw new InvalidOptionError("size", size, "a whole number ≥ 1 (the dataset cannot be empty)");
    if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > size) {
      throw new InvalidOptionError("batchSize", batchSize, `a whole number in [1, ${size}]`);
    }
    if (lastBatch !== "keep" && lastBatch !== "drop") throw new InvalidOptionError("lastBatch", lastBatch, '"keep" or "drop"');
    this.size = size;
    this.batchSize = batchSize;
    this.lastBatch = lastBatch;
    this.random = new Arc4(seed);
    this.order = guardAllocation("size", size, () => new Int32Array(size));
    for (let i = 0; i < size; i++) this.order[i] = i;
    this.cursor = size; // used up: the first call draws the first permutation
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.epochs;
  }

  next(out: Int32Array): number {
    checkOut(out, this.batchSize);
    if (this.exhausted()) {
      this.shuffle();
      this.cursor = 0;
    }
    const count = Math.min(this.batchSize, this.size - this.cursor);
    for (let k = 0; k < count; k++) out[k] = this.order[this.cursor + k];
    this.cursor += count;
    this.lastCount = count;
    this.lastEnded = this.exhausted();
    if (this.lastEnded) this.epochs += 1; // this batch ended the epoch
    return count;
  }

  /**
   * Gives back the last batch drawn (see {@link BatchSampler.unread}). A batch that began a new
   * permutation keeps it: the next draw returns the same batch from it, as an uninterrupted run does.
   */
  unread(): void {
    this.cursor -= this.lastCount;
    if (this.lastEnded) this.epochs -= 1;
    this.lastCount = 0;
    this.lastEnded = false;
  }

  /** No batch left in this permutation (none at all, or only a partial one under "drop"). */
  private exhausted(): boolean {
    const left = this.size - this.cursor;
    return left <= 0 || (this.lastBatch === "drop" && left < this.batchSize);
  }

  snapshot(): EpochSamplerSnapshot {
    return { kind: "EpochSampler", size: this.size, batchSize: this.batchSize, lastBatch: this.lastBatch, epoch: this.epochs, cursor: this.cursor, order: Array.from(this.order), random: this.random.state() };
  }

  checkSnapshot(snapshot: unknown): asserts snapshot is EpochSamplerSnapshot {
    if (typeof snapshot !== "object" || snapshot === null) throw new InvalidSnapshotError("snapshot", snapshot, "an EpochSampler's snapshot (an object)");
    const s = snapshot as EpochSamplerSnapshot;
    onlyFields(s, EPOCH_FIELDS);
    if (s.kind !== "EpochSampler") throw new InvalidSnapshotError("snapshot.kind", s.kind, '"EpochSampler"');
    if (s.size !== this.size) throw new InvalidSnapshotError("snapshot.size", s.size, `${this.size}, this sampler's size`);
    if (s.batchSize !== this.batchSize) throw new InvalidSnapshotError("snapshot.batchSize", s.batchSize, `${this.batchSize}, this sampler's batch size`);
    if (s.lastBatch !== this.lastBatch) throw new InvalidSnapshotError("snapshot.lastBatch", s.lastBatch, `${JSON.stringify(this.lastBatch)}, this sampler's policy`);
    if (!Number.isSafeInteger(s.epoch) || s.epoch < 0) throw new InvalidSnapshotError("snapshot.epoch", s.epoch, "a whole number ≥ 0");
    if (!Number.isSafeInteger(s.cursor) || s.cursor < 0 || s.cursor > this.size) throw new InvalidSnapshotError("snapshot.cursor", s.cursor, `a whole number in [0, ${this.size}]`);
    const seen = new Uint8Array(this.size);
    if (!Array.isArray(s.order) || s.order.length !== this.size || !Array.from(s.order).every((i) => Number.isInteger(i) && i >= 0 && i < this.size && seen[i]++ === 0)) {
      throw new InvalidSnapshotError("snapshot.order", s.order, `a permutation of 0..${this.size - 1}`);
    }
    checkRandomState(s.random, "snapshot.random");
  }

  restore(snapshot: unknown): void {
    this.checkSnapshot(snapshot);
    const s = snapshot;
    this.random.load(s.random);
    this.order.set(s.order);
    this.cursor = s.cursor;
    this.epochs = s.epoch;
    this.lastCount = 0;
    this.lastEnded = false;
  }

  private shuffle(): void {
    if (this.batchSize === this.size) return; // batch GD: a fixed order
    this.random.shuffle(this.order);
  }
}

/**
 * The saved state of an {@link EpochSampler}.
 *
 * @example
 * ```ts
 * const saved: EpochSamplerSnapshot = new EpochSampler({ size: 10, batchSize: 2 }).snapshot();
 * ```
 */
export interface EpochSamplerSnapshot {
  /** Always "EpochSampler". */
  readonly kind: "EpochSampler";
  /** N. */
  readonly size: number;
  /** B. */
  readonly batchSize: number;
  /** The last-batch policy. */
  readonly lastBatch: LastBatchPolicy;
  /** Epochs completed. */
  readonly epoch: number;
  /** Position in the current permutation (N when it is used up). */
  readonly cursor: number;
  /** The current permutation. */
  readonly order: readonly number[];
  /** The generator's state. */
  readonly random: RandomState;
}

/**
 * The saved state of a {@link ReplaySampler}.
 *
 * @example
 * ```ts
 * const saved: ReplaySamplerSnapshot = new ReplaySampler([[0, 1]], { size: 2 }).snapshot(); // { kind: "ReplaySampler", position: 0 }
 * ```
 */
export interface ReplaySamplerSnapshot {
  /** Always "ReplaySampler". */
  readonly kind: "ReplaySampler";
  /** How many batches have been replayed. */
  readonly position: number;
}

/**
 * Options of {@link ReplaySampler}.
 *
 * @example
 * ```ts
 * const options: ReplaySamplerOptions = { size: 30 }; // the batches index a dataset of 30 examples
 * ```
 */
export interface ReplaySamplerOptions {
  /** N, the number of examples of the dataset the batches index: every index is in 0..N − 1. */
  size: number;
}

/**
 * Replays a recorded list of batches, in order — for example the batches a notebook drew, so its
 * run can be reproduced exactly. Asking for more batches than recorded throws. It is told the
 * dataset's size N (a recording need not use every example), and refuses an index outside 0..N − 1.
 *
 * @example
 * ```ts
 * const replay = new ReplaySampler([[17, 21, 10, 19, 14], [18, 2, 16, 29, 14]], { size: 30 });
 * const rows = new Int32Array(5);
 * replay.next(rows); // 5: rows = [17, 21, 10, 19, 14]
 * ```
 */
export class ReplaySampler implements BatchSampler {
  /** N, the number of examples the batches index. */
  readonly size: number;
  readonly batchSize: number;
  private readonly batches: readonly Int32Array[];
  private position = 0;
  private canUnread = false;

  /**
   * Replays `batches` in order, each as given (an index may repeat within a batch, as it was
   * recorded); asking for more than were recorded throws.
   *
   * @throws {@link index!InvalidOptionError | InvalidOptionError} for a missing `size`, an empty list, an empty batch, or a row outside 0…size − 1.
   */
  constructor(batches: readonly (readonly number[])[], options: ReplaySamplerOptions) {
    if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "{ size }, the number of examples the batches index");
    const size = options.size;
    if (!Number.isSafeInteger(size) || size < 1) throw new InvalidOptionError("size", size, "a whole number ≥ 1 (the dataset cannot be empty)");
    if (!Array.isArray(batches) || batches.length === 0) throw new InvalidOptionError("batches", batches, "a non-empty array of batches");
    // (Array.from: a hole, in the list or in a batch, is undefined, which forEach and every would skip)
    Array.from(batches).forEach((b, i) => {
      if (!Array.isArray(b) || b.length === 0 || !Array.from(b).every((k) => Number.isSafeInteger(k) && k >= 0 && k < size)) {
        throw new InvalidOptionError(`batches[${i}]`, b, `a non-empty array of example indices, whole numbers in [0, ${size})`);
      }
    });
    this.size = size;
    this.batches = batches.map((b) => Int32Array.from(b));
    this.batchSize = this.batches.reduce((most, b) => Math.max(most, b.length), 0);
  }

  /** Batches replayed so far. */
  get epoch(): number {
    return this.position;
  }

  next(out: Int32Array): number {
    if (this.position >= this.batches.length) {
      throw new InvalidOptionError("batches", this.batches.length, `more than the ${this.batches.length} recorded batches`, "the replay is over");
    }
    checkOut(out, this.batchSize);
    const batch = this.batches[this.position++];
    out.set(batch);
    this.canUnread = true;
    return batch.length;
  }

  /** Gives back the last batch replayed (see {@link BatchSampler.unread}). */
  unread(): void {
    if (this.canUnread) this.position -= 1;
    this.canUnread = false;
  }

  snapshot(): ReplaySamplerSnapshot {
    return { kind: "ReplaySampler", position: this.position };
  }

  checkSnapshot(snapshot: unknown): asserts snapshot is ReplaySamplerSnapshot {
    if (typeof snapshot !== "object" || snapshot === null) throw new InvalidSnapshotError("snapshot", snapshot, "a ReplaySampler's snapshot (an object)");
    const s = snapshot as { kind?: unknown; position?: unknown };
    onlyFields(s, ["kind", "position"]);
    if (s.kind !== "ReplaySampler") throw new InvalidSnapshotError("snapshot.kind", s.kind, '"ReplaySampler"');
    if (!Number.isSafeInteger(s.position) || (s.position as number) < 0 || (s.position as number) > this.batches.length) {
      throw new InvalidSnapshotError("snapshot.position", s.position, `a whole number in [0, ${this.batches.length}]`);
    }
  }

  restore(snapshot: unknown): void {
    this.checkSnapshot(snapshot);
    this.position = snapshot.position;
    this.canUnread = false;
  }
}

const EPOCH_FIELDS = ["kind", "size", "batchSize", "lastBatch", "epoch", "cursor", "order", "random"];

/** Refuses a snapshot field that is not one of `fields` (an own `__proto__` included). */
function onlyFields(snapshot: object, fields: readonly string[]): void {
  for (const key of Object.keys(snapshot)) {
    if (!fields.includes(key)) throw new InvalidSnapshotError(`snapshot.${key}`, (snapshot as Record<string, unknown>)[key], `only the fields ${fields.join(", ")}`);
  }
}

/** Refuses a buffer shorter than the largest batch, before anything is drawn. */
function checkOut(out: Int32Array, batchSize: number): void {
  if (!(out.length >= batchSize)) throw new ShapeMismatchError("out", out, `an Int32Array of at least ${batchSize} entries, the batch size`);
}
