// Step throughput: ns per parameter per step of each optimizer on both backends (JavaScript, and
// Wasm SIMD zero-copy, copying, and with two threads), with and without the non-finite gradient
// check, against the same update written inline as one fused loop, written with ndarray-ops, and
// TensorFlow.js's CPU optimizer of the same kind. All contenders of a row are timed interleaved in
// one process.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import * as gradstep from "gradstep";
import { type Optimizer, type OptimizerClass, type OptimizerName, optimizerRegistry } from "gradstep";
import { currentRuntime } from "../src/backends/backend.js";
import { inlineBaseline } from "./baselines/inline.js";
import { ndarrayOpsBaseline } from "./baselines/ndarray-ops.js";
import { tfjsBaseline } from "./baselines/tfjs.js";
import { interleaved } from "./timing.js";

type Make = (o: { nonFinite: "throw" | "unchecked" }) => Optimizer;

/**
 * What the bench uses of a gradstep checkout: this one's, or (with `--baseline <dir>`) another's
 * `src/index.ts`, whose backend state (setBackend, the Wasm memory, allocateVector) is its own.
 */
export type Library = Pick<
  typeof gradstep,
  | OptimizerName
  | "allocateVector"
  | "releaseVector"
  | "setBackend"
  | "backendInfo"
  | "DEFAULT_THREAD_THRESHOLD"
> & {
  /** The runtime new optimizers bind to (its `pool`, to keep a step on one thread). */
  currentRuntime: () => { pool?: { threshold: number } } | undefined;
};

/** This checkout. */
export const current: Library = { ...gradstep, currentRuntime };

/**
 * Another checkout of gradstep, for before/after columns: its `src/index.ts` bundled as this
 * checkout's is (run-bundled.mjs; esbuild, es2020), with its own backend state.
 */
export async function loadBaseline(dir: string): Promise<Library> {
  const source = (file: string) => resolve(dir, file);
  if (!existsSync(source("src/index.ts")) || !existsSync(source("src/backends/backend.ts"))) {
    throw new Error(`--baseline ${dir}: no src/index.ts and src/backends/backend.ts there, as in a checkout of gradstep`);
  }
  // inside node_modules, so that the bundle's imports of packages resolve
  const root = fileURLToPath(new URL("..", import.meta.url));
  const cache = join(root, "node_modules", ".cache");
  mkdirSync(cache, { recursive: true });
  const out = mkdtempSync(join(cache, "gradstep-baseline-"));
  process.on("exit", () => rmSync(out, { recursive: true, force: true }));
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
  const { build } = await import("esbuild");
  // both entries in one build: they share one copy of the backend's state
  const entryPoints = { index: source("src/index.ts"), backend: source("src/backends/backend.ts") };
  const external = [...Object.keys(pkg.dependencies), ...Object.keys(pkg.devDependencies)];
  await build({ entryPoints, outdir: out, bundle: true, splitting: true, format: "esm", target: "es2020", platform: "node", external, logLevel: "warning" });
  const index = (await import(pathToFileURL(join(out, "index.js")).href)) as Library;
  const backend = (await import(pathToFileURL(join(out, "backend.js")).href)) as Pick<Library, "currentRuntime">;
  if (typeof index.setBackend !== "function" || typeof backend.currentRuntime !== "function") {
    throw new Error(`--baseline ${dir}: src/index.ts and src/backends/backend.ts do not look like gradstep's`);
  }
  return { ...index, currentRuntime: backend.currentRuntime };
}

// The bench's settings on top of gradstep's defaults (lr 1e-3 everywhere, SGD with momentum); every
// other registry entry runs at its defaults.
const benchSettings: Partial<Record<OptimizerName, Record<string, unknown>>> = {
  AdaGrad: { lr: 1e-3 },
  RMSProp: { lr: 1e-3 },
  SGD: { momentum: 0.9 },
  Adamax: { lr: 1e-3 },
  NAdam: { lr: 1e-3 },
  ASGD: { lr: 1e-3 },
};

/**
 * The optimizers of the bench (every registry entry, in its order), in gradstep's default (PyTorch)
 * configuration, lr 1e-3, from `lib`: the classes are looked up by name in `lib`, so a baseline
 * checkout older than the registry works too (an optimizer it does not have is left out).
 */
export function rulesOf(lib: Library): [string, Make][] {
  return optimizerRegistry.filter(({ name }) => typeof lib[name as OptimizerName] === "function").map(({ name }) => {
    const cls = lib[name as OptimizerName] as OptimizerClass;
    const settings = benchSettings[name as OptimizerName] ?? {};
    return [name, (o) => new cls({ ...o, ...settings })];
  });
}

/** The optimizers of the bench, from this checkout. */
export const benchRules: [string, Make][] = rulesOf(current);

/** The baseline's version of one rule, for {@link stepThroughput}'s before columns. */
export interface Before {
  lib: Library;
  make: Make;
}

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
  /** With a baseline: its JS, Wasm (zero-copy, checked and unchecked) and Wasm copying steps, timed interleaved with the above. */
  jsBefore?: number;
  wasmBefore?: number;
  wasmUncheckedBefore?: number;
  wasmCopyBefore?: number;
  /**
   * With a baseline: after/before for each path ("js", "wasm", "wasmUnchecked", "wasmCopy"), the
   * median over sampling rounds of the ratio of the two samples of one round (they ran back to back),
   * then the median over placements.
   */
  ratios?: Record<string, number>;
}

/** The current contender of each before/after pair. */
export const PAIRED = ["js", "wasm", "wasmUnchecked", "wasmCopy"] as const;

const KEYS = ["js", "jsUnchecked", "wasm", "wasmUnchecked", "wasmCopy", "wasmThreads", "inline", "ndarrayOps", "tfjs", "jsBefore", "wasmBefore", "wasmUncheckedBefore", "wasmCopyBefore"] as const;

/** Whether TF.js runs at this size: it is ~50× slower, so only Adam at 1e6, and nothing above. */
function tfjsAt(rule: string, n: number): boolean {
  return n <= 1e5 || (n === 1e6 && rule === "Adam");
}

/** Starts the worker thread of the Wasm backend and waits until it is ready (for the threaded contender). */
export async function startWorker(lib: Library = current): Promise<boolean> {
  lib.setBackend("wasm", { threads: true });
  const opt = new lib.Adam();
  const params = lib.allocateVector(lib.DEFAULT_THREAD_THRESHOLD);
  const grad = lib.allocateVector(lib.DEFAULT_THREAD_THRESHOLD);
  opt.step(params, grad);
  for (let i = 0; i < 300 && !lib.backendInfo().workerReady; i++) await new Promise((resolve) => setTimeout(resolve, 10));
  opt.reset();
  lib.releaseVector(params);
  lib.releaseVector(grad);
  return lib.backendInfo().workerReady;
}

/**
 * One row, measured on `placements` fresh allocations of the arrays (each shifted by a spacer of a
 * different size): where two arrays sit relative to each other changes the speed of a loop over
 * both by up to 3× (4K aliasing), so a single allocation can favour one contender by luck. Each
 * contender's number is the median over placements of its median over samples.
 */
export function stepThroughput(n: number, rule: string, make: Make, samples: number, placements: number, before?: Before, sampleMs?: number): ThroughputRow {
  const rows = Array.from({ length: placements }, (_, k) => {
    const spacer = new Float64Array(1 + 97 * k); // shifts the next arrays by a different amount each time
    const wasmSpacer = current.allocateVector(1 + 97 * k);
    const beforeSpacer = before?.lib.allocateVector(1 + 97 * k); // the same shift in the baseline's memory
    const row = onePlacement(n, rule, make, samples, before, sampleMs ?? (n >= 1e6 ? 60 : 25));
    spacer[0] = 1;
    current.releaseVector(wasmSpacer);
    if (beforeSpacer) before?.lib.releaseVector(beforeSpacer);
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
  if (rows[0].ratios) {
    result.ratios = Object.fromEntries(PAIRED.map((key) => [key, median(rows.map((r) => r.ratios![key]))]));
  }
  return result as unknown as ThroughputRow;
}

function onePlacement(n: number, rule: string, make: Make, samples: number, before: Before | undefined, sampleMs: number): ThroughputRow {
  const { allocateVector, releaseVector, setBackend } = current;
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
  // The baseline's contenders (its classes, its backend state, its own Wasm memory and vectors), each
  // timed right after the current one it compares with, on the same arrays (JS, copying) or on
  // vectors allocated at the same point of the same sequence in its memory (zero-copy).
  const b = before?.lib;
  const bPool = b?.currentRuntime()?.pool;
  const bWasmParams = b?.allocateVector(n);
  const bWasmGrad = b?.allocateVector(n);
  bWasmGrad?.set(grad);
  const bMade = (backend: "js" | "wasm", nonFinite: "throw" | "unchecked" = "throw") => {
    b!.setBackend(backend);
    const opt = before!.make({ nonFinite });
    b!.setBackend("wasm");
    return opt;
  };
  const bOneThread = () => {
    if (bPool) bPool.threshold = Infinity;
  };
  add("js", made("js", "throw"), (o) => o.step(params, grad));
  if (b) add("jsBefore", bMade("js"), (o) => o.step(params, grad));
  add("jsUnchecked", made("js", "unchecked"), (o) => o.step(params, grad));
  add("wasm", made("wasm", "throw"), (o) => (oneThread(), o.step(wasmParams, wasmGrad)));
  if (b) add("wasmBefore", bMade("wasm"), (o) => (bOneThread(), o.step(bWasmParams!, bWasmGrad!)));
  add("wasmUnchecked", made("wasm", "unchecked"), (o) => (oneThread(), o.step(wasmParams, wasmGrad)));
  if (b) add("wasmUncheckedBefore", bMade("wasm", "unchecked"), (o) => (bOneThread(), o.step(bWasmParams!, bWasmGrad!)));
  add("wasmCopy", made("wasm", "throw"), (o) => (oneThread(), o.step(params, grad)));
  if (b) add("wasmCopyBefore", bMade("wasm"), (o) => (bOneThread(), o.step(params, grad)));
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
  const timings = interleaved(contenders, samples, sampleMs);
  tf?.dispose();
  for (const opt of optimizers) opt.reset(); // gives their Wasm blocks back now, not at GC
  releaseVector(wasmParams);
  releaseVector(wasmGrad);
  if (bWasmParams) b?.releaseVector(bWasmParams);
  if (bWasmGrad) b?.releaseVector(bWasmGrad);
  if (pool) pool.threshold = current.DEFAULT_THREAD_THRESHOLD;
  if (bPool && b) bPool.threshold = b.DEFAULT_THREAD_THRESHOLD;
  const row: Record<string, unknown> = { rule, n };
  labels.forEach((label, i) => (row[label] = timings[i].median / n));
  if (b) {
    const paired = (key: string) => {
      const after = timings[labels.indexOf(key)].samples;
      const before = timings[labels.indexOf(`${key}Before`)].samples;
      const sorted = after.map((a, s) => a / before[s]).sort((x, y) => x - y);
      const mid = sorted.length >> 1;
      return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    };
    row.ratios = Object.fromEntries(PAIRED.map((key) => [key, paired(key)]));
  }
  return row as unknown as ThroughputRow;
}

