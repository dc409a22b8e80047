import { DisposedError, GradstepError, InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import { byteOffsetOfVector, checkHeld, memoryOf, overlap, plainFloat64, type VectorMemory } from "../memory/float64-vectors.js";
import { considerThreads, currentRuntime } from "../backends/backend.js";
import { PLAN_SLOTS, WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import { rangesHaveNonFinite } from "../backends/wasm/ranges-non-finite.js";
import type { NonFinitePolicy } from "../options.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { OptimizerBase } from "../optimizers/optimizer-base.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import type { Schedule } from "../schedules/schedule.js";
import { own } from "../snapshot/snapshot-fields.js";
import { Chain } from "../transforms/chain.js";
import type { TreeTransform } from "../transforms/masked.js";
import { checkTransform, type ClipByGlobalNorm } from "../transforms/transform.js";
import type { ParamTree } from "./param-tree.js";
import { compilePathMatch, type PathMatch } from "./path-match.js";
import { type CompiledGroup, compileGroup, type LeafConstructor, type LeafOptimizer, leafOptions } from "./tree-groups.js";
import { TreeLayout } from "./tree-layout.js";
import { LeafOverlap } from "./leaf-overlap.js";
import { packLeafState } from "./pack-leaf-state.js";
import { SharedStepNumbers } from "./shared-step-numbers.js";
import { StagedGradients } from "./staged-gradients.js";
import { TreeTransforms } from "./tree-transforms.js";
import { decodeTreeSnapshot, type TreeLeafSnapshot, type TreeSnapshot } from "./tree-snapshot.js";

/**
 * Options for the leaves a group's `match` selects: any option of the optimizer (a number, a
 * {@link Schedule}, a switch), in place of the optimizer's own value for those leaves.
 *
 * @example
 * ```ts
 * const noDecayOnBiases: TreeGroup = { match: (path) => path.endsWith("bias"), weightDecay: 0 };
 * const slowEncoder: TreeGroup = { match: "encoder/**", lr: 1e-4 };
 * ```
 */
export interface TreeGroup {
  /** The leaves the group applies to. */
  readonly match: PathMatch;
  /** The options, by name, as the optimizer's constructor takes them. */
  readonly [option: string]: unknown;
}

/**
 * Options of {@link TreeOptimizer}.
 *
 * @example
 * ```ts
 * const options: Partial<TreeOptions> = {
 *   groups: [{ match: (path) => path.endsWith("bias"), weightDecay: 0 }],
 *   freeze: "embedding",
 *   clipByGlobalNorm: { maxNorm: 1 },
 * };
 * ```
 */
export interface TreeOptions {
  /**
   * Per-leaf options. A leaf takes the optimizer's options, then those of every group that
   * matches it, in order (a later group's value wins).
   * @defaultValue `[]`
   */
  readonly groups: readonly TreeGroup[];
  /** Leaves that never move: not stepped, no state, their gradients neither checked nor clipped. @defaultValue `null` */
  readonly freeze: PathMatch | null;
  /**
   * Clips the gradient of the whole tree (the leaves that are not frozen) to a global norm, before
   * any leaf steps: g ← g·c / (‖g‖₂ + ε) where that factor is < 1, with ‖g‖₂ the norm of all the
   * leaves together — bit for bit what `chain([{ kind: "clipByGlobalNorm", … }], …)` does to their
   * concatenation.
   * @defaultValue `null` (no clipping)
   */
  readonly clipByGlobalNorm: Omit<ClipByGlobalNorm, "kind"> | null;
  /**
   * Transforms of the tree's gradient before the leaves step (after `clipByGlobalNorm`), as a
   * {@link Chain} applies them to one vector, each over the whole tree: a `clipByGlobalNorm` takes
   * the norm of all the leaves it applies to, a `projectToBox` (last, one number per side) clamps
   * every leaf after its step. {@link masked} transforms apply to the leaves their mask selects
   * (decay on the weights, not the biases). Passing a chain as the optimizer gives its transforms
   * here. Default: none.
   */
  readonly transforms: readonly TreeTransform[];
  /**
   * The tree's leaves declared up front, as a tree of shapes (a leaf: its length, or its dimensions):
   * then `step` also takes flat vectors, each leaf a view of its range (in the order of the
   * declaration), so that the tree optimizer works wherever an {@link Optimizer} does (`minimize`,
   * checkpoints).
   * @defaultValue `null` (the first tree stepped fixes the leaves)
   */
  readonly layout: TreeShapes | null;
}

/**
 * The shapes of a {@link ParamTree}'s leaves: the same nesting, each leaf its length or its
 * dimensions (row-major).
 *
 * @example
 * ```ts
 * const shapes: TreeShapes = { hidden: { weight: [16, 64], bias: 16 }, output: { weight: [10, 16], bias: 10 } };
 * ```
 */
export interface TreeShapes {
  readonly [name: string]: number | readonly number[] | TreeShapes;
}

/**
 * One of gradstep's optimizers over a {@link ParamTree}: every leaf is stepped as a vector of its own
 * (so elementwise rules give exactly what they give on the concatenation), with the options of the
 * groups that match its path; frozen leaves do not move. Bit for bit, a tree step equals stepping
 * each leaf alone with an optimizer built from its options.
 *
 * ```text
 * for each leaf ℓ (path p, not frozen):   θ_ℓ ← rule(θ_ℓ, g_ℓ; options ⊕ groups matching p)
 * clipByGlobalNorm:  g ← g·c / (‖g‖₂ + ε) first, where that is < 1, ‖g‖₂ over all those leaves together
 * transforms:        each in turn over every leaf it applies to (a masked one: the leaves its mask selects)
 * ```
 *
 * Transforms (the `transforms` option, or a {@link Chain} given as the optimizer) act on the tree as
 * a chain acts on one vector: `tree(chain(T, rule))` steps a tree exactly as `chain(T, rule)` steps
 * the concatenation of its leaves, a global norm included. {@link masked} ones act on some leaves.
 *
 * All or nothing: the tree is checked whole before any leaf moves (paths, lengths, the gradient's
 * finiteness under the optimizer's `nonFinite` policy (a chain's, if one was given), the transformed
 * gradient's, each leaf's step limit, derived numbers, decay factor and state), so an error names
 * the leaf's path and changes nothing. User code a step, gradientPoint or restore runs (a getter of
 * the tree, a group's match, a mask) may dispose the optimizer, but a call that would step, reset,
 * restore or set it is refused with an {@link InvalidOptionError}. The first step builds the leaves'
 * state; later trees must have the same paths and lengths (`reset()` to start over). Nothing is
 * allocated per step. One snapshot holds every leaf, keyed by path.
 *
 * Rules that reduce over the whole vector (`NormalizedGradient` with `norm: "global"`) are refused:
 * on a tree they would normalise leaf by leaf. `LAMB`'s trust ratio is per leaf on purpose (one per
 * layer, as its paper intends), and a rule with a static `optionsForShape` gets each shaped leaf's
 * options from its shape (`Adafactor` factors the second moment of a `{ data, shape: [rows, cols] }`
 * leaf); a group's options still win.
 *
 * @example
 * ```ts
 * import { Adam, tree } from "gradstep";
 *
 * const params = { hidden: { weight: new Float64Array(12), bias: new Float64Array(4) }, out: { weight: new Float64Array(4), bias: new Float64Array(1) } };
 * const grads = { hidden: { weight: new Float64Array(12), bias: new Float64Array(4) }, out: { weight: new Float64Array(4), bias: new Float64Array(1) } };
 * const opt = tree(new Adam({ lr: 1e-3, weightDecay: 1e-2, weightDecayMode: "decoupled" }), {
 *   groups: [{ match: (path) => path.endsWith("bias"), weightDecay: 0 }],
 *   clipByGlobalNorm: { maxNorm: 1 },
 * });
 * // … fill grads …
 * opt.step(params, grads);
 * ```
 */
export class TreeOptimizer implements Optimizer {
  /** Always `"Tree"`, as in its snapshots. */
  readonly kind = "Tree";
  /** The rule every leaf steps with (`"Adam"`). */
  readonly rule: string;
  private readonly create: LeafConstructor;
  private base: Readonly<Record<string, unknown>>;
  private policy: NonFinitePolicy;
  private groups: readonly CompiledGroup[];
  private readonly frozen: (path: string) => boolean;
  /** The chain's policy for the raw gradient, where the optimizer given was a chain (else the optimizer's own is). */
  private readonly chainPolicy: NonFinitePolicy | null;
  /** The gradient transforms (the clipByGlobalNorm option's first), bound to the leaves once they are known. */
  private readonly transforms: TreeTransforms;
  private bound: TreeTransforms | null = null;
  private readonly treeSettings: Readonly<TreeOptions>;
  private layout: TreeLayout | undefined;
  /** The layout declared by the `layout` option, if any. */
  private readonly declared: TreeLayout | undefined;
  /**
   * The leaf views of each flat vector stepped, made once for it: a caller cycling through several
   * gradient buffers would otherwise allocate a view per leaf at every step.
   */
  private flatViews = new WeakMap<Float64Array, Float64Array[]>();
  /** An optimizer with the base options, never stepped: what {@link TreeOptimizer.valueAt} reads without a path. */
  private baseline: LeafOptimizer;
  /**
   * Each leaf's optimizer, `null` where frozen. Read through {@link TreeOptimizer.leaves}, which counts
   * the steps a shared step left uncounted; directly only where no leaf's count is read.
   */
  private leafList: (LeafOptimizer | null)[] = [];
  /** The steps that read one leaf's objects per set of leaves with equal options, while valid (see SharedStepNumbers). */
  private shared: SharedStepNumbers | undefined;
  /** The step's leaves, read into these (allocated with the layout). */
  private params: Float64Array[] = [];
  private grads: Float64Array[] = [];
  private outs: Float64Array[] = [];
  /** Each leaf's vectors when last checked, and their memory's release count then (see stillChecked). */
  private lastParams: (Float64Array | undefined)[] = [];
  private lastGrads: (Float64Array | undefined)[] = [];
  private heldAt = new Float64Array(0);
  /** The memories of those vectors, and the gradient's Wasm runtime and byte address if it is Wasm memory (−1 else): fixed for a vector. */
  private paramsMemory: (VectorMemory | undefined)[] = [];
  private gradRuntime: (WasmRuntime | undefined)[] = [];
  private gradAt = new Float64Array(0);
  /** The params leaf's byte address where it is Wasm memory (−1 else). */
  private paramsAt = new Float64Array(0);
  /** The flat vectors of the last step, and their memory's release count then (see sameFlatVectors). */
  private flatParams: Float64Array | undefined;
  private flatGrad: Float64Array | undefined;
  private flatReleases = -1;
  /** Whether the leaves' state may not be laid end to end yet (see packLeafState): set when leaves are adopted. */
  private unpacked = true;
  /** The leaves' planned steps (see stepLeaves), and which leaves this step planned. */
  private plan = new Float64Array(0);
  private planned = new Uint8Array(0);
  /** The Wasm leaves' addresses and lengths, gathered for {@link TreeOptimizer.anyNonFinite}. */
  private rangeAt = new Float64Array(0);
  private rangeLength = new Int32Array(0);
  /** The same for {@link TreeOptimizer.gradientPoint}'s params and out leaves (see pointStillChecked). */
  private lastPointParams: (Float64Array | undefined)[] = [];
  private lastOuts: (Float64Array | undefined)[] = [];
  private pointHeldAt = new Float64Array(0);
  /** The gradient leaves outside Wasm memory, copied into it to be checked and stepped (staged-gradients.ts). */
  private staging = new StagedGradients();
  /** The check across leaves (leaf-overlap.ts), and which leaves move. */
  private overlap = new LeafOverlap();
  private use: boolean[] = [];
  /** Which leaves {@link TreeOptimizer.gradientPoint} wrote a look-ahead point for. */
  private wroteOut = new Uint8Array(0);
  private paramsNames: string[] = [];
  private gradNames: string[] = [];
  private steps = 0;
  /** Whether the leaves' order is a snapshot's, restored into an optimizer that knew no tree: the next tree's order replaces it. */
  private snapshotOrder = false;
  private disposed = false;
  /** Whether a step, gradientPoint or restore is running (see {@link TreeOptimizer.enter}). */
  private busy = false;
  /** {@link TreeOptimizer.dispose}, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;

  /**
   * @param optimizer the rule and its options for every leaf (it takes no steps itself, and stays
   *   yours to use or dispose); or a {@link Chain} of such an optimizer, whose transforms then act on
   *   the whole tree (as the `transforms` option) and whose `nonFinite` checks its gradient.
   * @param options groups, frozen leaves, transforms, tree-wide clipping: see {@link TreeOptions}.
   */
  constructor(optimizer: OptimizerBase<any> | Chain, options?: Partial<TreeOptions>) {
    const template = optimizer instanceof Chain ? optimizer.optimizer : optimizer;
    if (!(template instanceof OptimizerBase)) {
      const argument = optimizer instanceof Chain ? "optimizer.optimizer" : "optimizer";
      throw new InvalidOptionError(argument, template, "one of gradstep's optimizers (an OptimizerBase: Adam, SGD, …), or a chain of one");
    }
    this.rule = template.kind;
    this.create = template.constructor as LeafConstructor;
    this.base = template.options;
    const given = checkTreeOptions(options);
    if (optimizer instanceof Chain && given.transforms.length > 0) throw new InvalidOptionError("transforms", given.transforms, "none here: the chain given as the optimizer has the transforms");
    this.chainPolicy = optimizer instanceof Chain ? optimizer.options.nonFinite : null;
    this.policy = this.chainPolicy ?? (this.base.nonFinite as NonFinitePolicy);
    this.groups = given.groups.map((group, i) => compileGroup(group, i));
    this.frozen = given.freeze === null ? () => false : compilePathMatch(given.freeze, "freeze");
    const clip = given.clipByGlobalNorm === null ? null : (checkTransform({ kind: "clipByGlobalNorm", ...given.clipByGlobalNorm }, "clipByGlobalNorm") as ClipByGlobalNorm);
    const transforms = optimizer instanceof Chain ? optimizer.options.transforms : given.transforms;
    // the clipByGlobalNorm option is a first stage before the transforms
    this.transforms = TreeTransforms.of(transforms, optimizer instanceof Chain ? "optimizer.transforms" : "transforms", clip === null ? [] : [clip]);
    // (the checked copies, not the objects given: those may change later, or answer differently on a second read)
    const checkedTransforms = Object.freeze(this.transforms.list.slice(clip === null ? 0 : 1));
    this.treeSettings = Object.freeze({ ...given, transforms: checkedTransforms, clipByGlobalNorm: clip === null ? null : { maxNorm: clip.maxNorm, eps: clip.eps } });
    this.baseline = this.probe({}, "optimizer", true);
    for (let i = 0; i < this.groups.length; i++) this.probe(this.groups[i].options, `groups[${i}]`);
    this.declared = given.layout === null ? undefined : TreeLayout.ofShapes(given.layout, "layout");
  }

  /**
   * Each leaf's optimizer, `null` where frozen, as if each had stepped alone: the steps a shared step
   * did not count in a leaf are counted first. Reading leaves keeps the shared steps on (a snapshot,
   * valueAt or gradientPoint between steps); whatever changes them stops them (see stopSharing).
   */
  private get leaves(): (LeafOptimizer | null)[] {
    this.shared?.catchUp();
    return this.leafList;
  }

  private set leaves(leaves: (LeafOptimizer | null)[]) {
    this.stopSharing(); // (the leaves replaced, as they stepped)
    this.leafList = leaves;
  }

  /**
   * Before anything changes a leaf's options, state or step, or replaces the leaves: the leaves caught
   * up, and no shared step until a step of the tree's own starts them again.
   */
  private stopSharing(): void {
    this.shared?.catchUp();
    this.shared = undefined;
  }

  /** The optimizer's options before the groups' (every default filled in). */
  get options(): Readonly<Record<string, unknown>> {
    return this.base;
  }

  /** The groups, frozen leaves and clipping, as given (checked). */
  get settings(): Readonly<TreeOptions> {
    return this.treeSettings;
  }

  /** Tree steps taken so far (every leaf that is not frozen has taken as many). */
  get stepCount(): number {
    return this.steps;
  }

  /** The leaves' paths, in the tree's order; `undefined` before the first step (or restore). */
  get paths(): readonly string[] | undefined {
    return this.layout?.paths;
  }

  /** The number of parameters in the tree (frozen leaves included); `undefined` before the first step. */
  get size(): number | undefined {
    return this.layout?.total;
  }

  /** Whether the leaf at `path` is frozen: its gradient is never read. @internal */
  isFrozen(path: string): boolean {
    return this.frozen(path);
  }

  /**
   * The options a leaf steps with: the optimizer's, then its groups'. `undefined` for a frozen leaf.
   * @param path a leaf's path, e.g. `"hidden/bias"`.
   */
  leafOptions(path: string): Readonly<Record<string, unknown>> | undefined {
    this.assertLive();
    if (this.frozen(path)) return undefined;
    const k = this.layout?.paths.indexOf(path) ?? -1;
    const { nonFinite, ...rest } = this.optionsFor(path, k < 0 ? undefined : this.layout!.shapes[k]);
    return { ...rest, nonFinite: this.policy };
  }

  /**
   * One step of every leaf that is not frozen, in place: see the class description.
   * @param params θ, a tree (or, with the `layout` option, a flat vector of all the leaves); each
   *   leaf overwritten with its next value.
   * @param grad the gradient: a tree with the same paths and lengths (or a flat vector as `params`).
   */
  step(params: ParamTree | Float64Array, grad: ParamTree | Float64Array): void {
    this.enter();
    this.busy = true;
    const building = this.layout === undefined;
    let reordered: Reordered | undefined;
    try {
      if (!building && !this.snapshotOrder && this.sameFlatVectors(params, grad)) {
        this.checkAndStep(this.params, this.grads, true);
        return;
      }
      this.flatParams = undefined;
      if (building) this.build(params);
      else if (this.snapshotOrder) reordered = this.takeTreeOrder(params);
      this.readLeaves(params, "params", this.params);
      this.readLeaves(grad, "grad", this.grads);
      // User code ran meanwhile (a group's or freeze's function, a getter in the trees): it may have
      // disposed this optimizer, or resized a leaf read before it.
      this.assertLive();
      this.layout!.checkLengths(this.params, "params");
      this.layout!.checkLengths(this.grads, "grad");
      this.checkAndStep(this.params, this.grads, false);
      this.rememberFlat(params, grad);
    } catch (error) {
      if (building) this.forget(); // a failed first step keeps nothing
      else if (reordered !== undefined) {
        // nor the order it took from the tree (a snapshot lists the leaves in their order)
        this.adopt(reordered.layout, reordered.leaves, reordered.bound);
        this.snapshotOrder = true;
      }
      throw error;
    } finally {
      this.busy = false;
    }
  }

  /**
   * The tree at which the gradient for the next step must be evaluated: `params` itself, except
   * for look-ahead rules (`Nesterov`), whose look-ahead point is written into `out` (frozen leaves
   * copied) and returned. Before the first step it is `params`. Every leaf is checked before any
   * is written: an out leaf that shares memory with a leaf of `params` or another leaf of `out` is
   * refused with a {@link ShapeMismatchError} naming `out/<path>`.
   */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array;
  gradientPoint(params: ParamTree, out: ParamTree): ParamTree;
  gradientPoint(params: ParamTree | Float64Array, out: ParamTree | Float64Array): ParamTree | Float64Array {
    this.enter();
    if (this.layout === undefined) return params;
    this.busy = true;
    try {
      return this.lookAhead(params, out);
    } finally {
      this.busy = false;
    }
  }

  /** {@link TreeOptimizer.gradientPoint} once the tree is known. */
  private lookAhead(params: ParamTree | Float64Array, out: ParamTree | Float64Array): ParamTree | Float64Array {
    this.flatParams = undefined; // (its params' views replace the last step's)
    this.readLeaves(params, "params", this.params);
    this.readLeaves(out, "out", this.outs);
    this.assertLive(); // (a getter of the trees may have disposed this optimizer, or resized a leaf read before it)
    this.layout!.checkLengths(this.params, "params");
    this.layout!.checkLengths(this.outs, "out");
    // All the leaves' checks before any leaf writes (all or nothing), and across leaves: an out leaf
    // sharing memory with another leaf would change what a later leaf reads, or what is returned.
    if (!this.pointStillChecked()) this.checkPoint();
    let wrote = false;
    const leaves = this.leaves;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      const at = leaf === null ? this.params[k] : leaf.gradientPoint(this.params[k], this.outs[k]);
      this.wroteOut[k] = at === this.params[k] ? 0 : 1;
      if (at !== this.params[k]) wrote = true;
    }
    if (!wrote) return params;
    for (let k = 0; k < leaves.length; k++) if (this.wroteOut[k] === 0) this.outs[k].set(this.params[k]);
    return out;
  }

  /**
   * Changes the optimizer's options between steps for every leaf (a group's own value for an option
   * still wins for its leaves); checked for every leaf before any changes (see {@link Optimizer.set}).
   */
  set(options: Readonly<Record<string, unknown>>): void {
    this.enter();
    if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidOptionError("options", options, `an object with options of ${this.rule}`);
    this.adoptBase(this.probe(options, "options", true), this.groups);
  }

  /**
   * The options group `index` gives its leaves (without its `match`), as they are now (after
   * {@link TreeOptimizer.setGroup} or a plateau's reductions).
   *
   * @throws {@link InvalidOptionError} for an `index` that is not a group's.
   * @throws {@link DisposedError} after `dispose()`.
   */
  groupOptions(index: number): Readonly<Record<string, unknown>> {
    this.assertLive();
    return this.groupAt(index).options;
  }

  /**
   * Changes group `index`'s options (merged into its own) from the next step on, e.g. a lower rate
   * for one layer; checked for every leaf before any changes. Snapshots record the groups' options.
   *
   * @throws {@link InvalidOptionError} for an `index` that is not a group's, or options a leaf refuses (nothing changes).
   * @throws {@link DisposedError} after `dispose()`.
   */
  setGroup(index: number, options: Readonly<Record<string, unknown>>): void {
    this.enter();
    const group = this.groupAt(index);
    if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidOptionError("options", options, `an object with options of ${this.rule}`);
    const merged = compileGroup({ match: "*", ...group.options, ...options }, index).options;
    this.probe(merged, `groups[${index}]`);
    this.adoptGroups(this.base, this.groups.map((g, i) => (i === index ? { match: g.match, options: merged } : g)));
  }

  /**
   * ReduceLROnPlateau on a tree, as PyTorch reduces each parameter group's rate: `reduce` applied to
   * the optimizer's `lr` and to each group's own, all changed at once (or none). Returns whether any
   * changed.
   * @internal
   */
  reduceLearningRates(reduce: (lr: number) => number): boolean {
    this.enter();
    const base = { ...this.base };
    let changed = false;
    const next = reduce(base.lr as number);
    if (next !== base.lr) {
      base.lr = next;
      changed = true;
    }
    const groups = this.groups.map((g) => {
      const lr = g.options.lr;
      if (typeof lr !== "number") return g;
      const reduced = reduce(lr);
      if (reduced === lr) return g;
      changed = true;
      return { match: g.match, options: Object.freeze({ ...g.options, lr: reduced }) };
    });
    if (changed) this.adoptBase(this.probe(base, "options", true), groups);
    return changed;
  }

  private groupAt(index: number): CompiledGroup {
    if (!Number.isInteger(index) || index < 0 || index >= this.groups.length) throw new InvalidOptionError("index", index, `a group's index, from 0 to ${this.groups.length - 1}`);
    return this.groups[index];
  }

  /** Takes a new baseline (its options as the base) and groups, every leaf set, or nothing changed. */
  private adoptBase(baseline: LeafOptimizer, groups: readonly CompiledGroup[]): void {
    try {
      this.adoptGroups(baseline.options, groups);
    } catch (error) {
      baseline.dispose();
      throw error;
    }
    this.policy = this.chainPolicy ?? (baseline.options.nonFinite as NonFinitePolicy);
    this.baseline.dispose();
    this.baseline = baseline;
  }

  /** Sets the base options and the groups, and every leaf's options from them; on a refusal, everything back as it was. */
  private adoptGroups(base: Readonly<Record<string, unknown>>, groups: readonly CompiledGroup[]): void {
    this.stopSharing(); // (options change: the sets of leaves with equal options may too)
    const leaves = this.leafList;
    const paths = this.layout?.paths ?? [];
    // Every leaf's new options first: the groups' matchers are user code, which may throw (nothing
    // has changed then) or call back (refused while busy, but for dispose).
    const next: (Record<string, unknown> | undefined)[] = [];
    this.busy = true;
    try {
      for (let k = 0; k < leaves.length; k++) next.push(leaves[k] === null ? undefined : leafOptions(this.create, base, groups, paths[k], this.layout!.shapes[k]));
    } finally {
      this.busy = false;
    }
    this.assertLive();
    const before = leaves.map((leaf) => leaf?.options);
    const done: number[] = [];
    try {
      for (let k = 0; k < leaves.length; k++) {
        if (leaves[k] === null) continue;
        leaves[k]!.set(next[k]!);
        done.push(k);
      }
    } catch (error) {
      for (const k of done) leaves[k]!.set(before[k]!); // back as they were: those options held
      throw error;
    }
    this.base = base;
    this.groups = groups;
  }

  /**
   * The value of a numeric hyperparameter at step count t (default: the next step): for the leaf
   * at `path` as its optimizer applies it, or without a path the optimizer's own (before the groups').
   */
  valueAt(name: string, t: number = this.steps, path?: string): number {
    this.assertLive();
    if (path === undefined) return this.baseline.valueAt(name, t);
    const k = this.layout?.paths.indexOf(path) ?? -1;
    const leaf = k < 0 ? undefined : this.leaves[k];
    if (leaf === undefined || leaf === null) {
      throw new InvalidOptionError("path", path, `the path of a leaf that is not frozen${this.layout === undefined ? " (the tree is known from the first step on)" : `: ${this.layout.paths.filter((_, i) => this.leaves[i] !== null).join(", ")}`}`);
    }
    return leaf.valueAt(name, t);
  }

  /** η at step count t (default: the next step), before the groups' values: `valueAt("lr", t)`. */
  learningRate(t: number = this.steps): number {
    return this.valueAt("lr", t);
  }

  /** Forgets the tree and all state: the next step may take another tree (unless `layout` declared it). Options stay. */
  reset(): void {
    this.enter();
    this.forget();
    this.steps = 0;
  }

  /** Every leaf's state and the tree's layout, as one JSON-serializable object: see {@link TreeSnapshot}. */
  snapshot(): TreeSnapshot {
    this.assertLive();
    const layout = this.layout;
    let leaves: Record<string, TreeLeafSnapshot> | null = null;
    if (layout !== undefined) {
      leaves = {};
      for (let k = 0; k < layout.paths.length; k++) {
        const leaf = this.leaves[k];
        // defined, not assigned: a leaf named "__proto__" must be an own field, not the object's prototype
        Object.defineProperty(leaves, layout.paths[k], { value: { size: layout.sizes[k], shape: layout.shapes[k] ?? null, optimizer: leaf === null ? null : leaf.snapshot() }, enumerable: true, writable: true, configurable: true });
      }
    }
    const groups = this.groups.map((g) => ({ ...g.options }));
    return { format: "gradstep/optimizer", version: 1, kind: "Tree", rule: this.rule, options: { ...this.base }, groups, stepCount: this.steps, size: layout?.total ?? null, buffers: {}, leaves };
  }

  /**
   * Replaces the state by a snapshot's, after which this optimizer continues bit for bit as the one
   * that took it. Checked whole first: a leaf missing, extra, resized or frozen differently, under
   * another leaf, with options other than those the tree's options and groups give it, or any leaf's
   * snapshot invalid, throws an {@link InvalidSnapshotError} naming its path, and nothing changes.
   * The next step takes the leaves in the order of the tree it is given, as the run that took the
   * snapshot had them (tree-wide clipping sums the leaves in that order).
   */
  restore(snapshot: unknown): void {
    this.enter();
    this.busy = true;
    try {
      this.restoreChecked(snapshot);
    } finally {
      this.busy = false;
    }
  }

  private restoreChecked(snapshot: unknown): void {
    const decoded = decodeTreeSnapshot(snapshot, { rule: this.rule, create: this.create, groups: this.groups, current: this.layout ?? this.declared, frozen: this.frozen, probe: (overrides, argument) => this.probe(overrides, argument, true) });
    const old = this.leaves;
    try {
      this.assertLive();
      if (decoded.layout === undefined) this.forget();
      else this.adopt(decoded.layout, decoded.leaves);
      this.assertLive(); // adopt ran the transforms' masks (user code): they may have disposed this optimizer
    } catch (error) {
      for (const leaf of decoded.leaves) leaf?.dispose();
      decoded.baseline.dispose();
      throw error;
    }
    for (const leaf of old) leaf?.dispose();
    this.baseline.dispose();
    this.baseline = decoded.baseline;
    this.base = decoded.baseline.options;
    this.groups = decoded.groups;
    this.policy = this.chainPolicy ?? (this.base.nonFinite as NonFinitePolicy);
    this.steps = decoded.stepCount;
    this.snapshotOrder = this.declared === undefined && decoded.layout !== undefined;
  }

  /** Gives every leaf's memory back (see {@link OptimizerBase.dispose}). Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    if (this.disposed) return;
    for (const leaf of this.leaves) leaf?.dispose();
    this.leaves = [];
    this.staging.release();
    this.baseline.dispose();
    this.disposed = true;
  }

  /** The leaves of a tree, or the views of a flat vector (with a declared layout), into `into`; checked. */
  private readLeaves(value: ParamTree | Float64Array, argument: string, into: Float64Array[]): void {
    const layout = this.layout!;
    if (tagOf.call(value) !== "Float64Array") {
      layout.read(value, argument, into);
      return;
    }
    if (this.declared === undefined) throw new ShapeMismatchError(argument, value, "a tree (a flat vector needs tree()'s layout option, which says where each leaf is in it)");
    const flat = plainFloat64(value, argument);
    if (flat.length !== layout.total) throw new ShapeMismatchError(argument, value, `a vector of ${layout.total} numbers, the leaves' total`);
    let views = this.flatViews.get(flat);
    if (views === undefined) {
      views = layout.views(flat);
      this.flatViews.set(flat, views);
    }
    for (let k = 0; k < into.length; k++) into[k] = views[k];
  }

  /**
   * Whether params and grad are the flat vectors of the last step (see rememberFlat), whole, with no
   * vector released since in their memory: then the views of that step are this step's, and their
   * checks (held, no overlap) hold still, as {@link TreeOptimizer.stillChecked} finds leaf by leaf.
   * A step of 100 leaves then reads none of the views' objects: at 10^6 parameters each came back
   * from memory (about 10 µs a step).
   */
  private sameFlatVectors(params: ParamTree | Float64Array, grad: ParamTree | Float64Array): boolean {
    if (params !== this.flatParams || grad !== this.flatGrad) return false;
    const total = this.layout!.total;
    // (detached by a plain memory's growth, or out of a shrunk resizable buffer: the full path names it)
    if (this.flatParams.length !== total || this.flatGrad.length !== total) return false;
    return (memoryOf(this.flatParams)?.userReleases ?? -1) === this.flatReleases;
  }

  /** After a step whose leaves were checked: remembers params and grad where they are flat vectors of one memory. */
  private rememberFlat(params: ParamTree | Float64Array, grad: ParamTree | Float64Array): void {
    if (tagOf.call(params) !== "Float64Array" || tagOf.call(grad) !== "Float64Array") return;
    const memory = memoryOf(params as Float64Array);
    if (memory !== memoryOf(grad as Float64Array)) return; // (checked again at each step, as stillChecked does)
    this.flatParams = params as Float64Array;
    this.flatGrad = grad as Float64Array;
    this.flatReleases = memory?.userReleases ?? -1;
  }

  /** Checks the step whole (the leaves were read; with `checked`, the same vectors as the last step's), then steps every leaf. */
  private checkAndStep(p: Float64Array[], g: Float64Array[], checked: boolean): void {
    // (only null or not until the step is known to be shared, which reads no follower's objects)
    const leaves = this.leafList;
    // whether every leaf's vectors are those of the last step
    let same = checked;
    if (!checked) {
      same = true;
      for (let k = 0; k < leaves.length; k++) {
        if (leaves[k] === null || this.stillChecked(k, p[k], g[k])) continue;
        // The records of the shared steps hold the last step's addresses: stop them before the check
        // of these vectors (which records them) can throw, or a step retried with the leaf that
        // failed put right would find every leaf still checked and step by the old addresses.
        if (same) this.stopSharing();
        same = false;
        checkHeld(p[k], this.paramsNames[k], p[k]);
        checkHeld(g[k], this.gradNames[k], g[k]);
        if (p[k] !== g[k] && overlap(p[k], g[k]) === "partial") throw new ShapeMismatchError(this.gradNames[k], g[k], `a vector that does not partly overlap ${this.paramsNames[k]} (the same array is allowed)`);
        this.checked(k, p[k], g[k]);
      }
      this.overlap.check(p, g, this.use, this.layout!.paths);
    }
    const bound = this.bound;
    // (the same vectors as the last step, no transforms: a shared step, if one is on; else the leaves caught up)
    const shared = same && bound === null ? this.shared : undefined;
    if (shared === undefined) this.stopSharing();
    const leafPolicy = this.base.nonFinite as NonFinitePolicy;
    // A chain that checks nothing itself still has its optimizer check the gradient it is given: without
    // transforms, that is the raw one.
    const policy = bound === null && this.policy === "unchecked" ? leafPolicy : this.policy;
    this.staging.clear();
    if (policy === "unchecked") this.staging.release();
    // (staged from the second step on: the leaves' own state, built at the first, goes into Wasm memory first where it is short)
    if (policy !== "unchecked" && this.anyNonFinite(g, bound === null && this.steps > 0)) {
      // the first leaf that holds one, for the error
      for (let k = 0; k < leaves.length; k++) {
        if (leaves[k] === null) continue;
        const bad = firstNonFinite(g[k]);
        if (bad < 0) continue;
        if (policy === "skip") return;
        throw new NonFiniteGradientError(bad, g[k][bad], this.gradNames[k]);
      }
    }
    if (bound !== null) {
      bound.transform(p, g, this.steps, leaves);
      // As a chain: the transformed gradient is checked (where the transforms wrote it) before anything moves.
      if (this.policy !== "unchecked" || leafPolicy !== "unchecked") {
        for (let k = 0; k < leaves.length; k++) {
          if (leaves[k] === null || (this.policy !== "unchecked" && !bound.wrote(k))) continue;
          const bad = firstNonFinite(bound.out[k]);
          if (bad < 0) continue;
          if (this.policy === "skip" || leafPolicy === "skip") return;
          throw new NonFiniteGradientError(bad, bound.out[k][bad], `${this.gradNames[k]} (transformed)`);
        }
      }
      bound.checkDecay(); // (after that check, as a chain: a skipped step refuses nothing)
    }
    if (shared !== undefined) {
      if (shared.step()) {
        this.steps += 1;
        return;
      }
      this.stopSharing(); // (the tree's own step follows)
    }
    // Every leaf's own checks (step limit, derived numbers, its state built) before any leaf moves.
    let built = 0;
    let fresh = this.unpacked;
    try {
      for (; built < leaves.length; built++) if (leaves[built]?.prepareStep(p[built].length) === true) fresh = true;
    } catch (error) {
      if (this.steps === 0) for (let k = 0; k < built; k++) leaves[k]?.reset(); // the state this step built goes too
      throw error;
    }
    if (fresh) {
      const rt = currentRuntime();
      // (on a shared memory only, as the staging block: a plain one's growth detaches views of it this step holds)
      if (rt !== undefined && rt.shared) packLeafState(rt, leaves);
      this.unpacked = false;
    }
    if (bound === null) {
      this.stepLeaves(p, g);
      // (the next step on these vectors may then be shared)
      if (same) this.shared = SharedStepNumbers.of(leaves, this.layout!.sizes, this.plan, this.planned, this.gradRuntime);
    } else for (let k = 0; k < leaves.length; k++) if (leaves[k] !== null) bound.stepLeaf(k, leaves[k]!, p[k]);
    this.steps += 1;
  }

  /**
   * Steps every leaf that moves (the step checked whole). A leaf whose vectors and state are in one
   * Wasm memory is planned in a first pass (counted as stepped, its kernel's addresses and numbers
   * written into its record of `plan`) while prepareStep has just read its optimizer; the second
   * pass runs the planned leaves, in order, from the plan alone: each run of them in one call of
   * WasmRuntime.runPlans, whose Wasm loop steps leaf after leaf (a frozen leaf, a record of n = 0,
   * does not break a run). A step of 1e6 parameters streams 24–32 MB through the caches: leaf by
   * leaf, each optimizer's objects came back from memory at every leaf, and each call from
   * JavaScript let the loads in flight drain (100 leaves: 9–20% over one flat vector).
   */
  private stepLeaves(p: Float64Array[], g: Float64Array[]): void {
    const leaves = this.leaves;
    const sizes = this.layout!.sizes;
    const plan = this.plan;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      const rt = this.gradRuntime[k];
      const at = k * PLAN_SLOTS;
      const planned = leaf !== null && rt !== undefined && this.paramsMemory[k] === rt && this.staging.gradient(k, g[k]) === g[k] && leaf.planStep(rt, sizes[k], plan, at);
      this.planned[k] = planned ? 1 : 0;
      plan[at + 1] = this.paramsAt[k];
      plan[at + 2] = this.gradAt[k];
      plan[at + 6] = planned ? sizes[k] : 0;
    }
    let first = 0; // the first record of the run not yet stepped (of runtime `run`)
    let run: WasmRuntime | undefined;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      if (leaf === null) continue;
      if (this.planned[k] === 1) {
        const rt = this.gradRuntime[k] as WasmRuntime;
        considerThreads(rt, sizes[k]);
        const split = rt.splits(sizes[k]);
        if (rt === run && !split) continue;
        if (run !== undefined) run.runPlans(plan, first, k - first);
        run = split ? undefined : rt;
        first = k;
        if (split) rt.runPlanned(plan, k * PLAN_SLOTS); // (its halves on two threads)
        continue;
      }
      if (run !== undefined) run.runPlans(plan, first, k - first);
      run = undefined;
      leaf.step(p[k], this.staging.gradient(k, g[k]));
    }
    if (run !== undefined) run.runPlans(plan, first, leaves.length - first);
  }

  /**
   * Whether a moving leaf's gradient holds NaN or ±Infinity. The leaves in one Wasm memory are read as
   * one vector of them all (rangesHaveNonFinite: two streams, as a long vector's check), the others
   * leaf by leaf. With `stage`, a gradient leaf outside Wasm memory that its step would copy there is
   * copied now, and checked as that copy (see StagedGradients).
   */
  private anyNonFinite(g: Float64Array[], stage: boolean): boolean {
    const leaves = this.leafList; // (not caught up: a shared step reads no leaf's objects, and this reads none of a leaf in Wasm memory)
    const sizes = this.layout!.sizes;
    const staging = this.staging;
    let stagedIn: WasmRuntime | undefined;
    let rt: WasmRuntime | undefined;
    let count = 0;
    for (let k = 0; k < leaves.length; k++) {
      if (leaves[k] === null) continue;
      let runtime = this.gradRuntime[k];
      let at = this.gradAt[k];
      const n = sizes[k]; // (the leaf's length, checked: its view's object is not read)
      if (runtime === undefined) {
        // (begun at the first such leaf: a tree whose gradients all live in Wasm memory takes no block)
        if (stage && stagedIn === undefined) {
          stagedIn = staging.begin(leaves, this.gradRuntime);
          stage = stagedIn !== undefined;
        }
        if (stagedIn === undefined || !staging.covers(k, leaves[k]!)) {
          if (firstNonFinite(g[k]) >= 0) return true;
          continue;
        }
        // checked as its copy, one more leaf of the staging runtime's memory
        runtime = stagedIn;
        at = staging.copy(k, g[k]);
      }
      if ((rt === undefined || runtime === rt) && !runtime.splits(n)) {
        rt = runtime;
        // (a leaf that starts where the last range ends extends it: the leaves of one vector are one range)
        if (count > 0 && this.rangeAt[count - 1] + 8 * this.rangeLength[count - 1] === at) this.rangeLength[count - 1] += n;
        else {
          this.rangeAt[count] = at;
          this.rangeLength[count] = n;
          count += 1;
        }
      } else if (runtime.hasNonFinite(at, n)) return true;
    }
    return rt !== undefined && rangesHaveNonFinite(rt, this.rangeAt, this.rangeLength, count);
  }

  /**
   * Whether leaf k's vectors are the very ones checked last time, with no vector released since in
   * their memory: then the checks of held memory and overlap hold still (as a leaf's own StepVectors).
   */
  private stillChecked(k: number, p: Float64Array, g: Float64Array): boolean {
    if (this.lastParams[k] !== p || this.lastGrads[k] !== g) return false;
    // (a typed array's buffer never changes, so neither does the memory found for it when checked)
    const memory = this.paramsMemory[k];
    return memory === undefined ? this.gradRuntime[k] === undefined && this.gradAt[k] < 0 : this.heldAt[k] === memory.userReleases;
  }

  private checked(k: number, p: Float64Array, g: Float64Array): void {
    const memory = memoryOf(p);
    const gradMemory = memoryOf(g);
    this.lastParams[k] = p;
    this.lastGrads[k] = g;
    // held still only where both are in the same memory, or both outside Wasm memory
    const same = memory === gradMemory;
    this.paramsMemory[k] = memory;
    this.heldAt[k] = memory?.userReleases ?? -1;
    this.gradRuntime[k] = gradMemory instanceof WasmRuntime ? gradMemory : undefined;
    this.gradAt[k] = gradMemory instanceof WasmRuntime ? byteOffsetOfVector(g) : gradMemory === undefined ? -1 : -2;
    this.paramsAt[k] = memory instanceof WasmRuntime ? byteOffsetOfVector(p) : -1;
    if (!same) {
      this.lastParams[k] = undefined; // checked again at the next step, as before
      this.lastGrads[k] = undefined;
    }
  }

  /**
   * After a restore (without a declared layout), the leaves in the order of the first tree stepped,
   * as the run that took the snapshot had them: tree-wide clipping sums the leaves in that order, so
   * a snapshot whose leaves came back in another order (a key-sorting store), or restored into an
   * optimizer that knew another order, would not continue bit for bit. A tree with other paths is
   * left to readLeaves to refuse. Returns what it replaced, for a step that fails to put back.
   */
  private takeTreeOrder(params: ParamTree | Float64Array): Reordered | undefined {
    const layout = this.layout!;
    let seen: TreeLayout;
    try {
      seen = TreeLayout.of(params, "params");
    } catch {
      return undefined; // not a tree (readLeaves names what is wrong)
    }
    const at = new Map(layout.paths.map((path, k) => [path, k]));
    const order = seen.paths.map((path) => at.get(path) ?? -1);
    if (order.length !== layout.paths.length || order.includes(-1)) return undefined;
    if (order.every((k, i) => k === i)) {
      this.snapshotOrder = false;
      return undefined;
    }
    const replaced = { layout, leaves: this.leaves, bound: this.bound };
    const shapes = order.map((k) => layout.shapes[k]);
    this.adopt(TreeLayout.fromPaths(seen.paths, order.map((k) => layout.sizes[k]), shapes), order.map((k) => this.leaves[k]));
    this.snapshotOrder = false;
    return replaced;
  }

  /** Whether gradientPoint's leaves are the very ones checked last time, with no vector released since in their memories. */
  private pointStillChecked(): boolean {
    for (let k = 0; k < this.outs.length; k++) {
      const p = this.params[k];
      const o = this.outs[k];
      if (this.lastPointParams[k] !== p || this.lastOuts[k] !== o) return false;
      const memory = memoryOf(p) ?? memoryOf(o);
      if (memory !== undefined && this.pointHeldAt[k] !== memory.userReleases) return false;
    }
    return true;
  }

  /**
   * gradientPoint's checks, whole: every leaf held, and no out leaf sharing memory with any leaf of
   * params or out (the tree's own order: ranges sorted by start within each memory). Allocates; runs
   * only when the vectors change.
   */
  private checkPoint(): void {
    const paths = this.layout!.paths;
    const ranges = new Map<unknown, { start: number; end: number; out: boolean; k: number }[]>();
    for (let k = 0; k < this.outs.length; k++) {
      checkHeld(this.params[k], this.paramsNames[k], this.params[k]);
      checkHeld(this.outs[k], `out/${paths[k]}`, this.outs[k]);
      for (const [v, out] of [[this.params[k], false], [this.outs[k], true]] as const) {
        if (v.length === 0) continue;
        const key = memoryOf(v) ?? v.buffer;
        const start = byteOffsetOfVector(v);
        const list = ranges.get(key) ?? [];
        list.push({ start, end: start + 8 * v.length, out, k });
        ranges.set(key, list);
      }
    }
    for (const list of ranges.values()) {
      list.sort((a, b) => a.start - b.start);
      let paramsEnd = -Infinity;
      let outEnd = -Infinity;
      let outK = -1;
      for (const r of list) {
        const k = r.out ? r.k : outK;
        if ((r.out && r.start < Math.max(paramsEnd, outEnd)) || (!r.out && r.start < outEnd)) {
          throw new ShapeMismatchError(`out/${paths[k]}`, this.outs[k], "a vector that shares no memory with params or with another leaf of out");
        }
        if (!r.out) paramsEnd = Math.max(paramsEnd, r.end);
        else if (r.end > outEnd) {
          outEnd = r.end;
          outK = r.k;
        }
      }
    }
    for (let k = 0; k < this.outs.length; k++) {
      this.lastPointParams[k] = this.params[k];
      this.lastOuts[k] = this.outs[k];
      this.pointHeldAt[k] = (memoryOf(this.params[k]) ?? memoryOf(this.outs[k]))?.userReleases ?? -1;
    }
  }

  /** The layout (declared, or the first tree's), its leaves' optimizers and the step's arrays. */
  private build(params: ParamTree | Float64Array): void {
    if (this.declared === undefined && tagOf.call(params) === "Float64Array") throw new ShapeMismatchError("params", params, "a tree (a flat vector needs tree()'s layout option, which says where each leaf is in it)");
    const layout = this.declared ?? TreeLayout.of(params, "params");
    const leaves: (LeafOptimizer | null)[] = [];
    try {
      layout.paths.forEach((path, k) => leaves.push(this.frozen(path) ? null : this.leaf(path, layout.shapes[k])));
      this.adopt(layout, leaves);
    } catch (error) {
      for (const leaf of leaves) leaf?.dispose();
      throw error;
    }
  }

  /**
   * Takes `layout` and `leaves` as the tree's, with the step's arrays (allocated first: nothing
   * changes if that fails) and the transforms bound to them (or `bound`, bound to them before).
   */
  private adopt(layout: TreeLayout, leaves: (LeafOptimizer | null)[], bound = this.transforms.empty ? null : this.transforms.bind(layout.paths, layout.sizes, leaves.map((leaf) => leaf !== null))): void {
    const n = layout.paths.length;
    this.layout = layout;
    this.flatViews = new WeakMap(); // (views of the layout before)
    this.flatParams = undefined;
    this.leaves = leaves;
    this.bound = bound;
    this.params = new Array<Float64Array>(n);
    this.grads = new Array<Float64Array>(n);
    this.outs = new Array<Float64Array>(n);
    this.wroteOut = new Uint8Array(n);
    this.lastParams = new Array<Float64Array | undefined>(n);
    this.lastGrads = new Array<Float64Array | undefined>(n);
    this.heldAt = new Float64Array(n);
    this.overlap = new LeafOverlap();
    this.use = leaves.map((leaf) => leaf !== null);
    this.staging.plan(layout.sizes);
    this.paramsMemory = new Array<VectorMemory | undefined>(n);
    this.gradRuntime = new Array<WasmRuntime | undefined>(n);
    this.gradAt = new Float64Array(n);
    this.paramsAt = new Float64Array(n);
    this.plan = new Float64Array(n * PLAN_SLOTS);
    this.planned = new Uint8Array(n);
    this.unpacked = true; // (a restore's leaves come with their state, laid out leaf by leaf)
    this.rangeAt = new Float64Array(n);
    this.rangeLength = new Int32Array(n);
    this.lastPointParams = new Array<Float64Array | undefined>(n);
    this.lastOuts = new Array<Float64Array | undefined>(n);
    this.pointHeldAt = new Float64Array(n);
    this.paramsNames = layout.paths.map((path) => `params/${path}`);
    this.gradNames = layout.paths.map((path) => `grad/${path}`);
  }

  private forget(): void {
    this.snapshotOrder = false;
    for (const leaf of this.leaves) leaf?.dispose();
    this.flatViews = new WeakMap();
    this.flatParams = undefined;
    this.layout = undefined;
    this.leaves = [];
    this.bound = null;
    this.staging.release();
  }

  /** The options of the leaf at `path` (see leafOptions). */
  private optionsFor(path: string, shape: readonly number[] | undefined): Record<string, unknown> {
    return leafOptions(this.create, this.base, this.groups, path, shape);
  }

  /** A new optimizer for the leaf at `path`. */
  private leaf(path: string, shape: readonly number[] | undefined): LeafOptimizer {
    const options = this.optionsFor(path, shape);
    let leaf: LeafOptimizer;
    try {
      leaf = new this.create(options);
    } catch (error) {
      if (!(error instanceof GradstepError)) throw error;
      throw new InvalidOptionError(`${error.argument} (of the leaf ${path})`, error.value, error.expected);
    }
    if (leaf.options.norm === "global") {
      leaf.dispose();
      throw new InvalidOptionError("norm", "global", `norm: "coordinate" on a tree (a global norm over a tree's leaves is not supported: the leaf ${path} would be normalised alone)`);
    }
    return leaf;
  }

  /** `overrides` on the current options, checked as a leaf's would be; returns the resolved options (without the tree's nonFinite). */
  private probe(overrides: Readonly<Record<string, unknown>>, argument: string): Readonly<Record<string, unknown>>;
  private probe(overrides: Readonly<Record<string, unknown>>, argument: string, keep: true): LeafOptimizer;
  private probe(overrides: Readonly<Record<string, unknown>>, argument: string, keep = false): Readonly<Record<string, unknown>> | LeafOptimizer {
    let probe: LeafOptimizer;
    try {
      probe = new this.create({ ...this.base, ...overrides });
    } catch (error) {
      if (!(error instanceof GradstepError)) throw error;
      throw new InvalidOptionError(`${argument}.${error.argument}`, error.value, error.expected);
    }
    const resolved = probe.options;
    if (!keep) probe.dispose();
    if (resolved.norm === "global") throw new InvalidOptionError(`${argument}.norm`, "global", `norm: "coordinate" on a tree (a global norm over a tree's leaves is not supported)`);
    return keep ? probe : resolved;
  }

  /**
   * Live, and not called back from the user code of its own step, gradientPoint or restore (a getter
   * of the tree or snapshot, a group's match, a mask): that call would replace or reuse what they are
   * reading (a reset mid-step left the step to count a step of no leaf). Only dispose() may be.
   */
  private enter(): void {
    this.assertLive();
    if (this.busy) throw new InvalidOptionError("this", `tree of ${this.rule}`, "a call made outside its own step, gradientPoint and restore: user code they run (a getter of the tree or snapshot, a group's match, a mask) may dispose this optimizer, but not step, restore, reset or set it");
  }

  private assertLive(): void {
    if (this.disposed) throw new DisposedError("this", `tree of ${this.rule}`, "an optimizer that has not been disposed");
  }
}

disposeWithUsing(TreeOptimizer);

/**
 * {@link TreeOptimizer}: `optimizer`'s rule over a {@link ParamTree}, with per-leaf groups, frozen
 * leaves and tree-wide clipping.
 *
 * @example
 * ```ts
 * const opt = tree(new Adam({ lr: 1e-3 }), { groups: [{ match: "encoder/**", lr: 1e-4 }], freeze: "embedding" });
 * opt.step(paramTree, gradTree); // trees of the same shape, leaves Float64Arrays
 * ```
 *
 * @throws {@link InvalidOptionError} for a malformed group, path or option.
 * @throws {@link ShapeMismatchError} for a `layout` that does not match the trees stepped.
 */
export function tree(optimizer: OptimizerBase<any> | Chain, options?: Partial<TreeOptions>): TreeOptimizer {
  return new TreeOptimizer(optimizer, options);
}

const tagOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype), Symbol.toStringTag)!.get! as (this: unknown) => string | undefined;

/** What {@link TreeOptimizer}'s takeTreeOrder replaced. */
interface Reordered {
  readonly layout: TreeLayout;
  readonly leaves: (LeafOptimizer | null)[];
  readonly bound: TreeTransforms | null;
}

function checkTreeOptions(options: unknown): TreeOptions {
  if (options === undefined) return { groups: [], freeze: null, transforms: [], clipByGlobalNorm: null, layout: null };
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidOptionError("options", options, "an object with groups, freeze, transforms, clipByGlobalNorm, layout");
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) if (!["groups", "freeze", "transforms", "clipByGlobalNorm", "layout"].includes(key)) throw new InvalidOptionError(key, given[key], "one of the options groups, freeze, transforms, clipByGlobalNorm, layout");
  const transforms = own(given, "transforms") ?? [];
  if (!Array.isArray(transforms)) throw new InvalidOptionError("transforms", transforms, "an array of transforms (masked ones too)");
  const groups = own(given, "groups") ?? [];
  if (!Array.isArray(groups)) throw new InvalidOptionError("groups", groups, "an array of groups: { match, …options }");
  const clip = own(given, "clipByGlobalNorm") ?? null;
  if (clip !== null && (typeof clip !== "object" || Array.isArray(clip))) throw new InvalidOptionError("clipByGlobalNorm", clip, "{ maxNorm, eps? }");
  return { groups: Object.freeze([...groups]), freeze: (own(given, "freeze") ?? null) as PathMatch | null, transforms: Object.freeze([...transforms]), clipByGlobalNorm: clip as TreeOptions["clipByGlobalNorm"], layout: (own(given, "layout") ?? null) as TreeShapes | null };
}

