// Long runs: ten million steps of Adam with tiny and with huge gradients stay finite, and a run
// saved at a random step of a long mini-batch run with a schedule, resumed in another process,
// ends bit-identical to the uninterrupted run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";
import { Adam } from "gradstep";

it.each([
  ["tiny gradients (1e-300: g² underflows to 0)", 1e-300],
  ["huge gradients (1e300: g² overflows to Infinity)", 1e300],
])("10 million Adam steps with %s keep θ finite", (_name, scale) => {
  const opt = new Adam({ lr: 1e-3, nonFinite: "unchecked" });
  const params = Float64Array.of(0.5, -0.5);
  const grad = Float64Array.of(scale, -scale);
  for (let t = 0; t < 10_000_000; t++) {
    grad[0] = t & 1 ? scale : -scale;
    opt.step(params, grad);
  }
  expect(opt.stepCount).toBe(10_000_000);
  expect(params.every(Number.isFinite)).toBe(true);
}, 240_000); // ~8 s on one core, ~40 s with a CPU-bound process on it; 240 s leaves room for a slow, loaded machine

it("a run resumed in another process ends bit-identical to the uninterrupted one", () => {
  const directory = mkdtempSync(join(tmpdir(), "gradstep-resume-"));
  try {
    const script = fileURLToPath(new URL("./resume-child.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const split = 1 + Math.floor(Math.random() * 1500);
    const run = (...args: string[]) => execFileSync(process.execPath, [tsx, script, ...args], { encoding: "utf8", cwd: fileURLToPath(new URL("../..", import.meta.url)) });
    const whole = run("whole", directory);
    run("first", directory, String(split));
    const resumed = run("rest", directory);
    expect(resumed).toBe(whole);
    expect(JSON.parse(readFileSync(join(directory, "state.json"), "utf8")).steps).toBe(split);
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}, 120_000); // three child processes (tsx): ~3 s on one core, ~9 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine

