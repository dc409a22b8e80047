// The allocation tests of the fixed-cost review (session-fixed-cost.test.ts), in a file of their
// own: a test file runs in a fresh process. In that file, under load, the property tests before
// them (restores of step counts up to 2^53, rates and βs scheduled every step, every rule on shared
// call sites) could leave Adam's small step in a state that allocated at every call for the
// rest of the process (29 collections in each of 5 measurements of 500,000 steps; 2 runs in 9 of the
// whole file with both cores busy, never without load or with these tests alone). Here the only
// history before a measurement is the one each test sets up on purpose.
import { Adam, Adamax, allocateVector, type BackendChoice, releaseVector, setBackend } from "gradstep";
import { afterEach, describe, expect, it } from "vitest";
import { allRules, bytes, freshRuntime, gradientAt } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

const suiteBackend = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  setBackend(suiteBackend);
});

const canShare = typeof SharedArrayBuffer === "function";

describe("steps of fewer than 32 numbers on plain arrays run the JavaScript kernel on the Wasm state", () => {
  it.each(canShare ? [true, false] : [false])("allocates nothing per small step on plain arrays (shared memory: %s), params in Wasm memory and grad plain too", async (shared) => {
    freshRuntime(shared);
    const n = 8;
    const opt = new Adam({ lr: 1e-6 });
    const mixed = new Adam({ lr: 1e-6 });
    const params = new Float64Array(n);
    const inWasm = allocateVector(n);
    const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, n));
    opt.step(params, grads[0]);
    expect(opt.backend).toBe("wasm");
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) {
        opt.step(params, grads[t & 7]);
        mixed.step(inWasm, grads[t & 7]);
      }
    }, 500_000);
    releaseVector(inWasm);
  }, 120_000);
});

describe("a step count past 2^31", () => {
  it("restored into one optimizer, makes no other optimizer's steps allocate (any class, after a restore of its own); its own steps give the JavaScript backend's bits", async () => {
    // call sites shared by every class (a program that uses several rules)
    for (const rule of allRules) {
      const o = rule.make({ lr: 0.01 });
      const p = new Float64Array(8);
      for (let t = 0; t < 20; t++) o.step(p, gradientAt(t, 8));
      o.restore(o.snapshot());
    }
    const far = new Adamax({ lr: 1e-9 });
    const q = new Float64Array(8);
    far.step(q, gradientAt(0, 8));
    far.restore({ ...far.snapshot(), stepCount: 2 ** 31 + 5 }); // before the fix: every later snapshot's stepCount a heap number
    setBackend("js");
    const reference = new Adamax({ lr: 1e-9 });
    const r = Float64Array.from(q);
    reference.restore(far.snapshot());
    for (let t = 1; t < 40; t++) {
      far.step(q, gradientAt(t, 8));
      reference.step(r, gradientAt(t, 8));
    }
    expect([far.stepCount, bytes(q)]).toEqual([2 ** 31 + 44, bytes(r)]);
    setBackend(suiteBackend);
    const opt = new Adam({ lr: 1e-6 });
    const params = new Float64Array(8);
    const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, 8));
    opt.step(params, grads[0]);
    opt.restore(opt.snapshot()); // before the fix: its step counter turned into a heap number, 64 bytes a step
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads[t & 7]);
    }, 500_000);
  }, 120_000);
});
