// On the Wasm backend a tree copies its plain gradient leaves of 32 numbers or more into one block of
// Wasm memory, checks them there and steps each leaf on its copy (src/tree/staged-gradients.ts). The
// copy must change no bit, a block that cannot be had must change nothing but the path, and the
// block must go back with the tree.
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Adafactor, Adam, allocateVector, backendInfo, GradstepError, releaseVector, SGD, setBackend, ShapeMismatchError, tree } from "gradstep";
import { allocationFaults } from "../../src/memory/allocate.js";
import { bytes } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

const wasmHere = setBackend("auto").name === "wasm";
const previous = backendInfo().choice;
afterEach(() => {
  allocationFaults.countdown = -1;
  setBackend(previous);
});

const SIZES = { w: 64, b: 40, s: 5, v: 1000 } as const;

function leaves(fill: (k: number, i: number) => number): Record<string, Float64Array> {
  return Object.fromEntries(Object.entries(SIZES).map(([path, n], k) => [path, Float64Array.from({ length: n }, (_, i) => fill(k, i))]));
}

const gradientAt = (step: number) => leaves((k, i) => Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * step) * 10 ** ((i % 5) - 2));

describe.skipIf(!wasmHere)("a tree's gradient leaves staged in Wasm memory", () => {
  it("a leaf whose gradient is its params array steps as a lone optimizer given that array twice", () => {
    setBackend("wasm");
    const opt = tree(new Adam({ lr: 0.01 }));
    const params = leaves((k, i) => Math.cos(k + 0.3 * i));
    const lone = Object.fromEntries(Object.keys(SIZES).map((path) => [path, new Adam({ lr: 0.01 })]));
    const reference = Object.fromEntries(Object.entries(params).map(([path, leaf]) => [path, leaf.slice()]));
    for (let step = 0; step < 3; step++) {
      opt.step(params, params);
      for (const [path, leaf] of Object.entries(reference)) lone[path].step(leaf, leaf);
    }
    for (const path of Object.keys(SIZES)) expect(bytes(params[path]), path).toEqual(bytes(reference[path]));
    opt.dispose();
  });

  it("every allocation of the first three steps failing in turn: each step fails whole or gives the bits of a run without faults", () => {
    setBackend("wasm");
    const run = (faultAt: number) => {
      const opt = tree(new SGD({ lr: 0.1, momentum: 0.9 }), { groups: [{ match: "b", lr: 0.05 }] });
      const params = leaves((k, i) => Math.cos(k + 0.3 * i));
      const trace: string[] = [];
      allocationFaults.countdown = faultAt;
      for (let step = 0; step < 3; step++) {
        const before = Object.values(params).map((leaf) => bytes(leaf));
        const snapshot = JSON.stringify(opt.snapshot());
        try {
          opt.step(params, gradientAt(step));
        } catch (error) {
          expect(error).toBeInstanceOf(GradstepError);
          Object.values(params).forEach((leaf, k) => expect(bytes(leaf)).toEqual(before[k]));
          expect(JSON.stringify(opt.snapshot())).toBe(snapshot);
          trace.push("failed");
          continue;
        }
        trace.push(Object.values(params).map((leaf) => bytes(leaf).join()).join("|"));
      }
      const reached = allocationFaults.countdown < 0;
      allocationFaults.countdown = -1;
      opt.dispose();
      return { trace, reached };
    };
    const clean = run(-1).trace;
    let faults = 0;
    for (let k = 0; ; k++) {
      const { trace, reached } = run(k);
      // a step either failed, or took the bits the same step took without faults from the same start
      const firstFailure = trace.indexOf("failed");
      if (firstFailure < 0) expect(trace).toEqual(clean);
      else expect(trace.slice(0, firstFailure)).toEqual(clean.slice(0, firstFailure));
      if (!reached) break;
      faults += 1;
    }
    expect(faults).toBeGreaterThan(3);
  });

  it("the block is taken at the second step, after the leaves' state, and given back by dispose with it", () => {
    setBackend("wasm");
    const total = Object.values(SIZES).reduce((a, b) => a + b, 0);
    // the runtime's scratch blocks, shared by every optimizer and kept, sized first
    const warm = new Adam({ lr: 0.01 });
    warm.step(new Float64Array(1000), new Float64Array(1000));
    warm.dispose();
    const used = backendInfo().memoryUsed;
    const opt = tree(new Adam({ lr: 0.01 }));
    const params = leaves(() => 1);
    opt.step(params, gradientAt(0));
    // Adam's two moments of every leaf
    const state = backendInfo().memoryUsed - used;
    expect(state).toBeGreaterThanOrEqual(8 * 2 * total);
    expect(state).toBeLessThan(8 * (2 * total + total - SIZES.s));
    // then the block for the leaves of 32 or more
    opt.step(params, gradientAt(1));
    expect(backendInfo().memoryUsed - used).toBeGreaterThanOrEqual(state + 8 * (total - SIZES.s));
    opt.dispose();
    expect(backendInfo().memoryUsed).toBe(used);
  });

  it("steps allocate nothing (100,000 steps, no garbage collection)", async () => {
    setBackend("wasm");
    const opt = tree(new Adam({ lr: 1e-9 }), { groups: [{ match: "b", lr: 1e-10 }] });
    const params = leaves(() => 1);
    const grads = [gradientAt(0), gradientAt(1)];
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads[t & 1]);
    }, 100_000);
    opt.dispose();
  }, 120_000);

  it("trees dropped without dispose() give their blocks back once collected", () => {
    const child = fileURLToPath(new URL("./staged-drop.child.ts", import.meta.url));
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const out = JSON.parse(execFileSync(process.execPath, [tsx, child], { encoding: "utf8" })) as { before: number; peak: number; after: number };
    expect(out.peak).toBeGreaterThan(out.before + 8 * 3 * 1040); // a tree's moments and block were there
    expect(out.after).toBe(out.before);
  }, 120_000);

  it("the block holds only the leaves whose gradient is outside Wasm memory: none where all are in it", () => {
    setBackend("wasm");
    const inWasm = Object.fromEntries(Object.entries(SIZES).map(([path, n]) => [path, allocateVector(n)]));
    const params = leaves((k, i) => Math.cos(k + 0.3 * i));
    const twin = leaves((k, i) => Math.cos(k + 0.3 * i));
    const opt = tree(new Adam({ lr: 0.01 }));
    const reference = tree(new Adam({ lr: 0.01 }));
    const gradientsIn = (step: number) => {
      const g = gradientAt(step);
      for (const path of Object.keys(SIZES)) inWasm[path].set(g[path]);
      return inWasm;
    };
    opt.step(params, gradientsIn(0));
    reference.step(twin, gradientAt(0));
    const used = backendInfo().memoryUsed;
    opt.step(params, gradientsIn(1)); // (the second step: where the block is taken)
    expect(backendInfo().memoryUsed).toBe(used);
    // one leaf outside: a block of its length alone (1000 doubles, 8000 bytes)
    opt.step(params, { ...gradientsIn(2), v: gradientAt(2).v });
    expect(backendInfo().memoryUsed).toBe(used + 8000);
    for (let step = 1; step < 3; step++) reference.step(twin, gradientAt(step));
    for (const path of Object.keys(SIZES)) expect(bytes(params[path]), path).toEqual(bytes(twin[path]));
    opt.dispose();
    reference.dispose();
    Object.values(inWasm).forEach(releaseVector);
  });

  it("a vector the user released is still refused where the block now lies in its memory", () => {
    setBackend("wasm");
    const staged = SIZES.w + SIZES.b + SIZES.v;
    const opt = tree(new Adam({ lr: 0.01 }));
    const params = leaves(() => 1);
    opt.step(params, gradientAt(0)); // the leaves' state first
    const released = allocateVector(staged);
    releaseVector(released);
    opt.step(params, gradientAt(1)); // the block: the first free range large enough, the one just released
    const g = gradientAt(1);
    expect(bytes(released)).toEqual(bytes(Float64Array.from([...g.w, ...g.b, ...g.v]))); // (it does lie there)
    expect(() => new Adam({ lr: 0.01 }).step(released, new Float64Array(staged))).toThrow(ShapeMismatchError);
    expect(() => opt.step({ ...params, w: released.subarray(0, SIZES.w) }, gradientAt(2))).toThrow(ShapeMismatchError);
    opt.dispose();
  });

  it("no block for leaves whose step runs in JavaScript (Adafactor), nor a second try where there was no room", () => {
    setBackend("wasm");
    const used = backendInfo().memoryUsed;
    const adafactor = tree(new Adafactor({ lr: 0.01 }));
    const params = leaves(() => 1);
    adafactor.step(params, gradientAt(0));
    adafactor.step(params, gradientAt(1));
    expect(backendInfo().memoryUsed).toBe(used);
    adafactor.dispose();
    // the block's allocation (the second step's only one) fails: the step checks in JavaScript, the next ones do not try again
    const opt = tree(new SGD({ lr: 0.1, momentum: 0.9 }));
    const twin = tree(new SGD({ lr: 0.1, momentum: 0.9 }));
    const twinParams = leaves(() => 1);
    const ownParams = leaves(() => 1);
    opt.step(ownParams, gradientAt(0));
    twin.step(twinParams, gradientAt(0));
    allocationFaults.countdown = 0;
    opt.step(ownParams, gradientAt(1));
    expect(allocationFaults.countdown).toBe(-1); // (the fault was met)
    const seen = allocationFaults.seen;
    for (let step = 2; step < 5; step++) opt.step(ownParams, gradientAt(step));
    expect(allocationFaults.seen).toBe(seen);
    for (let step = 1; step < 5; step++) twin.step(twinParams, gradientAt(step));
    for (const path of Object.keys(SIZES)) expect(bytes(ownParams[path]), path).toEqual(bytes(twinParams[path]));
    opt.dispose();
    twin.dispose();
  });

  it("unchecked (nonFinite: 'unchecked'), nothing is staged", () => {
    setBackend("wasm");
    const warm = new Adam({ lr: 0.01 });
    warm.step(new Float64Array(1000), new Float64Array(1000));
    warm.dispose();
    const used = backendInfo().memoryUsed;
    const total = Object.values(SIZES).reduce((a, b) => a + b, 0);
    const opt = tree(new Adam({ lr: 0.01, nonFinite: "unchecked" }));
    const params = leaves(() => 1);
    opt.step(params, gradientAt(0));
    opt.step(params, gradientAt(1));
    expect(backendInfo().memoryUsed - used).toBeLessThan(8 * (3 * total - SIZES.s));
    opt.dispose();
  });
});
