// Where the fixed cost of a step goes: the step of a cheap rule at small n, before and after (with
// --baseline <dir>), and the pieces of the argument checks alone, timed interleaved.
// node bench/run-bundled.mjs bench/step-cost.ts [--baseline <dir>] [--n 21] [--rule GradientDescent]
import { current, loadBaseline, rulesOf, type Library } from "./step-throughput.js";
import { interleaved } from "./timing.js";
import { overlap, plainFloat64 } from "../src/memory/float64-vectors.js";

const args = process.argv.slice(2);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const n = Number(value("--n") ?? 21);
const ruleName = value("--rule") ?? "GradientDescent";
const dir = value("--baseline");
const base: Library | undefined = dir ? await loadBaseline(dir) : undefined;

const rows: [string, () => void][] = [];
const REPS = 100; // calls per contender call, so that the loop's own cost is small
for (const [label, lib] of [["after", current], ["before", base]] as const) {
  if (!lib) continue;
  lib.setBackend("wasm", { threads: false });
  const make = new Map(rulesOf(lib)).get(ruleName)!;
  const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3);
  const params = new Float64Array(n);
  const wp = lib.allocateVector(n);
  const wg = lib.allocateVector(n);
  wg.set(grad);
  lib.setBackend("js");
  const js = make({ nonFinite: "throw" });
  lib.setBackend("wasm", { threads: false });
  const wasm = make({ nonFinite: "throw" });
  const copy = make({ nonFinite: "throw" });
  rows.push([`${label} JS step`, () => { for (let i = 0; i < REPS; i++) js.step(params, grad); }]);
  rows.push([`${label} Wasm step`, () => { for (let i = 0; i < REPS; i++) wasm.step(wp, wg); }]);
  rows.push([`${label} Wasm copying step`, () => { for (let i = 0; i < REPS; i++) copy.step(params, grad); }]);
  if (label === "after") {
    const rt = current.currentRuntime() as unknown as { addressOf(a: Float64Array): number; isUserRange(a: number, b: number): boolean };
    const a = rt.addressOf(wp);
    let sink = 0;
    rows.push(["plainFloat64 ×2 (plain)", () => { for (let i = 0; i < REPS; i++) sink += plainFloat64(params, "p").length + plainFloat64(grad, "g").length; }]);
    rows.push(["plainFloat64 ×2 (Wasm)", () => { for (let i = 0; i < REPS; i++) sink += plainFloat64(wp, "p").length + plainFloat64(wg, "g").length; }]);
    rows.push(["overlap (plain)", () => { for (let i = 0; i < REPS; i++) sink += overlap(params, grad).length; }]);
    rows.push(["overlap (Wasm)", () => { for (let i = 0; i < REPS; i++) sink += overlap(wp, wg).length; }]);
    rows.push(["addressOf ×2 (Wasm)", () => { for (let i = 0; i < REPS; i++) sink += rt.addressOf(wp) + rt.addressOf(wg); }]);
    rows.push(["addressOf ×2 (plain)", () => { for (let i = 0; i < REPS; i++) sink += rt.addressOf(params) + rt.addressOf(grad); }]);
    rows.push(["isUserRange ×2", () => { for (let i = 0; i < REPS; i++) sink += +rt.isUserRange(a, 8 * n) + +rt.isUserRange(a, 8 * n); }]);
    rows.push(["instanceof ×2 (the old check)", () => { for (let i = 0; i < REPS; i++) sink += +(params instanceof Float64Array) + +(grad instanceof Float64Array); }]);
    rows.push(["empty loop", () => { for (let i = 0; i < REPS; i++) sink += i; }]);
    process.on("exit", () => sink === 42 && console.log(""));
  }
}
const rounds = Number(value("--rounds") ?? 21);
const t = interleaved(rows.map(([, f]) => f), rounds, 10);
console.log(`${ruleName}, n = ${n}: ns per call (median of ${rounds} interleaved samples; min)`);
rows.forEach(([label], i) => console.log(`  ${label.padEnd(32)} ${(t[i].median / REPS).toFixed(1).padStart(8)}  ${(t[i].min / REPS).toFixed(1).padStart(8)}`));
