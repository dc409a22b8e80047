// Schedules stay in the range their bounds declare (issue 12): at every step, past their horizon,
// without cancellation, and whatever a hostile array does when read.
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, InvalidScheduleError, type Schedule, schedule, scheduleValue, SGD } from "gradstep";
import { scheduleBounds } from "../../src/schedules/check-schedule.js";
import { compileSchedule, evaluateProgram } from "../../src/schedules/evaluate-schedule.js";

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

describe("decay or growth from 0 stays 0", () => {
  it("0·γ^k is 0 when γ^k overflows (it was 0·∞ = NaN)", () => {
    expect(scheduleValue({ kind: "exponential", initial: 0, gamma: 2 }, 2000)).toBe(0);
    expect(scheduleValue({ kind: "step", initial: 0, gamma: 1e300, stepSize: 1 }, 5)).toBe(0);
    const s = schedule({ kind: "multiStep", initial: 0, gamma: 1e300, milestones: [1, 2] });
    expect(scheduleValue(s, 5)).toBe(0);
    expect(scheduleBounds(s)).toEqual([0, 0]);
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

describe("every schedule, every step: finite, within its bounds, and the compiled program agrees to the bit", () => {
  // Any finite number, the extremes (±1.8e308, subnormals) included, and ordinary ones.
  const real = fc.oneof(
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.double({ min: -2, max: 2, noNaN: true }),
    fc.constantFrom(0, 1, -1, 1e-20, 0.1, 1e-3, 0.5, 0.9, 0.999, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE),
  );
  const gamma = fc.oneof(fc.double({ min: Number.MIN_VALUE, max: 4, noNaN: true }), fc.double({ min: Number.MIN_VALUE, noNaN: true, noDefaultInfinity: true }), fc.constantFrom(0.5, 0.9, 1, 1.01));
  const whole = fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }));
  const increasing = (most: number) => fc.uniqueArray(whole, { maxLength: most }).map((a) => a.sort((x, y) => x - y));
  const leaf: fc.Arbitrary<Schedule> = fc.oneof(
    fc.record({ kind: fc.constant("constant" as const), value: real }),
    fc.record({ kind: fc.constant("step" as const), initial: real, gamma, stepSize: whole }),
    fc.record({ kind: fc.constant("multiStep" as const), initial: real, gamma, milestones: increasing(4) }),
    fc.record({ kind: fc.constant("exponential" as const), initial: real, gamma }),
    fc.record({ kind: fc.constant("cosine" as const), initial: real, final: real, period: whole, after: fc.constantFrom("hold" as const, "continue" as const) }),
    fc.record({ kind: fc.constant("linear" as const), initial: real, final: real, steps: whole }),
    fc.record({ kind: fc.constant("polynomial" as const), initial: real, final: real, steps: whole, power: fc.oneof(fc.double({ min: 1e-3, max: 10, noNaN: true }), fc.constantFrom(1, 2, 0.5)) }),
    fc
      .record({
        kind: fc.constant("oneCycle" as const),
        initial: real,
        peak: real,
        final: real,
        totalSteps: fc.oneof(fc.integer({ min: 2, max: 200 }), whole),
        warmupFraction: fc.oneof(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.constantFrom(0.3, 0.25, 0.5)),
        anneal: fc.constantFrom("cos" as const, "linear" as const),
        threePhase: fc.boolean(),
      })
      .filter((s) => {
        try {
          schedule(s);
          return true;
        } catch {
          return false; // a phase without a step
        }
      }),
    fc.record({ kind: fc.constant("cosineRestarts" as const), initial: real, final: real, period: whole, periodMultiplier: fc.oneof(fc.constant(1), fc.integer({ min: 1, max: 5 })) }),
    increasing(4).chain((boundaries) =>
      fc.record({ kind: fc.constant("piecewise" as const), boundaries: fc.constant(boundaries), values: fc.array(real, { minLength: boundaries.length + 1, maxLength: boundaries.length + 1 }) }),
    ),
  );
  const sequenceOf = (inner: fc.Arbitrary<Schedule>): fc.Arbitrary<Schedule> =>
    increasing(3).chain((boundaries) =>
      fc.record({ kind: fc.constant("sequence" as const), boundaries: fc.constant(boundaries), schedules: fc.array(inner, { minLength: boundaries.length + 1, maxLength: boundaries.length + 1 }) }),
    );
  const any = fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 1, arbitrary: sequenceOf(leaf) }, { weight: 1, arbitrary: sequenceOf(fc.oneof(leaf, sequenceOf(leaf))) });

  // The steps where something happens: 0, every whole number a schedule holds ± 1 (horizons,
  // milestones, boundaries, and the same shifted by each boundary of an enclosing sequence), large t.
  function times(s: Schedule): number[] {
    const found = new Set<number>([0, 1, 2 ** 52, 2 ** 53 - 2, 2 ** 53 - 1]);
    const visit = (x: Schedule, offset: number) => {
      const add = (n: number) => [n - 1, n, n + 1].forEach((m) => found.add(offset + m));
      for (const value of Object.values(x)) {
        if (typeof value === "number" && Number.isSafeInteger(value)) add(value);
        if (Array.isArray(value)) value.forEach((v) => typeof v === "number" && Number.isSafeInteger(v) && add(v));
      }
      if (x.kind === "sequence") x.schedules.forEach((child, i) => visit(child, offset + (i > 0 ? x.boundaries[i - 1] : 0)));
    };
    visit(s, 0);
    return [...found].filter((t) => Number.isSafeInteger(t) && t >= 0);
  }

  const out = new Float64Array(1);
  test.prop([any, fc.nat({ max: Number.MAX_SAFE_INTEGER })], { numRuns: 1000 })("at t = 0, the horizons ± 1, large t and 2^53 − 1", (spec, extra) => {
    const s = schedule(spec);
    const [lo, hi] = scheduleBounds(s);
    const program = compileSchedule(s);
    for (const t of [...times(s), extra]) {
      const value = scheduleValue(s, t);
      evaluateProgram(program, t, out, 0);
      expect(Object.is(out[0], value), `t = ${t}: program ${out[0]}, reference ${value}`).toBe(true);
      expect(value >= lo && value <= hi, `t = ${t}: ${value} outside [${lo}, ${hi}]`).toBe(true);
      // Only a growing step or exponential schedule is unbounded, and so may overflow.
      if (!Number.isFinite(value)) expect(value === -Infinity ? lo : hi).toBe(value);
    }
  }, 60_000);
});
