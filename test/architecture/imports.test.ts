// The shape of src/: no import cycle anywhere, and the core (everything src/index.ts reaches)
// imports no package. Read from the sources' import statements, so it holds for every build.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";

const root = fileURLToPath(new URL("../../src", import.meta.url));
const files: string[] = [];
const walk = (dir: string) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith(".ts")) files.push(path);
  }
};
walk(root);

/** Each file's imports (and re-exports): relative ones resolved to files, bare ones as written. */
const imports = new Map(
  files.map((file) => {
    const specifiers = [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    return [file, specifiers.map((s) => (s.startsWith(".") ? resolve(dirname(file), s.replace(/\.js$/, ".ts")) : s))];
  }),
);
const name = (file: string) => relative(root, file);
/** Each file's bare specifiers imported for their types only (`import type … from`). */
const typeOnly = new Map(files.map((file) => [file, new Set([...readFileSync(file, "utf8").matchAll(/^import\s+type\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]))]));

test("no import cycle in src/", () => {
  const cycles: string[] = [];
  const state = new Map<string, "open" | "done">();
  const visit = (file: string, stack: string[]) => {
    state.set(file, "open");
    stack.push(file);
    for (const dep of imports.get(file) ?? []) {
      if (!dep.startsWith("/")) continue;
      if (state.get(dep) === "open") cycles.push([...stack.slice(stack.indexOf(dep)), dep].map(name).join(" → "));
      else if (!state.has(dep)) visit(dep, stack);
    }
    stack.pop();
    state.set(file, "done");
  };
  for (const file of files) if (!state.has(file)) visit(file, []);
  expect(cycles).toEqual([]);
  expect(files.length).toBeGreaterThan(50); // the walk found the sources
});

test("the core (what src/index.ts reaches) imports no package", () => {
  const seen = new Set<string>();
  const packages: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const dep of imports.get(file) ?? []) {
      if (dep.startsWith("/")) visit(dep);
      else packages.push(`${name(file)} imports ${dep}`);
    }
  };
  visit(join(root, "index.ts"));
  expect(packages).toEqual([]);
  expect(seen.size).toBeGreaterThan(30);
});

test("src/ imports only runtime dependencies, and gradstep/learn nothing that generates code at import", () => {
  const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../package.json", import.meta.url)), "utf8"));
  const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
  // d3's ESM-only modules are bundled into gradstep/plot (tsup.config.ts: noExternal), not installed.
  const bundled = (pkg: string) => /^d3-/.test(pkg);
  const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
  // A type-only import needs only the package's types: `@types/<package>` as a runtime dependency
  // (the shipped declarations import them), not the package itself.
  const typesOf = (pkg: string) => `@types/${pkg.replace(/^@(.*)\//, "$1__")}`;
  const outside: string[] = [];
  for (const [file, deps] of imports) {
    for (const dep of deps) {
      if (dep.startsWith("/") || dep.startsWith("node:")) continue;
      const pkg = packageOf(dep);
      if (runtime.has(pkg) || bundled(pkg)) continue;
      if (typeOnly.get(file)?.has(dep) && runtime.has(typesOf(pkg))) continue;
      outside.push(`${name(file)} imports ${dep}`);
    }
  }
  expect(outside).toEqual([]);
  // ndarray compiles a class per element type and dimension with `new Function` when an array is
  // first built: a devDependency (the oracle of src/data/strided-view.ts), its types only in src/.
  expect(runtime.has("ndarray")).toBe(false);
  expect(runtime.has("@types/ndarray")).toBe(true);
  // ndarray-ops compiles its functions with `new Function` when imported (a strict CSP refuses it):
  // a devDependency now, the test oracle of the column operations and the bench baseline.
  expect(runtime.has("ndarray-ops")).toBe(false);
  expect(manifest.devDependencies["ndarray-ops"]).toBeDefined();
});
