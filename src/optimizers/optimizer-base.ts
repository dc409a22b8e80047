import { StateStore } from "../backends/state-store.js";
import type { KernelName } from "../backends/wasm/kernels-binary.js";
import { PLAN_NUMBERS } from "../backends/wasm/memory-layout.js";
import { DisposedError, InvalidOptionError, ShapeMismatchError, StepLimitError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { SCALAR_SLOTS, scalarsFinite } from "../kernels/scalars.js";
import { plainFloat64, type VectorMemory } from "../memory/float64-vectors.js";
import { checkDisjointVectors, StepVectors } from "../memory/step-vectors.js";
import { type OptionRules, type OptionValue, resolveOptions, type Schedulable } from "../options.js";
import { decodeOptimizerSnapshot, encodeOptimizerSnapshot, type SnapshotLayout } from "../snapshot/optimizer-snapshot.js";
import { allocateBuffers, type BufferSpec, bufferLength } from "./buffer-spec.js";
import { OptionValues } from "./option-values.js";
import type { Optimizer, OptimizerSnapshot } from "./optimizer.js";
import type { OptimizerOptions } from "./optimizer-options.js";
import { disposeWithUsing } from "./using-dispose.js";

export type { BufferSpec } from "./buffer-spec.js";
export { type CommonOptions, commonRules, type OptimizerOptions, optionIndex, valueRange } from "./optimizer-options.js";

/** Step counts from here on live in OptimizerBase.bigSteps. */
const SMALL_STEPS = 2 ** 30;

/**
 * The step protocol of gradstep's optimizers: every check first, then the writes. Options (with the
 * {@link CommonOptions}), the state's memory and snapshots each have a helper of their own. A
 * subclass describes its buffers and supplies {@link OptimizerBase.update}, which calls its kernel.
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
  private readonly layout: SnapshotLayout<O>;
  private readonly optionValues: OptionValues<O>;
  private readonly store: StateStore;
  private readonly vectors = new StepVectors();
  /**
   * The step count while it is below 2^30, a small integer on every path; −1 once it is not, the count
   * then in `bigSteps`. A field holding a number past 2^31 (a restored snapshot's count) would become a
   * heap number in every optimizer of its class (and, through the snapshot objects, of any class that
   * restores one later), and a step reading it at a call site shared by several classes would then
   * allocate at each read; an array alone for every count cost a small step about 20 ns.
   */
  private steps = 0;
  private readonly bigSteps = new Float64Array(1);
  /** Whether {@link OptimizerBase.prepareStep} has just run begin() for the step at the current count (cleared when the count or the options change). */
  private prepared = false;
  private disposed = false;
  /** {@link OptimizerBase.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  /** The export of kernels.wat that performs {@link OptimizerBase.update} on the Wasm backend; without one, steps run `update`. */
  protected readonly kernel?: KernelName;
  /**
   * Whether the numbers of a step (its {@link OptimizerBase.scalars}) come from the options and the
   * step count alone, not from the state or the vectors' length: a Wasm kernel (Adafactor has none),
   * a {@link OptimizerBase.prepare} that reads no state and no {@link OptimizerBase.commit} (not
   * ASGD's, nor NAdam's). A {@link TreeOptimizer} then steps leaves with equal options from one
   * leaf's numbers.
   * @internal
   */
  readonly stepNumbersFromOptions: boolean = false;
  /**
   * The kernel's numbers (kernels/scalars.ts): the common slots (s, λ_L2, d of {@link CommonOptions})
   * and the rule's constants ({@link OptimizerBase.configure}), then its per-step ones ({@link OptimizerBase.prepare}).
   */
  protected readonly scalars: Float64Array = new Float64Array(SCALAR_SLOTS);
  /** The numeric options in effect for the step being taken, in rule order ({@link optionIndex}); schedules evaluated per step. */
  protected readonly values: Float64Array;

  /**
   * @param kind the name used in snapshots and error messages.
   * @param rules how each option is defaulted and checked.
   * @param bufferSpecs the state buffers (as long as `params` unless scalar).
   * @param options the user's options (unknown keys are rejected).
   * @param check a cross-option check (e.g. Nesterov needs momentum > 0); throws {@link InvalidOptionError}.
   */
  protected constructor(readonly kind: string, rules: OptionRules<O>, bufferSpecs: readonly BufferSpec<O>[], options: unknown, check: (options: Readonly<Schedulable<O>>) => void = () => {}) {
    this.layout = { kind, rules, check, buffers: bufferSpecs, sizeProblem: (n, o) => this.sizeProblem(n, o) };
    this.optionValues = new OptionValues(rules);
    this.values = this.optionValues.block;
    this.store = new StateStore(bufferSpecs.map((spec) => spec.scalar === true));
    const resolved = resolveOptions(kind, rules, options);
    check(resolved);
    this.optionValues.adopt(resolved);
    this.refresh();
  }

  /** The state buffers, in the order of the specs; empty before the first step. On the Wasm backend, views of its memory. */
  protected get buffers(): Float64Array[] {
    return this.store.buffers;
  }

  /**
   * The kernels its steps run, bit-identical: `"wasm"` (WebAssembly SIMD) or `"js"`, as {@link setBackend}
   * chose when it was created; `"js"` where its state stays in JavaScript memory ({@link BackendOptions}).
   * (On `"wasm"`, a step of fewer than 32 parameters given as plain arrays runs the JavaScript kernel
   * on the state in Wasm memory: cheaper than copying them, and the same bits.)
   */
  get backend(): "js" | "wasm" {
    return this.kernel === undefined ? "js" : this.store.placement;
  }

  // The members of the Optimizer interface (documented there):
  get options(): Readonly<Schedulable<O>> {
    return this.optionValues.options;
  }

  get stepCount(): number {
    return this.steps >= 0 ? this.steps : this.bigSteps[0];
  }

  get size(): number | undefined {
    return this.store.size;
  }

  valueAt(name: keyof O & string, t: number = this.stepCount): number {
    this.assertLive();
    return this.optionValues.valueAt(name, t, this.kind);
  }

  learningRate(t: number = this.stepCount): number {
    if (t !== this.stepCount) return this.valueAt("lr", t);
    this.assertLive();
    this.followSchedules(); // the compiled schedules: no allocation
    return this.values[this.optionValues.lrIndex];
  }

  /**
   * η of the next step into out[at]: {@link OptimizerBase.learningRate} for hot callers, with no double
   * crossing a call (V8 boxes one returned from a call it does not inline).
   * @internal
   */
  learningRateInto(out: Float64Array, at: number): void {
    this.assertLive();
    this.followSchedules();
    out[at] = this.values[this.optionValues.lrIndex];
  }

  step(params: Float64Array, grad: Float64Array): void {
    this.stepThen(params, grad, undefined);
  }

  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.checkVectors(params, out, "out");
    return params;
  }

  set(options: Readonly<Partial<Schedulable<O>>>): void {
    this.assertLive();
    if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidOptionError("options", options, `an object with options of ${this.kind}`);
    const resolved = resolveOptions(this.kind, this.layout.rules, { ...this.options, ...options });
    this.layout.check(resolved);
    const size = this.store.size;
    if (size !== undefined) {
      // The state's buffers were allocated for the old options: a change that needs another set of them is refused.
      const problem = this.sizeProblem(size, resolved);
      if (problem !== undefined) throw new InvalidOptionError("options", options, `options under which the state's vectors of length ${size} fit: ${problem}; call reset() first`);
      for (const spec of this.layout.buffers) {
        if (spec.needed !== undefined && spec.needed(resolved) !== spec.needed(this.options)) {
          throw new InvalidOptionError("options", options, `options that keep the state's buffers (the buffer ${spec.name} would ${spec.needed(resolved) ? "be needed" : "go"}): call reset() first, or set them before the first step`);
        }
        if (bufferLength(spec, size, resolved) !== bufferLength(spec, size, this.options)) {
          throw new InvalidOptionError("options", options, `options that keep the state's buffers (the buffer ${spec.name} would change its length): call reset() first, or set them before the first step`);
        }
      }
    }
    this.optionValues.adopt(resolved);
    this.refresh();
  }

  reset(): void {
    this.assertLive();
    this.store.adopt([], undefined, this.kernel !== undefined);
    this.setSteps(0);
  }

  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return encodeOptimizerSnapshot(this.layout, { options: this.options, stepCount: this.stepCount, size: this.store.size, buffers: this.buffers });
  }

  restore(snapshot: unknown): void {
    this.assertLive();
    const state = decodeOptimizerSnapshot(snapshot, this.layout); // checked whole, nothing changed yet
    this.assertLive(); // a getter of the snapshot may have disposed this optimizer meanwhile
    // Nothing throws from here on (state Wasm memory cannot hold stays in the decoded arrays).
    this.optionValues.adopt(state.options);
    this.refresh();
    this.store.adopt(state.buffers, state.size, this.kernel !== undefined);
    this.setSteps(state.stepCount);
  }

  dispose(): void {
    if (this.disposed) return;
    this.store.release();
    this.vectors.forget();
    this.disposed = true;
  }

  /**
   * {@link OptimizerBase.step}, calling `beforeWrite` (which must not throw) just before a step that
   * has passed every check writes (a {@link Chain} decays the parameters there).
   * @internal
   */
  stepThen(params: Float64Array, grad: Float64Array, beforeWrite: (() => void) | undefined): void {
    this.assertLive();
    // The same vectors of Wasm memory as the last step: every check still holds (see StepVectors.unchanged).
    if (this.store.placement === "wasm" && this.kernel !== undefined && this.vectors.unchanged(params, grad, this.store.size)) {
      this.wasmStep(params, grad, this.vectors.size, beforeWrite);
      return;
    }
    const p = plainFloat64(params, "params");
    const g = plainFloat64(grad, "grad");
    this.vectors.check(p, g, params, grad, this.store.size);
    if (this.kernel !== undefined && this.store.runsInWasm(this.vectors, p.length) && this.wasmStep(p, g, p.length, beforeWrite)) return;
    if (this.optionValues.checkFinite && firstNonFinite(g) >= 0 && this.optionValues.handleNonFinite(g)) return;
    this.begin(p.length);
    this.commit();
    if (beforeWrite !== undefined) beforeWrite();
    this.update(p, g);
    this.advance();
  }

  /**
   * Throws what a step on vectors of length n would throw besides its vectors' and gradient's checks
   * (disposed, the step limit, a derived number that overflows), building the state if there is
   * none; returns whether it built it. A {@link TreeOptimizer} asks every leaf before it steps any.
   * @internal
   */
  prepareStep(n: number): boolean {
    this.assertLive();
    const fresh = this.store.size === undefined;
    this.begin(n);
    this.prepared = true; // the step that follows need not prepare again
    return fresh;
  }

  /**
   * A {@link TreeOptimizer}'s step of this leaf in two halves, once `prepareStep(n)` has passed for
   * every leaf and the tree has checked the vectors (held, in the memory of `rt`, no partial overlap)
   * and the gradient: here the step is taken as done (commit, count) and its kernel, state addresses
   * and numbers written into the planned step at `at` in `plan` (memory-layout.ts: PLAN_SLOTS); the
   * tree then runs it with WasmRuntime.runPlans, without reading this object again. Returns false, having changed
   * nothing, where the state is not in the memory of `rt` (or has another length): `step` then.
   * (`rt` is typed as the memory it is, not as the Wasm runtime, so that the published declarations
   * need no WebAssembly types.)
   * @internal
   */
  planStep(rt: VectorMemory, n: number, plan: Float64Array, at: number): boolean {
    if (this.kernel === undefined || !this.prepared || this.store.size !== n || !this.store.plan(rt, this.kernel, plan, at)) return false;
    this.prepared = false; // (what begin(n) does after prepareStep(n))
    this.commit();
    plan.set(this.scalars, at + PLAN_NUMBERS);
    this.advance();
    return true;
  }

  /**
   * Counts `count` steps that a {@link TreeOptimizer} took for this leaf with another leaf's numbers
   * (see stepNumbersFromOptions): the state is then as if it had taken them alone.
   * @internal
   */
  countSharedSteps(count: number): void {
    this.setSteps(this.stepCount + count);
  }

  /**
   * The byte address of state buffer i where it is a block of the memory of `rt`, else 0: for a
   * {@link TreeOptimizer} that lays its leaves' buffers end to end (see packLeafState).
   * @internal
   */
  stateBlock(rt: VectorMemory, i: number): number {
    return this.store.blockAt(rt, i);
  }

  /** @internal */
  stateBlockLength(i: number): number {
    return this.store.lengthOf(i);
  }

  /** How many state buffers the rule declares (the i of stateBlock is below it). @internal */
  get stateBufferCount(): number {
    return this.layout.buffers.length;
  }

  /**
   * Moves state buffer i (a block of Wasm memory, see stateBlock) to the unused block at `address`:
   * the same numbers, elsewhere, and its old block given back.
   * @internal
   */
  moveStateBlock(i: number, address: number): void {
    this.store.moveBlock(i, address);
  }

  // The step with the state in Wasm memory: the gradient's check and the update run there. Returns
  // false, having changed nothing, where no scratch room is left: the step then runs in JavaScript.
  private wasmStep(p: Float64Array, g: Float64Array, n: number, beforeWrite: (() => void) | undefined): boolean {
    if (!this.store.stage(this.vectors, p, g)) return false;
    // Once the state exists and no hook writes first, the check and the update are one Wasm call;
    // begin() changes nothing then, and commit() waits until the kernel has accepted the gradient.
    if (this.optionValues.checkFinite && beforeWrite === undefined && this.store.size !== undefined) {
      this.begin(n);
      if (this.store.runChecked(this.kernel as KernelName, p, this.scalars, n)) return this.optionValues.handleNonFinite(plainFloat64(g, "grad"));
      this.commit();
      this.advance();
      return true;
    }
    if (this.optionValues.checkFinite && this.store.stagedGradHasNonFinite(n)) return this.optionValues.handleNonFinite(g);
    this.begin(n);
    this.commit();
    if (beforeWrite !== undefined) beforeWrite();
    if (this.store.placement === "wasm") this.store.run(this.kernel as KernelName, p, this.scalars, n);
    else this.update(p, g); // the state begin() built went to JavaScript memory (Wasm memory was full)
    this.advance();
    return true;
  }

  /** The step count ← t (a whole number ≥ 0). */
  private setSteps(t: number): void {
    this.prepared = false;
    if (t < SMALL_STEPS) this.steps = t | 0; // a small integer even where t came as a heap number (a snapshot's)
    else {
      this.steps = -1;
      this.bigSteps[0] = t;
    }
  }

  /** One more step taken. */
  private advance(): void {
    if (this.steps >= 0 && this.steps < SMALL_STEPS - 1) {
      this.steps += 1;
      this.prepared = false;
    } else this.setSteps(this.stepCount + 1);
  }

  // The step limit, the state (built at the first step), the step's numbers: checked, or a throw with nothing changed.
  private begin(n: number): void {
    if (this.prepared && this.store.size === n) {
      this.prepared = false; // prepareStep has just checked and prepared this very step
      return;
    }
    this.prepared = false;
    if (this.steps < 0 && this.bigSteps[0] >= Number.MAX_SAFE_INTEGER) throw new StepLimitError("stepCount", this.bigSteps[0], `fewer than 2^53 − 1 steps, where t stops being an exact integer`);
    const fresh = this.store.size === undefined;
    if (fresh) {
      const problem = this.sizeProblem(n, this.options);
      if (problem !== undefined) throw new ShapeMismatchError("params.length", n, problem);
      this.store.adopt(allocateBuffers(this.layout.buffers, n, this.options), n, this.kernel !== undefined);
    }
    this.followSchedules();
    // two calls, not one of a value that is either: a number that may be a double would be boxed at each call
    if (this.steps >= 0) this.prepare(this.steps + 1);
    else this.prepare(this.bigSteps[0] + 1);
    // Numbers of valid options can still overflow (η/(1 − β^t) at η = 1e308), and ∞·0 is NaN: refuse before writing.
    if (scalarsFinite(this.scalars)) return;
    const overflow = firstNonFinite(this.scalars);
    if (fresh) this.reset(); // the state this step built goes too: nothing has changed
    throw new InvalidOptionError("options", this.options, `hyperparameters whose step stays finite (a number derived from them is ${this.scalars[overflow]} at step ${this.stepCount + 1})`);
  }

  /**
   * Writes the rule's constant slots of {@link OptimizerBase.scalars} whenever the options change, so
   * that no step reads an option object (on a polymorphic path, a number read from one is boxed).
   */
  protected configure(): void {}

  /**
   * Writes the rule's per-step numbers into {@link OptimizerBase.scalars} (bias corrections, decayed
   * rates, …) without touching any state; `step` checks them before {@link OptimizerBase.update}.
   * @param t the step count after this step.
   */
  protected prepare(t: number): void {} // t is unused here: rules without per-step numbers have nothing to do

  /**
   * What vectors of length n must be under `options`, in words, where they cannot have any length
   * (Adafactor's matrix: a multiple of its columns); `undefined` where n fits. The first step, a
   * restore and `set` refuse a length that does not fit, before anything changes.
   */
  protected sizeProblem(n: number, options: Readonly<Schedulable<O>>): string | undefined {
    return undefined; // n and options are unused here: most rules take vectors of any length
  }

  /** Stores what a step changes besides the per-parameter buffers (e.g. NAdam's running product), once the step is sure to happen. */
  protected commit(): void {}

  /**
   * The rule itself: update `params` (and `this.buffers`) given `grad`. Called only with checked,
   * equally long vectors and allocated buffers, after {@link OptimizerBase.prepare}.
   */
  protected abstract update(params: Float64Array, grad: Float64Array): void;

  /** Throws a {@link DisposedError} once {@link OptimizerBase.dispose} has run. */
  protected assertLive(): void {
    if (this.disposed) throw new DisposedError("this", this.kind, "an optimizer that has not been disposed");
  }

  /** Throws unless the optimizer is live and `params` and `other` are Float64Arrays of the state's length that share no memory. */
  protected checkVectors(params: Float64Array, other: Float64Array, otherName = "grad"): void {
    this.assertLive();
    checkDisjointVectors(params, other, otherName, this.store.size);
  }

  /** Brings the scheduled values (and so the scalars) up to the step count; nothing to do without schedules. */
  protected followSchedules(): void {
    if (this.optionValues.scheduled) this.refresh();
  }

  /** Evaluates the schedules at the step count, then writes the scalars: when the options change, and per step if scheduled. */
  private refresh(): void {
    this.prepared = false; // options changed: the prepared numbers are stale
    if (this.steps >= 0) this.optionValues.follow(this.steps, this.scalars);
    else this.optionValues.follow(this.bigSteps[0], this.scalars);
    this.configure();
  }
}

disposeWithUsing(OptimizerBase);
