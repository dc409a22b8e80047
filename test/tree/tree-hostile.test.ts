// Trees under hostile use, as an adversarial review tried them: a getter that resizes or detaches a
// leaf read before it, a snapshot that lists a leaf inside another or gives a leaf options of its
// own, a failed step after a restore, a group's matcher that throws in set(), ReduceLROnPlateau over
// a wrapped tree. Each must leave the parameters and the state as they were, or behave as documented.
import { describe, expect, it } from "vitest";
import { accumulate, Adam, average, DisposedError, InvalidOptionError, InvalidSnapshotError, lookahead, NonFiniteGradientError, ReduceLROnPlateau, setBackend, SGD, ShapeMismatchError, tree } from "gradstep";

const f = (...xs: number[]) => Float64Array.from(xs);
const filled = (n: number, v: number) => new Float64Array(n).fill(v);
const state = (opt: { snapshot(): unknown }) => JSON.stringify(opt.snapshot());

describe.each(["js", "auto"] as const)("backend %s", (backend) => {
  it("a getter of the gradient tree that resizes or detaches a params leaf read before it: refused naming the leaf, nothing moves", () => {
    setBackend(backend);
    const kinds = [
      (buffer: ArrayBuffer) => (buffer as ArrayBuffer & { resize(n: number): void }).resize(16),
      (buffer: ArrayBuffer) => structuredClone(buffer, { transfer: [buffer] }),
    ];
    for (const change of kinds) {
      const buffer = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(32, { maxByteLength: 64 });
      const params = { a: filled(4, 1), b: new Float64Array(buffer).fill(1) };
      const opt = tree(new Adam({ lr: 0.1 }));
      opt.step(params, { a: filled(4, 0.1), b: filled(4, 0.1) });
      const before = state(opt);
      const a = [...params.a];
      const grad = {
        a: filled(4, 0.1),
        get b() {
          change(buffer);
          return filled(4, 0.1);
        },
      };
      expect(() => opt.step(params, grad)).toThrow(ShapeMismatchError);
      try {
        opt.step(params, grad);
      } catch (error) {
        expect((error as ShapeMismatchError).argument).toBe("params/b");
      }
      expect([...params.a]).toEqual(a);
      expect(state(opt)).toBe(before);
      expect(opt.stepCount).toBe(1);
      opt.dispose();
    }
    setBackend("auto");
  });
});

describe("wrappers over trees", () => {
  it("accumulate: a getter that resizes a leaf read before it, or disposes the wrapper, is refused and sums nothing", () => {
    const buffer = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(32, { maxByteLength: 64 });
    const params = { a: filled(4, 1), b: filled(4, 1) };
    const acc = accumulate(tree(new Adam({ lr: 0.1 })), { every: 3 });
    acc.step(params, { a: filled(4, 0.5), b: new Float64Array(buffer).fill(0.5) });
    const before = state(acc);
    const shrinking = {
      a: new Float64Array(buffer),
      get b() {
        (buffer as ArrayBuffer & { resize(n: number): void }).resize(16);
        return filled(4, 0.5);
      },
    };
    let thrown: unknown;
    try {
      acc.step(params, shrinking);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ShapeMismatchError);
    expect((thrown as ShapeMismatchError).argument).toBe("grad/a");
    expect(state(acc)).toBe(before);
    expect(acc.pending).toBe(1);
    const disposing = {
      a: filled(4, 0.5),
      get b() {
        acc.dispose();
        return filled(4, 0.5);
      },
    };
    expect(() => acc.step(params, disposing)).toThrow(DisposedError);
  });
});

describe("wrappers over trees, frozen leaves", () => {
  it("accumulate reads no frozen leaf's gradient, as the tree: a NaN there is neither refused nor summed", () => {
    const make = () => tree(new Adam({ lr: 0.1 }), { freeze: "f" });
    const bare = make();
    const acc1 = accumulate(make(), { every: 1 });
    const acc2 = accumulate(make(), { every: 2 });
    const p0 = { w: f(1, 2), f: f(3) };
    const p1 = { w: f(1, 2), f: f(3) };
    const p2 = { w: f(1, 2), f: f(3) };
    const grad = () => ({ w: f(0.5, -0.5), f: f(NaN) });
    for (let t = 0; t < 4; t++) {
      bare.step(p0, grad());
      acc1.step(p1, grad());
      acc2.step(p2, { w: f(0.5, -0.5), f: f(NaN) });
      acc2.step(p2, { w: f(0.5, -0.5), f: f(NaN) });
    }
    for (const p of [p1, p2]) {
      expect([...p.w].every((v, i) => Object.is(v, p0.w[i]))).toBe(true);
      expect(p.f[0]).toBe(3);
    }
    acc2.step(p2, grad());
    const resumed = accumulate(make(), { every: 2 });
    resumed.restore(JSON.parse(state(acc2))); // its sums hold no NaN
    expect(state(resumed)).toBe(state(acc2));
  });
});

describe("tree snapshots", () => {
  it("a leaf inside another leaf is refused, naming it (a fresh tree, and a wrapper's)", () => {
    const opt = tree(new Adam());
    opt.step({ a: f(1), c: f(2) }, { a: f(1), c: f(1) });
    const text = state(opt).split('"c"').join('"a/b"');
    expect(() => tree(new Adam()).restore(JSON.parse(text))).toThrow(InvalidSnapshotError);
    try {
      tree(new Adam()).restore(JSON.parse(text));
    } catch (error) {
      expect((error as InvalidSnapshotError).argument).toBe("snapshot.leaves/a/b");
    }
    const wrapped = accumulate(tree(new Adam()), { every: 2 });
    wrapped.step({ a: f(1), c: f(2) }, { a: f(1), c: f(1) });
    const wrappedText = state(wrapped).split('"c"').join('"a/b"');
    const fresh = accumulate(tree(new Adam()), { every: 2 });
    const before = state(fresh);
    expect(() => fresh.restore(JSON.parse(wrappedText))).toThrow(InvalidSnapshotError);
    expect(state(fresh)).toBe(before);
  });

  it("a leaf whose saved options differ from those the tree and its groups give it is refused, naming the option", () => {
    const make = () => tree(new Adam({ lr: 0.1 }), { groups: [{ match: "b", eps: 1e-6 }] });
    const opt = make();
    opt.step({ a: f(1, 2), b: f(3) }, { a: f(0.1, 0.2), b: f(0.3) });
    const cases: [string, (s: any) => void][] = [
      ["snapshot.leaves/a.optimizer.options.lr", (s) => (s.leaves.a.optimizer.options.lr = 5)],
      ["snapshot.leaves/b.optimizer.options.eps", (s) => (s.leaves.b.optimizer.options.eps = 1e-8)],
      ["snapshot.leaves/b.optimizer.options.eps", (s) => (s.groups[0].eps = 1e-7)],
    ];
    for (const [argument, corrupt] of cases) {
      const s = JSON.parse(state(opt));
      corrupt(s);
      const other = make();
      other.step({ a: f(1, 2), b: f(3) }, { a: f(0.1, 0.2), b: f(0.3) });
      const before = state(other);
      let thrown: unknown;
      try {
        other.restore(s);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidSnapshotError);
      expect((thrown as InvalidSnapshotError).argument).toBe(argument);
      expect(state(other)).toBe(before);
    }
    // the same change made whole (the groups' options and the leaf's) is a consistent snapshot
    const s = JSON.parse(state(opt));
    s.groups[0].eps = 1e-7;
    s.leaves.b.optimizer.options.eps = 1e-7;
    const other = make();
    other.restore(s);
    expect(other.valueAt("eps", undefined, "b")).toBe(1e-7);
  });

  it("a step that fails right after a restore keeps the snapshot's order of leaves", () => {
    const first = tree(new Adam());
    first.step({ a: f(1, 2), b: f(3) }, { a: f(0.1, 0.2), b: f(0.3) });
    const saved = state(first);
    const restored = tree(new Adam());
    restored.restore(JSON.parse(saved));
    expect(() => restored.step({ b: f(3), a: f(1, 2) }, { b: f(NaN), a: f(0.1, 0.2) })).toThrow(NonFiniteGradientError);
    expect(state(restored)).toBe(saved);
  });

  it("a restore continues bit for bit in the stepped tree's order, also into an optimizer that knew another order", () => {
    // clipping sums the squares in the leaves' order: 1 + 1 + 1e16 and 1e16 + 1 + 1 differ
    const grad = () => ({ b: f(1), c: f(1), a: f(1e8) });
    const make = () => tree(new SGD({ lr: 1 }), { clipByGlobalNorm: { maxNorm: 1 } });
    const original = make();
    const params = { b: f(0), c: f(0), a: f(0) };
    original.step(params, grad());
    const saved = state(original);
    const copy = { b: f(...params.b), c: f(...params.c), a: f(...params.a) };
    original.step(params, grad());
    const other = make();
    other.step({ a: f(0), b: f(0), c: f(0) }, { a: f(0), b: f(0), c: f(0) });
    other.restore(JSON.parse(saved));
    other.step(copy, grad());
    for (const key of ["a", "b", "c"] as const) expect(Object.is(copy[key][0], params[key][0])).toBe(true);
    expect(state(other)).toBe(state(original));
  });
});

describe("options between steps", () => {
  it("set() whose group matcher throws changes no leaf; a matcher that steps the tree is refused", () => {
    let armed = false;
    let calls = 0;
    const opt = tree(new Adam({ lr: 0.1 }), {
      groups: [
        {
          match: (path: string) => {
            if (armed && ++calls >= 2) throw new Error("boom");
            return path === "zz";
          },
          eps: 1e-6,
        },
      ],
    });
    const params = { a: f(1), b: f(2), c: f(3) };
    opt.step(params, { a: f(0.1), b: f(0.2), c: f(0.3) });
    const before = state(opt);
    armed = true;
    expect(() => opt.set({ lr: 0.5 })).toThrow("boom");
    expect(state(opt)).toBe(before);
    for (const path of ["a", "b", "c"]) expect(opt.valueAt("lr", undefined, path)).toBe(0.1);

    const reentrant = tree(new Adam({ lr: 0.1 }), {
      groups: [
        {
          match: (path: string) => {
            if (armed) reentrant.step(params, { a: f(0.1), b: f(0.2), c: f(0.3) });
            return path === "zz";
          },
        },
      ],
    });
    armed = false;
    reentrant.step(params, { a: f(0.1), b: f(0.2), c: f(0.3) });
    const reentrantBefore = state(reentrant);
    armed = true;
    expect(() => reentrant.set({ lr: 0.5 })).toThrow(InvalidOptionError);
    expect(state(reentrant)).toBe(reentrantBefore);
  });

  it("ReduceLROnPlateau over a wrapped tree reduces every group's rate, as over the tree itself", () => {
    for (const wrap of [(t: ReturnType<typeof tree>) => t, (t: ReturnType<typeof tree>) => accumulate(t, { every: 2 }), (t: ReturnType<typeof tree>) => lookahead(t)]) {
      const inner = tree(new SGD({ lr: 0.1 }), { groups: [{ match: "b", lr: 0.01 }] });
      const plateau = new ReduceLROnPlateau(wrap(inner), { factor: 0.5, patience: 0 });
      plateau.step(1);
      expect(plateau.step(1)).toBe(true);
      expect(inner.options.lr).toBe(0.05);
      expect(inner.groupOptions(0).lr).toBe(0.005);
    }
  });

  it("ReduceLROnPlateau refuses a group rate made a schedule after it was built, changing nothing", () => {
    const inner = tree(new SGD({ lr: 0.1 }), { groups: [{ match: "b", lr: 0.01 }] });
    const plateau = new ReduceLROnPlateau(inner, { factor: 0.5, patience: 0 });
    plateau.step(1);
    inner.setGroup(0, { lr: { kind: "exponential", initial: 0.01, gamma: 0.9 } });
    const before = JSON.stringify(plateau.snapshot());
    expect(() => plateau.step(1)).toThrow(InvalidOptionError);
    expect(JSON.stringify(plateau.snapshot())).toBe(before);
    expect(inner.options.lr).toBe(0.1);
  });
});

describe("wrapper snapshots", () => {
  it("average and lookahead refuse a snapshot whose stepCount or size is not its optimizer's, changing nothing", () => {
    for (const wrap of [(o: Adam) => average(o), (o: Adam) => lookahead(o)]) {
      const three = wrap(new Adam());
      const p3 = f(1, 2, 3);
      for (let t = 0; t < 4; t++) three.step(p3, f(0.1, 0.2, 0.3));
      const two = new Adam();
      two.step(f(1, 2), f(0.1, 0.2));
      const good = three.snapshot();
      const cases = [
        { ...good, options: { ...good.options, optimizer: two.snapshot() } },
        { ...good, stepCount: -1 },
        { ...good, stepCount: 1.5 },
        { ...good, stepCount: "x" },
        { ...good, stepCount: 1e20 },
      ];
      for (const bad of cases) {
        const target = wrap(new Adam());
        const before = state(target);
        expect(() => target.restore(JSON.parse(JSON.stringify(bad)))).toThrow(InvalidSnapshotError);
        expect(state(target)).toBe(before);
      }
      const resumed = wrap(new Adam());
      resumed.restore(JSON.parse(JSON.stringify(good)));
      expect(state(resumed)).toBe(state(three));
    }
  });
});

describe("shapes with a hole (a sparse array)", () => {
  it("a leaf's shape or a layout's dimensions with a hole are refused (every() and reduce() skipped it, and the snapshot, [2, null, 3], was then refused)", () => {
    const holey = [2, , 3] as number[];
    const opt = tree(new Adam({ lr: 0.1 }));
    expect(() => opt.step({ w: { data: new Float64Array(6), shape: holey } }, { w: { data: new Float64Array(6), shape: holey } })).toThrow(ShapeMismatchError);
    expect(opt.stepCount).toBe(0);
    expect(() => tree(new Adam({ lr: 0.1 }), { layout: { w: holey } })).toThrow(InvalidOptionError);
  });
});
