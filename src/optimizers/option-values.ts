import { InvalidOptionError, NonFiniteGradientError } from "../errors.js";
import { firstNonFinite } from "../kernels/first-non-finite.js";
import type { OptionRules, Schedulable } from "../options.js";
import { compileSchedule, evaluateProgram } from "../schedules/evaluate-schedule.js";
import type { Schedule } from "../schedules/schedule.js";
import { scheduleValue } from "../schedules/schedule-value.js";
import { type CommonOptions, type OptimizerOptions, optionIndex, writeCommonScalars } from "./optimizer-options.js";

/**
 * An optimizer's options in effect: the resolved options, and their numbers as one block of
 * doubles in rule order ({@link optionIndex}) — constants as given, schedules compiled once and
 * evaluated into the block before each step, so that a step reads no option object (a number read
 * from one on a polymorphic path can be boxed, which allocates).
 * @internal
 */
export class OptionValues<O extends OptimizerOptions> {
  /** The numeric options' names, in block order. */
  readonly names: readonly string[];
  /** The value of each numeric option in the step being taken. */
  readonly block: Float64Array;
  /** The index of `lr` in the block. */
  readonly lrIndex: number;
  private readonly weightDecayIndex: number;
  /** The resolved options, every default filled in (frozen). */
  options!: Readonly<Schedulable<O>>;
  /** Whether a step checks its gradient (`nonFinite` is not `"unchecked"`), and whether a bad one skips the step. */
  checkFinite = true;
  private skipNonFinite = false;
  private programs: { readonly index: number; readonly program: Float64Array }[] = [];

  constructor(rules: OptionRules<O>) {
    this.names = Object.keys(optionIndex(rules));
    this.block = new Float64Array(this.names.length);
    this.lrIndex = this.names.indexOf("lr");
    this.weightDecayIndex = this.names.indexOf("weightDecay");
  }

  /** Takes checked options: their constants, their compiled schedules (evaluated by {@link OptionValues.follow}). */
  adopt(options: Readonly<Schedulable<O>>): void {
    const programs: { readonly index: number; readonly program: Float64Array }[] = [];
    const value = (name: string) => options[name as keyof O] as number | Schedule;
    this.names.forEach((name, index) => {
      const v = value(name);
      if (typeof v !== "number") programs.push({ index, program: compileSchedule(v) });
    });
    // Compiled first: nothing changes until nothing can throw.
    this.programs = programs;
    this.names.forEach((name, index) => {
      const v = value(name);
      if (typeof v === "number") this.block[index] = v;
    });
    this.options = options;
    this.checkFinite = options.nonFinite !== "unchecked";
    this.skipNonFinite = options.nonFinite === "skip";
  }

  /** Whether any option follows a schedule (and so the block changes from step to step). */
  get scheduled(): boolean {
    return this.programs.length > 0;
  }

  /** Evaluates every schedule at step count t into the block, then writes the common slots of `scalars`. */
  follow(t: number, scalars: Float64Array): void {
    const programs = this.programs;
    const block = this.block;
    for (let i = 0; i < programs.length; i++) evaluateProgram(programs[i].program, t, block, programs[i].index);
    writeCommonScalars(scalars, this.options as Readonly<CommonOptions>, block[this.lrIndex], block[this.weightDecayIndex]);
  }

  /** For a gradient holding NaN or ±Infinity: `true` (the step is skipped) or a throw naming the first bad index. */
  handleNonFinite(grad: Float64Array): true {
    if (this.skipNonFinite) return true;
    const bad = firstNonFinite(grad);
    throw new NonFiniteGradientError(bad, grad[bad]);
  }

  /**
   * The value of option `name` in the step taken at step count t, read from the options themselves
   * (the reference the compiled schedules agree with to the bit). `owner` names the optimizer in errors.
   */
  valueAt(name: string, t: number, owner: string): number {
    if (!Number.isSafeInteger(t) || t < 0) throw new InvalidOptionError("t", t, "a whole number ≥ 0");
    if (!this.names.includes(name)) {
      throw new InvalidOptionError("name", name, `one of the numeric options of ${owner}: ${this.names.join(", ")}`);
    }
    const value = this.options[name as keyof O] as number | Schedule;
    return typeof value === "number" ? value : scheduleValue(value, t);
  }
}
