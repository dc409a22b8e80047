// What every example shares: where figures go, and running a module as a script.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** What an example reports: lines for the terminal and the figure it wrote. */
export interface ExampleResult {
  readonly title: string;
  readonly summary: readonly string[];
  readonly figure: string;
}

/** Writes an SVG into `folder` (created if needed) and returns its path. */
export function writeFigure(folder: string, name: string, svg: string): string {
  mkdirSync(folder, { recursive: true });
  const file = join(folder, name);
  writeFileSync(file, svg);
  return file;
}

/** Runs `example` when its module is the script node was started with (`npx tsx examples/…`). */
export function runIfMain(moduleUrl: string, example: (folder: string) => ExampleResult): void {
  const script = process.argv[1];
  if (script === undefined || pathToFileURL(resolve(script)).href !== moduleUrl) return;
  const result = example(process.argv[2] ?? "figures");
  console.log(`${result.title}\n${result.summary.map((line) => `  ${line}`).join("\n")}\n  figure: ${result.figure}`);
}

/** A number with `digits` significant digits, for summaries. */
export function fmt(x: number, digits = 4): string {
  return Number.isFinite(x) ? Number(x.toPrecision(digits)).toString() : String(x);
}
