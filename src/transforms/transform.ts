import { InvalidOptionError } from "../errors.js";
import { flag, nonNegative, positive } from "../options.js";
import type { Schedule } from "../schedules/schedule.js";

/**
 * A step that a {@link Chain} applies to the gradient (or, for decoupled weight decay, to the
 * parameters) before its optimizer, as plain data. Numbers may follow a {@link Schedule}.
 *
 * | kind | effect |
 * | --- | --- |
 * | `clipByValue` | g_i ← clamp(g_i, −limit, limit) |
 * | `clipByGlobalNorm` | g ← g·maxNorm/(‖g‖₂ + eps) when that factor is < 1 (PyTorch's clip_grad_norm_ with eps = 1e-6; optax's clip_by_global_norm with eps = 0, the default) |
 * | `addWeightDecay` | g ← g + λ·θ (L2 regularisation, optax's add_decayed_weights) |
 * | `decoupledWeightDecay` | θ ← θ·(1 − η·λ) with `scaleByLr` (PyTorch's AdamW), θ ← θ·(1 − λ) without (Loshchilov & Hutter, where λ carries the schedule) |
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
export type Transform = ClipByValue | ClipByGlobalNorm | AddWeightDecay | DecoupledWeightDecay;

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
  /** Added to the norm in the factor, ≥ 0. Default 0 (optax); PyTorch's clip_grad_norm_ uses 1e-6. */
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
  /** Multiply λ by the optimizer's learning rate of the step (its {@link Optimizer.learningRate}). Default false. */
  readonly scaleByLr?: boolean;
}

type Field = { rule: { check(name: string, value: unknown): unknown; default: unknown } };

const FIELDS: Record<Transform["kind"], Record<string, Field["rule"]>> = {
  clipByValue: { limit: positive(1) },
  clipByGlobalNorm: { maxNorm: positive(1), eps: nonNegative(0, false) },
  addWeightDecay: { weightDecay: nonNegative(0) },
  decoupledWeightDecay: { weightDecay: nonNegative(0), scaleByLr: flag(false) },
};

const REQUIRED: Record<Transform["kind"], string> = {
  clipByValue: "limit",
  clipByGlobalNorm: "maxNorm",
  addWeightDecay: "weightDecay",
  decoupledWeightDecay: "weightDecay",
};

/** Checks a transform whole and returns a frozen copy with defaults filled in; `path` names it in errors. */
export function checkTransform(value: unknown, path: string): Transform {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidOptionError(path, value, "a transform: an object with a kind");
  }
  const raw = value as Record<string, unknown>;
  const kind = Object.prototype.hasOwnProperty.call(raw, "kind") ? raw.kind : undefined;
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
  return Object.freeze(checked) as unknown as Transform;
}
