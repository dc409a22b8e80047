import { TreeOptimizer } from "../tree/tree-optimizer.js";
import { InvalidOptionError, InvalidSnapshotError } from "../errors.js";
import type { Optimizer } from "../optimizers/optimizer.js";
import { nonNegative, oneOf, type OptionRule, type OptionRules, resolveOptions, wholeNumber } from "../options.js";
import { decodeFloat64, encodeFloat64 } from "../snapshot/float64-base64.js";
import { checkSnapshotHeader, expectField, own, SNAPSHOT_FORMAT, SNAPSHOT_VERSION } from "../snapshot/snapshot-fields.js";

/**
 * Options of {@link ReduceLROnPlateau}: PyTorch's keyword arguments of `ReduceLROnPlateau`, in
 * camelCase, with its defaults.
 *
 * @example
 * ```ts
 * // torch.optim.lr_scheduler.ReduceLROnPlateau(opt, factor=0.5, patience=2, min_lr=1e-5)
 * const options: Partial<ReduceLROnPlateauOptions> = { factor: 0.5, patience: 2, minLr: 1e-5 };
 * ```
 */
export interface ReduceLROnPlateauOptions {
  /** `"min"`: a lower metric is better (a loss); `"max"`: a higher one (an accuracy). @defaultValue "min" */
  mode: "min" | "max";
  /** η ← max(η·factor, minLr) on a plateau; in (0, 1) (PyTorch also allows 0; a gradstep learning rate is > 0). @defaultValue 0.1 */
  factor: number;
  /** How many epochs without improvement are tolerated: the reduction comes at the (patience + 1)-th. A whole number ≥ 0. @defaultValue 10 */
  patience: number;
  /** How much better counts as better, ≥ 0. @defaultValue 1e-4 */
  threshold: number;
  /** `"rel"`: better means below best·(1 − threshold) (above best·(1 + threshold) in max mode); `"abs"`: below best − threshold (above best + threshold). @defaultValue "rel" */
  thresholdMode: "rel" | "abs";
  /** Epochs after a reduction during which bad epochs are not counted, a whole number ≥ 0. @defaultValue 0 */
  cooldown: number;
  /** The learning rate is never reduced below this, ≥ 0. @defaultValue 0 */
  minLr: number;
  /** A reduction smaller than this is not applied, ≥ 0. @defaultValue 1e-8 */
  eps: number;
}

/**
 * The state of a {@link ReduceLROnPlateau} as JSON: its options and its four numbers (best, bad
 * epochs, cooldown counter, epochs), base64 of their float64 bytes (best may be ±∞).
 *
 * @example
 * ```ts
 * const saved = JSON.stringify(plateau.snapshot());
 * ```
 */
export interface ReduceLROnPlateauSnapshot {
  /** Always "gradstep/optimizer". */
  readonly format: string;
  /** Version of this layout: 1. */
  readonly version: number;
  /** Always "ReduceLROnPlateau". */
  readonly kind: string;
  /** The resolved options. */
  readonly options: ReduceLROnPlateauOptions;
  /** `numbers`: best, badEpochs, cooldownCounter, epochs as float64, base64. */
  readonly buffers: {
    /** The four numbers, base64 of their float64 bytes. */
    readonly numbers: string;
  };
}

const KIND = "ReduceLROnPlateau";


const rules: OptionRules<ReduceLROnPlateauOptions> = {
  mode: oneOf<"min" | "max">("min", ["min", "max"]),
  factor: {
    default: 0.1,
    numeric: true,
    check(name, value) {
      if (typeof value !== "number" || !(value > 0 && value < 1)) throw new InvalidOptionError(name, value, "a number in (0, 1)");
      return value + 0;
    },
  },
  patience: wholeNumber(10, 0),
  threshold: nonNegative(1e-4, false) as OptionRule<number>,
  thresholdMode: oneOf<"rel" | "abs">("rel", ["rel", "abs"]),
  cooldown: wholeNumber(0, 0),
  minLr: nonNegative(0, false) as OptionRule<number>,
  eps: nonNegative(1e-8, false) as OptionRule<number>,
};

const BEST = 0;
const BAD_EPOCHS = 1;
const COOLDOWN = 2;
const EPOCHS = 3;

/** The optimizer whose options hold the learning rate: a Chain's inner one, else itself. */
function lrHolder(optimizer: Optimizer): Optimizer {
  let holder: Optimizer & { optimizer?: Optimizer } = optimizer;
  while (holder.options.lr === undefined && typeof holder.optimizer === "object") holder = holder.optimizer;
  return holder;
}

/** Refuses a tree (or a wrapper's) whose groups' learning rates are not all numbers: a reduction would replace a schedule. */
function checkGroupRates(optimizer: Optimizer): void {
  const holder = lrHolder(optimizer);
  if (!(holder instanceof TreeOptimizer)) return;
  for (let i = 0; i < holder.settings.groups.length; i++) {
    const lr = holder.groupOptions(i).lr;
    if (lr !== undefined && typeof lr !== "number") throw new InvalidOptionError(`optimizer.groups[${i}].lr`, lr, "a number (ReduceLROnPlateau sets the groups' learning rates; a schedule would be replaced)");
  }
}

/**
 * Lowers an optimizer's learning rate when a metric stops improving, exactly as PyTorch's
 * `torch.optim.lr_scheduler.ReduceLROnPlateau` (1.13). Call {@link ReduceLROnPlateau.step} once per
 * epoch with the epoch's metric (a validation loss, say); `minimize` (gradstep/learn) does it for you with the
 * full loss at the end of each epoch when given one (option `plateau`).
 *
 * With best the best metric so far (+∞ at first in "min" mode) and b the count of bad epochs:
 *
 * ```math
 * \begin{aligned}
 * &\text{better}(a) = a < \text{best}\,(1 - \tau) \ (\text{rel}) \quad\text{or}\quad a < \text{best} - \tau \ (\text{abs})\\
 * &\text{better: best} \leftarrow a,\ b \leftarrow 0; \ \text{else } b \leftarrow b + 1; \quad \text{in cooldown: } c \leftarrow c - 1,\ b \leftarrow 0\\
 * &b > \text{patience}: \ \eta' = \max(\eta \cdot \text{factor}, \eta_{\min}),\ \eta \leftarrow \eta' \text{ if } \eta - \eta' > \varepsilon;\quad c \leftarrow \text{cooldown},\ b \leftarrow 0
 * \end{aligned}
 * ```
 *
 * ("max" mode: a > best·(1 + τ) or a > best + τ, best −∞ at first.) The learning rate is changed with
 * the optimizer's {@link Optimizer.set}, so it must be a number (not a schedule); the optimizer's
 * state is kept. A NaN metric is refused ({@link InvalidOptionError}, nothing changes).
 *
 * @example
 * ```ts
 * const opt = new SGD({ lr: 0.1 });
 * const plateau = new ReduceLROnPlateau(opt, { factor: 0.5, patience: 2 });
 * for (const loss of [1, 0.9, 0.95, 0.95, 0.95]) plateau.step(loss);
 * opt.options.lr; // 0.05: three epochs without improvement
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose learning rate it lowers. */
  readonly optimizer: Optimizer;
  private resolved: Readonly<ReduceLROnPlateauOptions>;
  private readonly numbers = new Float64Array(4);

  /**
   * @param optimizer an optimizer with `set` and a numeric `lr` (a {@link Chain}'s optimizer counts).
   * @param options see {@link ReduceLROnPlateauOptions}; unknown keys and bad values throw {@link InvalidOptionError}.
   *
   * @throws {@link InvalidOptionError} for an option out of its range, an optimizer without `set`, or a learning rate that is a schedule.
   */
  constructor(optimizer: Optimizer, options?: Partial<ReduceLROnPlateauOptions>) {
    if (typeof optimizer !== "object" || optimizer === null || typeof optimizer.set !== "function") {
      throw new InvalidOptionError("optimizer", optimizer, "an optimizer with set(options), to change its learning rate");
    }
    if (typeof lrHolder(optimizer).options.lr !== "number") {
      throw new InvalidOptionError("optimizer.options.lr", lrHolder(optimizer).options.lr, "a number (ReduceLROnPlateau sets the learning rate; a schedule would be replaced)");
    }
    // A wrapper (a Chain, an accumulate) always has set, which forwards to the optimizer holding lr:
    // without this check an inner optimizer lacking set was found out only at the first reduction.
    if (typeof lrHolder(optimizer).set !== "function") {
      throw new InvalidOptionError("optimizer", optimizer, "an optimizer with set(options), to change its learning rate (the optimizer inside this wrapper has none)");
    }
    checkGroupRates(optimizer);
    this.optimizer = optimizer;
    this.resolved = resolveOptions(KIND, rules, options) as Readonly<ReduceLROnPlateauOptions>;
    this.resetCounters();
  }

  private resetCounters(): void {
    this.numbers[BEST] = this.resolved.mode === "min" ? Infinity : -Infinity;
    this.numbers[BAD_EPOCHS] = 0;
    this.numbers[COOLDOWN] = 0;
  }

  /** The resolved options, every default filled in. */
  get options(): Readonly<ReduceLROnPlateauOptions> {
    return this.resolved;
  }

  /** The best metric so far (±∞ before the first). */
  get best(): number {
    return this.numbers[BEST];
  }

  /** Epochs since the last improvement (PyTorch's `num_bad_epochs`). */
  get badEpochs(): number {
    return this.numbers[BAD_EPOCHS];
  }

  /** Epochs of cooldown left. */
  get cooldownCounter(): number {
    return this.numbers[COOLDOWN];
  }

  /** Calls of {@link ReduceLROnPlateau.step} so far (PyTorch's `last_epoch`). */
  get epochs(): number {
    return this.numbers[EPOCHS];
  }

  /** The optimizer's learning rate now. */
  get learningRate(): number {
    return lrHolder(this.optimizer).options.lr as number;
  }

  /**
   * Takes one epoch's metric and lowers the learning rate if the plateau has lasted long enough.
   * @returns true when it lowered the learning rate.
   * @throws InvalidOptionError for a metric that is not a number or is NaN, or a learning rate that
   *   is no longer a number; nothing changes.
   */
  step(metric: number): boolean {
    if (typeof metric !== "number" || Number.isNaN(metric)) throw new InvalidOptionError("metric", metric, "a number (not NaN)");
    const lr = this.learningRate;
    if (typeof lr !== "number") throw new InvalidOptionError("optimizer.options.lr", lr, "a number (ReduceLROnPlateau sets the learning rate)");
    checkGroupRates(this.optimizer); // (a group's may have become a schedule since, by setGroup)
    const o = this.resolved;
    const s = this.numbers;
    const best = s[BEST];
    let bad = s[BAD_EPOCHS];
    let cooldown = s[COOLDOWN];
    let better: boolean;
    if (o.mode === "min") better = o.thresholdMode === "rel" ? metric < best * (1 - o.threshold) : metric < best - o.threshold;
    else better = o.thresholdMode === "rel" ? metric > best * (o.threshold + 1) : metric > best + o.threshold;
    bad = better ? 0 : bad + 1;
    if (cooldown > 0) {
      cooldown -= 1;
      bad = 0;
    }
    let reduced = false;
    if (bad > o.patience) {
      // (next is 0 only where η·factor underflows with minLr = 0 and eps = 0: η then stays at its last value.)
      const reduce = (rate: number) => {
        const next = Math.max(rate * o.factor, o.minLr);
        return rate - next > o.eps && next > 0 ? next : rate;
      };
      // The only calls that may throw, before any counter changes. A tree's groups each have their
      // rate reduced, as PyTorch reduces each parameter group's.
      const holder = lrHolder(this.optimizer);
      if (holder instanceof TreeOptimizer) reduced = holder.reduceLearningRates(reduce);
      else if (reduce(lr) !== lr) {
        this.optimizer.set?.({ lr: reduce(lr) });
        reduced = true;
      }
      cooldown = o.cooldown;
      bad = 0;
    }
    if (better) s[BEST] = metric;
    s[BAD_EPOCHS] = bad;
    s[COOLDOWN] = cooldown;
    s[EPOCHS] += 1;
    return reduced;
  }

  /** Its state as JSON (see {@link ReduceLROnPlateauSnapshot}); the optimizer's is its own. */
  snapshot(): ReduceLROnPlateauSnapshot {
    return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, kind: KIND, options: { ...this.resolved }, buffers: { numbers: encodeFloat64(this.numbers) } };
  }

  /**
   * Takes the options and counters of a snapshot; checked whole first (a bad one throws
   * {@link InvalidSnapshotError} and changes nothing). The optimizer's learning rate is not touched:
   * restore the optimizer from its own snapshot.
   *
   * @throws {@link InvalidSnapshotError} for a malformed snapshot or one of another scheduler (nothing changes).
   */
  restore(snapshot: unknown): void {
    const fields = checkSnapshotHeader(snapshot, KIND);
    let options: Readonly<ReduceLROnPlateauOptions>;
    try {
      options = resolveOptions(KIND, rules, expectField("snapshot.options", own(fields, "options"), "object"), true) as Readonly<ReduceLROnPlateauOptions>;
    } catch (error) {
      if (error instanceof InvalidSnapshotError) throw error;
      throw new InvalidSnapshotError("snapshot.options", own(fields, "options"), (error as Error).message);
    }
    const text = expectField("snapshot.buffers.numbers", own(expectField("snapshot.buffers", own(fields, "buffers"), "object"), "numbers"), "string");
    const numbers = decodeFloat64(text);
    if (numbers === undefined || numbers.length !== 4) throw new InvalidSnapshotError("snapshot.buffers.numbers", text, "base64 of 4 float64 numbers: best, badEpochs, cooldownCounter, epochs");
    const [best, bad, cooldown, epochs] = numbers;
    // Only NaN is refused: step(-Infinity) in "min" mode (+Infinity in "max") makes that the best, and
    // the snapshot it then gives must restore.
    if (Number.isNaN(best)) throw new InvalidSnapshotError("snapshot.buffers.numbers[0]", best, "a best metric that is a number (not NaN)");
    for (const [i, value] of [bad, cooldown, epochs].entries()) {
      if (!Number.isSafeInteger(value) || value < 0) throw new InvalidSnapshotError(`snapshot.buffers.numbers[${i + 1}]`, value, "a whole number ≥ 0");
    }
    if (cooldown > options.cooldown) throw new InvalidSnapshotError("snapshot.buffers.numbers[2]", cooldown, `a cooldown counter ≤ cooldown (${options.cooldown})`);
    this.resolved = options;
    this.numbers.set(numbers);
  }
}
