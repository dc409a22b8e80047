// What the playground offers of each optimizer: read from gradstep's registry, so that every rule
// and every option appears without a list kept here. Numbers become number fields, switches check
// boxes, and string options a choice among the values their rule accepts.
import { type OptimizerName, optimizerRegistry, type OptionRule } from "gradstep";

/** One editable option of an optimizer. */
export type OptionField =
  | { readonly name: string; readonly kind: "number"; readonly default: number }
  | { readonly name: string; readonly kind: "flag"; readonly default: boolean }
  | { readonly name: string; readonly kind: "choice"; readonly default: string; readonly choices: readonly string[] };

export type OptionValues = Readonly<Record<string, number | boolean | string>>;

export const OPTIMIZER_NAMES: readonly OptimizerName[] = optimizerRegistry.map((e) => e.name as OptimizerName);

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

/** The options of optimizer `name`, in its rules' order. */
export function optionFields(name: OptimizerName): OptionField[] {
  const entry = optimizerRegistry.find((e) => e.name === name);
  if (entry === undefined) return [];
  return Object.entries(entry.optionRules as Record<string, OptionRule>).flatMap(([option, rule]): OptionField[] => {
    if (typeof rule.default === "number") return [{ name: option, kind: "number", default: rule.default }];
    if (typeof rule.default === "boolean") return [{ name: option, kind: "flag", default: rule.default }];
    if (typeof rule.default === "string") return [{ name: option, kind: "choice", default: rule.default, choices: choices(option, rule) }];
    return []; // a schedule as a default: none today
  });
}

/** A new optimizer `name` with `options` (the defaults for those not given). @throws InvalidOptionError */
export function createOptimizer(name: OptimizerName, options: OptionValues) {
  const entry = optimizerRegistry.find((e) => e.name === name);
  if (entry === undefined) throw new Error(`no optimizer named ${name}`);
  return entry.create(options);
}
