// A tree lays its leaves' state end to end in Wasm memory (packLeafState): every leaf's first state
// buffer in leaf order, then every leaf's second. Where the numbers are changes, never what they are:
// bit for bit each leaf alone, every block given back, and a run the memory cannot hold (injected at
// every allocation of the step) leaves the state where it was.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { Adam, allocateVector, backendInfo, type Optimizer, OutOfMemoryError, releaseVector, setBackend, SGD, tree, type TreeOptimizer } from "gradstep";
import { currentRuntime } from "../../src/backends/backend.js";
import { blockSpan } from "../../src/backends/wasm/arena.js";
import { allocationFaults } from "../../src/memory/allocate.js";
import { bytes, freshRuntime, thrown } from "../helpers.js";

const SIZES = [300, 7, 1000, 64, 129];
const PATHS = SIZES.map((_, k) => `x${k}`);

afterAll(() => {
  allocationFaults.countdown = -1;
  setBackend(process.env.GRADSTEP_BACKEND === "js" ? "js" : "wasm");
});

/** Per state buffer, whether the leaves' blocks lie end to end in leaf order. */
function endToEnd(opt: TreeOptimizer, buffers: number): boolean[] {
  const rt = currentRuntime()!;
  const leaves = (opt as any).leaves as { stateBlock(rt: unknown, i: number): number; stateBlockLength(i: number): number }[];
  return Array.from({ length: buffers }, (_, i) => leaves.every((leaf, k) => k === 0 || leaf.stateBlock(rt, i) === leaves[k - 1].stateBlock(rt, i) + blockSpan(8 * leaves[k - 1].stateBlockLength(i))));
}

/** The leaves in Wasm memory (no staged copies), and the gradient of step t at them. */
function leaves(): { params: Record<string, Float64Array>; grad: Record<string, Float64Array>; release: () => void } {
  const params: Record<string, Float64Array> = {};
  const grad: Record<string, Float64Array> = {};
  PATHS.forEach((path, k) => {
    params[path] = allocateVector(SIZES[k]);
    params[path].set(params[path].map((_, i) => Math.cos(k + 0.3 * i)));
    grad[path] = allocateVector(SIZES[k]);
  });
  return { params, grad, release: () => [...Object.values(params), ...Object.values(grad)].forEach(releaseVector) };
}

function gradientAt(t: number, params: Record<string, Float64Array>, grad: Record<string, Float64Array>): void {
  PATHS.forEach((path, k) => {
    for (let i = 0; i < SIZES[k]; i++) grad[path][i] = 0.5 * params[path][i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * t);
  });
}

const adamTree = () => tree(new Adam({ lr: 0.01, weightDecay: 0.1 }), { groups: [{ match: "x1", lr: 0.002 }] });

describe("a tree's state, laid end to end", () => {
  beforeEach(() => {
    allocationFaults.countdown = -1;
    setBackend("wasm", { threads: false });
  });

  it("Adam: all the m, then all the v, leaf after leaf; bit for bit each leaf alone", () => {
    const opt = adamTree();
    const { params, grad, release } = leaves();
    const alone: Optimizer[] = PATHS.map((path) => new Adam({ lr: path === "x1" ? 0.002 : 0.01, weightDecay: 0.1 }));
    const ref = PATHS.map((path) => params[path].slice());
    for (let t = 0; t < 3; t++) {
      gradientAt(t, params, grad);
      PATHS.forEach((path, k) => alone[k].step(ref[k], Float64Array.from({ length: SIZES[k] }, (_, i) => 0.5 * ref[k][i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * t))));
      opt.step(params, grad);
      expect(endToEnd(opt, 2)).toEqual([true, true]);
    }
    const snapshot = opt.snapshot();
    PATHS.forEach((path, k) => {
      expect(bytes(params[path]), path).toEqual(bytes(ref[k]));
      expect(snapshot.leaves![path].optimizer!.buffers, path).toEqual(alone[k].snapshot().buffers);
    });
    opt.dispose();
    release();
  });

  it("the blocks left behind are given back at once, and dispose gives back the rest (no staging block: the gradients are in Wasm memory)", () => {
    const { params, grad, release } = leaves();
    const used = backendInfo().memoryUsed;
    const opt = adamTree();
    gradientAt(0, params, grad);
    opt.step(params, grad);
    const state = 2 * SIZES.reduce((sum, n) => sum + blockSpan(8 * n), 0);
    expect(backendInfo().memoryUsed).toBe(used + state);
    opt.step(params, grad);
    expect(backendInfo().memoryUsed).toBe(used + state);
    opt.dispose();
    expect(backendInfo().memoryUsed).toBe(used);
    release();
  });

  it("a restored tree lays its state out again at its next step, and continues bit for bit", () => {
    const { params, grad, release } = leaves();
    const opt = adamTree();
    for (let t = 0; t < 2; t++) {
      gradientAt(t, params, grad);
      opt.step(params, grad);
    }
    const restored = adamTree();
    restored.restore(opt.snapshot());
    const twin = leaves();
    PATHS.forEach((path) => twin.params[path].set(params[path]));
    for (let t = 2; t < 4; t++) {
      gradientAt(t, params, grad);
      gradientAt(t, twin.params, twin.grad);
      opt.step(params, grad);
      restored.step(twin.params, twin.grad);
      expect(endToEnd(restored, 2)).toEqual([true, true]);
    }
    PATHS.forEach((path) => expect(bytes(twin.params[path]), path).toEqual(bytes(params[path])));
    expect(restored.snapshot()).toEqual(opt.snapshot());
    for (const o of [opt, restored]) o.dispose();
    release();
    twin.release();
  });

  it("an allocation that fails at any point of the first step: refused with nothing changed, or the same step with the state where it was", () => {
    const reference = adamTree();
    const ref = leaves();
    gradientAt(0, ref.params, ref.grad);
    const seenBefore = allocationFaults.seen;
    reference.step(ref.params, ref.grad);
    const count = allocationFaults.seen - seenBefore;
    expect(count).toBeGreaterThanOrEqual(12); // (5 leaves × 2 buffers, then a run of each buffer)
    gradientAt(1, ref.params, ref.grad);
    reference.step(ref.params, ref.grad);
    const { params, grad, release } = leaves();
    const used = backendInfo().memoryUsed;
    const laidOut: string[] = [];
    for (let k = 0; k < count; k++) {
      PATHS.forEach((path, j) => params[path].set(params[path].map((_, i) => Math.cos(j + 0.3 * i))));
      const start = PATHS.map((path) => params[path].slice());
      const opt = adamTree();
      gradientAt(0, params, grad);
      allocationFaults.countdown = k;
      const error = thrown(() => opt.step(params, grad));
      allocationFaults.countdown = -1;
      if (error !== undefined) {
        expect(error, `fault at allocation ${k}`).toBeInstanceOf(OutOfMemoryError);
        PATHS.forEach((path, j) => expect(bytes(params[path]), `fault at allocation ${k}: ${path}`).toEqual(bytes(start[j])));
        expect(opt.stepCount).toBe(0);
      } else {
        laidOut.push(endToEnd(opt, 2).join());
        gradientAt(1, params, grad);
        opt.step(params, grad);
        PATHS.forEach((path) => expect(bytes(params[path]), `fault at allocation ${k}: ${path}`).toEqual(bytes(ref.params[path])));
        expect(opt.snapshot(), `fault at allocation ${k}`).toEqual(reference.snapshot());
      }
      opt.dispose();
      expect(backendInfo().memoryUsed, `fault at allocation ${k}`).toBe(used);
    }
    // the last two allocations are the runs: the m's failing leaves them leaf by leaf, the v's likewise
    expect(laidOut.slice(-2)).toEqual(["false,true", "true,false"]);
    reference.dispose();
    release();
    ref.release();
  });

  it("SGD with momentum: one run, also where freed blocks sit between the leaves' first places", () => {
    const holes = Array.from({ length: 6 }, () => allocateVector(50));
    const { params, grad, release } = leaves();
    holes.forEach((h, i) => i % 2 === 0 && releaseVector(h));
    const opt = tree(new SGD({ lr: 0.01, momentum: 0.9 }));
    gradientAt(0, params, grad);
    opt.step(params, grad);
    expect(endToEnd(opt, 1)).toEqual([true]);
    opt.dispose();
    release();
    holes.forEach((h, i) => i % 2 === 1 && releaseVector(h));
  });

  it("on a memory that is not shared, nothing moves (growing it would detach the vectors the step still reads)", () => {
    freshRuntime(false, { threads: false });
    const { params, grad, release } = leaves();
    const opt = adamTree();
    gradientAt(0, params, grad);
    opt.step(params, grad);
    expect(endToEnd(opt, 2)).toEqual([false, false]);
    opt.dispose();
    release();
    freshRuntime(true, { threads: false });
  });
});
