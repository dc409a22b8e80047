/**
 * Base class of every error gradstep throws on bad input. Catch it to handle all of them;
 * check a subclass with `instanceof` to handle one kind.
 *
 * Every gradstep error is thrown *before* anything is written: the parameters and the optimizer
 * state are exactly as they were before the failing call.
 *
 * @example
 * ```ts
 * import { Adam, GradstepError } from "gradstep";
 * try {
 *   new Adam({ lr: -1 });
 * } catch (e) {
 *   if (e instanceof GradstepError) console.log(e.argument, e.value); // "lr" -1
 * }
 * ```
 */
export class GradstepError extends Error {
  /** Name of the offending argument or option, e.g. `"lr"`, `"grad"`, `"snapshot.buffers.m"`. */
  readonly argument: string;
  /** The value that was rejected (as given; large arrays are kept by reference). */
  readonly value: unknown;
  /** What was expected instead, in words. */
  readonly expected: string;

  constructor(argument: string, value: unknown, expected: string, detail?: string) {
    super(`${argument} = ${describeValue(value)}: expected ${expected}${detail ? ` (${detail})` : ""}`);
    this.name = new.target.name;
    this.argument = argument;
    this.value = value;
    this.expected = expected;
  }
}

/**
 * A hyperparameter or option is missing, of the wrong type, outside its range, or unknown.
 *
 * @example
 * ```ts
 * new RMSProp({ rho: 1 }); // InvalidOptionError: rho = 1: expected a number in [0, 1)
 * ```
 */
export class InvalidOptionError extends GradstepError {}

/**
 * `params` and `grad` differ in length, are not `Float64Array`s, or do not match the length the
 * optimizer's state was built for.
 *
 * @example
 * ```ts
 * new Adam().step(new Float64Array(3), new Float64Array(2)); // ShapeMismatchError naming grad
 * ```
 */
export class ShapeMismatchError extends GradstepError {}

/**
 * The gradient holds NaN or ±Infinity. {@link NonFiniteGradientError.index} is the first bad index.
 * Thrown by `step` under the default `nonFinite: "throw"` policy, before anything is updated.
 *
 * @example
 * ```ts
 * const opt = new GradientDescent({ lr: 0.1 });
 * opt.step(new Float64Array(2), Float64Array.of(1, NaN)); // NonFiniteGradientError, index 1
 * ```
 */
export class NonFiniteGradientError extends GradstepError {
  /** Index of the first non-finite entry of the gradient. */
  readonly index: number;

  /**
   * @param index the first bad index.
   * @param value the number there.
   * @param vector the gradient's name (a tree's leaf: `"grad/layer1/bias"`).
   */
  constructor(index: number, value: number, vector = "grad") {
    super(`${vector}[${index}]`, value, "a finite number", "nothing was updated; set nonFinite: \"unchecked\" to skip this check");
    this.index = index;
  }
}

/**
 * A snapshot given to `restore` is not a valid snapshot of this optimizer: another kind, an unknown
 * version, a missing or malformed field, or buffers of the wrong length.
 *
 * @example
 * ```ts
 * new Adam().restore(new Momentum().snapshot()); // InvalidSnapshotError naming snapshot.kind
 * ```
 */
export class InvalidSnapshotError extends GradstepError {}

/**
 * The step counter would pass 2^53 − 1, where a float64 integer stops being exact.
 *
 * @example
 * ```ts
 * // Only reachable after 9,007,199,254,740,991 steps (or a restored snapshot close to it).
 * ```
 */
export class StepLimitError extends GradstepError {}

/**
 * Memory for a vector could not be had: the JavaScript heap refused an array (a `RangeError` from the
 * engine), after WebAssembly memory, if in use, had already been refused or was over its budget
 * (see the backends guide). Thrown before anything is written.
 *
 * @example
 * ```ts
 * try {
 *   allocateVector(2 ** 40);
 * } catch (e) {
 *   if (e instanceof OutOfMemoryError) console.log(e.argument, e.value); // "length" 1099511627776
 * }
 * ```
 */
export class OutOfMemoryError extends GradstepError {}

/**
 * A method was called on an optimizer (or chain) after its `dispose()`, which gave its memory back.
 *
 * @example
 * ```ts
 * const opt = new Adam();
 * opt.dispose();
 * opt.step(params, grad); // DisposedError: this = "Adam": expected an optimizer that has not been disposed
 * ```
 */
export class DisposedError extends GradstepError {}

/** A short, unambiguous rendering of a value for error messages (keeps -0, NaN, types visible). */
export function describeValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "-0" : String(value);
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "bigint") return `${value}n`;
  if (value === null || value === undefined || typeof value === "boolean") return String(value);
  if (ArrayBuffer.isView(value)) {
    const length = (value as unknown as { length?: number }).length;
    return length === undefined ? value.constructor.name : `${value.constructor.name}(${length})`;
  }
  if (Array.isArray(value)) return `Array(${value.length})`;
  if (typeof value === "function") return "a function";
  return "an object";
}
