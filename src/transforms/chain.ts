import { InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { addScaledKernel, clipByValueKernel, globalNormKernel, scaleKernel } from "../kernels/transforms.js";
import { type NonFinitePolicy, nonFiniteRule, resolveOptions } from "../options.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { OptimizerBase } from "../optimizers/optimizer-base.js";
import { compileSchedule, evaluateProgram } from "../schedules/evaluate-schedule.js";
import type { Schedule } from "../schedules/schedule.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";
import { checkTransform, type Transform } from "./transform.js";

/**
 * Options of {@link Chain}.
 *
 * @example
 * ```ts
 * const opt = chain([{ kind: "clipByValue", limit: 5 }], new SGD({ lr: 0.1 }), { nonFinite: "throw" } satisfies ChainOptions);
 * ```
 */
export interface ChainOptions {
  /** What `step` does with a gradient holding NaN or ±Infinity: see {@link CommonOptions.nonFinite}. Default "throw". */
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
// maxNorm, λ), `work` a number computed each step (a norm, a decay factor; −1 when unused).
// clipByGlobalNorm keeps its eps at work − 1.
interface Compiled {
  readonly kind: Transform["kind"];
  readonly slot: number;
  readonly work: number;
  readonly scaleByLr: boolean;
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
        return { kind: t.kind, slot, work: number(0), scaleByLr: false };
      }
      case "addWeightDecay":
        return { kind: t.kind, slot: number(t.weightDecay), work: -1, scaleByLr: false };
      case "decoupledWeightDecay":
        return { kind: t.kind, slot: number(t.weightDecay), work: number(0), scaleByLr: t.scaleByLr ?? false };
    }
  });
  if (compiled.filter((c) => c.kind === "decoupledWeightDecay").length > 1) {
    throw new InvalidOptionError("transforms", transforms, "at most one decoupledWeightDecay");
  }
  if (compiled.some((c) => c.scaleByLr) && !(optimizer instanceof OptimizerBase)) {
    throw new InvalidOptionError("optimizer", optimizer, "a gradstep optimizer, whose learning rate scaleByLr reads");
  }
  return { transforms: Object.freeze([...transforms]), compiled, programs, numbers: Float64Array.from(values) };
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
 * ```
 *
 * Everything is checked before anything is written (lengths, a finite gradient, a finite result of
 * the transforms), so a failing step changes nothing. The chain allocates its copy of the gradient
 * once; steps allocate nothing. Snapshots hold the transforms and the optimizer's snapshot, and
 * restore bit-identically.
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
  private policy: NonFinitePolicy = "throw";
  private checkTransformed = true;
  private scratch = new Float64Array(0);

  /**
   * @param transforms the transforms, applied in order (each checked now: an impossible one throws).
   * @param optimizer the optimizer that takes each step.
   * @param options see {@link ChainOptions}.
   */
  constructor(transforms: readonly Transform[], optimizer: Optimizer, options?: Partial<ChainOptions>) {
    if (!Array.isArray(transforms)) throw new InvalidOptionError("transforms", transforms, "an array of transforms");
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") {
      throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    }
    this.optimizer = optimizer;
    const checked = transforms.map((t, i) => checkTransform(t, `transforms[${i}]`));
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
    return this.optimizer.valueAt(name, t);
  }

  /** The transforms, then the optimizer's step; see the class description. */
  step(params: Float64Array, grad: Float64Array): void {
    if (!(params instanceof Float64Array)) throw new ShapeMismatchError("params", params, "a Float64Array");
    if (!(grad instanceof Float64Array)) throw new ShapeMismatchError("grad", grad, "a Float64Array");
    if (grad.length !== params.length) throw new ShapeMismatchError("grad", grad, `length ${params.length}, the length of params`);
    const size = this.optimizer.size;
    if (size !== undefined && params.length !== size) {
      throw new ShapeMismatchError("params", params, `length ${size}, the length the optimizer's state was built for`);
    }
    if (this.policy !== "unchecked") {
      const bad = firstNonFinite(grad);
      if (bad >= 0) {
        if (this.policy === "skip") return;
        throw new NonFiniteGradientError(bad, grad[bad]);
      }
    }
    if (this.scratch.length !== grad.length) this.scratch = new Float64Array(grad.length);
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
        globalNormKernel(g, numbers, c.work);
        const factor = numbers[c.slot] / (numbers[c.work] + numbers[c.work - 1]); // maxNorm / (‖g‖ + eps)
        if (factor < 1) {
          numbers[c.work] = factor;
          scaleKernel(g, numbers, c.work);
        }
      } else if (c.kind === "addWeightDecay") {
        addScaledKernel(g, params, numbers, c.slot);
      } else {
        decay = i;
      }
    }
    // The optimizer must not throw after the parameters are decayed: check what it will check.
    if (this.checkTransformed) {
      const bad = firstNonFinite(g);
      if (bad >= 0) {
        if (this.policy === "skip" || this.optimizer.options.nonFinite === "skip") return;
        throw new NonFiniteGradientError(bad, g[bad]);
      }
    }
    if (decay >= 0) {
      const c = this.compiled[decay];
      if (c.scaleByLr) (this.optimizer as OptimizerBase<never>).writeLearningRate(numbers, c.work);
      else numbers[c.work] = 1;
      numbers[c.work] = 1 - numbers[c.work] * numbers[c.slot]; // 1 − η·λ or 1 − λ
      if (!Number.isFinite(numbers[c.work])) {
        throw new InvalidOptionError("transforms", this.transforms, `a decoupled weight decay whose factor 1 − η·λ stays finite (it is ${numbers[c.work]})`);
      }
      scaleKernel(params, numbers, c.work);
    }
    this.optimizer.step(params, g);
  }

  /** The optimizer's gradient point. */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array {
    return this.optimizer.gradientPoint(params, out);
  }

  /** Resets the optimizer. */
  reset(): void {
    this.optimizer.reset();
  }

  /** The transforms and the optimizer's full snapshot (under `options.optimizer`). */
  snapshot(): OptimizerSnapshot {
    return {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: this.kind,
      options: { transforms: this.transforms, nonFinite: this.policy, optimizer: this.optimizer.snapshot() },
      stepCount: this.optimizer.stepCount,
      size: this.optimizer.size ?? null,
      buffers: {},
    };
  }

  /** Checks the transforms, then restores the optimizer (which checks its own part whole), then adopts both. */
  restore(snapshot: unknown): void {
    const options = expectField("snapshot.options", own(checkSnapshotHeader(snapshot, this.kind), "options"), "object");
    let compiled: ReturnType<typeof compile>;
    let policy: NonFinitePolicy;
    try {
      const transforms = own(options, "transforms");
      if (!Array.isArray(transforms)) throw new InvalidOptionError("transforms", transforms, "an array of transforms");
      compiled = compile(transforms.map((t, i) => checkTransform(t, `transforms[${i}]`)), this.optimizer);
      policy = nonFiniteRule.check("nonFinite", own(options, "nonFinite"));
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    this.optimizer.restore(own(options, "optimizer"));
    this.adopt(compiled, policy);
  }

  private adopt(compiled: ReturnType<typeof compile>, policy: NonFinitePolicy): void {
    this.transforms = compiled.transforms;
    this.compiled = compiled.compiled;
    this.programs = compiled.programs;
    this.numbers = compiled.numbers;
    this.policy = policy;
    this.checkTransformed = policy !== "unchecked" || this.optimizer.options.nonFinite !== "unchecked";
  }
}

/**
 * Builds a {@link Chain}: the transforms, then the optimizer.
 *
 * @example
 * ```ts
 * const opt = chain([{ kind: "clipByValue", limit: 1 }, { kind: "addWeightDecay", weightDecay: 1e-4 }], new SGD({ lr: 0.1, momentum: 0.9 }));
 * ```
 */
export function chain(transforms: readonly Transform[], optimizer: Optimizer, options?: Partial<ChainOptions>): Chain {
  return new Chain(transforms, optimizer, options);
}
