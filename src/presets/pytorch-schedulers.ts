import { InvalidOptionError } from "../errors.js";
import { checkSchedule, InvalidScheduleError } from "../schedules/check-schedule.js";
import type { Schedule } from "../schedules/schedule.js";

/**
 * Each PyTorch scheduler's keyword arguments, as written in Python (snake_case), with PyTorch's
 * required ones required: `SchedulerKeywords["CosineAnnealingLR"]` is what
 * `pytorchSchedulers.CosineAnnealingLR` takes after the base learning rate. A misspelt or missing
 * keyword is a compile error, and at run time an {@link InvalidOptionError} listing the valid names.
 *
 * @example
 * ```ts
 * const keywords: SchedulerKeywords["CosineAnnealingLR"] = { T_max: 100, eta_min: 1e-5 };
 * const lr = pytorchSchedulers.CosineAnnealingLR(0.1, keywords);
 * ```
 */
export interface SchedulerKeywords {
  /** `StepLR(step_size, gamma=0.1)` */
  StepLR: {
    /** Steps between two decays. */
    step_size: number;
    /** The factor of each decay. */
    gamma?: number;
  };
  /** `MultiStepLR(milestones, gamma=0.1)` */
  MultiStepLR: {
    /** The steps at which the rate decays, increasing. */
    milestones: readonly number[];
    /** The factor of each decay. */
    gamma?: number;
  };
  /** `ExponentialLR(gamma)` */
  ExponentialLR: {
    /** The factor of each step. */
    gamma: number;
  };
  /** `CosineAnnealingLR(T_max, eta_min=0)` */
  CosineAnnealingLR: {
    /** Steps of the half cosine. */
    T_max: number;
    /** The rate it anneals to. */
    eta_min?: number;
  };
  /** `LinearLR(start_factor=1/3, end_factor=1, total_iters=5)` */
  LinearLR: {
    /** The factor of the first step. */
    start_factor?: number;
    /** The factor from `total_iters` on. */
    end_factor?: number;
    /** Steps of the ramp. */
    total_iters?: number;
  };
  /** `ConstantLR(factor=1/3, total_iters=5)` */
  ConstantLR: {
    /** The factor of the first `total_iters` steps. */
    factor?: number;
    /** Steps with the factor. */
    total_iters?: number;
  };
  /** `PolynomialLR(total_iters=5, power=1)` */
  PolynomialLR: {
    /** Steps of the decay to 0. */
    total_iters?: number;
    /** The polynomial's power. */
    power?: number;
  };
  /** `OneCycleLR(max_lr, total_steps, pct_start=0.3, anneal_strategy="cos", div_factor=25, final_div_factor=1e4, three_phase=False)` */
  OneCycleLR: {
    /** The peak rate. */
    max_lr: number;
    /** Steps of the whole cycle. */
    total_steps: number;
    /** The share of the steps spent rising. */
    pct_start?: number;
    /** How it rises and falls. */
    anneal_strategy?: "cos" | "linear";
    /** The start rate is max_lr / div_factor. */
    div_factor?: number;
    /** The final rate is the start rate / final_div_factor. */
    final_div_factor?: number;
    /** Rise, fall back to the start rate, then anneal (PyTorch's third phase). */
    three_phase?: boolean;
  };
  /** `CosineAnnealingWarmRestarts(T_0, T_mult=1, eta_min=0)` */
  CosineAnnealingWarmRestarts: {
    /** Steps of the first cycle. */
    T_0: number;
    /** The factor by which each cycle is longer than the one before. */
    T_mult?: number;
    /** The rate each cycle anneals to. */
    eta_min?: number;
  };
}

type SchedulerName = keyof SchedulerKeywords;
type Keywords = Record<string, unknown>;
/** Every keyword of a scheduler with its default (undefined where PyTorch requires one): the type lists them all. */
type Defaults<N extends SchedulerName> = { readonly [K in keyof SchedulerKeywords[N]]-?: SchedulerKeywords[N][K] | undefined };
/** A scheduler's factory: the keywords may be left out when PyTorch requires none. */
type Factory<N extends SchedulerName> = {} extends SchedulerKeywords[N]
  ? (baseLr: number, keywords?: SchedulerKeywords[N]) => Schedule
  : (baseLr: number, keywords: SchedulerKeywords[N]) => Schedule;

/**
 * A factory for one PyTorch scheduler: PyTorch's keywords (`fields` renames those that map one to
 * one onto the schedule's fields, so errors name the keyword), PyTorch's defaults, and the schedule.
 */
function scheduler<N extends SchedulerName>(
  owner: N,
  fields: Record<string, string>,
  defaults: Defaults<N>,
  make: (k: Keywords, baseLr: number) => Record<string, unknown>,
): Factory<N> {
  const factory = (baseLr: number, given: unknown = {}): Schedule => {
    if (typeof given !== "object" || given === null || Array.isArray(given)) {
      throw new InvalidOptionError("keywords", given, `an object with the keyword arguments of ${owner}`);
    }
    const keywords = given as Keywords;
    for (const key of Object.keys(keywords)) {
      if (!Object.prototype.hasOwnProperty.call(defaults, key)) {
        throw new InvalidOptionError(key, keywords[key], `one of ${owner}'s keyword arguments: ${Object.keys(defaults).join(", ")}`, "unknown option");
      }
    }
    const k: Keywords = { ...defaults, ...keywords };
    for (const key of Object.keys(k)) {
      if (k[key] === undefined) throw new InvalidOptionError(key, undefined, `a value for ${owner}'s required argument ${key}`);
    }
    try {
      return checkSchedule(make(k, baseLr), owner);
    } catch (e) {
      const field = e instanceof InvalidScheduleError ? e.argument.slice(owner.length + 1) : "";
      const keyword = Object.keys(fields).find((kw) => fields[kw] === field);
      if (keyword !== undefined) throw new InvalidScheduleError(keyword, (e as InvalidScheduleError).value, (e as InvalidScheduleError).expected);
      throw e;
    }
  };
  return factory as Factory<N>;
}

const REQUIRED = undefined;

/**
 * PyTorch's `torch.optim.lr_scheduler` as gradstep schedules: each factory takes the optimizer's
 * base learning rate and the scheduler's keyword arguments (PyTorch's names and defaults) and
 * returns the {@link Schedule} whose value at step t is the learning rate PyTorch's scheduler gives
 * the t-th optimizer step when `scheduler.step()` is called once per step (checked against
 * PyTorch's own sequences). Pass it as `lr` to any optimizer.
 *
 * `CosineAnnealingLR` continues its cosine past `T_max` (rising again), as PyTorch does; the
 * `cosine` schedule's default is to hold `eta_min` instead.
 *
 * @example
 * ```ts
 * const lr = pytorchSchedulers.CosineAnnealingLR(0.1, { T_max: 100, eta_min: 1e-4 });
 * const opt = pytorch.SGD({ lr, momentum: 0.9 });
 * ```
 */
export const pytorchSchedulers = {
  /** `StepLR(step_size, gamma=0.1)` */
  StepLR: scheduler("StepLR", { step_size: "stepSize", gamma: "gamma" }, { step_size: REQUIRED, gamma: 0.1 }, (k, base) => ({
    kind: "step",
    initial: base,
    gamma: k.gamma,
    stepSize: k.step_size,
  })),
  /** `MultiStepLR(milestones, gamma=0.1)` */
  MultiStepLR: scheduler("MultiStepLR", { milestones: "milestones", gamma: "gamma" }, { milestones: REQUIRED, gamma: 0.1 }, (k, base) => ({
    kind: "multiStep",
    initial: base,
    gamma: k.gamma,
    milestones: k.milestones,
  })),
  /** `ExponentialLR(gamma)` */
  ExponentialLR: scheduler("ExponentialLR", { gamma: "gamma" }, { gamma: REQUIRED }, (k, base) => ({ kind: "exponential", initial: base, gamma: k.gamma })),
  /** `CosineAnnealingLR(T_max, eta_min=0)` */
  CosineAnnealingLR: scheduler("CosineAnnealingLR", { T_max: "period", eta_min: "final" }, { T_max: REQUIRED, eta_min: 0 }, (k, base) => ({
    kind: "cosine",
    initial: base,
    final: k.eta_min,
    period: k.T_max,
    after: "continue",
  })),
  /** `LinearLR(start_factor=1/3, end_factor=1, total_iters=5)` */
  LinearLR: scheduler("LinearLR", { total_iters: "steps" }, { start_factor: 1 / 3, end_factor: 1, total_iters: 5 }, (k, base) => ({
    kind: "linear",
    initial: base * (k.start_factor as number),
    final: base * (k.end_factor as number),
    steps: k.total_iters,
  })),
  /** `ConstantLR(factor=1/3, total_iters=5)` */
  ConstantLR: scheduler("ConstantLR", {}, { factor: 1 / 3, total_iters: 5 }, (k, base) => ({
    kind: "piecewise",
    boundaries: [k.total_iters],
    values: [base * (k.factor as number), base],
  })),
  /** `PolynomialLR(total_iters=5, power=1)` */
  PolynomialLR: scheduler("PolynomialLR", { total_iters: "steps", power: "power" }, { total_iters: 5, power: 1 }, (k, base) => ({
    kind: "polynomial",
    initial: base,
    final: 0,
    steps: k.total_iters,
    power: k.power,
  })),
  /** `OneCycleLR(max_lr, total_steps, pct_start=0.3, anneal_strategy="cos", div_factor=25, final_div_factor=1e4, three_phase=False)`; the base lr is not used, as in PyTorch. PyTorch raises past total_steps; this schedule holds its final lr from step total_steps − 1 on. */
  OneCycleLR: scheduler(
    "OneCycleLR",
    { max_lr: "peak", total_steps: "totalSteps", pct_start: "warmupFraction", anneal_strategy: "anneal", three_phase: "threePhase" },
    { max_lr: REQUIRED, total_steps: REQUIRED, pct_start: 0.3, anneal_strategy: "cos", div_factor: 25, final_div_factor: 1e4, three_phase: false },
    (k) => {
      const initial = (k.max_lr as number) / (k.div_factor as number);
      return {
        kind: "oneCycle",
        initial,
        peak: k.max_lr,
        final: initial / (k.final_div_factor as number),
        totalSteps: k.total_steps,
        warmupFraction: k.pct_start,
        anneal: k.anneal_strategy,
        threePhase: k.three_phase,
      };
    },
  ),
  /** `CosineAnnealingWarmRestarts(T_0, T_mult=1, eta_min=0)` */
  CosineAnnealingWarmRestarts: scheduler(
    "CosineAnnealingWarmRestarts",
    { T_0: "period", T_mult: "periodMultiplier", eta_min: "final" },
    { T_0: REQUIRED, T_mult: 1, eta_min: 0 },
    (k, base) => ({ kind: "cosineRestarts", initial: base, final: k.eta_min, period: k.T_0, periodMultiplier: k.T_mult }),
  ),
};
