// Transforms over a tree: a chain given to tree() equals that chain over the concatenated vector, to
// the bit; masked transforms equal each leaf stepped alone with the transforms its masks select; a
// masked global norm is the norm of the selected leaves; and every failure changes nothing.
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, chain, InvalidOptionError, masked, NonFiniteGradientError, type ParamTree, SGD, type Transform, tree } from "gradstep";
import { allRules, bytes } from "../helpers.js";

/** A nested tree of the given leaf lengths: x0, a/x1, b/c/x2, x3, … */
function makeTree(sizes: readonly number[], fill: (k: number, i: number) => number): Record<string, any> {
  const root: Record<string, any> = {};
  sizes.forEach((n, k) => {
    const node = k % 3 === 0 ? root : k % 3 === 1 ? (root.a ??= {}) : ((root.b ??= {}).c ??= {});
    node[`x${k}`] = Float64Array.from({ length: n }, (_, i) => fill(k, i));
  });
  return root;
}

function pathsOf(sizes: readonly number[]): string[] {
  return sizes.map((_, k) => (k % 3 === 0 ? `x${k}` : k % 3 === 1 ? `a/x${k}` : `b/c/x${k}`));
}

/** The paths in the tree's own order (depth first, keys as the objects list them), as a tree orders its leaves. */
function treeOrder(t: ParamTree, prefix = ""): string[] {
  return Object.keys(t).flatMap((key) => {
    const child = (t as any)[key];
    return child instanceof Float64Array ? [prefix + key] : treeOrder(child, `${prefix}${key}/`);
  });
}

function leafAt(t: ParamTree, path: string): Float64Array {
  return path.split("/").reduce((n: any, key) => n[key], t) as Float64Array;
}

/** The leaves in the tree's order, concatenated. */
function concat(t: ParamTree, paths: readonly string[]): Float64Array {
  return Float64Array.from(paths.flatMap((path) => [...leafAt(t, path)]));
}

const transformArbitrary: fc.Arbitrary<Transform> = fc.oneof(
  fc.record({ kind: fc.constant("clipByValue" as const), limit: fc.constantFrom(0.3, 2) }),
  fc.record({ kind: fc.constant("clipByGlobalNorm" as const), maxNorm: fc.constantFrom(0.5, 3, { kind: "exponential", initial: 2, gamma: 0.5 } as const), eps: fc.constantFrom(0, 1e-6) }),
  fc.record({ kind: fc.constant("addWeightDecay" as const), weightDecay: fc.constantFrom(0.1, 0.01) }),
  fc.record({ kind: fc.constant("decoupledWeightDecay" as const), weightDecay: fc.constantFrom(0.1, 0.02), scaleByLr: fc.boolean() }),
);

/** A list of transforms as a chain takes them: at most one decoupled decay, maybe a box last. */
const transformsArbitrary = fc
  .tuple(fc.array(transformArbitrary, { maxLength: 4 }), fc.boolean())
  .map(([list, box]) => {
    const oneDecay = list.filter((t, i) => t.kind !== "decoupledWeightDecay" || list.findIndex((u) => u.kind === "decoupledWeightDecay") === i);
    return box ? [...oneDecay, { kind: "projectToBox" as const, lower: -0.9, upper: 0.8 }] : oneDecay;
  });

// Rules whose step is elementwise (what a flat vector and its leaves share): LAMB's trust ratio is per leaf.
// (Adafactor factors shaped leaves only, but its relative step size takes the RMS of each leaf.)
const elementwise = allRules.filter((r) => r.name !== "NormalizedGradient global" && !r.name.startsWith("LAMB") && !r.name.startsWith("Adafactor"));

describe("a chain over a tree is the chain over the concatenated vector", () => {
  test.prop([fc.constantFrom(...elementwise), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 6 }), transformsArbitrary, fc.constantFrom(1, 1e-300, 1e300)], { numRuns: 120 })(
    "bit for bit, over random rules, trees and transforms",
    (rule, sizes, transforms, scale) => {
      const params = makeTree(sizes, (k, i) => Math.cos(k + 0.3 * i));
      const paths = treeOrder(params); // the concatenation in the tree's order: a global norm sums in it
      const flat = concat(params, paths);
      const opt = tree(chain(transforms, rule.make() as any));
      const reference = chain(transforms, rule.make());
      for (let step = 0; step < 4; step++) {
        const grad = makeTree(sizes, (k, i) => scale * (0.5 * leafAt(params, pathsOf(sizes)[k])[i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * step)));
        let refused: unknown = null;
        try {
          reference.step(flat, concat(grad, paths));
        } catch (error) {
          refused = error; // (a scale of 1e300 can overflow): then the tree refuses too, unchanged
        }
        if (refused === null) opt.step(params, grad);
        else expect(() => opt.step(params, grad)).toThrow((refused as Error).constructor as any);
        expect(bytes(concat(params, paths)), `${rule.name} step ${step}`).toEqual(bytes(flat));
        expect(opt.stepCount).toBe(reference.stepCount);
        if (refused !== null) break;
      }
    },
  );
});

describe("masked transforms apply to the leaves their masks select", () => {
  it("equal to each leaf stepped alone with the transforms that select it, with groups", () => {
    const weights = (path: string) => path.endsWith("weight");
    const transforms = [
      masked({ kind: "clipByValue", limit: 0.5 }, "layer1/**"),
      masked({ kind: "addWeightDecay", weightDecay: 0.1 }, weights),
      masked({ kind: "decoupledWeightDecay", weightDecay: 0.05, scaleByLr: true }, /weight$/),
      masked({ kind: "projectToBox", lower: -0.2, upper: 0.3 }, ["layer0/bias", "layer1/weight"]),
    ];
    const paths = ["layer0/weight", "layer0/bias", "layer1/weight", "layer1/bias"];
    const sizes = [6, 3, 4, 2];
    const make = () => ({ layer0: { weight: new Float64Array(6), bias: new Float64Array(3) }, layer1: { weight: new Float64Array(4), bias: new Float64Array(2) } });
    const params: Record<string, any> = make();
    paths.forEach((path, k) => leafAt(params, path).forEach((_, i, a) => (a[i] = 0.2 * Math.sin(k + i))));
    const opt = tree(new Adam({ lr: 0.05 }), { transforms, groups: [{ match: "layer1/**", lr: 0.01 }] });
    const alone = paths.map((path) => {
      const own: Transform[] = [];
      if (path.startsWith("layer1/")) own.push({ kind: "clipByValue", limit: 0.5 });
      if (weights(path)) own.push({ kind: "addWeightDecay", weightDecay: 0.1 }, { kind: "decoupledWeightDecay", weightDecay: 0.05, scaleByLr: true });
      if (path === "layer0/bias" || path === "layer1/weight") own.push({ kind: "projectToBox", lower: -0.2, upper: 0.3 });
      return chain(own, new Adam({ lr: path.startsWith("layer1/") ? 0.01 : 0.05 }));
    });
    const refs = paths.map((path) => leafAt(params, path).slice());
    for (let step = 0; step < 5; step++) {
      const grad: Record<string, any> = make();
      paths.forEach((path, k) => leafAt(grad, path).forEach((_, i, a) => (a[i] = Math.cos(step + 2 * k + i))));
      opt.step(params, grad);
      paths.forEach((path, k) => alone[k].step(refs[k], leafAt(grad, path)));
    }
    paths.forEach((path, k) => expect(bytes(leafAt(params, path)), path).toEqual(bytes(refs[k])));
    expect(sizes.reduce((a, b) => a + b)).toBe(15);
  });

  it("a masked global norm is the norm of the selected leaves alone", () => {
    const opt = tree(new SGD({ lr: 1 }), { transforms: [masked({ kind: "clipByGlobalNorm", maxNorm: 1 }, ["a", "b"])] });
    const params = { a: new Float64Array(1), b: new Float64Array(1), c: new Float64Array(1) };
    opt.step(params, { a: Float64Array.of(3), b: Float64Array.of(4), c: Float64Array.of(100) }); // ‖(3, 4)‖ = 5: factor 1/5; c unclipped
    expect([...params.a]).toEqual([-(3 * (1 / 5))]);
    expect([...params.b]).toEqual([-(4 * (1 / 5))]);
    expect([...params.c]).toEqual([-100]);
  });

  it("the clipByGlobalNorm option is a first stage before the transforms", () => {
    const grad = () => ({ a: Float64Array.of(30, -40), b: Float64Array.of(5) });
    const withOption = { a: Float64Array.of(1, 2), b: Float64Array.of(3) };
    tree(new SGD({ lr: 0.1 }), { clipByGlobalNorm: { maxNorm: 2 }, transforms: [{ kind: "clipByValue", limit: 1 }] }).step(withOption, grad());
    const flat = Float64Array.of(1, 2, 3);
    chain([{ kind: "clipByGlobalNorm", maxNorm: 2 }, { kind: "clipByValue", limit: 1 }], new SGD({ lr: 0.1 })).step(flat, Float64Array.of(30, -40, 5));
    expect(bytes(Float64Array.of(...withOption.a, ...withOption.b))).toEqual(bytes(flat));
  });
});

describe("all or nothing", () => {
  const state = (opt: ReturnType<typeof tree>, params: Record<string, Float64Array>) => JSON.stringify({ s: opt.snapshot(), p: Object.values(params).map((v) => [...v]) });

  it("a transformed gradient that is not finite stops the whole tree, naming the leaf", () => {
    const opt = tree(new Adam({ lr: 0.1 }), { transforms: [masked({ kind: "addWeightDecay", weightDecay: 10 }, "b")] });
    const params = { a: Float64Array.of(1, 2), b: Float64Array.of(0.5, 1) };
    opt.step(params, { a: Float64Array.of(1, 1), b: Float64Array.of(1, 1) });
    params.b[1] = 1e308; // g + 10·θ overflows there
    const before = state(opt, params);
    expect(() => opt.step(params, { a: Float64Array.of(1, 1), b: Float64Array.of(1, 1) })).toThrow(NonFiniteGradientError);
    expect(() => opt.step(params, { a: Float64Array.of(1, 1), b: Float64Array.of(1, 1) })).toThrow(/grad\/b \(transformed\)\[1\]/);
    expect(state(opt, params)).toBe(before);
  });

  it("with nonFinite: skip the whole step is skipped", () => {
    const opt = tree(chain([{ kind: "addWeightDecay", weightDecay: 10 }], new SGD({ lr: 0.1 }), { nonFinite: "skip" }));
    const params = { a: Float64Array.of(1), b: Float64Array.of(1e308) };
    opt.step(params, { a: Float64Array.of(1), b: Float64Array.of(1) });
    expect(opt.stepCount).toBe(0);
    expect([...params.a, ...params.b]).toEqual([1, 1e308]);
  });

  it("a decay factor that is not finite changes nothing, also on the first step", () => {
    const opt = tree(new SGD({ lr: 1e300 }), { transforms: [{ kind: "decoupledWeightDecay", weightDecay: 1e10, scaleByLr: true }] });
    const params = { a: Float64Array.of(1), b: Float64Array.of(2) };
    expect(() => opt.step(params, { a: Float64Array.of(1), b: Float64Array.of(1) })).toThrow(InvalidOptionError);
    expect([...params.a, ...params.b]).toEqual([1, 2]);
    expect(opt.stepCount).toBe(0);
    expect(opt.snapshot().leaves).toBeNull();
  });

  it("refuses what it cannot do, naming the transform", () => {
    expect(() => tree(new SGD(), { transforms: [{ kind: "projectToBox", lower: 0 }, { kind: "clipByValue", limit: 1 }] })).toThrow(/transforms\[0\]/);
    expect(() => tree(new SGD(), { transforms: [masked({ kind: "projectToBox", lower: [0, 1] }, "a")] })).toThrow(/transforms\[0\]\.transform\.lower/);
    expect(() => tree(new SGD(), { transforms: [{ kind: "decoupledWeightDecay", weightDecay: 1 }, masked({ kind: "decoupledWeightDecay", weightDecay: 1 }, "a")] })).toThrow(InvalidOptionError);
    expect(() => tree(new SGD(), { transforms: [{ kind: "clipByValue", limit: -1 }] })).toThrow(/transforms\[0\]\.limit/);
    expect(() => tree(new SGD(), { clipByGlobalNorm: { maxNorm: 1 }, transforms: [{ kind: "clipByValue", limit: 0 }] })).toThrow(/transforms\[0\]\.limit/);
    expect(() => tree(chain([], new SGD()), { transforms: [{ kind: "clipByValue", limit: 1 }] })).toThrow(/transforms/);
    expect(() => masked({ kind: "clipByValue", limit: 1 }, 3 as any)).toThrow(/masked\.mask/);
    expect(() => masked({ kind: "nope" } as any, "a")).toThrow(/masked\.transform\.kind/);
    expect(() => chain([masked({ kind: "clipByValue", limit: 1 }, "a") as any], new SGD())).toThrow(/tree\(optimizer, \{ transforms \}\)/);
  });
});

describe("state", () => {
  it("a masked transform keeps the mask as checked: changing the caller's array afterwards changes nothing", () => {
    const paths: unknown[] = ["a"];
    const t = masked({ kind: "clipByValue", limit: 0.5 }, paths as string[]);
    paths[0] = 3; // not a PathMatch
    paths.push("b");
    const opt = tree(new SGD({ lr: 1 }), { transforms: [t] });
    const params = { a: Float64Array.of(0), b: Float64Array.of(0) };
    opt.step(params, { a: Float64Array.of(2), b: Float64Array.of(2) });
    expect([...params.a, ...params.b]).toEqual([-0.5, -2]);
    expect((opt.settings.transforms[0] as { mask: unknown }).mask).toEqual(["a"]);
  });

  it("a snapshot restores into a fresh tree with the same transforms, continuing bit for bit", () => {
    const make = () => tree(new Adam({ lr: 0.02 }), { transforms: [{ kind: "clipByGlobalNorm", maxNorm: 0.7 }, masked({ kind: "decoupledWeightDecay", weightDecay: 0.1, scaleByLr: true }, "w")] });
    const grad = (t: number) => ({ w: Float64Array.of(Math.sin(t), 2), b: Float64Array.of(Math.cos(t)) });
    const a = make();
    const pa = { w: Float64Array.of(1, -1), b: Float64Array.of(0.5) };
    for (let t = 0; t < 3; t++) a.step(pa, grad(t));
    const b = make();
    const pb = { w: pa.w.slice(), b: pa.b.slice() };
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    for (let t = 3; t < 6; t++) {
      a.step(pa, grad(t));
      b.step(pb, grad(t));
    }
    expect(bytes(Float64Array.of(...pb.w, ...pb.b))).toEqual(bytes(Float64Array.of(...pa.w, ...pa.b)));
    expect(a.settings.transforms.map((t) => t.kind)).toEqual(["clipByGlobalNorm", "masked"]);
  });
});
