import { copyInto, type VectorMemory } from "../memory/float64-vectors.js";
import type { StepVectors } from "../memory/step-vectors.js";
import { considerThreads, currentRuntime } from "./backend.js";
import type { KernelName } from "./wasm/kernels-binary.js";
import { keepWhenCollected, releaseWhenCollected } from "./wasm/release-when-collected.js";
import { WasmRuntime } from "./wasm/wasm-runtime.js";

/**
 * The fewest parameters whose step goes through Wasm when params or grad live outside its memory:
 * below, copying them in and out costs more than the kernel saves (at n = 8: Adam 392 ns through
 * Wasm, 194 ns in JavaScript; SGD with momentum 270 and 119).
 */
export const COPY_MIN = 32;

/**
 * Where an optimizer's state buffers live, and the run of its Wasm kernel on them. On the Wasm
 * backend the per-parameter buffers are blocks of its memory and steps run the Wasm kernel; where
 * that memory cannot hold them (its budget, its maximum) they stay in ordinary JavaScript memory
 * and the optimizer runs its JavaScript `update` (bit-identical) until its state is rebuilt.
 * Scalar buffers always stay in JavaScript: the step's JavaScript code reads and writes them.
 * @internal
 */
export class StateStore {
  /** The Wasm runtime of the optimizer's backend when it was created; `undefined` on the JavaScript backend. */
  private readonly runtime: WasmRuntime | undefined = currentRuntime();
  /**
   * `"wasm"` while the state is (or, before the first step, will be tried) in Wasm memory; `"js"`
   * on the JavaScript backend, or where Wasm memory could not hold it.
   */
  placement: "js" | "wasm" = this.runtime === undefined ? "js" : "wasm";
  /** The length of the vectors the state was built for; `undefined` before it is. */
  size: number | undefined = undefined;
  private state: Float64Array[] = [];
  /** Byte addresses of the buffers in Wasm memory (0 for a buffer kept in JavaScript). */
  private addresses: number[] = [];
  private lengths: number[] = [];
  /** The memory buffer the views were derived from (a plain memory detaches them on growth). */
  private viewsOf: ArrayBufferLike | undefined;
  private kernelIndex = -1;
  /** The kernel kernelIndex is of (a rule may change kernels with its options: NormalizedGradient's norm). */
  private kernelName: KernelName | undefined;
  /** The byte addresses of the staged step's params and grad, and whether params go through scratch. */
  private paramsAt = 0;
  private gradAt = 0;
  private copyParams = false;

  /** @param scalar for each buffer, whether it is a single number (kept in JavaScript). */
  constructor(private readonly scalar: readonly boolean[]) {}

  /** The buffers; on the Wasm backend views of its memory, re-derived here if it has grown. */
  get buffers(): Float64Array[] {
    const rt = this.runtime;
    if (rt !== undefined && !rt.shared && this.addresses.length > 0 && this.viewsOf !== rt.memory.buffer) this.deriveViews(rt);
    return this.state;
  }

  /**
   * Takes `buffers` as the state for vectors of length `size`, without throwing. With `wasm` (the
   * optimizer has a Wasm kernel) on the Wasm backend, they are copied into new blocks of its memory,
   * and only then are the previous blocks given back; where the memory cannot hold them, `buffers`
   * themselves are kept.
   */
  adopt(buffers: Float64Array[], size: number | undefined, wasm: boolean): void {
    const rt = this.runtime;
    const addresses = rt !== undefined && wasm ? this.place(rt, buffers) : undefined;
    this.release();
    this.state = buffers;
    this.size = size;
    this.lengths = buffers.map((buffer) => buffer.length);
    this.placement = addresses === undefined ? "js" : "wasm";
    if (addresses === undefined || rt === undefined) return;
    this.addresses = addresses;
    if (addresses.some((a) => a !== 0)) releaseWhenCollected(this, rt, addresses);
    this.deriveViews(rt);
  }

  /** Gives the Wasm blocks back at once and drops the buffers (dispose). */
  release(): void {
    const rt = this.runtime;
    keepWhenCollected(this);
    if (rt !== undefined) for (const address of this.addresses) if (address !== 0) rt.release(address);
    this.addresses = [];
    this.state = [];
    this.size = undefined;
  }

  /**
   * Whether a step of n parameters on these (checked) vectors runs its Wasm kernel: always where both
   * live in Wasm memory; through scratch copies only from {@link COPY_MIN} parameters on, as below that
   * the JavaScript kernel on the same state costs less than the copies (and gives the same bits).
   */
  runsInWasm(vectors: StepVectors, n: number): boolean {
    const rt = this.runtime;
    return this.placement === "wasm" && (n >= COPY_MIN || (vectors.paramsMemory === rt && vectors.gradMemory === rt));
  }

  /**
   * Readies a step in Wasm memory (placement `"wasm"`): a vector outside it goes through a scratch
   * block (grad copied in now, params just before {@link StateStore.run}, as a caller's hook may
   * still write them). Returns false, having changed nothing, where the scratch blocks cannot be had.
   */
  stage(vectors: StepVectors, params: Float64Array, grad: Float64Array): boolean {
    const rt = this.runtime;
    // Kept small (the zero-copy case) so that the JIT inlines it into the step without going over its budget.
    if (vectors.paramsMemory !== rt || vectors.gradMemory !== rt) return this.stageThroughScratch(vectors, params, grad);
    this.paramsAt = vectors.paramsOffset;
    this.gradAt = vectors.gradOffset;
    this.copyParams = false;
    return true;
  }

  private stageThroughScratch(vectors: StepVectors, params: Float64Array, grad: Float64Array): boolean {
    const rt = this.runtime as WasmRuntime;
    let p = vectors.paramsMemory === rt ? vectors.paramsOffset : -1;
    let g = vectors.gradMemory === rt ? vectors.gradOffset : -1;
    if (!rt.ensureScratch(params.length)) return false;
    if (g < 0) {
      g = rt.scratchGrad;
      copyInto(rt.scratchGradView(grad.length), grad);
    }
    this.copyParams = p < 0;
    if (p < 0) p = rt.scratchParams;
    this.paramsAt = p;
    this.gradAt = g;
    return true;
  }

  /** Whether the staged gradient's n doubles hold NaN or ±Infinity (checked in Wasm, split with the worker when large). */
  stagedGradHasNonFinite(n: number): boolean {
    return (this.runtime as WasmRuntime).hasNonFinite(this.gradAt, n);
  }

  /** Runs `kernel` on the staged step, with the step's numbers `scalars`; params are written back if they went through scratch. */
  run(kernel: KernelName, params: Float64Array, scalars: Float64Array, n: number): void {
    this.runStaged(kernel, params, scalars, n, false);
  }

  /**
   * {@link StateStore.run} with the staged gradient's check in the same Wasm call: returns true,
   * having changed nothing, where the gradient holds NaN or ±Infinity.
   */
  runChecked(kernel: KernelName, params: Float64Array, scalars: Float64Array, n: number): boolean {
    return this.runStaged(kernel, params, scalars, n, true);
  }

  private runStaged(kernel: KernelName, params: Float64Array, scalars: Float64Array, n: number, check: boolean): boolean {
    const rt = this.runtime as WasmRuntime;
    if (this.copyParams) copyInto(rt.scratchParamsView(n), params);
    considerThreads(rt, n);
    this.follow(kernel);
    const a = this.addresses;
    if (check) {
      if (rt.runChecked(this.kernelIndex, this.paramsAt, this.gradAt, scalars, a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, n)) return true;
    } else rt.run(this.kernelIndex, this.paramsAt, this.gradAt, scalars, a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, n);
    if (this.copyParams) copyInto(params, rt.scratchParamsView(n));
    return false;
  }

  /**
   * Writes into the planned step at `at` in `plan` (memory-layout.ts: PLAN_SLOTS) this optimizer's
   * kernel and state addresses, for a step run later by {@link WasmRuntime.runPlans}; returns false,
   * with nothing written, unless the state is in the memory of `rt`.
   */
  plan(rt: VectorMemory, kernel: KernelName, plan: Float64Array, at: number): boolean {
    if (this.runtime !== rt || this.placement !== "wasm") return false;
    this.follow(kernel);
    const a = this.addresses;
    plan[at] = this.kernelIndex;
    plan[at + 3] = a[0] ?? 0;
    plan[at + 4] = a[1] ?? 0;
    plan[at + 5] = a[2] ?? 0;
    return true;
  }

  /** kernelIndex ← the index of `kernel` (a rule may change kernels with its options). */
  private follow(kernel: KernelName): void {
    if (kernel === this.kernelName) return;
    this.kernelIndex = WasmRuntime.kernelIndex(kernel);
    this.kernelName = kernel;
  }

  /** The byte address of state buffer i where it is a block of the memory of `rt`; else 0. */
  blockAt(rt: VectorMemory, i: number): number {
    return this.runtime === rt && this.placement === "wasm" ? (this.addresses[i] ?? 0) : 0;
  }

  /** The length of state buffer i (0 where there is none). */
  lengthOf(i: number): number {
    return this.lengths[i] ?? 0;
  }

  /**
   * Moves state buffer i, a block of Wasm memory, to the block at `address` (as long, unused), and
   * gives its block back: the same numbers, elsewhere.
   */
  moveBlock(i: number, address: number): void {
    const rt = this.runtime as WasmRuntime;
    const from = this.addresses[i];
    rt.heapView().copyWithin(address / 8, from / 8, from / 8 + this.lengths[i]);
    rt.release(from);
    // (in place: releaseWhenCollected holds this very array, so it gives back the new block)
    this.addresses[i] = address;
    this.deriveViews(rt);
  }

  /**
   * Copies each per-parameter buffer into a new block of Wasm memory; returns the blocks' addresses
   * (0 for a scalar or empty buffer), or `undefined`, with every block it took given back, where
   * the memory cannot hold them all.
   */
  private place(rt: WasmRuntime, buffers: Float64Array[]): number[] | undefined {
    const addresses: number[] = [];
    for (let i = 0; i < buffers.length; i++) {
      const buffer = buffers[i];
      if (this.scalar[i] || buffer.length === 0) {
        addresses.push(0);
        continue;
      }
      const address = rt.allocate(buffer.length);
      if (address < 0) {
        for (const a of addresses) if (a !== 0) rt.release(a);
        return undefined;
      }
      rt.view(address, buffer.length).set(buffer);
      addresses.push(address);
    }
    return addresses;
  }

  private deriveViews(rt: WasmRuntime): void {
    this.state = this.state.map((buffer, i) => (this.addresses[i] === 0 ? buffer : rt.view(this.addresses[i], this.lengths[i])));
    this.viewsOf = rt.memory.buffer;
  }
}
