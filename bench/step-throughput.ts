// Step throughput: ns per parameter per step of each optimizer on both backends (JavaScript, and
// Wasm SIMD zero-copy, copying, and with two threads), with and without the non-finite gradient
// check, against the same update written inline as one fused loop, written with ndarray-ops, and
// TensorFlow.js's CPU optimizer of the same kind. All contenders of a row are timed interleaved in
// one process.
import {
  AdaGrad,
  Adadelta,
  Adam,
  Adamax,
  allocateVector,
  backendInfo,
  DEFAULT_THREAD_THRESHOLD,
  GradientDescent,
  Momentum,
  NAdam,
  Nesterov,
  NormalizedGradient,
  type Optimizer,
  RAdam,
  releaseVector,
  RMSProp,
  Rprop,
  SGD,
  setBackend,
} from "gradstep";
import { currentRuntime } from "../src/backends/backend.js";
import { inlineBaseline } from "./baselines/inline.js";
import { ndarrayOpsBaseline } from "./baselines/ndarray-ops.js";
import { tfjsBaseline } from "./baselines/tfjs.js";
import { interleaved } from "./timing.js";

type Make = (o: { nonFinite: "throw" | "unchecked" }) => Optimizer;

/** The optimizers of the bench, in gradstep's default (PyTorch) configuration, lr 1e-3. */
export const benchRules: [string, Make][] = [
  ["GradientDescent", (o) => new GradientDescent(o)],
  ["Momentum", (o) => new Momentum(o)],
  ["Nesterov", (o) => new Nesterov(o)],
  ["SGD", (o) => new SGD({ ...o, momentum: 0.9 })],
  ["NormalizedGradient", (o) => new NormalizedGradient(o)],
  ["AdaGrad", (o) => new AdaGrad({ ...o, lr: 1e-3 })],
  ["RMSProp", (o) => new RMSProp({ ...o, lr: 1e-3 })],
  ["Adam", (o) => new Adam(o)],
  ["Adamax", (o) => new Adamax({ ...o, lr: 1e-3 })],
  ["NAdam", (o) => new NAdam({ ...o, lr: 1e-3 })],
  ["RAdam", (o) => new RAdam(o)],
  ["Adadelta", (o) => new Adadelta(o)],
  ["Rprop", (o) => new Rprop(o)],
];

/** One row: ns per parameter per step (median) of each contender that exists for the rule. */
export interface ThroughputRow {
  rule: string;
  n: number;
  /** JavaScript kernels, default step (non-finite check on). */
  js: number;
  jsUnchecked: number;
  /** Wasm SIMD on vectors from allocateVector (zero-copy), one thread, check on. */
  wasm: number;
  wasmUnchecked: number;
  /** Wasm SIMD on plain Float64Arrays (copied in and out), one thread, check on. */
  wasmCopy: number;
  /** Wasm SIMD, zero-copy, the step split with the worker thread, check on (n ≥ 1e4). */
  wasmThreads?: number;
  inline?: number;
  ndarrayOps?: number;
  tfjs?: number;
}

const KEYS = ["js", "jsUnchecked", "wasm", "wasmUnchecked", "wasmCopy", "wasmThreads", "inline", "ndarrayOps", "tfjs"] as const;

/** Whether TF.js runs at this size: it is ~50× slower, so only Adam at 1e6, and nothing above. */
function tfjsAt(rule: string, n: number): boolean {
  return n <= 1e5 || (n === 1e6 && rule === "Adam");
}

/** Starts the worker thread of the Wasm backend and waits until it is ready (for the threaded contender). */
export async function startWorker(): Promise<boolean> {
  setBackend("wasm", { threads: true });
  const opt = new Adam();
  opt.step(allocateVector(DEFAULT_THREAD_THRESHOLD), allocateVector(DEFAULT_THREAD_THRESHOLD));
  for (let i = 0; i < 300 && !backendInfo().workerReady; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  opt.reset();
  return backendInfo().workerReady;
}

/**
 * One row, measured on `placements` fresh allocations of the arrays (each shifted by a spacer of a
 * different size): where two arrays sit relative to each other changes the speed of a loop over
 * both by up to 3× (4K aliasing), so a single allocation can favour one contender by luck. Each
 * contender's number is the median over placements of its median over samples.
 */
export function stepThroughput(n: number, rule: string, make: Make, samples: number, placements: number): ThroughputRow {
  const rows = Array.from({ length: placements }, (_, k) => {
    const spacer = new Float64Array(1 + 97 * k); // shifts the next arrays by a different amount each time
    const wasmSpacer = allocateVector(1 + 97 * k);
    const row = onePlacement(n, rule, make, samples);
    spacer[0] = 1;
    releaseVector(wasmSpacer);
    return row;
  });
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  const result: Record<string, unknown> = { rule, n };
  for (const key of KEYS) {
    if (rows[0][key] !== undefined) result[key] = median(rows.map((r) => r[key] as number));
  }
  return result as unknown as ThroughputRow;
}

function onePlacement(n: number, rule: string, make: Make, samples: number): ThroughputRow {
  const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3);
  // One params array for the JavaScript contenders, one in Wasm memory for the zero-copy ones.
  const params = new Float64Array(n);
  const wasmParams = allocateVector(n);
  const wasmGrad = allocateVector(n);
  wasmGrad.set(grad);
  const pool = currentRuntime()?.pool;
  const oneThread = () => {
    if (pool) pool.threshold = Infinity;
  };
  const made = (backend: "js" | "wasm", nonFinite: "throw" | "unchecked") => {
    setBackend(backend);
    const opt = make({ nonFinite });
    setBackend("wasm");
    return opt;
  };
  const optimizers: Optimizer[] = [];
  const add = (label: string, opt: Optimizer, step: (opt: Optimizer) => void) => {
    optimizers.push(opt);
    labels.push(label);
    contenders.push(() => step(opt));
  };
  const labels: string[] = [];
  const contenders: (() => void)[] = [];
  add("js", made("js", "throw"), (o) => o.step(params, grad));
  add("jsUnchecked", made("js", "unchecked"), (o) => o.step(params, grad));
  add("wasm", made("wasm", "throw"), (o) => (oneThread(), o.step(wasmParams, wasmGrad)));
  add("wasmUnchecked", made("wasm", "unchecked"), (o) => (oneThread(), o.step(wasmParams, wasmGrad)));
  add("wasmCopy", made("wasm", "throw"), (o) => (oneThread(), o.step(params, grad)));
  if (pool && n >= 1e4) {
    add("wasmThreads", made("wasm", "throw"), (o) => {
      pool.threshold = 1;
      o.step(wasmParams, wasmGrad);
    });
  }
  const inline = inlineBaseline(rule, n);
  if (inline) {
    contenders.push(() => inline(params, grad));
    labels.push("inline");
  }
  const viaOps = ndarrayOpsBaseline(rule, n);
  if (viaOps) {
    contenders.push(() => viaOps(params, grad));
    labels.push("ndarrayOps");
  }
  const tf = tfjsAt(rule, n) ? tfjsBaseline(rule, n) : undefined;
  if (tf) {
    contenders.push(tf.step);
    labels.push("tfjs");
  }
  const timings = interleaved(contenders, samples, n >= 1e6 ? 60 : 25);
  tf?.dispose();
  for (const opt of optimizers) opt.reset(); // gives their Wasm blocks back now, not at GC
  releaseVector(wasmParams);
  releaseVector(wasmGrad);
  if (pool) pool.threshold = DEFAULT_THREAD_THRESHOLD;
  const row: Record<string, unknown> = { rule, n };
  labels.forEach((label, i) => (row[label] = timings[i].median / n));
  return row as unknown as ThroughputRow;
}

/** Heap growth per step over 10,000 steps of n = 1000 (must be about 0). */
export function heapGrowthPerStep(make: Make): number {
  const opt = make({ nonFinite: "throw" });
  const params = new Float64Array(1000);
  const grad = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 1e-3);
  for (let t = 0; t < 20_000; t++) opt.step(params, grad); // warm-up: state and JIT
  const before = process.memoryUsage().heapUsed;
  for (let t = 0; t < 10_000; t++) opt.step(params, grad);
  return (process.memoryUsage().heapUsed - before) / 10_000;
}
