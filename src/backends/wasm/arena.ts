// A first-fit allocator of byte ranges in a WebAssembly memory. Blocks are 64-byte aligned (a
// cache line: two threads writing neighbouring blocks never share a line), freed blocks merge with
// their free neighbours, and the memory grows when no free range is large enough, up to a budget.

import { injectedFault } from "../../memory/allocate.js";

const ALIGN = 64;
const PAGE = 65536;

/** A free range [start, start + size). Kept sorted by start. */
interface Range {
  start: number;
  size: number;
}

export class Arena {
  private readonly free: Range[] = [];
  private readonly sizes = new Map<number, number>();
  /** The size in bytes past which the memory is not grown (it never shrinks, so this bounds it). */
  budget = Infinity;
  /** How many times it has grown the memory (nothing else grows it): views are re-derived when this changes. */
  growths = 0;

  /**
   * @param memory the memory to carve.
   * @param base the first byte the arena may use (below it: the runtime's fixed blocks).
   */
  constructor(
    private readonly memory: WebAssembly.Memory,
    base: number,
  ) {
    const start = roundUp(base);
    this.free.push({ start, size: memory.buffer.byteLength - start });
  }

  /**
   * The byte address of a new block of `bytes` bytes (contents unspecified), growing the memory if
   * needed; -1 (nothing changed) where that would pass the budget or the memory cannot grow.
   */
  allocate(bytes: number): number {
    if (injectedFault()) return -1;
    const size = blockSpan(bytes);
    let index = this.free.findIndex((r) => r.size >= size);
    if (index < 0) index = this.grow(size);
    if (index < 0) return -1;
    const range = this.free[index];
    const start = range.start;
    range.start += size;
    range.size -= size;
    if (range.size === 0) this.free.splice(index, 1);
    this.sizes.set(start, size);
    return start;
  }

  /**
   * The byte addresses of new blocks of `bytes[i]` bytes, laid end to end (each its own block, given
   * back alone), as one allocation: `undefined` (nothing changed) where {@link Arena.allocate} of
   * their total would fail.
   */
  allocateAdjacent(bytes: readonly number[]): number[] | undefined {
    let total = 0;
    for (const b of bytes) total += blockSpan(b);
    const start = this.allocate(total);
    if (start < 0) return undefined;
    this.sizes.delete(start);
    const starts: number[] = [];
    let at = start;
    for (const b of bytes) {
      this.sizes.set(at, blockSpan(b));
      starts.push(at);
      at += blockSpan(b);
    }
    return starts;
  }

  /** The allocated blocks as [start, size] pairs, sorted (for tests that compare states). */
  blocks(): [number, number][] {
    return [...this.sizes].sort((a, b) => a[0] - b[0]);
  }

  /** Returns a block to the free list. Freeing an unknown address is a no-op. */
  release(start: number): void {
    const size = this.sizes.get(start);
    if (size === undefined) return;
    this.sizes.delete(start);
    let index = this.free.findIndex((r) => r.start > start);
    if (index < 0) index = this.free.length;
    this.free.splice(index, 0, { start, size });
    const next = this.free[index + 1];
    if (next !== undefined && start + size === next.start) {
      this.free[index].size += next.size;
      this.free.splice(index + 1, 1);
    }
    const previous = this.free[index - 1];
    if (previous !== undefined && previous.start + previous.size === start) {
      previous.size += this.free[index].size;
      this.free.splice(index, 1);
    }
  }

  /** Bytes in use (for tests and reports). */
  get used(): number {
    let total = 0;
    for (const size of this.sizes.values()) total += size;
    return total;
  }

  /**
   * Grows the memory so that a free range of `size` bytes ends it; returns that range's index, or -1
   * (nothing changed) past the budget or the memory's maximum.
   */
  private grow(size: number): number {
    const end = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last !== undefined && last.start + last.size === end ? last : undefined;
    const missing = size - (tail?.size ?? 0);
    const pages = Math.ceil(missing / PAGE);
    // (a 32-bit memory holds at most 65536 pages; grow() refuses a count past 2^32 with a TypeError)
    if (end + pages * PAGE > this.budget || pages > 65536) return -1;
    try {
      this.memory.grow(pages);
    } catch (e) {
      if (e instanceof RangeError) return -1; // past the maximum, or the system has no more
      throw e;
    }
    this.growths += 1;
    if (tail !== undefined) {
      tail.size += pages * PAGE;
      return this.free.length - 1;
    }
    this.free.push({ start: end, size: pages * PAGE });
    return this.free.length - 1;
  }
}

/** The bytes a block of `bytes` spans (64-byte aligned, at least 64), where the next block may start. */
export function blockSpan(bytes: number): number {
  return Math.max(ALIGN, roundUp(bytes));
}

function roundUp(bytes: number): number {
  return Math.ceil(bytes / ALIGN) * ALIGN;
}
