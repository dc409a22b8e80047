import { readFileSync } from "node:fs";
import { setBackend } from "gradstep";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { jsNames } from "../../scripts/kernels/emit-js.js";
import { generatedFiles } from "../../scripts/kernels/generate.js";
import { flagComparisons, type LoweredRule, loadRules } from "../../scripts/kernels/rules.js";
import { currentRuntime } from "../../src/backends/backend.js";
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
 * every value of the others.
 */
function flagSettings(rule: LoweredRule): Map<string, number>[] {
  const candidates = new Map<string, Set<number>>();
  for (const c of flagComparisons(rule)) {
    if (c.a.kind !== "scalar" || c.b.kind !== "const") throw new Error(`${rule.name}: a flag compares a scalar with a constant`);
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
          for (const n of [0, 1, 2, 3, 4, 5, 8, 17]) {
            const scalars = Float64Array.from({ length: 16 }, () => 0.1 + 0.8 * next());
            for (const [name, v] of setting) scalars[rule.slots.get(name) as number] = v;
            const params = Float64Array.from({ length: n }, () => 2 * next() - 1);
            const grad = Float64Array.from({ length: n }, () => 2 * next() - 1);
            const buffers = rule.buffers.map(() => Float64Array.from({ length: n }, () => next()));
            // JavaScript
            const js = { params: params.slice(), scalars: scalars.slice(), buffers: buffers.map((b) => b.slice()) };
            (kernels.get(rule.name) as JsKernel)(js.params, grad, js.scalars, ...js.buffers);
            // WebAssembly, in its memory
            const blocks = [params, grad, ...buffers].map((values) => {
              const address = rt.allocate(Math.max(n, 1));
              rt.view(address, n).set(values);
              return address;
            });
            const wasmScalars = scalars.slice();
            rt.run(index, blocks[0], blocks[1], wasmScalars, blocks[2] ?? 0, blocks[3] ?? 0, blocks[4] ?? 0, n);
            const what = `${rule.name}, ${JSON.stringify([...setting])}, n = ${n}`;
            expect(bits(rt.view(blocks[0], n)), `${what}: params`).toEqual(bits(js.params));
            rule.buffers.forEach((name, k) => expect(bits(rt.view(blocks[2 + k], n)), `${what}: ${name}`).toEqual(bits(js.buffers[k])));
            expect(bits(wasmScalars), `${what}: scalars`).toEqual(bits(js.scalars));
            for (const address of blocks) rt.release(address);
          }
        }
      });
    }
  });
});
