// What the playground offers of each optimizer, in three conventions, all read from gradstep itself
// so that every rule and every option appears without a list of them kept here:
// - "gradstep": every class of the optimizer registry with every option of its rules;
// - "lecture": the `lecture` presets, taking only the lecture's symbols (η, β, γ, ρ, ε) and fixing
//   the lecture's conventions (ε inside the root, Nesterov's gradient at θ − η·V);
// - "pytorch": the `pytorch` presets, taking torch.optim's keyword arguments (betas as a pair,
//   weight_decay, alpha for RMSprop's decay, …) with PyTorch's defaults and conventions.
// Numbers become number fields (or a schedule, where the option's rule accepts one), switches check
// boxes, string options a choice among the values their rule accepts, pairs two number fields.
import { lecture, type Optimizer, optimizerRegistry, type OptionRule, pytorch, type Schedule } from "gradstep";

export const CONVENTIONS = ["gradstep", "lecture", "pytorch"] as const;
/** Whose names, options and defaults a run uses. */
export type Convention = (typeof CONVENTIONS)[number];
export const CONVENTION_LABELS: Record<Convention, string> = { gradstep: "gradstep (every option)", lecture: "the lecture's", pytorch: "PyTorch's" };

/** An option's value: a number or a schedule, a switch, a choice, or a pair (PyTorch's betas, etas, step_sizes). */
export type OptionValue = number | boolean | string | Schedule | readonly [number, number];
export type OptionValues = Readonly<Record<string, OptionValue>>;

/** One editable option of an optimizer; `target` is the gradstep option (or the two) it sets. */
export type OptionField =
  | { readonly name: string; readonly kind: "number"; readonly default: number; readonly schedulable: boolean; readonly target: string }
  | { readonly name: string; readonly kind: "flag"; readonly default: boolean; readonly target: string }
  | { readonly name: string; readonly kind: "choice"; readonly default: string; readonly choices: readonly string[]; readonly target: string }
  | { readonly name: string; readonly kind: "pair"; readonly default: readonly [number, number]; readonly target: readonly [string, string] };

type Factory = (options?: Record<string, unknown>) => Optimizer;
const factories: Record<Exclude<Convention, "gradstep">, Record<string, Factory>> = {
  lecture: lecture as unknown as Record<string, Factory>,
  pytorch: pytorch as unknown as Record<string, Factory>,
};

type Entry = (typeof optimizerRegistry)[number];
/** The registry's entry a preset of `convention` named `name` builds (none for PyTorch's LBFGS: its step takes the objective). */
function entryOf(convention: Convention, name: string): Entry | undefined {
  if (convention === "gradstep") return optimizerRegistry.find((e) => e.name === name);
  if (convention === "lecture") return optimizerRegistry.find((e) => e.presets.lecture === name);
  return optimizerRegistry.find((e) => e.presets.pytorch.includes(name));
}

/** The optimizers of a convention, in the registry's order. */
export function optimizerNames(convention: Convention): string[] {
  if (convention === "gradstep") return optimizerRegistry.map((e) => e.name);
  return Object.keys(factories[convention]).filter((name) => entryOf(convention, name) !== undefined);
}

// PyTorch's keyword → gradstep's option (the conventions guide's table); a pair sets two options.
const PYTORCH_TARGETS: Record<string, string | readonly [string, string]> = {
  lr: "lr",
  weight_decay: "weightDecay",
  maximize: "maximize",
  momentum: "momentum",
  dampening: "dampening",
  nesterov: "nesterov",
  eps: "eps",
  amsgrad: "amsgrad",
  momentum_decay: "momentumDecay",
  lr_decay: "lrDecay",
  initial_accumulator_value: "initialAccumulator",
  centered: "centered",
  rho: "rho",
  lambd: "lambd",
  alpha: "alpha",
  t0: "t0",
  betas: ["beta", "gamma"],
  etas: ["etaMinus", "etaPlus"],
  step_sizes: ["stepMin", "stepMax"],
};
/** Where a keyword means another option in one class: RMSprop's alpha is ρ, the decay. */
const PYTORCH_EXCEPTIONS: Record<string, Record<string, string>> = { RMSprop: { alpha: "rho" } };

/** The keywords a preset accepts, from the error it throws for one it does not ("… keyword arguments: lr, betas, eps"). */
function keywordsOf(factory: Factory): string[] {
  try {
    factory({ "\u0000": 0 });
  } catch (e) {
    const expected = (e as { expected?: unknown }).expected;
    const at = typeof expected === "string" ? expected.indexOf(": ") : -1;
    if (at >= 0) return (expected as string).slice(at + 2).split(", ");
  }
  return [];
}

/** The values a string option's rule accepts, from the `expected` it reports ('one of "a", "b"'). */
function choices(name: string, rule: OptionRule): string[] {
  try {
    rule.check(name, "\u0000");
  } catch (e) {
    const expected = (e as { expected?: unknown }).expected;
    if (typeof expected === "string" && expected.startsWith("one of ")) return [...expected.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  }
  return [String(rule.default)];
}

/** Whether a numeric option's rule takes a schedule (a constant one at its default). */
function schedulable(name: string, rule: OptionRule): boolean {
  try {
    rule.check(name, { kind: "constant", value: rule.default });
    return true;
  } catch {
    return false;
  }
}

/** The field of gradstep option `target` of `entry`, shown as `name`, with `value` as its default. */
function field(entry: Entry, name: string, target: string, value: unknown): OptionField[] {
  const rule = (entry.optionRules as Record<string, OptionRule>)[target];
  if (typeof value === "number") return [{ name, kind: "number", default: value, schedulable: rule !== undefined && schedulable(target, rule), target }];
  if (typeof value === "boolean") return [{ name, kind: "flag", default: value, target }];
  if (typeof value === "string" && rule !== undefined) return [{ name, kind: "choice", default: value, choices: choices(target, rule), target }];
  return []; // a schedule as a default: none today
}

const cache = new Map<string, OptionField[]>();

/** The options of optimizer `name` in `convention`, in its rules' (or keywords') order; [] for an unknown one. */
export function optionFields(convention: Convention, name: string): OptionField[] {
  const key = `${convention}.${name}`;
  let fields = cache.get(key);
  if (fields === undefined) {
    fields = computeFields(convention, name);
    cache.set(key, fields);
  }
  return fields;
}

function computeFields(convention: Convention, name: string): OptionField[] {
  const entry = entryOf(convention, name);
  if (entry === undefined) return [];
  if (convention === "gradstep") {
    return Object.entries(entry.optionRules as Record<string, OptionRule>).flatMap(([option, rule]) => field(entry, option, option, rule.default));
  }
  const factory = factories[convention][name];
  // The preset's defaults: the options of the optimizer it builds from no keywords (AdamW's λ = 0.01, …).
  const defaults = factory().options as Record<string, unknown>;
  return keywordsOf(factory).flatMap((keyword): OptionField[] => {
    const target = convention === "lecture" ? keyword : (PYTORCH_EXCEPTIONS[name]?.[keyword] ?? PYTORCH_TARGETS[keyword]);
    if (target === undefined) return [];
    if (typeof target !== "string") return [{ name: keyword, kind: "pair", default: [defaults[target[0]] as number, defaults[target[1]] as number], target }];
    return field(entry, keyword, target, defaults[target]);
  });
}

/** A new optimizer `name` of `convention` with `options` (the defaults for those not given). @throws InvalidOptionError */
export function createOptimizer(convention: Convention, name: string, options: OptionValues): Optimizer {
  if (convention === "gradstep") {
    const entry = entryOf(convention, name);
    if (entry === undefined) throw new Error(`no optimizer named ${name}`);
    return entry.create(options as never);
  }
  const factory = factories[convention][name];
  if (factory === undefined || entryOf(convention, name) === undefined) throw new Error(`no ${convention} optimizer named ${name}`);
  return factory(options as Record<string, unknown>);
}

/** One optimizer of a race, as a run's settings name it. */
export interface OptimizerChoice {
  /** The convention; "gradstep" when not given. */
  readonly convention?: Convention;
  readonly optimizer: string;
  readonly options: OptionValues;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The same optimizer in another convention: the options it set, renamed (β, γ ↔ betas, ρ ↔ alpha,
 * …); those the other convention does not take are dropped, and its own conventions apply (the
 * lecture's ε inside the root, PyTorch's outside). Undefined when that convention has no preset for
 * this rule (the lecture has no SGD, PyTorch no Lion), or when the options are refused.
 */
export function convertChoice(choice: OptimizerChoice, to: Convention): OptimizerChoice | undefined {
  const from = choice.convention ?? "gradstep";
  if (from === to) return choice;
  let options: Record<string, unknown>;
  try {
    options = createOptimizer(from, choice.optimizer, choice.options).options as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const entry = entryOf(from, choice.optimizer)!;
  const name =
    to === "gradstep"
      ? entry.name
      : to === "lecture"
        ? entry.presets.lecture
        : entry.presets.pytorch.find((n) => n === "AdamW") !== undefined && options.weightDecayMode === "decoupled"
          ? "AdamW"
          : entry.presets.pytorch.find((n) => n !== "AdamW");
  if (name === undefined) return undefined;
  const converted: Record<string, OptionValue> = {};
  for (const f of optionFields(to, name)) {
    const value = typeof f.target === "string" ? options[f.target] : [options[f.target[0]], options[f.target[1]]];
    if (value !== undefined && !same(value, f.default)) converted[f.name] = value as OptionValue;
  }
  return { ...(to === "gradstep" ? {} : { convention: to }), optimizer: name, options: converted };
}
