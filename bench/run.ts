// npm run bench [-- --quick] [--filter <regex>] [--json <file>] [--md <file>]
import { writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { stepThroughput, type ThroughputRow } from "./step-throughput.js";

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const quick = flag("--quick");
const filter = new RegExp(value("--filter") ?? ".", "i");
const sizes = quick ? [1e3, 1e5] : [1e3, 1e4, 1e5, 1e6, 1e7];
const samples = quick ? 5 : 11;

const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}`;
console.log(`gradstep bench — ${machine}`);
console.log("Step throughput, ns per parameter per step (median); ratios against the inline fused loop, same process, interleaved.\n");
const header = ["rule", "n", "checked", "unchecked", "inline loop", "checked/inline", "unchecked/inline", "check cost"];
console.log(header.join("\t"));

const rows: ThroughputRow[] = [];
stepThroughput(sizes, samples, filter, (row) => {
  rows.push(row);
  console.log(
    [
      row.rule,
      row.n.toExponential(0),
      row.checked.toFixed(3),
      row.unchecked.toFixed(3),
      row.inline.toFixed(3),
      (row.checked / row.inline).toFixed(2),
      (row.unchecked / row.inline).toFixed(2),
      `${(((row.checked - row.unchecked) / row.unchecked) * 100).toFixed(0)}%`,
    ].join("\t"),
  );
});

const jsonFile = value("--json");
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine, rows }, null, 2));
const mdFile = value("--md");
if (mdFile) {
  const lines = [
    `Machine: ${machine}`,
    "",
    "| rule | n | checked ns/param | unchecked ns/param | inline loop ns/param | checked / inline | check cost |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows.map(
      (r) =>
        `| ${r.rule} | ${r.n.toExponential(0)} | ${r.checked.toFixed(3)} | ${r.unchecked.toFixed(3)} | ${r.inline.toFixed(3)} | ${(r.checked / r.inline).toFixed(2)} | ${(((r.checked - r.unchecked) / r.unchecked) * 100).toFixed(0)}% |`,
    ),
  ];
  writeFileSync(mdFile, `${lines.join("\n")}\n`);
}
