// What each built entry point pulls in when imported, read from the bundle itself (its import
// statements and require calls, following its own chunks): the core (gradstep) imports no package
// at all, gradstep/learn imports only runtime dependencies and none that generates code (ndarray,
// ndarray-ops), and none of the bundle's own files calls eval or new Function. Then the same, as
// Node sees it: each entry imported (ESM, through a resolve hook) or required (CommonJS, from
// require.cache) in a fresh process, listing every file it loads from outside the bundle; none of
// those may call eval or new Function either (what a CSP without 'unsafe-eval' forbids).
// Usage: node scripts/check-bundle-imports.mjs [dist folder] (default: ./dist).
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const dist = resolve(process.argv[2] ?? "dist");
const manifest = JSON.parse(readFileSync(join(dist, "..", "package.json"), "utf8"));
const runtime = new Set(Object.keys(manifest.dependencies ?? {}));
const failures = [];
// Packages that compile functions from strings: ndarray (a class per element type and dimension, at
// the first array built), ndarray-ops and its cwise (at import).
const generatesCode = (p) => /^(ndarray|ndarray-ops|cwise|cwise-compiler)(\/|$)/.test(p);
// One occurrence is known and never reached: d3-dsv's objectConverter (bundled into gradstep/learn for
// csvDataset), which only its object-row csvParse calls; csvDataset uses the row parser. The browser
// check runs csvDataset under a CSP without 'unsafe-eval'. Any other occurrence fails.
const D3_DSV_OBJECT_CONVERTER = /function objectConverter\(columns\) \{\n\s*return new Function\("d", "return \{" \+ columns\.map\(/g;
const callsEval = (file) => /\bnew Function\s*\(|\beval\s*\(/.test(readFileSync(file, "utf8").replace(D3_DSV_OBJECT_CONVERTER, ""));

/** The bare specifiers an entry reaches (builtins left out) and the bundle files it loads. */
function reach(entry) {
  const files = new Set();
  const packages = new Set();
  const visit = (file) => {
    if (files.has(file)) return;
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
    files.add(file);
    const code = readFileSync(file, "utf8");
    const specifiers = [
      ...[...code.matchAll(/^\s*(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]),
      ...[...code.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm)].map((m) => m[1]),
      ...[...code.matchAll(/\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]),
    ];
    for (const s of specifiers) {
      if (s.startsWith(".")) visit(join(dirname(file), s));
      else if (!s.startsWith("node:")) packages.add(s);
    }
  };
  visit(join(dist, entry));
  return { files, packages: [...packages] };
}

for (const entry of ["index.js", "index.cjs", "learn.js", "learn.cjs", "plot.js", "plot.cjs"]) {
  const { files, packages } = reach(entry);
  const outside = packages.filter((p) => !runtime.has(p.split("/").slice(0, p.startsWith("@") ? 2 : 1).join("/")));
  if (outside.length > 0) failures.push(`${entry} imports packages that are not runtime dependencies: ${outside.join(", ")}`);
  if (entry.startsWith("index.") && packages.length > 0) failures.push(`${entry} (the core) imports packages: ${packages.join(", ")}`);
  if (packages.some(generatesCode)) failures.push(`${entry} imports ${packages.filter(generatesCode).join(", ")}, which generate code from strings`);
  for (const file of files) {
    if (callsEval(file)) failures.push(`${entry}: ${file} calls eval or new Function`);
  }
  console.log(`${entry}: ${files.size} bundle file(s); packages imported: ${packages.join(", ") || "none"}`);
}
// What a fresh Node process loads from outside dist/ when it imports (or requires) each entry.
const hook = `export async function resolve(s, c, next) { const r = await next(s, c); process.stderr.write("LOADED " + r.url + "\\n"); return r; }`;
const loader = `import { register } from "node:module"; register("data:text/javascript," + encodeURIComponent(${JSON.stringify(hook)}));`;
for (const entry of ["index.js", "learn.js", "index.cjs", "learn.cjs"]) {
  const file = join(dist, entry);
  const loaded = entry.endsWith(".js")
    ? spawnSync(process.execPath, ["--import", `data:text/javascript,${encodeURIComponent(loader)}`, "--input-type=module", "-e", `await import(${JSON.stringify(file)})`], { encoding: "utf8" })
        .stderr.split("\n")
        .filter((l) => l.startsWith("LOADED file:"))
        .map((l) => decodeURIComponent(new URL(l.slice("LOADED ".length)).pathname))
    : JSON.parse(execFileSync(process.execPath, ["-e", `require(${JSON.stringify(file)}); process.stdout.write(JSON.stringify(Object.keys(require.cache)))`], { encoding: "utf8" }));
  const outside = [...new Set(loaded.filter((f) => !f.startsWith(dist + "/")))];
  if (entry.startsWith("index.") && outside.length > 0) failures.push(`importing ${entry} (the core) loads files outside the bundle: ${outside.join(", ")}`);
  if (outside.some((f) => /\/node_modules\/(ndarray|ndarray-ops|cwise)\//.test(f))) failures.push(`importing ${entry} loads ndarray or ndarray-ops`);
  for (const f of outside) if (f.endsWith("js") && callsEval(f)) failures.push(`importing ${entry} loads ${f}, which calls eval or new Function`);
  console.log(`${entry} imported in Node: ${outside.length} file(s) from outside the bundle${outside.length ? `: ${outside.map((f) => f.replace(/.*\/node_modules\//, "")).join(", ")}` : ""}`);
}

if (failures.length > 0) {
  console.error(failures.join("\n"));
  process.exit(1);
}
console.log("bundle: the core imports no package (read from the bundle, and as Node loads it), gradstep/learn only runtime dependencies (no ndarray, no ndarray-ops), no eval or new Function in the bundle or in what it loads");
