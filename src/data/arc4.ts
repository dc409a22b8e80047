// Only seedrandom's ARC4 module: the package's index also loads six other generators we never use.
import seedrandom from "seedrandom/seedrandom.js";
import { InvalidOptionError } from "../errors.js";

/** ARC4's state as seedrandom saves it (random.ts's RandomState has this shape). */
interface Arc4State {
  readonly i: number;
  readonly j: number;
  readonly S: readonly number[];
}

/** 2^32: quick() divides a 32-bit output by it. */
const TWO_POW_32 = 4294967296;

/** How many swap partners {@link Arc4.shuffle} draws before it swaps. */
const PICKS = 256;

// Arc4.shuffle's working arrays, module constants rather than the instance's: the optimizing
// compiler then knows their addresses and lengths, and the loop runs about 25% faster (measured,
// Node 20). The shuffle copies the generator's S in and back out (256 bytes an epoch); it calls
// nothing that could re-enter it.
const SHUFFLE_S = new Uint8Array(256);
const SHUFFLE_PICKS = new Int32Array(PICKS);

/**
 * seedrandom's ARC4 generator (RC4-drop[256]) with its `quick()` draw, reimplemented over a
 * Uint8Array so that a hot loop (the epoch shuffle) runs without seedrandom's closures and plain
 * arrays. seedrandom itself still turns the seed into the state (its mixkey, key schedule and the
 * 256 discarded outputs); from there the two produce the same stream, byte for byte
 * (test/learn/random.test.ts compares 10^6 draws, and across save/restore).
 *
 * i and j are kept as given by a restored state, not reduced to a byte, because seedrandom keeps
 * them so too: every use reduces them (`(i + 1) & 255`), and `state()` before the first draw
 * returns them unchanged.
 */
export class Arc4 {
  /** ARC4's permutation of 0..255. */
  private readonly S = new Uint8Array(256);
  private i = 0;
  private j = 0;

  /** The generator seedrandom builds for `seed` (as `seedrandom(String(seed))`). */
  constructor(seed: number | string) {
    // (any value would do for String(seed): {a: 1} and {b: 2} gave the same batches, NaN those of "NaN")
    if (typeof seed !== "string" && !(typeof seed === "number" && Number.isFinite(seed))) throw new InvalidOptionError("seed", seed, "a finite number or a string");
    this.load(seedrandom(String(seed), { state: true }).state());
  }

  /** seedrandom's `quick()`: the next 4 output bytes, big-endian, ÷ 2^32 — a number in [0, 1). */
  quick(): number {
    const s = this.S;
    let i = this.i;
    let j = this.j;
    let r = 0;
    for (let n = 0; n < 4; n++) {
      i = (i + 1) & 255;
      const t = s[i];
      j = (j + t) & 255;
      const u = s[j];
      s[i] = u;
      s[j] = t;
      r = r * 256 + s[(u + t) & 255];
    }
    this.i = i;
    this.j = j;
    return r / TWO_POW_32;
  }

  /**
   * Fisher–Yates, from the end: for k = n − 1 … 1, swap order[k] with order[⌊quick()·(k + 1)⌋] —
   * the same draws and the same arithmetic as calling {@link Arc4.quick} in that loop, with the
   * generator's state in locals. It runs in chunks: first the next {@link PICKS} swap partners
   * (the ARC4 work), then their swaps; in one loop the CPU could overlap few of the swaps' cache
   * misses on a large `order` with the long ARC4 chain.
   */
  shuffle(order: Int32Array): void {
    const s = SHUFFLE_S;
    s.set(this.S);
    const picks = SHUFFLE_PICKS;
    let i = this.i;
    let j = this.j;
    for (let top = order.length - 1; top > 0; top -= PICKS) {
      const count = Math.min(PICKS, top);
      for (let c = 0; c < count; c++) {
        // Four ARC4 steps, unrolled: r = the next 4 output bytes, big-endian, as one 32-bit word.
        i = (i + 1) & 255;
        let t = s[i];
        j = (j + t) & 255;
        let u = s[j];
        s[i] = u;
        s[j] = t;
        let r = s[(u + t) & 255] << 24;
        i = (i + 1) & 255;
        t = s[i];
        j = (j + t) & 255;
        u = s[j];
        s[i] = u;
        s[j] = t;
        r |= s[(u + t) & 255] << 16;
        i = (i + 1) & 255;
        t = s[i];
        j = (j + t) & 255;
        u = s[j];
        s[i] = u;
        s[j] = t;
        r |= s[(u + t) & 255] << 8;
        i = (i + 1) & 255;
        t = s[i];
        j = (j + t) & 255;
        u = s[j];
        s[i] = u;
        s[j] = t;
        r |= s[(u + t) & 255];
        // quick() = r / 2^32 (exact), times k + 1, floored: Math.floor(quick() * (k + 1)).
        picks[c] = Math.floor(((r >>> 0) / TWO_POW_32) * (top - c + 1));
      }
      for (let c = 0; c < count; c++) {
        const k = top - c;
        const pick = picks[c];
        const swap = order[k];
        order[k] = order[pick];
        order[pick] = swap;
      }
    }
    this.S.set(s);
    this.i = i;
    this.j = j;
  }

  /** The state in seedrandom's form: { i, j, S: 256 numbers }. */
  state(): { i: number; j: number; S: number[] } {
    return { i: this.i, j: this.j, S: Array.from(this.S) };
  }

  /** Continues from a state (checked by the caller: i, j integers, S 256 bytes). */
  load(state: Arc4State): void {
    this.i = state.i;
    this.j = state.j;
    this.S.set(state.S);
  }
}
