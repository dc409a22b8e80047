// The limit column: the same rules and the same end-to-end job written in C (bench/baselines/c/),
// compiled with gcc twice — for the machine's widest vectors, and restricted to 128-bit vectors,
// the fair limit for WebAssembly's 2-lane f64 SIMD — and timed interleaved with gradstep, round by
// round. Each C job is a small executable that stays up for the whole row and times its own loop
// with clock_gettime (bench/baselines/c/harness.h), so process start-up, page faults and the pipe
// are outside the timings. Reported: medians of per-round ratios. Without gcc (or if a compilation
// fails) everything here is skipped with a one-line note: the bench never needs gcc.
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { Adam, allocateVector, backendInfo, DEFAULT_THREAD_THRESHOLD, type Optimizer, releaseVector, setBackend } from "gradstep";
import { type BatchSampler, binaryCrossEntropy, empiricalRisk, EpochSampler, logisticRegression, minimize, syntheticLogistic } from "gradstep/learn";
import { currentRuntime } from "../src/backends/backend.js";
import { callsFor } from "./timing.js";

/** The two builds of every C job. `-ffp-contract=off`: no fused multiply-add (Wasm has none, and the results stay bit for bit gradstep's); `-fno-math-errno`: sqrt vectorizes (Wasm's f64x2.sqrt sets no errno). */
export const C_FLAGS = {
  native: ["-O3", "-march=native", "-ffp-contract=off", "-fno-math-errno"],
  v128: ["-O3", "-march=native", "-mprefer-vector-width=128", "-ffp-contract=off", "-fno-math-errno"],
} as const;
type Variant = keyof typeof C_FLAGS;
const VARIANTS: Variant[] = ["native", "v128"];

/** The C step kernels: the rule (as named in the bench), its source, the bytes one step moves per parameter, and its arrays. */
const KERNELS = {
  Adam: { source: "adam", bytes: 56, arrays: 4 }, // reads θ, g, m, v; writes θ, m, v
  SGD: { source: "sgd-momentum", bytes: 40, arrays: 3 }, // reads θ, g, B; writes θ, B
} as const;
type KernelRule = keyof typeof KERNELS;
export const C_RULES = Object.keys(KERNELS) as KernelRule[];

type Make = (o: { nonFinite: "throw" | "unchecked" }) => Optimizer;
const SOURCES = fileURLToPath(new URL("./baselines/c/", import.meta.url));

/** A compiled C job: the path of each build. */
type Builds = Record<Variant, string>;

/** gcc's version line, or undefined without gcc. */
function gccVersion(): string | undefined {
  const run = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  return run.status === 0 ? run.stdout.split("\n")[0] : undefined;
}

/**
 * Compiles `source`.c with both sets of flags into a cache folder outside the repository (named by a
 * hash of the sources, the flags and gcc's version, so an unchanged job is not compiled again).
 * @returns the executables, or an error message.
 */
function build(source: string, gcc: string): Builds | string {
  const dir = join(tmpdir(), "gradstep-bench-c");
  mkdirSync(dir, { recursive: true });
  const text = readFileSync(join(SOURCES, `${source}.c`), "utf8") + readFileSync(join(SOURCES, "harness.h"), "utf8");
  const out = {} as Builds;
  for (const variant of VARIANTS) {
    const flags = [...C_FLAGS[variant], "-pthread"];
    const hash = createHash("sha256").update(`${text}\0${flags.join(" ")}\0${gcc}`).digest("hex").slice(0, 16);
    const exe = join(dir, `${source}-${variant}-${hash}`);
    if (!existsSync(exe)) {
      const run = spawnSync("gcc", [...flags, "-o", `${exe}.tmp`, join(SOURCES, `${source}.c`), "-lm"], { encoding: "utf8" });
      if (run.status !== 0) return `gcc failed on ${source}.c (${flags.join(" ")}): ${(run.stderr || run.error?.message || "").split("\n")[0]}`;
      spawnSync("mv", [`${exe}.tmp`, exe]);
    }
    out[variant] = exe;
  }
  return out;
}

/** A running C job (harness.h's line protocol): each sample runs it `reps` times, timed by itself. */
class CJob {
  private readonly lines: AsyncIterator<string>;
  private constructor(private readonly child: ChildProcessWithoutNullStreams) {
    this.lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  }

  static async start(exe: string, args: (string | number)[]): Promise<CJob> {
    const job = new CJob(spawn(exe, args.map(String)));
    job.child.stderr.on("data", (d) => process.stderr.write(`${exe}: ${d}`));
    job.child.on("error", (e) => process.stderr.write(`${exe}: ${e.message}\n`)); // its output ends, and the next read throws
    const first = await job.lines.next();
    if (first.done || first.value !== "ready") throw new Error(`${exe} did not start`);
    return job;
  }

  /** Nanoseconds per repetition, and the job's result (a parameter, a bandwidth, a loss). */
  async sample(reps: number): Promise<{ ns: number; result: number }> {
    this.child.stdin.write(`${reps}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error("a C job stopped");
    const [ns, result] = line.value.split(" ").map(Number);
    return { ns, result };
  }

  close(): void {
    this.child.stdin.end("0\n");
  }
}

/** A contender of a round: a JavaScript call, or a C job. */
type Contender = { js: () => void } | { c: CJob };

/**
 * Times each contender `samples` times, round by round (each round: every contender once, in
 * order), after a calibration and a warm-up of each; a sample lasts about `sampleMs`.
 * @returns per contender, ns per call in each round, and each C job's result in each round.
 */
async function rounds(contenders: Contender[], samples: number, sampleMs: number): Promise<{ ns: number[][]; results: number[][] }> {
  const reps: number[] = [];
  for (const x of contenders) {
    if ("js" in x) {
      const calls = callsFor(x.js, sampleMs);
      for (let i = 0; i < calls; i++) x.js(); // warm-up
      reps.push(calls);
      continue;
    }
    let r = 1;
    for (;;) {
      const { ns } = await x.c.sample(r);
      if (ns * r >= sampleMs * 2.5e5 || r >= 1 << 30) {
        r = Math.max(1, Math.round((sampleMs * 1e6) / ns));
        break;
      }
      r *= 4;
    }
    await x.c.sample(r); // warm-up
    reps.push(r);
  }
  const ns = contenders.map(() => [] as number[]);
  const results = contenders.map(() => [] as number[]);
  for (let s = 0; s < samples; s++) {
    for (const [k, x] of contenders.entries()) {
      if ("js" in x) {
        const start = process.hrtime.bigint();
        for (let i = 0; i < reps[k]; i++) x.js();
        ns[k].push(Number(process.hrtime.bigint() - start) / reps[k]);
      } else {
        const { ns: t, result } = await x.c.sample(reps[k]);
        ns[k].push(t);
        results[k].push(result);
      }
    }
  }
  return { ns, results };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
/** The median over rounds of a / b, each ratio taken within one round. */
const ratioOf = (a: number[], b: number[]) => median(a.map((x, s) => x / b[s]));

/** Bit-for-bit check of a C kernel against gradstep on a small vector: the largest |difference| of θ after the steps (0: identical). */
function check(rule: KernelRule, make: Make, exe: string): number {
  const n = 101;
  const steps = 10;
  const params = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
  const grads = Float64Array.from({ length: n * steps }, (_, k) => Math.sin(0.37 * k + 1) * 10 ** ((k % 7) - 3));
  const input = new Float64Array(n + n * steps);
  input.set(params);
  input.set(grads, n);
  const run = spawnSync(exe, ["check", String(n), String(steps)], { input: new Uint8Array(input.buffer), maxBuffer: 1 << 20 });
  if (run.status !== 0) return NaN;
  const theirs = new Float64Array(new Uint8Array(run.stdout).buffer, 0, n);
  let worst = 0;
  for (const backend of ["js", "wasm"] as const) {
    setBackend(backend);
    const opt = make({ nonFinite: "throw" });
    setBackend("wasm");
    const ours = params.slice();
    for (let s = 0; s < steps; s++) opt.step(ours, grads.subarray(s * n, (s + 1) * n));
    opt.reset();
    for (let i = 0; i < n; i++) {
      const d = Object.is(ours[i], theirs[i]) ? 0 : Math.abs(ours[i] - theirs[i]);
      worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
    }
  }
  return worst;
}

/** One row of the kernel table: medians (ns per parameter per step) and medians of per-round ratios. */
export interface CKernelRow {
  rule: string;
  n: number;
  cNative: number;
  c128: number;
  wasm: number;
  wasmUnchecked: number;
  wasmThreads?: number;
  /** gradstep Wasm (checked, one thread) ÷ C built for 128-bit vectors, and ÷ C native. */
  wasmOverC128: number;
  wasmOverCNative: number;
  uncheckedOverC128: number;
  /** Memory floor (ns per parameter): the rule's bytes per parameter ÷ the STREAM-like bandwidth, 1 and 2 threads (n ≥ 1e6). */
  floor1?: number;
  floor2?: number;
  wasmOverFloor1?: number;
  threadsOverFloor2?: number;
  /** Bandwidth measured, GB/s, 1 and 2 threads. */
  bandwidth1?: number;
  bandwidth2?: number;
}

/** The fixed cost of a step at n = 8: ns per step. */
export interface CFixedRow {
  rule: string;
  n: number;
  cNative: number;
  c128: number;
  wasm: number;
  wasmPlain: number;
  js: number;
  wasmOverC128: number;
  plainOverC128: number;
}

export interface CEndToEnd {
  epochs: number;
  cNativeMs: number;
  c128Ms: number;
  gradstepMs: number;
  /** gradstep with the batch evaluated on the JavaScript path (the objective built on the JS backend, Adam on Wasm): before the Wasm batch. */
  jsBatchMs: number;
  jsBatchOverCNative: number;
  jsBatchOverC128: number;
  shuffledMs: number;
  overCNative: number;
  overC128: number;
  shuffledOverFileOrder: number;
  /** C reading each epoch's rows in a random order (its own shuffle): what random-order reads cost at the limit. */
  cShuffledMs: number;
  cShuffledOverFileOrder: number;
  /** gradstep's shuffled run ÷ C's: both pay for random-order reads. */
  shuffledOverCShuffled: number;
  cLoss: number;
  gradstepLoss: number;
}

export interface CLimitResult {
  gcc?: string;
  note?: string;
  flags: typeof C_FLAGS;
  /** Per rule: the largest |θ difference| between C and gradstep (both backends) after 10 steps on 101 parameters; 0 = bit for bit. */
  checks: Record<string, number>;
  kernels: CKernelRow[];
  fixed: CFixedRow[];
  endToEnd?: CEndToEnd;
}

/** Batches of `batchSize` in file order (the last one of an epoch keeps the rest), for the end-to-end job. */
class FileOrderSampler implements BatchSampler {
  readonly size: number;
  readonly batchSize: number;
  private position = 0;
  epoch = 0;
  constructor(size: number, batchSize: number) {
    this.size = size;
    this.batchSize = batchSize;
  }
  next(out: Int32Array): number {
    const count = Math.min(this.batchSize, this.size - this.position);
    for (let k = 0; k < count; k++) out[k] = this.position + k;
    this.position += count;
    if (this.position === this.size) {
      this.position = 0;
      this.epoch++;
    }
    return count;
  }
  snapshot(): unknown {
    return { position: this.position, epoch: this.epoch };
  }
  checkSnapshot(): void {}
  restore(snapshot: unknown): void {
    ({ position: this.position, epoch: this.epoch } = snapshot as { position: number; epoch: number });
  }
}

export interface CLimitOptions {
  quick: boolean;
  sizes: number[];
  /** The bench's rules (filtered), by name: those with a C kernel get rows. */
  rules: [string, Make][];
  endToEnd: boolean;
  /** Rounds per placement, and the length of a sample in ms (at least one call). */
  samples: number;
  sampleMs: number;
  placements: number;
  tick: (label: string) => void;
}

/** The number of progress ticks {@link cLimit} makes. */
export function cLimitTicks(o: Pick<CLimitOptions, "sizes" | "rules" | "endToEnd">): number {
  const rules = o.rules.filter(([name]) => name in KERNELS).length;
  return rules * o.sizes.length + rules + (o.endToEnd ? 1 : 0);
}

/** Compiles and runs the C baselines beside gradstep; a note instead when gcc is missing or fails. */
export async function cLimit(o: CLimitOptions): Promise<CLimitResult> {
  const result: CLimitResult = { flags: C_FLAGS, checks: {}, kernels: [], fixed: [] };
  const skip = (note: string) => {
    for (let k = 0; k < cLimitTicks(o); k++) o.tick("C limit skipped");
    return { ...result, note };
  };
  const gcc = gccVersion();
  if (!gcc) return skip("C limit skipped: no gcc on this machine");
  result.gcc = gcc;
  const builds: Record<string, Builds> = {};
  for (const source of [...Object.values(KERNELS).map((k) => k.source), "stream", "logistic-adam"]) {
    const b = build(source, gcc);
    if (typeof b === "string") return skip(`C limit skipped: ${b}`);
    builds[source] = b;
  }
  try {
    const rules = o.rules.filter(([name]) => name in KERNELS) as [KernelRule, Make][];
    for (const [rule, make] of rules) {
      result.checks[rule] = Math.max(check(rule, make, builds[KERNELS[rule].source].native), check(rule, make, builds[KERNELS[rule].source].v128));
    }
    for (const n of o.sizes) {
      for (const [rule, make] of rules) {
        result.kernels.push(await kernelRow(rule, make, n, builds, o));
        o.tick(`C ${rule} n=${n.toExponential(0)}`);
      }
    }
    for (const [rule] of rules) {
      result.fixed.push(await fixedRowApart(rule, builds[KERNELS[rule].source], o));
      o.tick(`C fixed cost ${rule}`);
    }
    if (o.endToEnd) {
      result.endToEnd = await endToEndRow(builds["logistic-adam"], o);
      o.tick("C end to end");
    }
  } catch (e) {
    return { ...result, note: `C limit stopped: ${(e as Error).message}` };
  }
  return result;
}

async function kernelRow(rule: KernelRule, make: Make, n: number, builds: Record<string, Builds>, o: CLimitOptions): Promise<CKernelRow> {
  const kernel = KERNELS[rule];
  const c = { native: await CJob.start(builds[kernel.source].native, ["time", n]), v128: await CJob.start(builds[kernel.source].v128, ["time", n]) };
  // The STREAM-like arrays hold as many bytes as the rule's, so both meet the same caches.
  const streamN = Math.round((kernel.arrays * n) / 3);
  const stream = n >= 1e6 ? [await CJob.start(builds.stream.native, [streamN, 1]), await CJob.start(builds.stream.native, [streamN, 2])] : [];
  const pool = currentRuntime()?.pool;
  const made = (nonFinite: "throw" | "unchecked") => {
    setBackend("wasm");
    return make({ nonFinite });
  };
  const perPlacement: Record<string, number>[] = [];
  try {
    for (let k = 0; k < o.placements; k++) {
      const spacer = allocateVector(1 + 97 * k); // a different placement of the arrays each time (4K aliasing)
      const params = allocateVector(n);
      const grad = allocateVector(n);
      for (let i = 0; i < n; i++) grad[i] = Math.sin(i) * 1e-3;
      const checked = made("throw");
      const unchecked = made("unchecked");
      const threaded = pool && n >= 1e4 ? made("throw") : undefined;
      const one = (opt: Optimizer) => () => {
        if (pool) pool.threshold = Infinity;
        opt.step(params, grad);
      };
      const contenders: Contender[] = [{ c: c.native }, { c: c.v128 }, { js: one(checked) }, { js: one(unchecked) }];
      if (threaded) {
        contenders.push({
          js: () => {
            pool!.threshold = 1;
            threaded.step(params, grad);
          },
        });
      }
      for (const s of stream) contenders.push({ c: s });
      const { ns, results } = await rounds(contenders, o.samples, o.sampleMs);
      if (pool) pool.threshold = Infinity;
      for (const opt of [checked, unchecked, threaded]) opt?.reset();
      releaseVector(params);
      releaseVector(grad);
      releaseVector(spacer);
      const at = (i: number) => ns[i].map((t) => t / n);
      const row: Record<string, number> = {
        cNative: median(at(0)),
        c128: median(at(1)),
        wasm: median(at(2)),
        wasmUnchecked: median(at(3)),
        wasmOverC128: ratioOf(at(2), at(1)),
        wasmOverCNative: ratioOf(at(2), at(0)),
        uncheckedOverC128: ratioOf(at(3), at(1)),
      };
      const threads = threaded ? 4 : -1;
      if (threaded) row.wasmThreads = median(at(4));
      if (stream.length) {
        const first = threaded ? 5 : 4;
        const floors = [0, 1].map((t) => results[first + t].map((bw) => kernel.bytes / bw)); // ns per parameter, per round
        row.bandwidth1 = median(results[first]);
        row.bandwidth2 = median(results[first + 1]);
        row.floor1 = median(floors[0]);
        row.floor2 = median(floors[1]);
        row.wasmOverFloor1 = ratioOf(at(2), floors[0]);
        if (threaded) row.threadsOverFloor2 = ratioOf(at(threads), floors[1]);
      }
      perPlacement.push(row);
    }
  } finally {
    if (pool) pool.threshold = DEFAULT_THREAD_THRESHOLD;
    c.native.close();
    c.v128.close();
    for (const s of stream) s.close();
  }
  const out: Record<string, unknown> = { rule, n };
  for (const key of Object.keys(perPlacement[0])) out[key] = median(perPlacement.map((r) => r[key]));
  return out as unknown as CKernelRow;
}

const FIXED_COST_CHILD = "--c-limit-fixed-cost";

/**
 * The fixed-cost row in a fresh Node process (this file, run by the same loader): there the step's
 * call sites have seen one rule and no other path, as in a user's program; in the bench's process,
 * after every rule on every path, they are megamorphic and the fixed cost reads higher.
 */
async function fixedRowApart(rule: KernelRule, exe: Builds, o: Pick<CLimitOptions, "samples" | "sampleMs">): Promise<CFixedRow> {
  const args = [...process.execArgv, fileURLToPath(import.meta.url), FIXED_COST_CHILD, JSON.stringify({ rule, exe, samples: o.samples, sampleMs: o.sampleMs })];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  child.stdout.on("data", (d) => (out += d));
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (status !== 0) throw new Error(`the fixed-cost run of ${rule} failed (status ${status})`);
  return JSON.parse(out) as CFixedRow;
}

if (process.argv[2] === FIXED_COST_CHILD) {
  const { rule, exe, samples, sampleMs } = JSON.parse(process.argv[3]) as { rule: KernelRule; exe: Builds; samples: number; sampleMs: number };
  const { rulesOf, current } = await import("./step-throughput.js");
  const make = new Map(rulesOf(current)).get(rule)!;
  setBackend("wasm", { threads: false });
  process.stdout.write(JSON.stringify(await fixedRow(rule, make, exe, { samples, sampleMs })));
  process.exit(0);
}

async function fixedRow(rule: KernelRule, make: Make, exe: Builds, o: Pick<CLimitOptions, "samples" | "sampleMs">): Promise<CFixedRow> {
  const n = 8;
  const c = { native: await CJob.start(exe.native, ["time", n]), v128: await CJob.start(exe.v128, ["time", n]) };
  const pool = currentRuntime()?.pool;
  if (pool) pool.threshold = Infinity;
  try {
    const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3);
    const params = new Float64Array(n);
    setBackend("js");
    const js = make({ nonFinite: "throw" });
    setBackend("wasm", { threads: false }); // as bench/step-cost.ts: one thread, and the vectors allocated after the last switch
    const wasmParams = allocateVector(n);
    const wasmGrad = allocateVector(n);
    wasmGrad.set(grad);
    const zeroCopy = make({ nonFinite: "throw" });
    const plain = make({ nonFinite: "throw" });
    const jsParams = new Float64Array(n);
    const steps = [() => zeroCopy.step(wasmParams, wasmGrad), () => plain.step(params, grad), () => js.step(jsParams, grad)];
    // A fresh process: tens of thousands of steps before the JIT has compiled every path (a first
    // sample of 5 ms is not enough, and the zero-copy step read 10–30× slower without this).
    for (const step of steps) for (let i = 0; i < 100_000; i++) step();
    const { ns } = await rounds(
      [{ c: c.native }, { c: c.v128 }, ...steps.map((js) => ({ js }))],
      o.samples,
      o.sampleMs,
    );
    for (const opt of [js, zeroCopy, plain]) opt.reset();
    releaseVector(wasmParams);
    releaseVector(wasmGrad);
    return {
      rule,
      n,
      cNative: median(ns[0]),
      c128: median(ns[1]),
      wasm: median(ns[2]),
      wasmPlain: median(ns[3]),
      js: median(ns[4]),
      wasmOverC128: ratioOf(ns[2], ns[1]),
      plainOverC128: ratioOf(ns[3], ns[1]),
    };
  } finally {
    if (pool) pool.threshold = DEFAULT_THREAD_THRESHOLD;
    c.native.close();
    c.v128.close();
  }
}

async function endToEndRow(exe: Builds, o: CLimitOptions): Promise<CEndToEnd> {
  const N = 100_000;
  const D = 20;
  const BATCH = 64;
  const epochs = o.quick ? 1 : 5;
  const data = syntheticLogistic({ size: N, features: D, seed: 2026 }); // as bench/end-to-end.ts
  const X = data.X.data as Float64Array;
  const y = data.y.data as Float64Array;
  const dir = mkdtempSync(join(tmpdir(), "gradstep-c-e2e-"));
  try {
    writeFileSync(join(dir, "X.f64"), new Uint8Array(X.buffer, X.byteOffset, X.byteLength));
    writeFileSync(join(dir, "y.f64"), new Uint8Array(y.buffer, y.byteOffset, y.byteLength));
    const c = {
      native: await CJob.start(exe.native, [dir, N, D, epochs]),
      v128: await CJob.start(exe.v128, [dir, N, D, epochs]),
      shuffled: await CJob.start(exe.native, [dir, N, D, epochs, "shuffled"]),
    };
    const objective = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
    // The same objective on the JavaScript path (an objective keeps the backend it was built on): the "before" row.
    const before = backendInfo().choice;
    setBackend("js");
    const jsObjective = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
    setBackend(before);
    let gradstepLoss = NaN;
    let jsBatchLoss = NaN;
    const run = (sampler: BatchSampler) => () => {
      gradstepLoss = minimize({ objective, optimizer: new Adam({ lr: 0.01 }), params: new Float64Array(D + 1), sampler, epochs }).loss;
    };
    const fileOrder = () => run(new FileOrderSampler(N, BATCH))();
    const shuffled = () => run(new EpochSampler({ size: N, batchSize: BATCH, seed: 2026 }))();
    const jsBatch = () => {
      jsBatchLoss = minimize({ objective: jsObjective, optimizer: new Adam({ lr: 0.01 }), params: new Float64Array(D + 1), sampler: new FileOrderSampler(N, BATCH), epochs }).loss;
    };
    try {
      // One run per sample (a run is 10–300 ms): calibration asks for one.
      const { ns, results } = await rounds([{ c: c.native }, { c: c.v128 }, { js: shuffled }, { js: jsBatch }, { js: fileOrder }, { c: c.shuffled }], o.quick ? 3 : 5, 1e-6);
      if (!Object.is(jsBatchLoss, gradstepLoss)) throw new Error(`end to end: the Wasm batch's final loss ${gradstepLoss} is not the JavaScript path's ${jsBatchLoss}`);
      return {
        epochs,
        cNativeMs: median(ns[0]) / 1e6,
        c128Ms: median(ns[1]) / 1e6,
        shuffledMs: median(ns[2]) / 1e6,
        jsBatchMs: median(ns[3]) / 1e6,
        jsBatchOverCNative: ratioOf(ns[3], ns[0]),
        jsBatchOverC128: ratioOf(ns[3], ns[1]),
        gradstepMs: median(ns[4]) / 1e6,
        overCNative: ratioOf(ns[4], ns[0]),
        overC128: ratioOf(ns[4], ns[1]),
        shuffledOverFileOrder: ratioOf(ns[2], ns[4]),
        cShuffledMs: median(ns[5]) / 1e6,
        cShuffledOverFileOrder: ratioOf(ns[5], ns[0]),
        shuffledOverCShuffled: ratioOf(ns[2], ns[5]),
        cLoss: results[0][results[0].length - 1],
        gradstepLoss, // the last contender of the last round: file order
      };
    } finally {
      c.native.close();
      c.v128.close();
      c.shuffled.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (x: number | undefined, digits = 3) => (x === undefined ? "—" : x.toFixed(digits));
const exp = (n: number) => (n < 1e3 ? String(n) : n.toExponential(0));

/** The report: text lines for the terminal, and Markdown. */
export function cLimitReport(r: CLimitResult): { text: string[]; md: string[] } {
  if (r.note && r.kernels.length === 0 && !r.endToEnd) return { text: [`   ${r.note}`], md: [r.note] };
  const text: string[] = [];
  const md: string[] = [];
  const both = (line: string) => (text.push(`   ${line}`), md.push(line));
  both(`C: ${r.gcc}; "C" = gcc ${r.flags.native.join(" ")}, "C-128" = gcc ${r.flags.v128.join(" ")}.`);
  both(
    `Same results: ${Object.entries(r.checks)
      .map(([rule, d]) => `${rule} ${d === 0 ? "bit for bit" : `max |Δθ| ${d.toExponential(1)}`}`)
      .join(", ")} (C against gradstep's JS and Wasm steps, 10 steps on 101 parameters).`,
  );
  if (r.note) both(r.note);
  const table = (header: string[], rows: string[][]) => {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
    text.push("", ...[header, ...rows].map((cells) => `   ${cells.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join("  ")}`));
    md.push("", `| ${header.join(" | ")} |`, `| ${header.map(() => "---").join(" | ")} |`, ...rows.map((row) => `| ${row.join(" | ")} |`));
  };
  if (r.kernels.length) {
    table(
      ["optimizer", "n", "C", "C-128", "Wasm", "Wasm unchecked", "Wasm 2 threads", "floor 1 thread", "floor 2 threads", "Wasm/C-128", "Wasm/C", "unchecked/C-128", "Wasm/floor", "2 threads/floor"],
      r.kernels.map((k) => [
        k.rule,
        exp(k.n),
        fmt(k.cNative),
        fmt(k.c128),
        fmt(k.wasm),
        fmt(k.wasmUnchecked),
        fmt(k.wasmThreads),
        fmt(k.floor1),
        fmt(k.floor2),
        fmt(k.wasmOverC128, 2),
        fmt(k.wasmOverCNative, 2),
        fmt(k.uncheckedOverC128, 2),
        fmt(k.wasmOverFloor1, 2),
        fmt(k.threadsOverFloor2, 2),
      ]),
    );
    const bw = r.kernels.filter((k) => k.bandwidth1 !== undefined);
    if (bw.length) {
      text.push("");
      md.push("");
      both(`Bandwidth (best of STREAM-like copy, triad, in-place update; arrays as large as the rule's), GB/s: ${bw.map((k) => `${k.rule} n = ${exp(k.n)}: ${fmt(k.bandwidth1, 1)} (1 thread), ${fmt(k.bandwidth2, 1)} (2 threads)`).join("; ")}.`);
    }
  }
  if (r.fixed.length) {
    table(
      ["fixed cost, n = 8", "C", "C-128", "Wasm zero-copy", "Wasm plain arrays", "JS backend", "zero-copy/C-128", "plain/C-128"],
      r.fixed.map((f) => [f.rule, fmt(f.cNative, 0), fmt(f.c128, 0), fmt(f.wasm, 0), fmt(f.wasmPlain, 0), fmt(f.js, 0), fmt(f.wasmOverC128, 2), fmt(f.plainOverC128, 2)]),
    );
  }
  const e = r.endToEnd;
  if (e) {
    table(
      [`end to end (${e.epochs} epoch${e.epochs > 1 ? "s" : ""}, file order)`, "ms", "final loss", "gradstep ÷", "before (JS batch) ÷"],
      [
        ["C", fmt(e.cNativeMs, 1), e.cLoss.toPrecision(12), fmt(e.overCNative, 2), fmt(e.jsBatchOverCNative, 2)],
        ["C-128", fmt(e.c128Ms, 1), e.cLoss.toPrecision(12), fmt(e.overC128, 2), fmt(e.jsBatchOverC128, 2)],
        ["gradstep (minimize)", fmt(e.gradstepMs, 1), e.gradstepLoss.toPrecision(12), "", ""],
        ["gradstep, batch on the JS path (before)", fmt(e.jsBatchMs, 1), e.gradstepLoss.toPrecision(12), "", ""],
        ["gradstep, shuffled EpochSampler", fmt(e.shuffledMs, 1), "", `${fmt(e.shuffledOverFileOrder, 2)} × file order`, ""],
        ["C, shuffled (random row order)", fmt(e.cShuffledMs, 1), "", `C: ${fmt(e.cShuffledOverFileOrder, 2)} × file order; gradstep shuffled ÷ ${fmt(e.shuffledOverCShuffled, 2)}`, ""],
      ],
    );
    text.push("");
    md.push("");
    const agree = Math.abs(e.cLoss - e.gradstepLoss) <= 1e-12 * Math.abs(e.gradstepLoss);
    both(`Final loss, C − gradstep: ${(e.cLoss - e.gradstepLoss).toExponential(2)}${agree ? " (the same job)" : " — they DISAGREE: the two did not do the same work"}.`);
  }
  return { text, md };
}
