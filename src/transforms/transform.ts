import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { flag, nonNegative, positive } from "../options.js";
import type { Schedule } from "../schedules/schedule.js";

/**
 * A step that a {@link Chain} applies to the gradient (or, for decoupled weight decay, to the
 * parameters) before its optimizer, or (`projectToBox`, which must come last) to the parameters
 * after the optimizer's step, as plain data. Numbers may follow a {@link Schedule}.
 *
 * | kind | effect |
 * | --- | --- |
 * | `clipByValue` | g_i ← clamp(g_i, −limit, limit) |
 * | `clipByGlobalNorm` | g ← g·maxNorm/(‖g‖₂ + eps) when that factor is < 1 (PyTorch's clip_grad_norm_ with eps = 1e-6; optax's clip_by_global_norm with eps = 0, the default) |
 * | `addWeightDecay` | g ← g + λ·θ (L2 regularisation, optax's add_decayed_weights) |
 * | `decoupledWeightDecay` | θ ← θ·(1 − η·λ) with `scaleByLr` (PyTorch's AdamW), θ ← θ·(1 − λ) without (Loshchilov & Hutter, where λ carries the schedule) |
 * | `projectToBox` | after the optimizer's step, θ_i ← clamp(θ_i, lower_i, upper_i) (projected gradient descent; last in the list) |
 *
 * @example
 * ```ts
 * const transforms: Transform[] = [
 *   { kind: "clipByGlobalNorm", maxNorm: 1 },
 *   { kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true },
 * ];
 * const opt = chain(transforms, new Adam({ lr: 1e-3 })); // = AdamW with gradient clipping
 * ```
 */
export type Transform = ClipByValue | ClipByGlobalNorm | AddWeightDecay | DecoupledWeightDecay | ProjectToBox;

/**
 * g_i ← clamp(g_i, −limit, limit).
 *
 * @example
 * ```ts
 * const t: Transform = { kind: "clipByValue", limit: 5 };
 * ```
 */
export interface ClipByValue {
  /** The transform's kind. */
  readonly kind: "clipByValue";
  /** The bound, > 0. */
  readonly limit: number | Schedule;
}

/**
 * g ← g·maxNorm/(‖g‖₂ + eps) when that factor is below 1.
 *
 * @example
 * ```ts
 * const pytorchStyle: Transform = { kind: "clipByGlobalNorm", maxNorm: 1, eps: 1e-6 };
 * ```
 */
export interface ClipByGlobalNorm {
  /** The transform's kind. */
  readonly kind: "clipByGlobalNorm";
  /** The largest norm let through, > 0. */
  readonly maxNorm: number | Schedule;
  /** Added to the norm in the factor, ≥ 0. @defaultValue `0` (optax); PyTorch's clip_grad_norm_ uses 1e-6 */
  readonly eps?: number;
}

/**
 * g ← g + λ·θ (L2 regularisation).
 *
 * @example
 * ```ts
 * const t: Transform = { kind: "addWeightDecay", weightDecay: 1e-4 };
 * ```
 */
export interface AddWeightDecay {
  /** The transform's kind. */
  readonly kind: "addWeightDecay";
  /** λ, ≥ 0. */
  readonly weightDecay: number | Schedule;
}

/**
 * θ ← θ·(1 − η·λ) (with `scaleByLr`, as PyTorch's AdamW) or θ ← θ·(1 − λ) (as Loshchilov &
 * Hutter write it, λ carrying the schedule), applied after the gradient transforms.
 *
 * @example
 * ```ts
 * const adamwDecay: Transform = { kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true };
 * ```
 */
export interface DecoupledWeightDecay {
  /** The transform's kind. */
  readonly kind: "decoupledWeightDecay";
  /** λ, ≥ 0. */
  readonly weightDecay: number | Schedule;
  /** Multiply λ by the optimizer's learning rate of the step (its {@link Optimizer.learningRate}). @defaultValue false */
  readonly scaleByLr?: boolean;
}

/**
 * Keeps the parameters in a box: after the optimizer's step θ_t + u (u its update), the chain sets
 *
 * ```math
 * \theta_{t+1} = \operatorname{clamp}(\theta_t + u,\ \ell,\ h), \qquad \theta_{t+1,i} = \min\big(\max(\theta_{t,i} + u_i,\ \ell_i),\ h_i\big)
 * ```
 *
 * so the update becomes clamp(θ + u, ℓ, h) − θ and every step lands in the box (a first step also
 * brings parameters that start outside it in). With gradient descent this is projected gradient
 * descent, whose fixed points are the points satisfying the KKT conditions of min f over the box:
 * ∂f/∂θ_i ≥ 0 where θ_i = ℓ_i, ≤ 0 where θ_i = h_i, = 0 between. The optimizer's own state (momentum,
 * Adam's moments) is not projected.
 *
 * It must be the last transform of its chain (it acts on the parameters after the optimizer, where
 * the others act on the gradient before it). Each bound is a number for every coordinate or one
 * number per coordinate; −Infinity/+Infinity (or `null`) leaves a side open, and ℓ_i ≤ h_i. Both
 * are checked when the chain is built, their length against the parameters' before each step's
 * first write; snapshots write open sides as `null`, so that they survive JSON. The clamp is exact
 * (no rounding), the same bits on either backend.
 *
 * Projection alone is not L-BFGS-B: a quasi-Newton step projected afterwards can stall or stop at a
 * point that is not a KKT point, since its curvature model and line search ignore the bounds. Use it
 * with first-order optimizers (SGD, Adam, RMSProp, …).
 *
 * @example
 * ```ts
 * // non-negative weights, the last one also ≤ 1
 * const opt = chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }, { kind: "projectToBox", lower: 0, upper: [Infinity, Infinity, 1] }], new Adam({ lr: 1e-2 }));
 * opt.step(params, grad); // params[i] ≥ 0, params[2] ≤ 1
 * ```
 */
export interface ProjectToBox {
  /** The transform's kind. */
  readonly kind: "projectToBox";
  /** ℓ: one number for every coordinate, or one per coordinate; −Infinity or `null` for none. @defaultValue −Infinity */
  readonly lower?: number | null | ArrayLike<number | null>;
  /** h: one number for every coordinate, or one per coordinate; +Infinity or `null` for none. @defaultValue +Infinity */
  readonly upper?: number | null | ArrayLike<number | null>;
}

/** A bound of a box, checked: a number (not NaN; `null` is the open side's infinity), or a frozen copy of an array of them. */
function boxBound(open: number): Field["rule"] {
  // a lower bound of +Infinity (an upper of −Infinity) leaves no room: refused, like NaN
  const expected = open < 0 ? "a number < +Infinity (−Infinity or null for no bound)" : "a number > −Infinity (+Infinity or null for no bound)";
  const entry = (name: string, value: unknown): number => {
    if (value === null) return open;
    if (typeof value !== "number" || Number.isNaN(value) || value === -open) throw new InvalidOptionError(name, value, expected);
    return value;
  };
  return {
    default: open,
    check(name, value) {
      if (typeof value === "object" && value !== null && typeof (value as ArrayLike<unknown>).length === "number") {
        const given = value as ArrayLike<unknown>;
        const copy = Array.from({ length: given.length }, (_, i) => entry(`${name}[${i}]`, given[i]));
        return Object.freeze(copy);
      }
      return entry(name, value);
    },
  };
}

/** ℓ ≤ h, coordinate by coordinate; the lengths of two arrays equal. */
function checkBox(lower: number | readonly number[], upper: number | readonly number[], path: string): void {
  if (typeof lower !== "number" && typeof upper !== "number" && lower.length !== upper.length) {
    throw new ShapeMismatchError(`${path}.upper`, upper, `length ${lower.length}, the length of ${path}.lower`);
  }
  const n = typeof lower === "number" ? (typeof upper === "number" ? 1 : upper.length) : lower.length;
  for (let i = 0; i < n; i++) {
    const l = typeof lower === "number" ? lower : lower[i];
    const h = typeof upper === "number" ? upper : upper[i];
    if (l <= h) continue;
    if (typeof lower !== "number") throw new InvalidOptionError(`${path}.lower[${i}]`, l, `a bound ≤ upper${typeof upper === "number" ? "" : `[${i}]`} = ${h}`);
    throw new InvalidOptionError(typeof upper === "number" ? `${path}.lower` : `${path}.upper[${i}]`, typeof upper === "number" ? l : h, typeof upper === "number" ? `a bound ≤ upper = ${h}` : `a bound ≥ lower = ${l}`);
  }
}

type Field = { rule: { check(name: string, value: unknown): unknown; default: unknown } };

const FIELDS: Record<Transform["kind"], Record<string, Field["rule"]>> = {
  clipByValue: { limit: positive(1) },
  clipByGlobalNorm: { maxNorm: positive(1), eps: nonNegative(0, false) },
  addWeightDecay: { weightDecay: nonNegative(0) },
  decoupledWeightDecay: { weightDecay: nonNegative(0), scaleByLr: flag(false) },
  projectToBox: { lower: boxBound(-Infinity), upper: boxBound(Infinity) },
};

const REQUIRED: Record<Transform["kind"], string | null> = {
  clipByValue: "limit",
  clipByGlobalNorm: "maxNorm",
  addWeightDecay: "weightDecay",
  decoupledWeightDecay: "weightDecay",
  projectToBox: null,
};

/** Checks a transform whole and returns a frozen copy with defaults filled in; `path` names it in errors. */
export function checkTransform(value: unknown, path: string): Transform {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(path, value, "a transform: an object with a kind");
  }
  const raw = value as Record<string, unknown>;
  const kind = Object.prototype.hasOwnProperty.call(raw, "kind") ? raw.kind : undefined;
  if (kind === "masked") throw new InvalidOptionError(path, value, "a transform of every coordinate: a masked one selects leaves of a tree, so it goes in tree(optimizer, { transforms })");
  if (typeof kind !== "string" || !Object.prototype.hasOwnProperty.call(FIELDS, kind)) {
    throw new InvalidOptionError(`${path}.kind`, kind, `one of ${Object.keys(FIELDS).map((k) => JSON.stringify(k)).join(", ")}`);
  }
  const fields = FIELDS[kind as Transform["kind"]];
  for (const key of Object.keys(raw)) {
    if (key !== "kind" && !Object.prototype.hasOwnProperty.call(fields, key)) {
      throw new InvalidOptionError(`${path}.${key}`, raw[key], `one of the fields of ${kind}: ${Object.keys(fields).join(", ")}`);
    }
  }
  const required = REQUIRED[kind as Transform["kind"]];
  const checked: Record<string, unknown> = { kind };
  for (const key of Object.keys(fields)) {
    const given = Object.prototype.hasOwnProperty.call(raw, key) ? raw[key] : undefined;
    if (given === undefined && key === required) throw new InvalidOptionError(`${path}.${key}`, given, `a value for ${kind}'s ${key}`);
    checked[key] = given === undefined ? fields[key].default : fields[key].check(`${path}.${key}`, given);
  }
  if (kind === "projectToBox") checkBox(checked.lower as number | readonly number[], checked.upper as number | readonly number[], path);
  return Object.freeze(checked) as unknown as Transform;
}
