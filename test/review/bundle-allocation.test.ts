// Nothing is allocated per step, checked on the code users run: the package's bundle, not the sources
// the rest of the suite imports. They differ where it matters: the bundler (esbuild, under tsup) turns
// a module's top-level `const` into `var`, and in Node 20 (V8 11.3) a number read from such a
// variable is of unknown type to the optimizing compiler. LAMB's and global-norm clipping's running
// maximum started at −∞ read from a module constant: in the bundle every element's maximum was boxed
// (LAMB on the JavaScript kernels: about 1,500 collections per 2·10^7 elements), while the suite's
// allocation tests, on the sources, passed. The bundle here is built as tsup builds it (esbuild, ESM,
// es2020) and stepped in a plain Node process (bundle-steps.child.mjs), every registry rule and
// variant: on the JavaScript kernels at n = 1000 and n = 8, and on the suite's default backend at n = 8.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "gradstep-bundle-"));
const bundle = join(dir, "index.mjs");

beforeAll(async () => {
  await build({ entryPoints: [join(root, "src/index.ts")], bundle: true, format: "esm", target: "es2020", platform: "node", outfile: bundle, logLevel: "silent" });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("every rule's step, bundled as published, allocates nothing (JavaScript kernels at n = 1000 and 8, the default backend at 8)", () => {
  const child = fileURLToPath(new URL("./bundle-steps.child.mjs", import.meta.url));
  const output = execFileSync(process.execPath, [child, bundle], { encoding: "utf8", maxBuffer: 1 << 24 });
  const collections: Record<string, number> = JSON.parse(output.trim().split("\n").pop()!);
  expect(Object.keys(collections).length).toBeGreaterThan(60);
  const allocating = Object.entries(collections).filter(([, count]) => count > 0);
  expect(allocating).toEqual([]);
}, 600_000);
