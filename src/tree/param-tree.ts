/**
 * A leaf of a {@link ParamTree} that carries its shape, for rules that read one (a matrix's rows and
 * columns). `shape`'s product must equal `data.length`.
 *
 * @example
 * ```ts
 * const weight: ShapedLeaf = { data: new Float64Array(6), shape: [2, 3] }; // 2 rows, 3 columns, row-major
 * ```
 */
export interface ShapedLeaf {
  /** The numbers, row-major. */
  readonly data: Float64Array;
  /** The sizes of the dimensions: positive integers whose product is `data.length`. */
  readonly shape: readonly number[];
}

/**
 * Parameters (or gradients) as named vectors: a plain object whose values are `Float64Array`s,
 * {@link ShapedLeaf}s or nested trees. A leaf's path is its keys joined by `/`
 * (`"layer1/weight"`), in the order the object lists them; keys may not contain `/`. A
 * `{ data, shape }` object with exactly those two keys is a shaped leaf; any other object is a subtree.
 *
 * Stepping a tree with a {@link TreeOptimizer} steps each leaf as its own vector, with the options
 * of its group; the gradient is a tree of the same paths and lengths.
 *
 * @example
 * ```ts
 * const params: ParamTree = {
 *   hidden: { weight: { data: new Float64Array(8 * 4), shape: [8, 4] }, bias: new Float64Array(8) },
 *   output: { weight: new Float64Array(8), bias: new Float64Array(1) },
 * };
 * // leaf paths: hidden/weight, hidden/bias, output/weight, output/bias
 * ```
 */
export interface ParamTree {
  readonly [name: string]: Float64Array | ShapedLeaf | ParamTree;
}

const hasOwn = Object.prototype.hasOwnProperty;

/** Whether `node` is a shaped leaf: an object with exactly the keys `data` and `shape`. @internal */
export function isShapedLeaf(node: unknown): node is ShapedLeaf {
  if (typeof node !== "object" || node === null || !hasOwn.call(node, "data") || !hasOwn.call(node, "shape")) return false;
  let keys = 0;
  for (const key in node) if (hasOwn.call(node, key)) keys += 1;
  return keys === 2;
}

/** Whether `node` is a tree node (not a leaf): a non-null object that is neither a typed array nor a shaped leaf. @internal */
export function isTreeNode(node: unknown): node is ParamTree {
  return typeof node === "object" && node !== null && !ArrayBuffer.isView(node) && !Array.isArray(node) && !isShapedLeaf(node);
}
