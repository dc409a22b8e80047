import type { BatchSampler } from "../data/sampler.js";
import { checkObjective } from "../objectives/check-objective.js";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import type { Objective } from "../objectives/objective.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import type { ReduceLROnPlateau } from "../schedules/reduce-on-plateau.js";
import { type RunOutcome, type RunSettings, type StopReason, TrainingRun } from "./training-run.js";
import type { TrainingState } from "./training-state.js";

export type { StopReason } from "./training-run.js";
export type { TrainingState, ValidationState } from "./training-state.js";

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
   * never to stop for this.
   * @defaultValue 10
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
  /** The stride, in steps. @defaultValue 1 */
  every?: number;
  /** Record θ at each recorded step ({@link MinimizeRecording.path}). @defaultValue `true`; false records the losses only */
  path?: boolean;
}

/**
 * A held-out objective {@link minimize} evaluates as it trains, for early stopping: at the end of
 * each epoch (each step without a sampler), or every `every` steps. A validation loss lower than the
 * best so far by more than `minDelta` is a new best, and θ there is kept; after `patience`
 * evaluations in a row without one the run stops (reason `"earlyStopping"`). At the end θ is the best
 * one (unless `restoreBest: false`).
 *
 * @example
 * ```ts
 * const validation: ValidationOptions = { objective: heldOut, patience: 5, minDelta: 1e-4 };
 * ```
 */
export interface ValidationOptions {
  /** The held-out objective (same dimension), evaluated on all its data. */
  objective: Objective;
  /** Evaluate every this many steps. @defaultValue `undefined`: at the end of each epoch (each step without a sampler) */
  every?: number;
  /** Stop after this many evaluations in a row without a new best. @defaultValue `Infinity`: never stop for it */
  patience?: number;
  /** A new best must be lower than the best by more than this. @defaultValue 0 */
  minDelta?: number;
  /** At the end, set θ to the best validated one. @defaultValue true */
  restoreBest?: boolean;
}

/**
 * Periodic checkpoints of {@link minimize}: every `every` steps, `save` receives the
 * {@link TrainingState} (JSON) from which `resume` continues bit for bit.
 *
 * @example
 * ```ts
 * const checkpoint: CheckpointOptions = { every: 1000, save: (state) => writeFileSync("run.json", JSON.stringify(state)) };
 * ```
 */
export interface CheckpointOptions {
  /** The period, in steps. */
  every: number;
  /** Receives each checkpoint. */
  save: (state: TrainingState) => void;
}

/**
 * What {@link MinimizeResult.validation} holds: every validation loss and its step, and the best.
 *
 * @example
 * ```ts
 * const { best, bestStep } = minimize({ ...options, validation: { objective: heldOut, patience: 5 } }).validation!;
 * ```
 */
export interface ValidationRecord {
  /** Each validation loss of this run. */
  readonly losses: number[];
  /** The step of each. */
  readonly steps: number[];
  /** The best validation loss (null if none was finite). */
  readonly best: number | null;
  /** Its step (−1 if none); θ at the end is θ there when `restoreBest`. */
  readonly bestStep: number;
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
  /** A held-out objective for early stopping: see {@link ValidationOptions}. */
  validation?: ValidationOptions;
  /** Periodic checkpoints to a callback: see {@link CheckpointOptions}. */
  checkpoint?: CheckpointOptions;
  /**
   * Continue a run from the {@link MinimizeResult.state} it ended with: θ, the optimizer (with its
   * schedules), the sampler and the counters are restored, and the budgets count from the run's
   * start. The continued run is bit-identical to one that never stopped.
   */
  resume?: TrainingState;
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
 * const { reason, steps, loss, path } = minimize({ objective, params, optimizer: new Adam({ lr: 0.01 }), steps: 100, record: {} });
 * ```
 */
export interface MinimizeResult {
  /** Why the run stopped. */
  readonly reason: StopReason;
  /** Steps taken, skipped ones included (each drew a batch and evaluated the gradient). */
  readonly steps: number;
  /** Of those steps, the ones the optimizer skipped (a non-finite gradient under `nonFinite: "skip"`). */
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
  /** With `validation`: the validation losses and the best (θ at the end is the best one, unless `restoreBest: false`). */
  readonly validation?: ValidationRecord;
  /** The state to continue from (see {@link MinimizeOptions.resume}): the last θ, also where θ was restored to the best. */
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
  validation: true,
  checkpoint: true,
  resume: true,
};
const ASYNC_NAMES: Record<keyof MinimizeAsyncOptions, true> = { ...OPTION_NAMES, sliceMs: true };
const VALIDATION_NAMES: Record<keyof ValidationOptions, true> = { objective: true, every: true, patience: true, minDelta: true, restoreBest: true };
const CHECKPOINT_NAMES: Record<keyof CheckpointOptions, true> = { every: true, save: true };
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
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an unknown or malformed option, no step or epoch budget, or a `plateau` on another optimizer.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for `params`, an optimizer state, a sampler or a validation objective that does not fit the objective.
 * @throws {@link index!InvalidSnapshotError | InvalidSnapshotError} for a malformed `resume` (or a snapshot in it).
 */
export function minimize(options: MinimizeOptions & { record: RecordOptions & { path: false } }): MinimizeResult & MinimizeLosses;
export function minimize(options: MinimizeOptions & { record: RecordOptions & { path?: true } }): MinimizeResult & MinimizeRecording;
export function minimize(options: MinimizeOptions): MinimizeResult;
export function minimize(options: MinimizeOptions): MinimizeResult {
  const settings = settingsOf(options, OPTION_NAMES);
  const run = new TrainingRun(settings);
  while (!run.advance());
  return resultOf(run.finish(), settings);
}

/**
 * Options of {@link minimizeAsync}: those of {@link minimize}, and the time slice.
 *
 * @example
 * ```ts
 * const options: MinimizeAsyncOptions = { objective, optimizer: new Adam(), params, steps: 10_000, sliceMs: 8 };
 * ```
 */
export interface MinimizeAsyncOptions extends MinimizeOptions {
  /** Yield to the event loop after about this many milliseconds of steps. @defaultValue 10 */
  sliceMs?: number;
}

/**
 * {@link minimize} without blocking: the same steps, in slices of about `sliceMs` milliseconds
 * between which it yields to the event loop (a page stays responsive; an `AbortSignal` set from a
 * button is seen at the next step). The result is the same, bit for bit, as `minimize`'s with the
 * same options. Callbacks run inside the slices.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * const result = await minimizeAsync({ objective, optimizer: new Adam({ lr: 0.01 }), params, epochs: 50, sampler, signal: controller.signal });
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} (the promise rejects) as {@link minimize}, and for a `sliceMs` that is not a number > 0.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} and {@link index!InvalidSnapshotError | InvalidSnapshotError} (the promise rejects) as {@link minimize}.
 */
export function minimizeAsync(options: MinimizeAsyncOptions & { record: RecordOptions & { path: false } }): Promise<MinimizeResult & MinimizeLosses>;
export function minimizeAsync(options: MinimizeAsyncOptions & { record: RecordOptions & { path?: true } }): Promise<MinimizeResult & MinimizeRecording>;
export function minimizeAsync(options: MinimizeAsyncOptions): Promise<MinimizeResult>;
export async function minimizeAsync(options: MinimizeAsyncOptions): Promise<MinimizeResult> {
  const settings = settingsOf(options, ASYNC_NAMES);
  const slice = options.sliceMs ?? 10;
  if (!(typeof slice === "number" && slice > 0 && slice < Infinity)) throw new InvalidOptionError("sliceMs", slice, "a number of milliseconds > 0");
  const run = new TrainingRun(settings);
  for (;;) {
    const end = Date.now() + slice;
    // Check the clock every few steps only once steps are seen to be short.
    let stopped = false;
    // At least one step per slice: a slice shorter than the clock's resolution must still make progress.
    do for (let k = 0; k < 4 && !stopped; k++) stopped = run.advance();
    while (!stopped && Date.now() < end);
    if (stopped) return resultOf(run.finish(), settings); // the options as they were checked, whatever became of them since
    await yieldToEventLoop();
  }
}

/** A macrotask boundary: the page can render and handle input before the next slice. */
function yieldToEventLoop(): Promise<void> {
  const g = globalThis as unknown as { setImmediate?: (f: () => void) => unknown; MessageChannel?: new () => { port1: { onmessage: (() => void) | null }; port2: { postMessage(m: unknown): void } } };
  return new Promise((resolve) => {
    if (typeof g.setImmediate === "function") {
      g.setImmediate(resolve);
    } else if (typeof g.MessageChannel === "function") {
      // setTimeout(0) is clamped to 4 ms once nested in browsers; a message is not.
      const channel = new g.MessageChannel();
      channel.port1.onmessage = () => resolve();
      channel.port2.postMessage(null);
    } else {
      setTimeout(resolve, 0);
    }
  });
}

/** The options checked whole (nothing changes on a refusal) and laid out for a {@link TrainingRun}. */
function settingsOf(options: MinimizeOptions, names: Record<string, true>): RunSettings {
  knownKeys("options", options, names);
  if (options.stop !== undefined) knownKeys("stop", options.stop, STOP_NAMES);
  if (options.record !== undefined) knownKeys("record", options.record, RECORD_NAMES);
  if (options.validation !== undefined) knownKeys("validation", options.validation, VALIDATION_NAMES);
  if (options.checkpoint !== undefined) knownKeys("checkpoint", options.checkpoint, CHECKPOINT_NAMES);
  const { objective, optimizer, sampler, onStep, onEpoch, signal, plateau } = options;
  checkObjective(objective);
  if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.step !== "function") throw new InvalidOptionError("optimizer", optimizer, "an optimizer (Adam, SGD, chain(…), tree(…), …)");
  if (onStep !== undefined && typeof onStep !== "function") throw new InvalidOptionError("onStep", onStep, "a function (step, params, batchLoss)");
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
  if (stop.targetLoss !== undefined && (typeof stop.targetLoss !== "number" || Number.isNaN(stop.targetLoss))) throw new InvalidOptionError("stop.targetLoss", stop.targetLoss, "a number (not NaN)");
  const recordEvery = whole("record.every", options.record?.every, 1) ?? 1;
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
  return {
    objective,
    optimizer,
    params,
    sampler,
    maxSteps,
    maxEpochs,
    gradientNorm: stop.gradientNorm,
    relativeChange: stop.relativeChange,
    targetLoss: stop.targetLoss,
    maxTimeMs: stop.maxTimeMs,
    maxSkipped,
    recording: options.record !== undefined,
    recordEvery,
    recordPath,
    plateau,
    onStep,
    onEpoch,
    signal,
    validation: validationOf(options.validation, objective.dimension),
    checkpoint: checkpointOf(options.checkpoint),
    resume: options.resume,
  };
}

function validationOf(v: ValidationOptions | undefined, dimension: number): RunSettings["validation"] {
  if (v === undefined) return undefined;
  const objective = v.objective;
  checkObjective(objective, "validation.objective");
  if (objective.dimension !== dimension) throw new ShapeMismatchError("validation.objective.dimension", objective.dimension, `${dimension}, the dimension of the objective`);
  const patience = v.patience === Infinity ? Infinity : (whole("validation.patience", v.patience, 1) ?? Infinity);
  const minDelta = nonNegative("validation.minDelta", v.minDelta) ?? 0;
  const restoreBest = v.restoreBest ?? true;
  if (typeof restoreBest !== "boolean") throw new InvalidOptionError("validation.restoreBest", restoreBest, "true or false");
  return { objective, every: whole("validation.every", v.every, 1), patience, minDelta, restoreBest };
}

function checkpointOf(c: CheckpointOptions | undefined): RunSettings["checkpoint"] {
  if (c === undefined) return undefined;
  if (typeof c.save !== "function") throw new InvalidOptionError("checkpoint.save", c.save, "a function (state) => void");
  const every = whole("checkpoint.every", c.every, 1);
  if (every === undefined) throw new InvalidOptionError("checkpoint.every", every, "a whole number of steps ≥ 1");
  return { every, save: c.save };
}

/** The outcome as {@link MinimizeResult}: the recorded history only where recording was asked for (θ's unless `path: false`). */
function resultOf(o: RunOutcome, settings: RunSettings): MinimizeResult {
  const { reason, steps, skippedSteps, epochs, evaluations, loss, state } = o;
  const base = { reason, steps, skippedSteps, epochs, evaluations, loss, state, ...(o.validation === undefined ? {} : { validation: o.validation }) };
  if (!settings.recording) return base;
  const history = { losses: o.losses, recordedSteps: o.recordedSteps, epochLosses: o.epochLosses };
  return settings.recordPath ? { ...base, path: o.path, ...history } : { ...base, ...history };
}
