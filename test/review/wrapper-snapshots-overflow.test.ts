// An adversarial review (JS against Wasm, fuzzed) found no bit of difference between the backends,
// and these four defects, on both: each test failed before its fix.
import { accumulate, Adam, allocateVector, average, lookahead, NonFiniteGradientError, OutOfMemoryError, SGD, setBackend, ShapeMismatchError, tree } from "gradstep";
import { afterAll, describe, expect, test } from "vitest";
import { expectRefusal } from "../helpers.js";

afterAll(() => setBackend("auto"));

test("allocateVector under a memory budget past 2^48 bytes: OutOfMemoryError (Memory.grow's TypeError escaped)", () => {
  setBackend("wasm", { memoryBudget: Number.MAX_SAFE_INTEGER });
  expect(() => allocateVector(2 ** 45)).toThrow(OutOfMemoryError);
  const small = allocateVector(8); // the backend still works
  small.fill(1);
  expect(Array.from(small)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
  setBackend("auto");
});

describe.each(["js", "wasm"] as const)("backend %s", (backend) => {
  const roundTrip = <T extends { snapshot(): unknown; restore(s: unknown): void }>(from: T, into: T): T => {
    into.restore(JSON.parse(JSON.stringify(from.snapshot())));
    expect(JSON.stringify(into.snapshot())).toBe(JSON.stringify(from.snapshot()));
    return into;
  };

  test("a wrapper restores its own snapshot after finite gradients overflowed its state to ±∞ (it refused: 'finite values')", () => {
    setBackend(backend);
    const av = average(new SGD({ lr: 1 }));
    av.step(Float64Array.of(1.7e308), Float64Array.of(-1.7e308)); // θ = 1.7e308 + 1.7e308 = +∞
    expect(roundTrip(av, average(new SGD({ lr: 1 }))).average()[0]).toBe(Infinity);
    const la = lookahead(new SGD({ lr: 1 }), { syncPeriod: 1 });
    la.step(Float64Array.of(1.7e308), Float64Array.of(-1.7e308));
    roundTrip(la, lookahead(new SGD({ lr: 1 }), { syncPeriod: 1 }));
    const ac = accumulate(new SGD(), { every: 3 });
    const p = Float64Array.of(1);
    ac.step(p, Float64Array.of(1.5e308));
    ac.step(p, Float64Array.of(1.5e308)); // the sum, 3e308, is +∞
    expect(roundTrip(ac, accumulate(new SGD(), { every: 3 })).pending).toBe(2);
    // the third, finite gradient: refused as the mean it makes, not as the caller's gradient
    expectRefusal(() => ac.step(p, Float64Array.of(1)), NonFiniteGradientError, "grad (the mean of 3 gradients, whose sum overflowed; reset() drops it)[0]");
    expect([ac.pending, p[0]]).toEqual([2, 1]);
    setBackend("auto");
  });

  test("accumulate over vectors of length 0 restores its own snapshot, and a pending sum of length 0 fixes the length", () => {
    setBackend(backend);
    const empty = new Float64Array(0);
    const a = accumulate(new Adam(), { every: 2 });
    a.step(empty, empty);
    expect(a.size).toBe(0);
    const b = roundTrip(a, accumulate(new Adam(), { every: 2 }));
    expect(b.pending).toBe(1);
    // (it rebuilt the sum for the new length and counted the pending empty gradient as zeros)
    expect(() => a.step(new Float64Array(3), new Float64Array(3))).toThrow(ShapeMismatchError);
    expect(a.pending).toBe(1);
    setBackend("auto");
  });

  test("accumulate refuses a gradient that partly overlaps params, as the optimizers do (flat and over a tree)", () => {
    setBackend(backend);
    const big = new Float64Array(41).fill(1);
    const flat = accumulate(new SGD({ lr: 0.1 }), { every: 1 });
    expect(() => flat.step(big.subarray(0, 40), big.subarray(1, 41))).toThrow(ShapeMismatchError);
    expect(big.every((v) => v === 1)).toBe(true);
    flat.step(big.subarray(0, 40), big.subarray(0, 40)); // the same array is allowed
    const overTree = accumulate(tree(new SGD({ lr: 0.1 })), { every: 1 });
    const params = { w: big.subarray(0, 40) };
    expectRefusal(() => overTree.step(params, { w: big.subarray(1, 41) }), ShapeMismatchError, "grad/w");
    setBackend("auto");
  });
});
