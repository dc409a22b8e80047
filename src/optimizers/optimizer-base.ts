import { StateStore } from "../backends/state-store.js";
import type { KernelName } from "../backends/wasm/kernels-binary.js";
import { DisposedError, InvalidOptionError, NonFiniteGradientError, StepLimitError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { SCALAR_SLOTS } from "../kernels/scalars.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import { checkDisjointVectors, StepVectors } from "../memory/step-vectors.js";
import { type OptionRules, type OptionValue, resolveOptions, type Schedulable } from "../options.js";
import { decodeOptimizerSnapshot, encodeOptimizerSnapshot, type SnapshotLayout } from "../snapshot/optimizer-snapshot.js";
import { allocateBuffers, type BufferSpec } from "./buffer-spec.js";
import { OptionValues } from "./option-values.js";
import type { Optimizer, OptimizerSnapshot } from "./optimizer.js";
import type { OptimizerOptions } from "./optimizer-options.js";
import { disposeWithUsing } from "./using-dispose.js";

export type { BufferSpec } from "./buffer-spec.js";
export { type CommonOptions, commonRules, type OptimizerOptions, optionIndex, valueRange } from "./optimizer-options.js";

/**
 * The step protocol of gradstep's optimizers: every check first, then the writes, counted. Options
 * and schedules ({@link CommonOptions} included), the state's memory (JavaScript or Wasm) and
 * snapshots are kept by helpers of their own. A subclass describes its buffers and supplies
 * {@link OptimizerBase.update}, which calls its kernel.
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
  private readonly layout: SnapshotLayout<O>;
  private readonly settings: OptionValues<O>;
  private readonly store: StateStore;
  private readonly vectors = new StepVectors();
  private steps = 0;
  private stateSize: number | undefined = undefined;
  private disposed = false;
  /** {@link OptimizerBase.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  /** The export of kernels.wat that performs {@link OptimizerBase.update} on the Wasm backend; without one, steps run `update`. */
  protected readonly kernel?: KernelName;
  /**
   * The kernel's numbers (see kernels/scalars.ts): the common slots (gradient sign, L2 weight decay,
   * decoupled decay factor) and the rule's constants are written when the options are set
   * ({@link OptimizerBase.configure}); {@link OptimizerBase.prepare} writes those that change per step.
   */
  protected readonly scalars = new Float64Array(SCALAR_SLOTS);
  /** The numeric options in effect for the step being taken, in rule order ({@link optionIndex}); schedules evaluated per step. */
  protected readonly values: Float64Array;

  /**
   * @param kind the name used in snapshots and error messages.
   * @param rules how each option is defaulted and checked.
   * @param bufferSpecs the state buffers (as long as `params` unless scalar).
   * @param options the user's options (unknown keys are rejected).
   * @param check a cross-option check (e.g. Nesterov needs momentum > 0); throws {@link InvalidOptionError}.
   */
  protected constructor(kind: string, rules: OptionRules<O>, bufferSpecs: readonly BufferSpec<O>[], options: unknown, check: (options: Readonly<Schedulable<O>>) => void = () => {}) {
    this.kind = kind;
    this.layout = { kind, rules, check, buffers: bufferSpecs };
    this.settings = new OptionValues(rules);
    this.values = this.settings.block;
    this.store = new StateStore(bufferSpecs.map((spec) => spec.scalar === true));
    const resolved = resolveOptions(kind, rules, options);
    check(resolved);
    this.adopt(resolved);
  }

  /** The state buffers, in the order of the specs; empty before the first step. On the Wasm backend, views of its memory. */
  protected get buffers(): Float64Array[] {
    return this.store.buffers;
  }

  /**
   * The kernels this optimizer's steps run: `"wasm"` (WebAssembly SIMD) or `"js"`, bit-identical.
   * It is the backend chosen by {@link setBackend} when the optimizer was created, except that state
   * Wasm memory cannot hold (past its budget, see {@link BackendOptions}) is kept in JavaScript memory.
   */
  get backend(): "js" | "wasm" {
    return this.kernel === undefined ? "js" : this.store.placement;
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
    this.store.release();
    this.vectors.forget();
    this.stateSize = undefined;
    this.disposed = true;
  }

  /** Throws a {@link DisposedError} once {@link OptimizerBase.dispose} has run. */
  protected assertLive(): void {
    if (this.disposed) throw new DisposedError("this", this.kind, "an optimizer that has not been disposed");
  }

  /** The resolved options, every default filled in (frozen); a scheduled option holds its {@link Schedule}. */
  get options(): Readonly<Schedulable<O>> {
    return this.settings.options;
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
    return this.settings.valueAt(name, t, this.kind);
  }

  /**
   * η, the learning rate of the step taken when the step count is t (default: the next step), as
   * {@link OptimizerBase.valueAt}`("lr", t)`. At the default t it allocates nothing, so a step may
   * ask it (a {@link Chain}'s decoupled decay with `scaleByLr`, 1 − η·λ, does).
   *
   * @example
   * ```ts
   * const opt = new SGD({ lr: { kind: "exponential", initial: 0.1, gamma: 0.5 } });
   * opt.learningRate();  // 0.1, for the first step
   * opt.learningRate(2); // 0.025
   * ```
   */
  learningRate(t: number = this.steps): number {
    if (t !== this.steps) return this.valueAt("lr", t);
    this.assertLive();
    this.followSchedules();
    return this.values[this.settings.lrIndex];
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
    const n = p.length;
    this.vectors.check(p, g, params, grad, this.stateSize);
    const { store, settings } = this;
    // With the state in Wasm memory, the check and the update run there (in JavaScript where no scratch room is left).
    const inWasm = store.placement === "wasm" && this.kernel !== undefined && store.stage(this.vectors, p, g);
    if (settings.checkFinite && (inWasm ? store.stagedGradHasNonFinite(n) : firstNonFinite(g) >= 0)) {
      if (settings.skipNonFinite) return;
      const bad = firstNonFinite(g);
      throw new NonFiniteGradientError(bad, g[bad]);
    }
    this.begin(n);
    this.commit();
    if (beforeWrite !== undefined) beforeWrite();
    // The state begin() built may have gone to JavaScript memory (Wasm memory full): same bits there.
    if (inWasm && store.placement === "wasm") store.run(this.kernel as KernelName, p, this.scalars, n);
    else this.update(p, g);
    this.steps += 1;
  }

  /** The step limit, the state (built at the first step), the step's numbers, checked: throws with nothing changed. */
  private begin(n: number): void {
    if (this.steps >= Number.MAX_SAFE_INTEGER) throw new StepLimitError("stepCount", this.steps, `fewer than 2^53 − 1 steps, where t stops being an exact integer`);
    const fresh = this.stateSize === undefined;
    if (fresh) this.adoptState(allocateBuffers(this.layout.buffers, n, this.options), n);
    this.followSchedules();
    this.prepare(this.steps + 1);
    // Numbers of valid options can still overflow (η/(1 − β^t) at η = 1e308), and ∞·0 is NaN: refuse before writing.
    const overflow = firstNonFinite(this.scalars);
    if (overflow < 0) return;
    if (fresh) this.reset(); // the state this step built goes too: nothing has changed
    throw new InvalidOptionError("options", this.options, `hyperparameters whose step stays finite (a number derived from them is ${this.scalars[overflow]} at step ${this.steps + 1})`);
  }

  /** Where to evaluate the next gradient: θ itself, unless a subclass looks ahead. `out` must not share memory with `params`. */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.checkVectors(params, out, "out");
    return params;
  }

  /** Forgets the state (step count 0, buffers released); options are kept. */
  reset(): void {
    this.assertLive();
    this.adoptState([], undefined);
    this.steps = 0;
  }

  /** The full state as JSON-serializable data. */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return encodeOptimizerSnapshot(this.layout, { options: this.options, stepCount: this.steps, size: this.stateSize, buffers: this.buffers });
  }

  /** Checks a snapshot whole, then adopts its options and state. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const state = decodeOptimizerSnapshot(snapshot, this.layout);
    this.assertLive(); // a getter of the snapshot may have disposed this optimizer meanwhile
    // Nothing throws from here on (state Wasm memory cannot hold stays in the decoded arrays).
    this.adopt(state.options);
    this.adoptState(state.buffers, state.size);
    this.steps = state.stepCount;
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

  /** Stores what a step changes besides the per-parameter buffers (e.g. NAdam's running product), once the step is sure to happen. */
  protected commit(): void {}

  /**
   * The rule itself: update `params` (and `this.buffers`) given `grad`. Called only with checked,
   * equally long vectors and allocated buffers, after {@link OptimizerBase.prepare} has written the
   * step's numbers.
   */
  protected abstract update(params: Float64Array, grad: Float64Array): void;

  /** Throws unless the optimizer is live and `params` and `other` are Float64Arrays of the state's length that share no memory. */
  protected checkVectors(params: Float64Array, other: Float64Array, otherName = "grad"): void {
    this.assertLive();
    checkDisjointVectors(params, other, otherName, this.stateSize);
  }

  /** Brings the scheduled values (and the scalars) up to the current step count; nothing to do without schedules. */
  protected followSchedules(): void {
    if (this.settings.scheduled) this.refresh();
  }

  private adopt(options: Readonly<Schedulable<O>>): void {
    this.settings.adopt(options);
    this.refresh();
  }

  /** Evaluates the schedules at the step count, then writes the scalar block: when the options change, and per step if scheduled. */
  private refresh(): void {
    this.settings.follow(this.steps, this.scalars);
    this.configure();
  }

  /** Takes `buffers` as the state for vectors of length `size` (Wasm memory is tried once a subclass's kernel is set). */
  private adoptState(buffers: Float64Array[], size: number | undefined): void {
    this.store.adopt(buffers, this.kernel !== undefined);
    this.stateSize = size;
  }
}

disposeWithUsing(OptimizerBase);
