/**
 * A schedule: a hyperparameter's value as a pure function of the step t (0 for the first step),
 * written as plain, JSON-serializable data. Any numeric hyperparameter of an optimizer (lr, β,
 * momentum, weight decay, …) accepts a schedule in place of a number; {@link scheduleValue}
 * evaluates one, and `optimizer.valueAt(name, t)` reads the value a given step applies.
 *
 * | kind | value at step t |
 * | --- | --- |
 * | `constant` | value |
 * | `step` | initial·γ^⌊t / stepSize⌋ |
 * | `multiStep` | initial·γ^(number of milestones ≤ t) |
 * | `exponential` | initial·γ^t |
 * | `cosine` | final + (initial − final)·(1 + cos(π·t/period))/2 for t ≤ period; then `final` (after "hold") or the cosine continued, between initial and final (after "continue", as PyTorch) |
 * | `linear` | initial + (final − initial)·min(t, steps)/steps: final from t = steps on |
 * | `polynomial` | final + (initial − final)·(1 − min(t, steps)/steps)^power: final from t = steps on |
 * | `oneCycle` | initial → peak over the first warmupFraction of totalSteps, then peak → final (cos or linear); with threePhase, peak → initial → final; final from t = totalSteps − 1 on |
 * | `cosineRestarts` | cosine from initial to final over periods period, period·multiplier, period·multiplier², … |
 * | `piecewise` | values[i] where i = number of boundaries ≤ t |
 * | `sequence` | schedules[i] evaluated at t − boundaries[i − 1], for boundaries[i − 1] ≤ t < boundaries[i] |
 *
 * Every value, at every step t ≥ 0, lies within the schedule's bounds: the span of its initial,
 * peak and final values (with 0 or ±∞ for step and exponential decay or growth) or of its pieces.
 * A schedule with a horizon (linear and polynomial after steps, cosine with "hold" after period,
 * oneCycle after totalSteps − 1) holds its final value after it, as PyTorch's LinearLR and
 * PolynomialLR do (PyTorch's OneCycleLR refuses to step past total_steps). Interpolations are
 * computed from the end nearer 0, so they do not cancel: a decay to 0 ends at exactly 0, a cosine
 * from 1e−20 starts at exactly 1e−20. Each value is finally clamped to the bounds, against rounding.
 *
 * @example
 * ```ts
 * // five warm-up steps from 0 to 1e-3, then cosine decay to 1e-5 over 995 steps
 * const lr: Schedule = {
 *   kind: "sequence",
 *   boundaries: [5],
 *   schedules: [
 *     { kind: "linear", initial: 0, final: 1e-3, steps: 5 },
 *     { kind: "cosine", initial: 1e-3, final: 1e-5, period: 995 },
 *   ],
 * };
 * const opt = new Adam({ lr });
 * ```
 */
export type Schedule =
  | ConstantSchedule
  | StepSchedule
  | MultiStepSchedule
  | ExponentialSchedule
  | CosineSchedule
  | LinearSchedule
  | PolynomialSchedule
  | OneCycleSchedule
  | CosineRestartsSchedule
  | PiecewiseSchedule
  | SequenceSchedule;

/**
 * value, at every step.
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "constant", value: 0.01 };
 * ```
 */
export interface ConstantSchedule {
  /** The schedule's kind: `"constant"`. */
  readonly kind: "constant";
  /** The value. */
  readonly value: number;
}

/**
 * initial·γ^⌊t / stepSize⌋ (PyTorch's StepLR).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 7 };
 * ```
 */
export interface StepSchedule {
  /** The schedule's kind: `"step"`. */
  readonly kind: "step";
  /** The value at t = 0. */
  readonly initial: number;
  /** γ > 0, the factor applied every stepSize steps. */
  readonly gamma: number;
  /** A whole number of steps ≥ 1. */
  readonly stepSize: number;
}

/**
 * initial·γ^(milestones passed) (PyTorch's MultiStepLR).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "multiStep", initial: 0.1, gamma: 0.3, milestones: [5, 12, 30] };
 * ```
 */
export interface MultiStepSchedule {
  /** The schedule's kind: `"multiStep"`. */
  readonly kind: "multiStep";
  /** The value at t = 0. */
  readonly initial: number;
  /** γ > 0, the factor applied at each milestone. */
  readonly gamma: number;
  /** Strictly increasing whole numbers ≥ 1: from step m on, one more factor γ applies. */
  readonly milestones: readonly number[];
}

/**
 * initial·γ^t (PyTorch's ExponentialLR).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "exponential", initial: 0.1, gamma: 0.95 };
 * ```
 */
export interface ExponentialSchedule {
  /** The schedule's kind: `"exponential"`. */
  readonly kind: "exponential";
  /** The value at t = 0. */
  readonly initial: number;
  /** γ > 0, the factor per step. */
  readonly gamma: number;
}

/**
 * Cosine annealing from initial to final over period steps (PyTorch's CosineAnnealingLR, optax's
 * cosine_decay_schedule), then final held or the cosine continued (rising back to initial, and so
 * on: always between the two).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "cosine", initial: 0.1, final: 0.001, period: 30 };
 * ```
 */
export interface CosineSchedule {
  /** The schedule's kind: `"cosine"`. */
  readonly kind: "cosine";
  /** The value at t = 0. */
  readonly initial: number;
  /** The value at t = period. */
  readonly final: number;
  /** A whole number of steps ≥ 1. */
  readonly period: number;
  /** After the period: `"hold"` final or `"continue"` the cosine, rising again (PyTorch). @defaultValue `"hold"` (optax) */
  readonly after?: "hold" | "continue";
}

/**
 * A straight line from initial to final over steps steps, then final (warm-up; PyTorch's LinearLR).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "linear", initial: 0, final: 1e-3, steps: 100 };
 * ```
 */
export interface LinearSchedule {
  /** The schedule's kind: `"linear"`. */
  readonly kind: "linear";
  /** The value at t = 0. */
  readonly initial: number;
  /** The value from t = steps on. */
  readonly final: number;
  /** A whole number of steps ≥ 1. */
  readonly steps: number;
}

/**
 * final + (initial − final)·(1 − t/steps)^power, then final (PyTorch's PolynomialLR with final 0).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "polynomial", initial: 0.1, final: 0, steps: 25, power: 2 };
 * ```
 */
export interface PolynomialSchedule {
  /** The schedule's kind: `"polynomial"`. */
  readonly kind: "polynomial";
  /** The value at t = 0. */
  readonly initial: number;
  /** The value from t = steps on. @defaultValue 0 */
  readonly final?: number;
  /** A whole number of steps ≥ 1. */
  readonly steps: number;
  /** The power, > 0. @defaultValue 1 */
  readonly power?: number;
}

/**
 * The one-cycle policy (Smith & Topin; PyTorch's OneCycleLR): from initial up to peak over the first
 * warmupFraction of totalSteps, then down to final, reached at t = totalSteps − 1 and held after;
 * annealed by cosine (default) or linearly. With threePhase, peak → initial over a second equal
 * phase, then initial → final. Any hyperparameter: for momentum, give a peak below initial.
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "oneCycle", initial: 0.02, peak: 0.5, final: 2e-6, totalSteps: 40 };
 * ```
 */
export interface OneCycleSchedule {
  /** The schedule's kind: `"oneCycle"`. */
  readonly kind: "oneCycle";
  /** The value at t = 0 (PyTorch: max_lr / div_factor). */
  readonly initial: number;
  /** The value at the end of the warm-up (PyTorch: max_lr). */
  readonly peak: number;
  /** The value at t = totalSteps − 1 (PyTorch: initial / final_div_factor). */
  readonly final: number;
  /** A whole number of steps ≥ 2; from t = totalSteps − 1 on, the value is final (PyTorch refuses steps past totalSteps). */
  readonly totalSteps: number;
  /** The warm-up's share of totalSteps, in (0, 1). @defaultValue 0.3 */
  readonly warmupFraction?: number;
  /** `"cos"` or `"linear"`. @defaultValue "cos" */
  readonly anneal?: "cos" | "linear";
  /** Three phases instead of two. @defaultValue false */
  readonly threePhase?: boolean;
}

/**
 * Cosine annealing with warm restarts (SGDR, Loshchilov & Hutter; PyTorch's
 * CosineAnnealingWarmRestarts): cosines from initial to final over periods T₀, T₀·m, T₀·m², …
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "cosineRestarts", initial: 0.1, final: 0.01, period: 10, periodMultiplier: 2 };
 * ```
 */
export interface CosineRestartsSchedule {
  /** The schedule's kind: `"cosineRestarts"`. */
  readonly kind: "cosineRestarts";
  /** The value at the start of each period. */
  readonly initial: number;
  /** The value each period tends to. */
  readonly final: number;
  /** T₀, the first period: a whole number ≥ 1. */
  readonly period: number;
  /** m, a whole number ≥ 1 that multiplies each next period. @defaultValue 1 */
  readonly periodMultiplier?: number;
}

/**
 * Constant pieces: values[i] from boundaries[i − 1] on.
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "piecewise", boundaries: [100, 200], values: [0.1, 0.01, 0.001] };
 * ```
 */
export interface PiecewiseSchedule {
  /** The schedule's kind: `"piecewise"`. */
  readonly kind: "piecewise";
  /** Strictly increasing whole numbers ≥ 1. */
  readonly boundaries: readonly number[];
  /** One more value than boundaries. */
  readonly values: readonly number[];
}

/**
 * Schedules one after another, each on its own clock starting at 0 (PyTorch's SequentialLR,
 * optax's join_schedules).
 *
 * @example
 * ```ts
 * const s: Schedule = { kind: "sequence", boundaries: [10], schedules: [warmup, decay] };
 * ```
 */
export interface SequenceSchedule {
  /** The schedule's kind: `"sequence"`. */
  readonly kind: "sequence";
  /** Strictly increasing whole numbers ≥ 1: schedules[i] starts at boundaries[i − 1]. */
  readonly boundaries: readonly number[];
  /** One more schedule than boundaries. */
  readonly schedules: readonly Schedule[];
}
