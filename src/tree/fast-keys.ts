// An engine hint that changes nothing observable: V8 holds an object that was given its keys one by
// one (`tree[name] = leaf`) as a dictionary once it has about twenty, and a `for…in` over a dictionary
// allocates its list of keys at every loop (about 1.6 KB a step for a node of 100 keys). A tree's
// step counts each node's keys (an extra leaf is refused), so such a tree allocated at every step.
// V8 turns an object back into fast mode when it serves as a prototype and a lookup walks to it, and
// enumerates a fast object's keys from a cache, without allocating. (Bluebird's `toFastProperties`
// makes it a function's `prototype`; that left about 60 bytes a step here: `Object.create` does not.)

/** Nodes past this many keys may be dictionaries. */
const FEW_KEYS = 12;

/** The last nodes hinted per node of a layout: a step reads a params, a grad and at times an output tree. */
const RECENT = 4;

/**
 * Hints each node of many keys once, remembering the last few per node of a layout (a lookup in a
 * WeakSet at every step cost about 60 bytes).
 * @internal
 */
export class KeyHints {
  private readonly recent: unknown[];
  constructor(nodes: number) {
    this.recent = new Array<unknown>(nodes * RECENT).fill(undefined);
  }

  /** Asks the engine to keep `node` (node `index` of the layout, with `keyCount` keys) in fast mode, unless done lately. */
  hint(index: number, node: object, keyCount: number): void {
    if (keyCount <= FEW_KEYS) return;
    const recent = this.recent;
    const at = index * RECENT;
    for (let k = 0; k < RECENT; k++) if (recent[at + k] === node) return;
    for (let k = RECENT - 1; k > 0; k--) recent[at + k] = recent[at + k - 1];
    recent[at] = node;
    void (Object.create(node) as Record<string, unknown>).toString; // node as a prototype, and a lookup through it
  }
}
