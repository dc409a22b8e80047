// accumulate, average and lookahead over a tree optimizer, stepped with trees: to the bit the same
// wrapper over the same tree optimizer given a layout and stepped with the concatenated flat vector
// (both backends); structure checks name the leaf's path and change nothing; snapshots by leaf path.
import { afterAll, describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import {
  accumulate,
  Adam,
  average,
  type BackendChoice,
  backendInfo,
  InvalidOptionError,
  InvalidSnapshotError,
  lookahead,
  Nesterov,
  NonFiniteGradientError,
  type Optimizer,
  type ParamTree,
  setBackend,
  SGD,
  ShapeMismatchError,
  tree,
  type TreeShapes,
} from "gradstep";
import { bytes } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

const initialBackend = backendInfo().choice;
afterAll(() => {
  setBackend(initialBackend);
});

/** A tree of the given leaf lengths: x0 at the root, a/x1, b/c/x2, x3, a/x4 …; even lengths shaped [2, n/2]. */
function makeTree(sizes: readonly number[], fill: (j: number) => number): ParamTree {
  const root: Record<string, any> = {};
  let j = 0;
  sizes.forEach((n, k) => {
    const data = Float64Array.from({ length: n }, () => fill(j++));
    const node = k % 3 === 0 ? root : k % 3 === 1 ? (root.a ??= {}) : ((root.b ??= {}).c ??= {});
    node[`x${k}`] = n % 2 === 0 ? { data, shape: [2, n / 2] } : data;
  });
  return root;
}

/** The layout option of a tree: its nesting, each leaf its length or shape. */
function shapesOf(t: ParamTree): TreeShapes {
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(t)) {
    if (child instanceof Float64Array) out[key] = child.length;
    else if ("data" in child && "shape" in child) out[key] = [...(child.shape as number[])];
    else out[key] = shapesOf(child as ParamTree);
  }
  return out as TreeShapes;
}

/** The leaves of a tree in its own order (depth first, keys as the objects list them). */
function leavesOf(t: ParamTree): Float64Array[] {
  const out: Float64Array[] = [];
  for (const child of Object.values(t)) {
    if (child instanceof Float64Array) out.push(child);
    else if ("data" in child && "shape" in child) out.push(child.data as Float64Array);
    else out.push(...leavesOf(child as ParamTree));
  }
  return out;
}

const concat = (t: ParamTree) => Float64Array.from(leavesOf(t).flatMap((leaf) => [...leaf]));
/** A tree shaped as `t` (Float64Array leaves), zeros. */
const zerosLike = (t: ParamTree, sizes: readonly number[]) => makeTree(sizes, () => 0);

/** The gradient at θ for step s, elementwise over the concatenation: the same numbers for a tree and its flat vector. */
function gradientInto(theta: readonly Float64Array[], s: number, into: readonly Float64Array[]): void {
  let j = 0;
  theta.forEach((leaf, k) => {
    for (let i = 0; i < leaf.length; i++, j++) into[k][i] = Math.sin(1.3 * leaf[i] + 0.7 * j + s) + 0.1 * leaf[i] * (1 + (j % 3));
  });
}

type Wrap = (inner: Optimizer) => Optimizer;
const wrappers: [string, Wrap][] = [
  ["accumulate(every 3)", (inner) => accumulate(inner, { every: 3 })],
  ["accumulate(every 1)", (inner) => accumulate(inner, { every: 1 })],
  ["average(polyak, start 1, every 2)", (inner) => average(inner, { kind: "polyak", start: 1, every: 2 })],
  ["average(ema 0.9)", (inner) => average(inner, { kind: "ema", decay: 0.9 })],
  ["lookahead(k 3, α 0.6)", (inner) => lookahead(inner, { syncPeriod: 3, slowStepSize: 0.6 })],
  ["accumulate(lookahead(average))", (inner) => accumulate(lookahead(average(inner, { kind: "ema", decay: 0.8 }), { syncPeriod: 2 }), { every: 2 })],
];
const rules: [string, () => Adam | SGD | Nesterov][] = [
  ["Adam", () => new Adam({ lr: 0.05, weightDecay: 0.01, weightDecayMode: "decoupled" })],
  ["SGD with momentum", () => new SGD({ lr: 0.05, momentum: 0.9 })],
  ["Nesterov", () => new Nesterov({ lr: 0.05, beta: 0.9 })],
];

/** What a wrapper reads out beside params: the average, the slow weights (flat, in the tree's order). */
function readout(opt: Optimizer): number[][] {
  const out: number[][] = [];
  let o: any = opt;
  while (o !== undefined && o.optimizer !== undefined) {
    if (typeof o.average === "function") out.push(o.averagedCount > 0 ? [...o.average()] : []);
    if (typeof o.slowWeights === "function") out.push([...o.slowWeights()]);
    o = o.optimizer;
  }
  return out;
}

describe("a wrapper over a tree equals the wrapper over the concatenated vector (a layout tree), to the bit", () => {
  test.prop(
    [
      fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
      fc.integer({ min: 0, max: wrappers.length - 1 }),
      fc.integer({ min: 0, max: rules.length - 1 }),
      fc.integer({ min: 1, max: 10 }),
      fc.boolean(),
      fc.constantFrom<BackendChoice>("js", "wasm"),
    ],
    { numRuns: 60 },
  )("random trees, wrappers, rules, groups and a frozen leaf; both backends", (sizes, w, r, steps, withGroups, backend) => {
    setBackend(backend);
    const [, wrap] = wrappers[w];
    const [, make] = rules[r];
    const params = makeTree(sizes, (j) => Math.cos(j + 1));
    const options = withGroups ? { groups: [{ match: "a/**", lr: 0.02 }], freeze: sizes.length > 1 ? "x0" : null, clipByGlobalNorm: { maxNorm: 1 } } : {};
    const overTree = wrap(tree(make(), options));
    const overFlat = wrap(tree(make(), { ...options, layout: shapesOf(params) }));
    const flat = concat(params);
    const grad = zerosLike(params, sizes);
    const point = zerosLike(params, sizes);
    const flatGrad = new Float64Array(flat.length);
    const flatPoint = new Float64Array(flat.length);
    for (let s = 0; s < steps; s++) {
      const at = (overTree as any).gradientPoint(params, point) as ParamTree;
      gradientInto(leavesOf(at), s, leavesOf(grad));
      overTree.step(params as never, grad as never);
      gradientInto([overFlat.gradientPoint(flat, flatPoint)], s, [flatGrad]);
      overFlat.step(flat, flatGrad);
      expect(bytes(concat(params))).toEqual(bytes(flat));
    }
    expect(readout(overTree)).toEqual(readout(overFlat));
    expect(overTree.stepCount).toBe(overFlat.stepCount);
  });
});

describe("wrappers over trees: snapshots by leaf path", () => {
  const sizes = [3, 4, 2, 5];
  const paths = ["x0", "x3", "a/x1", "b/c/x2"];
  const gradAt = (theta: ParamTree, s: number, into: ParamTree) => gradientInto(leavesOf(theta), s, leavesOf(into));

  it.each(wrappers)("%s: continues bit for bit from a JSON snapshot taken mid-run, into a fresh wrapper", (_, wrap) => {
    const whole = wrap(tree(new Adam({ lr: 0.05 })));
    const a = makeTree(sizes, (j) => Math.sin(j));
    const g = zerosLike(a, sizes);
    for (let s = 0; s < 11; s++) {
      gradAt(a, s, g);
      whole.step(a as never, g as never);
    }
    const first = wrap(tree(new Adam({ lr: 0.05 })));
    const b = makeTree(sizes, (j) => Math.sin(j));
    for (let s = 0; s < 5; s++) {
      gradAt(b, s, g);
      first.step(b as never, g as never);
    }
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    expect(Object.keys(saved.leaves).sort()).toEqual([...paths].sort());
    expect(saved.size).toBe(14);
    const second = wrap(tree(new Adam()));
    second.restore(saved);
    for (let s = 5; s < 11; s++) {
      gradAt(b, s, g);
      second.step(b as never, g as never);
    }
    expect(bytes(concat(b))).toEqual(bytes(concat(a)));
    expect(second.snapshot()).toEqual(whole.snapshot());
  });

  it.each(wrappers)("%s: a mismatched or corrupted snapshot is refused whole, naming the leaf path", (_, wrap) => {
    const opt = wrap(tree(new Adam({ lr: 0.05 })));
    const p = makeTree(sizes, (j) => Math.sin(j));
    const g = zerosLike(p, sizes);
    for (let s = 0; s < 4; s++) {
      gradAt(p, s, g);
      opt.step(p as never, g as never);
    }
    const saved = JSON.parse(JSON.stringify(opt.snapshot()));
    // a snapshot of a tree whose b/c/x2 has 3 numbers, not 2
    const otherSizes = [3, 4, 3, 5];
    const other = wrap(tree(new Adam({ lr: 0.05 })));
    const q = makeTree(otherSizes, (j) => Math.sin(j));
    const h = zerosLike(q, otherSizes);
    for (let s = 0; s < 4; s++) {
      gradAt(q, s, h);
      other.step(q as never, h as never);
    }
    const foreign = JSON.parse(JSON.stringify(other.snapshot()));
    const untouched = JSON.stringify(opt.snapshot());
    const name = Object.keys(saved.buffers).includes("pending") && "sum" in saved.leaves.x0 ? "sum" : Object.keys(saved.leaves.x0).find((k) => k !== "size" && k !== "shape")!;
    const { "a/x1": _dropped, ...withoutLeaf } = saved.leaves;
    const cases: [unknown, string][] = [
      [foreign, "b/c/x2"],
      [{ ...saved, leaves: withoutLeaf }, "a/x1"],
      [{ ...saved, leaves: { ...saved.leaves, "a/x9": saved.leaves["a/x1"] } }, "a/x9"],
      [{ ...saved, leaves: { ...saved.leaves, x3: { ...saved.leaves.x3, [name]: "AAAA" } } }, "x3"],
      [{ ...saved, leaves: { ...saved.leaves, x0: { ...saved.leaves.x0, size: 4 } } }, "x0"],
    ];
    for (const [bad, path] of cases) {
      let error: unknown;
      try {
        opt.restore(bad);
      } catch (e) {
        error = e;
      }
      expect(error, path).toBeInstanceOf(InvalidSnapshotError);
      expect((error as InvalidSnapshotError).argument).toContain(path);
    }
    expect(JSON.stringify(opt.snapshot())).toBe(untouched);
    // into a fresh wrapper (no tree yet), a leaf the optimizer's snapshot lacks is refused too
    const fresh = wrap(tree(new Adam()));
    expect(() => fresh.restore({ ...saved, leaves: withoutLeaf, size: 12 })).toThrow(/a\/x1/);
    expect(fresh.snapshot()).toEqual(wrap(tree(new Adam())).snapshot());
  });

  it("a flat-vector wrapper's snapshot has no leaves field (its format is unchanged)", () => {
    const opt = accumulate(tree(new Adam(), { layout: { w: 2, b: 1 } }), { every: 2 });
    opt.step(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 1));
    expect(Object.keys(opt.snapshot())).toEqual(["format", "version", "kind", "options", "stepCount", "size", "buffers"]);
    expect(Object.keys(opt.snapshot().buffers)).toEqual(["sum", "pending"]);
  });
});

describe("wrappers over trees: checks name the path and change nothing", () => {
  const make = () => ({ w: { data: Float64Array.of(1, 2, 3, 4), shape: [2, 2] }, b: Float64Array.of(0.5), head: { v: Float64Array.of(-1, 1) } });
  const grads = () => ({ w: Float64Array.of(0.1, 0.2, 0.3, 0.4), b: Float64Array.of(1), head: { v: Float64Array.of(0.5, -0.5) } });

  it.each(wrappers)("%s: a missing, extra or resized leaf is a ShapeMismatchError naming it, before anything is written", (_, wrap) => {
    const opt = wrap(tree(new SGD({ lr: 0.1 })));
    const p = make();
    opt.step(p as never, grads() as never);
    opt.step(p as never, grads() as never);
    const before = JSON.stringify(opt.snapshot());
    const values = concat(p);
    const bad: [ParamTree, ParamTree, string][] = [
      [p, { w: grads().w, b: grads().b, head: {} as any }, "head"],
      [p, { ...grads(), head: { v: Float64Array.of(1, 2, 3) } }, "grad/head/v"],
      [{ ...p, extra: Float64Array.of(1) }, grads(), "params/extra"],
      [{ w: p.w, head: p.head } as any, grads(), "params/b"],
    ];
    for (const [params, grad, path] of bad) {
      let error: unknown;
      try {
        opt.step(params as never, grad as never);
      } catch (e) {
        error = e;
      }
      expect(error, path).toBeInstanceOf(ShapeMismatchError);
      expect((error as ShapeMismatchError).argument).toContain(path);
    }
    expect(() => opt.step(values, values)).toThrow(ShapeMismatchError); // a flat vector, after trees
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    expect(bytes(concat(p))).toEqual(bytes(values));
    opt.reset(); // then any tree, or a flat vector where the tree optimizer has a layout
    opt.step({ other: Float64Array.of(1) } as never, { other: Float64Array.of(1) } as never);
  });

  it("a tree for a wrapper over a flat-vector optimizer is refused; accumulate names a non-finite leaf and the leaf a first call lacks", () => {
    expect(() => accumulate(new Adam()).step(make() as never, grads() as never)).toThrow(/tree optimizer/);
    expect(() => average(new Adam()).step(make() as never, grads() as never)).toThrow(ShapeMismatchError);
    const acc = accumulate(tree(new Adam()), { every: 2 });
    const g = grads();
    g.head.v[1] = Number.NaN;
    expect(() => acc.step(make() as never, g as never)).toThrow(NonFiniteGradientError);
    expect(() => acc.step(make() as never, g as never)).toThrow("grad/head/v[1]");
    // the tree optimizer inside already knows another tree: the first call is refused, not the k-th
    const inner = tree(new SGD({ lr: 0.1 }));
    inner.step(make(), grads());
    const late = accumulate(inner, { every: 3 });
    const { b: _b, ...withoutB } = make();
    expect(() => late.step(withoutB as never, { w: grads().w, head: grads().head } as never)).toThrow("params/b");
    expect(late.pending).toBe(0);
  });

  it("average over a tree: the average as a tree, or into one; lookahead: the slow weights as a tree", () => {
    const opt = average(tree(new SGD({ lr: 0.1 })), { kind: "polyak" });
    const p = make();
    expect(() => opt.averageTree()).toThrow(InvalidOptionError);
    opt.step(p as never, grads() as never);
    opt.step(p as never, grads() as never);
    const t = opt.averageTree() as any;
    expect(t.w.shape).toEqual([2, 2]);
    // two SGD steps of 0.1·g (g = 1 on b): θ₁ = 0.5 − 0.1, θ₂ = θ₁ − 0.1; the average θ₁ + (θ₂ − θ₁)/2
    const theta1 = 0.5 - 0.1;
    const theta2 = theta1 - 0.1;
    expect(Array.from(t.b)).toEqual([theta1 + (theta2 - theta1) / 2]);
    const out = { w: new Float64Array(4), b: new Float64Array(1), head: { v: new Float64Array(2) } };
    opt.averageInto(out);
    expect(bytes(concat(out))).toEqual(bytes(opt.average()));
    expect(() => opt.averageInto({ w: new Float64Array(4), b: new Float64Array(1) })).toThrow("out/head");
    const la = lookahead(tree(new SGD({ lr: 0.1 })), { syncPeriod: 5 });
    const q = make();
    la.step(q as never, grads() as never);
    expect(bytes(concat(la.slowWeightsTree() as ParamTree))).toEqual(bytes(concat(make())));
    expect(() => lookahead(new SGD()).slowWeightsTree()).toThrow(InvalidOptionError);
  });
});

describe("wrappers over trees allocate nothing per step", () => {
  // accumulate, lookahead, and the three nested (average's loop is in that one)
  it.each([wrappers[0], wrappers[4], wrappers[5]])("%s", async (_, wrap) => {
    const opt = wrap(tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "**/bias", lr: 1e-7 }], clipByGlobalNorm: { maxNorm: 0.5 } }));
    const params = { layer: { weight: { data: new Float64Array(12), shape: [3, 4] }, bias: new Float64Array(3) }, out: new Float64Array(2) };
    const grads = Array.from({ length: 8 }, (_, t) => {
      const g = Float64Array.from({ length: 17 }, (_, i) => Math.sin(t + i));
      return { layer: { weight: g.subarray(0, 12), bias: g.subarray(12, 15) }, out: g.subarray(15) };
    });
    const point = { layer: { weight: new Float64Array(12), bias: new Float64Array(3) }, out: new Float64Array(2) };
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) {
        (opt as any).gradientPoint(params, point);
        opt.step(params as never, grads[t & 7] as never);
      }
    }, 300_000);
  }, 120_000);
});
