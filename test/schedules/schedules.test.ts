import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import {
  AdaGrad,
  Adam,
  GradientDescent,
  InvalidOptionError,
  InvalidScheduleError,
  Momentum,
  Rprop,
  type Schedule,
  schedule,
  scheduleValue,
  SGD,
} from "gradstep";
import { bytes, expectClose } from "../helpers.js";

const values = (s: Schedule, steps: number) => Array.from({ length: steps }, (_, t) => scheduleValue(s, t));

describe("each kind, by hand", () => {
  it("constant", () => expect(values({ kind: "constant", value: 0.25 }, 3)).toEqual([0.25, 0.25, 0.25]));

  it("step: initial·γ^⌊t/stepSize⌋", () => {
    expect(values({ kind: "step", initial: 1, gamma: 0.5, stepSize: 2 }, 6)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
  });

  it("multiStep: one factor per milestone passed", () => {
    expect(values({ kind: "multiStep", initial: 1, gamma: 0.5, milestones: [1, 3] }, 5)).toEqual([1, 0.5, 0.5, 0.25, 0.25]);
  });

  it("exponential: initial·γ^t", () => {
    expect(values({ kind: "exponential", initial: 2, gamma: 0.5 }, 4)).toEqual([2, 1, 0.5, 0.25]);
  });

  it("cosine: (1 + cos(πt/T))/2 between initial and final, then hold or continue", () => {
    // T = 4: cos(0) = 1, cos(π/4) = 0.7071, cos(π/2) = 0, cos(3π/4) = −0.7071, cos(π) = −1, then cos(5π/4) = −0.7071
    const hold = values({ kind: "cosine", initial: 1, final: 0, period: 4 }, 6);
    expectClose(hold, [1, 0.85355339059, 0.5, 0.14644660941, 0, 0], 1e-11);
    const go = values({ kind: "cosine", initial: 1, final: 0, period: 4, after: "continue" }, 6);
    expectClose(go, [1, 0.85355339059, 0.5, 0.14644660941, 0, 0.14644660941], 1e-11);
  });

  it("linear: a straight line, then final", () => {
    expect(values({ kind: "linear", initial: 0, final: 1, steps: 4 }, 6)).toEqual([0, 0.25, 0.5, 0.75, 1, 1]);
  });

  it("polynomial: (1 − t/T)^power", () => {
    expect(values({ kind: "polynomial", initial: 1, steps: 4, power: 2 }, 6)).toEqual([1, 0.5625, 0.25, 0.0625, 0, 0]);
    expect(values({ kind: "polynomial", initial: 3, final: 1, steps: 2 }, 3)).toEqual([3, 2, 1]);
  });

  it("oneCycle: up to the peak over the warm-up, then down", () => {
    // totalSteps 11, warm-up 0.5: phase ends 4.5 and 10; linear anneal
    const s: Schedule = { kind: "oneCycle", initial: 1, peak: 10, final: 0, totalSteps: 11, warmupFraction: 0.5, anneal: "linear" };
    // t ≤ 4.5: 1 + 9·t/4.5 → 1, 3, 5, 7, 9; then 10 − 10·(t − 4.5)/5.5
    expectClose(values(s, 11), [1, 3, 5, 7, 9, 10 - 10 / 11, 10 - 30 / 11, 10 - 50 / 11, 10 - 70 / 11, 10 - 90 / 11, 0], 1e-14);
  });

  it("cosineRestarts: periods T₀, T₀·m, …", () => {
    const s: Schedule = { kind: "cosineRestarts", initial: 1, final: 0, period: 2, periodMultiplier: 2 };
    // period 2: t = 0, 1 → 1, 0.5; period 4: t = 2..5 → 1, 0.8536, 0.5, 0.1464; period 8 starts at t = 6
    expectClose(values(s, 7), [1, 0.5, 1, 0.85355339059, 0.5, 0.14644660941, 1], 1e-11);
  });

  it("piecewise: values[i] from boundaries[i − 1] on", () => {
    expect(values({ kind: "piecewise", boundaries: [2, 3], values: [1, 2, 3] }, 5)).toEqual([1, 1, 2, 3, 3]);
  });

  it("sequence: each schedule on its own clock", () => {
    const s: Schedule = {
      kind: "sequence",
      boundaries: [2],
      schedules: [
        { kind: "linear", initial: 0, final: 1, steps: 2 },
        { kind: "exponential", initial: 1, gamma: 0.5 },
      ],
    };
    expect(values(s, 5)).toEqual([0, 0.5, 1, 0.5, 0.25]);
  });
});

describe("impossible schedules are refused when built", () => {
  const cases: [string, unknown, string][] = [
    ["an unknown kind", { kind: "triangle" }, "schedule.kind"],
    ["a zero period", { kind: "cosine", initial: 1, final: 0, period: 0 }, "schedule.period"],
    ["a fractional step size", { kind: "step", initial: 1, gamma: 0.5, stepSize: 2.5 }, "schedule.stepSize"],
    ["a negative γ", { kind: "exponential", initial: 1, gamma: -0.5 }, "schedule.gamma"],
    ["unordered milestones", { kind: "multiStep", initial: 1, gamma: 0.5, milestones: [5, 3] }, "schedule.milestones[1]"],
    ["a missing field", { kind: "linear", initial: 0, steps: 3 }, "schedule.final"],
    ["an unknown field", { kind: "constant", value: 1, scale: 2 }, "schedule.scale"],
    ["NaN", { kind: "constant", value: NaN }, "schedule.value"],
    ["values that do not fit the boundaries", { kind: "piecewise", boundaries: [2], values: [1] }, "schedule.values"],
    ["a warm-up with no step", { kind: "oneCycle", initial: 1, peak: 2, final: 0, totalSteps: 2, warmupFraction: 0.2 }, "schedule.warmupFraction"],
    ["a bad inner schedule", { kind: "sequence", boundaries: [2], schedules: [{ kind: "constant", value: 1 }, { kind: "cosine" }] }, "schedule.schedules[1].initial"],
  ];
  it.each(cases)("%s", (_what, spec, argument) => {
    let error: unknown;
    try {
      schedule(spec as Schedule);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidScheduleError);
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidScheduleError).argument).toBe(argument);
  });

  it("a schedule whose values leave the option's range is refused by the optimizer", () => {
    expect(() => new Adam({ beta: { kind: "linear", initial: 0.9, final: 1, steps: 10 } })).toThrow(/beta = an object: expected a schedule whose every value is/);
    expect(() => new SGD({ lr: { kind: "exponential", initial: 0.1, gamma: 1.01 } })).toThrow(InvalidScheduleError);
    expect(() => new SGD({ lr: { kind: "linear", initial: 0.1, final: -0.1, steps: 10 } })).toThrow(InvalidScheduleError);
    expect(() => new SGD({ lr: { kind: "constant", value: 0 } })).toThrow(InvalidScheduleError);
    expect(() => new SGD({ momentum: { kind: "linear", initial: 0, final: 0.9, steps: 5 }, nesterov: true })).toThrow(/momentum/);
    // decaying to 0 is allowed: a step with η = 0 changes nothing
    expect(() => new SGD({ lr: { kind: "cosine", initial: 0.1, final: 0, period: 10 } })).not.toThrow();
  });

  it("an option that sets the initial state cannot follow a schedule", () => {
    expect(() => new AdaGrad({ initialAccumulator: { kind: "constant", value: 0.1 } })).toThrow("expected a finite number ≥ 0");
    expect(() => new Rprop({ lr: { kind: "constant", value: 0.1 } })).toThrow("expected a finite number > 0");
  });

  it("valueAt names only numeric options", () => {
    expect(() => new SGD({ lr: 0.1 }).valueAt("nesterov" as never)).toThrow(InvalidOptionError);
  });
});

describe("scheduled hyperparameters in an optimizer", () => {
  it("apply valueAt(t) at step t", () => {
    const lr: Schedule = { kind: "step", initial: 0.5, gamma: 0.5, stepSize: 2 };
    const opt = new GradientDescent({ lr });
    const theta = new Float64Array(1);
    for (let t = 0; t < 6; t++) {
      expect(opt.valueAt("lr")).toBe(scheduleValue(lr, t));
      const before = theta[0];
      opt.step(theta, Float64Array.of(-1));
      expect(theta[0] - before).toBe(opt.valueAt("lr", t));
    }
  });

  it("schedule β, not only lr", () => {
    // β = 0 at t = 0 then 0.5: V = g = 2, θ = −0.5·2 = −1; V = 0.5·2 + 0.5·2 = 2, θ = −2
    const opt = new Momentum({ lr: 0.5, beta: { kind: "piecewise", boundaries: [1], values: [0, 0.5] } });
    const theta = new Float64Array(1);
    opt.step(theta, Float64Array.of(2));
    expect(theta[0]).toBe(-1);
    opt.step(theta, Float64Array.of(2));
    expect(theta[0]).toBe(-2);
    expect(opt.valueAt("beta", 0)).toBe(0);
    expect(opt.valueAt("beta", 1)).toBe(0.5);
  });

  it("keep the schedule in options and snapshots", () => {
    const lr: Schedule = { kind: "cosine", initial: 0.1, final: 0, period: 10 };
    const opt = new Adam({ lr });
    expect(opt.options.lr).toEqual({ ...lr, after: "hold" });
    expect(JSON.parse(JSON.stringify(opt.snapshot())).options.lr).toEqual({ ...lr, after: "hold" });
  });

  test.prop([fc.nat(40), fc.nat(40)], { numRuns: 50 })("resume mid-schedule bit-identically", (split, rest) => {
    const make = () =>
      new Adam({
        lr: { kind: "sequence", boundaries: [5], schedules: [{ kind: "linear", initial: 0, final: 0.01, steps: 5 }, { kind: "cosine", initial: 0.01, final: 1e-4, period: 30 }] },
        beta: { kind: "oneCycle", initial: 0.95, peak: 0.85, final: 0.95, totalSteps: 60 },
        weightDecay: { kind: "exponential", initial: 0.01, gamma: 0.9 },
        weightDecayMode: "decoupled",
      });
    const grad = (t: number) => Float64Array.of(Math.sin(t), Math.cos(3 * t), 0.1);
    const a = make();
    const pa = Float64Array.of(1, -1, 0.5);
    for (let t = 0; t < split + rest; t++) a.step(pa, grad(t));
    const b = make();
    const pb = Float64Array.of(1, -1, 0.5);
    for (let t = 0; t < split; t++) b.step(pb, grad(t));
    const c = make();
    c.restore(JSON.parse(JSON.stringify(b.snapshot())));
    for (let t = split; t < split + rest; t++) c.step(pb, grad(t));
    expect(bytes(pb)).toEqual(bytes(pa));
  });
});
