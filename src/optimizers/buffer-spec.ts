import { allocateFloat64 } from "../memory/allocate.js";
import type { Schedulable } from "../options.js";

/**
 * One buffer of an optimizer's state.
 *
 * @example
 * ```ts
 * // AMSGrad's running maximum: as long as params, zero at first, only when amsgrad is on.
 * const spec: BufferSpec<AdamOptions> = { name: "maxSecondMoment", needed: (o) => o.amsgrad };
 * ```
 */
export interface BufferSpec<O> {
  /** Its name in snapshots. */
  readonly name: string;
  /** `true` for a single number (e.g. NAdam's running product of μ_t) rather than one per parameter. */
  readonly scalar?: boolean;
  /** Its value before the first step (from options that cannot follow a schedule). @defaultValue 0 */
  readonly initial?: (options: Readonly<Schedulable<O>>) => number;
  /**
   * `true` where every state the rule can reach holds it ≥ 0 (or NaN, after an unchecked non-finite
   * gradient): a second moment, a step size. A snapshot with a negative value in it is refused, since
   * the rule would take its square root or step by it. @defaultValue false
   */
  readonly nonNegative?: boolean;
  /** Whether the options need it at all; a buffer that is not needed has length 0. @defaultValue `undefined`: always needed */
  readonly needed?: (options: Readonly<Schedulable<O>>) => boolean;
  /**
   * Its length for vectors of length n, where that is not n (Adafactor's row and column factors:
   * one number per row, per column). Called only with an n the optimizer accepts. Default: n.
   */
  readonly length?: (n: number, options: Readonly<Schedulable<O>>) => number;
}

/** The length of a buffer for vectors of length n: n (or its own `length`), 1 for a scalar, 0 where the options do not need it. @internal */
export function bufferLength<O>(spec: BufferSpec<O>, n: number, options: Readonly<Schedulable<O>>): number {
  if (spec.needed && !spec.needed(options)) return 0;
  if (spec.scalar) return 1;
  return spec.length === undefined ? n : spec.length(n, options);
}

/** Fresh state for vectors of length n, each buffer at its initial value. @internal */
export function allocateBuffers<O>(specs: readonly BufferSpec<O>[], n: number, options: Readonly<Schedulable<O>>): Float64Array[] {
  return specs.map((spec) => {
    const buffer = allocateFloat64(bufferLength(spec, n, options), `state.${spec.name}`);
    const initial = spec.initial?.(options) ?? 0;
    if (initial !== 0) buffer.fill(initial);
    return buffer;
  });
}
