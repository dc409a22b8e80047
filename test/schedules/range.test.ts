// Schedules stay in the range their bounds declare (issue 12): at every step, past their horizon,
// without cancellation, and whatever a hostile array does when read.
import { describe, expect, it } from "vitest";
import { Adam, InvalidScheduleError, type Schedule, schedule, scheduleValue, SGD } from "gradstep";
import { scheduleBounds } from "../../src/schedules/check-schedule.js";

describe("past the horizon, a schedule holds its final value", () => {
  // Found by the fuzzer: a linear one-cycle kept annealing past totalSteps, to lr = −1428 at t = 1e6.
  it.each(["linear", "cos"] as const)("oneCycle (%s) from totalSteps − 1 on", (anneal) => {
    const s: Schedule = { kind: "oneCycle", initial: 0.02, peak: 0.5, final: 2e-6, totalSteps: 100, anneal };
    for (const t of [99, 100, 101, 1e6, 2 ** 53 - 1]) expect(scheduleValue(s, t)).toBe(2e-6);
    expect(scheduleBounds(schedule(s))).toEqual([2e-6, 0.5]);
  });

  it("oneCycle three-phase, too", () => {
    const s: Schedule = { kind: "oneCycle", initial: 0.9, peak: 0.1, final: 0.5, totalSteps: 20, anneal: "linear", threePhase: true };
    for (const t of [19, 20, 1e6]) expect(scheduleValue(s, t)).toBe(0.5);
  });

  it("plain SGD on x²/2 with a linear one-cycle lr no longer diverges after totalSteps", () => {
    // θ ← θ·(1 − η) with 0 ≤ η ≤ 0.5: |θ| never grows (it grew to 3e16 when η went negative)
    const opt = new SGD({ lr: { kind: "oneCycle", initial: 0.02, peak: 0.5, final: 2e-6, totalSteps: 100, anneal: "linear" } });
    const theta = Float64Array.of(1);
    for (let t = 0; t < 3000; t++) {
      const before = Math.abs(theta[0]);
      opt.step(theta, Float64Array.of(theta[0]));
      expect(Math.abs(theta[0])).toBeLessThanOrEqual(before);
    }
  });

  it("inside a sequence too", () => {
    const s: Schedule = {
      kind: "sequence",
      boundaries: [10],
      schedules: [
        { kind: "constant", value: 0.1 },
        { kind: "oneCycle", initial: 0.1, peak: 1, final: 0.001, totalSteps: 10, anneal: "linear" },
      ],
    };
    expect(scheduleValue(s, 19)).toBe(0.001);
    expect(scheduleValue(s, 1e9)).toBe(0.001);
  });
});

describe("interpolation does not cancel", () => {
  it("a linear decay to 0 ends at exactly 0, never below", () => {
    // 0.1 + (0 − 0.1)·3/3 was −1.4e−17: (−0.1·3)/3 rounds to −0.10000000000000002
    const s: Schedule = { kind: "linear", initial: 0.1, final: 0, steps: 3 };
    expect(scheduleValue(s, 3)).toBe(0);
    expect(scheduleValue(s, 4)).toBe(0);
    for (const steps of [3, 7, 10, 49, 100, 1000]) {
      for (const initial of [0.1, 0.3, 1e-3, 0.7]) {
        const d: Schedule = { kind: "linear", initial, final: 0, steps };
        for (let t = 0; t <= steps + 1; t++) expect(scheduleValue(d, t)).toBeGreaterThanOrEqual(0);
        expect(scheduleValue(d, steps)).toBe(0);
      }
    }
  });

  it("a cosine from 1e−20 to 1 starts at 1e−20 (it started at 0)", () => {
    const s: Schedule = { kind: "cosine", initial: 1e-20, final: 1, period: 10 };
    expect(scheduleValue(s, 0)).toBe(1e-20);
    expect(scheduleValue(s, 10)).toBe(1);
    // at t = 1: 1e−20 + (1 − 1e−20)·(1 − cos(π/10))/2, (1 − cos(π/10))/2 = sin²(π/20)
    expect(scheduleValue(s, 1)).toBeCloseTo(Math.sin(Math.PI / 20) ** 2, 15);
  });

  it("as eps, that cosine keeps the parameters finite under nonFinite: \"throw\"", () => {
    // a zero gradient: m = v = 0, and 0/(√0 + eps) is NaN when eps evaluates to 0
    const opt = new Adam({ lr: 0.1, eps: { kind: "cosine", initial: 1e-20, final: 1, period: 10 }, nonFinite: "throw" });
    const theta = Float64Array.of(1, -2);
    opt.step(theta, Float64Array.of(0, 0));
    expect(Array.from(theta)).toEqual([1, -2]);
  });

  it("the same for polynomial and one-cycle warm-ups from a tiny value", () => {
    expect(scheduleValue({ kind: "polynomial", initial: 1e-20, final: 1, steps: 10 }, 0)).toBe(1e-20);
    expect(scheduleValue({ kind: "oneCycle", initial: 1e-20, peak: 1, final: 1e-30, totalSteps: 10 }, 0)).toBe(1e-20);
    expect(scheduleValue({ kind: "cosineRestarts", initial: 1e-20, final: 1, period: 4 }, 4)).toBe(1e-20);
  });
});

describe("arrays are read once: the values checked are the values used", () => {
  // A getter that returns 5 when checked and −5 after: the copy must hold the value that was checked.
  function shifty(first: number, later: number): number[] {
    const a = [0];
    let reads = 0;
    Object.defineProperty(a, 0, { get: () => (reads++ === 0 ? first : later), enumerable: true });
    return a;
  }

  it("milestones", () => {
    const s = schedule({ kind: "multiStep", initial: 1, gamma: 0.5, milestones: shifty(5, -5) });
    expect(s.milestones).toEqual([5]);
    expect(scheduleValue(s, 4)).toBe(1);
    expect(scheduleValue(s, 5)).toBe(0.5);
  });

  it("piecewise values and boundaries", () => {
    const s = schedule({ kind: "piecewise", boundaries: shifty(2, 0.5), values: [1, ...shifty(0.5, NaN)] });
    expect(s.boundaries).toEqual([2]);
    expect(s.values).toEqual([1, 0.5]);
    expect(Object.isFrozen(s.values)).toBe(true);
    // the optimizer checks the copy, and the copy is what it evaluates
    const opt = new SGD({ lr: { kind: "piecewise", boundaries: [2], values: [1, ...shifty(0.5, -1)] } });
    expect(opt.valueAt("lr", 5)).toBe(0.5);
  });

  it("sequence boundaries and schedules", () => {
    const inner: Schedule = { kind: "constant", value: 0.5 };
    const schedules = [inner, inner];
    let reads = 0;
    Object.defineProperty(schedules, 1, { get: () => (reads++ === 0 ? inner : { kind: "constant", value: -1 }), enumerable: true });
    const opt = new SGD({ lr: { kind: "sequence", boundaries: shifty(2, 0.5), schedules } });
    expect((opt.options.lr as { boundaries: readonly number[] }).boundaries).toEqual([2]);
    expect(opt.valueAt("lr", 9)).toBe(0.5);
  });

  it("a Proxy sees one read of length and of each element", () => {
    const reads = new Map<PropertyKey, number>();
    const counted = <T extends object>(target: T): T =>
      new Proxy(target, {
        get(obj, key, receiver) {
          reads.set(key, (reads.get(key) ?? 0) + 1);
          return Reflect.get(obj, key, receiver);
        },
      });
    schedule({ kind: "piecewise", boundaries: counted([3, 7]), values: [1, 2, 3] });
    expect(Object.fromEntries(reads)).toEqual({ length: 1, 0: 1, 1: 1 });
    reads.clear();
    schedule({ kind: "piecewise", boundaries: [3, 7], values: counted([1, 2, 3]) });
    expect(Object.fromEntries(reads)).toEqual({ length: 1, 0: 1, 1: 1, 2: 1 });
    reads.clear();
    schedule({ kind: "multiStep", initial: 1, gamma: 0.5, milestones: counted([3, 7]) });
    expect(Object.fromEntries(reads)).toEqual({ length: 1, 0: 1, 1: 1 });
    reads.clear();
    schedule({ kind: "sequence", boundaries: counted([3]), schedules: counted([{ kind: "constant", value: 1 }, { kind: "constant", value: 2 }]) });
    expect(Object.fromEntries(reads)).toEqual({ length: 2, 0: 2, 1: 1 });
  });

  it("an element that is not a number is still refused, naming its path", () => {
    let error: unknown;
    try {
      schedule({ kind: "piecewise", boundaries: [2], values: [1, "x" as never] });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidScheduleError);
    expect((error as InvalidScheduleError).argument).toBe("schedule.values[1]");
  });
});
