import type { BatchSampler } from "../data/sampler.js";
import { InvalidSnapshotError } from "../errors.js";
import type { OptimizerSnapshot } from "../optimizers/optimizer.js";
import { decodeFloat64 } from "../snapshot/float64-base64.js";

/**
 * Everything needed to continue a run of `minimize` bit-identically, as JSON: θ (base64 of
 * its float64 bytes), the optimizer's and the sampler's snapshots, and the counters.
 *
 * @example
 * ```ts
 * const first = minimize({ ...options, steps: 100 });
 * const saved = JSON.stringify(first.state);
 * // later (another process), with options built the same way (a fresh optimizer, sampler, params):
 * minimize({ ...options, steps: 1000, resume: JSON.parse(saved) });
 * ```
 */
export interface TrainingState {
  /** Always "gradstep/training". */
  readonly format: "gradstep/training";
  /** Version of this layout: 1. */
  readonly version: 1;
  /** Steps taken. */
  readonly steps: number;
  /** Epochs completed. */
  readonly epochs: number;
  /** Steps the optimizer skipped (a non-finite gradient under `nonFinite: "skip"`), in all and in a row at the end: the run stops after `stop.maxSkippedSteps` in a row. Absent in states saved before they were kept: 0. */
  readonly skipped?: {
    /** Steps skipped in all. */
    readonly total: number;
    /** Steps skipped in a row, up to the last one. */
    readonly inARow: number;
  };
  /** The last full loss the relative-change criterion compares with (null if none). */
  readonly previousLoss: number | null;
  /** θ, base64 of its little-endian float64 bytes. */
  readonly params: string;
  /** The optimizer's snapshot. */
  readonly optimizer: OptimizerSnapshot;
  /** The sampler's snapshot, or null without a sampler. */
  readonly sampler: unknown;
  /** The plateau scheduler's snapshot (only with `plateau`). */
  readonly plateau?: unknown;
  /** The early-stopping record (only with `validation`). */
  readonly validation?: ValidationState;
}

/**
 * The part of a {@link TrainingState} that validation keeps: the best validation loss so far, where
 * it was reached, θ there, how many evaluations since, and the loss of the last one.
 *
 * @example
 * ```ts
 * const v: ValidationState | undefined = result.state.validation;
 * v?.bestStep; // the step of the best validation loss
 * ```
 */
export interface ValidationState {
  /** The best validation loss so far (null before the first finite one). */
  readonly best: number | null;
  /** The step at which it was reached (−1 before). */
  readonly bestStep: number;
  /** Validation evaluations since the best one. */
  readonly sinceBest: number;
  /** θ at the best step, base64 of its float64 bytes (null before). */
  readonly bestParams: string | null;
}

const STATE_FIELDS = ["format", "version", "steps", "epochs", "skipped", "previousLoss", "params", "optimizer", "sampler", "plateau", "validation"];

/**
 * Checks every part of a training state against this run — its own fields, θ's length, the
 * optimizer snapshot's length, the sampler's snapshot — without changing anything. The optimizer's
 * snapshot is checked in full by its restore, which changes nothing when it refuses.
 */
export function checkState(state: TrainingState, n: number, sampler: BatchSampler | undefined, plateau: boolean, validation: boolean): [TrainingState, Float64Array, Float64Array | null] {
  if (typeof state !== "object" || state === null || Array.isArray(state)) throw new InvalidSnapshotError("resume", state, "a training state (MinimizeResult.state)");
  for (const key of Object.keys(state)) {
    if (!STATE_FIELDS.includes(key)) throw new InvalidSnapshotError(`resume.${key}`, (state as unknown as Record<string, unknown>)[key], `only the fields ${STATE_FIELDS.join(", ")}`);
  }
  if (state.format !== "gradstep/training") throw new InvalidSnapshotError("resume.format", state.format, '"gradstep/training"');
  if (state.version !== 1) throw new InvalidSnapshotError("resume.version", state.version, "version 1");
  for (const key of ["steps", "epochs"] as const) {
    if (!Number.isSafeInteger(state[key]) || state[key] < 0) throw new InvalidSnapshotError(`resume.${key}`, state[key], "a whole number ≥ 0");
  }
  if (sampler === undefined && state.sampler !== null) throw new InvalidSnapshotError("resume.sampler", state.sampler, "null (this run has no sampler)");
  if (sampler !== undefined && state.sampler === null) throw new InvalidSnapshotError("resume.sampler", state.sampler, "a sampler's snapshot (this run has a sampler)");
  if (plateau !== (state.plateau !== undefined)) {
    throw new InvalidSnapshotError("resume.plateau", state.plateau, plateau ? "a ReduceLROnPlateau's snapshot (this run has a plateau)" : "no plateau (this run has none)");
  }
  if (sampler === undefined && state.epochs !== state.steps) {
    throw new InvalidSnapshotError("resume.epochs", state.epochs, `${state.steps}, resume.steps (without a sampler each step is an epoch)`);
  }
  if (state.epochs > state.steps) throw new InvalidSnapshotError("resume.epochs", state.epochs, `at most resume.steps = ${state.steps}`);
  checkSkipped(state.skipped, state.steps);
  if (state.previousLoss !== null && typeof state.previousLoss !== "number") throw new InvalidSnapshotError("resume.previousLoss", state.previousLoss, "a number or null");
  const params = typeof state.params === "string" ? decodeFloat64(state.params) : undefined;
  if (params === undefined || params.length !== n) throw new InvalidSnapshotError("resume.params", state.params, `base64 of ${n} float64 values`);
  const optimizer = state.optimizer as unknown;
  if (typeof optimizer !== "object" || optimizer === null) throw new InvalidSnapshotError("resume.optimizer", optimizer, "an optimizer's snapshot");
  const size = (optimizer as { size?: unknown }).size;
  if (size !== null && size !== undefined && size !== n) {
    throw new InvalidSnapshotError("resume.optimizer.size", size, `${n}, the length of params (or null: no state yet)`);
  }
  if (sampler !== undefined) within("resume.sampler", () => sampler.checkSnapshot(state.sampler));
  // An EpochSampler's epochs are the run's (the run counts an epoch when its sampler ends one).
  const drawn = state.sampler as { kind?: unknown; epoch?: unknown } | null;
  if (drawn !== null && drawn.kind === "EpochSampler" && drawn.epoch !== state.epochs) {
    throw new InvalidSnapshotError("resume.sampler.epoch", drawn.epoch, `${state.epochs}, resume.epochs`);
  }
  return [state, params, checkValidationState(state.validation, n, validation, state.steps)];
}

/** A resume's count of skipped steps: whole numbers, those in a row among all, all among the steps. */
function checkSkipped(skipped: unknown, steps: number): void {
  if (skipped === undefined) return;
  const s = skipped as { total?: unknown; inARow?: unknown };
  if (typeof s !== "object" || s === null || Array.isArray(s) || Object.keys(s).some((key) => key !== "total" && key !== "inARow")) {
    throw new InvalidSnapshotError("resume.skipped", skipped, "{ total, inARow }");
  }
  if (!Number.isSafeInteger(s.total) || (s.total as number) < 0 || (s.total as number) > steps) throw new InvalidSnapshotError("resume.skipped.total", s.total, `a whole number from 0 to resume.steps = ${steps}`);
  if (!Number.isSafeInteger(s.inARow) || (s.inARow as number) < 0 || (s.inARow as number) > (s.total as number)) throw new InvalidSnapshotError("resume.skipped.inARow", s.inARow, `a whole number from 0 to resume.skipped.total = ${String(s.total)}`);
}

/** The best θ of a resume's validation record (null before any), after checking the record against this run. */
function checkValidationState(v: ValidationState | undefined, n: number, validation: boolean, steps: number): Float64Array | null {
  if (validation !== (v !== undefined)) {
    throw new InvalidSnapshotError("resume.validation", v, validation ? "the validation record of a run with validation" : "no validation record (this run has no validation)");
  }
  if (v === undefined) return null;
  if (typeof v !== "object" || v === null) throw new InvalidSnapshotError("resume.validation", v, "{ best, bestStep, sinceBest, bestParams }");
  for (const key of Object.keys(v)) if (!["best", "bestStep", "sinceBest", "bestParams"].includes(key)) throw new InvalidSnapshotError(`resume.validation.${key}`, (v as unknown as Record<string, unknown>)[key], "only the fields best, bestStep, sinceBest, bestParams");
  if (!Number.isSafeInteger(v.sinceBest) || v.sinceBest < 0) throw new InvalidSnapshotError("resume.validation.sinceBest", v.sinceBest, "a whole number ≥ 0");
  if (v.best === null) {
    if (v.bestStep !== -1 || v.bestParams !== null) throw new InvalidSnapshotError("resume.validation.bestStep", v.bestStep, "−1 and bestParams null while best is null");
    return null;
  }
  if (typeof v.best !== "number" || !Number.isFinite(v.best)) throw new InvalidSnapshotError("resume.validation.best", v.best, "a finite number or null");
  if (!Number.isSafeInteger(v.bestStep) || v.bestStep < 0 || v.bestStep > steps) throw new InvalidSnapshotError("resume.validation.bestStep", v.bestStep, `a step from 0 to resume.steps = ${steps}`);
  const best = typeof v.bestParams === "string" ? decodeFloat64(v.bestParams) : undefined;
  if (best === undefined || best.length !== n) throw new InvalidSnapshotError("resume.validation.bestParams", v.bestParams, `base64 of ${n} float64 values`);
  return best;
}

/**
 * A plain copy of a resume (its data read once), so that what is checked is what is used: a getter
 * or a Proxy could otherwise answer one thing to the check and another to the restore.
 */
export function plainCopy(resume: TrainingState): TrainingState {
  try {
    return structuredClone(resume);
  } catch (e) {
    throw new InvalidSnapshotError("resume", resume, `a training state of plain data (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Runs `check`, renaming the `snapshot…` path of an {@link InvalidSnapshotError} to `path…`. */
export function within(path: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof InvalidSnapshotError && e.argument.startsWith("snapshot")) {
      throw new InvalidSnapshotError(path + e.argument.slice("snapshot".length), e.value, e.expected);
    }
    throw e;
  }
}
