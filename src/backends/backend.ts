import { InvalidOptionError } from "../errors.js";
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
  /** Why WebAssembly is not in use, when it is not. */
  readonly reason?: string;
}

/** Options of {@link setBackend}. */
export interface BackendOptions {
  /**
   * Split steps of at least {@link BackendOptions.threadThreshold} parameters between the calling
   * thread and one worker over shared memory. Default: true where shared memory exists.
   */
  threads?: boolean;
  /** Default 65,536 (measured: below it, waking the worker costs more than half a step saves). */
  threadThreshold?: number;
  /**
   * Put the Wasm memory in a SharedArrayBuffer. Default: true where SharedArrayBuffer exists. With
   * false, a plain memory: no threads, and {@link allocateVector} returns plain arrays (a plain
   * memory's views are invalidated when it grows). Optimizers already created keep their memory.
   */
  sharedMemory?: boolean;
}

/** The default {@link BackendOptions.threadThreshold}. */
export const DEFAULT_THREAD_THRESHOLD = 65536;

let choice: BackendChoice = "auto";
let runtime: WasmRuntime | undefined;
let failure: string | undefined;
let threads: boolean | undefined;
let threshold = DEFAULT_THREAD_THRESHOLD;
let sharedMemory = typeof SharedArrayBuffer === "function";

/** The Wasm runtime, created on first use; `undefined` (with {@link failure} set) where it cannot be. */
function loadRuntime(): WasmRuntime | undefined {
  if (runtime !== undefined && runtime.shared !== sharedMemory) {
    if (runtime.pool !== undefined) runtime.pool.dispose();
    runtime = undefined;
  }
  if (runtime === undefined && failure === undefined) {
    try {
      runtime = WasmRuntime.create(sharedMemory);
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
 */
export function setBackend(backend: BackendChoice, options: BackendOptions = {}): BackendInfo {
  if (backend !== "auto" && backend !== "js" && backend !== "wasm") {
    throw new InvalidOptionError("backend", backend, `"auto", "js" or "wasm"`);
  }
  const { threads: wantThreads, threadThreshold, sharedMemory: wantShared } = options;
  if (wantShared !== undefined && typeof wantShared !== "boolean") throw new InvalidOptionError("sharedMemory", wantShared, "a boolean");
  if (wantThreads !== undefined && typeof wantThreads !== "boolean") throw new InvalidOptionError("threads", wantThreads, "a boolean");
  if (threadThreshold !== undefined && !(Number.isSafeInteger(threadThreshold) && threadThreshold >= 1)) {
    throw new InvalidOptionError("threadThreshold", threadThreshold, "a whole number ≥ 1");
  }
  sharedMemory = (wantShared ?? true) && typeof SharedArrayBuffer === "function";
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
  return {
    choice,
    name: rt === undefined ? "js" : "wasm",
    sharedMemory: rt?.shared ?? false,
    threads: rt !== undefined && threadsWanted(rt),
    threadThreshold: threshold,
    workerReady: rt?.pool?.ready ?? false,
    workerHalves: rt?.pool?.workerHalves ?? 0,
    ...(rt === undefined ? { reason: choice === "js" ? `setBackend("js")` : failure } : {}),
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
    if (rt.pool === undefined) threads = false; // no worker can start here: stop trying
  }
}

function threadsWanted(rt: WasmRuntime): boolean {
  return rt.shared && (threads ?? true);
}

/**
 * A zeroed vector of `length` doubles in the Wasm memory, where steps read and write it in place
 * (no copy). Use it like any Float64Array; it stays valid as the memory grows. Where the memory is
 * not shared (or with the JS backend) it is a plain Float64Array, and steps copy. Give it back with
 * {@link releaseVector} when done.
 *
 * @example
 * ```ts
 * const params = allocateVector(1_000_000);
 * const grad = allocateVector(1_000_000);
 * const opt = new Adam({ lr: 1e-3 });
 * computeGradient(params, grad); // your code, writing grad in place
 * opt.step(params, grad);        // zero-copy on the Wasm backend
 * ```
 */
export function allocateVector(length: number): Float64Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new InvalidOptionError("length", length, "a whole number ≥ 0");
  const rt = currentRuntime();
  if (rt === undefined || !rt.shared) return new Float64Array(length);
  return rt.view(rt.allocate(length), length);
}

/**
 * Gives back a vector from {@link allocateVector} (a no-op for a plain Float64Array). Do not use it,
 * or any view of it, afterwards.
 *
 * @example
 * ```ts
 * releaseVector(params);
 * ```
 */
export function releaseVector(vector: Float64Array): void {
  if (runtime === undefined || !(vector instanceof Float64Array)) return;
  const address = runtime.addressOf(vector);
  if (address >= 0) runtime.release(address);
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
