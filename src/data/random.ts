import { InvalidSnapshotError } from "../errors.js";
import { Arc4 } from "./arc4.js";

/**
 * A seeded source of uniform numbers in [0, 1) whose state can be saved and restored, so a resumed
 * run draws the same numbers as an uninterrupted one. seedrandom's ARC4 generator and its `quick()`:
 * seedrandom turns the seed into the generator's state, and the draws are gradstep's copy of its
 * ARC4 over a byte array (the same numbers, faster).
 *
 * @example
 * ```ts
 * const random = createRandom(42);
 * const saved = random.state();
 * const a = random.next();
 * random.restore(saved);
 * random.next() === a; // true
 * ```
 */
export interface Random {
  /** The next number in [0, 1). */
  next(): number;
  /** The generator's full state, as JSON-serializable data. */
  state(): RandomState;
  /** Continues from a state that {@link Random.state} returned. */
  restore(state: RandomState): void;
}

/**
 * The saved state of a {@link Random}: seedrandom's ARC4 state (i, j and the 256-entry permutation).
 *
 * @example
 * ```ts
 * const s: RandomState = createRandom(1).state(); // { i, j, S: number[256] }
 * ```
 */
export interface RandomState {
  /** ARC4's i. */
  readonly i: number;
  /** ARC4's j. */
  readonly j: number;
  /** ARC4's permutation of 0..255. */
  readonly S: readonly number[];
}

/** The default seed of gradstep's samplers and generators. */
export const DEFAULT_SEED = 20261127;

/**
 * A seeded {@link Random}. The same seed gives the same numbers on every platform.
 *
 * @example
 * ```ts
 * const random = createRandom(7);
 * random.next(); // the same number every run
 * ```
 */
export function createRandom(seed: number | string = DEFAULT_SEED): Random {
  return new SeededRandom(new Arc4(seed));
}

// A class, not an object of closures: every generator then shares one shape and one next(), so a
// call site that sees several generators stays monomorphic.
class SeededRandom implements Random {
  constructor(private readonly generator: Arc4) {}

  next(): number {
    return this.generator.quick();
  }

  state(): RandomState {
    return this.generator.state();
  }

  restore(state: RandomState): void {
    checkRandomState(state, "random state");
    this.generator.load(state);
  }
}

/** Whether S holds each of 0..255 once, as every state of ARC4 does (all zeros would give 0 forever). */
function isPermutationOfBytes(S: readonly unknown[]): boolean {
  const seen = new Uint8Array(256);
  return Array.from(S).every((v) => // (Array.from: a hole is undefined, which every() would skip)
    Number.isInteger(v) && (v as number) >= 0 && (v as number) < 256 && seen[v as number]++ === 0);
}

/**
 * Throws an {@link InvalidSnapshotError} naming `argument` unless `state` is a generator state that
 * {@link Random.restore} accepts: ARC4's i and j and S, a permutation of 0..255. Changes nothing.
 *
 * @example
 * ```ts
 * checkRandomState({ i: 0, j: 0, S: [1, 2] }, "snapshot.random"); // throws: S must be a permutation of 0..255
 * ```
 */
export function checkRandomState(state: unknown, argument: string): asserts state is RandomState {
  const s = state as RandomState;
  if (
    typeof s !== "object" ||
    s === null ||
    !Number.isInteger(s.i) ||
    !Number.isInteger(s.j) ||
    !Array.isArray(s.S) ||
    s.S.length !== 256 ||
    !isPermutationOfBytes(s.S)
  ) {
    throw new InvalidSnapshotError(argument, state, "{ i, j, S: a permutation of 0..255 }");
  }
}
