// Hostile and broken input, generated (fast-check, 10,000 cases per kind): every invalid
// hyperparameter is refused with a typed error and every valid one builds; a gradient with NaN or
// ±Infinity anywhere changes nothing; a corrupted snapshot is refused whole and pollutes nothing.
// Each property may take 60 s: enough for one slow, shared core.
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { GradstepError, InvalidSnapshotError, NonFiniteGradientError } from "gradstep";
import { allRules, bytes, gradientAt } from "../helpers.js";

const RUNS = 10_000;

// Anything a JavaScript caller might pass.
const anything = fc.oneof(
  fc.double(),
  fc.constantFrom(NaN, Infinity, -Infinity, -0, 0, 1, -1, 1e308, 5e-324, 0.5, 0.999, 1 - 2 ** -53),
  fc.integer(),
  fc.string({ maxLength: 4 }),
  fc.boolean(),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.double(), { maxLength: 2 }),
  fc.constant({}),
);

const optionNames = ["lr", "beta", "gamma", "rho", "eps", "epsPlacement", "momentum", "dampening", "nesterov", "amsgrad", "centered", "weightDecay", "weightDecayMode", "maximize", "nonFinite", "lookAhead", "lrDecay", "etaMinus", "etaPlus", "stepMin", "stepMax", "momentumDecay", "bogus"];

describe("random options", () => {
  test.prop([fc.constantFrom(...allRules), fc.dictionary(fc.constantFrom(...optionNames), anything, { maxKeys: 4 })], { numRuns: RUNS })(
    "either build an optimizer with finite hyperparameters or throw a typed error that names an argument",
    (rule, options) => {
      let opt;
      try {
        opt = rule.make(options);
      } catch (e) {
        expect(e).toBeInstanceOf(GradstepError);
        expect(typeof (e as GradstepError).argument).toBe("string");
        expect((e as Error).message).toContain("expected");
        return;
      }
      // It built: every number it resolved is finite, and a step with a zero gradient either keeps θ
      // finite or — when valid but absurd options make a derived step size overflow (η = 1e308:
      // η/(1 − β) = Infinity, and Infinity·0 would be NaN) — is refused with a typed error, θ unchanged.
      for (const value of Object.values(opt.options)) if (typeof value === "number") expect(Number.isFinite(value)).toBe(true);
      const params = new Float64Array(3);
      try {
        opt.step(params, new Float64Array(3));
      } catch (e) {
        expect(e).toBeInstanceOf(GradstepError);
        expect(Array.from(params)).toEqual([0, 0, 0]);
      }
      expect(params.every(Number.isFinite)).toBe(true);
    },
    120_000, // 10,000 runs: ≤ 3 s on one core, ≤ 14 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
  );
});

describe.each(["throw", "skip"] as const)("random non-finite gradients, nonFinite: %s", (policy) => {
  test.prop(
    [fc.constantFrom(...allRules), fc.integer({ min: 1, max: 24 }), fc.nat(40), fc.array(fc.tuple(fc.nat(), fc.constantFrom(NaN, Infinity, -Infinity)), { minLength: 1, maxLength: 4 })],
    { numRuns: RUNS },
  )("are refused or skipped, and change nothing", (rule, n, warm, bad) => {
    const opt = rule.make({ lr: 0.01, nonFinite: policy });
    const params = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
    for (let t = 0; t < warm % 5; t++) opt.step(params, gradientAt(t, n));
    const grad = gradientAt(99, n);
    for (const [position, value] of bad) grad[position % n] = value;
    const before = { params: bytes(params), state: JSON.stringify(opt.snapshot()) };
    let error: unknown;
    try {
      opt.step(params, grad);
    } catch (e) {
      error = e;
    }
    if (policy === "throw") {
      expect(error).toBeInstanceOf(NonFiniteGradientError);
      expect((error as NonFiniteGradientError).index).toBe(Math.min(...bad.map(([p]) => p % n)));
    } else {
      expect(error).toBeUndefined();
    }
    expect(bytes(params)).toEqual(before.params);
    expect(JSON.stringify(opt.snapshot())).toBe(before.state);
  }, 120_000); // 10,000 runs: ≤ 3 s on one core, ≤ 14 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
});

describe("random corruptions of a snapshot", () => {
  const keys = ["format", "version", "kind", "options", "stepCount", "size", "buffers", "__proto__", "constructor", "prototype"];
  const corruption = fc.oneof(
    fc.record({ at: fc.constantFrom(...keys), value: anything }).map(({ at, value }) => (s: Record<string, unknown>) => ({ ...s, [at]: value })),
    fc.record({ at: fc.string({ maxLength: 6 }), value: anything }).map(({ at, value }) => (s: Record<string, unknown>) => ({ ...s, options: { ...(s.options as object), [at]: value } })),
    fc.record({ at: fc.string({ maxLength: 12 }), value: anything }).map(({ at, value }) => (s: Record<string, unknown>) => ({ ...s, buffers: { ...(s.buffers as object), [at]: value } })),
    fc.nat(400).map((cut) => (s: Record<string, unknown>) => JSON.stringify(s).slice(0, cut)),
    fc.constant((s: Record<string, unknown>) => JSON.parse(JSON.stringify(s).replace(/\{/, '{"__proto__":{"polluted":1},'))),
  );

  test.prop([fc.constantFrom(...allRules), corruption], { numRuns: RUNS })("are refused whole, or restore a valid state; nothing is polluted", (rule, corrupt) => {
    const source = rule.make({ lr: 0.02 });
    const p = Float64Array.of(1, 2, 3);
    for (let t = 0; t < 3; t++) source.step(p, gradientAt(t, 3));
    const target = rule.make({ lr: 0.05 });
    target.step(Float64Array.of(0, 0, 0), gradientAt(7, 3));
    const before = JSON.stringify(target.snapshot());
    const broken = corrupt(JSON.parse(JSON.stringify(source.snapshot())));
    try {
      target.restore(broken);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidSnapshotError);
      expect(JSON.stringify(target.snapshot())).toBe(before);
    }
    // whether refused or (for a change that leaves a valid snapshot) accepted, it still steps
    // (a rule without buffers accepts any size; stepping a huge one is not this test's business)
    const n = target.size ?? 3;
    if (n <= 64) {
      const q = new Float64Array(n).fill(1);
      target.step(q, gradientAt(3, n));
      expect(q.every(Number.isFinite)).toBe(true);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((Object.prototype as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000); // 10,000 runs: ≤ 3 s on one core, ≤ 14 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
});

describe("random datasets and schedules", () => {
  const cell = fc.oneof(fc.double(), fc.constantFrom(NaN, Infinity, -Infinity, 0), fc.string({ maxLength: 2 }) as fc.Arbitrary<unknown>);
  test.prop([fc.array(fc.array(cell, { maxLength: 3 }), { maxLength: 5 }), fc.array(cell, { maxLength: 6 })], { numRuns: RUNS })(
    "a dataset is either valid (finite, matching shapes, non-empty) or refused with a typed error",
    async (X, y) => {
      const { dataset } = await import("gradstep/learn");
      try {
        const data = dataset(X as number[][], y as number[]);
        expect(data.size).toBeGreaterThan(0);
        expect(data.size).toBe(y.length);
        for (let i = 0; i < data.size; i++) {
          expect(Number.isFinite(data.y.get(i))).toBe(true);
          for (let j = 0; j < data.features; j++) expect(Number.isFinite(data.X.get(i, j))).toBe(true);
        }
      } catch (e) {
        expect(e).toBeInstanceOf(GradstepError);
      }
    },
    120_000, // 10,000 runs: ≤ 3 s on one core, ≤ 14 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
  );

  const kinds = ["constant", "step", "multiStep", "exponential", "cosine", "linear", "polynomial", "oneCycle", "cosineRestarts", "piecewise", "sequence", "nope"];
  const fields = ["value", "initial", "final", "gamma", "stepSize", "milestones", "period", "steps", "power", "peak", "totalSteps", "warmupFraction", "periodMultiplier", "boundaries", "values", "after", "anneal", "threePhase"];
  const fieldValue = fc.oneof(anything, fc.array(fc.integer({ min: -2, max: 50 }), { maxLength: 3 }), fc.integer({ min: 1, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }));
  const step = fc.oneof(fc.nat(200), fc.nat({ max: Number.MAX_SAFE_INTEGER }), fc.constantFrom(2 ** 53 - 1, 1e6));
  test.prop([fc.constantFrom(...kinds), fc.dictionary(fc.constantFrom(...fields), fieldValue, { maxKeys: 6 }), step], { numRuns: RUNS })(
    "a schedule is either refused when built or gives a finite value at every step, within the bounds it was checked against",
    async (kind, spec, t) => {
      const { schedule, scheduleValue, InvalidScheduleError } = await import("gradstep");
      const { scheduleBounds } = await import("../../src/schedules/check-schedule.js");
      let s;
      try {
        s = schedule({ kind, ...spec } as never);
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidScheduleError);
        return;
      }
      const value = scheduleValue(s, t);
      const [lo, hi] = scheduleBounds(s);
      expect(value >= lo && value <= hi, `${value} outside [${lo}, ${hi}]`).toBe(true);
      // only a schedule that grows (γ > 1) can overflow; an optimizer refuses one for a bounded option
      if (!Number.isFinite(value)) expect((s as { gamma?: number }).gamma).toBeGreaterThan(1);
    },
    120_000, // 10,000 runs: ≤ 3 s on one core, ≤ 14 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
  );
});
