// Schedules as hyperparameters: every numeric option whose rule accepts a schedule (lr, β, momentum,
// weight decay, …) may be a gradstep Schedule instead of a number. This module lists each kind's
// fields as the editor shows them, makes a starting schedule of a kind from the option's current
// number and the step budget, and reads a schedule back from its URL form.
import type { Schedule } from "gradstep";
import type { Plain } from "./value-syntax.js";

export type ScheduleKind = Schedule["kind"];

/** How the editor shows one field of a schedule. */
export type ScheduleField =
  | { readonly name: string; readonly kind: "number" | "whole" | "list" | "flag" | "schedules" }
  | { readonly name: string; readonly kind: "choice"; readonly choices: readonly string[] };

const n = (name: string) => ({ name, kind: "number" }) as const;
const whole = (name: string) => ({ name, kind: "whole" }) as const;
const list = (name: string) => ({ name, kind: "list" }) as const;

/** Each kind of gradstep's Schedule: its label (with PyTorch's scheduler where there is one) and its fields, in the library's order. */
export const SCHEDULE_KINDS: Record<ScheduleKind, { readonly label: string; readonly fields: readonly ScheduleField[] }> = {
  constant: { label: "constant", fields: [n("value")] },
  step: { label: "step decay (StepLR)", fields: [n("initial"), n("gamma"), whole("stepSize")] },
  multiStep: { label: "milestones (MultiStepLR)", fields: [n("initial"), n("gamma"), list("milestones")] },
  exponential: { label: "exponential (ExponentialLR)", fields: [n("initial"), n("gamma")] },
  cosine: { label: "cosine (CosineAnnealingLR)", fields: [n("initial"), n("final"), whole("period"), { name: "after", kind: "choice", choices: ["hold", "continue"] }] },
  linear: { label: "linear, e.g. warm-up (LinearLR)", fields: [n("initial"), n("final"), whole("steps")] },
  polynomial: { label: "polynomial (PolynomialLR)", fields: [n("initial"), n("final"), whole("steps"), n("power")] },
  oneCycle: {
    label: "one cycle (OneCycleLR)",
    fields: [n("initial"), n("peak"), n("final"), whole("totalSteps"), n("warmupFraction"), { name: "anneal", kind: "choice", choices: ["cos", "linear"] }, { name: "threePhase", kind: "flag" }],
  },
  cosineRestarts: { label: "cosine restarts (CosineAnnealingWarmRestarts)", fields: [n("initial"), n("final"), whole("period"), whole("periodMultiplier")] },
  piecewise: { label: "piecewise constant", fields: [list("boundaries"), list("values")] },
  sequence: { label: "one after another (SequentialLR)", fields: [list("boundaries"), { name: "schedules", kind: "schedules" }] },
};

export const SCHEDULE_KIND_NAMES = Object.keys(SCHEDULE_KINDS) as ScheduleKind[];

/** The editor's extra choice: a linear warm-up from 0, then a cosine decay to 0 (a sequence). */
export const WARMUP = "warmup";

/**
 * A schedule of `kind` (or the warm-up template) to start editing from: its value at step 0 is
 * `value` (the option's number until now) and its horizon the step budget `steps`.
 */
export function scheduleTemplate(kind: ScheduleKind | typeof WARMUP, value: number, steps: number): Schedule {
  const quarter = Math.max(1, Math.round(steps / 4));
  const half = Math.max(1, Math.round(steps / 2));
  switch (kind) {
    case "constant":
      return { kind, value };
    case "step":
      return { kind, initial: value, gamma: 0.5, stepSize: quarter };
    case "multiStep":
      return { kind, initial: value, gamma: 0.1, milestones: [half, Math.max(half + 1, Math.round((3 * steps) / 4))] };
    case "exponential":
      return { kind, initial: value, gamma: 0.99 };
    case "cosine":
      return { kind, initial: value, final: 0, period: Math.max(1, steps) };
    case "linear":
      return { kind, initial: value, final: 0, steps: Math.max(1, steps) };
    case "polynomial":
      return { kind, initial: value, final: 0, steps: Math.max(1, steps), power: 2 };
    case "oneCycle":
      return { kind, initial: value / 25, peak: value, final: value / 1e4, totalSteps: Math.max(2, steps) };
    case "cosineRestarts":
      return { kind, initial: value, final: 0, period: quarter, periodMultiplier: 1 };
    case "piecewise":
      return { kind, boundaries: [half], values: [value, value / 10] };
    case "sequence":
    case WARMUP: {
      const warm = Math.max(1, Math.round(steps / 10));
      return {
        kind: "sequence",
        boundaries: [warm],
        schedules: [
          { kind: "linear", initial: 0, final: value, steps: warm },
          { kind: "cosine", initial: value, final: 0, period: Math.max(1, steps - warm) },
        ],
      };
    }
  }
}

/** The number a schedule is built around: its start (a one-cycle's peak; a warm-up's rate after it), to go back to a plain number or to start another kind from. */
export function scheduleStart(s: Schedule): number {
  switch (s.kind) {
    case "constant":
      return s.value;
    case "piecewise":
      return s.values[0] ?? 0;
    case "oneCycle":
      return s.peak;
    case "sequence":
      // a warm-up starts from 0: its second piece tells the rate
      return s.schedules.length === 0 ? 0 : scheduleStart(s.schedules[s.schedules.length > 1 && isWarmup(s) ? 1 : 0]);
    default:
      return s.initial;
  }
}

/** The warm-up template's shape: a linear piece from 0 first. */
function isWarmup(s: Schedule & { kind: "sequence" }): boolean {
  const first = s.schedules[0];
  return first?.kind === "linear" && first.initial === 0;
}

const isNumber = (v: unknown): v is number => typeof v === "number";

/**
 * A schedule from its plain (URL) form, or undefined if it is not one: a known kind, with the
 * fields of that kind that have the right type (the rest dropped). Values are not checked here:
 * gradstep checks them when the optimizer is made, and the page shows its error.
 */
export function toSchedule(plain: Plain): Schedule | undefined {
  if (typeof plain !== "object" || Array.isArray(plain)) return undefined;
  const raw = plain as { kind: string; [field: string]: Plain };
  const spec = SCHEDULE_KINDS[raw.kind as ScheduleKind];
  if (spec === undefined || !Object.prototype.hasOwnProperty.call(SCHEDULE_KINDS, raw.kind)) return undefined;
  const out: Record<string, unknown> = { kind: raw.kind };
  for (const field of spec.fields) {
    const v = raw[field.name];
    if (v === undefined) continue;
    if ((field.kind === "number" || field.kind === "whole") && isNumber(v)) out[field.name] = v;
    else if (field.kind === "list" && Array.isArray(v) && v.every(isNumber)) out[field.name] = v;
    else if (field.kind === "flag" && typeof v === "boolean") out[field.name] = v;
    else if (field.kind === "choice" && typeof v === "string" && field.choices.includes(v)) out[field.name] = v;
    else if (field.kind === "schedules" && Array.isArray(v)) {
      const pieces = v.map(toSchedule);
      if (pieces.every((p) => p !== undefined)) out[field.name] = pieces;
    }
  }
  return out as unknown as Schedule;
}
