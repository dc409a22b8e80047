// Parameter trees: a tree step is each leaf's own step with its group's options (to the bit),
// tree-wide clipping is clipping of the concatenation (to the bit), and every failure changes nothing.
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import {
  Adam,
  allocateVector,
  backendInfo,
  chain,
  GradstepError,
  InvalidOptionError,
  InvalidSnapshotError,
  Nesterov,
  NonFiniteGradientError,
  NormalizedGradient,
  type ParamTree,
  releaseVector,
  setBackend,
  SGD,
  ShapeMismatchError,
  tree,
} from "gradstep";
import { allocationFaults } from "../../src/memory/allocate.js";
import { allRules, bytes } from "../helpers.js";

/** A tree of the given leaf lengths: leaves at a/x0, a/x1, b/c/x2, … (nested, some shaped). */
function makeTree(sizes: readonly number[], fill: (k: number, i: number) => number): ParamTree {
  const root: Record<string, any> = {};
  sizes.forEach((n, k) => {
    const data = Float64Array.from({ length: n }, (_, i) => fill(k, i));
    const node = k % 3 === 0 ? root : k % 3 === 1 ? (root.a ??= {}) : ((root.b ??= {}).c ??= {});
    node[`x${k}`] = n % 2 === 0 && n > 0 ? { data, shape: [2, n / 2] } : data;
  });
  return root;
}

/** The leaves of a tree in the tree's own order (depth first, keys as the objects list them). */
function leavesOf(t: ParamTree): Float64Array[] {
  const out: Float64Array[] = [];
  const visit = (node: any): void => {
    for (const key of Object.keys(node)) {
      const child = node[key];
      if (child instanceof Float64Array) out.push(child);
      else if ("data" in child && "shape" in child && Object.keys(child).length === 2) out.push(child.data);
      else visit(child);
    }
  };
  visit(t);
  return out;
}

/** The leaf at `path`. */
function leafAt(t: ParamTree, path: string): Float64Array {
  const node: any = path.split("/").reduce((n: any, key) => n[key], t);
  return node instanceof Float64Array ? node : node.data;
}

/** The same tree with every node's keys in reverse order (the same leaf objects). */
function reversedKeys(t: ParamTree): ParamTree {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(t).reverse()) {
    const child: any = t[key];
    out[key] = child instanceof Float64Array || ("data" in child && "shape" in child) ? child : reversedKeys(child);
  }
  return out as ParamTree;
}

function pathsOf(sizes: readonly number[]): string[] {
  return sizes.map((_, k) => (k % 3 === 0 ? `x${k}` : k % 3 === 1 ? `a/x${k}` : `b/c/x${k}`));
}

/** A gradient for step s: smooth in θ plus a fixed pattern, so that every rule has something to do. */
function gradientOf(params: ParamTree, step: number, target: ParamTree, paths: readonly string[]): void {
  paths.forEach((path, k) => {
    const p = leafAt(params, path);
    const g = leafAt(target, path);
    for (let i = 0; i < p.length; i++) g[i] = 0.5 * p[i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * step);
  });
}

const sizesArbitrary = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 });
/** Leaves short and long: on the Wasm backend a gradient leaf of 32 or more is copied into Wasm memory for the check and the step (staged-gradients.ts). */
const mixedSizesArbitrary = fc.array(fc.oneof(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 30, max: 90 })), { minLength: 1, maxLength: 6 });
const groupArbitrary = fc.record({ pick: fc.integer({ min: 0, max: 5 }), lrScale: fc.constantFrom(0.5, 2, 0.1) });

describe("a tree step is each leaf's step with its group's options", () => {
  test.prop([fc.constantFrom(...allRules.filter((r) => r.name !== "NormalizedGradient global")), mixedSizesArbitrary, fc.array(groupArbitrary, { maxLength: 3 }), fc.integer({ min: 0, max: 5 })], { numRuns: 120 })(
    "bit for bit, over random rules, trees and groups",
    (rule, sizes, groupSpecs, frozenPick) => {
      const template = rule.make();
      const paths = pathsOf(sizes);
      const baseLr = template.valueAt("lr", 0);
      const groups = groupSpecs.map(({ pick, lrScale }) => ({ match: paths[pick % paths.length], lr: baseLr * lrScale }));
      const frozen = frozenPick < paths.length ? paths[frozenPick] : null;
      const opt = tree(template as any, { groups, freeze: frozen });
      const params = makeTree(sizes, (k, i) => Math.cos(k + 0.3 * i));
      const grad = makeTree(sizes, () => 0);
      // The reference: one optimizer per leaf, built from the rule's options and its groups' in order.
      // (a shaped leaf of a rule with a static optionsForShape, Adafactor, gets its shape's options first)
      const forShape = (template.constructor as { optionsForShape?: (shape: number[]) => Record<string, unknown> }).optionsForShape;
      const shapeOptions = (k: number) => (forShape !== undefined && sizes[k] % 2 === 0 ? forShape([2, sizes[k] / 2]) : {});
      const alone = paths.map((path, k) =>
        path === frozen ? null : rule.make({ ...template.options, ...shapeOptions(k), ...Object.assign({}, ...groups.filter((g) => g.match === path).map(({ match, ...o }) => o)) }),
      );
      const refParams = paths.map((path) => leafAt(params, path).slice());
      const point = makeTree(sizes, () => 0);
      for (let step = 0; step < 4; step++) {
        const at = opt.gradientPoint(params, point);
        gradientOf(at, step, grad, paths);
        const g = paths.map((path) => leafAt(grad, path));
        refParams.forEach((leaf, k) => {
          const ref = alone[k];
          if (ref === null) return;
          const refPoint = ref.gradientPoint(leaf, new Float64Array(leaf.length));
          const refGrad = new Float64Array(leaf.length);
          for (let i = 0; i < leaf.length; i++) refGrad[i] = 0.5 * refPoint[i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * step);
          expect(bytes(refGrad), `${rule.name} step ${step} leaf ${paths[k]} gradient`).toEqual(bytes(g[k]));
          ref.step(leaf, refGrad);
        });
        // every other step, trees whose nodes list their keys in reverse (the same leaves): read by lookup, not as enumerated
        opt.step(step === 2 ? reversedKeys(params) : params, step % 2 === 1 ? reversedKeys(grad) : grad);
      }
      const got = paths.map((path) => leafAt(params, path));
      refParams.forEach((leaf, k) => expect(bytes(got[k]), `${rule.name} leaf ${paths[k]}`).toEqual(bytes(leaf)));
      if (frozen !== null) expect(bytes(got[paths.indexOf(frozen)])).toEqual(bytes(Float64Array.from({ length: sizes[paths.indexOf(frozen)] }, (_, i) => Math.cos(paths.indexOf(frozen) + 0.3 * i))));
      expect(opt.stepCount).toBe(4);
      opt.dispose();
    },
  );

  it("later groups override earlier ones, globs select by path", () => {
    const opt = tree(new SGD({ lr: 0.1, weightDecay: 0.01 }), {
      groups: [
        { match: "encoder/**", lr: 0.01 },
        { match: (path: string) => path.endsWith("bias"), weightDecay: 0 },
        { match: /^encoder\/layer1\//, lr: 0.001 },
      ],
      freeze: "embedding",
    });
    const params = { embedding: new Float64Array(2), encoder: { layer0: { weight: new Float64Array(2), bias: new Float64Array(1) }, layer1: { bias: new Float64Array(1) } }, head: { bias: new Float64Array(1) } };
    opt.step(params, params);
    expect(opt.paths).toEqual(["embedding", "encoder/layer0/weight", "encoder/layer0/bias", "encoder/layer1/bias", "head/bias"]);
    expect(opt.leafOptions("embedding")).toBeUndefined();
    expect(opt.leafOptions("encoder/layer0/weight")).toMatchObject({ lr: 0.01, weightDecay: 0.01, nonFinite: "throw" });
    expect(opt.leafOptions("encoder/layer0/bias")).toMatchObject({ lr: 0.01, weightDecay: 0 });
    expect(opt.leafOptions("encoder/layer1/bias")).toMatchObject({ lr: 0.001, weightDecay: 0 });
    expect(opt.leafOptions("head/bias")).toMatchObject({ lr: 0.1, weightDecay: 0 });
    expect(opt.valueAt("lr", undefined, "encoder/layer1/bias")).toBe(0.001);
  });

  it("a group's option may be a schedule", () => {
    const opt = tree(new SGD({ lr: 0.1 }), { groups: [{ match: "b", lr: { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 1 } }] });
    const params = { a: Float64Array.of(1), b: Float64Array.of(1) };
    for (let t = 0; t < 3; t++) opt.step(params, { a: Float64Array.of(1), b: Float64Array.of(1) });
    expect(params.a[0]).toBe(1 - 0.1 - 0.1 - 0.1);
    expect(params.b[0]).toBe(1 - 0.1 - 0.05 - 0.025);
  });
});

describe("tree-wide clipByGlobalNorm equals clipping the concatenated vector", () => {
  test.prop([sizesArbitrary, fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 60, maxLength: 60 }), fc.constantFrom(1, 1e-300, 1e300)], { numRuns: 100 })(
    "bit for bit, also where Σg² overflows or underflows",
    (sizes, maxNorm, values, scale) => {
      const params = makeTree(sizes, (k, i) => 0.01 * (k + i));
      const grad = makeTree(sizes, (k, i) => values[(7 * k + i) % 60] * scale);
      const flatParams = Float64Array.from(leavesOf(params).flatMap((leaf) => [...leaf]));
      const flatGrad = Float64Array.from(leavesOf(grad).flatMap((leaf) => [...leaf]));
      tree(new Adam({ lr: 0.1 }), { clipByGlobalNorm: { maxNorm, eps: 1e-6 } }).step(params, grad);
      chain([{ kind: "clipByGlobalNorm", maxNorm, eps: 1e-6 }], new Adam({ lr: 0.1 })).step(flatParams, flatGrad);
      expect(bytes(Float64Array.from(leavesOf(params).flatMap((leaf) => [...leaf])))).toEqual(bytes(flatParams));
    },
  );

  it("frozen leaves are outside the norm", () => {
    const opt = tree(new SGD({ lr: 1 }), { freeze: "frozen", clipByGlobalNorm: { maxNorm: 5 } });
    const params = { frozen: Float64Array.of(0), w: Float64Array.of(0, 0) };
    opt.step(params, { frozen: Float64Array.of(1e6), w: Float64Array.of(30, 40) }); // ‖g‖ = 50 → factor 0.1
    expect([...params.w]).toEqual([-3, -4]);
    expect(params.frozen[0]).toBe(0);
  });
});

describe("all or nothing, naming the leaf", () => {
  const fresh = () => ({ layer: { weight: Float64Array.of(1, 2, 3), bias: Float64Array.of(0.5) }, out: Float64Array.of(-1) });

  it.each([
    ["a missing leaf", (g: any) => delete g.layer.bias, ShapeMismatchError, "grad/layer/bias"],
    ["an extra leaf", (g: any) => (g.layer.extra = new Float64Array(1)), ShapeMismatchError, "grad/layer/extra"],
    ["a resized leaf", (g: any) => (g.out = new Float64Array(2)), ShapeMismatchError, "grad/out"],
    ["a leaf of another type", (g: any) => (g.out = [1]), ShapeMismatchError, "grad/out"],
    // (enumerated in the layout's order, as an own leaf would be: the read as enumerated must still refuse it)
    ["a leaf only inherited", (g: any) => (g.layer = Object.assign(Object.create({ bias: Float64Array.of(1) }), { weight: g.layer.weight })), ShapeMismatchError, "grad/layer/bias"],
    ["a last leaf only inherited", (g: any) => Object.setPrototypeOf(g, { out: g.out }) && delete g.out, ShapeMismatchError, "grad/out"],
    ["a subtree only inherited", (g: any) => Object.setPrototypeOf(g, { layer: g.layer }) && delete g.layer, ShapeMismatchError, "grad/layer"],
    ["a non-finite gradient", (g: any) => (g.out[0] = NaN), NonFiniteGradientError, "grad/out[0]"],
  ])("%s in the gradient", (_, spoil, type, argument) => {
    const opt = tree(new Adam({ lr: 0.1 }));
    const params = fresh();
    opt.step(params, fresh());
    const before = JSON.stringify(opt.snapshot());
    const saved = leavesOf(params).map((leaf) => leaf.slice());
    const grad: any = fresh();
    spoil(grad);
    let error: unknown;
    try {
      opt.step(params, grad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as GradstepError).argument).toBe(argument);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    leavesOf(params).forEach((leaf, k) => expect(bytes(leaf)).toEqual(bytes(saved[k])));
  });

  it("trees whose keys come in another order step the same leaves, and each leaf is read once a step", () => {
    const inOrder = tree(new Adam({ lr: 0.1 }));
    const reordered = tree(new Adam({ lr: 0.1 }));
    const p1 = fresh();
    const p2 = fresh();
    const reads: string[] = [];
    const counted = (name: string, value: Float64Array) => ({ get: () => (reads.push(name), value), enumerable: true });
    for (let step = 0; step < 3; step++) {
      const g = Float64Array.of(0.3 * step - 0.2, 1, -2);
      inOrder.step(p1, { layer: { weight: g, bias: Float64Array.of(step) }, out: Float64Array.of(1) });
      // out first, bias before weight, and getters that count their reads
      const grad = Object.defineProperties({}, { out: counted("out", Float64Array.of(1)), layer: counted("layer", Object.defineProperties({}, { bias: counted("bias", Float64Array.of(step)), weight: counted("weight", g) }) as never) }) as ParamTree;
      reordered.step(step === 1 ? { out: p2.out, layer: { bias: p2.layer.bias, weight: p2.layer.weight } } : p2, grad);
    }
    expect(reads.sort()).toEqual(["bias", "bias", "bias", "layer", "layer", "layer", "out", "out", "out", "weight", "weight", "weight"]);
    leavesOf(p1).forEach((leaf, k) => expect(bytes(leaf)).toEqual(bytes(leavesOf(p2)[k])));
    expect(JSON.stringify(reordered.snapshot())).toBe(JSON.stringify(inOrder.snapshot()));
  });

  it("a leaf whose group's numbers overflow stops the whole step before any leaf moves", () => {
    // Adam's first step divides by 1 − β₂ = 0 only for the group with beta2 … use lr so large that η/(1−β₁) overflows.
    const opt = tree(new Adam({ lr: 0.1 }), { groups: [{ match: "z", lr: 1.7e308, beta: 0.5 }] });
    const params = { a: Float64Array.of(1), z: Float64Array.of(1) };
    expect(() => opt.step(params, { a: Float64Array.of(1), z: Float64Array.of(1) })).toThrow(InvalidOptionError);
    expect(params.a[0]).toBe(1);
    expect(opt.stepCount).toBe(0);
    expect(opt.paths).toBeUndefined();
  });

  it("a non-finite value in any leaf of a gradient in Wasm memory (the leaves checked as one vector by two cursors) is refused naming the first such leaf; skip skips", () => {
    setBackend("wasm");
    const lengths = { a: 0, b: 1, c: 5, d: 33, e: 100, f: 7 };
    const grad: Record<string, Float64Array> = {};
    const params: Record<string, Float64Array> = {};
    for (const [path, n] of Object.entries(lengths)) {
      grad[path] = path === "f" ? new Float64Array(n) : allocateVector(n); // f: a plain array, checked on its own
      params[path] = allocateVector(n);
      grad[path].fill(0.5);
    }
    for (const policy of ["throw", "skip"] as const) {
      const opt = tree(new SGD({ lr: 0.1, momentum: 0.9, nonFinite: policy }));
      opt.step(params, grad);
      const saved = Object.values(params).map((leaf) => leaf.slice());
      const before = JSON.stringify(opt.snapshot());
      for (const [path, n] of Object.entries(lengths)) {
        for (const i of new Set([0, 1, Math.floor(n / 2), n - 2, n - 1].filter((i) => i >= 0 && i < n))) {
          grad[path][i] = Number.NaN;
          grad.e[99] = Number.POSITIVE_INFINITY; // a second one, in a later leaf (or the same)
          if (policy === "throw") {
            // leaves in order a … f: the NaN's leaf, unless it comes after e (whose [99] is ∞)
            const first = path === "f" ? "grad/e[99]" : path === "e" ? `grad/e[${i}]` : `grad/${path}[${i}]`;
            expect(() => opt.step(params, grad)).toThrow(expect.objectContaining({ argument: first }));
          } else opt.step(params, grad);
          grad[path][i] = 0.5;
          grad.e[99] = 0.5;
          expect(JSON.stringify(opt.snapshot())).toBe(before);
          Object.values(params).forEach((leaf, k) => expect(bytes(leaf)).toEqual(bytes(saved[k])));
        }
      }
      opt.step(params, grad);
      expect(opt.stepCount).toBe(2);
      opt.dispose();
    }
  });

  it("on the Wasm backend, a non-finite value in a plain leaf (copied into Wasm memory and checked there, or checked in JavaScript under 32 numbers, before any leaf moves) is refused naming it; skip skips", () => {
    setBackend("wasm");
    const lengths = { a: 511, b: 512, c: 513, d: 3000, e: 8 };
    const grad: Record<string, Float64Array> = {};
    const params: Record<string, Float64Array> = {};
    for (const [path, n] of Object.entries(lengths)) {
      grad[path] = new Float64Array(n).fill(0.25);
      params[path] = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    }
    for (const policy of ["throw", "skip"] as const) {
      const opt = tree(new Adam({ lr: 0.1, nonFinite: policy }));
      opt.step(params, grad);
      const saved = Object.values(params).map((leaf) => leaf.slice());
      const before = JSON.stringify(opt.snapshot());
      for (const [path, n] of Object.entries(lengths)) {
        for (const [i, bad] of [[0, Number.NaN], [1, Infinity], [n >> 1, -Infinity], [n - 1, Number.NaN]] as const) {
          grad[path][i] = bad;
          if (policy === "throw") expect(() => opt.step(params, grad)).toThrow(expect.objectContaining({ argument: `grad/${path}[${i}]` }));
          else opt.step(params, grad);
          grad[path][i] = 0.25;
          expect(JSON.stringify(opt.snapshot())).toBe(before);
          Object.values(params).forEach((leaf, k) => expect(bytes(leaf)).toEqual(bytes(saved[k])));
        }
      }
      // finite values whose sum overflows are not refused
      grad.d.fill(Number.MAX_VALUE);
      opt.step(params, grad);
      expect(opt.stepCount).toBe(2);
      grad.d.fill(0.25);
      opt.dispose();
    }
  });

  it("nonFinite: skip skips the whole tree", () => {
    const opt = tree(new SGD({ lr: 0.1, nonFinite: "skip" }));
    const params = { a: Float64Array.of(1), b: Float64Array.of(1) };
    opt.step(params, { a: Float64Array.of(1), b: Float64Array.of(Infinity) });
    expect([params.a[0], params.b[0], opt.stepCount]).toEqual([1, 1, 0]);
  });

  it("fails whole at every allocation of the first step, or completes as without faults", () => {
    for (let k = 0; ; k++) {
      const opt = tree(new Adam({ lr: 0.1 }), { clipByGlobalNorm: { maxNorm: 1 } });
      const params = fresh();
      allocationFaults.countdown = k;
      let failed: unknown;
      try {
        opt.step(params, fresh());
      } catch (e) {
        failed = e;
      }
      const reached = allocationFaults.countdown < 0;
      allocationFaults.countdown = -1;
      if (failed !== undefined) {
        expect(failed).toBeInstanceOf(GradstepError);
        expect(leavesOf(params).map((l) => [...l])).toEqual(leavesOf(fresh()).map((l) => [...l]));
        expect(opt.snapshot().leaves).toBeNull();
        expect(opt.stepCount).toBe(0);
      }
      if (!reached) break;
    }
  });

  it("a Wasm leaf released between steps is refused at the next step, though the same arrays passed before", () => {
    const previous = backendInfo().choice;
    setBackend("auto"); // Wasm memory, whichever backend the suite runs on
    try {
      for (const released of ["params", "grad"] as const) {
        const opt = tree(new Adam({ lr: 0.1 }));
        const params = { a: allocateVector(2).fill(1), b: allocateVector(3).fill(2) };
        const grad = { a: allocateVector(2).fill(0.5), b: allocateVector(3).fill(0.25) };
        opt.step(params, grad);
        opt.step(params, grad); // the second step takes the cached checks
        const before = JSON.stringify(opt.snapshot());
        const values = [...params.a, ...params.b];
        releaseVector(released === "params" ? params.b : grad.b);
        expect(() => opt.step(params, grad)).toThrow(new RegExp(`${released}/b`));
        expect(JSON.stringify(opt.snapshot())).toBe(before);
        expect([...params.a]).toEqual(values.slice(0, 2));
        opt.dispose();
      }
    } finally {
      setBackend(previous);
    }
  });

  it("leaves that share memory across the tree are refused before anything moves, step after step", () => {
    const state = (opt: ReturnType<typeof tree>, vectors: Float64Array[]) => JSON.stringify({ s: opt.snapshot(), v: vectors.map((v) => [...v]) });
    // a gradient leaf that is another leaf's params: read after that leaf has moved
    {
      const opt = tree(new SGD({ lr: 0.1 }));
      const params = { a: Float64Array.of(1, 2), b: Float64Array.of(3, 4) };
      const before = state(opt, [params.a, params.b]);
      for (let attempt = 0; attempt < 2; attempt++) {
        expect(() => opt.step(params, { a: Float64Array.of(1, 1), b: params.a })).toThrow(/grad\/b/);
        expect(state(opt, [params.a, params.b])).toBe(before);
      }
    }
    // two params leaves over one range (would move twice), and a frozen leaf over a stepped one (would move)
    for (const freeze of [null, "b"]) {
      const buffer = new Float64Array(4).fill(1);
      const opt = tree(new SGD({ lr: 0.1 }), { freeze });
      const params = { a: buffer.subarray(0, 3), b: buffer.subarray(2, 4) };
      expect(() => opt.step(params, { a: new Float64Array(3).fill(1), b: new Float64Array(2).fill(1) })).toThrow(/params\/b/);
      expect([...buffer]).toEqual([1, 1, 1, 1]);
    }
    // the same in Wasm memory, where every vector shares one memory: a gradient over part of another leaf's params
    {
      const previous = backendInfo().choice;
      setBackend("auto");
      try {
        const whole = allocateVector(6).fill(1);
        const opt = tree(new SGD({ lr: 0.1 }));
        const params = { a: whole.subarray(0, 3), b: whole.subarray(3, 6) };
        const before = [...whole];
        expect(() => opt.step(params, { a: allocateVector(3), b: whole.subarray(0, 2) })).toThrow(/grad\/b/); // over params/a
        expect(() => opt.step(params, { a: allocateVector(3), b: whole.subarray(2, 5) })).toThrow(/grad\/b/); // partly over its own
        expect([...whole]).toEqual(before);
        opt.step(params, { a: allocateVector(3).fill(1), b: allocateVector(3).fill(1) }); // separate gradients pass
        expect([...whole]).toEqual([0.9, 0.9, 0.9, 0.9, 0.9, 0.9]);
      } finally {
        setBackend(previous);
      }
    }
    // allowed: disjoint ranges of one buffer, a leaf's own params as its gradient, gradients sharing memory
    const buffer = Float64Array.of(1, 2, 3, 4);
    const shared = Float64Array.of(0.5, 0.5);
    const opt = tree(new SGD({ lr: 0.1 }));
    opt.step({ a: buffer.subarray(0, 2), b: buffer.subarray(2, 4) }, { a: shared, b: shared });
    expect([...buffer]).toEqual([1 - 0.05, 2 - 0.05, 3 - 0.05, 4 - 0.05]);
    const own = { a: Float64Array.of(1, 2) };
    tree(new SGD({ lr: 0.5 })).step(own, own);
    expect([...own.a]).toEqual([0.5, 1]);
  });

  it("refuses what it cannot do on a tree", () => {
    expect(() => tree(new NormalizedGradient({ norm: "global" }))).toThrow(InvalidOptionError);
    expect(() => tree(chain([], { step() {}, stepCount: 0, options: { nonFinite: "throw" } } as any))).toThrow(/optimizer\.optimizer/);
    expect(() => tree(new SGD(), { groups: [{ match: "a", lr: -1 }] })).toThrow(/groups\[0\]\.lr/);
    expect(() => tree(new SGD(), { groups: [{ match: "a", nonFinite: "skip" }] })).toThrow(InvalidOptionError);
    expect(() => tree(new SGD(), { freeze: 3 as any })).toThrow(InvalidOptionError);
    expect(() => tree(new SGD(), { grups: [] } as any)).toThrow(InvalidOptionError);
    const opt = tree(new SGD());
    expect(() => opt.step({ "a/b": new Float64Array(1) }, { "a/b": new Float64Array(1) })).toThrow(ShapeMismatchError);
    expect(() => opt.step({ a: { data: new Float64Array(3), shape: [2, 2] } }, { a: new Float64Array(3) })).toThrow(/params\/a\.shape/);
    expect(() => opt.step({}, {})).toThrow(ShapeMismatchError);
  });
});

describe("set, snapshot and restore", () => {
  const make = () => tree(new Adam({ lr: 0.01 }), { groups: [{ match: "**/bias", lr: 0.1 }], freeze: "frozen" });
  const params = () => ({ frozen: Float64Array.of(3), l: { weight: { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] }, bias: Float64Array.of(0.5, -0.5) } });
  const gradFor = (p: any, t: number) => ({ frozen: Float64Array.of(1), l: { weight: p.l.weight.data.map((x: number, i: number) => x + Math.sin(t + i)), bias: p.l.bias.map((x: number) => 2 * x - t) } });

  it("restores bit for bit through JSON, into a fresh tree", () => {
    const a = make();
    const pa = params();
    for (let t = 0; t < 3; t++) a.step(pa, gradFor(pa, t));
    const b = make();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    const pb = JSON.parse(JSON.stringify({ ...pa, l: { ...pa.l, weight: { ...pa.l.weight, data: [...pa.l.weight.data] }, bias: [...pa.l.bias] }, frozen: [...pa.frozen] }));
    const pb2 = { frozen: Float64Array.from(pb.frozen), l: { weight: { data: Float64Array.from(pb.l.weight.data), shape: [2, 2] }, bias: Float64Array.from(pb.l.bias) } };
    for (let t = 3; t < 6; t++) {
      a.step(pa, gradFor(pa, t));
      b.step(pb2, gradFor(pb2, t));
    }
    expect(bytes(pb2.l.weight.data)).toEqual(bytes(pa.l.weight.data));
    expect(bytes(pb2.l.bias)).toEqual(bytes(pa.l.bias));
    expect(b.stepCount).toBe(6);
    expect(a.snapshot().leaves!["l/weight"].shape).toEqual([2, 2]);
  });

  it.each([
    ["a missing leaf", (s: any) => delete s.leaves["l/bias"], "snapshot.leaves/l/bias"],
    ["an extra leaf", (s: any) => (s.leaves["l/extra"] = s.leaves["l/bias"]), "snapshot.leaves/l/extra"],
    ["a resized leaf", (s: any) => (s.leaves["l/bias"].size = 3), "snapshot.leaves/l/bias.size"],
    ["a corrupted leaf buffer", (s: any) => (s.leaves["l/bias"].optimizer.buffers.firstMoment = "AAAA"), "snapshot.leaves/l/bias.optimizer.buffers.firstMoment"],
    ["a leaf frozen differently", (s: any) => (s.leaves.frozen.optimizer = s.leaves["l/bias"].optimizer), "snapshot.leaves/frozen.optimizer"],
    ["a leaf behind in steps", (s: any) => (s.leaves["l/weight"].optimizer.stepCount = 1), "snapshot.leaves/l/weight.optimizer.stepCount"],
    ["another rule", (s: any) => (s.rule = "SGD"), "snapshot.rule"],
    ["a size that is not the total", (s: any) => (s.size = 3), "snapshot.size"],
  ])("refuses %s whole, naming it", (_, spoil, argument) => {
    const a = make();
    const pa = params();
    for (let t = 0; t < 2; t++) a.step(pa, gradFor(pa, t));
    const b = make();
    const pb = params();
    b.step(pb, gradFor(pb, 0));
    const before = JSON.stringify(b.snapshot());
    const bad = JSON.parse(JSON.stringify(a.snapshot()));
    spoil(bad);
    let error: unknown;
    try {
      b.restore(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect((error as GradstepError).argument).toBe(argument);
    expect(JSON.stringify(b.snapshot())).toBe(before);
  });

  it("set changes every leaf from the next step, groups still win, and is refused whole", () => {
    const opt = make();
    const p = params();
    opt.step(p, gradFor(p, 0));
    opt.set({ lr: 0.001 });
    expect(opt.valueAt("lr", undefined, "l/weight")).toBe(0.001);
    expect(opt.valueAt("lr", undefined, "l/bias")).toBe(0.1);
    const before = JSON.stringify(opt.snapshot());
    expect(() => opt.set({ amsgrad: true })).toThrow(InvalidOptionError); // needs another buffer
    expect(() => opt.set({ lr: -1 })).toThrow(InvalidOptionError);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    expect(opt.snapshot().options.lr).toBe(0.001);
  });

  it("Nesterov's look-ahead point is a tree; reset starts over with another tree", () => {
    const opt = tree(new Nesterov({ lr: 0.1, beta: 0.9 }), { freeze: "f" });
    const p = { w: Float64Array.of(1, 2), f: Float64Array.of(7) };
    const out = { w: new Float64Array(2), f: new Float64Array(1) };
    expect(opt.gradientPoint(p, out)).toBe(p);
    opt.step(p, { w: Float64Array.of(1, 1), f: Float64Array.of(1) });
    const at = opt.gradientPoint(p, out) as typeof out;
    expect(at).toBe(out);
    expect(out.f[0]).toBe(7);
    const alone = new Nesterov({ lr: 0.1, beta: 0.9 });
    const q = Float64Array.of(1, 2);
    alone.step(q, Float64Array.of(1, 1));
    expect(bytes(out.w)).toEqual(bytes(alone.gradientPoint(q, new Float64Array(2))));
    opt.reset();
    opt.step({ other: new Float64Array(3) }, { other: new Float64Array(3) });
    expect(opt.paths).toEqual(["other"]);
  });
});

describe("a declared layout: flat vectors, minimize", () => {
  it("stepping a flat vector equals stepping the tree of its views, and both equal the leaves alone", () => {
    const layout = { w: [2, 3], b: 2, head: { v: 4 } };
    const flatOpt = tree(new Adam({ lr: 0.1 }), { layout, groups: [{ match: "b", lr: 0.01 }] });
    const treeOpt = tree(new Adam({ lr: 0.1 }), { groups: [{ match: "b", lr: 0.01 }] });
    const flat = Float64Array.from({ length: 12 }, (_, i) => Math.sin(i));
    const asTree = { w: { data: flat.slice(0, 6), shape: [2, 3] }, b: flat.slice(6, 8), head: { v: flat.slice(8) } };
    for (let t = 0; t < 3; t++) {
      const g = Float64Array.from({ length: 12 }, (_, i) => Math.cos(i + t));
      flatOpt.step(flat, g);
      treeOpt.step(asTree, { w: g.slice(0, 6), b: g.slice(6, 8), head: { v: g.slice(8) } });
    }
    expect(bytes(flat)).toEqual(bytes(Float64Array.from([...asTree.w.data, ...asTree.b, ...asTree.head.v])));
    expect(flatOpt.size).toBe(12);
    expect(flatOpt.paths).toEqual(["w", "b", "head/v"]);
    expect(flatOpt.snapshot().leaves!.w.shape).toEqual([2, 3]);
    expect(() => flatOpt.step(new Float64Array(11), new Float64Array(11))).toThrow(ShapeMismatchError);
    expect(() => treeOpt.step(new Float64Array(12), new Float64Array(12))).toThrow(/layout option/);
    expect(() => tree(new Adam(), { layout: { w: 0 } })).toThrow(/layout\/w/);
  });

  it("minimize trains with it, and its training state resumes bit for bit", async () => {
    const { dataset, empiricalRisk, linearRegression, minimize, sumOfSquares } = await import("gradstep/learn");
    const objective = empiricalRisk(linearRegression(), sumOfSquares(), dataset([[0], [1], [2], [3]], [1, 3, 5, 7]));
    const make = () => tree(new Adam({ lr: 0.05, weightDecay: 0.1, weightDecayMode: "decoupled" }), { layout: { intercept: 1, slope: 1 }, groups: [{ match: "intercept", weightDecay: 0 }] });
    const whole = new Float64Array(2);
    minimize({ objective, optimizer: make(), params: whole, steps: 60 });
    // the same as two optimizers, one per coordinate, each with its options
    const alone = [new Adam({ lr: 0.05 }), new Adam({ lr: 0.05, weightDecay: 0.1, weightDecayMode: "decoupled" })];
    const theta = new Float64Array(2);
    const grad = new Float64Array(2);
    for (let t = 0; t < 60; t++) {
      objective.evaluate(theta, grad);
      alone.forEach((o, k) => o.step(theta.subarray(k, k + 1), grad.subarray(k, k + 1)));
    }
    expect(bytes(whole)).toEqual(bytes(theta));
    const part = minimize({ objective, optimizer: make(), params: new Float64Array(2), steps: 25 });
    const resumed = new Float64Array(2);
    minimize({ objective, optimizer: make(), params: resumed, steps: 60, resume: JSON.parse(JSON.stringify(part.state)) });
    expect(bytes(resumed)).toEqual(bytes(whole));
  });
});
