import { checkSchedule, InvalidScheduleError } from "./check-schedule.js";
import { compileSchedule, evaluateProgram } from "./evaluate-schedule.js";
import type { Schedule } from "./schedule.js";

const scratch = new Float64Array(1);

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
 */
export function schedule<S extends Schedule>(spec: S): S {
  return checkSchedule(spec, "schedule") as S;
}

/**
 * The value of a schedule at step t (0 for the first step): the number an optimizer applies in
 * the step it takes when its stepCount is t.
 *
 * @example
 * ```ts
 * scheduleValue({ kind: "cosine", initial: 1, final: 0, period: 10 }, 5); // 0.5
 * ```
 */
export function scheduleValue(s: Schedule, t: number): number {
  if (!Number.isSafeInteger(t) || t < 0) throw new InvalidScheduleError("t", t, "a whole number ≥ 0");
  evaluateProgram(compileSchedule(checkSchedule(s, "schedule")), t, scratch, 0);
  return scratch[0];
}
