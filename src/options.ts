import { InvalidOptionError } from "./errors.js";

/** A resolved option value: every hyperparameter is a number, every switch a string. */
export type OptionValue = number | string;

/** How one option is defaulted and checked; `check` returns the normalised value or throws. */
export interface OptionRule<V extends OptionValue = OptionValue> {
  readonly default: V;
  readonly check: (name: string, value: unknown) => V;
}

/** The rules of every option an optimizer accepts, by name. */
export type OptionRules<O> = { readonly [K in keyof O]: OptionRule<O[K] & OptionValue> };

/** What the non-finite gradient check does: throw before changing anything, or not check at all. */
export type NonFinitePolicy = "throw" | "unchecked";

function finiteNumber(name: string, value: unknown, expected: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidOptionError(name, value, expected);
  return value;
}

/** A learning rate: finite and > 0. */
export function positive(defaultValue: number): OptionRule<number> {
  return {
    default: defaultValue,
    check(name, value) {
      const x = finiteNumber(name, value, "a finite number > 0");
      if (!(x > 0)) throw new InvalidOptionError(name, value, "a finite number > 0");
      return x;
    },
  };
}

/** A decay rate (β, γ, ρ): in [0, 1). −0 is stored as +0 so snapshots keep it exactly. */
export function decayRate(defaultValue: number): OptionRule<number> {
  return {
    default: defaultValue,
    check(name, value) {
      const x = finiteNumber(name, value, "a number in [0, 1)");
      if (!(x >= 0 && x < 1)) throw new InvalidOptionError(name, value, "a number in [0, 1)");
      return x + 0;
    },
  };
}

/**
 * A stabilising ε: finite and > 0. Zero is refused although the formulas allow it: with ε = 0 a
 * coordinate whose gradients have all been zero computes 0/0 and its parameter becomes NaN.
 */
export function epsilon(defaultValue: number): OptionRule<number> {
  return {
    default: defaultValue,
    check(name, value) {
      const x = finiteNumber(name, value, "a finite number > 0 (ε = 0 turns zero gradients into NaN)");
      if (!(x > 0)) throw new InvalidOptionError(name, value, "a finite number > 0 (ε = 0 turns zero gradients into NaN)");
      return x;
    },
  };
}

/** One of a fixed set of strings. */
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

/** The option every optimizer has: what `step` does with a gradient that holds NaN or ±Infinity. */
export const nonFiniteRule = oneOf<NonFinitePolicy>("throw", ["throw", "unchecked"]);

/**
 * Checks `given` against `rules` and returns a new, frozen object with every option set.
 * Unknown keys are errors (a misspelt option would otherwise be silently ignored).
 * With `requireAll`, every option must be present (used for snapshots, which store all of them).
 */
export function resolveOptions<O>(
  owner: string,
  rules: OptionRules<O>,
  given: unknown,
  requireAll = false,
): Readonly<O> {
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
  return Object.freeze(resolved) as unknown as Readonly<O>;
}

/**
 * Where ε goes in adaptive rules: `"inside"` the square root, √(v + ε), as the lecture writes
 * AdaGrad, RMSProp and Adam; or `"outside"`, √v + ε, as PyTorch, TensorFlow.js and optax do.
 */
export type EpsPlacement = "inside" | "outside";

/** The ε-placement switch; PyTorch's `"outside"` is the default. */
export const epsPlacementRule = oneOf<EpsPlacement>("outside", ["inside", "outside"]);
