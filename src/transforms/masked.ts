import { InvalidOptionError } from "../errors.js";
import { compilePathMatch, type PathMatch } from "../tree/path-match.js";
import { checkTransform, type Transform } from "./transform.js";

/**
 * A {@link Transform} applied only to the leaves of a tree that `mask` selects (optax's `masked`);
 * the other leaves pass through it unchanged. A masked `clipByGlobalNorm` takes the norm of the
 * selected leaves alone. Masks select leaves, so masked transforms belong to trees: in
 * `tree(optimizer, { transforms })` or in a chain given to `tree`.
 *
 * @example
 * ```ts
 * // L2 decay on the weights only, not on the biases
 * const decay: Masked = masked({ kind: "addWeightDecay", weightDecay: 1e-4 }, (path) => !path.endsWith("bias"));
 * ```
 */
export interface Masked {
  /** The transform's kind. */
  readonly kind: "masked";
  /** The transform the selected leaves go through. */
  readonly transform: Transform;
  /** The leaves it applies to. */
  readonly mask: PathMatch;
}

/** A transform of a tree's gradient: a {@link Transform} for every leaf, or a {@link Masked} one for some. */
export type TreeTransform = Transform | Masked;

/**
 * `transform` for the leaves `mask` selects: see {@link Masked}.
 *
 * ```text
 * for each leaf ℓ:   ĝ_ℓ ← T(ĝ_ℓ, θ_ℓ) if mask(path of ℓ), else ĝ_ℓ
 * ```
 *
 * @param transform the transform (checked now).
 * @param mask the leaves it applies to: a path or glob, a RegExp, a function of the path, or an array of these.
 * @throws {@link InvalidOptionError} for a transform or mask that is not one (naming `transform.…` or `mask`).
 *
 * @example
 * ```ts
 * const opt = tree(new SGD({ lr: 0.1, momentum: 0.9 }), {
 *   transforms: [masked({ kind: "addWeightDecay", weightDecay: 5e-4 }, /weight$/)],
 * });
 * ```
 */
export function masked(transform: Transform, mask: PathMatch): Masked {
  return checkTreeTransform({ kind: "masked", transform, mask }, "masked") as Masked;
}

/** Checks a tree transform whole (a masked one's transform and mask too); returns a frozen copy. @internal */
export function checkTreeTransform(value: unknown, path: string): TreeTransform {
  if (typeof value !== "object" || value === null || (value as { kind?: unknown }).kind !== "masked") return checkTransform(value, path);
  const raw = value as Record<string, unknown>;
  for (const key of Object.keys(raw)) if (!["kind", "transform", "mask"].includes(key)) throw new InvalidOptionError(`${path}.${key}`, raw[key], "one of the fields of masked: transform, mask");
  const transform = checkTransform(raw.transform, `${path}.transform`);
  compilePathMatch(raw.mask, `${path}.mask`);
  return Object.freeze({ kind: "masked", transform, mask: frozenCopy(raw.mask as PathMatch) });
}

/** A mask as checked: an array of them copied and frozen (a later change to the caller's array is not the checked mask). */
function frozenCopy(mask: PathMatch): PathMatch {
  return Array.isArray(mask) ? Object.freeze(mask.map((m: PathMatch) => frozenCopy(m))) : mask;
}
