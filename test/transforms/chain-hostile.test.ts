// A chain under hostile use, as an adversarial review tried it: a snapshot whose envelope disagrees
// with its optimizer's, and a nonFinite policy changed after the chain was built (by chain.set or on
// the optimizer itself): a step the optimizer skips changes nothing, the box's projection included.
import { describe, expect, it } from "vitest";
import { Adam, chain, InvalidOptionError, InvalidSnapshotError, SGD } from "gradstep";

const state = (o: { snapshot(): unknown }) => JSON.stringify(o.snapshot());

describe("chain, hostile use", () => {
  it("a snapshot whose stepCount, size or buffers disagree with its optimizer's is refused, changing nothing", () => {
    const c = chain([{ kind: "clipByValue", limit: 1 }], new Adam());
    c.step(Float64Array.of(1, 2), Float64Array.of(0.5, -0.5));
    const good = c.snapshot();
    const before = state(c);
    for (const bad of [{ stepCount: -7 }, { stepCount: "x" }, { stepCount: 2 }, { size: 99 }, { size: null }, { buffers: { evil: "not base64!" } }, { buffers: "zzz" }]) {
      expect(() => c.restore({ ...good, ...bad })).toThrow(InvalidSnapshotError);
      expect(state(c)).toBe(before);
    }
    c.restore(JSON.parse(before));
    expect(state(c)).toBe(before);
  });

  it("a step the optimizer skips changes nothing, the box's projection included, whichever way the policy was set", () => {
    const viaChain = chain([{ kind: "projectToBox", lower: 0, upper: 1 }], new SGD({ lr: 0.1, nonFinite: "unchecked" }), { nonFinite: "unchecked" });
    viaChain.set({ nonFinite: "skip" });
    const inner = new SGD({ lr: 0.1, nonFinite: "unchecked" });
    const viaOptimizer = chain([{ kind: "projectToBox", lower: 0, upper: 1 }], inner, { nonFinite: "unchecked" });
    inner.set({ nonFinite: "skip" });
    for (const c of [viaChain, viaOptimizer]) {
      const params = Float64Array.of(5, -5);
      c.step(params, Float64Array.of(NaN, 1));
      expect(c.stepCount).toBe(0);
      expect([...params]).toEqual([5, -5]);
      c.step(params, Float64Array.of(1, 1)); // a step taken is projected
      expect([...params]).toEqual([1, 0]);
    }
  });

  it("after chain.set, a chain behaves as one built with the same settings", () => {
    const changed = chain([{ kind: "clipByValue", limit: 1 }], new SGD({ lr: 0.1 }), { nonFinite: "unchecked" });
    changed.set({ nonFinite: "unchecked" });
    const built = chain([{ kind: "clipByValue", limit: 1 }], new SGD({ lr: 0.1, nonFinite: "unchecked" }), { nonFinite: "unchecked" });
    const a = Float64Array.of(1, 1);
    const b = Float64Array.of(1, 1);
    changed.step(a, Float64Array.of(NaN, 1));
    built.step(b, Float64Array.of(NaN, 1));
    expect(Object.is(a[0], b[0]) && Object.is(a[1], b[1])).toBe(true);
    expect(Number.isNaN(a[0])).toBe(true);
  });
});

describe("chain, sparse arrays", () => {
  it("a hole among the transforms is refused naming it (it gave a TypeError)", () => {
    const holey = [{ kind: "clipByValue", limit: 1 }, , { kind: "clipByValue", limit: 2 }] as never;
    expect(() => chain(holey, new SGD({ lr: 0.1 }))).toThrow(InvalidOptionError);
    expect(() => chain(holey, new SGD({ lr: 0.1 }))).toThrow(/transforms\[1\]/);
  });
});
