import { readFileSync } from "node:fs";
import { backendInfo, setBackend } from "gradstep";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { jsNames } from "../../scripts/kernels/emit-js.js";
import { generatedFiles } from "../../scripts/kernels/generate.js";
import { flagComparisons, type LoweredRule, loadRules } from "../../scripts/kernels/rules.js";
import { considerThreads, currentRuntime } from "../../src/backends/backend.js";
import { WasmRuntime } from "../../src/backends/wasm/wasm-runtime.js";
import type { KernelName } from "../../src/backends/wasm/kernels-binary.js";

type JsKernel = (params: Float64Array, grad: Float64Array, scalars: Float64Array, ...buffers: Float64Array[]) => void;

const rules = await loadRules();
const kernels = new Map<string, JsKernel>();
for (const rule of rules) {
  const module = (await import(`../../src/kernels/${rule.file}.ts`)) as Record<string, JsKernel>;
  kernels.set(rule.name, module[jsNames(rule).kernel]);
}

/** A seeded generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Every combination of the flags' inputs: each scalar a flag compares with a constant c takes c and
 * a value on the comparison's other side, so each flag is seen both true and false together with
 * every value of the others; and each value the declaration lists for the tables (`testValues`:
 * the inputs of flags and passes on computed numbers).
 */
function flagSettings(rule: LoweredRule): Map<string, number>[] {
  const candidates = new Map<string, Set<number>>(Object.entries(rule.testValues).map(([name, values]) => [name, new Set(values)]));
  for (const c of flagComparisons(rule)) {
    if (c.a.kind !== "scalar" || c.b.kind !== "const") throw new Error(`${rule.name}: a flag compares a number with a constant`);
    if (!rule.slots.has(c.a.name)) {
      // a computed number: its inputs are in testValues
      if (Object.keys(rule.testValues).length === 0) throw new Error(`${rule.name}: flag on ${c.a.name} needs testValues`);
      continue;
    }
    const values = candidates.get(c.a.name) ?? new Set<number>();
    values.add(c.b.value);
    values.add(c.kind === "lt" ? c.b.value - 0.375 : c.b.value + 0.375);
    candidates.set(c.a.name, values);
  }
  let settings = [new Map<string, number>()];
  for (const [name, values] of candidates) {
    settings = settings.flatMap((setting) => [...values].map((v) => new Map([...setting, [name, v]])));
  }
  return settings;
}

/** Bytes of each value; NaN as "NaN" (its sign and payload are not portable between engines). */
const bits = (values: Float64Array): string[] =>
  Array.from(values, (v) => (Number.isNaN(v) ? "NaN" : Array.from(new Uint8Array(Float64Array.of(v).buffer)).join(",")));

describe("the kernel language", () => {
  test("the committed kernels (JavaScript, kernels.wat, kernels-binary.ts) and the docs overview are what the declarations and the registry generate", async () => {
    const root = new URL("../../", import.meta.url);
    const files = await generatedFiles();
    expect(files.size).toBe(new Set(rules.map((r) => r.file)).size + 3);
    for (const [path, text] of files) expect(readFileSync(new URL(path, root), "utf8"), path).toBe(text);
  });

  test("slots are numbered by the generator: the common three, then each rule's own, within the block", () => {
    for (const rule of rules) {
      expect([...rule.slots.keys()].slice(0, 3)).toEqual(["gradSign", "l2", "decay"]);
      expect([...rule.slots.values()]).toEqual([...rule.slots.keys()].map((_, i) => i));
      expect(rule.slots.size).toBeLessThanOrEqual(16);
    }
  });

  describe("JavaScript and WebAssembly kernels agree bit for bit on every flag combination", () => {
    beforeAll(() => setBackend("wasm"));
    afterAll(() => setBackend("auto"));
    for (const rule of rules) {
      const settings = flagSettings(rule);
      test(`${rule.name}: ${settings.length} flag combination(s), lengths 0 to 17`, () => {
        const rt = currentRuntime() as WasmRuntime;
        const index = WasmRuntime.kernelIndex(rule.name as KernelName);
        const next = random(rule.name.length * 7919);
        for (const setting of settings) {
          // with passes, gradients whose Σ g² overflows or underflows too (the passes' other branch)
          const scales = rule.passes.length > 0 ? [1, 1e200, 1e-200] : [1];
          for (const [n, scale] of [0, 1, 2, 3, 4, 5, 8, 17].flatMap((n) => scales.map((scale) => [n, scale]))) {
            const scalars = Float64Array.from({ length: 16 }, () => 0.1 + 0.8 * next());
            for (const [name, v] of setting) scalars[rule.slots.get(name) as number] = v;
            const params = Float64Array.from({ length: n }, () => 2 * next() - 1);
            const grad = Float64Array.from({ length: n }, () => scale * (2 * next() - 1));
            const buffers = rule.buffers.map(() => Float64Array.from({ length: n }, () => next()));
            // JavaScript
            const js = { params: params.slice(), grad: grad.slice(), scalars: scalars.slice(), buffers: buffers.map((b) => b.slice()) };
            (kernels.get(rule.name) as JsKernel)(js.params, js.grad, js.scalars, ...js.buffers);
            // WebAssembly, in its memory
            const blocks = [params, grad, ...buffers].map((values) => {
              const address = rt.allocate(Math.max(n, 1));
              rt.view(address, n).set(values);
              return address;
            });
            const wasmScalars = scalars.slice();
            rt.run(index, blocks[0], blocks[1], wasmScalars, blocks[2] ?? 0, blocks[3] ?? 0, blocks[4] ?? 0, n);
            const what = `${rule.name}, ${JSON.stringify([...setting])}, n = ${n}, scale ${scale}`;
            expect(bits(rt.view(blocks[0], n)), `${what}: params`).toEqual(bits(js.params));
            expect(bits(rt.view(blocks[1], n)), `${what}: grad`).toEqual(bits(js.grad));
            rule.buffers.forEach((name, k) => expect(bits(rt.view(blocks[2 + k], n)), `${what}: ${name}`).toEqual(bits(js.buffers[k])));
            expect(bits(wasmScalars), `${what}: scalars`).toEqual(bits(js.scalars));
            for (const address of blocks) rt.release(address);
          }
        }
      });
    }
  });
});

describe("kernels with passes, on two threads", () => {
  afterAll(() => setBackend("auto"));
  const reducing = rules.filter((rule) => rule.passes.length > 0);

  test("the reductions run once over the whole vector, the update is split: the same bits as one JavaScript call", async () => {
    setBackend("wasm", { threads: true, threadThreshold: 64 });
    const rt = currentRuntime() as WasmRuntime;
    considerThreads(rt, 64); // starts the worker, as a step of 64 parameters would
    // the worker starts in ~0.3 s on one loaded core; one that never starts fails after 60 s
    const deadline = Date.now() + 60_000;
    while (!backendInfo().workerReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(backendInfo().workerReady).toBe(true);
    const pool = rt.pool!;
    const before = pool.workerHalves;
    const next = random(17);
    for (const rule of reducing) {
      const index = WasmRuntime.kernelIndex(rule.name as KernelName);
      // the worker takes its half only when it claims it first: repeat large calls until it has (bounded)
      for (let t = 0; t < 200 && (t < 3 || pool.workerHalves <= before); t++) {
        const n = [64, 65, 1001, 100_001][t % 4];
        const scale = [1, 1e200, 1e-200][t % 3];
        const scalars = Float64Array.from({ length: 16 }, () => 0.1 + 0.8 * next());
        for (const [name, values] of Object.entries(rule.testValues)) scalars[rule.slots.get(name) as number] = values[t % values.length];
        const params = Float64Array.from({ length: n }, () => 2 * next() - 1);
        const grad = Float64Array.from({ length: n }, () => scale * (2 * next() - 1));
        // the rule's state (LAMB's moments): non-negative, as a second moment must be
        const buffers = rule.buffers.map(() => Float64Array.from({ length: n }, () => next()));
        const js = { params: params.slice(), grad: grad.slice(), scalars: scalars.slice(), buffers: buffers.map((b) => b.slice()) };
        (kernels.get(rule.name) as JsKernel)(js.params, js.grad, js.scalars, ...js.buffers);
        const [p, g, ...b] = [params, grad, ...buffers].map((values) => {
          const address = rt.allocate(n);
          rt.view(address, n).set(values);
          return address;
        });
        const wasmScalars = scalars.slice();
        rt.run(index, p, g, wasmScalars, b[0] ?? 0, b[1] ?? 0, b[2] ?? 0, n);
        const what = `${rule.name}, n = ${n}, call ${t}`;
        expect(bits(rt.view(p, n)), `${what}: params`).toEqual(bits(js.params));
        expect(bits(rt.view(g, n)), `${what}: grad`).toEqual(bits(js.grad));
        expect(bits(wasmScalars), `${what}: scalars`).toEqual(bits(js.scalars));
        b.forEach((address, k) => expect(bits(rt.view(address, n)), `${what}: ${rule.buffers[k]}`).toEqual(bits(js.buffers[k])));
        for (const address of [p, g, ...b]) rt.release(address);
      }
    }
    expect(pool.workerHalves).toBeGreaterThan(before); // the worker did take part
  }, 120_000);
});
