// A tree's gradient transforms, applied as a chain applies them to one vector but stage by stage
// over all the leaves: each transform goes through every leaf its mask selects before the next
// starts, so a clipByGlobalNorm takes the norm of the tree's gradient as the earlier transforms left
// it. Elementwise transforms give each leaf exactly what they give it alone, and the global norm is
// the one of the concatenation (tree-clip.ts): a tree of chains equals a chain over the
// concatenated vector, bit for bit.
import { InvalidOptionError } from "../errors.js";
import { addScaledKernel, clampKernel, clipByValueKernel, scaleKernel } from "../kernels/transforms.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { overlap } from "../memory/float64-vectors.js";
import type { OptimizerBase } from "../optimizers/optimizer-base.js";
import { compileSchedule, evaluateProgram } from "../schedules/evaluate-schedule.js";
import type { Schedule } from "../schedules/schedule.js";
import { checkTreeTransform, type TreeTransform } from "../transforms/masked.js";
import type { Transform } from "../transforms/transform.js";
import { compilePathMatch } from "./path-match.js";
import { treeClipFactor } from "./tree-clip.js";

interface Stage {
  readonly kind: Transform["kind"];
  /** Its main number's slot in the numbers (clipByGlobalNorm: maxNorm there, eps after it); −1 for a box. */
  readonly slot: number;
  readonly scaleByLr: boolean;
  /** The leaves it applies to (`null`: all). */
  readonly mask: ((path: string) => boolean) | null;
  /** A box's bounds. */
  readonly lower: number;
  readonly upper: number;
}

/** What the transforms are, whatever the tree: checked once. */
interface Compiled {
  readonly list: readonly TreeTransform[];
  readonly stages: readonly Stage[];
  readonly programs: readonly { readonly slot: number; readonly program: Float64Array }[];
  readonly numbers: Float64Array;
  /** The decoupledWeightDecay's stage, −1 without one. */
  readonly decay: number;
}

/** What the transforms need per leaf of one tree: which stages apply to which leaf, and the leaves' copies. */
interface Bound {
  /** Per stage, per leaf: 1 where the stage applies. */
  readonly applies: readonly Uint8Array[];
  /** Per stage, per leaf: the same as booleans, for the global norm (tree-clip.ts), and the number of parameters selected. */
  readonly use: readonly boolean[][];
  readonly totals: readonly number[];
  /** Each leaf's transformed gradient, where some stage writes it (else empty; a decayed leaf's is allocated when first needed, see copyAliased). */
  readonly work: Float64Array[];
  /** A box's bounds spread over each leaf it applies to. */
  readonly lower: readonly Float64Array[];
  readonly upper: readonly Float64Array[];
}

const NO_PARAMS = new Float64Array(0);

const WRITES_GRADIENT: ReadonlySet<Transform["kind"]> = new Set(["clipByValue", "clipByGlobalNorm", "addWeightDecay"]);

/**
 * The transforms of a tree optimizer (see {@link TreeOptions.transforms}): checked when the tree is
 * built, bound to its leaves at the first step; a step transforms the gradient into copies (the
 * caller's gradient is never written), and each leaf's step takes its decay and box.
 * @internal
 */
export class TreeTransforms {
  /** The transformed gradient of the step, leaf by leaf: a leaf's copy, or its gradient where no stage wrote it. */
  readonly out: Float64Array[] = [];
  /** The decay factor 1 − η·λ (or 1 − λ) of each leaf, for the step being taken. */
  private readonly factors: Float64Array;
  /** 1 + the first leaf whose decay factor is not finite, 0 where none is (see checkDecay). */
  private badFactor = 0;
  /** Whether the step wrote leaf k's copy. */
  private readonly copied: Uint8Array;
  /** maxNorm, eps and the factor of the clipByGlobalNorm being applied (tree-clip.ts's layout). */
  private readonly clipNumbers = new Float64Array(3);
  /** The parameters decayHook scales, and at which leaf's factor. */
  private decayParams: Float64Array = NO_PARAMS;
  private decayLeaf = 0;
  private readonly decayHook = (): void => {
    scaleKernel(this.decayParams, this.factors, this.decayLeaf);
  };

  private constructor(
    private readonly compiled: Compiled,
    private readonly bound: Bound | null,
  ) {
    const n = bound === null ? 0 : bound.work.length;
    this.factors = new Float64Array(n);
    this.copied = new Uint8Array(n);
    this.out.length = n;
  }

  /**
   * Checks `list` (named `argument` in errors): transforms or masked transforms; a projectToBox last,
   * with one number per side; at most one decoupledWeightDecay. `leading` (checked) go first.
   */
  static of(list: unknown, argument: string, leading: readonly Transform[] = []): TreeTransforms {
    if (!Array.isArray(list)) throw new InvalidOptionError(argument, list, "an array of transforms (masked ones too)");
    const checked = [...leading, ...list.map((t, i) => checkTreeTransform(t, `${argument}[${i}]`))];
    const name = (i: number) => `${argument}[${i - leading.length}]`;
    const values: number[] = [];
    const programs: { slot: number; program: Float64Array }[] = [];
    const number = (value: number | Schedule): number => {
      values.push(typeof value === "number" ? value : 0);
      if (typeof value !== "number") programs.push({ slot: values.length - 1, program: compileSchedule(value) });
      return values.length - 1;
    };
    const stages = checked.map((given, i): Stage => {
      const t = given.kind === "masked" ? given.transform : given;
      const mask = given.kind === "masked" ? compilePathMatch(given.mask, `${name(i)}.mask`) : null;
      const stage = { kind: t.kind, slot: -1, scaleByLr: false, mask, lower: -Infinity, upper: Infinity };
      switch (t.kind) {
        case "clipByValue":
          return { ...stage, slot: number(t.limit) };
        case "clipByGlobalNorm": {
          const slot = number(t.maxNorm);
          number(t.eps ?? 0);
          return { ...stage, slot };
        }
        case "addWeightDecay":
          return { ...stage, slot: number(t.weightDecay) };
        case "decoupledWeightDecay":
          return { ...stage, slot: number(t.weightDecay), scaleByLr: t.scaleByLr ?? false };
        case "projectToBox": {
          if (i !== checked.length - 1) throw new InvalidOptionError(name(i), given, "projectToBox as the last transform (it projects the parameters after the optimizer's step)");
          for (const side of ["lower", "upper"] as const) {
            if (typeof t[side] !== "number") throw new InvalidOptionError(`${name(i)}${given.kind === "masked" ? ".transform" : ""}.${side}`, t[side], "one number for every coordinate of a tree (masked boxes give leaves their own)");
          }
          return { ...stage, lower: t.lower as number, upper: t.upper as number };
        }
      }
    });
    if (stages.filter((s) => s.kind === "decoupledWeightDecay").length > 1) throw new InvalidOptionError(argument, list, "at most one decoupledWeightDecay");
    const decay = stages.findIndex((s) => s.kind === "decoupledWeightDecay");
    return new TreeTransforms({ list: Object.freeze(checked), stages, programs, numbers: Float64Array.from(values), decay }, null);
  }

  /** The transforms, checked. */
  get list(): readonly TreeTransform[] {
    return this.compiled.list;
  }

  /** Whether there are none. */
  get empty(): boolean {
    return this.compiled.stages.length === 0;
  }

  /** The same transforms for a tree's leaves (`active[k]`: not frozen), with their copies allocated (nothing else changes if that fails). */
  bind(paths: readonly string[], sizes: readonly number[], active: readonly boolean[]): TreeTransforms {
    const stages = this.compiled.stages;
    const applies = stages.map((s) => Uint8Array.from(paths, (path, k) => (active[k] && (s.mask === null || s.mask(path)) ? 1 : 0)));
    const writes = (k: number) => stages.some((s, i) => applies[i][k] === 1 && WRITES_GRADIENT.has(s.kind));
    const box = stages.findIndex((s) => s.kind === "projectToBox");
    const spread = (k: number, bound: number) => (box >= 0 && applies[box][k] === 1 ? allocateFloat64(sizes[k], "params").fill(bound) : new Float64Array(0));
    return new TreeTransforms(this.compiled, {
      applies,
      use: applies.map((a) => Array.from(a, (x) => x === 1)),
      totals: applies.map((a) => a.reduce((sum, x, k) => sum + x * sizes[k], 0)),
      work: paths.map((_, k) => (writes(k) ? allocateFloat64(sizes[k], "params") : new Float64Array(0))),
      lower: paths.map((_, k) => spread(k, box >= 0 ? stages[box].lower : 0)),
      upper: paths.map((_, k) => spread(k, box >= 0 ? stages[box].upper : 0)),
    });
  }

  /** Whether the step wrote leaf k's transformed gradient (it is then its copy in {@link TreeTransforms.out}). */
  wrote(k: number): boolean {
    return this.copied[k] === 1;
  }

  /**
   * The gradient transforms of step count t over the leaves (`params`, `grads`: the tree's, checked),
   * into {@link TreeTransforms.out}; then each decayed leaf's factor 1 − η·λ (or 1 − λ, with its
   * optimizer's learning rate for the step), a factor that is not finite left for
   * {@link TreeTransforms.checkDecay} to refuse after the transformed gradient's check, as a chain
   * does. A decayed leaf whose gradient is its parameters' memory (params === grad) steps on a copy
   * of it, as a chain's step does: the decay must not scale the gradient the rule reads. Writes only
   * the copies.
   */
  transform(params: readonly Float64Array[], grads: readonly Float64Array[], t: number, leaves: readonly (OptimizerBase<any> | null)[]): void {
    const { stages, programs, numbers } = this.compiled;
    const { applies, use, totals, work } = this.bound!;
    for (let i = 0; i < programs.length; i++) evaluateProgram(programs[i].program, t, numbers, programs[i].slot);
    for (let k = 0; k < grads.length; k++) {
      this.out[k] = grads[k];
      this.copied[k] = 0;
    }
    this.badFactor = 0;
    for (let i = 0; i < stages.length; i++) {
      const stage = stages[i];
      const on = applies[i];
      if (stage.kind === "clipByGlobalNorm") {
        const c = this.clipNumbers;
        c[0] = numbers[stage.slot];
        c[1] = numbers[stage.slot + 1];
        treeClipFactor(this.out, use[i], totals[i], c);
        if (!(c[2] < 1)) continue;
        for (let k = 0; k < on.length; k++) {
          if (on[k] === 0) continue;
          const from = this.out[k];
          const to = work[k];
          for (let j = 0; j < from.length; j++) to[j] = from[j] * c[2];
          this.take(k, to);
        }
      } else if (stage.kind === "clipByValue" || stage.kind === "addWeightDecay") {
        for (let k = 0; k < on.length; k++) {
          if (on[k] === 0) continue;
          if (this.copied[k] === 0) work[k].set(grads[k]);
          this.take(k, work[k]);
          if (stage.kind === "clipByValue") clipByValueKernel(work[k], numbers, stage.slot);
          else addScaledKernel(work[k], params[k], numbers, stage.slot);
        }
      } else if (stage.kind === "decoupledWeightDecay") {
        for (let k = 0; k < on.length; k++) {
          if (on[k] === 0) continue;
          // 1 − η·λ or 1 − λ, with η of the step about to be taken
          // (η written into factors[k] by the leaf: a double returned from a call would be boxed)
          if (stage.scaleByLr) leaves[k]!.learningRateInto(this.factors, k);
          else this.factors[k] = 1;
          this.factors[k] = 1 - this.factors[k] * numbers[stage.slot];
          if (!Number.isFinite(this.factors[k]) && this.badFactor === 0) this.badFactor = k + 1;
        }
      }
    }
    if (this.compiled.decay >= 0) this.copyAliased(params, grads, applies[this.compiled.decay]);
  }

  /** Throws where {@link TreeTransforms.transform} found a decay factor that is not finite. */
  checkDecay(): void {
    if (this.badFactor === 0) return;
    const factor = this.factors[this.badFactor - 1];
    throw new InvalidOptionError("transforms", this.compiled.list, `a decoupled weight decay whose factor 1 − η·λ stays finite (it is ${factor})`);
  }

  /** A copy of each decayed leaf's gradient that is its parameters' memory (see transform). */
  private copyAliased(params: readonly Float64Array[], grads: readonly Float64Array[], on: Uint8Array): void {
    const work = this.bound!.work;
    for (let k = 0; k < on.length; k++) {
      if (on[k] === 0 || this.copied[k] === 1 || overlap(params[k], grads[k]) === "none") continue;
      if (work[k].length !== grads[k].length) work[k] = allocateFloat64(grads[k].length, "params"); // once, kept for later steps
      work[k].set(grads[k]);
      this.take(k, work[k]);
    }
  }

  private take(k: number, copy: Float64Array): void {
    this.out[k] = copy;
    this.copied[k] = 1;
  }

  /** Leaf k's step on its transformed gradient, with its decay (inside the step, after its checks) and its box (after). */
  stepLeaf(k: number, leaf: OptimizerBase<any>, params: Float64Array): void {
    const { decay } = this.compiled;
    const { applies, lower, upper } = this.bound!;
    if (decay >= 0 && applies[decay][k] === 1) {
      this.decayParams = params;
      this.decayLeaf = k;
      try {
        leaf.stepThen(params, this.out[k], this.decayHook);
      } finally {
        this.decayParams = NO_PARAMS; // no reference to the caller's vector between steps
      }
    } else {
      leaf.step(params, this.out[k]);
    }
    if (lower[k].length > 0) clampKernel(params, lower[k], upper[k]);
  }
}
