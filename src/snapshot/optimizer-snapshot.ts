import { GradstepError, InvalidSnapshotError } from "../errors.js";
import { guardAllocation } from "../memory/allocate.js";
import { type OptionRules, resolveOptions, type Schedulable } from "../options.js";
import { type BufferSpec, bufferLength } from "../optimizers/buffer-spec.js";
import type { OptimizerSnapshot } from "../optimizers/optimizer.js";
import { decodeFloat64, encodeFloat64 } from "./float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "./snapshot-fields.js";

/** What an optimizer's snapshot holds, decoded: what `restore` adopts. @internal */
export interface OptimizerState<O> {
  readonly options: Readonly<Schedulable<O>>;
  readonly stepCount: number;
  /** The state's length, `undefined` before the first step (and then `buffers` is empty). */
  readonly size: number | undefined;
  readonly buffers: Float64Array[];
}

/** How an optimizer reads its snapshots: its kind, its option rules and cross-option check, its buffers. @internal */
export interface SnapshotLayout<O> {
  readonly kind: string;
  readonly rules: OptionRules<O>;
  readonly check: (options: Readonly<Schedulable<O>>) => void;
  readonly buffers: readonly BufferSpec<O>[];
  /** What vectors of length n must be under these options, where they are not any length (a matrix's); `undefined` where n fits. */
  readonly sizeProblem?: (n: number, options: Readonly<Schedulable<O>>) => string | undefined;
}

/** An optimizer's state as an {@link OptimizerSnapshot} (each buffer as base64 of its float64 bytes). @internal */
export function encodeOptimizerSnapshot<O>(layout: SnapshotLayout<O>, state: OptimizerState<O>): OptimizerSnapshot {
  const buffers: Record<string, string> = {};
  layout.buffers.forEach(({ name }, i) => {
    buffers[name] = encodeFloat64(state.buffers[i] ?? new Float64Array(0));
  });
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    kind: layout.kind,
    options: { ...state.options },
    stepCount: state.stepCount,
    size: state.size ?? null,
    buffers,
  };
}

/**
 * Checks a snapshot whole and decodes it; throws an {@link InvalidSnapshotError} naming the first
 * bad field (an option's error becomes one at `snapshot.options.<name>`), or an
 * {@link OutOfMemoryError} where a buffer cannot be allocated. It changes nothing: the caller
 * adopts the result once this has returned.
 * @internal
 */
export function decodeOptimizerSnapshot<O>(snapshot: unknown, layout: SnapshotLayout<O>): OptimizerState<O> {
  const { kind, buffers: specs } = layout;
  const s = checkSnapshotHeader(snapshot, kind);
  let options: Readonly<Schedulable<O>>;
  try {
    options = resolveOptions(kind, layout.rules, expectField("snapshot.options", own(s, "options"), "object"), true);
    layout.check(options);
  } catch (e) {
    if (e instanceof InvalidSnapshotError || !(e instanceof GradstepError)) throw e;
    throw new InvalidSnapshotError(`snapshot.options.${e.argument}`, e.value, e.expected);
  }
  const stepCount = own(s, "stepCount");
  if (!Number.isSafeInteger(stepCount) || (stepCount as number) < 0) {
    throw new InvalidSnapshotError("snapshot.stepCount", stepCount, "an integer in [0, 2^53 − 1]");
  }
  const size = own(s, "size");
  if (size !== null && (!Number.isSafeInteger(size) || (size as number) < 0)) {
    throw new InvalidSnapshotError("snapshot.size", size, "null or an integer ≥ 0");
  }
  if (size === null && stepCount !== 0) throw new InvalidSnapshotError("snapshot.size", size, "the state's length, since stepCount > 0");
  const problem = size === null ? undefined : layout.sizeProblem?.(size as number, options);
  if (problem !== undefined) throw new InvalidSnapshotError("snapshot.size", size, `${problem} (the snapshot's options)`);
  const given = expectField("snapshot.buffers", own(s, "buffers"), "object");
  const names = specs.map((b) => b.name);
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) {
      throw new InvalidSnapshotError(`snapshot.buffers.${key}`, given[key], `only the buffers of ${kind}: ${names.join(", ") || "none"}`);
    }
  }
  const buffers = specs.map((spec) => {
    const path = `snapshot.buffers.${spec.name}`;
    const text = expectField(path, own(given, spec.name), "string");
    const length = size === null ? 0 : bufferLength(spec, size as number, options);
    const values = guardAllocation(path, length, () => decodeFloat64(text));
    if (values === undefined || values.length !== length) {
      throw new InvalidSnapshotError(path, text, `base64 of ${length} little-endian float64 values`);
    }
    if (spec.nonNegative === true) {
      const i = values.findIndex((v) => v < 0);
      if (i >= 0) throw new InvalidSnapshotError(path, text, `values ≥ 0 (a ${kind} state cannot reach ${values[i]})`, `at index ${i}`);
    }
    return values;
  });
  return { options, stepCount: stepCount as number, size: size === null ? undefined : (size as number), buffers: size === null ? [] : buffers };
}
