// A tree step writes each leaf of params in turn, reading its gradient leaf: a params leaf sharing
// memory with another params leaf would be stepped twice (or move though frozen), and a gradient leaf
// sharing memory with another moving leaf's params would be read after that leaf has moved. Both are
// refused before anything is written (a leaf's own gradient may be its params, as for a flat vector).
import { ShapeMismatchError } from "../errors.js";
import { byteOffsetOfVector, memoryOf } from "../memory/float64-vectors.js";

/** The params leaves of one memory, sorted by start (disjoint once checked): byte ranges, leaf, whether it moves. */
interface Ranges {
  readonly starts: Float64Array;
  readonly ends: Float64Array;
  readonly leaf: Int32Array;
  readonly moves: Uint8Array;
}

/** A vector's memory: the Wasm runtime that holds it, or its ArrayBuffer. */
function memoryKey(v: Float64Array): unknown {
  return memoryOf(v) ?? v.buffer;
}

/**
 * The cross-leaf check of a tree's step. The params leaves' ranges are sorted once per set of params
 * vectors (allocating; they rarely change); a step with new gradient vectors then looks each one up
 * in them (a map lookup and a binary search, nothing allocated), and a step with the same vectors as
 * the last checked does nothing.
 * @internal
 */
export class LeafOverlap {
  private params: (Float64Array | undefined)[] = [];
  private grads: (Float64Array | undefined)[] = [];
  private byMemory = new Map<unknown, Ranges>();

  /**
   * Throws a {@link ShapeMismatchError} naming `params/<path>` or `grad/<path>` where a params leaf
   * shares memory with another params leaf, or a stepped leaf's gradient with another stepped leaf's
   * params (`use[k]`: leaf k is stepped; a frozen leaf's gradient is not read). Remembers the vectors
   * only once they pass, so a refusal is made again at the next step.
   */
  check(params: readonly Float64Array[], grads: readonly Float64Array[], use: readonly boolean[], paths: readonly string[]): void {
    let sameParams = this.params.length === params.length;
    let sameGrads = sameParams;
    for (let k = 0; k < params.length && (sameParams || sameGrads); k++) {
      if (this.params[k] !== params[k]) sameParams = false;
      if (use[k] && this.grads[k] !== grads[k]) sameGrads = false;
    }
    if (sameParams && sameGrads) return;
    if (!sameParams) this.sortParams(params, use, paths);
    for (let k = 0; k < grads.length; k++) if (use[k]) this.checkGradient(grads, k, paths);
    for (let k = 0; k < params.length; k++) {
      this.params[k] = params[k];
      this.grads[k] = grads[k];
    }
  }

  /** The params leaves' ranges per memory, sorted; two that overlap are refused. Forgets the last checked vectors first. */
  private sortParams(params: readonly Float64Array[], use: readonly boolean[], paths: readonly string[]): void {
    this.params = new Array<Float64Array | undefined>(params.length);
    this.grads = new Array<Float64Array | undefined>(params.length);
    const lists = new Map<unknown, number[]>();
    for (let k = 0; k < params.length; k++) {
      if (params[k].length === 0) continue;
      const key = memoryKey(params[k]);
      const list = lists.get(key) ?? [];
      list.push(k);
      lists.set(key, list);
    }
    const byMemory = new Map<unknown, Ranges>();
    for (const [key, list] of lists) {
      list.sort((a, b) => byteOffsetOfVector(params[a]) - byteOffsetOfVector(params[b]));
      const ranges: Ranges = { starts: new Float64Array(list.length), ends: new Float64Array(list.length), leaf: Int32Array.from(list), moves: Uint8Array.from(list, (k) => (use[k] ? 1 : 0)) };
      list.forEach((k, i) => {
        ranges.starts[i] = byteOffsetOfVector(params[k]);
        ranges.ends[i] = ranges.starts[i] + 8 * params[k].length;
        if (i > 0 && ranges.starts[i] < ranges.ends[i - 1]) {
          throw new ShapeMismatchError(`params/${paths[k]}`, params[k], `a leaf that shares no memory with another leaf of params (it overlaps params/${paths[list[i - 1]]}, which would move twice)`);
        }
      });
      byMemory.set(key, ranges);
    }
    this.byMemory = byMemory;
  }

  /** Refuses gradient leaf k if it shares memory with another moving leaf's params. */
  private checkGradient(grads: readonly Float64Array[], k: number, paths: readonly string[]): void {
    const g = grads[k];
    if (g.length === 0) return;
    const ranges = this.byMemory.get(memoryKey(g));
    if (ranges === undefined) return;
    const start = byteOffsetOfVector(g);
    const end = start + 8 * g.length;
    // the last range starting before the gradient's end, then back while ranges still reach into it
    let low = 0;
    let high = ranges.starts.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (ranges.starts[mid] < end) low = mid + 1;
      else high = mid;
    }
    for (let i = low - 1; i >= 0 && ranges.ends[i] > start; i--) {
      const j = ranges.leaf[i];
      if (j !== k && ranges.moves[i] === 1) {
        throw new ShapeMismatchError(`grad/${paths[k]}`, g, `a gradient that shares no memory with another leaf's params (it overlaps params/${paths[j]}, which moves before or after it is read)`);
      }
    }
  }
}
