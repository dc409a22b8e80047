import type { BatchSampler } from "../data/sampler.js";
import { InvalidOptionError, InvalidSnapshotError, NonFiniteGradientError, ShapeMismatchError } from "../errors.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import type { OptimizerSnapshot } from "../optimizers/optimizer.js";
import type { Objective } from "../objectives/objective.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import type { ReduceLROnPlateau } from "../schedules/reduce-on-plateau.js";

/** Why {@link minimize} stopped. */
export type StopReason = "steps" | "epochs" | "gradientNorm" | "relativeChange" | "targetLoss" | "time" | "callback" | "aborted" | "nonFinite";

/**
 * What {@link minimize} stops on, besides its budget. The loss criteria are judged on the full
 * objective, evaluated at the end of each epoch (each step without a sampler).
 *
 * @example
 * ```ts
 * const stop: StopCriteria = { gradientNorm: 1e-8, relativeChange: 1e-12, maxTimeMs: 5000 };
 * ```
 */
export interface StopCriteria {
  /** Stop when the step's gradient has ‖g‖₂ ≤ this. */
  gradientNorm?: number;
  /** Stop when |J_prev − J| ≤ this·max(|J_prev|, tiny) between two evaluations of the full loss. */
  relativeChange?: number;
  /** Stop when the full loss is ≤ this. */
  targetLoss?: number;
  /** Stop after this many milliseconds of wall time. */
  maxTimeMs?: number;
  /**
   * Stop with reason `"nonFinite"` after this many consecutive steps the optimizer skipped (under
   * `nonFinite: "skip"` a step with a non-finite gradient changes nothing, not even
   * {@link Optimizer.stepCount}, which is how a skip is seen). A whole number ≥ 1, or Infinity
   * never to stop for this. Default 10.
   */
  maxSkippedSteps?: number;
}

/**
 * What {@link minimize} records: the full loss (and θ, unless `path: false`) at step 0, every
 * `every` steps and at the end, and the full loss at the end of each epoch.
 *
 * @example
 * ```ts
 * const record: RecordOptions = { every: 10 }; // θ and the loss at steps 0, 10, 20, … and the last
 * const lossesOnly: RecordOptions = { path: false }; // the losses without θ's history
 * ```
 */
export interface RecordOptions {
  /** The stride, in steps. Default 1. */
  every?: number;
  /** Record θ at each recorded step ({@link MinimizeRecording.path}). Default true; false records the losses only. */
  path?: boolean;
}

/**
 * Options of {@link minimize}.
 *
 * @example
 * ```ts
 * const options: MinimizeOptions = { objective, optimizer: new Adam({ lr: 0.05 }), params, steps: 100 };
 * ```
 */
export interface MinimizeOptions {
  /** What to minimise. */
  objective: Objective;
  /** How to step. */
  optimizer: Optimizer;
  /** θ: the start, updated in place. */
  params: Float64Array;
  /** Which examples each step uses; without one, every step is a full-batch step. */
  sampler?: BatchSampler;
  /** The step budget. */
  steps?: number;
  /** The epoch budget (with a sampler). At least one of steps and epochs must be given. */
  epochs?: number;
  /** Early stopping. */
  stop?: StopCriteria;
  /** Record the full loss (and θ, unless `path: false`) at step 0, every `every` steps and at the end; the result then has them in its type. */
  record?: RecordOptions;
  /**
   * Lowers the learning rate when the full loss stops improving: stepped with the full loss at the
   * end of each epoch (each step without a sampler). Must be a {@link ReduceLROnPlateau} of this very
   * `optimizer`; its state is part of {@link MinimizeResult.state}.
   */
  plateau?: ReduceLROnPlateau;
  /** Called after every step; return false to stop. */
  onStep?: (step: number, params: Float64Array, batchLoss: number) => boolean | void;
  /**
   * Called at the end of each epoch (each step without a sampler) with the number of epochs done, θ
   * and the full loss there; return false to stop (reason `"callback"`).
   */
  onEpoch?: (epoch: number, params: Float64Array, loss: number) => boolean | void;
  /**
   * An `AbortSignal` (typed by the one property read, so that no DOM or Node types are needed):
   * the run stops before its next step once it is aborted (reason `"aborted"`; an already aborted
   * signal takes no step). The result's `state` resumes it as if it had never stopped.
   */
  signal?: {
    /** True once the run must stop. */
    readonly aborted: boolean;
  };
  /**
   * Continue a run from the {@link MinimizeResult.state} it ended with: θ, the optimizer (with its
   * schedules), the sampler and the counters are restored, and the budgets count from the run's
   * start. The continued run is bit-identical to one that never stopped.
   */
  resume?: TrainingState;
}

/**
 * Everything needed to continue a run of {@link minimize} bit-identically, as JSON: θ (base64 of
 * its float64 bytes), the optimizer's and the sampler's snapshots, and the counters.
 *
 * @example
 * ```ts
 * const first = minimize({ ...options, steps: 100 });
 * const saved = JSON.stringify(first.state);
 * // later, with fresh objects built the same way:
 * minimize({ ...freshOptions, steps: 1000, resume: JSON.parse(saved) });
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
}

/**
 * The loss history of a run of {@link minimize} that recorded (`record` given): the fields of
 * {@link MinimizeResult} that recording fills, present in the type.
 *
 * @example
 * ```ts
 * const { losses, recordedSteps } = minimize({ objective, optimizer, params, steps: 100, record: { path: false } });
 * ```
 */
export interface MinimizeLosses {
  /** The full loss at each recorded step (step 0 first). */
  readonly losses: number[];
  /** The steps at which the losses (and θ) were recorded. */
  readonly recordedSteps: number[];
  /** The full loss at the end of each epoch of this run. */
  readonly epochLosses: number[];
}

/**
 * The history of a run of {@link minimize} that recorded θ too (`record` given, without
 * `path: false`): {@link MinimizeLosses} and the path, present in the type.
 *
 * @example
 * ```ts
 * const { path, losses } = minimize({ objective, optimizer, params, steps: 100, record: {} });
 * path[0]; // θ at step 0
 * ```
 */
export interface MinimizeRecording extends MinimizeLosses {
  /** θ at each recorded step (step 0 first). */
  readonly path: number[][];
}

/**
 * What {@link minimize} returns.
 *
 * @example
 * ```ts
 * const { reason, steps, loss, path } = minimize({ ... });
 * ```
 */
export interface MinimizeResult {
  /** Why the run stopped. */
  readonly reason: StopReason;
  /** Steps taken, skipped ones included (each drew a batch and evaluated the gradient). */
  readonly steps: number;
  /** Of this run's steps, those the optimizer skipped (a non-finite gradient under `nonFinite: "skip"`). */
  readonly skippedSteps: number;
  /** Epochs completed (steps, without a sampler). */
  readonly epochs: number;
  /** Objective evaluations (each a value and a gradient, or a value). */
  readonly evaluations: number;
  /** The full loss at the final θ. */
  readonly loss: number;
  /** The recorded θ, when recording θ (step 0 first). */
  readonly path?: number[][];
  /** The full loss at each recorded step, when recording. */
  readonly losses?: number[];
  /** The steps at which path and losses were recorded. */
  readonly recordedSteps?: number[];
  /** When recording: the full loss at the end of each epoch of this run. */
  readonly epochLosses?: number[];
  /** The state to continue from (see {@link MinimizeOptions.resume}). */
  readonly state: TrainingState;
}

/** The keys of each option object, listed once: the `Record` type makes the compiler check the lists are whole. */
const OPTION_NAMES: Record<keyof MinimizeOptions, true> = {
  objective: true,
  optimizer: true,
  params: true,
  sampler: true,
  steps: true,
  epochs: true,
  stop: true,
  record: true,
  onStep: true,
  onEpoch: true,
  signal: true,
  plateau: true,
  resume: true,
};
const STOP_NAMES: Record<keyof StopCriteria, true> = { gradientNorm: true, relativeChange: true, targetLoss: true, maxTimeMs: true, maxSkippedSteps: true };
const RECORD_NAMES: Record<keyof RecordOptions, true> = { every: true, path: true };

/**
 * Refuses what is not an object, and an object with a key the option does not have (a misspelt
 * `stop: { tol }` would otherwise be ignored): an {@link InvalidOptionError} naming the key and
 * listing the valid names, as the optimizers' options do.
 */
function knownKeys(path: string, given: unknown, names: Record<string, true>): void {
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw new InvalidOptionError(path, given, `an object with the options of minimize${path === "options" ? "" : `'s ${path}`}`);
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(names, key)) {
      const where = path === "options" ? "minimize" : `minimize's ${path}`;
      throw new InvalidOptionError(path === "options" ? key : `${path}.${key}`, (given as Record<string, unknown>)[key], `one of the options of ${where}: ${Object.keys(names).join(", ")}`, "unknown option");
    }
  }
}

function whole(name: string, value: number | undefined, least: number): number | undefined {
  if (value !== undefined && (!Number.isSafeInteger(value) || value < least)) throw new InvalidOptionError(name, value, `a whole number ≥ ${least}`);
  return value;
}

function nonNegative(name: string, value: number | undefined): number | undefined {
  if (value !== undefined && !(typeof value === "number" && value >= 0)) throw new InvalidOptionError(name, value, "a number ≥ 0");
  return value;
}

/**
 * Minimises an objective with an optimizer (the lecture, §1, §3, §6): each step draws a batch (or takes all
 * the data), evaluates the gradient where the optimizer asks for it ({@link Optimizer.gradientPoint}:
 * Nesterov's look-ahead included, with no work from the caller), and steps.
 *
 * ```text
 * for each step:  B ← sampler.next();  ĝ ← ∇J_B(optimizer.gradientPoint(θ));  θ ← optimizer.step(θ, ĝ)
 * ```
 *
 * It stops at the step or epoch budget, on a criterion ({@link StopCriteria}), when the callback
 * returns false, or when the loss or the gradient stops being finite (or the optimizer skipped
 * {@link StopCriteria.maxSkippedSteps} steps in a row) — in which case θ keeps the last finite
 * step's value and the reason says so. The buffers are allocated once.
 *
 * Everything is checked before anything is written: the options, `params` against the objective's
 * dimension and the optimizer's state, the sampler's size against the objective's number of
 * examples, and every part of a `resume` (its fields, θ's length, the optimizer's and the
 * sampler's snapshots). A bad one throws a typed error naming its path (`resume.optimizer.size`,
 * `sampler.size`, …) and leaves θ, the optimizer and the sampler as they were.
 *
 * @example
 * ```ts
 * const objective = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * const params = Float64Array.of(-1.5, 6.5);
 * const result = minimize({
 *   objective, params, optimizer: new Momentum({ lr: 0.6, beta: 0.6 }),
 *   sampler: new EpochSampler({ size: 30, batchSize: 5, seed: 1 }), steps: 80, record: {},
 * });
 * result.reason; // "steps"; result.path holds the 81 points to draw
 * ```
 *
 * The result's type follows `record`: with a `record` object `path` and `losses` are present in the
 * type ({@link MinimizeRecording}); with `record: { path: false }` only the losses are recorded
 * ({@link MinimizeLosses}), θ's history is not kept. Unknown keys in the options, in `stop` and in
 * `record` are refused with an {@link InvalidOptionError} listing the valid names.
 */
export function minimize(options: MinimizeOptions & { record: RecordOptions & { path: false } }): MinimizeResult & MinimizeLosses;
export function minimize(options: MinimizeOptions & { record: RecordOptions & { path?: true } }): MinimizeResult & MinimizeRecording;
export function minimize(options: MinimizeOptions): MinimizeResult;
export function minimize(options: MinimizeOptions): MinimizeResult {
  knownKeys("options", options, OPTION_NAMES);
  if (options.stop !== undefined) knownKeys("stop", options.stop, STOP_NAMES);
  if (options.record !== undefined) knownKeys("record", options.record, RECORD_NAMES);
  const { objective, optimizer, sampler, onStep, onEpoch, signal, plateau } = options;
  if (onEpoch !== undefined && typeof onEpoch !== "function") throw new InvalidOptionError("onEpoch", onEpoch, "a function (epoch, params, loss)");
  if (signal !== undefined && (typeof signal !== "object" || signal === null || typeof signal.aborted !== "boolean")) throw new InvalidOptionError("signal", signal, "an AbortSignal");
  const stop = options.stop ?? {};
  const maxSteps = whole("steps", options.steps, 0);
  const maxEpochs = whole("epochs", options.epochs, 0);
  if (maxSteps === undefined && maxEpochs === undefined) throw new InvalidOptionError("steps", undefined, "a step budget, an epoch budget, or both");
  nonNegative("stop.gradientNorm", stop.gradientNorm);
  nonNegative("stop.relativeChange", stop.relativeChange);
  nonNegative("stop.maxTimeMs", stop.maxTimeMs);
  const maxSkipped = stop.maxSkippedSteps === Infinity ? Infinity : (whole("stop.maxSkippedSteps", stop.maxSkippedSteps, 1) ?? 10);
  if (stop.targetLoss !== undefined && Number.isNaN(stop.targetLoss)) throw new InvalidOptionError("stop.targetLoss", stop.targetLoss, "a number");
  const every = whole("record.every", options.record?.every, 1) ?? 1;
  const recordPath = options.record?.path ?? true;
  if (typeof recordPath !== "boolean") throw new InvalidOptionError("record.path", recordPath, "true or false");
  // The engine's view of the caller's θ (a subclass's own length or offset cannot steer it).
  const params = plainFloat64(options.params, "params");
  if (params.length !== objective.dimension) {
    throw new ShapeMismatchError("params", options.params, `a Float64Array of length ${objective.dimension}, the objective's dimension`);
  }
  // (a resume replaces the optimizer's state, and checks the one it brings)
  if (options.resume === undefined && optimizer.size !== undefined && optimizer.size !== params.length) {
    throw new ShapeMismatchError("optimizer.size", optimizer.size, `${params.length}, the length of params (or no state yet)`);
  }
  if (plateau !== undefined && (typeof plateau !== "object" || plateau === null || plateau.optimizer !== optimizer)) {
    throw new InvalidOptionError("plateau", plateau, "a ReduceLROnPlateau built on this run's optimizer");
  }
  if (sampler) {
    if (objective.examples === undefined) throw new InvalidOptionError("sampler", sampler, "no sampler: the objective has no examples to draw batches from (an empirical risk has)");
    if (sampler.size !== objective.examples) throw new ShapeMismatchError("sampler.size", sampler.size, `${objective.examples}, the number of examples in the objective's data`);
  }

  const n = params.length;
  const grad = allocateFloat64(n, "params");
  const point = allocateFloat64(n, "params");
  const rows = sampler ? new Int32Array(sampler.batchSize) : null;
  const batchValue = new Float64Array(1);
  const start = Date.now();
  const recording = options.record !== undefined;
  const path: number[][] = [];
  const losses: number[] = [];
  const recordedSteps: number[] = [];
  const epochLosses: number[] = [];
  let evaluations = 0;
  const fullLoss = () => {
    evaluations++;
    return objective.evaluate(params, null);
  };
  const record = (step: number, loss: number) => {
    if (recordPath) path.push(Array.from(params));
    losses.push(loss);
    recordedSteps.push(step);
  };

  let steps = 0;
  let epochs = 0;
  let skipped = 0; // in a row
  let skippedSteps = 0;
  let reason: StopReason | undefined;
  let previous: number;
  if (options.resume !== undefined) {
    const [r, theta] = checkState(plainCopy(options.resume), n, sampler, plateau !== undefined);
    // The optimizer's restore is the last check: it checks its snapshot whole before changing
    // anything, and nothing after it can fail (the resume is a copy: no getter answers twice).
    // The plateau's restore, checked whole too, comes before it and is undone if it fails.
    const plateauBefore = plateau?.snapshot();
    if (plateau !== undefined) within("resume.plateau", () => plateau.restore(r.plateau));
    try {
      within("resume.optimizer", () => optimizer.restore(r.optimizer));
    } catch (e) {
      if (plateau !== undefined) plateau.restore(plateauBefore);
      throw e;
    }
    if (sampler) sampler.restore(r.sampler);
    params.set(theta);
    steps = r.steps;
    epochs = r.epochs;
    // The comparison point of the relative-change criterion is the uninterrupted run's, not θ now.
    previous = r.previousLoss ?? NaN;
    if (recording) record(steps, fullLoss());
  } else {
    previous = stop.relativeChange !== undefined || stop.targetLoss !== undefined || recording || plateau !== undefined ? fullLoss() : NaN;
    if (recording) record(steps, previous);
  }
  if (stop.targetLoss !== undefined && previous <= stop.targetLoss) reason = "targetLoss";

  while (reason === undefined) {
    if (signal?.aborted === true) {
      reason = "aborted";
      break;
    }
    if (maxSteps !== undefined && steps >= maxSteps) {
      reason = "steps";
      break;
    }
    if (maxEpochs !== undefined && epochs >= maxEpochs) {
      reason = "epochs";
      break;
    }
    const count = sampler && rows ? sampler.next(rows) : 0;
    const at = optimizer.gradientPoint(params, point);
    evaluations++;
    if (objective.evaluateInto) objective.evaluateInto(at, grad, rows, count, batchValue);
    else batchValue[0] = objective.evaluate(at, grad, rows, rows ? count : undefined);
    const batchLoss = batchValue[0];
    if (!Number.isFinite(batchLoss)) {
      reason = "nonFinite";
      break;
    }
    const taken = optimizer.stepCount;
    try {
      optimizer.step(params, grad);
    } catch (e) {
      if (e instanceof NonFiniteGradientError) {
        reason = "nonFinite";
        break;
      }
      throw e;
    }
    steps++;
    if (optimizer.stepCount === taken) {
      skippedSteps++;
      if (++skipped >= maxSkipped) reason = "nonFinite";
    } else {
      skipped = 0;
    }
    const epochEnded = sampler ? sampler.epoch > epochs : true;
    if (epochEnded) epochs = sampler ? sampler.epoch : steps;

    if (stop.gradientNorm !== undefined) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += grad[i] * grad[i];
      if (Math.sqrt(sum) <= stop.gradientNorm) reason = "gradientNorm";
    }
    const recordNow = recording && steps % every === 0;
    if (epochEnded && (stop.relativeChange !== undefined || stop.targetLoss !== undefined || recording || plateau !== undefined || onEpoch !== undefined)) {
      const loss = fullLoss();
      if (plateau !== undefined && Number.isFinite(loss)) plateau.step(loss);
      if (!Number.isFinite(loss)) reason = "nonFinite";
      else if (stop.targetLoss !== undefined && loss <= stop.targetLoss) reason ??= "targetLoss";
      else if (stop.relativeChange !== undefined && Math.abs(previous - loss) <= stop.relativeChange * Math.max(Math.abs(previous), 1e-300)) reason ??= "relativeChange";
      previous = loss;
      if (recording) epochLosses.push(loss);
      if (recordNow) record(steps, loss);
    } else if (recordNow) {
      record(steps, fullLoss());
    }
    if (stop.maxTimeMs !== undefined && Date.now() - start >= stop.maxTimeMs) reason ??= "time";
    if (onStep && onStep(steps, params, batchLoss) === false) reason ??= "callback";
    if (epochEnded && onEpoch && onEpoch(epochs, params, previous) === false) reason ??= "callback";
  }

  const loss = fullLoss();
  if (recording && recordedSteps[recordedSteps.length - 1] !== steps) record(steps, loss);
  const state: TrainingState = {
    format: "gradstep/training",
    version: 1,
    steps,
    epochs,
    previousLoss: Number.isFinite(previous) ? previous : null,
    params: encodeFloat64(params),
    optimizer: optimizer.snapshot(),
    sampler: sampler ? sampler.snapshot() : null,
    ...(plateau === undefined ? {} : { plateau: plateau.snapshot() }),
  };
  if (!recording) return { reason, steps, skippedSteps, epochs, evaluations, loss, state };
  return recordPath
    ? { reason, steps, skippedSteps, epochs, evaluations, loss, path, losses, recordedSteps, epochLosses, state }
    : { reason, steps, skippedSteps, epochs, evaluations, loss, losses, recordedSteps, epochLosses, state };
}

const STATE_FIELDS = ["format", "version", "steps", "epochs", "previousLoss", "params", "optimizer", "sampler", "plateau"];

/**
 * Checks every part of a training state against this run — its own fields, θ's length, the
 * optimizer snapshot's length, the sampler's snapshot — without changing anything. The optimizer's
 * snapshot is checked in full by its restore, which changes nothing when it refuses.
 */
function checkState(state: TrainingState, n: number, sampler: BatchSampler | undefined, plateau: boolean): [TrainingState, Float64Array] {
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
  return [state, params];
}

/**
 * A plain copy of a resume (its data read once), so that what is checked is what is used: a getter
 * or a Proxy could otherwise answer one thing to the check and another to the restore.
 */
function plainCopy(resume: TrainingState): TrainingState {
  try {
    return structuredClone(resume);
  } catch (e) {
    throw new InvalidSnapshotError("resume", resume, `a training state of plain data (${e instanceof Error ? e.message : String(e)})`);
  }
}

/** Runs `check`, renaming the `snapshot…` path of an {@link InvalidSnapshotError} to `path…`. */
function within(path: string, check: () => void): void {
  try {
    check();
  } catch (e) {
    if (e instanceof InvalidSnapshotError && e.argument.startsWith("snapshot")) {
      throw new InvalidSnapshotError(path + e.argument.slice("snapshot".length), e.value, e.expected);
    }
    throw e;
  }
}
