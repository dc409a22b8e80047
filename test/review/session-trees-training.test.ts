// An adversary's tests of the session's parameter trees, minimize's new options (validation,
// checkpoints, minimizeAsync), csvDataset, the networks and splitDataset: hostile inputs, getters
// that answer differently on a second read, reordered and odd-keyed snapshots, options changed while
// a run awaits. Each checks a promise: a typed GradstepError naming the argument, nothing changed,
// snapshots that restore bit for bit, no silent corruption, no hang.
import { Adam, allocateVector, backendInfo, DisposedError, GradstepError, InvalidOptionError, Nesterov, releaseVector, setBackend, SGD, ShapeMismatchError, tree, type ParamTree } from "gradstep";
import { csvDataset, dataset, minimize, minimizeAsync, mlp, networkRisk, rosenbrock, splitDataset } from "gradstep/learn";
import { describe, expect, it } from "vitest";
import { allocationFaults } from "../../src/memory/allocate.js";
import { bytes } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

/** Runs `f`, expecting a GradstepError of class `type` naming `argument`. */
function refused(f: () => unknown, type: new (...args: any[]) => GradstepError, argument: string | RegExp): GradstepError {
  let caught: unknown;
  try {
    f();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(type);
  const error = caught as GradstepError;
  if (typeof argument === "string") expect(error.argument).toBe(argument);
  else expect(error.argument).toMatch(argument);
  return error;
}

/** A Float64Array of `values` (for trees parsed from JSON). */
const f64 = (...values: number[]): Float64Array => Float64Array.from(values);

describe("trees: snapshots restore by path, whatever their order or keys", () => {
  it("a snapshot whose leaves come in another order restores each leaf's state by path (declared layout: the flat vector's order stays)", () => {
    // A key-sorting store (Postgres jsonb, a canonical JSON writer) hands the leaves back reordered.
    const make = () => tree(new Adam({ lr: 0.1 }), { layout: { a: 2, b: 1 } });
    const g = f64(0.5, -1, 2);
    const uninterrupted = make();
    const p1 = f64(1, 2, 3);
    uninterrupted.step(p1, g);
    const saved = uninterrupted.snapshot();
    const reordered = JSON.parse(JSON.stringify({ ...saved, leaves: { b: saved.leaves!.b, a: saved.leaves!.a } }));
    const resumed = make();
    resumed.restore(reordered);
    expect(resumed.paths).toEqual(["a", "b"]);
    const p2 = p1.slice();
    uninterrupted.step(p1, g);
    resumed.step(p2, g);
    expect(bytes(p2)).toEqual(bytes(p1)); // before the fix, leaf a's view got b's state and vice versa
  });

  it("the same through a tree that has stepped: its order and the flat caches stay the tree's", () => {
    const make = () => tree(new SGD({ lr: 0.1, momentum: 0.9 }), { clipByGlobalNorm: { maxNorm: 0.5 } });
    const params = () => ({ w: f64(1, 2, 3), b: f64(-1) });
    const grad = { w: f64(0.3, -0.7, 1.1), b: f64(0.9) };
    const a = make();
    const b = make();
    const pa = params();
    const pb = params();
    a.step(pa, grad);
    b.step(pb, grad);
    const saved = a.snapshot();
    b.restore(JSON.parse(JSON.stringify({ ...saved, leaves: { b: saved.leaves!.b, w: saved.leaves!.w } })));
    expect(b.paths).toEqual(["w", "b"]);
    a.step(pa, grad);
    b.step(pb, grad);
    expect(bytes(pb.w)).toEqual(bytes(pa.w));
    expect(bytes(pb.b)).toEqual(bytes(pa.b));
    expect(Object.keys(b.snapshot().leaves!)).toEqual(["w", "b"]);
  });

  it("a snapshot with reordered leaves, restored into a fresh tree with clipByGlobalNorm, continues bit for bit (the norm is summed in the tree's order)", () => {
    // The global norm's two-lane sum depends on where each leaf sits in the concatenation: restored in
    // the snapshot's order, some steps differed in the last bits (11 leaf updates of 600 here).
    const make = () => tree(new SGD({ lr: 0.1 }), { clipByGlobalNorm: { maxNorm: 0.1 } });
    const keys = ["a", "b", "c"] as const;
    const start = () => ({ a: f64(0.1, 0.2, 0.3), b: f64(1e-3, 7.77), c: f64(0.3333333, 1 / 3, 2 / 7) });
    const grad = { a: new Float64Array(3), b: new Float64Array(2), c: new Float64Array(3) };
    for (let trial = 0; trial < 200; trial++) {
      for (const k of keys) for (let i = 0; i < grad[k].length; i++) grad[k][i] = Math.sin(trial * 13.1 + i * 7.3 + k.charCodeAt(0)) * 10 ** ((trial % 7) - 3);
      const uninterrupted = make();
      const p1 = start();
      uninterrupted.step(p1, grad);
      const saved = uninterrupted.snapshot();
      const resumed = make();
      resumed.restore(JSON.parse(JSON.stringify({ ...saved, leaves: { c: saved.leaves!.c, b: saved.leaves!.b, a: saved.leaves!.a } })));
      const p2 = start();
      for (const k of keys) p2[k].set(p1[k]);
      uninterrupted.step(p1, grad);
      resumed.step(p2, grad);
      for (const k of keys) expect(bytes(p2[k])).toEqual(bytes(p1[k]));
      expect(resumed.snapshot()).toEqual(uninterrupted.snapshot());
    }
  });

  it('a leaf named "__proto__" is an own field of the snapshot, which restores (it was lost: the snapshot set its prototype)', () => {
    const revive = (_: string, v: unknown) => (Array.isArray(v) ? Float64Array.from(v) : v);
    const params = JSON.parse('{"__proto__": [1, 2], "b": [3]}', revive) as ParamTree;
    const grad = JSON.parse('{"__proto__": [0.5, -0.5], "b": [1]}', revive) as ParamTree;
    const opt = tree(new Adam({ lr: 0.1 }));
    opt.step(params, grad);
    const saved = opt.snapshot();
    expect(Object.keys(saved.leaves!)).toEqual(["__proto__", "b"]);
    expect(Object.getPrototypeOf(saved.leaves)).toBe(Object.prototype);
    const other = tree(new Adam({ lr: 0.1 }));
    other.restore(JSON.parse(JSON.stringify(saved)));
    expect(other.snapshot()).toEqual(saved);
  });

  it("a tree that contains itself is refused with a ShapeMismatchError naming the node (was a bare RangeError: stack overflow)", () => {
    const params: Record<string, unknown> = { w: f64(1) };
    params.inner = { again: params };
    const opt = tree(new SGD({ lr: 0.1 }));
    refused(() => opt.step(params as ParamTree, params as ParamTree), ShapeMismatchError, "params/inner/again");
    expect(opt.paths).toBeUndefined();
    expect(bytes(params.w as Float64Array)).toEqual(bytes(f64(1)));
    // a shape declaration that contains itself, too
    const layout: Record<string, unknown> = { w: 2 };
    layout.self = layout;
    refused(() => tree(new SGD({ lr: 0.1 }), { layout: layout as any }), InvalidOptionError, "layout/self");
    // the same subtree at two places is not a cycle, but its leaves would move twice a step: refused,
    // naming the second place (as PyTorch refuses a parameter in two groups)
    const shared = { x: f64(1) };
    const twice = tree(new SGD({ lr: 0.1 }));
    refused(() => twice.step({ a: shared, b: shared }, { a: { x: f64(1) }, b: { x: f64(1) } }), ShapeMismatchError, "params/b/x");
    expect(bytes(shared.x)).toEqual(bytes(f64(1)));
  });

  it("a declared layout with an empty key is refused up front (its own snapshot could not be restored)", () => {
    refused(() => tree(new SGD({ lr: 0.1 }), { layout: { "": 2, b: 1 } }), InvalidOptionError, "layout/");
    refused(() => tree(new SGD({ lr: 0.1 }), { layout: { a: { "": 2 } } }), InvalidOptionError, "layout/a/");
  });

  it("dispose() from a group's match during the first step: the step fails, and no Wasm state is left to a disposed optimizer", () => {
    const previous = backendInfo().choice;
    setBackend("auto");
    try {
      const used = backendInfo().memoryUsed;
      let opt: ReturnType<typeof tree> | undefined;
      opt = tree(new Adam({ lr: 0.1 }), {
        groups: [
          {
            match: () => {
              opt?.dispose();
              return false;
            },
            lr: 0.01,
          },
        ],
      });
      const params = { w: new Float64Array(1000) };
      expect(() => opt!.step(params, { w: new Float64Array(1000).fill(1) })).toThrow(DisposedError); // was: stepped, its leaves' state never released
      expect(bytes(params.w)).toEqual(bytes(new Float64Array(1000)));
      expect(backendInfo().memoryUsed).toBe(used);
    } finally {
      setBackend(previous);
    }
  });

  it("held: a getter that answers a longer leaf on its second read is refused whole: nothing kept, nothing moved", () => {
    let reads = 0;
    const short = f64(1, 2);
    const long = f64(1, 2, 3);
    const params = {
      get w() {
        reads += 1;
        return reads === 1 ? short : long;
      },
    } as unknown as ParamTree;
    Object.defineProperty(params, "w", { enumerable: true });
    const opt = tree(new Adam({ lr: 0.1 }));
    refused(() => opt.step(params, { w: f64(1, 1) }), ShapeMismatchError, "params/w");
    expect(opt.paths).toBeUndefined();
    expect(opt.stepCount).toBe(0);
    expect(bytes(short)).toEqual(bytes(f64(1, 2)));
    expect(bytes(long)).toEqual(bytes(f64(1, 2, 3)));
  });

  it("held: restore fails whole at every allocation (with clipping), or restores as without faults", () => {
    const make = () => tree(new Adam({ lr: 0.1 }), { clipByGlobalNorm: { maxNorm: 1 }, groups: [{ match: "b", lr: 0.01 }] });
    const source = make();
    source.step({ a: f64(1, 2), b: f64(3) }, { a: f64(2, -3), b: f64(4) });
    const saved = JSON.parse(JSON.stringify(source.snapshot()));
    const target = make();
    target.step({ a: f64(0, 0), b: f64(0) }, { a: f64(1, 1), b: f64(1) });
    const before = JSON.stringify(target.snapshot());
    let completed = false;
    for (let k = 0; k < 200 && !completed; k++) {
      allocationFaults.countdown = k;
      try {
        target.restore(saved);
        completed = true;
      } catch (e) {
        expect(e).toBeInstanceOf(GradstepError);
        expect(JSON.stringify(target.snapshot())).toBe(before);
      } finally {
        allocationFaults.countdown = -1;
      }
    }
    expect(completed).toBe(true);
    expect(target.snapshot()).toEqual(saved);
  });
});

describe("trees: gradientPoint is checked whole, across leaves", () => {
  /** A Nesterov tree over leaves a (2) and b (2) after one step, and the reference look-ahead point of `params`. */
  function stepped(): { opt: ReturnType<typeof tree>; reference: (params: { a: Float64Array; b: Float64Array }) => { a: Float64Array; b: Float64Array } } {
    const grad = () => ({ a: f64(1, 1), b: f64(1, 1) });
    const opt = tree(new Nesterov({ lr: 0.1, beta: 0.9 }));
    opt.step({ a: f64(1, 2), b: f64(3, 4) }, grad());
    const reference = (params: { a: Float64Array; b: Float64Array }) => {
      const twin = tree(new Nesterov({ lr: 0.1, beta: 0.9 }));
      twin.step({ a: f64(1, 2), b: f64(3, 4) }, grad());
      const out = { a: new Float64Array(2), b: new Float64Array(2) };
      twin.gradientPoint({ a: params.a.slice(), b: params.b.slice() }, out);
      return out;
    };
    return { opt, reference };
  }

  it("a later leaf's out overlapping its params is refused before any out leaf is written, naming out/<path> (out/a was written, and the error said out)", () => {
    const { opt } = stepped();
    const shared = new Float64Array(3);
    const out = { a: f64(-7, -7), b: shared.subarray(1, 3) };
    refused(() => opt.gradientPoint({ a: f64(1, 2), b: shared.subarray(0, 2) }, out), ShapeMismatchError, "out/b");
    expect(bytes(out.a)).toEqual(bytes(f64(-7, -7)));
  });

  it("an out leaf that is another leaf's params is refused (it silently changed that leaf's look-ahead point)", () => {
    const { opt, reference } = stepped();
    const params = { a: f64(1, 2), b: f64(3, 4) };
    const expected = reference(params);
    refused(() => opt.gradientPoint(params, { a: params.b, b: new Float64Array(2) }), ShapeMismatchError, "out/a");
    expect(bytes(params.b)).toEqual(bytes(f64(3, 4)));
    // two out leaves on one array: a's point would be overwritten by b's
    const one = new Float64Array(2);
    refused(() => opt.gradientPoint(params, { a: one, b: one }), ShapeMismatchError, /^out\/[ab]$/);
    // disjoint leaves of one buffer are fine, and give the reference point
    const buffer = new Float64Array(4);
    const out = { a: buffer.subarray(0, 2), b: buffer.subarray(2, 4) };
    opt.gradientPoint(params, out);
    expect(bytes(out.a)).toEqual(bytes(expected.a));
    expect(bytes(out.b)).toEqual(bytes(expected.b));
  });

  it("held, and kept by the cache of those checks: a Wasm out leaf released between calls is refused, though the same arrays passed before", () => {
    const previous = backendInfo().choice;
    setBackend("auto"); // Wasm memory, whichever backend the suite runs on (GRADSTEP_BACKEND=js included)
    try {
      expect(backendInfo().name).toBe("wasm");
      const { opt } = stepped();
      const params = { a: f64(1, 2), b: f64(3, 4) };
      const a = allocateVector(2);
      const out = { a, b: new Float64Array(2) };
      opt.gradientPoint(params, out);
      releaseVector(a);
      refused(() => opt.gradientPoint(params, out), ShapeMismatchError, "out/a");
    } finally {
      setBackend(previous);
    }
  });

  it("held with the new checks: repeated calls with the same leaves allocate nothing: 100,000 look-ahead points, no garbage collection", async () => {
    const { opt } = stepped();
    const params = { a: f64(1, 2), b: f64(3, 4) };
    const out = { a: new Float64Array(2), b: new Float64Array(2) };
    await expectNoAllocation((calls) => {
      for (let i = 0; i < calls; i++) opt.gradientPoint(params, out);
    }, 100_000);
  });
});

describe("minimize and minimizeAsync: options checked before anything moves, and kept as checked", () => {
  it("onStep that is not a function is refused before the first step (was a TypeError after θ had moved)", () => {
    const params = f64(1, 2);
    refused(() => minimize({ objective: rosenbrock(), optimizer: new Adam(), params, steps: 3, onStep: 5 as any }), InvalidOptionError, "onStep");
    expect(bytes(params)).toEqual(bytes(f64(1, 2)));
  });

  it("a missing objective or optimizer is named (was a TypeError reading dimension / size)", () => {
    refused(() => minimize({ optimizer: new Adam(), params: f64(0, 0), steps: 1 } as any), InvalidOptionError, "objective");
    refused(() => minimize({ objective: rosenbrock(), params: f64(0, 0), steps: 1 } as any), InvalidOptionError, "optimizer");
    refused(() => minimize({ objective: rosenbrock(), optimizer: {}, params: f64(0, 0), steps: 1 } as any), InvalidOptionError, "optimizer");
  });

  it("a sliceMs below the clock's resolution still makes progress (it looped forever without a step)", async () => {
    const params = f64(-1, 1);
    const result = await minimizeAsync({ objective: rosenbrock(), optimizer: new Adam({ lr: 0.01 }), params, steps: 5, sliceMs: 1e-9 });
    const reference = f64(-1, 1);
    minimize({ objective: rosenbrock(), optimizer: new Adam({ lr: 0.01 }), params: reference, steps: 5 });
    expect(result.steps).toBe(5);
    expect(bytes(params)).toEqual(bytes(reference));
  });

  it("options.record replaced while minimizeAsync awaits: the result follows the options as checked (was a TypeError at the end)", async () => {
    let stepsSoFar = 0;
    const options: any = {
      objective: rosenbrock(),
      optimizer: new Adam({ lr: 0.01 }),
      params: f64(-1, 1),
      steps: 40,
      record: { path: false },
      sliceMs: 1,
      onStep: (step: number) => {
        stepsSoFar = step;
        const until = Date.now() + 2; // each step outlasts a slice, whatever the machine's speed
        while (Date.now() < until);
      },
    };
    const running = minimizeAsync(options);
    expect(stepsSoFar).toBeLessThan(40); // the run awaits: its options may change meanwhile
    options.record = null;
    const result = await running;
    expect(result.steps).toBe(40);
    expect(result.losses).toHaveLength(41);
    expect("path" in result).toBe(false);
  });

  it("held: a checkpoint's save that overwrites every field of the state it is given does not change the run", () => {
    const run = (vandal: boolean) => {
      const params = f64(-1, 1);
      const saved: string[] = [];
      minimize({
        objective: rosenbrock(),
        optimizer: new Adam({ lr: 0.01 }),
        params,
        steps: 6,
        validation: { objective: rosenbrock(), patience: 100 },
        checkpoint: {
          every: 2,
          save: (state) => {
            saved.push(JSON.stringify(state));
            if (vandal) for (const key of Object.keys(state)) (state as any)[key] = null;
          },
        },
      });
      return [bytes(params), saved];
    };
    expect(run(true)).toEqual(run(false));
  });
});

describe("csvDataset: options read once, checked", () => {
  it("null options are named (was a TypeError from Object.keys)", () => {
    refused(() => csvDataset("x,y\n1,2\n", null as any), InvalidOptionError, "options");
  });

  it("a features getter that answers an array, then something else, is read once (was a TypeError: .map is not a function)", () => {
    let reads = 0;
    const options = {
      get features() {
        reads += 1;
        return reads === 1 ? ["x"] : 5;
      },
    };
    const data = csvDataset("x,z,y\n1,9,2\n3,9,4\n", options as any);
    expect(reads).toBe(1);
    expect(data.featureNames).toEqual(["x"]);
    expect(data.X.get(1, 0)).toBe(3);
  });
});

describe("networks and splits: hostile arguments named", () => {
  const net = mlp({ inputs: 2, hidden: [{ units: 3, activation: "tanh" }], output: { kind: "softmax", classes: 3 } });
  const theta = net.initialize(1);

  it("networkRisk names null options or data (were TypeErrors)", () => {
    refused(() => networkRisk(net, dataset([[1, 2]], [1]), null as any), InvalidOptionError, "options");
    refused(() => networkRisk(net, null as any), InvalidOptionError, "data");
  });

  it("predict and classify refuse a hole in an array of rows (its row was silently zeros)", () => {
    // eslint-disable-next-line no-sparse-arrays
    const holey = [, [1, 2]] as unknown as number[][];
    refused(() => net.predict(theta, holey), ShapeMismatchError, "X[0]");
    refused(() => net.classify(theta, holey), ShapeMismatchError, "X[0]");
  });

  it("splitDataset names data that is not a dataset, and the fraction that leaves no training row", () => {
    refused(() => splitDataset(null as any), InvalidOptionError, "data");
    const three = dataset([[1], [2], [3]], [1, 2, 3]);
    refused(() => splitDataset(three, { test: 0.999 }), InvalidOptionError, "test"); // was named validation (= 0)
    refused(() => splitDataset(three, { test: 0.3, validation: 0.5 }), InvalidOptionError, "validation");
  });
});
