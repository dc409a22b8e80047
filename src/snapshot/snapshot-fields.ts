import { InvalidSnapshotError } from "../errors.js";

/** The `format` every optimizer snapshot (a Chain's included) carries. */
export const SNAPSHOT_FORMAT = "gradstep/optimizer";
/** The snapshot layout's version. */
export const SNAPSHOT_VERSION = 1;
const FIELDS = ["format", "version", "kind", "options", "stepCount", "size", "buffers"];

/** An own property only: a snapshot's `__proto__` or `constructor` keys are never followed. */
export function own(from: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(from, key) ? from[key] : undefined;
}

/** `value` if it is a plain object (or a string), else an {@link InvalidSnapshotError} naming `path`. */
export function expectField(path: string, value: unknown, type: "object"): Record<string, unknown>;
export function expectField(path: string, value: unknown, type: "string"): string;
export function expectField(path: string, value: unknown, type: "object" | "string"): unknown {
  const ok = type === "object" ? typeof value === "object" && value !== null && !Array.isArray(value) : typeof value === type;
  if (!ok) throw new InvalidSnapshotError(path, value, type === "object" ? "a plain object" : "a string");
  return value;
}

/** Checks a snapshot's envelope — an object with only the known fields, the format, version and kind — and returns it. */
export function checkSnapshotHeader(snapshot: unknown, kind: string): Record<string, unknown> {
  const s = expectField("snapshot", snapshot, "object");
  for (const key of Object.keys(s)) {
    if (!FIELDS.includes(key)) throw new InvalidSnapshotError(`snapshot.${key}`, s[key], `only the fields ${FIELDS.join(", ")}`);
  }
  if (own(s, "format") !== SNAPSHOT_FORMAT) throw new InvalidSnapshotError("snapshot.format", own(s, "format"), JSON.stringify(SNAPSHOT_FORMAT));
  if (own(s, "version") !== SNAPSHOT_VERSION) throw new InvalidSnapshotError("snapshot.version", own(s, "version"), `version ${SNAPSHOT_VERSION}`);
  if (own(s, "kind") !== kind) throw new InvalidSnapshotError("snapshot.kind", own(s, "kind"), `a snapshot of ${kind}`);
  return s;
}

/**
 * Checks that the `stepCount` of a wrapper's snapshot (a chain's, an average's) is its optimizer's,
 * which it only repeats; where the optimizer's snapshot has none (one of another library), that it
 * is a whole number ≥ 0.
 */
export function checkMirroredStepCount(fields: Record<string, unknown>, inner: unknown): void {
  const given = own(fields, "stepCount");
  const innerSteps = typeof inner === "object" && inner !== null ? own(inner as Record<string, unknown>, "stepCount") : undefined;
  if (typeof innerSteps === "number" ? given !== innerSteps : !(Number.isSafeInteger(given) && (given as number) >= 0)) {
    throw new InvalidSnapshotError("snapshot.stepCount", given, typeof innerSteps === "number" ? `${innerSteps}, the optimizer's (snapshot.options.optimizer.stepCount)` : "a whole number of steps");
  }
}
