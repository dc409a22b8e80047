// npm run parity -- <file.json> [...]: each case of a reference file through gradstep, one line per
// case with its largest relative error; exits 1 if any case exceeds the tolerance or is unsupported.
import { readFileSync } from "node:fs";
import { type ReferenceFile, runCase } from "./reference-cases.js";

const TOLERANCE = 1e-10;
const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: npm run parity -- <reference.json> [more.json ...]");
  process.exit(2);
}
let failed = 0;
let total = 0;
for (const file of files) {
  const reference = JSON.parse(readFileSync(file, "utf8")) as ReferenceFile;
  console.log(`${file}: ${reference.cases.length} cases (${reference.generator})`);
  for (const c of reference.cases) {
    const result = runCase(c, reference.generator);
    total++;
    let status: string;
    if (result.unsupported) status = `UNSUPPORTED  ${result.unsupported}`;
    else status = `${result.maxRelativeError <= TOLERANCE ? "ok  " : "FAIL"}  max rel err ${result.maxRelativeError.toExponential(2)}`;
    if (!status.startsWith("ok")) failed++;
    console.log(`  ${status.padEnd(36)} ${result.label}`);
  }
}
console.log(`${total - failed} passed, ${failed} failed (tolerance ${TOLERANCE})`);
process.exit(failed === 0 ? 0 : 1);
