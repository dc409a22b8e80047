import { DECAY, GRAD_SIGN, L2 } from "../kernels/scalars.js";
import { flag, type NonFinitePolicy, nonFiniteRule, nonNegative, oneOf, type OptionRules, type WeightDecayMode } from "../options.js";
import { scheduleBounds } from "../schedules/check-schedule.js";
import type { Schedule } from "../schedules/schedule.js";

/**
 * Options every optimizer accepts besides its own hyperparameters. With their defaults they change
 * nothing: the rule sees the gradient as given.
 *
 * Every rule starts from the effective gradient ĝ and ends with the decoupled decay factor d:
 *
 * ```math
 * \begin{aligned}
 * \hat g &= s\,g + \lambda_{L2}\,\theta_t, && s = -1 \text{ if maximize, else } 1; \quad \lambda_{L2} = \text{weightDecay in mode "l2", else } 0\\
 * \theta_{t+1} &= d\,\theta_t - (\text{the rule's step, computed from } \hat g), && d = 1 - \eta\cdot\text{weightDecay in mode "decoupled", else } 1
 * \end{aligned}
 * ```
 *
 * @example
 * ```ts
 * const opt = new RMSProp({ lr: 0.01, weightDecay: 1e-4, maximize: true, nonFinite: "unchecked" });
 * ```
 */
export interface CommonOptions {
  /**
   * What `step` does when the gradient holds NaN or ±Infinity. `"throw"`: throws a
   * {@link NonFiniteGradientError} naming the first bad index, before anything changes. `"skip"`:
   * the step is skipped atomically (nothing changes, the step count does not advance).
   * `"unchecked"`: no check (one read of the gradient less per step; see bench/ for its cost), and
   * non-finite values flow into the parameters.
   * @defaultValue "throw"
   */
  nonFinite: NonFinitePolicy;
  /** Ascend instead of descend: the rule sees −g (PyTorch's `maximize`). @defaultValue false */
  maximize: boolean;
  /** λ, the weight decay, ≥ 0. @defaultValue `0` (AdamW: 0.01) */
  weightDecay: number;
  /** How λ enters: L2 (added to the gradient) or decoupled (AdamW). See {@link WeightDecayMode}. @defaultValue "l2" */
  weightDecayMode: WeightDecayMode;
}

/**
 * The rules of {@link CommonOptions}, to spread into an optimizer's own.
 *
 * @example
 * ```ts
 * const rules = { lr: positive(0.01), ...commonRules };
 * ```
 */
export const commonRules: OptionRules<CommonOptions> = {
  maximize: flag(false),
  weightDecay: nonNegative(0),
  weightDecayMode: oneOf<WeightDecayMode>("l2", ["l2", "decoupled"]),
  nonFinite: nonFiniteRule,
};

/**
 * What every optimizer's resolved options have: the {@link CommonOptions} and a learning rate.
 *
 * @example
 * ```ts
 * // a rule's options (the O of OptimizerBase<O>) extend it with its own hyperparameters
 * interface HeavyBallOptions extends OptimizerOptions {
 *   beta: number;
 * }
 * const o: HeavyBallOptions = { lr: 0.1, beta: 0.9, nonFinite: "throw", maximize: false, weightDecay: 0, weightDecayMode: "l2" };
 * ```
 */
export interface OptimizerOptions extends CommonOptions {
  /** η, the learning rate (the decoupled weight decay is η·λ). */
  lr: number;
}

/**
 * The index of each numeric option in an optimizer's {@link OptimizerBase.values} block: the numeric
 * rules in the order they are listed.
 *
 * @example
 * ```ts
 * const V = optionIndex({ lr: positive(0.01), ...commonRules }); // { lr: 0, weightDecay: 1 }
 * ```
 */
export function optionIndex<O>(rules: OptionRules<O>): { readonly [K in keyof O]: number } {
  const index: Record<string, number> = {};
  Object.keys(rules)
    .filter((key) => rules[key as keyof O].numeric)
    .forEach((key, i) => {
      index[key] = i;
    });
  return Object.freeze(index) as { [K in keyof O]: number };
}

/**
 * The smallest and largest value an option takes over a run: [x, x] for a number, the bounds of a
 * schedule. Checks between options (PyTorch's "Nesterov needs momentum > 0") use it so that they
 * hold at every step.
 *
 * @example
 * ```ts
 * valueRange({ kind: "linear", initial: 0, final: 0.9, steps: 10 }); // [0, 0.9]
 * ```
 */
export function valueRange(value: number | Schedule): [number, number] {
  return typeof value === "number" ? [value, value] : scheduleBounds(value);
}

/**
 * Writes the common slots of a scalar block (kernels/scalars.ts) from the step's η and λ: the
 * gradient sign s, λ_L2 and the decoupled decay factor d of {@link CommonOptions}.
 * @internal
 */
export function writeCommonScalars(scalars: Float64Array, options: Readonly<Pick<CommonOptions, "maximize" | "weightDecayMode">>, lr: number, weightDecay: number): void {
  scalars[GRAD_SIGN] = options.maximize ? -1 : 1;
  scalars[L2] = options.weightDecayMode === "l2" ? weightDecay : 0;
  scalars[DECAY] = options.weightDecayMode === "decoupled" ? 1 - lr * weightDecay : 1;
}
