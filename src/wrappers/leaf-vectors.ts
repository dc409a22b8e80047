import { allocateFloat64 } from "../memory/allocate.js";
import type { ParamTree } from "../tree/param-tree.js";
import type { TreeLayout } from "../tree/tree-layout.js";

/**
 * A wrapper's state vector (a sum, an average, slow weights): one Float64Array, and the views of it
 * that pair with a step's leaves — the vector itself for a flat vector, one view per leaf of a tree
 * in its layout's order. Elementwise math over the views is, bit for bit, the math over the whole.
 * @internal
 */
export class LeafVectors {
  private constructor(
    /** All the numbers, the leaves one after another. */
    readonly flat: Float64Array,
    /** The views, one per leaf. */
    readonly leaves: readonly Float64Array[],
  ) {}

  /** No state yet. */
  static empty(): LeafVectors {
    const flat = new Float64Array(0);
    return new LeafVectors(flat, [flat]);
  }

  /** A zeroed vector of length `n`, one leaf (named `argument` if it cannot be allocated). */
  static ofLength(n: number, argument: string): LeafVectors {
    const flat = allocateFloat64(n, argument);
    return new LeafVectors(flat, [flat]);
  }

  /** A zeroed vector for `layout`'s leaves, a view per leaf. */
  static ofLayout(layout: TreeLayout, argument: string): LeafVectors {
    const flat = allocateFloat64(layout.total, argument);
    return new LeafVectors(flat, layout.views(flat));
  }
}

/**
 * A {@link ParamTree} of `layout`'s paths whose leaves are `leaves` (themselves, not copies); with
 * `shaped`, a leaf the layout has a shape for is a `{ data, shape }` leaf.
 * @internal
 */
export function treeOf(layout: TreeLayout, leaves: readonly Float64Array[], shaped: boolean): ParamTree {
  const root: Record<string, unknown> = {};
  layout.paths.forEach((path, k) => {
    const keys = path.split("/");
    let node = root;
    for (let d = 0; d < keys.length - 1; d++) {
      if (!Object.prototype.hasOwnProperty.call(node, keys[d])) define(node, keys[d], {});
      node = node[keys[d]] as Record<string, unknown>;
    }
    const shape = layout.shapes[k];
    define(node, keys[keys.length - 1], shaped && shape !== undefined ? { data: leaves[k], shape: [...shape] } : leaves[k]);
  });
  return root as ParamTree;
}

/** Defined, not assigned: a key named `__proto__` must be an own field, not the object's prototype. */
function define(node: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(node, key, { value, enumerable: true, writable: true, configurable: true });
}
