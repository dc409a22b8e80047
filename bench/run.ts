// npm run bench [-- --quick] [--filter <regex>] [--json <file>] [--md <file>] [--svg <file>] [--baseline <dir>] [--no-c] [--c]
//
// Where gcc exists, the C baselines (bench/baselines/c/, run by bench/c-limit.ts) give the limit
// column: gradstep ÷ C for Adam and SGD with momentum, the memory floor, the fixed cost at n = 8, and
// the end-to-end job. --no-c skips them; with --baseline they are skipped unless --c.
//
// --baseline <dir>: before/after columns in one run. <dir> is another checkout of gradstep (e.g. a
// git worktree of the commit before a change, with node_modules); its src/index.ts is imported
// through tsx, with its own backend state, Wasm memory and worker. In the step-throughput part each
// rule is then also timed with the baseline's classes, interleaved sample by sample with the
// current ones (JS on the same arrays; Wasm zero-copy on vectors from the baseline's own
// allocateVector, allocated in the same sequence; Wasm copying on the same plain arrays; one thread
// each), and a second table gives before, after and after/before for each. n = 21 (a fixed cost
// dominates) is added to the sizes, and each row takes 31 samples of about 5 ms (--samples <k>,
// --sample-ms <ms>) instead of 5–7 of 25–60 ms.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { cpus } from "node:os";
import { tfjsReady } from "./baselines/tfjs.js";
import { convergence, convergenceChart, type ConvergenceRow, convergenceTable } from "./convergence.js";
import { C_RULES, cLimit, type CLimitResult, cLimitReport, cLimitTicks } from "./c-limit.js";
import { endToEnd, type EndToEndResult } from "./end-to-end.js";
import type { PyTorchResult } from "./pytorch.js";
import { progress } from "./progress.js";
import { shuffleCost, type ShuffleRow, shuffleTable } from "./shuffle.js";
import { type SolverRow, solvers, solverTable } from "./solvers.js";
import { realData, realDataCharts, type RealDataRow, realDataTables, realDataTicks } from "./real-data.js";
import { treeCost, type TreeCostRow, treeCostTable } from "./tree-cost.js";
import { backendInfo, DEFAULT_THREAD_THRESHOLD } from "gradstep";
import {
  benchRules,
  type Library,
  loadBaseline,
  rulesOf,
  startWorker,
  stepThroughput,
  type ThroughputRow,
} from "./step-throughput.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag("--quick");
const baselineDir = value("--baseline");
const filter = new RegExp(value("--filter") ?? ".", "i");
const sizes = [...(baselineDir ? [21] : []), ...(quick ? [1e3, 1e5] : [1e3, 1e4, 1e5, 1e6, 1e7])];
// With a baseline, more and shorter samples: its ratios are read for a few percent, and on a shared
// machine a short sample is more often left alone by the scheduler (and its pair with it).
const defaultSamples = quick ? 5 : 7;
const samples = Number(value("--samples") ?? (baselineDir ? 31 : defaultSamples));
const sampleMs = value("--sample-ms") !== undefined ? Number(value("--sample-ms")) : baselineDir ? 5 : undefined;
const placements = quick ? 1 : 3;
const rules = benchRules.filter(([name]) => filter.test(name));

await tfjsReady();
const baseline: Library | undefined = baselineDir ? await loadBaseline(baselineDir) : undefined;
const baselineRules = baseline ? new Map(rulesOf(baseline)) : undefined;
const baselineWorker = baseline ? await startWorker(baseline) : false; // as for the current one: both kept to one thread
const workerReady = await startWorker();
const info = backendInfo();
const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}; gradstep backend: ${info.name}${info.sharedMemory ? ", shared memory" : ""}${workerReady ? ", worker thread ready" : ", no worker thread"}`;
console.log(`gradstep bench — ${machine}${quick ? " (--quick)" : ""}`);
if (baseline) console.log(`baseline (before): ${baselineDir}, backend ${baseline.backendInfo().name}${baselineWorker ? ", worker thread ready" : ""}`);
console.log("");

const fmt = (x: number | undefined, digits = 3) => (x === undefined ? "—" : x.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? "—" : (a / b).toFixed(2));

// 1. Step throughput
const runSuite = !value("--filter") || filter.test("convergence");
const runEndToEnd = !value("--filter") || filter.test("end-to-end");
const runTrees = !value("--filter") || filter.test("tree");
const runRealData = !value("--filter") || filter.test("real-data");
const runC = !flag("--no-c") && (!baselineDir || flag("--c")) && (runEndToEnd || rules.some(([name]) => (C_RULES as string[]).includes(name)));
// Many short samples: on a shared machine a short sample is more often left alone by the scheduler, and its pair with it.
const cOptions = { quick, sizes: sizes.filter((n) => n >= 1e3), rules, endToEnd: runEndToEnd, samples: Number(value("--samples") ?? (quick ? 9 : 21)), sampleMs: Number(value("--sample-ms") ?? 5), placements: quick ? 1 : 3 };
const bar = progress(sizes.length * rules.length + (runSuite ? 85 : 0) + (runEndToEnd ? 1 : 0) + (runTrees ? 1 : 0) + (runRealData ? realDataTicks() : 0) + (runC ? cLimitTicks(cOptions) : 0));
const rows: ThroughputRow[] = [];
for (const n of sizes) {
  for (const [rule, make] of rules) {
    const beforeMake = baselineRules?.get(rule);
    rows.push(stepThroughput(n, rule, make, samples, placements, baseline && beforeMake ? { lib: baseline, make: beforeMake } : undefined, sampleMs));
    bar.tick(`${rule} n=${n.toExponential(0)}`);
  }
}
const suite: ConvergenceRow[] | undefined = runSuite ? convergence(quick, (label) => bar.tick(label)) : undefined;
const solverRun: { rows: SolverRow[]; scipyVersion?: string; note: string } | undefined = runSuite ? solvers(quick, (label) => bar.tick(label)) : undefined;
let e2e: EndToEndResult[] | undefined;
let shuffle: ShuffleRow[] | undefined;
let torch: PyTorchResult | undefined;
let torchNote = "";
if (runEndToEnd) {
  const run = await endToEnd(quick, baselineDir ? sizes.filter((n) => n >= 1e3) : sizes, defaultSamples);
  e2e = run.results;
  torch = run.pytorch;
  torchNote = run.pytorchNote;
  shuffle = shuffleCost(quick);
  bar.tick("end to end");
}
const cResult: CLimitResult | undefined = runC ? await cLimit({ ...cOptions, tick: (label) => bar.tick(label) }) : undefined;
let trees: TreeCostRow[] | undefined;
if (runTrees) {
  trees = treeCost(quick);
  bar.tick("trees");
}
const realRows: RealDataRow[] | undefined = runRealData ? realData(quick, (label) => bar.tick(label)) : undefined;
bar.done();

/** gradstep's default step: Wasm SIMD, zero-copy, the worker joining from the default threshold on. */
const best = (r: ThroughputRow) => (r.wasmThreads !== undefined && r.n >= DEFAULT_THREAD_THRESHOLD ? r.wasmThreads : r.wasm);
const header = [
  "optimizer",
  "n",
  "JS",
  "Wasm",
  "Wasm unchecked",
  "Wasm copying",
  "Wasm 2 threads",
  "inline loop",
  "ndarray-ops",
  "TF.js (f32)",
  "JS/inline",
  "Wasm/inline",
  "copying/inline",
  "2 threads/inline",
  "TF.js/gradstep (1 thread)",
];
const table = rows.map((r) => [
  r.rule,
  r.n.toExponential(0),
  fmt(r.js),
  fmt(r.wasm),
  fmt(r.wasmUnchecked),
  fmt(r.wasmCopy),
  fmt(r.wasmThreads),
  fmt(r.inline),
  fmt(r.ndarrayOps),
  fmt(r.tfjs, 1),
  ratio(r.js, r.inline),
  ratio(r.wasm, r.inline),
  ratio(r.wasmCopy, r.inline),
  ratio(r.wasmThreads, r.inline),
  r.tfjs === undefined ? "—" : `${(r.tfjs / r.wasm).toFixed(0)}×`, // TF.js's CPU backend runs on one thread: so does gradstep here
]);
/** Before/after columns (with --baseline): for each path, before, after, and after/before. */
const PATHS = [
  ["JS", "jsBefore", "js"],
  ["Wasm", "wasmBefore", "wasm"],
  ["Wasm unchecked", "wasmUncheckedBefore", "wasmUnchecked"],
  ["Wasm copying", "wasmCopyBefore", "wasmCopy"],
] as const;
const baselineHeader = ["optimizer", "n", ...PATHS.flatMap(([name]) => [`${name} before`, `${name} after`, "after/before"])];
const baselineTable = rows
  .filter((r) => r.jsBefore !== undefined)
  .map((r) => [r.rule, r.n < 1e3 ? String(r.n) : r.n.toExponential(0), ...PATHS.flatMap(([, b, a]) => [fmt(r[b]), fmt(r[a]), fmt(r.ratios?.[a], 2)])]);
if (rows.length > 0) {
console.log("1. Step throughput: ns per parameter per step (median); ratios measured in the same process, interleaved.");
console.log("   JS = the JavaScript kernels; Wasm = SIMD on vectors from allocateVector (zero-copy), one thread; copying = SIMD on");
console.log("   plain Float64Arrays; 2 threads = zero-copy with the worker. All with the non-finite check on (the default),");
console.log("   except \"unchecked\" (nonFinite: \"unchecked\"). TF.js/gradstep: TF.js's CPU backend (one thread) against Wasm, one thread.\n");
const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i].length)));
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
console.log(line(header));
for (const r of table) console.log(line(r));
// (no allocation per step is proven by the tests, which count collections: test/no-allocation.ts, test/review/bundle-allocation.test.ts)
}
if (baselineTable.length > 0) {
  console.log(`\n1b. Before/after: ns per parameter per step (median), the baseline (${baselineDir}) against this checkout, timed`);
  console.log("   interleaved in the same rows as above, one thread, check on (\"unchecked\": nonFinite: \"unchecked\"). after/before: the median over\n   sampling rounds of the ratio of the two samples of a round (timed back to back); > 1: slower now.\n");
  const widths = baselineHeader.map((h, i) => Math.max(h.length, ...baselineTable.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(baselineHeader));
  for (const r of baselineTable) console.log(line(r));
}
if (torch) {
  console.log(`\n   PyTorch ${torch.torch} torch.optim.Adam (float64, 1 thread, timed in its own process after gradstep), ns per parameter per step, and gradstep's Adam`);
  console.log("   as a ratio: one thread each, then gradstep's default step (two threads from the threshold on, the worker kept awake by back-to-back steps):");
  for (const n of sizes) {
    const ours = rows.find((r) => r.rule === "Adam" && r.n === n);
    const theirs = torch.adam[String(n)];
    if (ours && theirs !== undefined) {
      console.log(`   n = ${n.toExponential(0)}: PyTorch ${theirs.toFixed(3)}, gradstep one thread ${ours.wasm.toFixed(3)} (${(ours.wasm / theirs).toFixed(2)}×), default step ${(best(ours) / theirs).toFixed(2)}×, JS backend ${(ours.js / theirs).toFixed(2)}×`);
    }
  }
} else if (torchNote) {
  console.log(`\n   ${torchNote}`);
}
if (trees) {
  console.log("");
  for (const l of treeCostTable(trees)) console.log(l);
}
if (suite) {
  console.log("\n2. Convergence: each optimizer with its once-tuned learning rate (bench/convergence-rates.ts)" + (quick ? " (--quick: 20k logistic examples)" : ""));
  for (const l of convergenceTable(suite)) console.log(l);
  const chart = value("--svg") ?? ".bench-results/convergence.svg";
  mkdirSync(dirname(chart), { recursive: true });
  writeFileSync(chart, convergenceChart(suite, machine.split(";")[0], solverRun?.rows));
  console.log(`   Chart of loss against step (solvers: against evaluation): ${chart}`);
}
if (solverRun) {
  console.log(`\n2b. Solvers (solve, default tolerances: ‖∇f‖∞ ≤ 1e-5) beside scipy ${solverRun.scipyVersion ?? ""} on the same objectives, full data: evaluations of f and ∇f`);
  if (solverRun.note) console.log(`   ${solverRun.note}`);
  for (const l of solverTable(solverRun.rows)) console.log(`   ${l}`);
}
if (e2e) {
  console.log("\n3. End to end: logistic regression, 100,000 × 20, batch 64, Adam (lr 0.01), 5 epochs" + (quick ? " (--quick: 1 epoch)" : ""));
  for (const r of e2e) console.log(`   ${r.name.padEnd(34)} ${r.seconds.toFixed(2).padStart(7)} s   final loss ${r.loss.toPrecision(8)}   ${r.note ?? ""}`);
  const base = e2e.find((r) => r.name.startsWith("hand-written"));
  const ours = e2e.find((r) => r.name.startsWith("gradstep"));
  if (base && ours) console.log(`   gradstep / hand-written loop: ${(ours.seconds / base.seconds).toFixed(2)}`);
  if (shuffle) for (const line of shuffleTable(shuffle)) console.log(line);
}
const cReport = cResult ? cLimitReport(cResult) : undefined;
if (cReport) {
  console.log("\n4. The limit: C, timed interleaved with gradstep round by round (each C job times its own loop); ns per parameter per");
  console.log("   step (median), ratios = medians of per-round ratios. Wasm = zero-copy, one thread, check on. Memory floor = the rule's");
  console.log("   bytes per parameter (Adam 56, SGD with momentum 40) ÷ a STREAM-like bandwidth measured in the same rounds.");
  for (const l of cReport.text) console.log(l);
}
if (realRows) {
  console.log("\n5. Real data (bench/data, UCI): every optimizer's lr tuned on one grid by the validation loss, then several seeds; final epoch");
  for (const l of realDataTables(realRows)) console.log(`   ${l}`);
  const folder = dirname(value("--svg") ?? ".bench-results/convergence.svg");
  mkdirSync(folder, { recursive: true });
  for (const [name, svg] of realDataCharts(realRows)) writeFileSync(`${folder}/real-data-${name}.svg`, svg);
  console.log(`   Charts (median training loss and test accuracy against the epoch): ${folder}/real-data-*.svg`);
}

const report = { machine, quick, baseline: baselineDir, rows, convergence: suite?.map(({ curve: _, ...row }) => row), solvers: solverRun && { ...solverRun, rows: solverRun.rows.map((r) => ({ ...r, gradstep: { ...r.gradstep, losses: undefined }, scipy: r.scipy && { ...r.scipy, losses: undefined } })) }, endToEnd: e2e, shuffle, pytorch: torch ?? torchNote, cLimit: cResult, trees, realData: realRows };
const jsonFile = value("--json");
if (jsonFile) writeFileSync(jsonFile, JSON.stringify(report, null, 2));
const mdFile = value("--md");
if (mdFile) {
  const md = [
    `Machine: ${machine}${quick ? " (--quick)" : ""}`,
    "",
    `| ${header.join(" | ")} |`,
    `| ${header.map(() => "---").join(" | ")} |`,
    ...table.map((r) => `| ${r.join(" | ")} |`),
  ];
  if (baselineTable.length > 0) {
    md.push("", `Before (${baselineDir}) and after, ns per parameter per step, interleaved in one run:`, "");
    md.push(`| ${baselineHeader.join(" | ")} |`, `| ${baselineHeader.map(() => "---").join(" | ")} |`, ...baselineTable.map((r) => `| ${r.join(" | ")} |`));
  }
  if (torch) {
    md.push("", `| n | PyTorch ${torch.torch} Adam (f64, 1 thread) | gradstep Adam (default) | gradstep / PyTorch | one thread / PyTorch | JS backend / PyTorch |`, "| --- | --- | --- | --- | --- | --- |");
    for (const n of sizes) {
      const ours = rows.find((r) => r.rule === "Adam" && r.n === n);
      const theirs = torch.adam[String(n)];
      if (ours && theirs !== undefined) {
        md.push(`| ${n.toExponential(0)} | ${theirs.toFixed(3)} | ${best(ours).toFixed(3)} | ${(best(ours) / theirs).toFixed(2)} | ${(ours.wasm / theirs).toFixed(2)} | ${(ours.js / theirs).toFixed(2)} |`);
      }
    }
  }
  if (suite) {
    md.push("", "| problem | optimizer | lr | steps to target | ms to target | final loss | diverged |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const r of suite) md.push(`| ${r.problem} | ${r.optimizer} | ${r.lr} | ${r.stepsToTarget ?? "—"} | ${r.secondsToTarget === null ? "—" : (r.secondsToTarget * 1000).toFixed(1)} | ${r.finalLoss.toExponential(3)} | ${r.diverged ? "yes" : ""} |`);
  }
  if (solverRun) md.push("", `Solvers beside scipy ${solverRun.scipyVersion ?? "(not found)"}:`, "", ...solverTable(solverRun.rows));
  if (e2e) {
    md.push("", "| end to end | seconds | final loss | |", "| --- | --- | --- | --- |", ...e2e.map((r) => `| ${r.name} | ${r.seconds.toFixed(2)} | ${r.loss.toPrecision(8)} | ${r.note ?? ""} |`));
  }
  if (cReport) md.push("", ...cReport.md);
  if (trees) md.push("", ...treeCostTable(trees));
  if (realRows) md.push("", ...realDataTables(realRows));
  writeFileSync(mdFile, `${md.join("\n")}\n`);
}
