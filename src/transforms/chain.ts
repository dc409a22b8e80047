import { allocateVector, releaseVector } from "../backends/backend.js";
import { WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import { DisposedError, InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { CLIP_BY_GLOBAL_NORM_SLOTS, clipByGlobalNormKernel } from "../kernels/clip-by-global-norm.js";
import { SCALAR_SLOTS } from "../kernels/scalars.js";
import { addScaledKernel, clampKernel, clipByValueKernel, scaleKernel } from "../kernels/transforms.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { byteOffsetOfVector, checkHeld, copyInto, memoryOf, plainFloat64, refusePartialOverlap } from "../memory/float64-vectors.js";
import { type NonFinitePolicy, nonFiniteRule, resolveOptions } from "../options.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { OptimizerBase } from "../optimizers/optimizer-base.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import { compileSchedule, evaluateProgram } from "../schedules/evaluate-schedule.js";
import type { Schedule } from "../schedules/schedule.js";
import { checkMirroredStepCount, checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";
import { checkTransform, type ProjectToBox, type Transform } from "./transform.js";

const NO_PARAMS = new Float64Array(0);
const CLIP_KERNEL = WasmRuntime.kernelIndex("clip_by_global_norm");

/** Gives a chain's scratch gradient back when the chain is garbage-collected (without dispose()). */
const scratchRegistry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry<Float64Array>(releaseVector) : undefined;

/**
 * Options of {@link Chain}.
 *
 * @example
 * ```ts
 * const opt = chain([{ kind: "clipByValue", limit: 5 }], new SGD({ lr: 0.1 }), { nonFinite: "throw" } satisfies ChainOptions);
 * ```
 */
export interface ChainOptions {
  /** What `step` does with a gradient holding NaN or ±Infinity: see {@link CommonOptions.nonFinite}. @defaultValue "throw" */
  nonFinite: NonFinitePolicy;
}

/**
 * What {@link Chain.options} shows: the chain's options and its checked transforms.
 *
 * @example
 * ```ts
 * const { transforms, nonFinite }: ChainSettings = chain([], new SGD()).options;
 * ```
 */
export interface ChainSettings extends ChainOptions {
  /** The transforms, checked, with their defaults filled in. */
  readonly transforms: readonly Transform[];
}

// A transform's numbers live in the chain's number block: `slot` holds its main number (limit,
// maxNorm, λ), `work` a number computed each step (a decay factor; −1 when unused).
// clipByGlobalNorm keeps its eps at slot + 1.
interface Compiled {
  readonly kind: Transform["kind"];
  readonly slot: number;
  readonly work: number;
  readonly scaleByLr: boolean;
}

/** A projectToBox's bounds, checked: a number for every coordinate or one per coordinate. */
interface Box {
  readonly index: number;
  readonly lower: number | readonly number[];
  readonly upper: number | readonly number[];
}

interface Program {
  readonly slot: number;
  readonly program: Float64Array;
}

/** Lays out the transforms' numbers and compiles their schedules; throws on an impossible combination. */
function compile(transforms: readonly Transform[], optimizer: Optimizer) {
  const values: number[] = [];
  const programs: Program[] = [];
  const number = (value: number | Schedule): number => {
    const slot = values.length;
    values.push(typeof value === "number" ? value : 0);
    if (typeof value !== "number") programs.push({ slot, program: compileSchedule(value) });
    return slot;
  };
  const compiled = transforms.map((t): Compiled => {
    switch (t.kind) {
      case "clipByValue":
        return { kind: t.kind, slot: number(t.limit), work: -1, scaleByLr: false };
      case "clipByGlobalNorm": {
        const slot = number(t.maxNorm);
        number(t.eps ?? 0);
        return { kind: t.kind, slot, work: -1, scaleByLr: false };
      }
      case "addWeightDecay":
        return { kind: t.kind, slot: number(t.weightDecay), work: -1, scaleByLr: false };
      case "decoupledWeightDecay":
        return { kind: t.kind, slot: number(t.weightDecay), work: number(0), scaleByLr: t.scaleByLr ?? false };
      case "projectToBox":
        return { kind: t.kind, slot: -1, work: -1, scaleByLr: false };
    }
  });
  const at = compiled.findIndex((c) => c.kind === "projectToBox");
  if (at >= 0 && at !== compiled.length - 1) {
    throw new InvalidOptionError(`transforms[${at}]`, transforms[at], "projectToBox as the last transform (it projects the parameters after the optimizer's step)");
  }
  // (checkTransform has checked the bounds and made them numbers or frozen arrays of numbers)
  const projection = at < 0 ? null : (transforms[at] as ProjectToBox);
  const box: Box | null = projection === null ? null : { index: at, lower: projection.lower as Box["lower"], upper: projection.upper as Box["upper"] };
  if (compiled.filter((c) => c.kind === "decoupledWeightDecay").length > 1) {
    throw new InvalidOptionError("transforms", transforms, "at most one decoupledWeightDecay");
  }
  if (compiled.some((c) => c.scaleByLr) && typeof optimizer.learningRate !== "function") {
    throw new InvalidOptionError("optimizer", optimizer, "an optimizer with learningRate(), which scaleByLr reads");
  }
  return { transforms: Object.freeze([...transforms]), compiled, programs, numbers: Float64Array.from(values), box };
}

/**
 * An optimizer preceded by gradient transforms, in the spirit of optax's `chain`: each step copies
 * the gradient once, applies the transforms to the copy in order (each reads the parameters as they
 * were before the step), applies decoupled weight decay to the parameters, then lets the optimizer
 * take its step with its own fused kernel.
 *
 * ```text
 * ĝ ← g;  for each gradient transform T: ĝ ← T(ĝ, θ_t)
 * θ ← θ·(1 − η·λ) or θ·(1 − λ)         (decoupledWeightDecay, if any)
 * θ_(t+1) = optimizer.step(θ, ĝ)
 * θ_(t+1) ← clamp(θ_(t+1), lower, upper)   (projectToBox, if any: the last transform)
 * ```
 *
 * Everything is checked before anything is written (lengths, a box's included, a finite gradient,
 * a finite result of the transforms, and with a gradstep optimizer everything its step checks: its
 * step limit, its derived numbers, its state), so a failing step changes nothing: the parameters
 * are decayed only once the optimizer's step is sure to happen, and projected after it. (With an optimizer of your own, the chain keeps a
 * copy of the parameters before the decay and puts it back if that optimizer throws.) The chain
 * allocates its copies once; steps allocate nothing. Snapshots hold the transforms and the
 * optimizer's snapshot, and restore bit-identically. `dispose()` disposes the optimizer too.
 *
 * A chain spells out what the named optimizers' options fuse into one loop: `chain([{ kind:
 * "decoupledWeightDecay", weightDecay: λ, scaleByLr: true }], new Adam({ lr }))` computes exactly
 * (bit for bit) what `new Adam({ lr, weightDecay: λ, weightDecayMode: "decoupled" })` does, at the
 * cost of one more pass over the parameters. Use the fused options where they exist.
 *
 * @example
 * ```ts
 * const opt = chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }], new Adam({ lr: 1e-3 }));
 * opt.step(params, grad); // grad itself is not modified
 * ```
 */
export class Chain implements Optimizer {
  readonly kind = "Chain";
  /** The optimizer that takes the step. */
  readonly optimizer: Optimizer;
  private transforms: readonly Transform[] = [];
  private compiled: readonly Compiled[] = [];
  private programs: readonly Program[] = [];
  private numbers = new Float64Array(0);
  /** The scalar block of the clipByGlobalNorm kernel (its maxNorm and eps, and the norm's sums). */
  private readonly clipScalars = new Float64Array(SCALAR_SLOTS);
  private policy: NonFinitePolicy = "throw";
  private checkTransformed = true;
  /**
   * The transformed gradient: from allocateVector, so on the Wasm backend it is Wasm memory that the
   * optimizer steps in place and that clipByGlobalNorm's Wasm kernel reads; else JavaScript memory.
   */
  private scratch: Float64Array = new Float64Array(0);
  /** The runtime holding {@link Chain.scratch}, if Wasm memory does, and its byte address there. */
  private scratchRuntime: WasmRuntime | undefined;
  private scratchAt = 0;
  /** θ before the decay, kept for an optimizer of another library that may throw in its step. */
  private saved: Float64Array = new Float64Array(0);
  private disposed = false;
  /** The projectToBox's bounds (null without one), and their expansion to the parameters' length. */
  private box: Box | null = null;
  private lower: Float64Array = new Float64Array(0);
  private upper: Float64Array = new Float64Array(0);
  /** The transforms as snapshots hold them: a box's open sides as null (JSON has no Infinity). */
  private savedTransforms: readonly unknown[] = [];
  /** The step's parameters and decay slot, for {@link Chain.decay} (set just before the optimizer's step). */
  private decayParams: Float64Array = NO_PARAMS;
  private decaySlot = -1;
  private readonly decay = (): void => {
    scaleKernel(this.decayParams, this.numbers, this.decaySlot);
  };
  /** {@link Chain.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;

  /**
   * @param transforms the transforms, applied in order (each checked now: an impossible one throws).
   * @param optimizer the optimizer that takes each step.
   * @param options see {@link ChainOptions}.
   *
   * @throws {@link InvalidOptionError} for a malformed transform or option.
   * @throws {@link ShapeMismatchError} for per-coordinate bounds of different lengths.
   */
  constructor(transforms: readonly Transform[], optimizer: Optimizer, options?: Partial<ChainOptions>) {
    if (!Array.isArray(transforms)) throw new InvalidOptionError("transforms", transforms, "an array of transforms");
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") {
      throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    }
    this.optimizer = optimizer;
    const checked = Array.from(transforms, (t, i) => checkTransform(t, `transforms[${i}]`)); // (Array.from: a hole is undefined, checked as one)
    this.adopt(compile(checked, optimizer), resolveOptions("Chain", { nonFinite: nonFiniteRule }, options).nonFinite);
  }

  /** The transforms and the chain's own options. */
  get options(): Readonly<ChainSettings> {
    return { transforms: this.transforms, nonFinite: this.policy };
  }

  /** The optimizer's step count. */
  get stepCount(): number {
    return this.optimizer.stepCount;
  }

  /** The optimizer's state length. */
  get size(): number | undefined {
    return this.optimizer.size;
  }

  /** The optimizer's value of a hyperparameter at step t. */
  valueAt(name: string, t?: number): number {
    this.assertLive();
    return this.optimizer.valueAt(name, t);
  }

  /**
   * Changes the optimizer's options between steps (see {@link Optimizer.set}); the transforms stay.
   * @throws InvalidOptionError where the optimizer has no `set`, or refuses the options (nothing changes).
   */
  set(options: Readonly<Record<string, unknown>>): void {
    this.assertLive();
    if (typeof this.optimizer.set !== "function") throw new InvalidOptionError("optimizer", this.optimizer, "an optimizer with set(options) to change its options");
    this.optimizer.set(options);
    this.checkTransformed = this.policy !== "unchecked" || this.optimizer.options.nonFinite !== "unchecked"; // (its nonFinite may have changed)
  }

  /**
   * Disposes the optimizer (see {@link OptimizerBase.dispose}) and the chain's copies. Idempotent;
   * afterwards every method throws a {@link DisposedError}.
   *
   * @example
   * ```ts
   * const opt = chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }], new Adam());
   * opt.dispose();
   * ```
   */
  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose?.();
    this.releaseScratch();
    this.saved = new Float64Array(0);
    this.disposed = true;
  }

  /** A scratch gradient of length n, in place of the old one (taken first: nothing changes if it cannot be had). */
  private growScratch(n: number): void {
    const next = allocateVector(n);
    this.releaseScratch();
    this.scratch = next;
    const memory = memoryOf(next);
    this.scratchRuntime = memory instanceof WasmRuntime ? memory : undefined;
    this.scratchAt = this.scratchRuntime === undefined ? 0 : byteOffsetOfVector(next);
    scratchRegistry?.register(this, next, this);
  }

  private releaseScratch(): void {
    if (this.scratch.length === 0) return;
    scratchRegistry?.unregister(this);
    releaseVector(this.scratch);
    this.scratch = new Float64Array(0);
    this.scratchRuntime = undefined;
  }

  /** The transforms, then the optimizer's step; see the class description. */
  step(params: Float64Array, grad: Float64Array): void {
    this.assertLive();
    params = plainFloat64(params, "params");
    const given = grad;
    grad = plainFloat64(grad, "grad");
    if (grad.length !== params.length) throw new ShapeMismatchError("grad", given, `length ${params.length}, the length of params`);
    checkHeld(params, "params", params);
    checkHeld(grad, "grad", given);
    refusePartialOverlap(params, grad, given);
    const size = this.optimizer.size;
    if (size !== undefined && params.length !== size) {
      throw new ShapeMismatchError("params", params, `length ${size}, the length the optimizer's state was built for`);
    }
    if (this.box !== null && this.lower.length !== params.length) this.expandBox(params);
    if (this.policy !== "unchecked") {
      const bad = firstNonFinite(grad);
      if (bad >= 0) {
        if (this.policy === "skip") return;
        throw new NonFiniteGradientError(bad, grad[bad]);
      }
    }
    if (this.scratch.length === grad.length) {
      this.transformAndStep(params, grad);
      return;
    }
    this.growScratch(grad.length);
    try {
      this.transformAndStep(params, grad);
    } catch (error) {
      this.releaseScratch(); // a failed first step keeps no memory
      throw error;
    }
  }

  /** The box's bounds as vectors of the parameters' length, checked against it (before anything is written). */
  private expandBox(params: Float64Array): void {
    const { index, lower, upper } = this.box!;
    const n = params.length;
    for (const [side, bound] of [["lower", lower], ["upper", upper]] as const) {
      if (typeof bound !== "number" && bound.length !== n) {
        throw new ShapeMismatchError(`transforms[${index}].${side}`, bound, `length ${n}, the length of params`);
      }
    }
    const l = allocateFloat64(n, "params");
    const h = allocateFloat64(n, "params");
    for (let i = 0; i < n; i++) {
      l[i] = typeof lower === "number" ? lower : lower[i];
      h[i] = typeof upper === "number" ? upper : upper[i];
    }
    this.lower = l;
    this.upper = h;
  }

  /** The transforms on a copy of the checked grad, then the optimizer's step. */
  private transformAndStep(params: Float64Array, grad: Float64Array): void {
    const g = this.scratch;
    g.set(grad);
    const numbers = this.numbers;
    const t = this.optimizer.stepCount;
    for (let i = 0; i < this.programs.length; i++) evaluateProgram(this.programs[i].program, t, numbers, this.programs[i].slot);
    let decay = -1;
    for (let i = 0; i < this.compiled.length; i++) {
      const c = this.compiled[i];
      if (c.kind === "clipByValue") {
        clipByValueKernel(g, numbers, c.slot);
      } else if (c.kind === "clipByGlobalNorm") {
        const s = this.clipScalars;
        s[CLIP_BY_GLOBAL_NORM_SLOTS.maxNorm] = numbers[c.slot];
        s[CLIP_BY_GLOBAL_NORM_SLOTS.eps] = numbers[c.slot + 1];
        // g ← g·maxNorm / (‖g‖ + eps) where that is < 1, the same bits on either backend
        if (this.scratchRuntime === undefined) clipByGlobalNormKernel(g, g, s);
        else this.scratchRuntime.run(CLIP_KERNEL, this.scratchAt, this.scratchAt, s, 0, 0, 0, g.length);
      } else if (c.kind === "addWeightDecay") {
        addScaledKernel(g, params, numbers, c.slot);
      } else if (c.kind === "decoupledWeightDecay") {
        decay = i;
      } // (projectToBox acts after the optimizer's step)
    }
    // The optimizer must not throw after the parameters are decayed: check what it will check.
    if (this.checkTransformed) {
      const bad = firstNonFinite(g);
      if (bad >= 0) {
        if (this.policy === "skip" || this.optimizer.options.nonFinite === "skip") return;
        throw new NonFiniteGradientError(bad, g[bad]);
      }
    }
    if (decay < 0) {
      this.optimizer.step(params, g);
      // (only after a step taken: one the optimizer skipped changes nothing, the box included)
      if (this.box !== null && this.optimizer.stepCount !== t) clampKernel(params, this.lower, this.upper);
      return;
    }
    const c = this.compiled[decay];
    // 1 − η·λ or 1 − λ (η of the step about to be taken). η read into the block, not returned: V8 boxes
    // a double returned from a call it does not inline (in the bundle, after another chain's steps: 5–7
    // collections per 200,000 steps).
    if (!c.scaleByLr) numbers[c.work] = 1;
    else if (this.optimizer instanceof OptimizerBase) this.optimizer.learningRateInto(numbers, c.work);
    else numbers[c.work] = this.optimizer.learningRate!();
    numbers[c.work] = 1 - numbers[c.work] * numbers[c.slot];
    if (!Number.isFinite(numbers[c.work])) {
      throw new InvalidOptionError("transforms", this.transforms, `a decoupled weight decay whose factor 1 − η·λ stays finite (it is ${numbers[c.work]})`);
    }
    this.decayParams = params;
    this.decaySlot = c.work;
    try {
      if (this.optimizer instanceof OptimizerBase) {
        // The decay runs inside the step, after every check the optimizer makes: all or nothing.
        this.optimizer.stepThen(params, g, this.decay);
      } else {
        this.stepForeign(params, g);
      }
    } finally {
      this.decayParams = NO_PARAMS; // holds no reference to the caller's vector between steps
    }
    if (this.box !== null && this.optimizer.stepCount !== t) clampKernel(params, this.lower, this.upper);
  }

  /** Decays θ, then steps an optimizer of another library, putting θ back if that step throws. */
  private stepForeign(params: Float64Array, g: Float64Array): void {
    if (this.saved.length !== params.length) this.saved = allocateFloat64(params.length, "params");
    const saved = this.saved; // (the optimizer may dispose the chain, which drops this.saved)
    copyInto(saved, params);
    this.decay();
    try {
      this.optimizer.step(params, g);
    } catch (e) {
      copyInto(params, saved);
      throw e;
    }
  }

  /** Throws a {@link DisposedError} once {@link Chain.dispose} has run. */
  private assertLive(): void {
    if (this.disposed) throw new DisposedError("this", this.kind, "a chain that has not been disposed");
  }

  /** The optimizer's gradient point. */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    this.assertLive();
    return this.optimizer.gradientPoint(params, out);
  }

  /** Resets the optimizer. */
  reset(): void {
    this.assertLive();
    this.optimizer.reset();
  }

  /** The transforms and the optimizer's full snapshot (under `options.optimizer`). */
  snapshot(): OptimizerSnapshot {
    this.assertLive();
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: this.kind,
      options: { transforms: this.savedTransforms, nonFinite: this.policy, optimizer: this.optimizer.snapshot() },
      stepCount: this.optimizer.stepCount,
      size: this.optimizer.size ?? null,
      buffers: {},
    };
  }

  /** Checks the transforms, then restores the optimizer (which checks its own part whole), then adopts both. */
  restore(snapshot: unknown): void {
    this.assertLive();
    const fields = checkSnapshotHeader(snapshot, this.kind);
    const options = expectField("snapshot.options", own(fields, "options"), "object");
    let compiled: ReturnType<typeof compile>;
    let policy: NonFinitePolicy;
    try {
      const transforms = own(options, "transforms");
      if (!Array.isArray(transforms)) throw new InvalidOptionError("transforms", transforms, "an array of transforms");
      compiled = compile(Array.from(transforms, (t, i) => checkTransform(t, `transforms[${i}]`)), this.optimizer);
      policy = nonFiniteRule.check("nonFinite", own(options, "nonFinite"));
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    // Bounds for another length than the state's were taken whole and refused only at the next step.
    const inner = own(options, "optimizer");
    const size = typeof inner === "object" && inner !== null ? own(inner as Record<string, unknown>, "size") : undefined;
    // The envelope repeats the optimizer's step count and size (where its snapshot has them: one of
    // another library may not), and holds no state of its own.
    checkMirroredStepCount(fields, inner);
    const givenSize = own(fields, "size");
    if (size !== undefined ? givenSize !== size : !(givenSize === null || (Number.isSafeInteger(givenSize) && (givenSize as number) >= 0))) {
      throw new InvalidSnapshotError("snapshot.size", givenSize, size !== undefined ? `${String(size)}, the optimizer's (snapshot.options.optimizer.size)` : "null or a whole number");
    }
    const buffers = own(fields, "buffers");
    if (typeof buffers !== "object" || buffers === null || Array.isArray(buffers) || Object.keys(buffers).length > 0) throw new InvalidSnapshotError("snapshot.buffers", buffers, "{} (the optimizer's state is in snapshot.options.optimizer)");
    const box = compiled.box;
    if (box !== null && typeof size === "number") {
      for (const side of ["lower", "upper"] as const) {
        const bound = box[side];
        if (typeof bound !== "number" && bound.length !== size) {
          throw new InvalidSnapshotError(`snapshot.options.transforms[${box.index}].${side}`, bound, `one bound or ${size}, the size of the optimizer's state`);
        }
      }
    }
    this.optimizer.restore(inner);
    this.adopt(compiled, policy);
  }

  private adopt(compiled: ReturnType<typeof compile>, policy: NonFinitePolicy): void {
    this.transforms = compiled.transforms;
    this.compiled = compiled.compiled;
    this.programs = compiled.programs;
    this.numbers = compiled.numbers;
    this.box = compiled.box;
    this.lower = this.upper = new Float64Array(0); // expanded again at the next step
    this.savedTransforms = compiled.transforms.map((t) => (t.kind === "projectToBox" ? { ...t, lower: openAsNull(t.lower!), upper: openAsNull(t.upper!) } : t));
    this.policy = policy;
    this.checkTransformed = policy !== "unchecked" || this.optimizer.options.nonFinite !== "unchecked";
  }
}

/** A bound with its infinite entries as null, which JSON keeps (checkTransform reads null back as the open side). */
function openAsNull(bound: NonNullable<ProjectToBox["lower"]>): number | null | (number | null)[] {
  const open = (x: number | null) => (x === null || Number.isFinite(x) ? x : null);
  return typeof bound === "number" ? open(bound) : Array.from(bound, open);
}

/**
 * Builds a {@link Chain}: the transforms, then the optimizer.
 *
 * @example
 * ```ts
 * const opt = chain([{ kind: "clipByValue", limit: 1 }, { kind: "addWeightDecay", weightDecay: 1e-4 }], new SGD({ lr: 0.1, momentum: 0.9 }));
 * ```
 *
 * @throws {@link InvalidOptionError} for a malformed transform or option.
 * @throws {@link ShapeMismatchError} for per-coordinate bounds of different lengths.
 */
export function chain(transforms: readonly Transform[], optimizer: Optimizer, options?: Partial<ChainOptions>): Chain {
  return new Chain(transforms, optimizer, options);
}

disposeWithUsing(Chain);
