// Import time of the built entry points, each in a fresh Node process (median of several runs), and
// the install size of the runtime dependencies. Usage: node scripts/measure/import-time.mjs [root…]
// (default: this checkout; several roots are measured interleaved, run for run, so that they share
// the machine's load). Needs `npm run build` first.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2).map((r) => resolve(r)) : [fileURLToPath(new URL("../..", import.meta.url))];
const runs = Number(process.env.RUNS ?? 15);
const entries = ["index.js", "learn.js"];
// Wall time, and the process's CPU time (user + system), which a loaded machine inflates less.
const probe = (file) =>
  `const t = performance.now(), c = process.cpuUsage(); await import(${JSON.stringify(file)}); const u = process.cpuUsage(c); process.stdout.write((performance.now() - t) + " " + (u.user + u.system) / 1000);`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const times = new Map();
for (let r = 0; r < runs; r++) {
  for (const root of roots) {
    for (const entry of entries) {
      const [wall, cpu] = String(execFileSync(process.execPath, ["--input-type=module", "-e", probe(join(root, "dist", entry))], { cwd: root })).split(" ").map(Number);
      const key = `${root} ${entry}`;
      times.set(key, [...(times.get(key) ?? []), [wall, cpu]]);
    }
  }
}
for (const [key, pairs] of times) {
  const wall = pairs.map(([w]) => w);
  const cpu = pairs.map(([, c]) => c);
  console.log(`${key}: wall median ${median(wall).toFixed(1)} ms (min ${Math.min(...wall).toFixed(1)}, max ${Math.max(...wall).toFixed(1)}), CPU median ${median(cpu).toFixed(1)} ms; ${runs} runs`);
}

// Bytes on disk of each runtime dependency's package folder (what every install gets).
const size = (path) => {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((sum, name) => sum + size(join(path, name)), 0) : s.size;
};
// The runtime dependencies' closure (read from the installed packages' own dependencies).
for (const root of roots) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const manifest = JSON.parse(readFileSync(join(root, "node_modules", name, "package.json"), "utf8"));
    for (const d of Object.keys(manifest.dependencies ?? {})) visit(d);
  };
  for (const d of Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).dependencies ?? {})) visit(d);
  const sizes = [...seen].map((d) => [d, size(join(root, "node_modules", d))]);
  const total = sizes.reduce((s, [, b]) => s + b, 0);
  console.log(`${root} runtime dependencies with theirs: ${sizes.map(([d, b]) => `${d} ${(b / 1000).toFixed(0)} kB`).join(", ") || "none"}; total ${(total / 1000).toFixed(0)} kB`);
}
