import { InvalidOptionError } from "../errors.js";
import type { Schedule } from "./schedule.js";
import { pow } from "../math/pow.js";

/**
 * A schedule that cannot be evaluated: an unknown kind, a missing or non-finite field, a period
 * that is not a whole number ≥ 1, milestones out of order, lengths that do not match — or values
 * outside what the hyperparameter it drives admits. Thrown when the schedule is built or handed to
 * an optimizer, never mid-run. A subclass of {@link InvalidOptionError}, since a schedule is an
 * option's value.
 *
 * @example
 * ```ts
 * schedule({ kind: "cosine", initial: 0.1, final: 0, period: 0 }); // InvalidScheduleError naming schedule.period
 * ```
 */
export class InvalidScheduleError extends InvalidOptionError {}

type Raw = Record<string, unknown>;

const FIELDS: Record<Schedule["kind"], readonly string[]> = {
  constant: ["value"],
  step: ["initial", "gamma", "stepSize"],
  multiStep: ["initial", "gamma", "milestones"],
  exponential: ["initial", "gamma"],
  cosine: ["initial", "final", "period", "after"],
  linear: ["initial", "final", "steps"],
  polynomial: ["initial", "final", "steps", "power"],
  oneCycle: ["initial", "peak", "final", "totalSteps", "warmupFraction", "anneal", "threePhase"],
  cosineRestarts: ["initial", "final", "period", "periodMultiplier"],
  piecewise: ["boundaries", "values"],
  sequence: ["boundaries", "schedules"],
};

function own(raw: Raw, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
}

function number(value: unknown, at: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidScheduleError(at, value, "a finite number");
  return value + 0;
}

function finite(raw: Raw, key: string, path: string, fallback?: number): number {
  return number(own(raw, key) ?? fallback, `${path}.${key}`);
}

function positive(raw: Raw, key: string, path: string, fallback?: number): number {
  const value = finite(raw, key, path, fallback);
  if (!(value > 0)) throw new InvalidScheduleError(`${path}.${key}`, value, "a number > 0");
  return value;
}

function wholeAtLeast(raw: Raw, key: string, path: string, least: number, fallback?: number): number {
  const value = own(raw, key) ?? fallback;
  if (!Number.isSafeInteger(value) || (value as number) < least) {
    throw new InvalidScheduleError(`${path}.${key}`, value, `a whole number ≥ ${least}`);
  }
  return value as number;
}

// An array field is read once — its length, then each element — into a plain array, and only that
// copy is checked and kept: a getter or a Proxy cannot make the values used differ from those checked.
function list(raw: Raw, key: string, path: string, expected: string): unknown[] {
  const value = own(raw, key);
  if (!Array.isArray(value)) throw new InvalidScheduleError(`${path}.${key}`, value, expected);
  const length: unknown = value.length;
  const copy: unknown[] = [];
  for (let i = 0; i < (length as number); i++) copy.push(value[i]);
  return copy;
}

function increasing(raw: Raw, key: string, path: string): number[] {
  const copy = list(raw, key, path, "an array of whole numbers ≥ 1, strictly increasing");
  copy.forEach((b, i) => {
    const previous = copy[i - 1] as number;
    if (!Number.isSafeInteger(b) || (b as number) < 1 || (i > 0 && (b as number) <= previous)) {
      throw new InvalidScheduleError(`${path}.${key}[${i}]`, b, `a whole number ≥ ${i > 0 ? `${previous + 1}` : "1"} (strictly increasing)`);
    }
  });
  return copy as number[];
}

function choice<V extends string>(raw: Raw, key: string, path: string, allowed: readonly V[]): V {
  const value = own(raw, key) ?? allowed[0];
  if (!(allowed as readonly unknown[]).includes(value)) {
    throw new InvalidScheduleError(`${path}.${key}`, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
  }
  return value as V;
}

/**
 * Checks a schedule whole and returns a frozen copy with every default filled in. `path` names it
 * in errors (e.g. `"lr"`, so a bad period is reported as `lr.period`).
 */
export function checkSchedule(value: unknown, path: string): Schedule {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidScheduleError(path, value, "a schedule: an object with a kind");
  }
  const raw = value as Raw;
  const kind = own(raw, "kind") as Schedule["kind"];
  if (typeof kind !== "string" || !Object.prototype.hasOwnProperty.call(FIELDS, kind)) {
    throw new InvalidScheduleError(`${path}.kind`, kind, `one of ${Object.keys(FIELDS).map((k) => JSON.stringify(k)).join(", ")}`);
  }
  for (const key of Object.keys(raw)) {
    if (key !== "kind" && !FIELDS[kind].includes(key)) {
      throw new InvalidScheduleError(`${path}.${key}`, raw[key], `one of the fields of a ${kind} schedule: ${FIELDS[kind].join(", ")}`);
    }
  }
  return Object.freeze(build(kind, raw, path));
}

function build(kind: Schedule["kind"], raw: Raw, path: string): Schedule {
  switch (kind) {
    case "constant":
      return { kind, value: finite(raw, "value", path) };
    case "step":
      return { kind, initial: finite(raw, "initial", path), gamma: positive(raw, "gamma", path), stepSize: wholeAtLeast(raw, "stepSize", path, 1) };
    case "multiStep":
      return { kind, initial: finite(raw, "initial", path), gamma: positive(raw, "gamma", path), milestones: Object.freeze(increasing(raw, "milestones", path)) };
    case "exponential":
      return { kind, initial: finite(raw, "initial", path), gamma: positive(raw, "gamma", path) };
    case "cosine":
      return {
        kind,
        initial: finite(raw, "initial", path),
        final: finite(raw, "final", path),
        period: wholeAtLeast(raw, "period", path, 1),
        after: choice(raw, "after", path, ["hold", "continue"] as const),
      };
    case "linear":
      return { kind, initial: finite(raw, "initial", path), final: finite(raw, "final", path), steps: wholeAtLeast(raw, "steps", path, 1) };
    case "polynomial":
      return {
        kind,
        initial: finite(raw, "initial", path),
        final: finite(raw, "final", path, 0),
        steps: wholeAtLeast(raw, "steps", path, 1),
        power: positive(raw, "power", path, 1),
      };
    case "oneCycle": {
      const fraction = finite(raw, "warmupFraction", path, 0.3);
      if (!(fraction > 0 && fraction < 1)) throw new InvalidScheduleError(`${path}.warmupFraction`, fraction, "a number in (0, 1)");
      const totalSteps = wholeAtLeast(raw, "totalSteps", path, 2);
      const threePhase = own(raw, "threePhase") ?? false;
      if (typeof threePhase !== "boolean") throw new InvalidScheduleError(`${path}.threePhase`, threePhase, "true or false");
      const phaseEnds = threePhase ? [fraction * totalSteps - 1, 2 * fraction * totalSteps - 2, totalSteps - 1] : [fraction * totalSteps - 1, totalSteps - 1];
      // Each phase must span at least one step, or its interpolation divides by zero (PyTorch fails there mid-run).
      phaseEnds.forEach((end, i) => {
        if (!(end > (i === 0 ? 0 : phaseEnds[i - 1]))) {
          throw new InvalidScheduleError(`${path}.warmupFraction`, fraction, `a fraction that gives every phase at least one of the ${totalSteps} steps`);
        }
      });
      return {
        kind,
        initial: finite(raw, "initial", path),
        peak: finite(raw, "peak", path),
        final: finite(raw, "final", path),
        totalSteps,
        warmupFraction: fraction,
        anneal: choice(raw, "anneal", path, ["cos", "linear"] as const),
        threePhase,
      };
    }
    case "cosineRestarts":
      return {
        kind,
        initial: finite(raw, "initial", path),
        final: finite(raw, "final", path),
        period: wholeAtLeast(raw, "period", path, 1),
        periodMultiplier: wholeAtLeast(raw, "periodMultiplier", path, 1, 1),
      };
    case "piecewise": {
      const boundaries = increasing(raw, "boundaries", path);
      const expected = `an array of ${boundaries.length + 1} numbers, one more than boundaries`;
      const values = list(raw, "values", path, expected);
      if (values.length !== boundaries.length + 1) throw new InvalidScheduleError(`${path}.values`, values, expected);
      return { kind, boundaries: Object.freeze(boundaries), values: Object.freeze(values.map((v, i) => number(v, `${path}.values[${i}]`))) };
    }
    case "sequence": {
      const boundaries = increasing(raw, "boundaries", path);
      const expected = `an array of ${boundaries.length + 1} schedules, one more than boundaries`;
      const schedules = list(raw, "schedules", path, expected);
      if (schedules.length !== boundaries.length + 1) throw new InvalidScheduleError(`${path}.schedules`, schedules, expected);
      return { kind, boundaries: Object.freeze(boundaries), schedules: Object.freeze(schedules.map((s, i) => checkSchedule(s, `${path}.schedules[${i}]`))) };
    }
  }
}

/**
 * The smallest and largest value a schedule takes over all steps t ≥ 0, past its horizon included
 * (the infimum where it is only approached, as 0 for exponential decay): the span of its initial,
 * final and peak values, or of its pieces'. Used to check a schedule against the range of the
 * hyperparameter it drives before any step is taken; evaluation clamps each value to them, so the
 * check holds whatever the rounding.
 *
 * @example
 * ```ts
 * scheduleBounds(checkSchedule({ kind: "oneCycle", initial: 0.02, peak: 0.5, final: 2e-6, totalSteps: 100 }, "lr")); // [2e-6, 0.5]
 * ```
 */
export function scheduleBounds(s: Schedule): [number, number] {
  const span = (...values: number[]): [number, number] => [Math.min(...values), Math.max(...values)];
  switch (s.kind) {
    case "constant":
      return [s.value, s.value];
    case "step":
    case "exponential":
      // initial·γ^k for k = 0, 1, 2, …: it tends to 0 (γ < 1) or grows without bound (γ > 1).
      if (s.gamma === 1 || s.initial === 0) return [s.initial, s.initial];
      return span(s.initial, s.gamma < 1 ? 0 : Math.sign(s.initial) * Infinity);
    case "multiStep":
      // initial·γ^k for k = 0 … (number of milestones); 0 times an overflowed γ^k is 0, not NaN.
      return s.initial === 0 ? [0, 0] : span(s.initial, s.initial * pow(s.gamma, s.milestones.length));
    case "cosine":
    case "linear":
    case "cosineRestarts":
      return span(s.initial, s.final);
    case "polynomial":
      return span(s.initial, s.final ?? 0);
    case "oneCycle":
      return span(s.initial, s.peak, s.final);
    case "piecewise":
      return span(...s.values);
    case "sequence": {
      const all = s.schedules.map(scheduleBounds);
      return [Math.min(...all.map((b) => b[0])), Math.max(...all.map((b) => b[1]))];
    }
  }
}
