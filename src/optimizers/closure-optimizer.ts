import type { Objective } from "../objectives/objective.js";
import type { OptimizerSnapshot } from "./optimizer.js";

/**
 * The contract of an optimizer whose step is given the objective rather than a gradient, as
 * PyTorch's `step(closure)`: {@link LBFGS}. A step evaluates the objective (value and gradient) as
 * often as it needs, at `params` and at trial points of its own, and moves `params` in place.
 * Otherwise it is an {@link Optimizer}: options, counters, snapshots, reset and dispose alike.
 *
 * @example
 * ```ts
 * import { LBFGS, type ClosureOptimizer } from "gradstep";
 * import { rosenbrock } from "gradstep/learn";
 * const opt: ClosureOptimizer = new LBFGS({ lineSearchFn: "strong_wolfe" });
 * const theta = Float64Array.of(-1.2, 1);
 * for (let k = 0; k < 5; k++) opt.step(theta, rosenbrock()); // f before each step
 * ```
 */
export interface ClosureOptimizer {
  /** The optimizer's name, as in snapshots: `"LBFGS"`. */
  readonly kind: string;
  /** The resolved options, every default filled in. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Calls of `step` so far. */
  readonly stepCount: number;
  /** Length of the vectors the state was built for, or `undefined` before the first step. */
  readonly size: number | undefined;
  /**
   * One step: evaluates `objective` at `params` and moves `params` in place.
   * @returns the objective's value at `params` before the step.
   */
  step(params: Float64Array, objective: Objective): number;
  /** Forgets all state; options stay. */
  reset(): void;
  /** The full state as JSON; see {@link OptimizerSnapshot}. */
  snapshot(): OptimizerSnapshot;
  /** Replaces options and state by a snapshot's, checked whole first. */
  restore(snapshot: unknown): void;
  /** Gives the optimizer's memory back; afterwards every method throws a {@link DisposedError}. */
  dispose(): void;
}
