import { considerThreads } from "../backends/backend.js";
import { PLAN_NUMBERS, PLAN_SLOTS, type WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import { SCALAR_SLOTS } from "../kernels/scalars.js";
import type { LeafOptimizer } from "./tree-groups.js";

/**
 * A tree step that reads the objects of one leaf per set of leaves with equal options, not of every
 * leaf. Leaves with equal options and the same step count step with the same numbers when the rule's
 * numbers come from its options and step count alone ({@link OptimizerBase.stepNumbersFromOptions}):
 * the first leaf of each set (its leader) steps as it would alone, and every other leaf's planned
 * step, kept from the tree's last step (the same vectors, kernel and state), takes its leader's
 * numbers; the step count of those leaves is counted later ({@link SharedStepNumbers.catchUp}).
 *
 * Why: at 10^6 parameters the caches hold none of a leaf's objects from one step to the next, and
 * reading them (optimizer, state store, numbers, Adam's two powers) cost 10–50 µs a step over 100
 * leaves, 1–3% of the step.
 *
 * Valid while the leaves step on the vectors of the records and nothing but these steps changes
 * them: the tree counts the followers' steps before anything reads a leaf (its `leaves` getter), and
 * drops this before anything changes one or a step finds other vectors (stopSharing).
 * @internal
 */
export class SharedStepNumbers {
  /** Steps taken here that the followers have not counted yet. */
  private lag = 0;

  private constructor(
    /** The tree's leaves, their lengths and planned steps (arrays the tree replaces only after dropping this). */
    private readonly leaves: readonly (LeafOptimizer | null)[],
    private readonly sizes: readonly number[],
    private readonly plan: Float64Array,
    private readonly runtime: WasmRuntime,
    /** Each set's leader, in the tree's order. */
    private readonly leaders: Int32Array,
    /** Pairs (follower, its leader), for every other moving leaf. */
    private readonly followers: Int32Array,
    /** The longest moving leaf: a step splits between threads from some length on, which these steps do not. */
    private readonly longest: number,
  ) {}

  /**
   * For a tree whose last step planned every moving leaf (`planned`, into `plan`), all in one memory
   * (`runtimes`), none split between threads, under a rule whose numbers come from its options and
   * step count; `undefined` otherwise.
   */
  static of(leaves: readonly (LeafOptimizer | null)[], sizes: readonly number[], plan: Float64Array, planned: Uint8Array, runtimes: readonly (WasmRuntime | undefined)[]): SharedStepNumbers | undefined {
    let longest = 0;
    let first: LeafOptimizer | undefined;
    let runtime: WasmRuntime | undefined;
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      if (leaf === null) continue;
      if (planned[k] !== 1 || (runtime !== undefined && runtimes[k] !== runtime)) return undefined;
      runtime = runtimes[k];
      first ??= leaf;
      if (sizes[k] > longest) longest = sizes[k];
    }
    // (one rule for every leaf: the first one's answer is every leaf's)
    if (first === undefined || runtime === undefined || !first.stepNumbersFromOptions || runtime.splits(longest)) return undefined;
    const leaders: number[] = [];
    const followers: number[] = [];
    for (let k = 0; k < leaves.length; k++) {
      const leaf = leaves[k];
      if (leaf === null) continue;
      const leader = leaders.find((j) => sameOptions(leaves[j]!.options, leaf.options) && leaves[j]!.stepCount === leaf.stepCount);
      if (leader === undefined) leaders.push(k);
      else followers.push(k, leader);
    }
    return new SharedStepNumbers(leaves, sizes, plan, runtime, Int32Array.from(leaders), Int32Array.from(followers), longest);
  }

  /**
   * One step of every moving leaf from the plan (the records of the tree's last step, which stepped
   * the same vectors). The tree has checked the vectors and the gradient; the leaders' own checks
   * (step limit, numbers) throw here, with nothing changed. Returns false, with nothing changed,
   * where the longest leaf would now split between threads: the tree's own step then takes it.
   */
  step(): boolean {
    const { leaves, sizes, plan } = this;
    const rt = this.runtime;
    considerThreads(rt, this.longest);
    if (rt.splits(this.longest)) return false;
    const leaders = this.leaders;
    for (let i = 0; i < leaders.length; i++) leaves[leaders[i]]!.prepareStep(sizes[leaders[i]]);
    // (every leader planned at the last step, and nothing has changed its state or options since)
    for (let i = 0; i < leaders.length; i++) leaves[leaders[i]]!.planStep(rt, sizes[leaders[i]], plan, leaders[i] * PLAN_SLOTS);
    const followers = this.followers;
    for (let j = 0; j < followers.length; j += 2) {
      const to = followers[j] * PLAN_SLOTS + PLAN_NUMBERS;
      const from = followers[j + 1] * PLAN_SLOTS + PLAN_NUMBERS;
      for (let i = 0; i < SCALAR_SLOTS; i++) plan[to + i] = plan[from + i];
    }
    this.lag += 1;
    rt.runPlans(plan, 0, leaves.length);
    return true;
  }

  /** Counts the steps taken here in each follower, which is then as if it had stepped alone. */
  catchUp(): void {
    if (this.lag === 0) return;
    const followers = this.followers;
    for (let j = 0; j < followers.length; j += 2) this.leaves[followers[j]]!.countSharedSteps(this.lag);
    this.lag = 0;
  }
}

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * Whether two leaves' options are the same values, option by option: numbers by `Object.is` (−0 is
 * not 0), schedules (each leaf has its own checked copy: plain data) field by field.
 */
function sameOptions(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  for (const key of keys) if (!hasOwn.call(b, key) || !sameOptions((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false;
  return true;
}
