import { currentRuntime } from "../backends/backend.js";
import { COPY_MIN } from "../backends/state-store.js";
import type { WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import { copyInto } from "../memory/float64-vectors.js";

/**
 * A tree's gradient leaves that live outside Wasm memory, copied side by side into one block of the
 * Wasm backend's memory so that the tree's check reads them there, and each leaf's step then reads
 * its copy. A leaf step on plain arrays copies its gradient into Wasm memory anyway, and the tree
 * must check every leaf before any moves: checked in JavaScript first, each gradient was read one
 * more time (0.75 ns a double in cache, 1.3 beyond it); checked as this copy, by the Wasm pass that
 * checks the leaves already in Wasm memory, 0.34.
 *
 * Only leaves of {@link COPY_MIN} numbers or more (a smaller one steps in JavaScript, reading its
 * gradient where it is), and only on a shared memory: its views stay valid when it grows, as a
 * leaf's step may make it (for its scratch blocks). The block is held as a user's vector is (a
 * leaf's step checks that what it is given is held), taken at the tree's second step (after the
 * leaves' own state, which matters more where memory is short) and given back by
 * {@link StagedGradients.release}, or when the tree is garbage-collected. It costs one more copy of
 * those leaves in memory.
 * @internal
 */
export class StagedGradients {
  private rt: WasmRuntime | undefined = undefined;
  /** Each leaf's place in the block, in doubles; -1 for a leaf not staged. */
  private offsets = new Float64Array(0);
  private sizes: readonly number[] = [];
  private total = 0;
  /** The block's byte address; -1 while there is none. */
  private address = -1;
  private views: Float64Array[] = [];
  /** Which leaves the current step staged (see {@link StagedGradients.begin}). */
  private staged = new Uint8Array(0);
  private active = false;
  /** The owner this block is registered for (see {@link StagedGradients.release}). */
  private readonly token = {};

  /**
   * Plans the block for a tree's leaves (their lengths, and whether each moves) on the current
   * backend, giving back the block of a previous plan.
   */
  plan(sizes: readonly number[], moving: readonly boolean[]): void {
    this.release();
    const rt = currentRuntime();
    this.rt = rt !== undefined && rt.shared ? rt : undefined;
    this.offsets = new Float64Array(sizes.length);
    this.sizes = sizes.slice();
    this.staged = new Uint8Array(sizes.length);
    this.views = new Array<Float64Array>(sizes.length);
    let total = 0;
    for (let k = 0; k < sizes.length; k++) {
      const stages = moving[k] && sizes[k] >= COPY_MIN;
      this.offsets[k] = stages ? total : -1;
      if (stages) total += sizes[k];
    }
    this.total = total;
  }

  /** Marks that this step stages nothing (yet). */
  clear(): void {
    this.active = false;
  }

  /**
   * Starts staging this step's gradients: the runtime whose memory holds the block, or `undefined`
   * where there is none to stage into (the JavaScript backend, a memory that is not shared, no leaf
   * large enough, or no room for the block).
   */
  begin(): WasmRuntime | undefined {
    const rt = this.rt;
    if (rt === undefined || this.total === 0) return undefined;
    if (this.address < 0 && !this.take(rt)) return undefined;
    this.staged.fill(0);
    this.active = true;
    return rt;
  }

  /** Whether leaf k is staged when its gradient is outside Wasm memory. */
  covers(k: number): boolean {
    return this.offsets[k] >= 0;
  }

  /** Copies leaf k's gradient into the block; returns the copy's byte address. */
  copy(k: number, g: Float64Array): number {
    copyInto(this.views[k], g);
    this.staged[k] = 1;
    return this.address + 8 * this.offsets[k];
  }

  /** The gradient leaf k steps with: its copy where this step staged it, else `g` itself. */
  gradient(k: number, g: Float64Array): Float64Array {
    return this.active && this.staged[k] === 1 ? this.views[k] : g;
  }

  /** Gives the block back (dispose, a new plan). */
  release(): void {
    this.active = false;
    if (this.address < 0) return;
    registry?.unregister(this.token);
    (this.rt as WasmRuntime).releaseUser(this.address);
    this.address = -1;
    this.views = new Array<Float64Array>(this.views.length);
  }

  private take(rt: WasmRuntime): boolean {
    const address = rt.allocateUser(this.total);
    if (address < 0) return false;
    this.address = address;
    for (let k = 0; k < this.offsets.length; k++) if (this.offsets[k] >= 0) this.views[k] = rt.view(address + 8 * this.offsets[k], this.sizes[k]);
    registry?.register(this, { rt, address }, this.token);
    return true;
  }
}

/** Gives a block back when its tree is garbage-collected (without dispose()). */
const registry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<{ rt: WasmRuntime; address: number }>(({ rt, address }) => {
        rt.releaseUser(address);
      })
    : undefined;
