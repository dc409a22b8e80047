import type { BatchSampler } from "../data/sampler.js";
import { NonFiniteGradientError } from "../errors.js";
import { allocateFloat64 } from "../memory/allocate.js";
import type { Objective } from "../objectives/objective.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import type { ReduceLROnPlateau } from "../schedules/reduce-on-plateau.js";
import { encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkState, plainCopy, type TrainingState, within } from "./training-state.js";

/** Why a run of `minimize` stopped. */
export type StopReason = "steps" | "epochs" | "gradientNorm" | "relativeChange" | "targetLoss" | "time" | "callback" | "aborted" | "nonFinite" | "earlyStopping";

/** A run's options, checked (minimize.ts checks them). @internal */
export interface RunSettings {
  readonly objective: Objective;
  readonly optimizer: Optimizer;
  readonly params: Float64Array;
  readonly sampler: BatchSampler | undefined;
  readonly maxSteps: number | undefined;
  readonly maxEpochs: number | undefined;
  readonly gradientNorm: number | undefined;
  readonly relativeChange: number | undefined;
  readonly targetLoss: number | undefined;
  readonly maxTimeMs: number | undefined;
  readonly maxSkipped: number;
  readonly recording: boolean;
  readonly recordEvery: number;
  readonly recordPath: boolean;
  readonly plateau: ReduceLROnPlateau | undefined;
  readonly onStep: ((step: number, params: Float64Array, batchLoss: number) => boolean | void) | undefined;
  readonly onEpoch: ((epoch: number, params: Float64Array, loss: number) => boolean | void) | undefined;
  readonly signal: { readonly aborted: boolean } | undefined;
  readonly validation: { readonly objective: Objective; readonly every: number | undefined; readonly patience: number; readonly minDelta: number; readonly restoreBest: boolean } | undefined;
  readonly checkpoint: { readonly every: number; readonly save: (state: TrainingState) => void } | undefined;
  readonly resume: TrainingState | undefined;
}

/** What a finished run reports (minimize.ts shapes it into its result types). @internal */
export interface RunOutcome {
  reason: StopReason;
  steps: number;
  skippedSteps: number;
  epochs: number;
  evaluations: number;
  loss: number;
  path: number[][];
  losses: number[];
  recordedSteps: number[];
  epochLosses: number[];
  validation: { losses: number[]; steps: number[]; best: number | null; bestStep: number } | undefined;
  state: TrainingState;
}

/**
 * The loop of `minimize`, one step per {@link TrainingRun.advance}, so that `minimizeAsync` can run
 * the same steps in slices between which the event loop runs. Its numbers live in fields (a double
 * in a closure's variable is boxed on every write) and the buffers are allocated once: a step
 * allocates nothing.
 * @internal
 */
export class TrainingRun {
  private readonly s: RunSettings;
  private readonly params: Float64Array;
  private readonly grad: Float64Array;
  private readonly point: Float64Array;
  private readonly rows: Int32Array | null;
  private readonly batchValue = new Float64Array(1);
  private readonly start = Date.now();
  private readonly path: number[][] = [];
  private readonly losses: number[] = [];
  private readonly recordedSteps: number[] = [];
  private readonly epochLosses: number[] = [];
  private readonly validationLosses: number[] = [];
  private readonly validationSteps: number[] = [];
  /** θ at the best validation loss (allocated with validation). */
  private readonly bestParams: Float64Array;
  private evaluations = 0;
  private steps = 0;
  private epochs = 0;
  private skippedInARow = 0;
  private skippedSteps = 0;
  /** The last full loss (the relative-change criterion's comparison point); NaN if none. */
  private previous = NaN;
  private bestLoss = NaN;
  private bestStep = -1;
  private sinceBest = 0;
  /** Why the run stopped, once it has. */
  reason: StopReason | undefined;

  /** Checks a resume (changing nothing if it is refused), then adopts it or evaluates the start. */
  constructor(settings: RunSettings) {
    this.s = settings;
    const { optimizer, sampler, plateau, validation } = settings;
    const params = (this.params = settings.params);
    const n = params.length;
    this.grad = allocateFloat64(n, "params");
    this.point = allocateFloat64(n, "params");
    this.bestParams = validation === undefined ? new Float64Array(0) : allocateFloat64(n, "params");
    this.rows = sampler ? new Int32Array(sampler.batchSize) : null;
    if (settings.resume !== undefined) {
      const [r, theta, best] = checkState(plainCopy(settings.resume), n, sampler, plateau !== undefined, validation !== undefined);
      // The loss the recording starts with, before anything is restored: the objective is user code,
      // and if it throws, nothing has changed.
      const startLoss = settings.recording ? this.lossAt(theta) : NaN;
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
      this.steps = r.steps;
      this.epochs = r.epochs;
      this.skippedSteps = r.skipped?.total ?? 0;
      this.skippedInARow = r.skipped?.inARow ?? 0;
      // The comparison point of the relative-change criterion is the uninterrupted run's, not θ now.
      this.previous = r.previousLoss ?? NaN;
      if (r.validation !== undefined) {
        this.bestLoss = r.validation.best ?? NaN;
        this.bestStep = r.validation.bestStep;
        this.sinceBest = r.validation.sinceBest;
        if (best !== null) this.bestParams.set(best);
      }
      if (settings.recording) this.record(this.steps, startLoss);
    } else {
      const s = settings;
      this.previous = s.relativeChange !== undefined || s.targetLoss !== undefined || s.recording || plateau !== undefined ? this.fullLoss() : NaN;
      if (s.recording) this.record(0, this.previous);
    }
    if (settings.targetLoss !== undefined && this.previous <= settings.targetLoss) this.reason = "targetLoss";
  }

  /** Takes one step (or stops); returns true once the run has stopped. */
  advance(): boolean {
    if (this.reason !== undefined) return true;
    const s = this.s;
    const { objective, optimizer, sampler, params, grad } = this;
    if (s.signal?.aborted === true) return this.stop("aborted");
    if (s.maxSteps !== undefined && this.steps >= s.maxSteps) return this.stop("steps");
    if (s.maxEpochs !== undefined && this.epochs >= s.maxEpochs) return this.stop("epochs");
    const rows = this.rows;
    const count = sampler && rows ? sampler.next(rows) : 0;
    const taken = optimizer.stepCount;
    try {
      const at = optimizer.gradientPoint(params, this.point);
      this.evaluations++;
      // the batch's value only where onStep reads it; else whether it is finite is enough
      if (objective.evaluateInto) objective.evaluateInto(at, grad, rows, count, this.batchValue, s.onStep !== undefined);
      else this.batchValue[0] = objective.evaluate(at, grad, rows, rows ? count : undefined);
      if (!Number.isFinite(this.batchValue[0])) return this.stop("nonFinite");
      optimizer.step(params, grad);
    } catch (e) {
      if (e instanceof NonFiniteGradientError) return this.stop("nonFinite");
      // A step that failed (the objective or the optimizer threw) has not used its batch: the
      // sampler gives it back, so that what is left is the run up to the last step taken.
      sampler?.unread?.();
      throw e;
    }
    const steps = ++this.steps;
    if (optimizer.stepCount === taken) {
      this.skippedSteps++;
      if (++this.skippedInARow >= s.maxSkipped) this.reason = "nonFinite";
    } else {
      this.skippedInARow = 0;
    }
    const epochEnded = sampler ? sampler.epoch > this.epochs : true;
    if (epochEnded) this.epochs = sampler ? sampler.epoch : steps;

    if (s.gradientNorm !== undefined) {
      let sum = 0;
      for (let i = 0; i < grad.length; i++) sum += grad[i] * grad[i];
      if (Math.sqrt(sum) <= s.gradientNorm) this.reason = "gradientNorm";
    }
    const recordNow = s.recording && steps % s.recordEvery === 0;
    if (epochEnded && (s.relativeChange !== undefined || s.targetLoss !== undefined || s.recording || s.plateau !== undefined || s.onEpoch !== undefined)) {
      const loss = this.fullLoss();
      if (s.plateau !== undefined && Number.isFinite(loss)) s.plateau.step(loss);
      if (!Number.isFinite(loss)) this.reason = "nonFinite";
      else if (s.targetLoss !== undefined && loss <= s.targetLoss) this.reason ??= "targetLoss";
      else if (s.relativeChange !== undefined && Math.abs(this.previous - loss) <= s.relativeChange * Math.max(Math.abs(this.previous), 1e-300)) this.reason ??= "relativeChange";
      this.previous = loss;
      if (s.recording) this.epochLosses.push(loss);
      if (recordNow) this.record(steps, loss);
    } else if (recordNow) {
      this.record(steps, this.fullLoss());
    }
    const v = s.validation;
    if (v !== undefined && (v.every === undefined ? epochEnded : steps % v.every === 0)) this.validate(steps);
    if (s.maxTimeMs !== undefined && Date.now() - this.start >= s.maxTimeMs) this.reason ??= "time";
    if (s.onStep && s.onStep(steps, params, this.batchValue[0]) === false) this.reason ??= "callback";
    if (epochEnded && s.onEpoch && s.onEpoch(this.epochs, params, this.previous) === false) this.reason ??= "callback";
    if (s.checkpoint !== undefined && steps % s.checkpoint.every === 0) s.checkpoint.save(this.state());
    return this.reason !== undefined;
  }

  /** The run's result: θ the best validated one where validation restores it, the state to resume from. */
  finish(): RunOutcome {
    const reason = this.reason as StopReason;
    const { params, steps } = this;
    const state = this.state();
    let loss = this.fullLoss();
    if (this.s.recording && this.recordedSteps[this.recordedSteps.length - 1] !== steps) this.record(steps, loss);
    const v = this.s.validation;
    if (v !== undefined && v.restoreBest && this.bestStep >= 0 && this.bestStep !== steps) {
      params.set(this.bestParams);
      loss = this.fullLoss();
    }
    return {
      reason,
      steps,
      skippedSteps: this.skippedSteps,
      epochs: this.epochs,
      evaluations: this.evaluations,
      loss,
      path: this.path,
      losses: this.losses,
      recordedSteps: this.recordedSteps,
      epochLosses: this.epochLosses,
      validation: v === undefined ? undefined : { losses: this.validationLosses, steps: this.validationSteps, best: Number.isFinite(this.bestLoss) ? this.bestLoss : null, bestStep: this.bestStep },
      state,
    };
  }

  private get objective(): Objective {
    return this.s.objective;
  }

  private get optimizer(): Optimizer {
    return this.s.optimizer;
  }

  private get sampler(): BatchSampler | undefined {
    return this.s.sampler;
  }

  private stop(reason: StopReason): true {
    this.reason = reason;
    return true;
  }

  private fullLoss(): number {
    return this.lossAt(this.params);
  }

  private lossAt(x: Float64Array): number {
    this.evaluations++;
    return this.s.objective.evaluate(x, null);
  }

  private record(step: number, loss: number): void {
    if (this.s.recordPath) this.path.push(Array.from(this.params));
    this.losses.push(loss);
    this.recordedSteps.push(step);
  }

  /** The validation loss at θ: a new best (lower than the best by more than minDelta) is kept with θ; `patience` evaluations without one stop the run. */
  private validate(steps: number): void {
    const v = this.s.validation!;
    const loss = v.objective.evaluate(this.params, null);
    this.validationLosses.push(loss);
    this.validationSteps.push(steps);
    if (Number.isFinite(loss) && (!(this.bestStep >= 0) || loss < this.bestLoss - v.minDelta)) {
      this.bestLoss = loss;
      this.bestStep = steps;
      this.sinceBest = 0;
      this.bestParams.set(this.params);
      return;
    }
    this.sinceBest++;
    if (this.sinceBest >= v.patience) this.reason ??= "earlyStopping";
  }

  /** Everything needed to continue this run bit for bit (see {@link TrainingState}). */
  private state(): TrainingState {
    const { sampler, params } = this;
    const plateau = this.s.plateau;
    const v = this.s.validation;
    return {
      format: "gradstep/training",
      version: 1,
      steps: this.steps,
      epochs: this.epochs,
      skipped: { total: this.skippedSteps, inARow: this.skippedInARow },
      previousLoss: Number.isFinite(this.previous) ? this.previous : null,
      params: encodeFloat64(params),
      optimizer: this.optimizer.snapshot(),
      sampler: sampler ? sampler.snapshot() : null,
      ...(plateau === undefined ? {} : { plateau: plateau.snapshot() }),
      ...(v === undefined
        ? {}
        : {
            validation: {
              best: this.bestStep >= 0 ? this.bestLoss : null,
              bestStep: this.bestStep,
              sinceBest: this.sinceBest,
              bestParams: this.bestStep >= 0 ? encodeFloat64(this.bestParams) : null,
            },
          }),
    };
  }
}
