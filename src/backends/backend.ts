import { InvalidOptionError } from "../errors.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { WasmRuntime } from "./wasm/wasm-runtime.js";
import { WorkerPool } from "./wasm/worker-pool.js";

/**
 * Which kernels new optimizers use. `"auto"` (default): WebAssembly SIMD where it can be
 * instantiated, else JavaScript. `"js"`: the JavaScript kernels. `"wasm"`: WebAssembly SIMD, or an
 * error saying why it is unavailable. Both give bit-identical results.
 */
export type BackendChoice = "auto" | "js" | "wasm";

/**
 * How steps run, as reported by {@link backendInfo}: put it in benchmark tables and bug reports.
 */
export interface BackendInfo {
  /** What was asked for with {@link setBackend}. */
  readonly choice: BackendChoice;
  /** The kernels new optimizers use. */
  readonly name: "js" | "wasm";
  /** Whether the Wasm memory is a SharedArrayBuffer (zero-copy vectors, a second thread). */
  readonly sharedMemory: boolean;
  /** Whether large steps are split with a worker thread (it starts at the first such step). */
  readonly threads: boolean;
  /** Steps of at least this many parameters use the second thread. */
  readonly threadThreshold: number;
  /** Whether the worker has started. */
  readonly workerReady: boolean;
  /**
   * How many half-steps the worker has done (the calling thread takes a half back when the worker
   * is late, e.g. asleep): 0 means every step ran on the calling thread.
   */
  readonly workerHalves: number;
  /** The size in bytes past which the Wasm memory does not grow ({@link BackendOptions.memoryBudget}). */
  readonly memoryBudget: number;
  /** The Wasm memory's size in bytes now (it grows up to the budget and never shrinks). */
  readonly memoryBytes: number;
  /** Bytes of the Wasm memory in use: optimizer state, {@link allocateVector}'s vectors, scratch. */
  readonly memoryUsed: number;
  /** Why WebAssembly is not in use, when it is not. */
  readonly reason?: string;
  /**
   * Why steps are not split between threads, where WebAssembly is in use and they are not: no
   * shared memory, `threads: false`, no worker can start (Node before 20.16 and 22.3; a browser
   * without Worker), or the worker could not load (a CSP without `worker-src blob:`) or failed.
   */
  readonly threadsReason?: string;
}

/** Options of {@link setBackend}. */
export interface BackendOptions {
  /**
   * Split steps of at least {@link BackendOptions.threadThreshold} parameters between the calling
   * thread and one worker over shared memory.
   * @defaultValue `true` where shared memory exists
   */
  threads?: boolean;
  /** The fewest parameters whose steps are split between threads. @defaultValue {@link DEFAULT_THREAD_THRESHOLD} (65,536: below it, waking the worker costs more than half a step saves) */
  threadThreshold?: number;
  /**
   * Put the Wasm memory in a SharedArrayBuffer. With
   * false, a plain memory: no threads, and {@link allocateVector} returns plain arrays (a plain
   * memory's views are invalidated when it grows). Optimizers already created keep their memory.
   * @defaultValue `true` where SharedArrayBuffer exists
   */
  sharedMemory?: boolean;
  /**
   * The size in bytes past which the Wasm memory does not grow. An optimizer whose state does not fit keeps it in
   * ordinary JavaScript memory instead and runs the JavaScript kernels (bit-identical; its
   * `backend` then says `"js"`), and {@link allocateVector} returns a plain array. The memory never
   * shrinks, so this bounds what Wasm memory costs a process even when optimizers are dropped
   * without `dispose()` (their blocks come back only when the garbage collector gets to them).
   * @defaultValue {@link DEFAULT_MEMORY_BUDGET} (1 GiB)
   */
  memoryBudget?: number;
}

/** The default {@link BackendOptions.threadThreshold}. */
export const DEFAULT_THREAD_THRESHOLD = 65536;

/**
 * The default {@link BackendOptions.memoryBudget}: 2^30 bytes (1 GiB).
 *
 * @example
 * ```ts
 * setBackend("auto", { memoryBudget: DEFAULT_MEMORY_BUDGET / 4 }); // Wasm memory stops at 256 MiB
 * ```
 */
export const DEFAULT_MEMORY_BUDGET = 2 ** 30;

let choice: BackendChoice = "auto";
let runtime: WasmRuntime | undefined;
let failure: string | undefined;
let threads: boolean | undefined;
/** Why no worker could start here, once one could not. */
let threadFailure: string | undefined;
let threshold = DEFAULT_THREAD_THRESHOLD;
let sharedMemory = typeof SharedArrayBuffer === "function";
let memoryBudget = DEFAULT_MEMORY_BUDGET;
/** What allocateVector handed out and releaseVector has not taken back (Wasm ones with their block). */
const handedOut = new WeakMap<Float64Array, { readonly rt: WasmRuntime; readonly address: number } | null>();

/** The Wasm runtime, created on first use; `undefined` (with {@link failure} set) where it cannot be. */
function loadRuntime(): WasmRuntime | undefined {
  if (runtime !== undefined && runtime.shared !== sharedMemory) {
    if (runtime.pool !== undefined) runtime.pool.dispose();
    runtime = undefined;
  }
  if (runtime === undefined && failure === undefined) {
    try {
      runtime = WasmRuntime.create(sharedMemory);
      runtime.budget = memoryBudget;
      sharedMemory = runtime.shared; // a shared memory may not be reservable here
    } catch (e) {
      failure = `WebAssembly SIMD is unavailable here: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  return runtime;
}

/**
 * Chooses the kernels for optimizers created from now on (an optimizer keeps the backend it was
 * created with). Returns what is now in effect.
 *
 * @example
 * ```ts
 * setBackend("js");                       // the JavaScript kernels, e.g. to compare
 * setBackend("auto", { threads: false }); // Wasm SIMD on the calling thread only
 * console.log(backendInfo().name);        // "wasm" where WebAssembly SIMD runs
 * ```
 *
 * @throws {@link InvalidOptionError} for an unknown backend name, `"wasm"` where WebAssembly is unavailable, or an option out of its range.
 */
export function setBackend(backend: BackendChoice, options: BackendOptions = {}): BackendInfo {
  if (backend !== "auto" && backend !== "js" && backend !== "wasm") {
    throw new InvalidOptionError("backend", backend, `"auto", "js" or "wasm"`);
  }
  const { threads: wantThreads, threadThreshold, sharedMemory: wantShared, memoryBudget: budget } = options;
  if (budget !== undefined && !(Number.isSafeInteger(budget) && budget >= 0)) throw new InvalidOptionError("memoryBudget", budget, "a whole number of bytes ≥ 0");
  if (wantShared !== undefined && typeof wantShared !== "boolean") throw new InvalidOptionError("sharedMemory", wantShared, "a boolean");
  if (wantThreads !== undefined && typeof wantThreads !== "boolean") throw new InvalidOptionError("threads", wantThreads, "a boolean");
  if (threadThreshold !== undefined && !(Number.isSafeInteger(threadThreshold) && threadThreshold >= 1)) {
    throw new InvalidOptionError("threadThreshold", threadThreshold, "a whole number ≥ 1");
  }
  sharedMemory = (wantShared ?? true) && typeof SharedArrayBuffer === "function";
  memoryBudget = budget ?? DEFAULT_MEMORY_BUDGET;
  if (runtime !== undefined) runtime.budget = memoryBudget;
  if (backend === "wasm" && loadRuntime() === undefined) throw new InvalidOptionError("backend", backend, `"auto" or "js" here`, failure);
  choice = backend;
  threads = wantThreads;
  threshold = threadThreshold ?? DEFAULT_THREAD_THRESHOLD;
  if (runtime?.pool !== undefined) {
    if (threads === false) disposeThreads();
    else runtime.pool.threshold = threshold;
  }
  return backendInfo();
}

/**
 * The backend in effect for new optimizers, and why.
 *
 * @example
 * ```ts
 * const { name, threads, reason } = backendInfo(); // e.g. "wasm", true, undefined
 * ```
 */
export function backendInfo(): BackendInfo {
  const rt = choice === "js" ? undefined : loadRuntime();
  const noThreads = rt === undefined ? undefined : whyNoThreads(rt);
  return {
    choice,
    name: rt === undefined ? "js" : "wasm",
    sharedMemory: rt?.shared ?? false,
    threads: rt !== undefined && noThreads === undefined,
    threadThreshold: threshold,
    workerReady: rt?.pool?.ready ?? false,
    workerHalves: rt?.pool?.workerHalves ?? 0,
    memoryBudget,
    memoryBytes: rt?.memory.buffer.byteLength ?? 0,
    memoryUsed: rt?.used ?? 0,
    ...(rt === undefined ? { reason: choice === "js" ? `setBackend("js")` : failure } : {}),
    ...(noThreads !== undefined ? { threadsReason: noThreads } : {}),
  };
}

/**
 * The runtime a new optimizer binds to, or `undefined` for the JavaScript kernels.
 * @internal
 */
export function currentRuntime(): WasmRuntime | undefined {
  return choice === "js" ? undefined : loadRuntime();
}

/**
 * Starts the worker for a step of n parameters if threads are wanted and n is large enough.
 * @internal
 */
export function considerThreads(rt: WasmRuntime, n: number): void {
  if (rt.pool === undefined && n >= threshold && threadsWanted(rt)) {
    rt.pool = WorkerPool.start(rt.module, rt.memory, threshold);
    // no worker can start here: stop trying
    if (rt.pool === undefined) threadFailure = "no worker thread can start here (Node before 20.16 and 22.3 lacks process.getBuiltinModule; a browser needs Worker and Blob)";
  }
}

function threadsWanted(rt: WasmRuntime): boolean {
  return rt.shared && (threads ?? true) && threadFailure === undefined;
}

/** Why steps of the Wasm runtime `rt` are not split between threads, or `undefined` where they are. */
function whyNoThreads(rt: WasmRuntime): string | undefined {
  if (!rt.shared) return "no shared memory (a page that is not cross-origin isolated, or sharedMemory: false)";
  if (threads === false) return "threads: false (or disposeThreads())";
  return threadFailure ?? rt.pool?.failure;
}

/**
 * A zeroed vector of `length` doubles in the Wasm memory, where steps read and write it in place
 * (no copy). Use it like any Float64Array; it stays valid as the memory grows. Where the memory is
 * not shared, or past the memory budget ({@link BackendOptions.memoryBudget}), or with the JS
 * backend, it is a plain Float64Array, and steps copy. Give it back with {@link releaseVector}
 * when done. Throws an {@link OutOfMemoryError} where not even a plain array can be had.
 *
 * @example
 * ```ts
 * const params = allocateVector(1_000_000);
 * const grad = allocateVector(1_000_000);
 * const opt = new Adam({ lr: 1e-3 });
 * computeGradient(params, grad); // your code, writing grad in place
 * opt.step(params, grad);        // zero-copy on the Wasm backend
 * ```
 *
 * @throws {@link InvalidOptionError} when `length` is not a whole number ≥ 0.
 */
export function allocateVector(length: number): Float64Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new InvalidOptionError("length", length, "a whole number ≥ 0");
  const rt = currentRuntime();
  const address = rt !== undefined && rt.shared ? rt.allocateUser(length) : -1;
  if (rt === undefined || address < 0) {
    const vector = allocateFloat64(length, "length");
    handedOut.set(vector, null);
    return vector;
  }
  const vector = rt.view(address, length);
  handedOut.set(vector, { rt, address });
  return vector;
}

/**
 * Gives back a vector from {@link allocateVector}. Do not use it, or any view of it, afterwards: a
 * step given a released vector of Wasm memory throws a {@link ShapeMismatchError}. Anything else
 * (a vector released already, a `subarray` of one, an array allocateVector did not hand out) throws
 * an {@link InvalidOptionError}, since giving back memory the caller does not hold would hand an
 * optimizer's state to the next allocation.
 *
 * @example
 * ```ts
 * releaseVector(params);
 * ```
 *
 * @throws {@link InvalidOptionError} for a vector that {@link allocateVector} did not return, or one already released.
 */
export function releaseVector(vector: Float64Array): void {
  const block = typeof vector === "object" && vector !== null ? handedOut.get(vector) : undefined;
  if (block === undefined) {
    throw new InvalidOptionError("vector", vector, "a vector that allocateVector handed out and that has not been released yet (not a subarray of one)");
  }
  handedOut.delete(vector);
  if (block !== null) block.rt.releaseUser(block.address);
}

/**
 * Stops the worker thread, if one runs (later large steps use the calling thread alone, until
 * {@link setBackend} turns threads on again). The worker never keeps a Node process alive, so this
 * is for freeing it early, or in browsers.
 *
 * @example
 * ```ts
 * disposeThreads();
 * ```
 */
export function disposeThreads(): void {
  if (runtime?.pool === undefined) return;
  runtime.pool.dispose();
  runtime.pool = undefined;
  threads = false;
}
