// Trees whose nodes have many keys, given one by one as users build them (`tree[name] = leaf`): V8
// holds such an object as a dictionary from about twenty keys, and a `for…in` over a dictionary
// allocates at every loop. A tree's step counts each node's keys, so these trees allocated at every
// step (about 1.6 KB for a node of 100 keys: 159 collections per 100,000 steps) until the layout
// asked the engine to keep them fast (src/tree/fast-keys.ts). The hint must change nothing a user
// can see: not the keys, their order, the prototype, nor the refusal of an extra or missing leaf.
import { SGD, ShapeMismatchError, tree } from "gradstep";
import { describe, expect, it } from "vitest";
import { expectNoAllocation } from "../no-allocation.js";

/** A root of `count` leaves of 8, built key by key, and its gradient. */
function wide(count: number): { params: Record<string, Float64Array>; grads: Record<string, Float64Array> } {
  const params: Record<string, Float64Array> = {};
  const grads: Record<string, Float64Array> = {};
  for (let k = 0; k < count; k++) {
    params[`leaf${k}`] = new Float64Array(8).fill(k / 100);
    grads[`leaf${k}`] = Float64Array.from({ length: 8 }, (_, i) => Math.sin(k + i));
  }
  return { params, grads };
}

/** 50 layers of a weight and a bias under a root of 50 keys, built key by key. */
function layered(): { params: Record<string, Record<string, Float64Array>>; grads: Record<string, Record<string, Float64Array>> } {
  const params: Record<string, Record<string, Float64Array>> = {};
  const grads: Record<string, Record<string, Float64Array>> = {};
  for (let k = 0; k < 50; k++) {
    params[`layer${k}`] = { weight: new Float64Array(12), bias: new Float64Array(3) };
    grads[`layer${k}`] = { weight: new Float64Array(12).fill(0.5), bias: new Float64Array(3).fill(-0.25) };
  }
  return { params, grads };
}

describe("trees whose nodes have many keys", () => {
  it.each([
    ["a root of 100 leaves", () => wide(100)],
    ["a root of 20 leaves", () => wide(20)],
    ["50 layers of two leaves", layered],
  ] as const)("%s: steps allocate nothing (100,000 steps, no garbage collection)", async (_, make) => {
    const { params, grads } = make();
    const opt = tree(new SGD({ lr: 1e-9, momentum: 0.9 }));
    for (let t = 0; t < 2000; t++) opt.step(params, grads);
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads);
    }, 100_000);
  }, 120_000);

  it("the hint changes nothing a user sees: keys, their order and the prototype stay; an extra or a missing leaf is still refused, naming it", () => {
    const { params, grads } = wide(100);
    const keys = Object.keys(params);
    const opt = tree(new SGD({ lr: 0.1 }));
    opt.step(params, grads);
    expect(Object.keys(params)).toEqual(keys);
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
    expect(Object.getPrototypeOf(grads)).toBe(Object.prototype);
    expect(params.leaf3[0]).toBe(0.03 - 0.1 * Math.sin(3));

    const before = Object.values(params).map((v) => v.slice());
    grads.extra = new Float64Array(8);
    expect(() => opt.step(params, grads)).toThrow(ShapeMismatchError);
    expect(() => opt.step(params, grads)).toThrow(/grad\/extra/);
    delete grads.extra;
    const kept = grads.leaf99;
    delete grads.leaf99;
    expect(() => opt.step(params, grads)).toThrow(/grad\/leaf99/);
    grads.leaf99 = kept;
    expect(Object.values(params).map((v) => v.slice())).toEqual(before); // nothing moved
    opt.step(params, grads); // and it steps again once the tree is whole
    expect(opt.stepCount).toBe(2);
  });
});
