import { InvalidOptionError } from "../errors.js";
import type { OptimizerBase } from "../optimizers/optimizer-base.js";
import { compilePathMatch } from "./path-match.js";

/** The optimizer of one leaf of a tree. @internal */
export type LeafOptimizer = OptimizerBase<any>;

/** The class of a tree's leaf optimizers (the rule's). @internal */
export type LeafConstructor = new (options?: Record<string, unknown>) => LeafOptimizer;

/** A tree's group, checked: its matcher and its options. @internal */
export interface CompiledGroup {
  readonly match: (path: string) => boolean;
  readonly options: Readonly<Record<string, unknown>>;
}

/** Checks group `i` ({ match, …options }) and compiles its matcher. @internal */
export function compileGroup(group: unknown, i: number): CompiledGroup {
  if (typeof group !== "object" || group === null || Array.isArray(group)) throw new InvalidOptionError(`groups[${i}]`, group, "a group: { match, …options }");
  const { match, ...options } = group as Record<string, unknown>;
  if (match === undefined) throw new InvalidOptionError(`groups[${i}].match`, match, "the leaves the group applies to: a path, glob, RegExp or function");
  if ("nonFinite" in options) throw new InvalidOptionError(`groups[${i}].nonFinite`, options.nonFinite, "no nonFinite in a group: the tree checks the whole gradient with the optimizer's policy");
  return { match: compilePathMatch(match, `groups[${i}].match`), options: Object.freeze(options) };
}

/**
 * The options of the leaf at `path`: the optimizer's (`base`), then those its rule derives from the
 * leaf's shape (a class's static `optionsForShape`: Adafactor factors a matrix), then each matching
 * group's; the tree checks the gradient itself. @internal
 */
export function leafOptions(create: LeafConstructor, base: Readonly<Record<string, unknown>>, groups: readonly CompiledGroup[], path: string, shape: readonly number[] | undefined): Record<string, unknown> {
  const options: Record<string, unknown> = { ...base };
  const forShape = (create as { optionsForShape?: (shape: readonly number[]) => Record<string, unknown> }).optionsForShape;
  if (shape !== undefined && typeof forShape === "function") Object.assign(options, forShape(shape));
  for (const group of groups) if (group.match(path)) Object.assign(options, group.options);
  options.nonFinite = "unchecked";
  return options;
}
