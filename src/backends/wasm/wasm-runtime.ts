import { SCALAR_SLOTS } from "../../kernels/scalars.js";
import { byteOffsetOfVector, memoryOf, registerBuffer } from "../../memory/float64-vectors.js";
import { Arena } from "./arena.js";
import { KERNEL_NAMES, type KernelName, REDUCING_KERNELS } from "./kernels-binary.js";
import { KERNELS_MAXIMUM_PAGES, kernelsModuleBytes } from "./kernels-module.js";
import { ARENA_BASE, PLAN, PLAN_RECORDS, PLAN_SLOTS, SCALARS } from "./memory-layout.js";
import type { WorkerPool } from "./worker-pool.js";

/** For each kernel with reductions, by index: its `_reduce` and `_update` exports' indices. */
const SPLIT: ([number, number] | undefined)[] = KERNEL_NAMES.map((name) =>
  REDUCING_KERNELS.includes(name) ? [KERNEL_NAMES.indexOf(`${name}_reduce` as KernelName), KERNEL_NAMES.indexOf(`${name}_update` as KernelName)] : undefined,
);

type Kernel = (params: number, grad: number, scalars: number, b0: number, b1: number, b2: number, n: number) => void;
/**
 * A kernel's `_step` export, on the numbers in the scalar block: with `check` (1), returns 1, having
 * written nothing, where the gradient holds NaN or ±Infinity; else the kernel's step and 0.
 */
type StepEntry = (params: number, grad: number, b0: number, b1: number, b2: number, n: number, check: number) => number;
type NonFinite = (values: number, n: number) => number;
type NonFinitePair = (first: number, second: number, n: number) => number;
/** src/objectives/risk-batch.wat: an empirical risk's batch in one call (byte addresses, counts, flags). */
export type RiskBatch = (form: number, theta: number, grad: number, X: number, y: number, rows: number, count: number, d: number, value: number, out: number) => void;
/** src/objectives/network-batch.wat: a dense network's batch in one call (byte addresses, counts, flags). */
export type NetworkBatch = (
  layers: number, depth: number, theta: number, grad: number, size: number, wt: number, a: number, delta: number, X: number, y: number, rows: number, count: number, softmax: number, mean: number, out: number,
) => void;

export { PLAN_NUMBERS, PLAN_SLOTS } from "./memory-layout.js";

/** Wasm pages of 64 KiB: what a shared memory may grow to (its address space is reserved up front). */
const SHARED_MAXIMUM_PAGES = [KERNELS_MAXIMUM_PAGES, 16384, 4096];

/**
 * One WebAssembly instance of the SIMD kernels and the memory they work in: optimizer state lives
 * here, parameter vectors may too (zero-copy), and foreign vectors are copied through scratch blocks.
 * Created once, synchronously, on first use.
 */
export class WasmRuntime {
  readonly memory: WebAssembly.Memory;
  /** Whether the memory is a SharedArrayBuffer (views survive growth; a worker can share it). */
  readonly shared: boolean;
  readonly module: WebAssembly.Module;
  private readonly kernels: Kernel[];
  private readonly steps: StepEntry[];
  private readonly nonFinite: NonFinite;
  private readonly nonFinitePair: NonFinitePair;
  private readonly runPlanBlock: (count: number) => void;
  /** An empirical risk's batch (src/objectives/wasm-risk.ts). */
  readonly riskBatch: RiskBatch;
  /** A dense network's batch (src/objectives/wasm-network-risk.ts). */
  readonly networkBatch: NetworkBatch;
  private readonly arena: Arena;
  private heap: Float64Array;
  /** A view of the scalar block alone, re-derived with `heap`. */
  private scalarBlock: Float64Array;
  /** A view of the plan block alone (memory-layout.ts: PLAN), re-derived with `heap`. */
  private planBlock: Float64Array;
  /** The arena's growth count when `heap` was derived (reading `memory.buffer` costs more than a small step). */
  private heapGrowths: number;
  /** Byte address of the block that a foreign params vector is copied to. */
  scratchParams = 0;
  /** Byte address of the block that a foreign gradient is copied to. */
  scratchGrad = 0;
  private scratchLength = 0;
  private paramsView: Float64Array = new Float64Array(0);
  private gradView: Float64Array = new Float64Array(0);
  /** What the two views were derived for: [address, length, growths] each (a shared view's getters cost more than a small step). */
  private readonly viewKeys = new Float64Array(9).fill(-1);
  /** Views of the scratch blocks by length, for {@link WasmRuntime.cachedView}. */
  private readonly paramsViews = new Map<number, Float64Array>();
  private readonly gradViews = new Map<number, Float64Array>();
  /** How many user blocks {@link WasmRuntime.releaseUser} has given back. */
  userReleases = 0;
  /** The blocks handed out by allocateVector, as sorted [start, end) byte ranges. */
  private readonly userStarts: number[] = [];
  private readonly userEnds: number[] = [];
  /** Set by backend.ts when a second thread is in use. */
  pool: WorkerPool | undefined = undefined;

  private constructor(memory: WebAssembly.Memory, shared: boolean, module: WebAssembly.Module) {
    this.memory = memory;
    this.shared = shared;
    this.module = module;
    const instance = new WebAssembly.Instance(module, { env: { memory } });
    const exports = instance.exports as Record<string, unknown>;
    this.kernels = KERNEL_NAMES.map((name) => exports[name] as Kernel);
    this.steps = KERNEL_NAMES.map((name) => exports[`${name}_step`] as StepEntry);
    this.nonFinite = exports.non_finite as NonFinite;
    this.nonFinitePair = exports.non_finite_pair as NonFinitePair;
    this.runPlanBlock = exports.run_plan as (count: number) => void;
    this.riskBatch = exports.risk_batch as RiskBatch;
    this.networkBatch = exports.network_batch as NetworkBatch;
    this.arena = new Arena(memory, ARENA_BASE);
    this.heap = new Float64Array(memory.buffer);
    this.scalarBlock = new Float64Array(memory.buffer, SCALARS, SCALAR_SLOTS);
    this.planBlock = new Float64Array(memory.buffer, PLAN, PLAN_SLOTS * PLAN_RECORDS);
    this.heapGrowths = this.arena.growths;
    registerBuffer(memory.buffer, this);
  }

  /**
   * Instantiates the kernels: over a shared memory if asked and SharedArrayBuffer exists (so that
   * views survive growth and a worker can help), else over a plain one. Throws where WebAssembly or its
   * SIMD is missing or forbidden (e.g. a CSP without 'wasm-unsafe-eval').
   */
  static create(shared = typeof SharedArrayBuffer === "function"): WasmRuntime {
    if (shared) {
      const module = new WebAssembly.Module(kernelsModuleBytes(true));
      for (const maximum of SHARED_MAXIMUM_PAGES) {
        try {
          return new WasmRuntime(new WebAssembly.Memory({ initial: 1, maximum, shared: true }), true, module);
        } catch {
          // not enough address space to reserve: try a smaller maximum, then a plain memory
        }
      }
    }
    const module = new WebAssembly.Module(kernelsModuleBytes(false));
    return new WasmRuntime(new WebAssembly.Memory({ initial: 1, maximum: KERNELS_MAXIMUM_PAGES }), false, module);
  }

  /** The index of a kernel in {@link KERNEL_NAMES}. */
  static kernelIndex(name: KernelName): number {
    return KERNEL_NAMES.indexOf(name);
  }

  /** A Float64Array over the whole memory, re-derived after growth (only the arena grows it). */
  heapView(): Float64Array {
    if (this.heapGrowths !== this.arena.growths) {
      const buffer = this.memory.buffer;
      this.heap = new Float64Array(buffer);
      this.scalarBlock = new Float64Array(buffer, SCALARS, SCALAR_SLOTS);
      this.planBlock = new Float64Array(buffer, PLAN, PLAN_SLOTS * PLAN_RECORDS);
      this.heapGrowths = this.arena.growths;
      registerBuffer(buffer, this); // with shared memory, views of the older buffer objects still alias it
    }
    return this.heap;
  }

  /**
   * Allocates `length` doubles (zeroed); returns the byte address, or -1 (nothing changed) where the
   * memory budget or the memory's maximum does not allow it.
   */
  allocate(length: number): number {
    const address = this.arena.allocate(length * 8);
    if (address >= 0) this.heapView().fill(0, address / 8, address / 8 + length);
    return address;
  }

  /**
   * Allocates blocks of `lengths[i]` doubles (contents unspecified), each right after the last;
   * returns their byte addresses, or `undefined` (nothing changed) where the memory cannot hold them.
   */
  allocateAdjacent(lengths: readonly number[]): number[] | undefined {
    return this.arena.allocateAdjacent(lengths.map((n) => n * 8));
  }

  release(address: number): void {
    this.arena.release(address);
  }

  /** The size in bytes past which the memory does not grow. */
  get budget(): number {
    return this.arena.budget;
  }

  set budget(bytes: number) {
    this.arena.budget = bytes;
  }

  /** The arena's blocks as [start, size] pairs (for tests that compare states). */
  blocks(): [number, number][] {
    return this.arena.blocks();
  }

  /** Allocates a user's vector of `length` doubles (see allocateVector); -1 where it cannot. */
  allocateUser(length: number): number {
    const address = this.allocate(length);
    if (address < 0) return -1;
    const i = this.userIndex(address) + 1;
    this.userStarts.splice(i, 0, address);
    this.userEnds.splice(i, 0, address + length * 8);
    return address;
  }

  /** Gives back a user's block; false if `address` starts no user block. */
  releaseUser(address: number): boolean {
    const i = this.userIndex(address);
    if (i < 0 || this.userStarts[i] !== address) return false;
    this.userStarts.splice(i, 1);
    this.userEnds.splice(i, 1);
    this.userReleases += 1;
    this.release(address);
    return true;
  }

  /** Whether the `bytes` bytes at `address` lie inside one block a user holds from allocateVector. */
  isUserRange(address: number, bytes: number): boolean {
    const i = this.userIndex(address);
    return i >= 0 && address + bytes <= this.userEnds[i];
  }

  /** The index of the last user block starting at or before `address`, or -1. */
  private userIndex(address: number): number {
    const starts = this.userStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid] <= address) lo = mid + 1;
      else hi = mid - 1;
    }
    return hi;
  }

  /** Bytes allocated (state, user vectors, scratch). */
  get used(): number {
    return this.arena.used;
  }

  /** A view of `length` doubles at `address` (valid until the memory grows, unless shared). */
  view(address: number, length: number): Float64Array {
    return this.heapView().subarray(address / 8, address / 8 + length);
  }

  /** The byte address of `array` if it lives in this memory, else -1. */
  addressOf(array: Float64Array): number {
    return memoryOf(array) === this ? byteOffsetOfVector(array) : -1;
  }

  /** Whether {@link WasmRuntime.run} (or {@link WasmRuntime.hasNonFinite}) splits a step (a check) of n doubles with the worker thread. */
  splits(n: number): boolean {
    const pool = this.pool;
    return pool !== undefined && pool.worthSplitting(n);
  }

  /** Whether any of the n doubles at `address` is NaN or ±Infinity. */
  hasNonFinite(address: number, n: number): boolean {
    const pool = this.pool;
    if (pool !== undefined && pool.worthSplitting(n)) return pool.hasNonFinite(address, n, this.nonFinite);
    return this.nonFinite(address, n) !== 0;
  }

  /**
   * Whether the n doubles at byte address `first` or the n at `second` hold NaN or ±Infinity, read
   * side by side: two streams from memory deliver more than one (see scripts/kernels/non-finite.ts).
   */
  hasNonFinitePair(first: number, second: number, n: number): boolean {
    return this.nonFinitePair(first, second, n) !== 0;
  }

  /**
   * Runs kernel `index` on params and grad (in this memory or copied through scratch), with the
   * 16 numbers of `scalars` and the state blocks b0–b2 (byte addresses; 0 when unused).
   * Returns nothing; params are written in place.
   */
  run(index: number, params: number, grad: number, scalars: Float64Array, b0: number, b1: number, b2: number, n: number): void {
    const pool = this.pool;
    if (pool === undefined || !pool.worthSplitting(n)) {
      this.step(index, params, grad, scalars, b0, b1, b2, n, 0);
      return;
    }
    this.writeScalars(scalars);
    this.runSplit(pool, index, params, grad, b0, b1, b2, n);
  }

  /**
   * {@link WasmRuntime.run} of a step planned ahead: the record of {@link PLAN_SLOTS} doubles at `at`
   * in `plan` (memory-layout.ts: the kernel's index, the byte addresses of params, grad and the
   * state, n, then the step's 16 numbers), so that a tree steps its leaves without reading their
   * optimizers. A record of n = 0 runs nothing.
   */
  runPlanned(plan: Float64Array, at: number): void {
    const n = plan[at + 6];
    if (n === 0) return;
    this.heapView(); // re-derives the scalar block's view after growth
    const b = this.scalarBlock;
    const s = plan;
    const o = at + 8;
    // written out, as writeScalars
    b[0] = s[o]; b[1] = s[o + 1]; b[2] = s[o + 2]; b[3] = s[o + 3]; b[4] = s[o + 4]; b[5] = s[o + 5]; b[6] = s[o + 6]; b[7] = s[o + 7];
    b[8] = s[o + 8]; b[9] = s[o + 9]; b[10] = s[o + 10]; b[11] = s[o + 11]; b[12] = s[o + 12]; b[13] = s[o + 13]; b[14] = s[o + 14]; b[15] = s[o + 15];
    const index = plan[at];
    const pool = this.pool;
    if (pool === undefined || !pool.worthSplitting(n)) this.steps[index](plan[at + 1], plan[at + 2], plan[at + 3], plan[at + 4], plan[at + 5], n, 0);
    else this.runSplit(pool, index, plan[at + 1], plan[at + 2], plan[at + 3], plan[at + 4], plan[at + 5], n);
  }

  /**
   * {@link WasmRuntime.runPlanned} of the `count` records from record `first` of `plan`, one after
   * the other, in one call of the module's `run_plan` per {@link PLAN_RECORDS} (copied into the plan
   * block first): none may be split with the worker thread. A call from JavaScript per leaf cost
   * 1.10–1.13× one call over the whole (10^6 parameters in 100 leaves), the plan's loop 1.01–1.04×.
   */
  runPlans(plan: Float64Array, first: number, count: number): void {
    this.heapView(); // re-derives the plan block's view after growth
    const block = this.planBlock;
    for (let done = 0; done < count; done += PLAN_RECORDS) {
      const records = Math.min(PLAN_RECORDS, count - done);
      const from = (first + done) * PLAN_SLOTS;
      const length = records * PLAN_SLOTS;
      for (let i = 0; i < length; i++) block[i] = plan[from + i];
      this.runPlanBlock(records);
    }
  }

  /** A kernel's run, split with the worker thread, on the numbers already written. */
  private runSplit(pool: WorkerPool, index: number, params: number, grad: number, b0: number, b1: number, b2: number, n: number): void {
    const split = SPLIT[index];
    if (split === undefined) pool.run(index, params, grad, b0, b1, b2, n, this.kernels[index]);
    else {
      // reductions over the whole vector here, in their one order (the results go to their slots in
      // memory, where the update reads them); then the update split in two
      this.kernels[split[0]](params, grad, SCALARS, b0, b1, b2, n);
      pool.run(split[1], params, grad, b0, b1, b2, n, this.kernels[split[1]]);
    }
  }

  /**
   * {@link WasmRuntime.run} with the gradient's check first, in one call where the step stays on this
   * thread. Returns true, having written nothing, where the n doubles at `grad` hold NaN or ±Infinity.
   */
  runChecked(index: number, params: number, grad: number, scalars: Float64Array, b0: number, b1: number, b2: number, n: number): boolean {
    const pool = this.pool;
    if (pool !== undefined && pool.worthSplitting(n)) {
      if (this.hasNonFinite(grad, n)) return true;
      this.run(index, params, grad, scalars, b0, b1, b2, n);
      return false;
    }
    return this.step(index, params, grad, scalars, b0, b1, b2, n, 1) !== 0;
  }

  /** One call of a kernel's `_step` export on this thread. */
  private step(index: number, params: number, grad: number, scalars: Float64Array, b0: number, b1: number, b2: number, n: number, check: number): number {
    this.writeScalars(scalars);
    return this.steps[index](params, grad, b0, b1, b2, n, check);
  }

  /**
   * Copies the numbers of a step into the block the kernels read: a loop over a view of the block
   * alone (a store through a view of a whole shared memory costs twice as much, and `set` more).
   */
  private writeScalars(scalars: Float64Array): void {
    this.heapView(); // re-derives the block's view after growth
    const b = this.scalarBlock;
    const s = scalars;
    // Written out, not a loop: V8 re-checks both typed arrays at each access of a loop (about 40 ns
    // for the 16), and once for straight-line code (about 9 ns): a third of a small step's cost. (No
    // loop, so no entry pass either: see kernels/scalars.ts.)
    b[0] = s[0]; b[1] = s[1]; b[2] = s[2]; b[3] = s[3]; b[4] = s[4]; b[5] = s[5]; b[6] = s[6]; b[7] = s[7];
    b[8] = s[8]; b[9] = s[9]; b[10] = s[10]; b[11] = s[11]; b[12] = s[12]; b[13] = s[13]; b[14] = s[14]; b[15] = s[15];
  }

  /**
   * Makes sure scratch blocks for a foreign params and grad of length n exist (grown when needed);
   * their addresses are then {@link WasmRuntime.scratchParams} and {@link WasmRuntime.scratchGrad}.
   * Returns false, with the old blocks kept, where the new ones cannot be had.
   */
  ensureScratch(n: number): boolean {
    if (n <= this.scratchLength) return true;
    const params = this.allocate(n);
    const grad = params < 0 ? -1 : this.allocate(n);
    if (grad < 0) {
      if (params >= 0) this.release(params);
      return false;
    }
    if (this.scratchLength > 0) {
      this.release(this.scratchParams);
      this.release(this.scratchGrad);
    }
    this.scratchParams = params;
    this.scratchGrad = grad;
    this.scratchLength = n;
    return true;
  }

  /** The first n doubles of the params scratch block, as a view kept between steps (no allocation). */
  scratchParamsView(n: number): Float64Array {
    if (this.viewCurrent(0, this.scratchParams, n)) return this.paramsView;
    return (this.paramsView = this.cachedView(this.paramsViews, this.scratchParams, n));
  }

  /** The first n doubles of the gradient scratch block, as a view kept between steps (no allocation). */
  scratchGradView(n: number): Float64Array {
    if (this.viewCurrent(3, this.scratchGrad, n)) return this.gradView;
    return (this.gradView = this.cachedView(this.gradViews, this.scratchGrad, n));
  }

  /**
   * A view of n doubles at a scratch block, from `cache` (by length) while the blocks and the memory
   * stay the same: optimizers of several lengths take turns with the scratch blocks (a tree's
   * leaves), and each length keeps its view instead of a new one per step.
   */
  private cachedView(cache: Map<number, Float64Array>, address: number, n: number): Float64Array {
    const keys = this.viewKeys;
    if (keys[6] !== this.scratchParams || keys[7] !== this.scratchGrad || keys[8] !== this.arena.growths || cache.size >= 1024) {
      this.paramsViews.clear();
      this.gradViews.clear();
      keys[6] = this.scratchParams;
      keys[7] = this.scratchGrad;
      keys[8] = this.arena.growths;
    }
    let view = cache.get(n);
    if (view === undefined) {
      view = this.view(address, n);
      cache.set(n, view);
    }
    return view;
  }

  /** Whether the view keyed at `k` was derived for (address, n) since the memory last grew; records it if not. */
  private viewCurrent(k: number, address: number, n: number): boolean {
    const keys = this.viewKeys;
    const growths = this.arena.growths;
    if (keys[k] === address && keys[k + 1] === n && keys[k + 2] === growths) return true;
    keys[k] = address;
    keys[k + 1] = n;
    keys[k + 2] = growths;
    return false;
  }
}
