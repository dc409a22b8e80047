// Nothing is allocated per step, checked on the code users run: the package's bundle, not the sources
// the rest of the suite imports. They differ where it matters: the bundler (esbuild, under tsup) turns
// a module's top-level `const` into `var`, and in Node 20 (V8 11.3) a number read from such a
// variable is of unknown type to the optimizing compiler. LAMB's and global-norm clipping's running
// maximum started at −∞ read from a module constant: in the bundle every element's maximum was boxed
// (LAMB on the JavaScript kernels: about 1,500 collections per 2·10^7 elements), while the suite's
// allocation tests, on the sources, passed. The bundle here is built as tsup builds it (esbuild, ESM,
// es2020) and run in a plain Node process (bundle-steps.child.mjs): every registry rule and variant
// on the JavaScript kernels at n = 1000 and n = 8 and on the suite's default backend at n = 8; then,
// on both backends, chains, wrappers, trees and wrappers over trees (look-ahead points included), minimize's
// loop, LBFGS (fixed steps, then the strong-Wolfe search), BFGS, ConjugateGradient, LBFGSB and the
// Nocedal–Wright search, and the risks' and networks' batch evaluations; last, small steps on Wasm
// memory, shared and not. In the bundle, LBFGSB's largest step started at a `var` constant (830
// bytes a run), LBFGS with its line search, after fixed-step LBFGS, was left a call per element by
// V8's inlining budget (17 KB a step), and so, in some runs, was the Gabor model's exp (44 bytes a
// row); none on the sources.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
// inside node_modules, so that the bundle's imports of the runtime dependencies resolve
const cache = join(root, "node_modules", ".cache");
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, "gradstep-bundle-"));

beforeAll(async () => {
  // as tsup.config.ts: both entry points, their shared code in a chunk, the runtime dependencies left as imports
  const entryPoints = { index: join(root, "src/index.ts"), learn: join(root, "src/learn.ts") };
  const external = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies);
  await build({ entryPoints, bundle: true, splitting: true, format: "esm", target: "es2020", platform: "node", outdir: dir, external, logLevel: "silent" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("every rule's step, the wrappers', chains', trees' and minimize's, the solvers' iterations and the risks' evaluations, bundled as published, allocate nothing (JavaScript kernels and the default backend)", () => {
  const child = fileURLToPath(new URL("./bundle-steps.child.mjs", import.meta.url));
  const output = execFileSync(process.execPath, ["--allow-natives-syntax", child, dir], { encoding: "utf8", maxBuffer: 1 << 24 });
  const collections: Record<string, number> = JSON.parse(output.trim().split("\n").pop()!);
  expect(Object.keys(collections).length).toBeGreaterThan(130);
  const allocating = Object.entries(collections).filter(([, count]) => count > 0);
  expect(allocating).toEqual([]);
}, 600_000);
