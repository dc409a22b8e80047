// Small steps after one long step in JavaScript allocate nothing. A step of a million parameters on
// the JavaScript kernels (the JavaScript backend, or state that Wasm memory could not hold) keeps a
// kernel in one loop long enough for V8 to compile that loop on stack (on-stack replacement). In
// Node 20 (V8 11.3), while the kernel had no compiled code of its own (not made yet, or thrown away
// when a call took a branch it had not seen), every later call ran its baseline code up to the loop's
// first back edge and entered the loop code there, and entering it never counted towards compiling
// the kernel again: what the baseline code computed before the back edge was boxed, about 480 bytes
// a step of Adam at n = 8 (29 collections per 500,000 pairs of steps), for the rest of the process.
// This was the cause of the failures of the fixed-cost review's allocation tests
// (session-fixed-cost-allocation.test.ts): its property tests took such steps ("grow" with a full
// budget). The kernels now run each loop in a small function of its own with an entry pass (see
// src/kernels/scalars.ts). No timing, no V8 flag: without the fix, the two Adam tests and the Adam,
// SGD and Momentum rules failed in each of 3 runs (6 to 9 of the 27 in all; for the other rules the
// stuck state depends on when the compiler finishes).
import { Adam, type BackendChoice, type Optimizer, setBackend } from "gradstep";
import { afterEach, describe, expect, it } from "vitest";
import { allRules, gradientAt } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

const suiteBackend = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  setBackend(suiteBackend);
});

/** Long enough that every kernel's loop gets compiled on stack during the one step. */
const LONG = 1 << 20;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** One step of `make()`'s optimizer on LONG parameters, on the JavaScript kernels. */
function longStep(make: () => Optimizer, gradient = 0.5): void {
  setBackend("js");
  const big = make();
  big.step(new Float64Array(LONG), new Float64Array(LONG).fill(gradient));
  big.dispose?.();
  setBackend(suiteBackend);
}

/** Small steps of `opt` (plain arrays of n numbers) until its code has settled, with pauses for the compiler. */
async function warm(opt: Optimizer, params: Float64Array, grads: readonly Float64Array[]): Promise<void> {
  for (let k = 0; k < 5; k++) {
    for (let t = 0; t < 20_000; t++) opt.step(params, grads[t & 7]);
    await settle();
  }
}

describe("small steps after a step of a million parameters in JavaScript", () => {
  it("Adam's small step allocates nothing, its state in Wasm memory or not, and after a step that takes another branch of its kernel (AMSGrad, decoupled decay)", async () => {
    longStep(() => new Adam({ lr: 1e-3 }));
    const opt = new Adam({ lr: 1e-6 });
    const params = new Float64Array(8);
    const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, 8));
    await warm(opt, params, grads);
    const other = new Adam({ lr: 1e-6, amsgrad: true, weightDecay: 0.01, weightDecayMode: "decoupled" });
    other.step(new Float64Array(8), grads[0]); // its compiled code had not seen this branch: thrown away
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads[t & 7]);
    }, 500_000);
  }, 120_000);

  it("after a long gradient check and a non-finite gradient skipped, Adam's small step allocates nothing", async () => {
    longStep(() => new Adam({ lr: 1e-3, nonFinite: "skip" }));
    const opt = new Adam({ lr: 1e-6, nonFinite: "skip" });
    const params = new Float64Array(8);
    const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, 8));
    await warm(opt, params, grads);
    const bad = gradientAt(9, 8);
    bad[5] = Number.NaN;
    const before = opt.stepCount;
    opt.step(params, bad); // skipped: the check's search for the index runs
    expect(opt.stepCount).toBe(before);
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads[t & 7]);
    }, 500_000);
  }, 120_000);

  // Adafactor's loops are its own (hand-written, not generated kernels), with the same entry pass:
  // before they had it, 3 of 8 standalone runs of one long step then 300,000 small ones saw 37
  // collections (its norm and update passes entered on stack at every call).
  const covered = allRules;
  it.each(covered.map((rule) => [rule.name, rule] as const))("%s: small steps allocate nothing after one long step of the rule in JavaScript", async (_, rule) => {
    longStep(() => rule.make({ lr: 1e-9 }));
    const opt = rule.make({ lr: 1e-9 });
    const params = Float64Array.from({ length: 8 }, (_, i) => 1 + i / 8);
    const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, 8));
    await warm(opt, params, grads);
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads[t & 7]);
    }, 300_000);
  }, 120_000);
});
