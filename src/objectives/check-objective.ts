import { InvalidOptionError } from "../errors.js";
import type { Objective } from "./objective.js";

/**
 * Refuses, naming `argument`, what is not an {@link Objective}: an object with an `evaluate`
 * function and a whole-number `dimension`. (Where the dimension must match something, that is
 * checked where it is used.)
 * @internal
 */
export function checkObjective(objective: unknown, argument = "objective"): asserts objective is Objective {
  if (typeof objective !== "object" || objective === null || typeof (objective as { evaluate?: unknown }).evaluate !== "function" || !isDimension((objective as { dimension?: unknown }).dimension)) {
    throw new InvalidOptionError(argument, objective, "an Objective: { dimension, evaluate(theta, grad) }");
  }
}

function isDimension(value: unknown): boolean {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
