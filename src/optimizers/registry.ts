// The one list of gradstep's optimizers: tests, bench, examples and the docs checks all read it,
// so adding an optimizer means adding it here (test/optimizers/registry.test.ts fails otherwise).
// Two lists: optimizerRegistry (step(params, grad)) and closureOptimizerRegistry (step(params,
// objective), PyTorch's step(closure)), each entry marked with its `stepping`.
// Plain data and classes only; no file under src/optimizers imports this one, so no cycle. It also
// re-exports every optimizer class and its options type, which src/index.ts exports from here.
import type { OptionRules } from "../options.js";
import type { ClosureOptimizer } from "./closure-optimizer.js";
import type { Optimizer } from "./optimizer.js";
import { AdaGrad } from "./adagrad.js";
import { Adadelta } from "./adadelta.js";
import { Adam } from "./adam.js";
import { Adamax } from "./adamax.js";
import { ASGD } from "./asgd.js";
import { GradientDescent } from "./gradient-descent.js";
import { LBFGS } from "./lbfgs.js";
import { Adafactor } from "./adafactor.js";
import { LAMB } from "./lamb.js";
import { Lion } from "./lion.js";
import { Momentum } from "./momentum.js";
import { NAdam } from "./nadam.js";
import { Nesterov } from "./nesterov.js";
import { NormalizedGradient } from "./normalized-gradient.js";
import { RAdam } from "./radam.js";
import { RMSProp } from "./rmsprop.js";
import { Rprop } from "./rprop.js";
import { SGD } from "./sgd.js";

export { GradientDescent, type GradientDescentOptions } from "./gradient-descent.js";
export { Momentum, type MomentumOptions } from "./momentum.js";
export { Nesterov, type NesterovLookAhead, type NesterovOptions } from "./nesterov.js";
export { NormalizedGradient, type NormalizedGradientOptions } from "./normalized-gradient.js";
export { AdaGrad, type AdaGradOptions } from "./adagrad.js";
export { RMSProp, type RMSPropOptions } from "./rmsprop.js";
export { Adam, type AdamOptions } from "./adam.js";
export { SGD, type SGDOptions } from "./sgd.js";
export { Adamax, type AdamaxOptions } from "./adamax.js";
export { NAdam, type NAdamOptions } from "./nadam.js";
export { RAdam, type RAdamOptions } from "./radam.js";
export { Adadelta, type AdadeltaOptions } from "./adadelta.js";
export { Rprop, type RpropOptions } from "./rprop.js";
export { ASGD, type ASGDOptions } from "./asgd.js";
export { Lion, type LionOptions } from "./lion.js";
export { LAMB, type LAMBOptions } from "./lamb.js";
export { Adafactor, type AdafactorOptions } from "./adafactor.js";
export { LBFGS, type LBFGSOptions, type LBFGSStopReason } from "./lbfgs.js";
export type { ClosureOptimizer } from "./closure-optimizer.js";

/**
 * Any optimizer class of gradstep: constructed from its (optional) options object.
 *
 * @example
 * ```ts
 * import { Adam, type OptimizerClass } from "gradstep";
 * const cls: OptimizerClass = Adam;
 * const opt = new cls({ lr: 0.01 });
 * ```
 */
// `any` in the parameter: each class takes its own options type, and this names them all.
export type OptimizerClass = (new (options?: any) => Optimizer) & {
  /** The rules of its options: each one's default and its check. */
  readonly optionRules: OptionRules<any>;
};

/**
 * Where an optimizer comes from, and so what checks it: the lecture's seven rules (with a
 * {@link lecture} preset each, checked against the lecture's formulas), the ones that complete
 * PyTorch's `torch.optim` (with a {@link pytorch} preset, checked against PyTorch), or a rule from its
 * paper (checked against the paper's formulas, evaluated line by line by a reference generator).
 *
 * @example
 * ```ts
 * import { optimizerRegistry } from "gradstep";
 * const lectureOnes = optimizerRegistry.filter((e) => e.family === "lecture"); // 7 entries
 * ```
 */
export type OptimizerFamily = "lecture" | "pytorch" | "paper";

/**
 * A named configuration of an optimizer that adds state or work beyond its defaults (AMSGrad,
 * centering, momentum buffers, schedules): the cross-cutting tests run each as a rule of its own.
 *
 * @example
 * ```ts
 * import { optimizerEntry } from "gradstep";
 * const v = optimizerEntry("SGD").variants[0]; // { name: "SGD momentum nesterov", options: { momentum: 0.9, nesterov: true } }
 * const opt = optimizerEntry("SGD").create(v.options);
 * ```
 */
export interface OptimizerVariant {
  /** The variant's name, unique across the registry (e.g. `"Adam amsgrad decoupled"`). */
  readonly name: string;
  /** The options it sets; options given with it override them. */
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * The preset factories that build an optimizer, by the name each preset object spells it with.
 *
 * @example
 * ```ts
 * import { optimizerEntry, pytorch } from "gradstep";
 * const [spelling] = optimizerEntry("RMSProp").presets.pytorch; // "RMSprop"
 * const opt = pytorch[spelling as keyof typeof pytorch]({ lr: 0.01 });
 * ```
 */
export interface OptimizerPresets {
  /** The key of {@link lecture} that builds it, if the lecture has the rule. */
  readonly lecture?: string;
  /** The keys of {@link pytorch} (and {@link pytorch113}) that build it; empty if PyTorch has none. */
  readonly pytorch: readonly string[];
}

/**
 * One optimizer of gradstep as the registry records it.
 *
 * @typeParam C its class.
 * @example
 * ```ts
 * import { optimizerEntry } from "gradstep";
 * const adam = optimizerEntry("Adam");
 * const opt = adam.create({ lr: 0.01 }); // an Adam; opt.kind === adam.name
 * console.log(adam.docs); // "docs/optimizers/adam.md"
 * ```
 */
export interface OptimizerEntry<C extends OptimizerClass = OptimizerClass> {
  /** The class's `kind` (its name in snapshots and error messages). */
  readonly name: string;
  /** How a step is taken: `step(params, grad)` (see {@link ClosureOptimizerEntry} for the others). */
  readonly stepping: "gradient";
  /** The class itself. */
  readonly optimizer: C;
  /** The lecture's rule, or one of PyTorch's. */
  readonly family: OptimizerFamily;
  /** The preset spellings that build this class. */
  readonly presets: OptimizerPresets;
  /** The rules of its options (the class's `optionRules`): each option's default and its check. */
  readonly optionRules: OptionRules<any>;
  /** Its documentation page, relative to the repository root. */
  readonly docs: string;
  /** The configurations that add state beyond the defaults; empty for most. */
  readonly variants: readonly OptimizerVariant[];
  /**
   * A new instance, from `options` as the constructor takes them.
   *
   * @param options the class's options.
   */
  create(options?: ConstructorParameters<C>[0]): InstanceType<C>;
}

function entry<N extends string, C extends OptimizerClass>(
  name: N,
  optimizer: C,
  family: OptimizerFamily,
  presets: OptimizerPresets,
  docs: string,
  variants: OptimizerVariant[] = [],
): OptimizerEntry<C> & { readonly name: N } {
  return {
    name,
    stepping: "gradient",
    optimizer,
    family,
    presets,
    optionRules: optimizer.optionRules,
    docs: `docs/optimizers/${docs}.md`,
    variants,
    create: (options) => new optimizer(options) as InstanceType<C>,
  };
}

// The order is src/index.ts's (the lecture's seven first), which the test tables keep.
const entries = [
  entry("GradientDescent", GradientDescent, "lecture", { lecture: "GradientDescent", pytorch: [] }, "gradient-descent"),
  entry("Momentum", Momentum, "lecture", { lecture: "Momentum", pytorch: [] }, "momentum"),
  entry("Nesterov", Nesterov, "lecture", { lecture: "Nesterov", pytorch: [] }, "nesterov"),
  entry("NormalizedGradient", NormalizedGradient, "lecture", { lecture: "NormalizedGradient", pytorch: [] }, "normalized-gradient", [
    { name: "NormalizedGradient global", options: { norm: "global" } },
  ]),
  entry("AdaGrad", AdaGrad, "lecture", { lecture: "AdaGrad", pytorch: ["Adagrad"] }, "adagrad", [
    { name: "AdaGrad lrDecay", options: { lrDecay: 0.01, initialAccumulator: 0.1 } },
  ]),
  entry("RMSProp", RMSProp, "lecture", { lecture: "RMSProp", pytorch: ["RMSprop"] }, "rmsprop", [
    { name: "RMSProp centered momentum", options: { centered: true, momentum: 0.9, weightDecay: 0.01 } },
  ]),
  entry("Adam", Adam, "lecture", { lecture: "Adam", pytorch: ["Adam", "AdamW"] }, "adam", [
    { name: "Adam amsgrad decoupled", options: { amsgrad: true, weightDecay: 0.01, weightDecayMode: "decoupled" } },
    {
      name: "Adam scheduled",
      options: {
        beta: { kind: "oneCycle", initial: 0.95, peak: 0.85, final: 0.95, totalSteps: 100 },
        weightDecay: { kind: "sequence", boundaries: [10], schedules: [{ kind: "constant", value: 0 }, { kind: "exponential", initial: 0.01, gamma: 0.99 }] },
      },
    },
  ]),
  entry("SGD", SGD, "pytorch", { pytorch: ["SGD"] }, "sgd", [{ name: "SGD momentum nesterov", options: { momentum: 0.9, nesterov: true } }]),
  entry("Adamax", Adamax, "pytorch", { pytorch: ["Adamax"] }, "adamax"),
  entry("NAdam", NAdam, "pytorch", { pytorch: ["NAdam"] }, "nadam"),
  entry("RAdam", RAdam, "pytorch", { pytorch: ["RAdam"] }, "radam"),
  entry("Adadelta", Adadelta, "pytorch", { pytorch: ["Adadelta"] }, "adadelta"),
  entry("Rprop", Rprop, "pytorch", { pytorch: ["Rprop"] }, "rprop"),
  entry("ASGD", ASGD, "pytorch", { pytorch: ["ASGD"] }, "asgd", [
    // Averaging from step 5 on (the default t0 = 1e6 only copies θ), with both decays.
    { name: "ASGD averaging", options: { t0: 3, lambd: 0.01, weightDecay: 0.01 } },
  ]),
  entry("Lion", Lion, "paper", { pytorch: [] }, "lion", [{ name: "Lion decayed", options: { weightDecay: 0.1 } }]),
  entry("LAMB", LAMB, "paper", { pytorch: [] }, "lamb", [{ name: "LAMB decayed", options: { weightDecay: 0.01 } }]),
  // PyTorch 2.5 has Adafactor; the presets follow PyTorch 1.13, which has not: no preset. Factored
  // with one column (a matrix of n rows, so any length fits), and as a stack of 1 × 1 matrices with a first moment.
  entry("Adafactor", Adafactor, "paper", { pytorch: [] }, "adafactor", [
    { name: "Adafactor factored", options: { columns: 1 } },
    { name: "Adafactor stacked momentum", options: { columns: 1, rows: 1, beta1: 0.9, weightDecay: 0.01 } },
  ]),
] as const;

/**
 * The name of an optimizer in {@link optimizerRegistry} (its class's `kind`).
 *
 * @example
 * ```ts
 * import type { OptimizerName } from "gradstep";
 * const rates: Record<OptimizerName, number> = { GradientDescent: 0.1, Momentum: 0.1, Nesterov: 0.1, NormalizedGradient: 0.01, AdaGrad: 0.1, RMSProp: 0.01, Adam: 0.01, SGD: 0.1, Adamax: 0.01, NAdam: 0.01, RAdam: 0.01, Adadelta: 1, Rprop: 0.01, ASGD: 0.01, Lion: 1e-3, LAMB: 1e-3, Adafactor: 1e-2 };
 * ```
 */
export type OptimizerName =
  | "GradientDescent"
  | "Momentum"
  | "Nesterov"
  | "NormalizedGradient"
  | "AdaGrad"
  | "RMSProp"
  | "Adam"
  | "SGD"
  | "Adamax"
  | "NAdam"
  | "RAdam"
  | "Adadelta"
  | "Rprop"
  | "ASGD"
  | "Lion"
  | "LAMB"
  | "Adafactor";

// The union above and the entries must name the same optimizers; this fails to compile otherwise
// (a type, so nothing runs).
type EntryName = (typeof entries)[number]["name"];
type Holds<T extends true> = T;
type NamesMatch = Holds<[OptimizerName] extends [EntryName] ? ([EntryName] extends [OptimizerName] ? true : false) : false>;

/**
 * Every optimizer class of gradstep whose step takes a gradient, once, in the order of the package's
 * exports (the lecture's seven, then PyTorch's others, then those from papers): its name, class,
 * family, preset spellings, option rules, docs page and the configurations that add state. Iterate
 * it instead of listing the optimizers by hand. The closure-based ones ({@link LBFGS}) are in
 * {@link closureOptimizerRegistry}.
 *
 * @example
 * ```ts
 * import { optimizerRegistry } from "gradstep";
 * for (const { name, create } of optimizerRegistry) {
 *   const opt = create({ lr: 0.01 });
 *   console.log(name, opt.kind === name); // true for each
 * }
 * ```
 */
export const optimizerRegistry: readonly OptimizerEntry[] = entries;

/**
 * The registry's entry for `name`.
 *
 * @param name an optimizer's name (its class's `kind`).
 * @throws Error if no optimizer has that name.
 * @example
 * ```ts
 * import { optimizerEntry } from "gradstep";
 * const opt = optimizerEntry("Adam").create({ lr: 0.01 });
 * ```
 */
export function optimizerEntry(name: OptimizerName): OptimizerEntry {
  const found = optimizerRegistry.find((e) => e.name === name);
  if (!found) throw new Error(`no optimizer named ${JSON.stringify(name)} in the registry`);
  return found;
}

/**
 * Any closure-based optimizer class of gradstep ({@link ClosureOptimizer}: its step takes the
 * objective), constructed from its (optional) options object.
 *
 * @example
 * ```ts
 * import { LBFGS, type ClosureOptimizerClass } from "gradstep";
 * const cls: ClosureOptimizerClass = LBFGS;
 * const opt = new cls({ historySize: 10 });
 * ```
 */
export type ClosureOptimizerClass = (new (options?: any) => ClosureOptimizer) & {
  /** The rules of its options: each one's default and its check. */
  readonly optionRules: OptionRules<any>;
};

/**
 * One closure-based optimizer of gradstep as the registry records it: like an
 * {@link OptimizerEntry}, but its class's step takes the objective, `step(params, objective)`, as
 * PyTorch's `step(closure)`, so the tables and tests that feed optimizers gradients leave it out.
 *
 * @example
 * ```ts
 * import { closureOptimizerRegistry } from "gradstep";
 * const [lbfgs] = closureOptimizerRegistry;
 * const opt = lbfgs.create({ lineSearchFn: "strong_wolfe" }); // an LBFGS; lbfgs.stepping === "closure"
 * ```
 */
export interface ClosureOptimizerEntry<C extends ClosureOptimizerClass = ClosureOptimizerClass> {
  /** The class's `kind` (its name in snapshots and error messages). */
  readonly name: string;
  /** How a step is taken: `step(params, objective)`. */
  readonly stepping: "closure";
  /** The class itself. */
  readonly optimizer: C;
  /** Where it comes from (`"pytorch"`: checked against PyTorch's trajectories). */
  readonly family: OptimizerFamily;
  /** The preset spellings that build this class. */
  readonly presets: OptimizerPresets;
  /** The rules of its options (the class's `optionRules`). */
  readonly optionRules: OptionRules<any>;
  /** Its documentation page, relative to the repository root. */
  readonly docs: string;
  /** The configurations that add state or work beyond the defaults. */
  readonly variants: readonly OptimizerVariant[];
  /**
   * A new instance, from `options` as the constructor takes them.
   *
   * @param options the class's options.
   */
  create(options?: ConstructorParameters<C>[0]): InstanceType<C>;
}

/**
 * The closure-based optimizers of gradstep ({@link ClosureOptimizerEntry}): today {@link LBFGS}.
 * {@link optimizerRegistry} holds the others, whose step takes a gradient.
 *
 * @example
 * ```ts
 * import { closureOptimizerRegistry } from "gradstep";
 * for (const { name, create } of closureOptimizerRegistry) console.log(name, create().kind); // "LBFGS LBFGS"
 * ```
 */
export const closureOptimizerRegistry: readonly ClosureOptimizerEntry[] = [
  {
    name: "LBFGS",
    stepping: "closure",
    optimizer: LBFGS,
    family: "pytorch",
    presets: { pytorch: ["LBFGS"] },
    optionRules: LBFGS.optionRules,
    docs: "docs/optimizers/lbfgs.md",
    variants: [{ name: "LBFGS strong_wolfe", options: { lineSearchFn: "strong_wolfe" } }],
    create: (options) => new LBFGS(options),
  },
];
