// A tree stepped again and again on the same flat vectors shares its step's numbers: the first leaf of
// each set with equal options steps as it would alone, every other leaf takes its numbers and counts
// its steps later (SharedStepNumbers). Bit for bit a tree that never shares (its leaves separate plain
// vectors), for every rule, across whatever reads or changes the leaves between shared steps
// (snapshot, restore, reset, set, setGroup, valueAt, gradientPoint, a non-finite gradient); a shared
// step calls no other leaf's optimizer; a shared step that fails changes nothing.
import { afterAll, beforeAll, describe, expect, test as plainTest } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, ASGD, InvalidOptionError, NAdam, setBackend, SGD, ShapeMismatchError, StepLimitError, tree, type TreeOptimizer } from "gradstep";
import { allRules, bytes, thrown, wasmVectors } from "../helpers.js";

const rules = allRules.filter((r) => r.name !== "NormalizedGradient global");
const operations = ["step", "step", "step", "step", "snapshot", "valueAt", "setGroup", "set", "restore", "reset", "gradientPoint", "nonFinite", "newVector"] as const;
type Operation = (typeof operations)[number];

beforeAll(() => setBackend("wasm", { threads: false }));
afterAll(() => setBackend(process.env.GRADSTEP_BACKEND === "js" ? "js" : "wasm"));

/**
 * A tree in Wasm memory (shared steps), on one vector with a layout or on a vector per leaf, and the
 * same tree on separate plain vectors (no shared steps), put through `ops` side by side.
 */
function sideBySide(rule: (typeof rules)[number], sizes: number[], scales: number[], frozenPick: number, ops: Operation[], oneVector: boolean): void {
  const template = rule.make() as any;
  const paths = sizes.map((_, k) => `layer${k >> 1}/${k % 2 === 1 ? "bias" : "weight"}`);
  const baseLr = template.valueAt("lr", 0);
  // groups by pattern, so that several leaves share each set of options
  const groups = scales.map((scale, i) => ({ match: i === 0 ? "**/bias" : `layer${i}/*`, lr: baseLr * scale }));
  const frozen = frozenPick < paths.length ? paths[frozenPick] : null;
  const shapes: Record<string, Record<string, number>> = {};
  paths.forEach((path, k) => ((shapes[path.split("/")[0]] ??= {})[path.split("/")[1]] = sizes[k]));
  const shared = tree(template, { groups, freeze: frozen, layout: oneVector ? shapes : null });
  const reference = tree(template, { groups, freeze: frozen });
  const total = sizes.reduce((a, b) => a + b, 0);
  const { vector, releaseAll } = wasmVectors();
  const [P, out] = [vector(total), vector(total)];
  let G = vector(total);
  // the shared tree's leaves: views of P, G and out, or vectors of their own
  const [sharedParams, sharedGrads, sharedOuts] = [{}, {}, {}] as Record<string, Record<string, Float64Array>>[];
  const leafParams: Record<string, Record<string, Float64Array>> = {};
  const leafGrads: Record<string, Record<string, Float64Array>> = {};
  const leafOuts: Record<string, Record<string, Float64Array>> = {};
  const at: number[] = [];
  let offset = 0;
  paths.forEach((path, k) => {
    const [layer, name] = path.split("/");
    (leafParams[layer] ??= {})[name] = Float64Array.from({ length: sizes[k] }, (_, i) => Math.cos(k + 0.3 * i));
    (leafGrads[layer] ??= {})[name] = new Float64Array(sizes[k]);
    (leafOuts[layer] ??= {})[name] = new Float64Array(sizes[k]);
    (sharedParams[layer] ??= {})[name] = oneVector ? P.subarray(offset, offset + sizes[k]) : vector(sizes[k]);
    (sharedGrads[layer] ??= {})[name] = oneVector ? G.subarray(offset, offset + sizes[k]) : vector(sizes[k]);
    (sharedOuts[layer] ??= {})[name] = oneVector ? out.subarray(offset, offset + sizes[k]) : vector(sizes[k]);
    sharedParams[layer][name].set(leafParams[layer][name]);
    at.push(offset);
    offset += sizes[k];
  });
  const leaf = (values: Record<string, Record<string, Float64Array>>, k: number) => values[paths[k].split("/")[0]][paths[k].split("/")[1]];
  const same = (what: string) => paths.forEach((path, k) => expect(bytes(leaf(sharedParams, k)), `${rule.name} ${path} after ${what}`).toEqual(bytes(leaf(leafParams, k))));
  let saved: unknown;
  let count = 0;
  for (const op of ops) {
    const context = `${rule.name}, ${op} (operation ${count++})`;
    if (op === "step" || op === "nonFinite") {
      paths.forEach((_, k) => {
        const g = leaf(leafGrads, k);
        for (let i = 0; i < sizes[k]; i++) g[i] = 0.5 * leaf(leafParams, k)[i] + Math.sin(1 + 0.7 * i + 1.3 * k + 0.1 * count);
        if (op === "nonFinite" && sizes[k] > 0) g[sizes[k] - 1] = Number.NaN;
        leaf(sharedGrads, k).set(g);
      });
      const error = thrown(() => (oneVector ? shared.step(P, G) : shared.step(sharedParams, sharedGrads)));
      expect(String(error), context).toBe(String(thrown(() => reference.step(leafParams, leafGrads))));
    } else if (op === "snapshot") {
      saved = shared.snapshot();
      expect(JSON.stringify(saved), context).toBe(JSON.stringify(reference.snapshot()));
    } else if (op === "valueAt") {
      for (const path of paths) expect(outcome(() => shared.valueAt("lr", undefined, path)), context).toBe(outcome(() => reference.valueAt("lr", undefined, path)));
    } else if (op === "setGroup" && groups.length > 0) {
      const lr = baseLr * (0.25 + (count % 3));
      shared.setGroup(0, { lr });
      reference.setGroup(0, { lr });
    } else if (op === "set") {
      const lr = baseLr * (0.5 + (count % 2));
      shared.set({ lr });
      reference.set({ lr });
    } else if (op === "restore" && saved !== undefined) {
      shared.restore(saved);
      reference.restore(saved);
    } else if (op === "reset") {
      shared.reset();
      reference.reset();
    } else if (op === "newVector") {
      // the next step's vectors are not the last step's: one leaf's gradient (or the flat gradient) moves
      const k = count % sizes.length;
      const [layer, name] = paths[k].split("/");
      if (oneVector) {
        G = vector(total);
        paths.forEach((path, j) => (sharedGrads[path.split("/")[0]][path.split("/")[1]] = G.subarray(at[j], at[j] + sizes[j])));
      } else sharedGrads[layer][name] = vector(sizes[k]);
    } else if (op === "gradientPoint") {
      const expected = reference.gradientPoint(leafParams, leafOuts) as Record<string, Record<string, Float64Array>>;
      const point = oneVector ? shared.gradientPoint(P, out) : (shared.gradientPoint(sharedParams, sharedOuts) as Record<string, Record<string, Float64Array>>);
      const pointLeaf = (k: number) => (point instanceof Float64Array ? point.subarray(at[k], at[k] + sizes[k]) : leaf(point, k));
      paths.forEach((path, k) => expect(bytes(pointLeaf(k)), `${context} ${path}`).toEqual(bytes(leaf(expected, k))));
    }
    same(context);
  }
  expect(JSON.stringify(shared.snapshot()), rule.name).toBe(JSON.stringify(reference.snapshot()));
  shared.dispose();
  reference.dispose();
  releaseAll();
}

/** What `run` returns, or the error it throws, as a string. */
function outcome(run: () => unknown): string {
  try {
    return String(run());
  } catch (error) {
    return `threw ${String(error)}`;
  }
}

/** A tree of 8 leaves, two groups (weights, biases), after the steps that start sharing. */
function sharingTree(make: () => any): { opt: TreeOptimizer; P: Float64Array; G: Float64Array; vector: (n: number) => Float64Array; dispose: () => void } {
  const shapes = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`layer${i}`, { weight: 40 + 8 * i, bias: 8 }]));
  const opt = tree(make(), { groups: [{ match: "**/bias", lr: 1e-4 }], layout: shapes });
  const { vector, releaseAll } = wasmVectors();
  const [P, G] = [vector(240), vector(240)]; // (the leaves' total)
  for (let i = 0; i < P.length; i++) G[i] = Math.sin(i);
  opt.step(P, G);
  opt.step(P, G); // (the same vectors again: the next step shares)
  return { opt, P, G, vector, dispose: () => (opt.dispose(), releaseAll()) };
}

/** Records which leaves' optimizers are called from now on (until the tree replaces them: restore). */
function watchLeaves(opt: TreeOptimizer): Set<number> {
  const calls = new Set<number>();
  ((opt as any).leafList as any[]).forEach((leaf, k) => {
    if (leaf === null) return;
    for (const method of ["prepareStep", "planStep", "step", "snapshot", "countSharedSteps"]) {
      const own = leaf[method].bind(leaf);
      leaf[method] = (...args: unknown[]) => {
        calls.add(k);
        return own(...args);
      };
    }
  });
  return calls;
}

/**
 * Two such trees from `snapshot`, stepped alike `steps` times: one shares, the other is read
 * (snapshot) after each step, so it never shares; then one more step, which must fail in both
 * alike, with nothing changed. Returns the leaves the failing shared step called.
 */
function failsAlike(make: () => any, edit: (snapshot: any) => void, steps: number, error: new (...args: any[]) => Error): number[] {
  const a = sharingTree(make);
  const b = sharingTree(make);
  const snapshot = JSON.parse(JSON.stringify(a.opt.snapshot()));
  edit(snapshot);
  a.opt.restore(snapshot);
  b.opt.restore(snapshot);
  for (let i = 0; i < steps; i++) {
    a.opt.step(a.P, a.G);
    b.opt.step(b.P, b.G);
    b.opt.snapshot();
  }
  const calls = watchLeaves(a.opt);
  expect(thrown(() => a.opt.step(a.P, a.G))).toBeInstanceOf(error);
  const called = [...calls].sort();
  expect(thrown(() => b.opt.step(b.P, b.G))).toBeInstanceOf(error);
  expect(bytes(a.P)).toEqual(bytes(b.P));
  expect(JSON.stringify(a.opt.snapshot())).toBe(JSON.stringify(b.opt.snapshot()));
  a.dispose();
  b.dispose();
  return called;
}

describe("shared steps", () => {
  test.prop([fc.constantFrom(...rules), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), fc.array(fc.constantFrom(0.5, 2, 0.1), { maxLength: 3 }), fc.nat({ max: 10 }), fc.array(fc.constantFrom(...operations), { minLength: 4, maxLength: 24 }), fc.boolean()], { numRuns: 160 })(
    "bit for bit a tree that never shares, whatever reads or changes the leaves in between (one vector, or a vector per leaf)",
    (...c) => sideBySide(...c),
  );

  plainTest("a group changed between shared steps splits a set of leaves with equal options, bit for bit", () => {
    // (both groups at half the rate: the biases and layer1's weight share their options until setGroup(0))
    for (const oneVector of [true, false]) sideBySide(rules.find((r) => r.name === "Adam")!, [5, 3, 4, 6], [0.5, 0.5], 99, ["step", "step", "step", "setGroup", "step", "step", "snapshot"], oneVector);
  });

  plainTest("a step refused after a vector changed, then retried with the leaf that failed put right, steps the new vectors", () => {
    // (the shared steps' records hold the last step's addresses: the refused step must stop them)
    for (const replace of ["grad", "params"] as const) {
      const wasm = wasmVectors();
      const vector = (n: number, inWasm: boolean) => (inWasm ? wasm.vector(n) : new Float64Array(n));
      const [results, oldVectors] = [[] as number[][], [] as number[][]];
      for (const inWasm of [true, false]) {
        // d's params a view, so that a gradient can partly overlap them
        const big = vector(5, inWasm);
        const params = { a: vector(4, inWasm).fill(1), d: big.subarray(0, 4).fill(1) };
        const grads = { a: vector(4, inWasm).fill(0.5), d: vector(4, inWasm).fill(0.5) };
        const opt = tree(new SGD({ lr: 0.1 }));
        opt.step(params, grads);
        opt.step(params, grads); // (in Wasm memory, the next step on these vectors is shared)
        const old = replace === "grad" ? grads.a : params.a;
        const fresh = replace === "grad" ? vector(4, inWasm).fill(-3) : vector(4, inWasm);
        if (replace === "params") fresh.set(params.a);
        const nextParams = replace === "params" ? { a: fresh, d: params.d } : params;
        const nextGrads = replace === "grad" ? { a: fresh, d: grads.d } : grads;
        expect(thrown(() => opt.step(nextParams, { ...nextGrads, d: big.subarray(1, 5) }))).toBeInstanceOf(ShapeMismatchError);
        const oldBefore = bytes(old);
        opt.step(nextParams, nextGrads);
        results.push([...bytes(nextParams.a), ...bytes(nextParams.d)]);
        oldVectors.push(bytes(old));
        if (replace === "params") expect(bytes(old), "the params vector replaced is left alone").toEqual(oldBefore);
        opt.dispose();
      }
      expect(results[0], replace).toEqual(results[1]);
      expect(oldVectors[0], replace).toEqual(oldVectors[1]);
      wasm.releaseAll();
    }
  });

  plainTest("past 256 steps (Adam's powers restart there) with a schedule, bit for bit", () => {
    const lr = { kind: "cosine", initial: 1e-2, final: 1e-4, period: 200 } as const;
    const rule = { name: "Adam cosine", make: (o?: Record<string, unknown>) => new Adam({ lr, weightDecay: 1e-2, ...o }) };
    sideBySide(rule, [30, 3, 17, 3, 9], [0.5], 99, [...Array(300).fill("step"), "snapshot", ...Array(20).fill("step")], true);
  });

  plainTest("a shared step calls the optimizer of one leaf per set of equal options; the others are counted when read", () => {
    const { opt, P, G, vector, dispose } = sharingTree(() => new Adam({ lr: 1e-3 }));
    const calls = watchLeaves(opt);
    for (let i = 0; i < 3; i++) opt.step(P, G);
    expect([...calls].sort()).toEqual([0, 1]); // layer0/weight leads the weights, layer0/bias the biases
    const snapshot = opt.snapshot();
    expect(Object.values(snapshot.leaves!).map((l) => l.optimizer!.stepCount)).toEqual(Array(8).fill(5));
    expect([...calls].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    // reading the leaves (a snapshot, valueAt, gradientPoint) keeps the steps shared; changing their options stops them
    calls.clear();
    opt.valueAt("lr", undefined, "layer3/bias");
    opt.gradientPoint(P, vector(P.length));
    calls.clear();
    opt.step(P, G);
    opt.step(P, G);
    expect([...calls].sort()).toEqual([0, 1]);
    opt.setGroup(0, { lr: 2e-4 });
    calls.clear();
    opt.step(P, G);
    expect([...calls].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    dispose();
  });

  plainTest("leaves whose options are equal schedules (each leaf has its own copy) share their numbers too", () => {
    const lr = { kind: "cosine", initial: 1e-3, final: 1e-5, period: 50 } as const;
    const { opt, P, G, dispose } = sharingTree(() => new Adam({ lr }));
    const calls = watchLeaves(opt);
    for (let i = 0; i < 3; i++) opt.step(P, G);
    expect([...calls].sort()).toEqual([0, 1]);
    dispose();
  });

  plainTest("so does a tree of a vector per leaf in Wasm memory, stepped on the same vectors", () => {
    const shapes = Object.fromEntries(Array.from({ length: 4 }, (_, i) => [`layer${i}`, { weight: 40 + 8 * i, bias: 8 }]));
    const { vector, releaseAll } = wasmVectors();
    const leaves = () => Object.fromEntries(Object.entries(shapes).map(([layer, l]) => [layer, Object.fromEntries(Object.entries(l).map(([name, n]) => [name, vector(n).fill(0.5)]))]));
    const [params, grads] = [leaves(), leaves()];
    const opt = tree(new Adam({ lr: 1e-3 }), { groups: [{ match: "**/bias", lr: 1e-4 }] });
    opt.step(params, grads);
    opt.step(params, grads);
    const calls = watchLeaves(opt);
    for (let i = 0; i < 3; i++) opt.step(params, grads);
    expect([...calls].sort()).toEqual([0, 1]);
    // a leaf's vector replaced: that step is the tree's own, every leaf called
    grads.layer2.bias = vector(8).fill(0.25);
    opt.step(params, grads);
    expect([...calls].sort()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    opt.dispose();
    releaseAll();
  });

  plainTest("a rule whose numbers depend on its state (NAdam's product, ASGD's η and μ) does not share", () => {
    for (const make of [() => new NAdam(), () => new ASGD()]) {
      const { opt, P, G, dispose } = sharingTree(make);
      const calls = watchLeaves(opt);
      opt.step(P, G);
      expect(calls.size).toBe(8);
      dispose();
    }
  });

  plainTest("a shared step that reaches the step limit throws, having changed nothing", () => {
    const setCounts = (snapshot: any) => {
      snapshot.stepCount = Number.MAX_SAFE_INTEGER - 3;
      for (const leaf of Object.values(snapshot.leaves) as any[]) leaf.optimizer.stepCount = snapshot.stepCount;
    };
    // (after the restore, a step, then one that starts sharing, then a shared one to 2^53 − 1)
    expect(failsAlike(() => new SGD({ lr: 1e-3, momentum: 0.9 }), setCounts, 3, StepLimitError)).toEqual([0]);
  });

  plainTest("a shared step whose numbers overflow (a scheduled rate of 1e308 from step 6) throws, having changed nothing", () => {
    const lr = { kind: "piecewise", boundaries: [5], values: [1e-3, 1e308] } as const;
    expect(failsAlike(() => new Adam({ lr }), () => {}, 3, InvalidOptionError)).toEqual([0]);
  });
});
