// npm run parity -- [--backend js|wasm] [--optimizer NAME[,NAME…]] <file.json> [...]: each case of a
// reference file through gradstep, one line per case with its largest relative errors, per step and
// over the free run; exits 1 if a case's per-step error exceeds the tolerance or the case is
// unsupported, or a closure-based case (LBFGS) counts evaluations or iterations unlike the reference.
// --optimizer keeps only the cases of those optimizers (as the file names them), e.g. LBFGS.
import { readFileSync } from "node:fs";
import { type BackendChoice, setBackend } from "gradstep";
import { type CaseResult, type ReferenceFile, runCase, runScheduleCase } from "./reference-cases.js";

const TOLERANCE = 1e-10;
const args = process.argv.slice(2);
const backendFlag = args.indexOf("--backend");
if (backendFlag >= 0) {
  const info = setBackend(args[backendFlag + 1] as BackendChoice);
  console.log(`backend: ${info.name}`);
  args.splice(backendFlag, 2);
}
const optimizerFlag = args.indexOf("--optimizer");
const only = optimizerFlag >= 0 ? new Set(args[optimizerFlag + 1]?.split(",") ?? []) : undefined;
if (optimizerFlag >= 0) args.splice(optimizerFlag, 2);
const files = args;
if (files.length === 0 || (only !== undefined && only.size === 0)) {
  console.error("usage: npm run parity -- [--backend js|wasm] [--optimizer NAME[,NAME…]] <reference.json> [more.json ...]");
  process.exit(2);
}
let failed = 0;
let amplified = 0;
let total = 0;
for (const file of files) {
  const reference = JSON.parse(readFileSync(file, "utf8")) as ReferenceFile;
  const cases = only === undefined ? reference.cases : reference.cases.filter((c) => only.has(c.optimizer));
  const schedules = only === undefined ? (reference.schedules ?? []) : [];
  const kept = only === undefined ? "" : ` (kept ${cases.length}: ${[...only].join(", ")})`;
  console.log(`${file}: ${reference.cases.length} cases${kept}, ${schedules.length} schedules (${reference.generator})`);
  const results: CaseResult[] = [...cases.map((c) => runCase(c, reference.generator)), ...schedules.map(runScheduleCase)];
  for (const result of results) {
    total++;
    let status: string;
    if (result.unsupported) {
      status = `UNSUPPORTED  ${result.unsupported}`;
    } else if (result.countMismatch) {
      status = `FAIL  counts differ at ${result.countMismatch}`;
    } else {
      const stepOk = result.perStepError <= TOLERANCE;
      const freeOk = result.maxRelativeError <= TOLERANCE;
      status = `${stepOk ? "ok  " : "FAIL"}  per step ${result.perStepError.toExponential(2)}  free run ${result.maxRelativeError.toExponential(2)}${stepOk && !freeOk ? " (loop amplifies rounding)" : ""}`;
      if (stepOk && !freeOk) amplified++;
    }
    if (!status.startsWith("ok")) failed++;
    console.log(`  ${status.padEnd(64)} ${result.label}`);
  }
}
if (amplified > 0) {
  console.log(`${amplified} closed-loop cases agree at every step but part ways over the run: their loop amplifies one-ulp`);
  console.log("differences (see scripts/reference-cases.ts); the per-step error is what measures the update rule.");
}
console.log(`${total - failed} passed, ${failed} failed (tolerance ${TOLERANCE} per step)`);
process.exit(failed === 0 ? 0 : 1);
