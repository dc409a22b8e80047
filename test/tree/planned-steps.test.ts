// A tree's leaves in Wasm memory are stepped from a plan (TreeOptimizer.stepLeaves: each leaf counted
// as stepped and its kernel's numbers written first, then the kernels run without reading the leaves'
// optimizers). Bit for bit each leaf's own step, with its state and step count: over random rules,
// leaf lengths and groups, for leaves of their own vectors and for one vector with a layout, on one
// thread and with the worker thread taking half of the long leaves.
import { afterAll, beforeAll, describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, allocateVector, backendInfo, type Optimizer, releaseVector, setBackend, tree } from "gradstep";
import { allRules, bytes, freshRuntime, wasmVectors } from "../helpers.js";

const canShare = typeof SharedArrayBuffer === "function";
const rules = allRules.filter((r) => r.name !== "NormalizedGradient global");
const sizesArbitrary = fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 30, max: 90 }), fc.integer({ min: 200, max: 300 })), { minLength: 1, maxLength: 6 });

afterAll(() => setBackend(process.env.GRADSTEP_BACKEND === "js" ? "js" : "wasm"));

/** Four steps of a tree of the given leaves in Wasm memory against each leaf alone: params, state and step counts. */
function stepsAsAlone(rule: (typeof rules)[number], sizes: number[], groupSpecs: { pick: number; lrScale: number }[], frozenPick: number, oneVector: boolean): void {
  const template = rule.make();
  const paths = sizes.map((_, k) => `x${k}`);
  const baseLr = template.valueAt("lr", 0);
  const groups = groupSpecs.map(({ pick, lrScale }) => ({ match: paths[pick % paths.length], lr: baseLr * lrScale }));
  const frozen = frozenPick % (paths.length + 1) < paths.length ? paths[frozenPick % (paths.length + 1)] : null;
  const layout = Object.fromEntries(paths.map((path, k) => [path, sizes[k]]));
  const opt = tree(template as any, { groups, freeze: frozen, layout: oneVector ? layout : null });
  const total = sizes.reduce((a, b) => a + b, 0);
  const { vector, releaseAll } = wasmVectors();
  const flatParams = oneVector ? vector(total) : null;
  const flatGrad = oneVector ? vector(total) : null;
  let at = 0;
  const params: Record<string, Float64Array> = {};
  const grad: Record<string, Float64Array> = {};
  paths.forEach((path, k) => {
    params[path] = flatParams === null ? vector(sizes[k]) : flatParams.subarray(at, at + sizes[k]);
    grad[path] = flatGrad === null ? vector(sizes[k]) : flatGrad.subarray(at, at + sizes[k]);
    params[path].set(Float64Array.from({ length: sizes[k] }, (_, i) => Math.cos(k + 0.3 * i)));
    at += sizes[k];
  });
  // The reference: one optimizer per leaf on plain arrays, with its groups' options in order.
  const alone: (Optimizer | null)[] = paths.map((path) =>
    path === frozen ? null : rule.make({ ...template.options, ...Object.assign({}, ...groups.filter((g) => g.match === path).map(({ match, ...o }) => o)) }),
  );
  const refParams = paths.map((path) => params[path].slice());
  for (let step = 0; step < 4; step++) {
    paths.forEach((path, k) => {
      for (let i = 0; i < sizes[k]; i++) grad[path][i] = 0.5 * params[path][i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * step);
      const refGrad = Float64Array.from({ length: sizes[k] }, (_, i) => 0.5 * refParams[k][i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * step));
      alone[k]?.step(refParams[k], refGrad);
    });
    if (oneVector) opt.step(flatParams!, flatGrad!);
    else opt.step(params, grad);
  }
  const snapshot = opt.snapshot();
  paths.forEach((path, k) => {
    expect(bytes(params[path]), `${rule.name} leaf ${path}`).toEqual(bytes(refParams[k]));
    const ref = alone[k];
    const leaf = snapshot.leaves![path].optimizer;
    if (ref === null) return expect(leaf).toBeNull();
    const own = ref.snapshot();
    expect([leaf!.stepCount, leaf!.buffers], `${rule.name} leaf ${path} state`).toEqual([own.stepCount, own.buffers]);
  });
  expect(opt.stepCount).toBe(4);
  opt.dispose();
  for (const ref of alone) ref?.dispose?.();
  releaseAll();
}

const groupsArbitrary = fc.array(fc.record({ pick: fc.nat(), lrScale: fc.constantFrom(0.5, 2, 0.1) }), { maxLength: 3 });

describe("leaves in Wasm memory step from a plan, bit for bit as each leaf alone", () => {
  beforeAll(() => setBackend("wasm", { threads: false }));
  test.prop([fc.constantFrom(...rules), sizesArbitrary, groupsArbitrary, fc.nat(), fc.boolean()], { numRuns: 80 })("separate vectors or one vector, one thread", (...c) => stepsAsAlone(...c));
  // (the plan block holds 64 steps: 150 leaves run in three batches, a frozen leaf inside one)
  test.prop([fc.constantFrom(...rules), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 150, maxLength: 150 }), groupsArbitrary, fc.nat(), fc.boolean()], { numRuns: 20 })("150 leaves: more than one batch of the plan", (...c) => stepsAsAlone(...c));
});

describe("with the worker thread taking half of each long leaf", () => {
  beforeAll(async () => {
    if (!canShare) return;
    freshRuntime(true, { threads: true, threadThreshold: 64 });
    const p = allocateVector(4096);
    const g = allocateVector(4096).fill(0.5);
    new Adam().step(p, g); // starts the worker
    const deadline = Date.now() + 60_000;
    while (!backendInfo().workerReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(backendInfo().workerReady).toBe(true);
    releaseVector(p);
    releaseVector(g);
  }, 120_000);
  test.prop([fc.constantFrom(...rules), sizesArbitrary, groupsArbitrary, fc.nat(), fc.boolean()], { numRuns: 40 })("separate vectors or one vector", (...c) => stepsAsAlone(...c));
});
