import { GradstepError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError, StepLimitError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { type NonFinitePolicy, type OptionRules, type OptionValue, resolveOptions } from "../options.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import type { Optimizer, OptimizerSnapshot } from "./optimizer.js";

/**
 * Options every optimizer accepts besides its hyperparameters.
 *
 * @example
 * ```ts
 * const opt = new RMSProp({ lr: 0.01, nonFinite: "unchecked" });
 * ```
 */
export interface CommonOptions {
  /**
   * What `step` does when the gradient holds NaN or ±Infinity. `"throw"` (default): throws a
   * {@link NonFiniteGradientError} naming the first bad index, before anything changes.
   * `"unchecked"`: skips the check (one read of the gradient per step; see bench/ for its cost) and
   * lets non-finite values flow into the parameters.
   */
  nonFinite: NonFinitePolicy;
}

const SNAPSHOT_FORMAT = "gradstep/optimizer";
const SNAPSHOT_VERSION = 1;
const SNAPSHOT_FIELDS = ["format", "version", "kind", "options", "stepCount", "size", "buffers"];

/**
 * The shared machinery of gradstep's optimizers: option checking, argument checking, the step
 * counter, lazily allocated state buffers, snapshots. A subclass names its buffers and supplies
 * {@link OptimizerBase.update}, which calls its kernel.
 *
 * @typeParam O the resolved options, including {@link CommonOptions}.
 *
 * @example
 * ```ts
 * // θ ← θ − lr·sign(g), with no state
 * class SignDescent extends OptimizerBase<{ lr: number; nonFinite: NonFinitePolicy }> {
 *   constructor(options?: Partial<{ lr: number; nonFinite: NonFinitePolicy }>) {
 *     super("SignDescent", { lr: positive(0.01), nonFinite: nonFiniteRule }, [], options);
 *   }
 *   protected update(params: Float64Array, grad: Float64Array): void {
 *     for (let i = 0; i < params.length; i++) params[i] -= this.options.lr * Math.sign(grad[i]);
 *   }
 * }
 * ```
 */
export abstract class OptimizerBase<O extends CommonOptions & { [K in keyof O]: OptionValue }> implements Optimizer {
  readonly kind: string;
  private resolved: Readonly<O>;
  private readonly rules: OptionRules<O>;
  private readonly bufferNames: readonly string[];
  private steps = 0;
  private stateSize: number | undefined = undefined;
  /** The state buffers, in the order of the names given to the constructor; empty before the first step. */
  protected buffers: Float64Array[] = [];

  /**
   * @param kind the name used in snapshots and error messages.
   * @param rules how each option is defaulted and checked.
   * @param bufferNames names of the state buffers, each as long as `params`, zero-initialised.
   * @param options the user's options (unknown keys are rejected).
   */
  protected constructor(kind: string, rules: OptionRules<O>, bufferNames: readonly string[], options: unknown) {
    this.kind = kind;
    this.rules = rules;
    this.bufferNames = bufferNames;
    this.resolved = resolveOptions(kind, rules, options);
  }

  /** The resolved options, every default filled in (frozen). */
  get options(): Readonly<O> {
    return this.resolved;
  }

  /** Steps taken so far (t in the formulas). */
  get stepCount(): number {
    return this.steps;
  }

  /** Length the state was built for; `undefined` before the first step. */
  get size(): number | undefined {
    return this.stateSize;
  }

  /**
   * Applies the rule to `params` in place, given the gradient. Checks first, then writes: on any
   * error nothing has changed.
   */
  step(params: Float64Array, grad: Float64Array): void {
    this.checkVectors(params, grad);
    if (this.resolved.nonFinite === "throw") {
      const bad = firstNonFinite(grad);
      if (bad >= 0) throw new NonFiniteGradientError(bad, grad[bad]);
    }
    if (this.steps >= Number.MAX_SAFE_INTEGER) {
      throw new StepLimitError("stepCount", this.steps, `fewer than 2^53 − 1 steps, where t stops being an exact integer`);
    }
    if (this.stateSize === undefined) this.allocate(params.length);
    this.update(params, grad, this.steps + 1);
    this.steps += 1;
  }

  /** Where to evaluate the next gradient: θ itself, unless a subclass looks ahead. */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.checkVectors(params, out, "out");
    return params;
  }

  /** Forgets the state (step count 0, buffers released); options are kept. */
  reset(): void {
    this.steps = 0;
    this.stateSize = undefined;
    this.buffers = [];
  }

  /** The full state as JSON-serializable data. */
  snapshot(): OptimizerSnapshot {
    const buffers: Record<string, string> = {};
    this.bufferNames.forEach((name, i) => {
      buffers[name] = encodeFloat64(this.buffers[i] ?? new Float64Array(0));
    });
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: this.kind,
      options: { ...this.resolved },
      stepCount: this.steps,
      size: this.stateSize ?? null,
      buffers,
    };
  }

  /** Checks a snapshot whole, then adopts its options and state. */
  restore(snapshot: unknown): void {
    const s = expect("snapshot", snapshot, "object");
    for (const key of Object.keys(s)) {
      if (!SNAPSHOT_FIELDS.includes(key)) throw new InvalidSnapshotError(`snapshot.${key}`, s[key], `only the fields ${SNAPSHOT_FIELDS.join(", ")}`);
    }
    if (own(s, "format") !== SNAPSHOT_FORMAT) throw new InvalidSnapshotError("snapshot.format", own(s, "format"), JSON.stringify(SNAPSHOT_FORMAT));
    if (own(s, "version") !== SNAPSHOT_VERSION) throw new InvalidSnapshotError("snapshot.version", own(s, "version"), `version ${SNAPSHOT_VERSION}`);
    if (own(s, "kind") !== this.kind) throw new InvalidSnapshotError("snapshot.kind", own(s, "kind"), `a snapshot of ${this.kind}`);
    let options: Readonly<O>;
    try {
      options = resolveOptions(this.kind, this.rules, expect("snapshot.options", own(s, "options"), "object"), true);
    } catch (e) {
      if (e instanceof InvalidSnapshotError || !(e instanceof GradstepError)) throw e;
      throw new InvalidSnapshotError(`snapshot.options.${e.argument}`, e.value, e.expected);
    }
    const stepCount = own(s, "stepCount");
    if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0) {
      throw new InvalidSnapshotError("snapshot.stepCount", stepCount, "an integer in [0, 2^53 − 1]");
    }
    const size = own(s, "size");
    if (size !== null && (!Number.isSafeInteger(size) || (size as number) < 0)) {
      throw new InvalidSnapshotError("snapshot.size", size, "null or an integer ≥ 0");
    }
    if (size === null && stepCount !== 0) throw new InvalidSnapshotError("snapshot.size", size, "the state's length, since stepCount > 0");
    const given = expect("snapshot.buffers", own(s, "buffers"), "object");
    for (const key of Object.keys(given)) {
      if (!this.bufferNames.includes(key)) {
        throw new InvalidSnapshotError(`snapshot.buffers.${key}`, given[key], `only the buffers of ${this.kind}: ${this.bufferNames.join(", ") || "none"}`);
      }
    }
    const length = size === null ? 0 : (size as number);
    const buffers = this.bufferNames.map((name) => {
      const text = expect(`snapshot.buffers.${name}`, own(given, name), "string");
      const values = decodeFloat64(text);
      if (values === undefined || values.length !== length) {
        throw new InvalidSnapshotError(`snapshot.buffers.${name}`, text, `base64 of ${length} little-endian float64 values`);
      }
      return values;
    });
    this.resolved = options;
    this.steps = stepCount as number;
    this.stateSize = size === null ? undefined : length;
    this.buffers = size === null ? [] : buffers;
  }

  /**
   * The rule itself: update `params` (and `this.buffers`) given `grad`. Called only with checked,
   * equally long vectors and allocated buffers.
   * @param t the step count after this step (t + 1 in the formulas' notation), for bias corrections.
   */
  protected abstract update(params: Float64Array, grad: Float64Array, t: number): void;

  /** Throws unless `params` and `other` are Float64Arrays of the state's length. */
  protected checkVectors(params: Float64Array, other: Float64Array, otherName = "grad"): void {
    if (!(params instanceof Float64Array)) throw new ShapeMismatchError("params", params, "a Float64Array");
    if (!(other instanceof Float64Array)) throw new ShapeMismatchError(otherName, other, "a Float64Array");
    if (other.length !== params.length) {
      throw new ShapeMismatchError(otherName, other, `length ${params.length}, the length of params`);
    }
    if (this.stateSize !== undefined && params.length !== this.stateSize) {
      throw new ShapeMismatchError("params", params, `length ${this.stateSize}, the length this optimizer's state was built for (call reset() to start over with another length)`);
    }
  }

  private allocate(n: number): void {
    this.buffers = this.bufferNames.map(() => new Float64Array(n));
    this.stateSize = n;
  }
}

/** An own property only: a snapshot's `__proto__` or `constructor` keys are never followed. */
function own(from: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(from, key) ? from[key] : undefined;
}

function expect(path: string, value: unknown, type: "object"): Record<string, unknown>;
function expect(path: string, value: unknown, type: "string"): string;
function expect(path: string, value: unknown, type: "object" | "string"): unknown {
  const ok = type === "object" ? typeof value === "object" && value !== null && !Array.isArray(value) : typeof value === type;
  if (!ok) throw new InvalidSnapshotError(path, value, type === "object" ? "a plain object" : "a string");
  return value;
}
