import { GradstepError } from "../../errors.js";
import { KERNEL_NAMES } from "./kernels-binary.js";
import { CONTROL, SCALARS } from "./memory-layout.js";

// A second thread for large steps: a worker instantiates the same kernels over the same shared
// memory and, per step, takes the upper half of the vectors while the calling thread does the lower
// half. They talk through Int32 control words at CONTROL, with Atomics (no messages per step). The
// upper half goes to whichever thread claims it first, so a sleeping worker never delays a step.

/** Control word indices. */
const SEQ = 0; // job number, bumped by the caller to start a job
const DONE = 1; // the job number the worker finished last
const KIND = 2; // 0: update kernel, 1: non-finite check
const KERNEL = 3;
const PARAMS = 4; // PARAMS..N: the worker's arguments (addresses already moved to its half)
const GRAD = 5;
const B0 = 6;
const B1 = 7;
const B2 = 8;
const N = 9;
const RESULT = 10; // the worker's non-finite answer
const READY = 11; // 1 once the worker has instantiated the kernels
const STOP = 12; // 1 asks the worker to exit
const FAILED = 13; // 1 if the worker threw
const CLAIM = 14; // the last job number claimed, by the worker or (if it is late) by the caller
const WORKED = 15; // how many halves the worker has done

/**
 * How long the worker spins for the next job before it sleeps (ms). Waking a sleeping thread costs
 * about 50 µs here, a third of a 1e5-parameter Adam step; a training loop's next step usually comes
 * within a millisecond (like OpenMP's spin-wait before blocking, shorter than its 200 ms default).
 */
const SPIN_MS = 1;

// The worker's code, as a string so that the package ships one file per entry point. Plain ES2020,
// no imports: it runs as a Node worker (eval) or a browser worker (from a Blob URL).
const WORKER_SOURCE = `"use strict";
const start = ({ module, memory, names, control, scalars }) => {
  const c = new Int32Array(memory.buffer, control, 16);
  let seen = Atomics.load(c, ${SEQ});
  try {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    const kernels = names.map((name) => exports[name]);
    Atomics.store(c, ${READY}, 1);
    for (;;) {
      let spins = 0;
      let until = 0;
      while (Atomics.load(c, ${SEQ}) === seen) {
        if ((++spins & 1023) !== 0) continue;
        const now = performance.now();
        if (until === 0) until = now + ${SPIN_MS};
        else if (now > until) Atomics.wait(c, ${SEQ}, seen);
      }
      seen = Atomics.load(c, ${SEQ});
      if (Atomics.load(c, ${STOP}) === 1) break;
      const previous = (seen - 1) | 0;
      if (Atomics.compareExchange(c, ${CLAIM}, previous, seen) !== previous) continue; // the caller took it
      if (c[${KIND}] === 0) kernels[c[${KERNEL}]](c[${PARAMS}], c[${GRAD}], scalars, c[${B0}], c[${B1}], c[${B2}], c[${N}]);
      else c[${RESULT}] = exports.non_finite(c[${PARAMS}], c[${N}]);
      Atomics.add(c, ${WORKED}, 1);
      Atomics.store(c, ${DONE}, seen);
      Atomics.notify(c, ${DONE});
    }
  } catch (error) {
    Atomics.store(c, ${FAILED}, 1);
    Atomics.store(c, ${DONE}, Atomics.load(c, ${SEQ}));
    Atomics.notify(c, ${DONE});
  }
  if (typeof close === "function") close();
};
if (typeof require === "function") require("node:worker_threads").parentPort.once("message", start);
else self.onmessage = (event) => start(event.data);
`;

/** What runs the worker: Node's worker_threads or a browser Worker, behind one shape. */
interface Thread {
  postMessage(message: unknown): void;
  terminate(): unknown;
  unref?(): void;
  /** A browser Worker's: an "error" event where its script cannot load (a CSP without worker-src blob:). */
  addEventListener?(type: "error", listener: () => void): void;
}

type Kernel = (params: number, grad: number, scalars: number, b0: number, b1: number, b2: number, n: number) => void;

/**
 * One worker sharing the runtime's memory. `worthSplitting(n)` says whether a step of n parameters
 * goes to both threads; until the worker has started, every step runs on the calling thread alone.
 */
export class WorkerPool {
  private readonly control: Int32Array;
  private sequence: number;
  private disposed = false;
  /** Why the worker takes no more halves, once it cannot. */
  private failed: string | undefined = undefined;

  private constructor(
    memory: WebAssembly.Memory,
    private readonly thread: Thread,
    /** Steps of at least this many parameters are split. */
    public threshold: number,
  ) {
    this.control = new Int32Array(memory.buffer, CONTROL, 16);
    this.control.fill(0);
    this.sequence = 0;
  }

  /**
   * Starts the worker over a shared memory. Returns `undefined` where no worker can start (no
   * worker_threads or Worker, a CSP that forbids blob workers, …).
   */
  static start(module: WebAssembly.Module, memory: WebAssembly.Memory, threshold: number): WorkerPool | undefined {
    const thread = createThread();
    if (thread === undefined) return undefined;
    const pool = new WorkerPool(memory, thread, threshold);
    // (a browser blocks a worker its CSP forbids asynchronously: creating it succeeds)
    thread.addEventListener?.("error", () => pool.fail("the worker's script could not load (a Content-Security-Policy without worker-src blob:?)"));
    thread.postMessage({ module, memory, names: KERNEL_NAMES, control: CONTROL, scalars: SCALARS });
    return pool;
  }

  /** Why the worker takes no more halves (it could not load, or it threw), or `undefined`. */
  get failure(): string | undefined {
    return this.failed;
  }

  private fail(reason: string): void {
    this.failed ??= reason;
    this.dispose();
  }

  /** Whether the worker is up and n is large enough to split. */
  worthSplitting(n: number): boolean {
    return n >= this.threshold && !this.disposed && Atomics.load(this.control, READY) === 1;
  }

  /** Whether the worker has started (it instantiates the kernels asynchronously after `start`). */
  get ready(): boolean {
    return Atomics.load(this.control, READY) === 1;
  }

  /** How many halves the worker has done (the others were taken back by the calling thread). */
  get workerHalves(): number {
    return Atomics.load(this.control, WORKED);
  }

  /** Runs `kernel` over [0, n): the lower part here, the upper part on the worker. */
  run(index: number, params: number, grad: number, b0: number, b1: number, b2: number, n: number, kernel: Kernel): void {
    const lower = split(n);
    const offset = lower * 8;
    const c = this.control;
    c[KIND] = 0;
    c[KERNEL] = index;
    c[PARAMS] = params + offset;
    c[GRAD] = grad + offset;
    c[B0] = b0 === 0 ? 0 : b0 + offset;
    c[B1] = b1 === 0 ? 0 : b1 + offset;
    c[B2] = b2 === 0 ? 0 : b2 + offset;
    c[N] = n - lower;
    this.dispatch();
    kernel(params, grad, SCALARS, b0, b1, b2, lower);
    if (this.claim()) kernel(c[PARAMS], c[GRAD], SCALARS, c[B0], c[B1], c[B2], c[N]);
    else this.join();
  }

  /** The non-finite check over [0, n), split the same way. */
  hasNonFinite(values: number, n: number, check: (values: number, n: number) => number): boolean {
    const lower = split(n);
    const c = this.control;
    c[KIND] = 1;
    c[PARAMS] = values + lower * 8;
    c[N] = n - lower;
    this.dispatch();
    const here = check(values, lower);
    if (this.claim()) return here !== 0 || check(c[PARAMS], c[N]) !== 0;
    this.join();
    return here !== 0 || c[RESULT] !== 0;
  }

  /** Stops the worker; later steps run on the calling thread. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    Atomics.store(this.control, STOP, 1);
    this.dispatch();
    this.thread.terminate();
  }

  private dispatch(): void {
    this.sequence = (this.sequence + 1) | 0;
    Atomics.store(this.control, SEQ, this.sequence);
    Atomics.notify(this.control, SEQ);
  }

  /**
   * Takes the worker's half if the worker has not started it yet (it may be waking from sleep, which
   * takes longer than the half itself): a split step is never much slower than an unsplit one.
   */
  private claim(): boolean {
    const previous = (this.sequence - 1) | 0;
    return Atomics.compareExchange(this.control, CLAIM, previous, this.sequence) === previous;
  }

  /** Waits for the worker's half (spinning: both halves take about as long). */
  private join(): void {
    const c = this.control;
    while (Atomics.load(c, DONE) !== this.sequence) {
      // spin
    }
    if (Atomics.load(c, FAILED) === 1) {
      this.failed ??= "the worker thread failed";
      this.disposed = true;
      throw new GradstepError("backend", "wasm", "a worker thread that runs (it failed; later steps use one thread)", "the Wasm worker thread failed");
    }
  }
}

/** The worker's share starts at a multiple of 8 doubles (a 64-byte cache line when the vectors are aligned). */
function split(n: number): number {
  return Math.floor(n / 16) * 8;
}

function createThread(): Thread | undefined {
  try {
    const nodeProcess = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const threads = nodeProcess?.getBuiltinModule?.("node:worker_threads") as
      | { Worker: new (source: string, options: { eval: boolean }) => Thread }
      | undefined;
    if (threads !== undefined) {
      const worker = new threads.Worker(WORKER_SOURCE, { eval: true });
      worker.unref?.(); // a pool never keeps the process alive
      return worker;
    }
    const scope = globalThis as { Worker?: new (url: string) => Thread; Blob?: typeof Blob; URL?: typeof URL };
    if (scope.Worker === undefined || scope.Blob === undefined || scope.URL === undefined) return undefined;
    const url = scope.URL.createObjectURL(new scope.Blob([WORKER_SOURCE], { type: "text/javascript" }));
    return new scope.Worker(url);
  } catch {
    return undefined;
  }
}
