declare global {
  // As in TypeScript's lib.esnext.disposable (and @types/node), for projects whose lib predates it
  // (here, in the public types' module, so that the bundled .d.ts keeps it).
  interface SymbolConstructor {
    readonly dispose: unique symbol;
  }
}

/**
 * The contract every gradstep optimizer fulfils.
 *
 * Memory: `step` updates `params` in place and reads `grad`; neither is kept. The optimizer's own
 * state (moments, accumulators) is allocated once, on the first step, sized to `params`; no step
 * allocates after that. `grad` may be the same array as `params` (each entry is read before it is
 * written).
 *
 * Bad input throws a {@link GradstepError} subclass before anything is written.
 *
 * @example
 * ```ts
 * import { Adam, type Optimizer } from "gradstep";
 *
 * // f(x) = Σ (x_i − 1)², ∇f = 2(x − 1)
 * const params = Float64Array.of(0, 0);
 * const grad = new Float64Array(2);
 * const point = new Float64Array(2);
 * const opt: Optimizer = new Adam({ lr: 0.1 });
 * for (let t = 0; t < 500; t++) {
 *   const at = opt.gradientPoint(params, point); // params itself, except for look-ahead rules
 *   for (let i = 0; i < 2; i++) grad[i] = 2 * (at[i] - 1);
 *   opt.step(params, grad);
 * }
 * // params ≈ [1, 1], opt.stepCount === 500
 * ```
 */
export interface Optimizer {
  /** The rule's name, as in snapshots: `"Adam"`, `"Nesterov"`, … */
  readonly kind: string;
  /** The resolved hyperparameters and switches, every default filled in (schedules as given). */
  readonly options: Readonly<Record<string, unknown>>;
  /**
   * Steps taken so far: t in the formulas, 0 before the first step. An integer that stays exact up
   * to 2^53 − 1 steps; the step that would pass it throws a {@link StepLimitError}.
   */
  readonly stepCount: number;
  /**
   * Length of the vectors the state was built for, or `undefined` before the first step
   * (and after {@link Optimizer.reset}).
   */
  readonly size: number | undefined;
  /**
   * One update: θ ← rule(θ, g), in place. Checks first, then writes: on any error nothing has
   * changed. `grad` may be `params` itself (or a view of the same doubles), not a partly
   * overlapping view.
   * @param params θ_t, overwritten with θ_(t+1).
   * @param grad the gradient, evaluated at {@link Optimizer.gradientPoint}.
   * @throws {@link ShapeMismatchError} when `params` and `grad` are not Float64Arrays of one length (the state's, after the first step).
   * @throws {@link NonFiniteGradientError} when `grad` holds NaN or ±Infinity, under `nonFinite: "throw"` (the default).
   * @throws {@link InvalidOptionError} when the hyperparameters of this step make a number of the rule infinite.
   * @throws {@link StepLimitError} at step 2^53 − 1.
   * @throws {@link DisposedError} after `dispose()`.
   */
  step(params: Float64Array, grad: Float64Array): void;
  /**
   * The point at which the gradient for the next step must be evaluated. For most rules that is θ
   * itself and `params` is returned untouched; look-ahead rules ({@link Nesterov}) write their
   * look-ahead point into `out` and return `out`. `out` must not share memory with `params`. Never
   * allocates.
   *
   * @throws {@link ShapeMismatchError} when `params` and `out` differ in length, or from the state's.
   * @throws {@link DisposedError} after `dispose()`.
   */
  gradientPoint(params: Float64Array, out: Float64Array): Float64Array;
  /**
   * The value of a numeric hyperparameter in the step taken when the step count is t (default:
   * the next step): the number given, or its {@link Schedule} evaluated at t. This is the value the
   * step applies.
   *
   * @example
   * ```ts
   * const opt = new SGD({ lr: { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 10 } });
   * opt.valueAt("lr", 25); // 0.025
   * ```
   *
   * @throws {@link InvalidOptionError} for a name that is not a numeric option, or a `t` that is not a whole number ≥ 0.
   * @throws {@link DisposedError} after `dispose()`.
   */
  valueAt(name: string, t?: number): number;
  /**
   * η, the learning rate of the step taken when the step count is t (default: the next step), as
   * `valueAt("lr", t)`; at the default t it must not allocate, since a step may ask it (a
   * {@link Chain}'s `scaleByLr` decay, 1 − η·λ, does). Every gradstep optimizer has it; an
   * optimizer of your own may leave it out (a chain then refuses `scaleByLr`).
   *
   * @example
   * ```ts
   * const opt: Optimizer = new Adam({ lr: { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 10 } });
   * opt.learningRate?.(); // 0.1, for the first step
   * opt.learningRate?.(25); // 0.025
   * ```
   */
  learningRate?(t?: number): number;
  /**
   * Changes options between steps, e.g. a learning rate lowered on a plateau
   * ({@link ReduceLROnPlateau} does it this way). The options given replace the current ones; the
   * result is checked whole (unknown keys, bad values, the rule's cross-option checks) before anything
   * changes, so a bad call throws {@link InvalidOptionError} and leaves the optimizer as it was. The
   * state and the step count are kept: the next step applies the new values, and snapshots record
   * them. Every gradstep optimizer and `Chain` (which passes them to its optimizer) have it; an
   * optimizer of your own may leave it out.
   *
   * @example
   * ```ts
   * const opt = new Adam({ lr: 1e-3 });
   * // … some steps …
   * opt.set({ lr: 1e-4 }); // from the next step on; the moments are kept
   * ```
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range (nothing changes).
   * @throws {@link DisposedError} after `dispose()`.
   */
  set?(options: Readonly<Record<string, unknown>>): void;
  /**
   * Forgets all state: the step count returns to 0 and the buffers are released. Options stay.
   *
   * @throws {@link DisposedError} after `dispose()`.
   */
  reset(): void;
  /**
   * The full state as a JSON-serializable object; see {@link OptimizerSnapshot}.
   *
   * @throws {@link DisposedError} after `dispose()`.
   */
  snapshot(): OptimizerSnapshot;
  /**
   * Replaces options and state by those of a snapshot, after which the optimizer continues bit for
   * bit as the one that took it. The snapshot is checked whole before anything is applied; a bad one
   * throws {@link InvalidSnapshotError} and leaves this optimizer as it was.
   *
   * @throws {@link InvalidSnapshotError} for a snapshot of another rule, a malformed one, one whose options are out of range, or a state the rule cannot reach (a negative second moment or step size).
   * @throws {@link DisposedError} after `dispose()`.
   */
  restore(snapshot: unknown): void;
  /**
   * Gives the optimizer's memory back at once (its state in Wasm memory, whose size the garbage
   * collector does not see) instead of when it is garbage-collected. Every gradstep optimizer and
   * `Chain` have it; an optimizer of your own may leave it out. Idempotent; afterwards every method
   * throws a {@link DisposedError}. `using opt = new Adam()` calls it at the end of the block.
   *
   * @example
   * ```ts
   * const opt = new Adam({ lr: 1e-3 });
   * try {
   *   for (let t = 0; t < 100; t++) opt.step(params, gradient(params));
   * } finally {
   *   opt.dispose();
   * }
   * ```
   */
  dispose?(): void;
}

/**
 * The complete state of an optimizer, as plain JSON.
 *
 * Buffers are the base64 of their IEEE-754 float64 bytes in little-endian order, so that -0,
 * ±Infinity and every last bit survive `JSON.stringify` / `JSON.parse`.
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(opt.snapshot());
 * // … later, maybe in another process:
 * const resumed = new Adam();
 * resumed.restore(JSON.parse(saved)); // continues bit-identically
 * ```
 */
export interface OptimizerSnapshot {
  /** Always `"gradstep/optimizer"`. */
  readonly format: "gradstep/optimizer";
  /** Version of this layout; the current one is 1. */
  readonly version: 1;
  /** The optimizer's {@link Optimizer.kind}. */
  readonly kind: string;
  /** Every option, resolved, as JSON (a schedule as its data; a chain's transforms and optimizer). */
  readonly options: Readonly<Record<string, unknown>>;
  /** {@link Optimizer.stepCount}. */
  readonly stepCount: number;
  /** {@link Optimizer.size}, or `null` when no state has been built yet. */
  readonly size: number | null;
  /** Each state buffer by name (e.g. `firstMoment`), base64 of little-endian float64. */
  readonly buffers: Readonly<Record<string, string>>;
}
