// npm run test:memory: issue 12's soak. 10^5 create/step/drop cycles of a 65,536-parameter Adam,
// without dispose(), synchronously and with the event loop turning, each in a fresh process at the
// default memory budget. Passes when the Wasm memory ends within the budget and the peak RSS stays
// under budget + 512 MiB; prints the numbers (the reliability guide quotes them).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { DEFAULT_MEMORY_BUDGET } from "../src/index.js";

const child = fileURLToPath(new URL("../test/reliability/memory-loop-child.ts", import.meta.url));
const tsx = fileURLToPath(new URL("../node_modules/tsx/dist/cli.mjs", import.meta.url));
const count = process.argv[2] ?? "100000";
let failed = false;
for (const mode of ["sync", "async"]) {
  const started = Date.now();
  const out = execFileSync(process.execPath, [tsx, child, mode, count, "65536"], { encoding: "utf8" });
  const r = JSON.parse(out) as { backend: string; memoryBytes: number; memoryUsed: number; memoryBudget: number; peakRss: number; inJs: number };
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
  const ok = r.backend === "wasm" && r.memoryBudget === DEFAULT_MEMORY_BUDGET && r.memoryBytes <= r.memoryBudget && r.peakRss < r.memoryBudget + 2 ** 29;
  failed ||= !ok;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${mode}: ${count} Adam(65,536) dropped without dispose in ${((Date.now() - started) / 1000).toFixed(0)} s; ` +
      `Wasm memory ${mib(r.memoryBytes)} (budget ${mib(r.memoryBudget)}, ${mib(r.memoryUsed)} in use at the end), peak RSS ${mib(r.peakRss)}, ` +
      `${r.inJs} optimizers kept their state in JavaScript memory`,
  );
}
process.exit(failed ? 1 : 0);
