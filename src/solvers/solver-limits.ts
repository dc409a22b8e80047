// The solvers' limits checked and given their defaults, in one place for the classes and solve().
import { InvalidOptionError } from "../errors.js";
import type { SolveMethod, SolverLimits } from "./solver.js";

/**
 * {@link SolverLimits} with the defaults filled in; `maxIterations` stays `undefined` when it
 * depends on the dimension (scipy's 200·n for BFGS and CG), which is known at the first run.
 */
export interface ResolvedSolverLimits {
  gradientTolerance: number;
  relativeChange: number;
  maxIterations: number | undefined;
  maxEvaluations: number;
}

/** The names of {@link SolverLimits}, to refuse unknown keys. */
export const SOLVER_LIMIT_NAMES: readonly (keyof SolverLimits)[] = ["gradientTolerance", "relativeChange", "maxIterations", "maxEvaluations"];

/**
 * Checks the limits (each a number in its range, or absent) and fills in the defaults of `method`:
 * gradientTolerance 1e-5, relativeChange 0 for BFGS and CG (scipy has no such test there),
 * maxEvaluations 15000. Throws {@link InvalidOptionError} naming the limit and the value.
 */
export function resolveSolverLimits(limits: Partial<SolverLimits>, method: SolveMethod, path = ""): ResolvedSolverLimits {
  const gradientTolerance = nonNegative(`${path}gradientTolerance`, limits.gradientTolerance) ?? 1e-5;
  const relativeChange = nonNegative(`${path}relativeChange`, limits.relativeChange) ?? (method === "bfgs" || method === "cg" ? 0 : 2.220446049250313e-9);
  const maxIterations = whole(`${path}maxIterations`, limits.maxIterations);
  const maxEvaluations = whole(`${path}maxEvaluations`, limits.maxEvaluations) ?? 15000;
  return { gradientTolerance, relativeChange, maxIterations, maxEvaluations };
}

/** Refuses keys of `given` that are not among `names`, with the list of valid ones. */
export function knownKeys(path: string, given: unknown, names: readonly string[], owner: string): void {
  if (typeof given !== "object" || given === null || Array.isArray(given)) throw new InvalidOptionError(path, given, `an object with the options of ${owner}`);
  for (const key of Object.keys(given)) {
    if (!names.includes(key)) throw new InvalidOptionError(path === "options" ? key : `${path}.${key}`, (given as Record<string, unknown>)[key], `one of the options of ${owner}: ${names.join(", ")}`, "unknown option");
  }
}

function nonNegative(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (!(typeof value === "number" && value >= 0 && value !== Infinity)) throw new InvalidOptionError(name, value, "a finite number ≥ 0");
  return value;
}

function whole(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) throw new InvalidOptionError(name, value, "a whole number ≥ 1");
  return value;
}
