// A tree with a declared layout, stepped again on the very flat vectors of its last step, skips the
// checks of the leaves' views (TreeOptimizer.sameFlatVectors): they hold still. Everything that can
// make them not hold is tried here: a vector released in their memory (the flat params itself), a
// resizable buffer that shrinks, gradientPoint on other vectors in between, gradient vectors taken in
// turn. (A plain memory's growth cannot detach them: there, allocateVector hands out ordinary arrays.) Each is refused as the first step on those
// vectors would be, with nothing changed, or steps bit for bit as a tree given fresh vectors.
import { afterAll, describe, expect, it } from "vitest";
import { Adam, allocateVector, Nesterov, type Optimizer, releaseVector, setBackend, ShapeMismatchError, tree } from "gradstep";
import { bytes, thrown } from "../helpers.js";

const LAYOUT = { w: 40, b: 8, v: 30 };
const TOTAL = 78;
const canShare = typeof SharedArrayBuffer === "function";

afterAll(() => setBackend(process.env.GRADSTEP_BACKEND === "js" ? "js" : "wasm"));

const fill = (v: Float64Array, t: number) => v.forEach((_, i) => (v[i] = Math.sin(1 + 0.7 * i + 0.1 * t)));
const state = (opt: Optimizer) => JSON.stringify(opt.snapshot());

describe.each(["js", "wasm"] as const)("backend %s", (backend) => {
  it("gradient vectors taken in turn, and gradientPoint on other vectors in between: bit for bit a tree given copies", () => {
    setBackend(backend, { threads: false });
    const opt = tree(new Nesterov({ lr: 0.1, beta: 0.9 }), { layout: LAYOUT });
    const twin = tree(new Nesterov({ lr: 0.1, beta: 0.9 }), { layout: LAYOUT });
    const params = allocateVector(TOTAL).fill(1);
    const grads = [allocateVector(TOTAL), allocateVector(TOTAL)];
    const twinParams = new Float64Array(TOTAL).fill(1);
    const elsewhere = allocateVector(TOTAL).fill(3);
    const out = allocateVector(TOTAL);
    for (let t = 0; t < 8; t++) {
      const g = grads[t % 3 === 2 ? 1 : 0];
      fill(g, t);
      opt.step(params, g);
      twin.step(twinParams, g.slice());
      if (t === 3) {
        const at = opt.gradientPoint(elsewhere, out) as Float64Array; // (its params' views replace the step's)
        expect([...at]).toEqual([...(twin.gradientPoint(elsewhere.slice(), new Float64Array(TOTAL)) as Float64Array)]);
      }
    }
    expect(bytes(params)).toEqual(bytes(twinParams));
    expect(state(opt)).toBe(state(twin));
    opt.dispose();
    twin.dispose();
    for (const v of [params, ...grads, elsewhere, out]) releaseVector(v);
  });

  it("a flat gradient on a resizable buffer that shrinks after a step: refused, nothing changed", () => {
    setBackend(backend, { threads: false });
    const buffer = new (ArrayBuffer as unknown as new (n: number, o: object) => ArrayBuffer)(8 * TOTAL, { maxByteLength: 16 * TOTAL });
    const grad = new Float64Array(buffer, 0, TOTAL).fill(0.5);
    const params = new Float64Array(TOTAL).fill(1);
    const opt = tree(new Adam({ lr: 0.1 }), { layout: LAYOUT });
    opt.step(params, grad);
    opt.step(params, grad);
    const before = state(opt);
    const was = params.slice();
    (buffer as ArrayBuffer & { resize(n: number): void }).resize(8 * 10);
    expect(() => opt.step(params, grad)).toThrow(ShapeMismatchError);
    expect(bytes(params)).toEqual(bytes(was));
    expect(state(opt)).toBe(before);
    opt.dispose();
  });
});

describe.skipIf(!canShare)("vectors of a shared Wasm memory (allocateVector)", () => {
  it("the flat params released after a step: the next step refuses it, naming the leaf, with nothing changed", () => {
    setBackend("wasm", { threads: false });
    const opt = tree(new Adam({ lr: 0.1 }), { layout: LAYOUT });
    const params = allocateVector(TOTAL).fill(1);
    const grad = allocateVector(TOTAL).fill(0.5);
    opt.step(params, grad);
    opt.step(params, grad);
    const before = state(opt);
    releaseVector(params);
    const error = thrown(() => opt.step(params, grad));
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect((error as ShapeMismatchError).argument).toMatch(/^params\//);
    expect(state(opt)).toBe(before);
    // another vector released in that memory: still the same vectors, held, and they step
    const other = allocateVector(10);
    const kept = allocateVector(TOTAL).fill(1);
    opt.step(kept, grad);
    releaseVector(other);
    opt.step(kept, grad);
    expect(opt.stepCount).toBe(4);
    opt.dispose();
    releaseVector(grad);
    releaseVector(kept);
  });

});
