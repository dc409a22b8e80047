import { basename } from "node:path";

/**
 * Whether `file` (e.g. "tree-cost.ts") is the bench file being run, directly (`npx tsx bench/file.ts`, on the sources)
 * or bundled by run-bundled.mjs: in one bundle every file shares one import.meta.url, so that alone
 * cannot tell.
 */
export function isEntry(file: string): boolean {
  return basename(process.env.GRADSTEP_BENCH_ENTRY ?? process.argv[1] ?? "") === file;
}
