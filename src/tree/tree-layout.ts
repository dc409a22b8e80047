import { InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../errors.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import { KeyHints } from "./fast-keys.js";
import { isShapedLeaf, isTreeNode, type ParamTree } from "./param-tree.js";

const hasOwn = Object.prototype.hasOwnProperty;
const tagOf = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(Float64Array.prototype), Symbol.toStringTag)!.get! as (this: unknown) => string | undefined;

/** An inner node of a layout: its keys from the root. */
interface Node {
  readonly keys: readonly string[];
}

/**
 * The paths and lengths of a {@link ParamTree}'s leaves, taken from the first tree an optimizer
 * steps (or from a snapshot), against which every later tree is read: {@link TreeLayout.read} checks
 * a tree and collects its leaves without allocating, or throws a {@link ShapeMismatchError} naming
 * the missing, extra, mistyped or resized leaf.
 * @internal
 */
export class TreeLayout {
  private constructor(
    /** Each leaf's path, in the tree's order. */
    readonly paths: readonly string[],
    /** Each leaf's length. */
    readonly sizes: readonly number[],
    /** Each leaf's shape, where it was given one. */
    readonly shapes: readonly (readonly number[] | undefined)[],
    private readonly leafKeys: readonly (readonly string[])[],
    nodes: readonly Node[],
  ) {
    // Parents before children, so that one pass finds each node in its parent.
    this.nodes = [...nodes].sort((a, b) => a.keys.length - b.keys.length);
    const index = new Map(this.nodes.map((node, i) => [node.keys.join("/"), i]));
    // Each node's children in the order of the tree the layout was taken from: nodes as ~index, leaves as index.
    // (a subtree sits among its siblings where its first leaf does)
    const firstLeaf = new Map<string, number>();
    leafKeys.forEach((keys, k) => {
      for (let depth = 1; depth < keys.length; depth++) {
        const prefix = keys.slice(0, depth).join("/");
        if (!firstLeaf.has(prefix)) firstLeaf.set(prefix, k);
      }
    });
    const children = this.nodes.map(() => [] as { key: string; slot: number; order: number }[]);
    this.nodes.forEach((node, i) => {
      if (i > 0) children[index.get(node.keys.slice(0, -1).join("/"))!].push({ key: node.keys[node.keys.length - 1], slot: ~i, order: firstLeaf.get(node.keys.join("/"))! });
    });
    leafKeys.forEach((keys, k) => children[index.get(keys.slice(0, -1).join("/"))!].push({ key: keys[keys.length - 1], slot: k, order: k }));
    for (const list of children) list.sort((a, b) => a.order - b.order);
    this.childKeys = children.map((list) => list.map((child) => canonicalKey(child.key)));
    this.childSlots = children.map((list) => Int32Array.from(list, (child) => child.slot));
    this.objects = new Array<unknown>(this.nodes.length);
    this.values = new Array<unknown>(leafKeys.length);
    this.hints = new KeyHints(this.nodes.length);
  }

  private readonly nodes: readonly Node[];
  /** Each node's keys, in the order of the tree the layout was taken from, and where each child goes: ~node or leaf. */
  private readonly childKeys: readonly (readonly string[])[];
  private readonly childSlots: readonly Int32Array[];
  /** The nodes and leaves of the tree being read (cleared after each read). */
  private readonly objects: unknown[];
  private readonly values: unknown[];
  /** The nodes of many keys hinted lately (see fast-keys.ts; these few are kept until replaced). */
  private readonly hints: KeyHints;

  /** The total number of parameters. */
  get total(): number {
    let n = 0;
    for (const size of this.sizes) n += size;
    return n;
  }

  /** The layout of `tree` (named `argument` in errors): every leaf a Float64Array or a shaped leaf, at least one. */
  static of(tree: unknown, argument: string): TreeLayout {
    const paths: string[] = [];
    const sizes: number[] = [];
    const shapes: (readonly number[] | undefined)[] = [];
    const leafKeys: string[][] = [];
    const nodes: Node[] = [];
    const ancestors = new Set<object>(); // a node inside itself would be visited without end
    const visit = (node: unknown, keys: string[]): void => {
      const name = nameOf(argument, keys);
      if (!isTreeNode(node)) throw new ShapeMismatchError(name, node, "a tree: a plain object of Float64Arrays, { data, shape } leaves and subtrees");
      if (ancestors.has(node)) throw new ShapeMismatchError(name, node, "a subtree that does not contain itself (this node is one of its own ancestors)");
      ancestors.add(node);
      let count = 0;
      for (const key in node) {
        if (!hasOwn.call(node, key)) continue;
        count += 1;
        if (key.includes("/") || key === "") throw new ShapeMismatchError(`${name}${keys.length > 0 ? "/" : ""}${key}`, key, "a non-empty key without '/' (paths join keys with '/')");
        const child = (node as Record<string, unknown>)[key];
        const path = [...keys, key];
        if (isTreeNode(child)) {
          visit(child, path);
          continue;
        }
        const { data, shape } = leafOf(child, nameOf(argument, path));
        paths.push(path.join("/"));
        sizes.push(data.length);
        shapes.push(shape);
        leafKeys.push(path);
      }
      if (count === 0) throw new ShapeMismatchError(name, node, "a tree with at least one leaf in every subtree");
      ancestors.delete(node);
      nodes.push({ keys });
    };
    visit(tree, []);
    return new TreeLayout(paths, sizes, shapes, leafKeys, nodes);
  }

  /** The layout of a tree of shapes (a leaf: a length, or an array of dimensions), named `argument` in errors. */
  static ofShapes(spec: unknown, argument: string): TreeLayout {
    const paths: string[] = [];
    const sizes: number[] = [];
    const shapes: (readonly number[] | undefined)[] = [];
    const ancestors = new Set<object>();
    const visit = (node: unknown, keys: string[]): void => {
      const name = nameOf(argument, keys);
      if (typeof node !== "object" || node === null || Array.isArray(node)) throw new InvalidOptionError(name, node, "a tree of shapes: each leaf a length or an array of dimensions");
      if (ancestors.has(node)) throw new InvalidOptionError(name, node, "a subtree that does not contain itself (this node is one of its own ancestors)");
      ancestors.add(node);
      const children = Object.keys(node);
      if (children.length === 0) throw new InvalidOptionError(name, node, "a tree with at least one leaf in every subtree");
      for (const key of children) {
        const child = (node as Record<string, unknown>)[key];
        const path = [...keys, key];
        if (key.includes("/") || key === "") throw new InvalidOptionError(nameOf(argument, path), key, "a non-empty key without '/' (paths join keys with '/')");
        if (typeof child === "number" || Array.isArray(child)) {
          const dims = typeof child === "number" ? [child] : child;
          if (!isShape(dims)) throw new InvalidOptionError(nameOf(argument, path), child, "a length (a whole number ≥ 1) or an array of them");
          paths.push(path.join("/"));
          sizes.push(dims.reduce((a: number, b: number) => a * b, 1));
          shapes.push(typeof child === "number" ? undefined : Object.freeze([...dims]));
        } else visit(child, path);
      }
      ancestors.delete(node);
    };
    visit(spec, []);
    return TreeLayout.fromPaths(paths, sizes, shapes);
  }

  /** Views of a flat vector of {@link TreeLayout.total} numbers, one per leaf, in order. */
  views(flat: Float64Array): Float64Array[] {
    let at = 0;
    return this.sizes.map((size) => flat.subarray(at, (at += size)));
  }

  /** The layout that {@link TreeLayout.of} gives for leaves at `paths` of lengths `sizes` (from a snapshot, already checked). */
  static fromPaths(paths: readonly string[], sizes: readonly number[], shapes: readonly (readonly number[] | undefined)[]): TreeLayout {
    const leafKeys = paths.map((path) => path.split("/"));
    const nodes = new Map<string, Node>();
    for (const keys of leafKeys) {
      for (let depth = 0; depth < keys.length; depth++) {
        const at = keys.slice(0, depth).join("/");
        if (!nodes.has(at)) nodes.set(at, { keys: keys.slice(0, depth) });
      }
    }
    return new TreeLayout([...paths], [...sizes], [...shapes], leafKeys, [...nodes.values()]);
  }

  /**
   * Checks that `tree` (named `argument`) has exactly this layout's leaves, and writes them into
   * `into` (one per leaf). Allocates nothing unless it throws (or a leaf is a Float64Array subclass).
   */
  read(tree: unknown, argument: string, into: Float64Array[]): void {
    const objects = this.objects;
    const values = this.values;
    try {
      objects[0] = tree;
      for (let i = 0; i < this.nodes.length; i++) {
        const node = objects[i];
        if (!isTreeNode(node)) throw new ShapeMismatchError(nameOf(argument, this.nodes[i].keys), node, "a subtree, as in the tree the optimizer was built for");
        const keys = this.childKeys[i];
        const slots = this.childSlots[i];
        const count = keys.length;
        this.hints.hint(i, node, count); // (a node of many keys: or the loop below allocates at every step)
        // Every enumerable key, own or inherited, counted (no hasOwn call per key: this runs every step);
        // only when that count differs are the own keys counted, and a difference there refused. While
        // the keys come in the layout's order, each child is read as enumerated (a lookup by key costs
        // several times more).
        let seen = 0;
        let read = 0;
        for (const key in node) {
          if (read === seen && read < count && key === keys[read]) {
            const slot = slots[read];
            if (slot < 0) objects[~slot] = (node as Record<string, unknown>)[key];
            else values[slot] = (node as Record<string, unknown>)[key];
            read += 1;
          }
          seen += 1;
        }
        if (seen !== count && ownKeyCount(node) !== count) this.refuseKeys(node, this.nodes[i].keys, argument);
        // Own keys come before inherited ones: if the last read is own, all were.
        if (read > 0 && !hasOwn.call(node, keys[read - 1])) {
          for (let c = 0; c < read; c++) if (!hasOwn.call(node, keys[c])) throw missing(argument, this.pathOf(slots[c]));
        }
        for (let c = read; c < count; c++) {
          const slot = slots[c];
          const value = this.child(node, keys[c], argument, this.pathOf(slot));
          if (slot < 0) objects[~slot] = value;
          else values[slot] = value;
        }
      }
      for (let k = 0; k < this.leafKeys.length; k++) {
        const value = values[k];
        const data = dataOf(value, argument, this.leafKeys[k]);
        if (data.length !== this.sizes[k]) {
          throw new ShapeMismatchError(nameOf(argument, this.leafKeys[k]), value, `length ${this.sizes[k]}, the length of this leaf when the optimizer's state was built (call reset() to start over)`);
        }
        into[k] = data;
      }
    } finally {
      for (let i = 0; i < objects.length; i++) objects[i] = undefined;
      for (let k = 0; k < values.length; k++) values[k] = undefined;
    }
  }

  /**
   * Checks the leaves {@link TreeLayout.read} wrote into `into` still have their lengths once every
   * tree of a call has been read: a getter read later may have resized or detached a leaf's buffer.
   */
  checkLengths(into: readonly Float64Array[], argument: string): void {
    for (let k = 0; k < this.sizes.length; k++) {
      if (into[k].length !== this.sizes[k]) {
        throw new ShapeMismatchError(nameOf(argument, this.leafKeys[k]), into[k], `length ${this.sizes[k]}, as when it was read (its buffer was resized or detached while the trees were read)`);
      }
    }
  }

  /** The keys from the root of a child: node ~slot or leaf slot. */
  private pathOf(slot: number): readonly string[] {
    return slot < 0 ? this.nodes[~slot].keys : this.leafKeys[slot];
  }

  /** `node[key]`, an own property, or a {@link ShapeMismatchError} naming the missing path. */
  private child(node: unknown, key: string, argument: string, keys: readonly string[]): unknown {
    if (!hasOwn.call(node, key)) throw missing(argument, keys);
    return (node as Record<string, unknown>)[key];
  }

  /** Throws naming the first key of `node` that the layout does not have, or else the first it misses. */
  private refuseKeys(node: object, keys: readonly string[], argument: string): never {
    const prefix = keys.length === 0 ? "" : `${keys.join("/")}/`;
    const known = new Set(this.paths.filter((p) => p.startsWith(prefix)).map((p) => p.slice(prefix.length).split("/")[0]));
    const extra = Object.keys(node).find((key) => !known.has(key));
    if (extra !== undefined) {
      throw new ShapeMismatchError(nameOf(argument, [...keys, extra]), (node as Record<string, unknown>)[extra], "no leaf or subtree here: the tree the optimizer was built for has none (call reset() to start over with another tree)");
    }
    throw missing(argument, [...keys, [...known].find((key) => !hasOwn.call(node, key)) ?? "?"]);
  }
}

/** The engine's own string for a property key (the one `for…in` gives): compared by identity, not character by character. */
function canonicalKey(key: string): string {
  return Object.keys({ [key]: 0 })[0];
}

function ownKeyCount(node: object): number {
  let n = 0;
  for (const key in node) if (hasOwn.call(node, key)) n += 1;
  return n;
}

/** The error for a leaf or subtree at `keys` that a tree lacks. */
function missing(argument: string, keys: readonly string[]): ShapeMismatchError {
  return new ShapeMismatchError(nameOf(argument, keys), undefined, "a leaf or subtree here, as in the tree the optimizer was built for (it is missing)");
}

/** The argument name of the node at `keys`: `params`, `params/layer1/weight`. */
function nameOf(argument: string, keys: readonly string[]): string {
  return keys.length === 0 ? argument : `${argument}/${keys.join("/")}`;
}

/** A leaf's data, without allocating: the leaf itself, or a shaped leaf's data (its shape was checked when the layout was built). */
function dataOf(value: unknown, argument: string, keys: readonly string[]): Float64Array {
  if (tagOf.call(value) === "Float64Array") return plainFloat64(value, argument);
  const data = isShapedLeaf(value) ? value.data : undefined;
  if (tagOf.call(data) === "Float64Array") return plainFloat64(data, argument);
  throw new ShapeMismatchError(nameOf(argument, keys), value, "a Float64Array or a { data, shape } leaf, as in the tree the optimizer was built for");
}

/** A leaf's data and shape (checked), or a {@link ShapeMismatchError} naming `name`. */
function leafOf(value: unknown, name: string): { data: Float64Array; shape: readonly number[] | undefined } {
  if (tagOf.call(value) === "Float64Array") return { data: plainFloat64(value, name), shape: undefined };
  if (!isShapedLeaf(value)) throw new ShapeMismatchError(name, value, "a Float64Array, a { data, shape } leaf or a subtree");
  if (tagOf.call(value.data) !== "Float64Array") throw new ShapeMismatchError(`${name}.data`, value.data, "a Float64Array");
  const data = plainFloat64(value.data, `${name}.data`);
  const shape = value.shape;
  if (!isShape(shape, data.length)) {
    throw new ShapeMismatchError(`${name}.shape`, shape, `an array of positive integers whose product is ${data.length}, the length of data`);
  }
  return { data, shape: Object.freeze([...shape]) };
}

/**
 * Whether `value` is a leaf's shape: a non-empty array of whole numbers ≥ 1 (every index: a hole in a
 * sparse array is not one), whose product is `length` where given.
 * @internal
 */
export function isShape(value: unknown, length?: number): value is readonly number[] {
  if (!Array.isArray(value) || value.length === 0) return false;
  let product = 1;
  for (let k = 0; k < value.length; k++) {
    const d: unknown = value[k];
    if (!(Number.isSafeInteger(d) && (d as number) > 0)) return false;
    product *= d as number;
  }
  return length === undefined || product === length;
}

/**
 * Checks the leaf paths of a snapshot (`argument`, e.g. `snapshot.leaves`) can be a tree's: keys not
 * empty, and no leaf under another leaf. Throws an {@link InvalidSnapshotError} naming the first
 * that cannot. @internal
 */
export function checkLeafPaths(paths: readonly string[], argument: string): void {
  const given = new Set(paths);
  for (const path of paths) {
    const keys = path.split("/");
    if (keys.some((key) => key === "")) throw new InvalidSnapshotError(`${argument}/${path}`, path, "a path of non-empty keys joined by '/'");
    for (let depth = 1; depth < keys.length; depth++) {
      const above = keys.slice(0, depth).join("/");
      if (given.has(above)) throw new InvalidSnapshotError(`${argument}/${path}`, path, `a leaf not under another leaf (${above} is one)`);
    }
  }
}
