import { considerThreads, currentRuntime } from "../backends/backend.js";
import type { KernelName } from "../backends/wasm/kernels-binary.js";
import { WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import {
  DisposedError,
  GradstepError,
  InvalidOptionError,
  InvalidSnapshotError,
  NonFiniteGradientError,
  ShapeMismatchError,
  StepLimitError,
} from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { DECAY, GRAD_SIGN, L2, SCALAR_SLOTS } from "../kernels/scalars.js";
import { allocateFloat64, guardAllocation } from "../memory/allocate.js";
import {
  byteOffsetOfVector,
  checkHeld,
  checkHeldAt,
  copyInto,
  memoryOf,
  overlap,
  plainFloat64,
  refusePartialOverlap,
  type VectorMemory,
} from "../memory/float64-vectors.js";
import {
  flag,
  type NonFinitePolicy,
  nonFiniteRule,
  nonNegative,
  oneOf,
  type OptionRules,
  type OptionValue,
  resolveOptions,
  type Schedulable,
  type WeightDecayMode,
} from "../options.js";
import { scheduleBounds } from "../schedules/check-schedule.js";
import { compileSchedule, evaluateProgram } from "../schedules/evaluate-schedule.js";
import type { Schedule } from "../schedules/schedule.js";
import { scheduleValue } from "../schedules/schedule-value.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";
import type { Optimizer, OptimizerSnapshot } from "./optimizer.js";

/**
 * Options every optimizer accepts besides its own hyperparameters. With their defaults they change
 * nothing: the rule sees the gradient as given.
 *
 * Every rule starts from the effective gradient ĝ and ends with the decoupled decay factor d:
 *
 * ```math
 * \begin{aligned}
 * \hat g &= s\,g + \lambda_{L2}\,\theta_t, && s = -1 \text{ if maximize, else } 1; \quad \lambda_{L2} = \text{weightDecay in mode "l2", else } 0\\
 * \theta_{t+1} &= d\,\theta_t - (\text{the rule's step, computed from } \hat g), && d = 1 - \eta\cdot\text{weightDecay in mode "decoupled", else } 1
 * \end{aligned}
 * ```
 *
 * @example
 * ```ts
 * const opt = new RMSProp({ lr: 0.01, weightDecay: 1e-4, maximize: true, nonFinite: "unchecked" });
 * ```
 */
export interface CommonOptions {
  /**
   * What `step` does when the gradient holds NaN or ±Infinity. `"throw"` (default): throws a
   * {@link NonFiniteGradientError} naming the first bad index, before anything changes. `"skip"`:
   * the step is skipped atomically (nothing changes, the step count does not advance).
   * `"unchecked"`: no check (one read of the gradient less per step; see bench/ for its cost), and
   * non-finite values flow into the parameters.
   */
  nonFinite: NonFinitePolicy;
  /** Ascend instead of descend: the rule sees −g (PyTorch's `maximize`). Default false. */
  maximize: boolean;
  /** λ, the weight decay, ≥ 0. Default 0 (AdamW: 0.01). */
  weightDecay: number;
  /** How λ enters: L2 (added to the gradient, default) or decoupled (AdamW). See {@link WeightDecayMode}. */
  weightDecayMode: WeightDecayMode;
}

/**
 * The rules of {@link CommonOptions}, to spread into an optimizer's own.
 *
 * @example
 * ```ts
 * const rules = { lr: positive(0.01), ...commonRules };
 * ```
 */
export const commonRules: OptionRules<CommonOptions> = {
  maximize: flag(false),
  weightDecay: nonNegative(0),
  weightDecayMode: oneOf<WeightDecayMode>("l2", ["l2", "decoupled"]),
  nonFinite: nonFiniteRule,
};

/**
 * One buffer of an optimizer's state.
 *
 * @example
 * ```ts
 * // AMSGrad's running maximum: as long as params, zero at first, only when amsgrad is on.
 * const spec: BufferSpec<AdamOptions> = { name: "maxSecondMoment", needed: (o) => o.amsgrad };
 * ```
 */
export interface BufferSpec<O> {
  /** Its name in snapshots. */
  readonly name: string;
  /** `true` for a single number (e.g. NAdam's running product of μ_t) rather than one per parameter. */
  readonly scalar?: boolean;
  /** Its value before the first step (from options that cannot follow a schedule). Default 0. */
  readonly initial?: (options: Readonly<Schedulable<O>>) => number;
  /** Whether the options need it at all; a buffer that is not needed has length 0. Default: always. */
  readonly needed?: (options: Readonly<Schedulable<O>>) => boolean;
}

/**
 * The index of each numeric option in an optimizer's {@link OptimizerBase.values} block: the numeric
 * rules in the order they are listed.
 *
 * @example
 * ```ts
 * const V = optionIndex({ lr: positive(0.01), ...commonRules }); // { lr: 0, weightDecay: 1 }
 * ```
 */
export function optionIndex<O>(rules: OptionRules<O>): { readonly [K in keyof O]: number } {
  const index: Record<string, number> = {};
  Object.keys(rules)
    .filter((key) => rules[key as keyof O].numeric)
    .forEach((key, i) => {
      index[key] = i;
    });
  return Object.freeze(index) as { [K in keyof O]: number };
}

/**
 * The smallest and largest value an option takes over a run: [x, x] for a number, the bounds of a
 * schedule. Checks between options (PyTorch's "Nesterov needs momentum > 0") use it so that they
 * hold at every step.
 *
 * @example
 * ```ts
 * valueRange({ kind: "linear", initial: 0, final: 0.9, steps: 10 }); // [0, 0.9]
 * ```
 */
export function valueRange(value: number | Schedule): [number, number] {
  return typeof value === "number" ? [value, value] : scheduleBounds(value);
}


/**
 * What every optimizer's resolved options have: the {@link CommonOptions} and a learning rate.
 *
 * @example
 * ```ts
 * const o: OptimizerOptions = new GradientDescent().options;
 * ```
 */
export interface OptimizerOptions extends CommonOptions {
  /** η, the learning rate (the decoupled weight decay is η·λ). */
  lr: number;
}

/**
 * The shared machinery of gradstep's optimizers: option checking, argument checking, the step
 * counter, lazily allocated state buffers, snapshots, and the {@link CommonOptions}. A subclass
 * describes its buffers and supplies {@link OptimizerBase.update}, which calls its kernel.
 *
 * @typeParam O the resolved options, including {@link CommonOptions}.
 *
 * @example
 * ```ts
 * // θ ← d·θ − η·sign(ĝ), with no state
 * type SignOptions = CommonOptions & { lr: number };
 * class SignDescent extends OptimizerBase<SignOptions> {
 *   constructor(options?: Partial<SignOptions>) {
 *     super("SignDescent", { lr: positive(0.01), ...commonRules }, [], options);
 *   }
 *   protected update(params: Float64Array, grad: Float64Array): void {
 *     const lr = this.values[0]; // the numeric options, in rule order, as in effect at this step
 *     const [s, l2, d] = this.scalars; // gradient sign, L2 decay, decoupled decay factor
 *     for (let i = 0; i < params.length; i++) {
 *       params[i] = d * params[i] - lr * Math.sign(s * grad[i] + l2 * params[i]);
 *     }
 *   }
 * }
 * ```
 */
export abstract class OptimizerBase<O extends OptimizerOptions & { [K in keyof O]: OptionValue }> implements Optimizer {
  readonly kind: string;
  private resolved!: Readonly<Schedulable<O>>;
  private readonly rules: OptionRules<O>;
  private readonly bufferSpecs: readonly BufferSpec<O>[];
  private readonly numericKeys: readonly string[];
  private readonly lrIndex: number;
  private readonly weightDecayIndex: number;
  private scheduled: { readonly index: number; readonly program: Float64Array }[] = [];
  private steps = 0;
  private checkFinite = true;
  private skipNonFinite = false;
  private stateSize: number | undefined = undefined;
  private state: Float64Array[] = [];
  private disposed = false;
  /** The vectors of the last step, the Wasm memory each views (if any) and its byte offset there; see {@link OptimizerBase.see}. */
  private seenParams: Float64Array | undefined = undefined;
  private seenGrad: Float64Array | undefined = undefined;
  private seenLength = -1;
  private paramsMemory: VectorMemory | undefined = undefined;
  private gradMemory: VectorMemory | undefined = undefined;
  private paramsOffset = 0;
  private gradOffset = 0;
  /** {@link OptimizerBase.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  /** The Wasm runtime this optimizer was created with; `undefined` on the JavaScript backend. */
  private readonly runtime: WasmRuntime | undefined;
  /**
   * Where the state lives and so which kernels run: `"wasm"` while it is (or, before the first step,
   * will be tried) in Wasm memory; `"js"` on the JavaScript backend, or where Wasm memory could not
   * hold it (its budget was reached or it could not grow).
   */
  private placement: "js" | "wasm" = "js";
  /** Byte addresses of the state buffers in Wasm memory (0 for a buffer kept in JavaScript). */
  private addresses: number[] = [];
  private lengths: number[] = [];
  private kernelIndex = -1;
  /** The memory buffer the state views were derived from (a plain memory detaches them on growth). */
  private viewsOf: ArrayBufferLike | undefined;
  /**
   * The export of kernels.wat that performs {@link OptimizerBase.update} on the Wasm backend.
   * Without one (an optimizer of your own), steps run `update` in JavaScript.
   */
  protected readonly kernel?: KernelName;
  /**
   * The kernel's numbers (see kernels/scalars.ts): the common slots (gradient sign, L2 weight decay,
   * decoupled decay factor) and the rule's constants are written when the options are set
   * ({@link OptimizerBase.configure}); {@link OptimizerBase.update} writes those that change per step.
   */
  protected readonly scalars = new Float64Array(SCALAR_SLOTS);
  /**
   * The numeric options as in effect for the step being taken, in rule order ({@link optionIndex}):
   * constants as given, schedules evaluated at the step count before each step.
   */
  protected readonly values: Float64Array;

  /**
   * @param kind the name used in snapshots and error messages.
   * @param rules how each option is defaulted and checked.
   * @param bufferSpecs the state buffers (as long as `params` unless scalar).
   * @param options the user's options (unknown keys are rejected).
   * @param check a cross-option check (e.g. Nesterov needs momentum > 0); throws {@link InvalidOptionError}.
   */
  protected constructor(
    kind: string,
    rules: OptionRules<O>,
    bufferSpecs: readonly BufferSpec<O>[],
    options: unknown,
    private readonly check: (options: Readonly<Schedulable<O>>) => void = () => {},
  ) {
    this.kind = kind;
    this.rules = rules;
    this.bufferSpecs = bufferSpecs;
    this.numericKeys = Object.keys(optionIndex(rules));
    this.values = new Float64Array(this.numericKeys.length);
    this.lrIndex = this.numericKeys.indexOf("lr");
    this.runtime = currentRuntime();
    this.placement = this.runtime === undefined ? "js" : "wasm"; // a subclass's kernel is set after this constructor
    this.weightDecayIndex = this.numericKeys.indexOf("weightDecay");
    const resolved = resolveOptions(kind, rules, options);
    check(resolved);
    this.adopt(resolved);
  }

  /**
   * The state buffers, in the order of the specs given to the constructor; empty before the first
   * step. On the Wasm backend they are views of its memory, re-derived here if it has grown.
   */
  protected get buffers(): Float64Array[] {
    const rt = this.runtime;
    if (rt !== undefined && !rt.shared && this.addresses.length > 0 && this.viewsOf !== rt.memory.buffer) this.deriveViews(rt);
    return this.state;
  }

  /**
   * The kernels this optimizer's steps run: `"wasm"` (WebAssembly SIMD) or `"js"`. Both give
   * bit-identical results. It is the backend chosen by {@link setBackend} when the optimizer was
   * created, except that state Wasm memory cannot hold (past its budget, see {@link BackendOptions})
   * is kept in ordinary JavaScript memory, and then this says `"js"`.
   */
  get backend(): "js" | "wasm" {
    return this.kernel === undefined ? "js" : this.placement;
  }

  /**
   * Gives the optimizer's memory back at once (its state in Wasm memory, which the garbage collector
   * does not see the size of) instead of when it is garbage-collected. Idempotent; afterwards every
   * method throws a {@link DisposedError}. `using opt = new Adam()` calls it at the end of the block.
   *
   * @example
   * ```ts
   * const opt = new Adam({ lr: 1e-3 });
   * try {
   *   for (let t = 0; t < 100; t++) opt.step(params, gradient(params));
   * } finally {
   *   opt.dispose();
   * }
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    if (this.runtime !== undefined) this.releaseState(this.runtime);
    this.state = [];
    this.stateSize = undefined;
    this.seenParams = this.seenGrad = undefined;
    this.disposed = true;
  }

  /** Throws a {@link DisposedError} once {@link OptimizerBase.dispose} has run. */
  protected assertLive(): void {
    if (this.disposed) throw new DisposedError("this", this.kind, "an optimizer that has not been disposed");
  }

  /** The resolved options, every default filled in (frozen); a scheduled option holds its {@link Schedule}. */
  get options(): Readonly<Schedulable<O>> {
    return this.resolved;
  }

  /**
   * The value of a numeric option in the step taken when the step count is t (default: the next
   * step): the option itself, or its schedule evaluated at t. This is the value the step applies.
   *
   * @example
   * ```ts
   * const opt = new SGD({ lr: { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 10 } });
   * opt.valueAt("lr", 25); // 0.025
   * ```
   */
  valueAt(name: keyof O & string, t: number = this.steps): number {
    this.assertLive();
    if (!Number.isSafeInteger(t) || t < 0) throw new InvalidOptionError("t", t, "a whole number ≥ 0");
    if (!this.numericKeys.includes(name)) {
      throw new InvalidOptionError("name", name, `one of the numeric options of ${this.kind}: ${this.numericKeys.join(", ")}`);
    }
    const value = this.resolved[name] as number | Schedule;
    return typeof value === "number" ? value : scheduleValue(value, t);
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
   * error nothing has changed. `grad` may be `params` itself (or a view of the same doubles), but
   * not a partly overlapping view.
   */
  step(params: Float64Array, grad: Float64Array): void {
    this.stepThen(params, grad, undefined);
  }

  /**
   * {@link OptimizerBase.step}, calling `beforeWrite` once every check has passed and the state is
   * allocated, just before the update writes (a {@link Chain} decays the parameters there). A
   * skipped step does not call it. `beforeWrite` must not throw.
   * @internal
   */
  stepThen(params: Float64Array, grad: Float64Array, beforeWrite: (() => void) | undefined): void {
    this.assertLive();
    const p = plainFloat64(params, "params");
    const g = plainFloat64(grad, "grad");
    this.checkLengths(p, g, "grad");
    if (p !== this.seenParams || g !== this.seenGrad || p.length !== this.seenLength) this.see(p, g, grad);
    // A vector of Wasm memory must still be held (allocateVector's, not released): on every path.
    if (this.paramsMemory !== undefined) checkHeldAt(this.paramsMemory, this.paramsOffset, p.length, "params", params);
    if (this.gradMemory !== undefined) checkHeldAt(this.gradMemory, this.gradOffset, g.length, "grad", grad);
    const rt = this.runtime;
    if (rt !== undefined && this.placement === "wasm" && this.kernel !== undefined && this.wasmStep(rt, p, g, beforeWrite)) return;
    if (this.checkFinite) {
      const bad = firstNonFinite(g);
      if (bad >= 0) {
        if (this.skipNonFinite) return;
        throw new NonFiniteGradientError(bad, g[bad]);
      }
    }
    this.begin(p.length);
    this.write(p, g, beforeWrite);
  }

  /**
   * Learns where a new pair of vectors lives (in a Wasm memory, and where, or not) and refuses a
   * partial overlap. A typed array's buffer and offset never change, so steps on the same pair (of
   * the same length) skip these reads; the pair is kept until the next one or dispose().
   */
  private see(params: Float64Array, grad: Float64Array, given: Float64Array): void {
    refusePartialOverlap(params, grad, given);
    this.seenParams = params;
    this.seenGrad = grad;
    this.seenLength = params.length;
    this.paramsMemory = memoryOf(params);
    this.gradMemory = memoryOf(grad);
    this.paramsOffset = byteOffsetOfVector(params);
    this.gradOffset = byteOffsetOfVector(grad);
  }

  /** The end of a step in JavaScript: the commit, the caller's hook, the update, the count. */
  private write(params: Float64Array, grad: Float64Array, beforeWrite: (() => void) | undefined): void {
    this.commit();
    if (beforeWrite !== undefined) beforeWrite();
    this.update(params, grad);
    this.steps += 1;
  }

  /**
   * {@link OptimizerBase.step} on the Wasm backend: vectors outside its memory go through scratch
   * blocks (copied in, and params copied back), the check and the update run in Wasm (the vectors
   * were checked by {@link OptimizerBase.stepThen}). Returns false, having changed nothing, where the
   * scratch blocks cannot be had: the step then runs in JavaScript (on the same state, to the same bits).
   */
  private wasmStep(rt: WasmRuntime, params: Float64Array, grad: Float64Array, beforeWrite: (() => void) | undefined): boolean {
    const n = params.length;
    let p = this.paramsMemory === rt ? this.paramsOffset : -1;
    let g = this.gradMemory === rt ? this.gradOffset : -1;
    const copyParams = p < 0;
    if (p < 0 || g < 0) {
      if (!rt.ensureScratch(n)) return false;
      if (g < 0) {
        g = rt.scratchGrad;
        rt.heapView().set(grad, g / 8);
      }
      if (p < 0) p = rt.scratchParams; // copied in once the gradient has passed its check
    }
    if (this.checkFinite && rt.hasNonFinite(g, n)) {
      if (this.skipNonFinite) return true;
      const bad = firstNonFinite(grad);
      throw new NonFiniteGradientError(bad, grad[bad]);
    }
    this.begin(n);
    if (this.placement === "js") {
      this.write(params, grad, beforeWrite); // the state went to JavaScript memory (Wasm memory was full)
      return true;
    }
    this.commit();
    if (beforeWrite !== undefined) beforeWrite();
    if (copyParams) rt.heapView().set(params, p / 8);
    considerThreads(rt, n);
    const a = this.addresses;
    if (this.kernelIndex < 0) this.kernelIndex = WasmRuntime.kernelIndex(this.kernel as KernelName);
    rt.run(this.kernelIndex, p, g, this.scalars, a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, n);
    if (copyParams) copyInto(params, rt.scratchParamsView(n));
    this.steps += 1;
    return true;
  }

  /**
   * The part of a step before the update: the step limit, the state (allocated at the first step),
   * the schedules and the step's numbers, checked. Throws with nothing changed.
   */
  private begin(n: number): void {
    if (this.steps >= Number.MAX_SAFE_INTEGER) {
      throw new StepLimitError("stepCount", this.steps, `fewer than 2^53 − 1 steps, where t stops being an exact integer`);
    }
    const fresh = this.stateSize === undefined;
    if (fresh) this.allocate(n);
    this.followSchedules();
    this.prepare(this.steps + 1);
    // The step's numbers (η/(1 − β^t), 1 − η·λ, …) come from valid options but can still overflow
    // (η = 1e308): an infinite step size times a zero moment is NaN. Refuse before writing anything.
    const overflow = firstNonFinite(this.scalars);
    if (overflow >= 0) {
      if (fresh) this.reset(); // the state this step allocated goes too: nothing has changed
      throw new InvalidOptionError("options", this.resolved, `hyperparameters whose step stays finite (a number derived from them is ${this.scalars[overflow]} at step ${this.steps + 1})`);
    }
  }

  /**
   * Where to evaluate the next gradient: θ itself, unless a subclass looks ahead. `out` must not
   * share memory with `params`.
   */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.checkVectors(params, out, "out");
    return params;
  }

  /** Forgets the state (step count 0, buffers released); options are kept. */
  reset(): void {
    this.assertLive();
    this.adoptState([]);
    this.steps = 0;
    this.stateSize = undefined;
  }

  /** The full state as JSON-serializable data. */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    const buffers: Record<string, string> = {};
    this.bufferSpecs.forEach(({ name }, i) => {
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
    this.assertLive();
    const s = checkSnapshotHeader(snapshot, this.kind);
    let options: Readonly<Schedulable<O>>;
    try {
      options = resolveOptions(this.kind, this.rules, expectField("snapshot.options", own(s, "options"), "object"), true);
      this.check(options);
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
    const given = expectField("snapshot.buffers", own(s, "buffers"), "object");
    const names = this.bufferSpecs.map((b) => b.name);
    for (const key of Object.keys(given)) {
      if (!names.includes(key)) {
        throw new InvalidSnapshotError(`snapshot.buffers.${key}`, given[key], `only the buffers of ${this.kind}: ${names.join(", ") || "none"}`);
      }
    }
    const buffers = this.bufferSpecs.map((spec) => {
      const path = `snapshot.buffers.${spec.name}`;
      const text = expectField(path, own(given, spec.name), "string");
      const length = size === null ? 0 : this.bufferLength(spec, size as number, options);
      const values = guardAllocation(path, length, () => decodeFloat64(text));
      if (values === undefined || values.length !== length) {
        throw new InvalidSnapshotError(path, text, `base64 of ${length} little-endian float64 values`);
      }
      return values;
    });
    this.assertLive(); // a getter of the snapshot may have disposed this optimizer meanwhile
    // Everything that can fail has run; from here on nothing throws (state Wasm memory cannot hold
    // stays in the decoded arrays).
    this.adopt(options);
    this.adoptState(size === null ? [] : buffers);
    this.steps = stepCount as number;
    this.stateSize = size === null ? undefined : (size as number);
  }

  /**
   * Writes the rule's constant slots of {@link OptimizerBase.scalars} from the options. Called
   * whenever the options change (construction, restore), so a step reads no option objects: numbers
   * read from objects on a shared, polymorphic code path can be boxed, which allocates.
   */
  protected configure(): void {}

  /**
   * Writes the rule's per-step numbers into {@link OptimizerBase.scalars} (bias corrections, decayed
   * rates, …) without touching any state; `step` checks them before {@link OptimizerBase.update}.
   * @param t the step count after this step.
   */
  protected prepare(t: number): void {
    void t; // rules without per-step numbers have nothing to do
  }

  /**
   * Stores what a step changes besides the per-parameter buffers (e.g. NAdam's running product),
   * once the step is sure to happen; runs just before the update on either backend.
   */
  protected commit(): void {}

  /**
   * The rule itself: update `params` (and `this.buffers`) given `grad`. Called only with checked,
   * equally long vectors and allocated buffers, after {@link OptimizerBase.prepare} has written the
   * step's numbers.
   */
  protected abstract update(params: Float64Array, grad: Float64Array): void;

  /**
   * Throws unless the optimizer is live and `params` and `other` are Float64Arrays of the state's
   * length that share no memory (for `gradientPoint`'s `out`).
   */
  protected checkVectors(params: Float64Array, other: Float64Array, otherName = "grad"): void {
    this.assertLive();
    const p = plainFloat64(params, "params");
    const o = plainFloat64(other, otherName);
    this.checkLengths(p, o, otherName);
    checkHeld(p, "params", params);
    checkHeld(o, otherName, other);
    if (overlap(p, o) !== "none") throw new ShapeMismatchError(otherName, other, "a vector that shares no memory with params");
  }

  /** Throws unless `params` and `other` (plain Float64Arrays) have the state's length. */
  private checkLengths(params: Float64Array, other: Float64Array, otherName: string): void {
    if (other.length !== params.length) {
      throw new ShapeMismatchError(otherName, other, `length ${params.length}, the length of params`);
    }
    if (this.stateSize !== undefined && params.length !== this.stateSize) {
      throw new ShapeMismatchError("params", params, `length ${this.stateSize}, the length this optimizer's state was built for (call reset() to start over with another length)`);
    }
  }

  private adopt(options: Readonly<Schedulable<O>>): void {
    const scheduled: { readonly index: number; readonly program: Float64Array }[] = [];
    this.numericKeys.forEach((key, index) => {
      const value = options[key as keyof O] as number | Schedule;
      if (typeof value !== "number") scheduled.push({ index, program: compileSchedule(value) });
    });
    this.resolved = options;
    this.checkFinite = options.nonFinite !== "unchecked";
    this.skipNonFinite = options.nonFinite === "skip";
    this.scheduled = scheduled;
    this.numericKeys.forEach((key, index) => {
      const value = options[key as keyof O] as number | Schedule;
      if (typeof value === "number") this.values[index] = value;
    });
    this.refresh();
  }

  /**
   * Writes the learning rate of the next step into out[index] (following its schedule, if any).
   * For {@link Chain}'s decoupled weight decay; writing rather than returning keeps a step free of
   * allocation.
   * @internal
   */
  writeLearningRate(out: Float64Array, index: number): void {
    this.assertLive();
    this.followSchedules();
    out[index] = this.values[this.lrIndex];
  }

  /** Brings the scheduled values up to the current step count (nothing to do without schedules). */
  protected followSchedules(): void {
    if (this.scheduled.length > 0) this.refresh();
  }

  /**
   * Evaluates the schedules at the current step count into {@link OptimizerBase.values}, then writes
   * the scalar block. Runs when the options change and, for a scheduled optimizer, before each step.
   */
  private refresh(): void {
    const values = this.values;
    for (let i = 0; i < this.scheduled.length; i++) {
      evaluateProgram(this.scheduled[i].program, this.steps, values, this.scheduled[i].index);
    }
    const o = this.resolved;
    const lr = values[this.lrIndex];
    const weightDecay = values[this.weightDecayIndex];
    const s = this.scalars;
    s[GRAD_SIGN] = o.maximize ? -1 : 1;
    s[L2] = o.weightDecayMode === "l2" ? weightDecay : 0;
    s[DECAY] = o.weightDecayMode === "decoupled" ? 1 - lr * weightDecay : 1;
    this.configure();
  }

  private allocate(n: number): void {
    const buffers = this.bufferSpecs.map((spec) => {
      const buffer = allocateFloat64(this.bufferLength(spec, n, this.resolved), `state.${spec.name}`);
      const initial = spec.initial?.(this.resolved) ?? 0;
      if (initial !== 0) buffer.fill(initial);
      return buffer;
    });
    this.adoptState(buffers);
    this.stateSize = n;
  }

  /** Where state goes when it is (re)built: Wasm memory if this optimizer has a kernel there. */
  private preferredPlacement(): "js" | "wasm" {
    return this.runtime !== undefined && this.kernel !== undefined ? "wasm" : "js";
  }

  /**
   * Takes `buffers` as the state, without throwing. On the Wasm backend the per-parameter buffers are
   * copied into new blocks of its memory, and only then are the previous blocks given back; where the
   * memory cannot hold them (its budget, its maximum), `buffers` themselves become the state and the
   * optimizer runs the JavaScript kernels (bit-identical) until its state is rebuilt.
   */
  private adoptState(buffers: Float64Array[]): void {
    const rt = this.runtime;
    const addresses = this.preferredPlacement() === "wasm" ? placeInWasm(rt as WasmRuntime, buffers, this.bufferSpecs) : undefined;
    if (rt !== undefined) this.releaseState(rt);
    this.state = buffers;
    this.lengths = buffers.map((buffer) => buffer.length);
    this.placement = addresses === undefined ? "js" : "wasm";
    if (addresses === undefined || rt === undefined) return;
    this.addresses = addresses;
    if (addresses.some((a) => a !== 0)) wasmStateRegistry?.register(this, { rt, addresses }, this);
    this.deriveViews(rt);
  }

  private releaseState(rt: WasmRuntime): void {
    wasmStateRegistry?.unregister(this);
    for (const address of this.addresses) if (address !== 0) rt.release(address);
    this.addresses = [];
  }

  private deriveViews(rt: WasmRuntime): void {
    this.state = this.state.map((buffer, i) => (this.addresses[i] === 0 ? buffer : rt.view(this.addresses[i], this.lengths[i])));
    this.viewsOf = rt.memory.buffer;
  }

  private bufferLength(spec: BufferSpec<O>, n: number, options: Readonly<Schedulable<O>>): number {
    if (spec.needed && !spec.needed(options)) return 0;
    return spec.scalar ? 1 : n;
  }
}

/**
 * Copies each per-parameter buffer into a new block of Wasm memory; returns the blocks' addresses
 * (0 for a scalar or empty buffer, which stays in JavaScript), or `undefined`, with every block it
 * took given back, where the memory cannot hold them all.
 */
function placeInWasm<O>(rt: WasmRuntime, buffers: Float64Array[], specs: readonly BufferSpec<O>[]): number[] | undefined {
  const addresses: number[] = [];
  for (let i = 0; i < buffers.length; i++) {
    const buffer = buffers[i];
    if (specs[i].scalar || buffer.length === 0) {
      addresses.push(0);
      continue;
    }
    const address = rt.allocate(buffer.length);
    if (address < 0) {
      for (const a of addresses) if (a !== 0) rt.release(a);
      return undefined;
    }
    rt.view(address, buffer.length).set(buffer);
    addresses.push(address);
  }
  return addresses;
}


/** Gives an optimizer's Wasm blocks back when it is garbage-collected (without reset()). */
const wasmStateRegistry =
  typeof FinalizationRegistry === "function"
    ? new FinalizationRegistry<{ rt: WasmRuntime; addresses: number[] }>(({ rt, addresses }) => {
        for (const address of addresses) if (address !== 0) rt.release(address);
      })
    : undefined;

declare global {
  // As in TypeScript's lib.esnext.disposable (and @types/node), for projects whose lib predates it.
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

// `using opt = new Adam()` (explicit resource management) where the runtime has Symbol.dispose.
if (typeof Symbol.dispose === "symbol") {
  Object.defineProperty(OptimizerBase.prototype, Symbol.dispose, {
    value: function (this: OptimizerBase<never>) {
      this.dispose();
    },
    writable: true,
    configurable: true,
  });
}
