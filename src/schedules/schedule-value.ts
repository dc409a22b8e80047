import { cos } from "../math/cos.js";
import { checkSchedule, InvalidScheduleError, scheduleBounds } from "./check-schedule.js";
import { lerp } from "./evaluate-schedule.js";
import type { Schedule } from "./schedule.js";
import { pow } from "../math/pow.js";

/**
 * Checks a schedule and returns a frozen copy with its defaults filled in. An impossible schedule
 * (a zero period, unordered milestones, a missing field, …) throws {@link InvalidScheduleError}
 * here, when it is built, not at some later step.
 *
 * @example
 * ```ts
 * const lr = schedule({ kind: "step", initial: 0.1, gamma: 0.5, stepSize: 7 });
 * new SGD({ lr, momentum: 0.9 });
 * ```
 *
 * @throws {@link InvalidScheduleError} for an unknown kind, a missing field or a value out of its range.
 */
export function schedule<S extends Schedule>(spec: S): S {
  return checkSchedule(spec, "schedule") as S;
}

/**
 * The value of a schedule at step t (0 for the first step): the number an optimizer applies in
 * the step it takes when its stepCount is t. Always within the schedule's bounds (the span of its
 * initial, peak and final values, or of its pieces'), past its horizon too. This is the reference:
 * it reads the schedule's fields, and the compiled program optimizers run agrees with it to the bit.
 *
 * @example
 * ```ts
 * scheduleValue({ kind: "cosine", initial: 1, final: 0, period: 10 }, 5); // 0.5
 * ```
 *
 * @throws {@link InvalidScheduleError} for a malformed schedule, or a `t` that is not a whole number ≥ 0.
 */
export function scheduleValue(s: Schedule, t: number): number {
  if (!Number.isSafeInteger(t) || t < 0) throw new InvalidScheduleError("t", t, "a whole number ≥ 0");
  return valueOf(checkSchedule(s, "schedule"), t);
}

function valueOf(s: Schedule, t: number): number {
  if (s.kind === "sequence") {
    const i = s.boundaries.filter((b) => b <= t).length;
    return valueOf(s.schedules[i], i > 0 ? t - s.boundaries[i - 1] : t);
  }
  // Rounding cannot take a value out of the bounds the schedule was checked against.
  const [lo, hi] = scheduleBounds(s);
  const value = unclamped(s, t);
  return value < lo ? lo : value > hi ? hi : value;
}

const cosine = (from: number, to: number, angle: number) => lerp(from, to, (1 + cos(angle)) / 2, (1 - cos(angle)) / 2);

function unclamped(s: Exclude<Schedule, { kind: "sequence" }>, t: number): number {
  switch (s.kind) {
    case "constant":
      return s.value;
    // initial·γ^k, where 0·γ^k is 0 even when γ^k overflows
    case "step":
      return s.initial === 0 ? 0 : s.initial * pow(s.gamma, Math.floor(t / s.stepSize));
    case "multiStep":
      return s.initial === 0 ? 0 : s.initial * pow(s.gamma, s.milestones.filter((m) => m <= t).length);
    case "exponential":
      return s.initial === 0 ? 0 : s.initial * pow(s.gamma, t);
    case "cosine":
      return cosine(s.initial, s.final, (Math.PI * (s.after === "hold" ? Math.min(t, s.period) : t)) / s.period);
    case "linear": {
      const x = Math.min(t, s.steps);
      return lerp(s.initial, s.final, (s.steps - x) / s.steps, x / s.steps);
    }
    case "polynomial": {
      const w = pow(1 - Math.min(t, s.steps) / s.steps, s.power ?? 1);
      return lerp(s.initial, s.final ?? 0, w, 1 - w);
    }
    case "oneCycle": {
      // PyTorch's phases, ending at fractional steps; from the last step (totalSteps − 1) on, final holds.
      const w = (s.warmupFraction ?? 0.3) * s.totalSteps - 1;
      const last = s.totalSteps - 1;
      const phases: [number, number, number, number][] = s.threePhase
        ? [[0, w, s.initial, s.peak], [w, 2 * w, s.peak, s.initial], [2 * w, last, s.initial, s.final]]
        : [[0, w, s.initial, s.peak], [w, last, s.peak, s.final]];
      const x = Math.min(t, last);
      const [start, end, from, to] = phases.find((p) => x <= p[1]) ?? phases[phases.length - 1];
      const pct = (x - start) / (end - start);
      return s.anneal === "linear" ? lerp(from, to, 1 - pct, pct) : cosine(from, to, Math.PI * pct);
    }
    case "cosineRestarts": {
      // periods T₀, T₀·m, T₀·m², …: x steps into the current one, of the given length
      const m = s.periodMultiplier ?? 1;
      let length = s.period;
      let x = m === 1 ? t % length : t;
      while (x >= length) {
        x -= length;
        length *= m;
      }
      return cosine(s.initial, s.final, (Math.PI * x) / length);
    }
    case "piecewise":
      return s.values[s.boundaries.filter((b) => b <= t).length];
  }
}
