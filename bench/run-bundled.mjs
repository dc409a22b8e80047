// node bench/run-bundled.mjs <bench/file.ts> [its arguments]: bundles the bench file with the library
// into one ES module (esbuild, es2020, as tsup builds dist/ and as a user's bundler builds an app),
// then runs it in a fresh Node process. `npm run bench` runs bench/run.ts this way.
//
// Why not the TypeScript sources through tsx: the bundle is what users run, and V8 compiles it
// differently. esbuild turns a module's top-level `const` into `var`, whose numbers V8 11.3's
// optimizing compiler does not know the type of: LAMB on the JavaScript kernels took 14 ns a
// parameter from the sources and 10 from the bundle once a bundle-only boxing was fixed (CHANGELOG).
// The bundle is written beside the bench's files, so that their paths relative to import.meta.url
// (bench/baselines/, bench/data/, src/math/*.wat) still resolve.
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const [entry, ...args] = process.argv.slice(2);
if (entry === undefined || !entry.endsWith(".ts")) {
  console.error("usage: node bench/run-bundled.mjs <bench/file.ts> [arguments]");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const source = resolve(entry);
const outfile = join(dirname(source), `.bundled-${basename(source, ".ts")}.mjs`);
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
// every package stays an import (gradstep itself resolves to src/ through tsconfig.json's paths)
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.devDependencies ?? {})];
// (the bench files await at their top level; the library, as published, does not)
await build({ entryPoints: [source], outfile, bundle: true, format: "esm", target: "es2020", supported: { "top-level-await": true }, platform: "node", external, logLevel: "warning" });
// GRADSTEP_BENCH_ENTRY tells the bundled files which one was asked for (bench/entry.ts): in one
// bundle they all share one import.meta.url.
const run = spawnSync(process.execPath, [outfile, ...args], { stdio: "inherit", env: { ...process.env, GRADSTEP_BENCH_ENTRY: basename(source) } });
rmSync(outfile, { force: true });
process.exit(run.status ?? 1);
