import { DisposedError, InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Optimizer, OptimizerSnapshot } from "../optimizers/optimizer.js";
import { disposeWithUsing } from "../optimizers/using-dispose.js";
import { type OptionRules, resolveOptions } from "../options.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkMirroredStepCount, checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";
import type { ParamTree } from "../tree/param-tree.js";
import { checkLeafPaths, isShape, TreeLayout } from "../tree/tree-layout.js";
import { TreeOptimizer } from "../tree/tree-optimizer.js";
import { LeafVectors, treeOf } from "./leaf-vectors.js";

const tagOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype), Symbol.toStringTag)!.get! as (this: unknown) => string | undefined;
const NONE: Float64Array = new Float64Array(0);

/** A snapshot's envelope, checked: see {@link WrapperBase.openSnapshot}. @internal */
export interface OpenedSnapshot<Options> {
  /** The snapshot's fields. */
  readonly fields: Record<string, unknown>;
  /** The wrapper's options in it, resolved. */
  readonly resolved: Readonly<Options>;
  /** Its buffers. */
  readonly buffers: Record<string, unknown>;
  /** The optimizer's snapshot. */
  readonly inner: unknown;
  /** Its `leaves` (a wrapper over a tree), or `undefined`. */
  readonly leaves: unknown;
}

/**
 * What {@link Accumulate}, {@link Average} and {@link Lookahead} share: the optimizer they wrap, the
 * members that only pass through to it (its hyperparameters, learning rate, gradient point, `set`),
 * `dispose`, their snapshots' envelope (their own options beside the optimizer's snapshot), and
 * stepping a tree: its leaves read and checked through a {@link TreeLayout}, the state vector kept as
 * one view per leaf ({@link LeafVectors}) and snapshotted by leaf path. Each wrapper keeps only its
 * own math, written once over the leaves (a flat vector is one leaf).
 * @internal
 */
export abstract class WrapperBase<Options extends object, Settings extends Options> {
  /** The wrapper's name, as in snapshots. */
  abstract readonly kind: string;
  /** The optimizer that steps. */
  readonly optimizer: Optimizer;
  /** `dispose`, for `using` (where the runtime has `Symbol.dispose`). */
  declare [Symbol.dispose]: () => void;
  /** The wrapper's own options, resolved. @internal */
  protected resolved: Readonly<Options>;
  /** Over a tree: the layout of the trees the state was built for (`undefined` for a flat vector). @internal */
  protected layout: TreeLayout | undefined;
  /** The step's params and grad, leaf by leaf (read by {@link WrapperBase.readLeaves}). @internal */
  protected paramLeaves: Float64Array[];
  /** See paramLeaves. @internal */
  protected gradLeaves: Float64Array[];
  /** Over a tree, each leaf's name in errors: `grad/hidden/bias`. @internal */
  protected gradNames: readonly string[] = [];
  /** See gradNames. @internal */
  protected paramNames: readonly string[] = [];
  private readonly flatParams: Float64Array[] = [NONE];
  private readonly flatGrads: Float64Array[] = [NONE];
  private treeParams: Float64Array[] = [];
  private treeGrads: Float64Array[] = [];
  /** The layout the tree arrays above were made for. */
  private arraysFor: TreeLayout | undefined;
  private frozenFor: TreeLayout | undefined;
  private frozenLeaves = new Uint8Array(0);
  private disposed = false;

  /**
   * @param kind the wrapper's name, for errors.
   * @param rules the wrapper's own options' rules.
   * @param optimizer the optimizer to wrap.
   * @param options the wrapper's own options, checked against `rules`.
   * @internal
   */
  protected constructor(
    private readonly wrapperKind: string,
    private readonly rules: OptionRules<Options>,
    optimizer: Optimizer,
    options: Partial<Options> | undefined,
  ) {
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") throw new InvalidOptionError("optimizer", optimizer, "an optimizer");
    this.optimizer = optimizer;
    this.resolved = resolveOptions(wrapperKind, rules, options) as Readonly<Options>;
    this.paramLeaves = this.flatParams;
    this.gradLeaves = this.flatGrads;
  }

  /** The resolved options, and the optimizer's under `optimizer`. */
  get options(): Readonly<Settings> {
    return { ...this.resolved, optimizer: this.optimizer.options } as unknown as Readonly<Settings>;
  }

  /** The optimizer's value of a hyperparameter at its step t (default: its next step). */
  valueAt(name: string, t?: number): number {
    this.assertLive();
    return this.optimizer.valueAt(name, t);
  }

  /** The optimizer's learning rate at its step t (default: its next step). */
  learningRate(t?: number): number {
    this.assertLive();
    if (this.optimizer.learningRate === undefined) throw new InvalidOptionError("optimizer", this.optimizer, "an optimizer with learningRate()");
    return this.optimizer.learningRate(t);
  }

  /**
   * The optimizer's gradient point (θ does not move between an {@link Accumulate}'s averaged steps);
   * over a {@link TreeOptimizer}, a tree as it gives.
   */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array;
  gradientPoint(params: ParamTree, out: ParamTree): ParamTree;
  gradientPoint(params: Float64Array | ParamTree, out: Float64Array | ParamTree): Float64Array | ParamTree {
    this.assertLive();
    return this.optimizer.gradientPoint(params as Float64Array, out as Float64Array);
  }

  /** The leaves' paths, in the order of the tree the state was built for; `undefined` for a flat vector or before the first step. */
  get paths(): readonly string[] | undefined {
    return this.layout?.paths;
  }

  /** Changes the optimizer's options (see {@link Optimizer.set}). */
  set(options: Readonly<Record<string, unknown>>): void {
    this.assertLive();
    if (typeof this.optimizer.set !== "function") throw new InvalidOptionError("optimizer", this.optimizer, "an optimizer with set(options)");
    this.optimizer.set(options);
  }

  /** Disposes the optimizer too. Idempotent; afterwards every method throws a {@link DisposedError}. */
  dispose(): void {
    if (this.disposed) return;
    this.optimizer.dispose?.();
    this.release();
    this.disposed = true;
  }

  /** Drops the wrapper's own buffers (on dispose). @internal */
  protected abstract release(): void;

  /** Throws a {@link DisposedError} once disposed. @internal */
  protected assertLive(): void {
    if (this.disposed) throw new DisposedError("this", this.wrapperKind, "an optimizer that has not been disposed");
  }

  /**
   * The snapshot: the wrapper's options with the optimizer's snapshot under `optimizer`, the state
   * vector `name` (empty unless `full`), then `counts`. For a flat vector the vector is
   * `buffers[name]`; over a tree it is in `leaves`, by path: `{ size, shape, [name] }`.
   * @internal
   */
  protected envelope(stepCount: number, size: number | null, name: string, state: LeafVectors, full: boolean, counts: Readonly<Record<string, string>>): OptimizerSnapshot {
    const layout = this.layout;
    const snapshot = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      kind: this.wrapperKind,
      options: { ...this.resolved, optimizer: this.optimizer.snapshot() },
      stepCount,
      size: layout === undefined ? size : layout.total,
      buffers: layout === undefined ? { [name]: encodeFloat64(full ? state.flat : NONE), ...counts } : { ...counts },
    } as const;
    if (layout === undefined) return snapshot;
    const leaves: Record<string, unknown> = {};
    for (let k = 0; k < layout.paths.length; k++) {
      const entry = { size: layout.sizes[k], shape: layout.shapes[k] ?? null, [name]: encodeFloat64(full ? state.leaves[k] : NONE) };
      // defined, not assigned: a leaf named "__proto__" must be an own field
      Object.defineProperty(leaves, layout.paths[k], { value: entry, enumerable: true, writable: true, configurable: true });
    }
    return { ...snapshot, leaves } as OptimizerSnapshot;
  }

  /**
   * A snapshot's envelope checked (header, the wrapper's options by `rules`); nothing is adopted.
   * Returns its fields, its resolved options, its buffers and the optimizer's snapshot (for
   * `adopt`).
   * @internal
   */
  protected openSnapshot(snapshot: unknown): OpenedSnapshot<Options> {
    const leaves = typeof snapshot === "object" && snapshot !== null ? own(snapshot as Record<string, unknown>, "leaves") : undefined;
    let fields: Record<string, unknown>;
    if (leaves === undefined) fields = checkSnapshotHeader(snapshot, this.wrapperKind);
    else {
      const { leaves: _, ...rest } = snapshot as Record<string, unknown>;
      fields = checkSnapshotHeader(rest, this.wrapperKind);
    }
    const options = expectField("snapshot.options", own(fields, "options"), "object");
    const given: Record<string, unknown> = {};
    for (const name of Object.keys(this.rules)) given[name] = own(options, name);
    let resolved: Readonly<Options>;
    try {
      resolved = resolveOptions(this.wrapperKind, this.rules, given, true) as Readonly<Options>;
    } catch (e) {
      const err = e as InvalidOptionError;
      throw new InvalidSnapshotError(`snapshot.options.${err.argument}`, err.value, err.expected);
    }
    const buffers = expectField("snapshot.buffers", own(fields, "buffers"), "object");
    return { fields, resolved, buffers, inner: own(options, "optimizer"), leaves };
  }

  /**
   * Checks that an opened snapshot's `stepCount` and `size` are its optimizer's, as a wrapper that
   * reports the optimizer's writes them (where the optimizer's snapshot has them: one of another
   * library may not): a size of its own would leave state the optimizer cannot step with.
   * @internal
   */
  protected static checkMirrors(opened: OpenedSnapshot<unknown>): void {
    checkMirroredStepCount(opened.fields, opened.inner);
    const inner = typeof opened.inner === "object" && opened.inner !== null ? (opened.inner as Record<string, unknown>) : {};
    const size = own(opened.fields, "size");
    const innerSize = own(inner, "size");
    if (typeof innerSize === "number" && typeof size === "number" && size !== innerSize) {
      throw new InvalidSnapshotError("snapshot.size", size, `${innerSize}, the optimizer's (snapshot.options.optimizer.size)`);
    }
  }

  /**
   * A count kept in a buffer (base64 of one float64): a whole number for which `valid` holds, else
   * an {@link InvalidSnapshotError} naming `snapshot.buffers.<name>`.
   * @internal
   */
  protected static decodeCount(buffers: Record<string, unknown>, name: string, valid: (count: number) => boolean, expected: string): number {
    const text = expectField(`snapshot.buffers.${name}`, own(buffers, name), "string");
    const decoded = decodeFloat64(text);
    const count = decoded?.length === 1 ? decoded[0] : NaN;
    if (!(Number.isSafeInteger(count) && valid(count))) throw new InvalidSnapshotError(`snapshot.buffers.${name}`, text, expected);
    return count;
  }

  /**
   * The state vector `name` of an opened snapshot, decoded, checked and copied into memory of its
   * own, with the layout it is for (`undefined` for a flat vector). `full`: base64 of `snapshot.size`
   * finite float64 values, else empty (not built yet); with `full` undefined, either. `empty` says in
   * errors what an empty one means. Over a tree (`snapshot.leaves`), each leaf by path, checked
   * against the tree this wrapper was built for if any and the optimizer's snapshot's leaves; an
   * error names the leaf's path (`snapshot.leaves/hidden/bias.size`).
   * @internal
   */
  protected decodeState(opened: OpenedSnapshot<Options>, name: string, full: boolean | undefined, empty: string): { layout: TreeLayout | undefined; state: LeafVectors } {
    const { fields, buffers } = opened;
    const size = own(fields, "size");
    const expected = (n: unknown, where: string) => (full === undefined ? `base64 of ${String(n)} float64 values (${where}), or ${empty}` : full ? `base64 of ${String(n)} float64 values (${where})` : empty);
    if (opened.leaves === undefined) {
      const text = expectField(`snapshot.buffers.${name}`, own(buffers, name), "string");
      const decoded = decodeFloat64(text);
      const isFull = full ?? (decoded !== undefined && decoded.length > 0);
      if (decoded === undefined || (isFull && decoded.length !== size) || (!isFull && decoded.length !== 0)) throw new InvalidSnapshotError(`snapshot.buffers.${name}`, text, expected(size, "snapshot.size"));
      const state = isFull ? LeafVectors.ofLength(decoded.length, `state.${name}`) : LeafVectors.empty();
      state.flat.set(decoded);
      return { layout: undefined, state };
    }
    if (own(buffers, name) !== undefined) throw new InvalidSnapshotError(`snapshot.buffers.${name}`, own(buffers, name), `nothing: over a tree, ${name} is in snapshot.leaves, by path`);
    const entries = expectField("snapshot.leaves", opened.leaves, "object");
    const paths = Object.keys(entries);
    if (paths.length === 0) throw new InvalidSnapshotError("snapshot.leaves", entries, "at least one leaf");
    checkLeafPaths(paths, "snapshot.leaves");
    checkSamePaths(this.layout, paths, "snapshot.leaves", "the tree this wrapper was built for");
    const inner = typeof opened.inner === "object" && opened.inner !== null ? own(opened.inner as Record<string, unknown>, "leaves") : undefined;
    const innerLeaves = typeof inner === "object" && inner !== null && !Array.isArray(inner) ? (inner as Record<string, unknown>) : undefined;
    if (innerLeaves !== undefined) checkSamePaths({ paths: Object.keys(innerLeaves) }, paths, "snapshot.leaves", "the optimizer's snapshot (snapshot.options.optimizer.leaves)");
    const sizes: number[] = [];
    const shapes: (readonly number[] | undefined)[] = [];
    const values: Float64Array[] = [];
    let isFull = full;
    for (const path of paths) {
      const where = `snapshot.leaves/${path}`;
      const entry = expectField(where, own(entries, path), "object");
      for (const key of Object.keys(entry)) if (!["size", "shape", name].includes(key)) throw new InvalidSnapshotError(`${where}.${key}`, entry[key], `only the fields size, shape, ${name}`);
      const n = own(entry, "size");
      if (typeof n !== "number" || !Number.isSafeInteger(n) || n < 0) throw new InvalidSnapshotError(`${where}.size`, n, "the leaf's length");
      const k = this.layout?.paths.indexOf(path) ?? -1;
      if (k >= 0 && this.layout!.sizes[k] !== n) throw new InvalidSnapshotError(`${where}.size`, n, `${this.layout!.sizes[k]}, the length of this leaf in the tree this wrapper was built for`);
      const innerEntry = innerLeaves === undefined ? undefined : own(innerLeaves, path);
      const innerSize = typeof innerEntry === "object" && innerEntry !== null ? own(innerEntry as Record<string, unknown>, "size") : undefined;
      if (typeof innerSize === "number" && innerSize !== n) throw new InvalidSnapshotError(`${where}.size`, n, `${innerSize}, the length of this leaf in the optimizer's snapshot`);
      const shape = own(entry, "shape");
      if (shape !== null && !isShape(shape, n)) {
        throw new InvalidSnapshotError(`${where}.shape`, shape, `null or positive integers whose product is ${n}`);
      }
      const text = expectField(`${where}.${name}`, own(entry, name), "string");
      const decoded = decodeFloat64(text);
      isFull ??= decoded !== undefined && decoded.length > 0;
      if (decoded === undefined || decoded.length !== (isFull ? n : 0)) throw new InvalidSnapshotError(`${where}.${name}`, text, expected(n, `${where}.size`));
      sizes.push(n);
      shapes.push(shape === null ? undefined : Object.freeze([...(shape as number[])]));
      values.push(decoded);
    }
    const total = sizes.reduce((x, y) => x + y, 0);
    if (size !== total) throw new InvalidSnapshotError("snapshot.size", size, `${total}, the leaves' total`);
    // The tree's own order stays, if this wrapper has one: the snapshot's leaves are taken by path.
    const layout = this.layout ?? TreeLayout.fromPaths(paths, sizes, shapes);
    const state = LeafVectors.ofLayout(layout, `state.${name}`);
    if (isFull) paths.forEach((path, j) => state.leaves[layout.paths.indexOf(path)].set(values[j]));
    return { layout, state };
  }

  /**
   * Restores the optimizer from its snapshot — the last check: nothing after it fails — then takes
   * `resolved` as the options and `layout` as the tree the state is for.
   * @internal
   */
  protected adopt(resolved: Readonly<Options>, inner: unknown, layout: TreeLayout | undefined): void {
    this.optimizer.restore(inner);
    this.resolved = resolved;
    this.layout = layout;
  }

  /**
   * Reads a step's `params` and `grad` (unless `null`: the optimizer checks it) into
   * {@link WrapperBase.paramLeaves} and {@link WrapperBase.gradLeaves}: a Float64Array as one leaf;
   * a tree leaf by leaf, through the layout of the state (`built`) or else a new one taken from
   * `params` and checked against the tree the optimizer was built for. Returns the layout
   * (`undefined` for a flat vector), which the wrapper adopts with its state. Missing, extra,
   * mistyped or resized leaves throw a {@link ShapeMismatchError} naming the path, before anything
   * is written. Allocates nothing once the layout is built.
   * @internal
   */
  protected readLeaves(params: unknown, grad: unknown, built: boolean): TreeLayout | undefined {
    if (tagOf.call(params) === "Float64Array") {
      if (built && this.layout !== undefined) throw new ShapeMismatchError("params", params, "a tree, as the one the state was built for (call reset() to start over)");
      this.flatParams[0] = plainFloat64(params, "params");
      if (grad !== null) this.flatGrads[0] = plainFloat64(grad, "grad");
      this.paramLeaves = this.flatParams;
      this.gradLeaves = this.flatGrads;
      return undefined;
    }
    if (!acceptsTrees(this.optimizer)) throw new ShapeMismatchError("params", params, "a Float64Array (a tree needs a tree optimizer inside, e.g. over tree(new Adam()))");
    if (built && this.layout === undefined) throw new ShapeMismatchError("params", params, "a Float64Array, as the state was built for (call reset() to start over)");
    const layout = this.layout ?? this.newLayout(params);
    if (this.arraysFor !== layout) {
      this.treeParams = new Array<Float64Array>(layout.paths.length);
      this.treeGrads = new Array<Float64Array>(layout.paths.length);
      this.paramNames = layout.paths.map((path) => `params/${path}`);
      this.gradNames = layout.paths.map((path) => `grad/${path}`);
      this.arraysFor = layout;
    }
    layout.read(params, "params", this.treeParams);
    if (grad !== null) layout.read(grad, "grad", this.treeGrads);
    // The trees' getters are user code: they may have disposed this wrapper, or resized a leaf read before.
    this.assertLive();
    layout.checkLengths(this.treeParams, "params");
    if (grad !== null) layout.checkLengths(this.treeGrads, "grad");
    this.paramLeaves = this.treeParams;
    this.gradLeaves = this.treeGrads;
    return layout;
  }

  /**
   * 1 for each leaf of `layout` that the tree optimizer inside freezes (its gradient is never read,
   * so it is neither checked nor summed), else 0; worked out once per layout.
   * @internal
   */
  protected frozenIn(layout: TreeLayout): Uint8Array {
    if (this.frozenFor !== layout) {
      let inner: Optimizer = this.optimizer;
      while (inner instanceof WrapperBase) inner = inner.optimizer;
      const tree = inner as TreeOptimizer;
      this.frozenLeaves = Uint8Array.from(layout.paths, (path) => (tree.isFrozen(path) ? 1 : 0));
      this.frozenFor = layout;
    }
    return this.frozenLeaves;
  }

  /** The layout of `params`, which must have the leaves of the tree the optimizer was built for (if it knows one yet). */
  private newLayout(params: unknown): TreeLayout {
    const layout = TreeLayout.of(params, "params");
    const inner = innerTree(this.optimizer);
    if (inner === undefined) return layout;
    checkSamePaths(inner, layout.paths, "params", "the tree the optimizer inside was built for", ShapeMismatchError);
    if (inner.sizes !== undefined) {
      const k = layout.sizes.findIndex((n, j) => n !== inner.sizes![inner.paths.indexOf(layout.paths[j])]);
      if (k >= 0) throw new ShapeMismatchError(`params/${layout.paths[k]}`, layout.sizes[k], `length ${inner.sizes[inner.paths.indexOf(layout.paths[k])]}, as in the tree the optimizer inside was built for`);
    } else if (inner.total !== undefined && inner.total !== layout.total) {
      throw new ShapeMismatchError("params", params, `a tree of ${inner.total} numbers, as the one the optimizer inside was built for`);
    }
    return layout;
  }

  /** The leaves of `tree` (named `argument`) into new arrays, checked against the state's layout. @internal */
  protected leavesOf(tree: unknown, argument: string): Float64Array[] {
    const leaves = new Array<Float64Array>(this.layout!.paths.length);
    this.layout!.read(tree, argument, leaves);
    return leaves;
  }

  /** A new tree holding a copy of `state`, shaped as the tree the state was built for. @internal */
  protected treeCopy(state: LeafVectors, full: boolean): ParamTree {
    if (this.layout === undefined) throw new InvalidOptionError("this", this.wrapperKind, "a wrapper stepped with trees (this one was stepped with flat vectors, or not yet)");
    const copy = LeafVectors.ofLayout(this.layout, "out");
    if (full) copy.flat.set(state.flat);
    return treeOf(this.layout, copy.leaves, true);
  }
}

/** Whether `optimizer` steps trees: a {@link TreeOptimizer}, or a wrapper around one. */
function acceptsTrees(optimizer: Optimizer): boolean {
  return optimizer instanceof TreeOptimizer || (optimizer instanceof WrapperBase && acceptsTrees(optimizer.optimizer));
}

/** The leaves of the tree `optimizer` was built for, as far as it tells: paths, and each leaf's length or the total. */
function innerTree(optimizer: Optimizer): { paths: readonly string[]; sizes?: readonly number[]; total?: number } | undefined {
  if (optimizer instanceof WrapperBase) {
    const layout = (optimizer as unknown as { layout: TreeLayout | undefined }).layout;
    return layout !== undefined ? layout : innerTree(optimizer.optimizer);
  }
  if (!(optimizer instanceof TreeOptimizer)) return undefined;
  if (optimizer.paths !== undefined) return { paths: optimizer.paths, total: optimizer.size };
  const declared = optimizer.settings.layout;
  return declared === null ? undefined : TreeLayout.ofShapes(declared, "layout");
}

/** Throws (an InvalidSnapshotError by default) naming `<argument>/<path>` of the first leaf `paths` lacks or has beyond `known`'s, if any. */
function checkSamePaths(known: { paths: readonly string[] } | undefined, paths: readonly string[], argument: string, what: string, error: new (argument: string, value: unknown, expected: string) => Error = InvalidSnapshotError): void {
  if (known === undefined) return;
  const given = new Set(paths);
  const missing = known.paths.find((path) => !given.has(path));
  if (missing !== undefined) throw new error(`${argument}/${missing}`, undefined, `this leaf, which ${what} has`);
  const has = new Set(known.paths);
  const extra = paths.find((path) => !has.has(path));
  if (extra !== undefined) throw new error(`${argument}/${extra}`, extra, `no leaf here: ${what} has none`);
}

disposeWithUsing(WrapperBase as unknown as { prototype: { dispose(): void } });
