import { currentRuntime } from "../backends/backend.js";
import { COPY_MIN } from "../backends/state-store.js";
import { keepWhenCollected, releaseWhenCollected } from "../backends/wasm/release-when-collected.js";
import type { WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import { copyInto, dropLibraryView, holdLibraryView } from "../memory/float64-vectors.js";
import type { LeafOptimizer } from "./tree-groups.js";

/**
 * A tree's gradient leaves that live outside Wasm memory, copied side by side into one block of the
 * Wasm backend's memory so that the tree's check reads them there, and each leaf's step then reads
 * its copy. A leaf step on plain arrays copies its gradient into Wasm memory anyway, and the tree
 * must check every leaf before any moves: checked in JavaScript first, each gradient was read one
 * more time (0.75 ns a double in cache, 1.3 beyond it); checked as this copy, by the Wasm pass that
 * checks the leaves already in Wasm memory, 0.34.
 *
 * Only leaves whose gradient is outside Wasm memory when the block is taken (a tree of vectors from
 * allocateVector takes none) and whose step runs a Wasm kernel on state in Wasm memory, of
 * {@link COPY_MIN} numbers or more (a smaller one steps in JavaScript, reading its gradient where it
 * is), and only on a shared memory: its views stay valid when it grows, as a leaf's step may make it
 * (for its scratch blocks).
 * The block is the library's, not a user's vector (a user's released vector viewing its memory is
 * still refused); its views are marked held for the leaves' checks. It is taken at the tree's
 * second step, after the leaves' own state (which matters more where memory is short), or never if
 * there is no room then, until the tree's leaves are rebuilt (restore, reset); it goes back with
 * {@link StagedGradients.release}, or when the tree is garbage-collected. It costs one more copy of
 * those leaves in memory.
 * @internal
 */
export class StagedGradients {
  private rt: WasmRuntime | undefined = undefined;
  private sizes: readonly number[] = [];
  /** Each leaf's place in the block, in doubles; -1 for a leaf not staged. */
  private offsets = new Float64Array(0);
  /** The block's byte address; -1 while there is none. */
  private address = -1;
  /** Whether the block could not be had (not tried again until the next plan). */
  private refused = false;
  private views: Float64Array[] = [];
  /** Which leaves the current step staged (see {@link StagedGradients.begin}). */
  private staged = new Uint8Array(0);
  private active = false;

  /** Plans for a tree's leaves of these lengths on the current backend, giving back the block of a previous plan. */
  plan(sizes: readonly number[]): void {
    this.release();
    const rt = currentRuntime();
    this.rt = rt !== undefined && rt.shared ? rt : undefined;
    this.sizes = sizes.slice();
    this.offsets = new Float64Array(sizes.length).fill(-1);
    this.staged = new Uint8Array(sizes.length);
    this.views = new Array<Float64Array>(sizes.length);
    this.refused = false;
  }

  /** Marks that this step stages nothing (yet). */
  clear(): void {
    this.active = false;
  }

  /**
   * Starts staging this step's gradients (taking the block first if there is none, for the leaves
   * whose gradient is outside Wasm memory: `gradMemory[k]` undefined): the runtime whose memory holds
   * the block, or `undefined` where there is none to stage into (the JavaScript backend, a memory that
   * is not shared, no leaf to stage, or no room for the block).
   */
  begin(leaves: readonly (LeafOptimizer | null)[], gradMemory: readonly (WasmRuntime | undefined)[]): WasmRuntime | undefined {
    const rt = this.rt;
    if (rt === undefined || (this.address < 0 && !this.take(rt, leaves, gradMemory))) return undefined;
    this.staged.fill(0);
    this.active = true;
    return rt;
  }

  /** Whether leaf k is staged when its gradient is outside Wasm memory (its step still runs in Wasm). */
  covers(k: number, leaf: LeafOptimizer): boolean {
    return this.offsets[k] >= 0 && leaf.backend === "wasm";
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

  /** Gives the block back (dispose, a new plan, a step without the check). */
  release(): void {
    this.active = false;
    if (this.address < 0) return;
    keepWhenCollected(this);
    (this.rt as WasmRuntime).release(this.address);
    this.address = -1;
    for (const view of this.views) if (view !== undefined) dropLibraryView(view);
    this.views = new Array<Float64Array>(this.views.length);
    this.offsets.fill(-1);
  }

  private take(rt: WasmRuntime, leaves: readonly (LeafOptimizer | null)[], gradMemory: readonly (WasmRuntime | undefined)[]): boolean {
    if (this.refused) return false;
    let total = 0;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      if (gradMemory[k] !== undefined || leaf === null || leaf.backend !== "wasm" || this.sizes[k] < COPY_MIN) continue;
      this.offsets[k] = total;
      total += this.sizes[k];
    }
    if (total === 0) return false; // (nothing to stage this step: tried again at the next)
    const address = rt.allocate(total);
    if (address < 0) {
      this.offsets.fill(-1);
      this.refused = true;
      return false;
    }
    this.address = address;
    for (let k = 0; k < this.offsets.length; k++) {
      if (this.offsets[k] < 0) continue;
      this.views[k] = rt.view(address + 8 * this.offsets[k], this.sizes[k]);
      holdLibraryView(this.views[k]);
    }
    releaseWhenCollected(this, rt, [address]);
    return true;
  }
}
