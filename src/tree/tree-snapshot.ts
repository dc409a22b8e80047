import { GradstepError, InvalidOptionError, InvalidSnapshotError } from "../errors.js";
import type { OptimizerSnapshot } from "../optimizers/optimizer.js";
import { expectField, own } from "../snapshot/snapshot-fields.js";
import { type CompiledGroup, compileGroup, type LeafConstructor, type LeafOptimizer, leafOptions } from "./tree-groups.js";
import { checkLeafPaths, isShape, TreeLayout } from "./tree-layout.js";

/**
 * A snapshot of a {@link TreeOptimizer}: an {@link OptimizerSnapshot} of kind `"Tree"` (so that it
 * travels wherever one does, a training state's included) whose `leaves` hold each leaf's optimizer
 * snapshot keyed by its path (`null` for a frozen leaf).
 *
 * @example
 * ```ts
 * const opt = tree(new Adam({ lr: 1e-3 }));
 * opt.step(paramTree, gradTree);
 * const saved = JSON.stringify(opt.snapshot());
 * const other = tree(new Adam({ lr: 1e-3 }));
 * other.restore(JSON.parse(saved)); // continues bit for bit
 * ```
 */
export interface TreeSnapshot extends OptimizerSnapshot {
  /** Always `"Tree"`. */
  readonly kind: "Tree";
  /** The rule of every leaf, as in its snapshots (`"Adam"`). */
  readonly rule: string;
  /** Each group's options as they are now (its `match` is not data: the tree being restored has its own). */
  readonly groups: readonly Readonly<Record<string, unknown>>[];
  /** The leaves' state is in `leaves`: always empty. */
  readonly buffers: Readonly<Record<string, never>>;
  /** Each leaf by path, in the tree's order: its length, its shape if it has one, its optimizer's snapshot (`null` if frozen); `null` before the first step. */
  readonly leaves: Readonly<Record<string, TreeLeafSnapshot>> | null;
}

/**
 * One leaf of a {@link TreeSnapshot}.
 *
 * @example
 * ```ts
 * const opt = tree(new Adam({ lr: 1e-3 }));
 * opt.step(paramTree, gradTree); // paramTree.hidden.bias: 4 values
 * const leaf: TreeLeafSnapshot | undefined = opt.snapshot().leaves?.["hidden/bias"];
 * leaf?.size; // 4
 * ```
 */
export interface TreeLeafSnapshot {
  /** The leaf's length. */
  readonly size: number;
  /** Its shape, if the tree gave one (`{ data, shape }`); else `null`. */
  readonly shape: readonly number[] | null;
  /** Its optimizer's snapshot, or `null` where the leaf is frozen. */
  readonly optimizer: OptimizerSnapshot | null;
}

const TREE_FIELDS = ["format", "version", "kind", "rule", "options", "groups", "stepCount", "size", "buffers", "leaves"];

/**
 * What decoding a snapshot needs of the tree being restored: its rule, its leaves' class, its groups'
 * matchers, its layout if it has one, its frozen leaves, and a way to check options as its leaves would.
 * @internal
 */
export interface RestoreTarget {
  readonly rule: string;
  readonly create: LeafConstructor;
  readonly groups: readonly CompiledGroup[];
  readonly current: TreeLayout | undefined;
  readonly frozen: (path: string) => boolean;
  /** An optimizer with the tree's base options and `overrides`, checked (errors name `argument`). */
  readonly probe: (overrides: Readonly<Record<string, unknown>>, argument: string) => LeafOptimizer;
}

/** A decoded snapshot: new optimizers (the baseline, each leaf's) that the tree takes or disposes. @internal */
export interface DecodedTree {
  readonly baseline: LeafOptimizer;
  readonly groups: readonly CompiledGroup[];
  readonly stepCount: number;
  readonly layout: TreeLayout | undefined;
  readonly leaves: (LeafOptimizer | null)[];
}

/** A tree snapshot checked whole and decoded into new leaf optimizers; nothing of the target changes. */
export function decodeTreeSnapshot(snapshot: unknown, target: RestoreTarget): DecodedTree {
  const s = expectField("snapshot", snapshot, "object");
  for (const key of Object.keys(s)) if (!TREE_FIELDS.includes(key)) throw new InvalidSnapshotError(`snapshot.${key}`, s[key], `only the fields ${TREE_FIELDS.join(", ")}`);
  if (own(s, "format") !== "gradstep/optimizer") throw new InvalidSnapshotError("snapshot.format", own(s, "format"), '"gradstep/optimizer"');
  if (own(s, "version") !== 1) throw new InvalidSnapshotError("snapshot.version", own(s, "version"), "version 1");
  if (own(s, "kind") !== "Tree") throw new InvalidSnapshotError("snapshot.kind", own(s, "kind"), '"Tree"');
  if (own(s, "rule") !== target.rule) throw new InvalidSnapshotError("snapshot.rule", own(s, "rule"), `a snapshot of a tree of ${target.rule}`);
  const buffers = own(s, "buffers");
  if (typeof buffers !== "object" || buffers === null || Object.keys(buffers).length > 0) throw new InvalidSnapshotError("snapshot.buffers", buffers, "{} (the leaves' state is in leaves)");
  const stepCount = own(s, "stepCount");
  if (typeof stepCount !== "number" || !Number.isSafeInteger(stepCount) || stepCount < 0) throw new InvalidSnapshotError("snapshot.stepCount", stepCount, "a whole number of steps");
  let baseline: LeafOptimizer;
  try {
    baseline = target.probe(expectField("snapshot.options", own(s, "options"), "object"), "snapshot.options");
  } catch (error) {
    if (!(error instanceof InvalidOptionError)) throw error;
    throw new InvalidSnapshotError(error.argument, error.value, error.expected);
  }
  try {
    const groups = decodeGroups(target, own(s, "groups"), baseline.options);
    return { baseline, groups, stepCount, ...decodeLeaves(target, s, stepCount, baseline.options, groups) };
  } catch (error) {
    baseline.dispose();
    throw error;
  }
}

/** A snapshot's group options, each checked on `base` as the constructor checks a group, with the target's matchers. */
function decodeGroups(target: RestoreTarget, raw: unknown, base: Readonly<Record<string, unknown>>): readonly CompiledGroup[] {
  if (!Array.isArray(raw) || raw.length !== target.groups.length) throw new InvalidSnapshotError("snapshot.groups", raw, `the options of this tree's ${target.groups.length} groups`);
  return raw.map((options, i) => {
    try {
      const checked = compileGroup({ ...expectField(`snapshot.groups[${i}]`, options, "object"), match: "*" }, i).options;
      const probe = new target.create({ ...base, ...checked });
      probe.dispose();
      return { match: target.groups[i].match, options: checked };
    } catch (error) {
      if (error instanceof InvalidSnapshotError || !(error instanceof GradstepError)) throw error;
      throw new InvalidSnapshotError(`snapshot.groups[${i}].${error.argument.replace(/^groups\[\d+\]\./, "")}`, error.value, error.expected);
    }
  });
}

/** The leaves of a snapshot whose header has been checked, as new optimizers (each checked by its restore). */
function decodeLeaves(target: RestoreTarget, s: Record<string, unknown>, stepCount: number, base: Readonly<Record<string, unknown>>, groups: readonly CompiledGroup[]): { layout: TreeLayout | undefined; leaves: (LeafOptimizer | null)[] } {
  const rawLeaves = own(s, "leaves");
  const size = own(s, "size");
  if (rawLeaves === null) {
    if (stepCount !== 0) throw new InvalidSnapshotError("snapshot.leaves", null, "the leaves of a tree that has taken steps");
    if (size !== null) throw new InvalidSnapshotError("snapshot.size", size, "null (no leaves)");
    return { layout: undefined, leaves: [] };
  }
  const entries = expectField("snapshot.leaves", rawLeaves, "object");
  const paths = Object.keys(entries);
  if (paths.length === 0) throw new InvalidSnapshotError("snapshot.leaves", entries, "at least one leaf");
  const current = target.current;
  const given = new Set(paths);
  // Leaf indices by path (sets and maps: a tree of 20k leaves restores in linear time)
  const currentIndex = new Map(current?.paths.map((path, k) => [path, k]));
  if (current !== undefined) {
    const missing = current.paths.find((path) => !given.has(path));
    if (missing !== undefined) throw new InvalidSnapshotError(`snapshot.leaves/${missing}`, undefined, "this leaf, which the tree has (the snapshot is of another tree)");
    const extra = paths.find((path) => !currentIndex.has(path));
    if (extra !== undefined) throw new InvalidSnapshotError(`snapshot.leaves/${extra}`, entries[extra], "no such leaf: the tree has none at this path");
  }
  const sizes: number[] = [];
  const shapes: (readonly number[] | undefined)[] = [];
  const leaves: (LeafOptimizer | null)[] = [];
  checkLeafPaths(paths, "snapshot.leaves");
  const expected = new ExpectedOptions(target.create, base, groups);
  try {
    for (const path of paths) {
      const name = `snapshot.leaves/${path}`;
      const entry = expectField(name, own(entries, path), "object");
      for (const key of Object.keys(entry)) if (!["size", "shape", "optimizer"].includes(key)) throw new InvalidSnapshotError(`${name}.${key}`, entry[key], "only the fields size, shape, optimizer");
      const size = own(entry, "size");
      if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) throw new InvalidSnapshotError(`${name}.size`, size, "the leaf's length");
      const k = currentIndex.get(path) ?? -1;
      if (k >= 0 && current!.sizes[k] !== size) throw new InvalidSnapshotError(`${name}.size`, size, `${current!.sizes[k]}, the length of this leaf in the tree`);
      const shape = own(entry, "shape");
      if (shape !== null && !isShape(shape, size)) {
        throw new InvalidSnapshotError(`${name}.shape`, shape, `null or positive integers whose product is ${size}`);
      }
      const frozen = target.frozen(path);
      const saved = own(entry, "optimizer");
      if (frozen !== (saved === null)) throw new InvalidSnapshotError(`${name}.optimizer`, saved, frozen ? "null: this leaf is frozen here" : "the leaf's optimizer snapshot: this leaf is not frozen here");
      sizes.push(size);
      shapes.push(shape === null ? undefined : Object.freeze([...(shape as number[])]));
      if (frozen) {
        leaves.push(null);
        continue;
      }
      const leaf = new target.create({ ...base, nonFinite: "unchecked" });
      leaves.push(leaf);
      try {
        leaf.restore(saved);
      } catch (error) {
        if (!(error instanceof GradstepError)) throw error;
        throw new InvalidSnapshotError(`${name}.optimizer${error.argument.replace(/^snapshot/, "")}`, error.value, error.expected);
      }
      if (leaf.stepCount !== stepCount) throw new InvalidSnapshotError(`${name}.optimizer.stepCount`, leaf.stepCount, `${stepCount}, the tree's step count`);
      if (leaf.options.nonFinite !== "unchecked") throw new InvalidSnapshotError(`${name}.optimizer.options.nonFinite`, leaf.options.nonFinite, '"unchecked" (the tree checks the gradient)');
      expected.check(leaf, path, shape === null ? undefined : (shape as number[]), `${name}.optimizer.options`);
      if (leaf.size !== undefined && leaf.size !== size) throw new InvalidSnapshotError(`${name}.optimizer.size`, leaf.size, `${size}, the leaf's length`);
      if (leaf.size === undefined && stepCount > 0) throw new InvalidSnapshotError(`${name}.optimizer.size`, null, "the state of a leaf that has taken steps");
    }
  } catch (error) {
    for (const leaf of leaves) leaf?.dispose();
    throw error;
  } finally {
    expected.dispose();
  }
  const total = sizes.reduce((a, b) => a + b, 0);
  if (size !== total) {
    for (const leaf of leaves) leaf?.dispose();
    throw new InvalidSnapshotError("snapshot.size", size, `${total}, the leaves' total`);
  }
  if (current === undefined) return { layout: TreeLayout.fromPaths(paths, sizes, shapes), leaves };
  // The tree's own order stays (a flat vector's views follow it): the snapshot's leaves, whatever their order, are taken by path.
  const at = new Map(paths.map((path, k) => [path, k]));
  return { layout: current, leaves: current.paths.map((path) => leaves[at.get(path)!]) };
}

/**
 * The options each leaf must have, those the tree's options and groups give it: a leaf's snapshot
 * that says otherwise (an lr of its own) would step with values the tree reports for no leaf. One
 * optimizer per distinct set of matching groups and shape resolves them.
 */
class ExpectedOptions {
  private readonly probes = new Map<string, LeafOptimizer>();

  constructor(
    private readonly create: LeafConstructor,
    private readonly base: Readonly<Record<string, unknown>>,
    private readonly groups: readonly CompiledGroup[],
  ) {}

  /** Throws an {@link InvalidSnapshotError} at `argument.<option>` for the first option of `leaf` that differs. */
  check(leaf: LeafOptimizer, path: string, shape: readonly number[] | undefined, argument: string): void {
    const key = `${this.groups.map((g) => (g.match(path) ? 1 : 0)).join("")}|${JSON.stringify(shape ?? null)}`;
    let probe = this.probes.get(key);
    if (probe === undefined) {
      try {
        probe = new this.create(leafOptions(this.create, this.base, this.groups, path, shape));
      } catch (error) {
        if (!(error instanceof GradstepError)) throw error;
        throw new InvalidSnapshotError(`${argument}.${error.argument}`, error.value, `${error.expected} (the options the tree and its groups give this leaf)`);
      }
      this.probes.set(key, probe);
    }
    const want = probe.options;
    const have = leaf.options;
    for (const option of Object.keys(want)) {
      if (!sameOption(have[option], want[option])) throw new InvalidSnapshotError(`${argument}.${option}`, have[option], `${JSON.stringify(want[option])}, what the tree's options and groups give this leaf`);
    }
  }

  dispose(): void {
    for (const probe of this.probes.values()) probe.dispose();
  }
}

/** Whether two resolved option values are the same: numbers and strings by identity, schedules by their JSON. */
function sameOption(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  return typeof a === "object" && a !== null && typeof b === "object" && b !== null && JSON.stringify(a) === JSON.stringify(b);
}
