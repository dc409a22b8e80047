import { InvalidOptionError } from "./errors.js";
import { checkSchedule, InvalidScheduleError, scheduleBounds } from "./schedules/check-schedule.js";
import type { Schedule } from "./schedules/schedule.js";

/**
 * A resolved option value: a hyperparameter is a number or a {@link Schedule}, a switch a string or
 * a boolean.
 *
 * @example
 * ```ts
 * const values: OptionValue[] = Object.values(new SGD({ lr: { kind: "exponential", initial: 0.1, gamma: 0.99 } }).options);
 * ```
 */
export type OptionValue = number | string | boolean | Schedule;

/**
 * An options type with every numeric hyperparameter widened to accept a {@link Schedule}: what
 * optimizer constructors take and `optimizer.options` returns.
 *
 * @example
 * ```ts
 * const options: Partial<Schedulable<AdamOptions>> = { lr: { kind: "cosine", initial: 1e-3, final: 0, period: 1000 } };
 * ```
 */
export type Schedulable<O> = { [K in keyof O]: O[K] extends number ? number | Schedule : O[K] };

/**
 * How one option is defaulted and checked.
 *
 * @example
 * ```ts
 * const lr = positive(1e-3);
 * lr.check("lr", 0.1); // 0.1
 * lr.check("lr", 0);   // throws InvalidOptionError: lr = 0: expected a finite number > 0
 * ```
 */
export interface OptionRule<V extends OptionValue = OptionValue> {
  /** The value used when the option is not given (or given as `undefined`). */
  readonly default: V;
  /** Returns the value to store (normalised, e.g. −0 → 0), or throws {@link InvalidOptionError} naming `name`. */
  readonly check: (name: string, value: unknown) => V;
  /** True for a numeric hyperparameter: the optimizer keeps its value per step in a number block. */
  readonly numeric?: boolean;
}

/**
 * The rules of every option an optimizer accepts, by name.
 *
 * @example
 * ```ts
 * const rules: OptionRules<{ lr: number; nonFinite: NonFinitePolicy }> = { lr: positive(0.01), nonFinite: nonFiniteRule };
 * ```
 */
export type OptionRules<O> = { readonly [K in keyof O]: OptionRule<Schedulable<O>[K] & OptionValue> };

/**
 * What `step` does with a gradient that holds NaN or ±Infinity: `"throw"` a
 * {@link NonFiniteGradientError} before changing anything (the default); `"skip"` the step
 * atomically — nothing changes, not θ, not the state, not the step count or the schedules (so
 * `stepCount` not advancing tells that it happened); or `"unchecked"`: no check at all.
 *
 * @example
 * ```ts
 * const tolerant = new Adam({ nonFinite: "skip" });     // a bad batch is passed over
 * const fast = new Adam({ nonFinite: "unchecked" });    // for gradients known to be finite
 * ```
 */
export type NonFinitePolicy = "throw" | "skip" | "unchecked";

/**
 * A rule for a finite number that `accept` admits (−0 stored as +0, so JSON snapshots keep it) or,
 * when `schedulable`, a {@link Schedule} every value of which `acceptRange(min, max)` admits.
 */
function numberRule(
  defaultValue: number,
  expected: string,
  accept: (x: number) => boolean,
  schedulable: boolean,
  acceptRange = (min: number, max: number) => accept(min) && accept(max),
): OptionRule<number | Schedule> {
  return {
    default: defaultValue,
    numeric: true,
    check(name, value) {
      if (schedulable && typeof value === "object" && value !== null) {
        const s = checkSchedule(value, name);
        const [min, max] = scheduleBounds(s);
        if (!acceptRange(min, max)) {
          throw new InvalidScheduleError(name, value, `a schedule whose every value is ${expected.replace(/^an? /, "")} (it ranges over [${min}, ${max}])`);
        }
        return s;
      }
      if (typeof value !== "number" || !Number.isFinite(value) || !accept(value)) {
        throw new InvalidOptionError(name, value, schedulable ? `${expected}, or a schedule` : expected);
      }
      return value + 0;
    },
  };
}

/**
 * The rule for a learning rate: a finite number > 0.
 *
 * @example
 * ```ts
 * positive(1e-3).check("lr", -1); // throws InvalidOptionError: lr = -1: expected a finite number > 0
 * ```
 */
export function positive(defaultValue: number, schedulable = true): OptionRule<number | Schedule> {
  // A schedule may reach 0 (cosine or linear decay to zero): a step with η = 0 changes nothing.
  return numberRule(defaultValue, "a finite number > 0", (x) => x > 0, schedulable, (min, max) => min >= 0 && max > 0 && max < Infinity);
}

/**
 * The rule for a coefficient that may be zero: a finite number ≥ 0 (weight decay, lr decay, …).
 *
 * @example
 * ```ts
 * nonNegative(0).check("weightDecay", -0.1); // throws InvalidOptionError: weightDecay = -0.1: expected a finite number ≥ 0
 * ```
 */
export function nonNegative(defaultValue: number, schedulable = true): OptionRule<number | Schedule> {
  return numberRule(defaultValue, "a finite number ≥ 0", (x) => x >= 0 && x < Infinity, schedulable);
}

/**
 * The rule for a number in [0, 1] (both ends allowed), such as PyTorch's dampening.
 *
 * @example
 * ```ts
 * unitInterval(0).check("dampening", 1.5); // throws InvalidOptionError
 * ```
 */
export function unitInterval(defaultValue: number): OptionRule<number | Schedule> {
  return numberRule(defaultValue, "a number in [0, 1]", (x) => x >= 0 && x <= 1, true);
}

/**
 * The rule for an on/off switch: `true` or `false`, nothing else (no truthy strings or numbers).
 *
 * @example
 * ```ts
 * flag(false).check("amsgrad", 1); // throws InvalidOptionError: amsgrad = 1: expected true or false
 * ```
 */
export function flag(defaultValue: boolean): OptionRule<boolean> {
  return {
    default: defaultValue,
    check(name, value) {
      if (typeof value !== "boolean") throw new InvalidOptionError(name, value, "true or false");
      return value;
    },
  };
}

/**
 * The rule for a decay rate (β, γ, ρ): a number in [0, 1). −0 is stored as +0, so that snapshots,
 * which go through JSON, keep it exactly.
 *
 * @example
 * ```ts
 * decayRate(0.9).check("beta", 1); // throws InvalidOptionError: beta = 1: expected a number in [0, 1)
 * ```
 */
export function decayRate(defaultValue: number): OptionRule<number | Schedule> {
  return numberRule(defaultValue, "a number in [0, 1)", (x) => x >= 0 && x < 1, true);
}

/**
 * The rule for a stabilising ε: a finite number > 0. Zero is refused although the formulas allow
 * it: with ε = 0 a coordinate whose gradients have all been zero computes 0/0 and its parameter
 * becomes NaN.
 *
 * @example
 * ```ts
 * epsilon(1e-8).check("eps", 0); // throws InvalidOptionError
 * ```
 */
export function epsilon(defaultValue: number): OptionRule<number | Schedule> {
  return numberRule(defaultValue, "a finite number > 0 (ε = 0 turns zero gradients into NaN)", (x) => x > 0 && x < Infinity, true);
}

/**
 * The rule for a switch: one of a fixed set of strings.
 *
 * @example
 * ```ts
 * const mode = oneOf("fast", ["fast", "exact"]);
 * mode.check("mode", "exact"); // "exact"
 * ```
 */
export function oneOf<const V extends string>(defaultValue: V, allowed: readonly V[]): OptionRule<V> {
  const expected = `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`;
  return {
    default: defaultValue,
    check(name, value) {
      if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new InvalidOptionError(name, value, expected);
      }
      return value as V;
    },
  };
}

/**
 * The rule of the `nonFinite` option every optimizer has (default `"throw"`); see {@link NonFinitePolicy}.
 *
 * @example
 * ```ts
 * nonFiniteRule.default; // "throw"
 * ```
 */
export const nonFiniteRule = oneOf<NonFinitePolicy>("throw", ["throw", "skip", "unchecked"]);

/**
 * Checks `given` against `rules` and returns a new, frozen object with every option set.
 * Unknown keys are errors (a misspelt option would otherwise be silently ignored).
 * With `requireAll`, every option must be present (used for snapshots, which store all of them).
 *
 * @example
 * ```ts
 * const rules = { lr: positive(0.01), nonFinite: nonFiniteRule };
 * resolveOptions("Mine", rules, { lr: 0.5 }); // { lr: 0.5, nonFinite: "throw" }
 * resolveOptions("Mine", rules, { lrr: 0.5 }); // throws InvalidOptionError naming lrr
 * ```
 */
export function resolveOptions<O>(
  owner: string,
  rules: OptionRules<O>,
  given: unknown,
  requireAll = false,
): Readonly<Schedulable<O>> {
  if (given === undefined && !requireAll) given = {};
  if (typeof given !== "object" || given === null || Array.isArray(given)) {
    throw new InvalidOptionError("options", given, `an object with the options of ${owner}`);
  }
  const known = Object.keys(rules);
  for (const key of Object.keys(given)) {
    if (!known.includes(key)) {
      throw new InvalidOptionError(key, (given as Record<string, unknown>)[key], `one of the options of ${owner}: ${known.join(", ")}`, "unknown option");
    }
  }
  const resolved: Partial<Record<keyof O, OptionValue>> = {};
  for (const key of known as (keyof O & string)[]) {
    const value = Object.prototype.hasOwnProperty.call(given, key) ? (given as Record<string, unknown>)[key] : undefined;
    if (value === undefined) {
      if (requireAll) throw new InvalidOptionError(key, value, `a value for ${owner}'s option ${key}`);
      resolved[key] = rules[key].default;
    } else {
      resolved[key] = rules[key].check(key, value);
    }
  }
  return Object.freeze(resolved) as unknown as Readonly<Schedulable<O>>;
}

/**
 * A whole-number option (a count, a period, a patience) with its default: a safe integer ≥ `min`,
 * never a schedule.
 *
 * @example
 * ```ts
 * wholeNumber(10, 1).check("historySize", 2.5); // throws InvalidOptionError: expected a whole number ≥ 1
 * ```
 * @internal
 */
export function wholeNumber(defaultValue: number, min: number): OptionRule<number> {
  return {
    default: defaultValue,
    numeric: true,
    check(name, value) {
      if (!Number.isSafeInteger(value) || (value as number) < min) throw new InvalidOptionError(name, value, `a whole number ≥ ${min}`);
      return (value as number) + 0;
    },
  };
}

/**
 * Where ε goes in adaptive rules: `"inside"` the square root, √(v + ε), as the lecture writes
 * AdaGrad, RMSProp and Adam; or `"outside"`, √v + ε, as PyTorch, TensorFlow.js and optax do.
 *
 * @example
 * ```ts
 * const lecture = new Adam({ epsPlacement: "inside" }); // θ ← θ − η·m̃ / √(ṽ + ε)
 * const pytorch = new Adam();                          // θ ← θ − η·m̃ / (√ṽ + ε)
 * ```
 */
export type EpsPlacement = "inside" | "outside";

/**
 * How weight decay λ enters: `"l2"` adds λ·θ to the gradient before the rule sees it (PyTorch's
 * `weight_decay` in every optimizer but AdamW); `"decoupled"` shrinks θ by the factor 1 − η·λ before
 * the rule's step, outside the rule's adaptive scaling (AdamW, Loshchilov & Hutter, with PyTorch's
 * factor η).
 *
 * @example
 * ```ts
 * const adamw = new Adam({ lr: 1e-3, weightDecay: 0.01, weightDecayMode: "decoupled" }); // PyTorch's AdamW
 * ```
 */
export type WeightDecayMode = "l2" | "decoupled";

/**
 * The rule of the `epsPlacement` option; PyTorch's `"outside"` is the default. See {@link EpsPlacement}.
 *
 * @example
 * ```ts
 * epsPlacementRule.check("epsPlacement", "middle"); // throws InvalidOptionError
 * ```
 */
export const epsPlacementRule = oneOf<EpsPlacement>("outside", ["inside", "outside"]);
