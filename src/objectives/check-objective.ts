import { InvalidOptionError } from "../errors.js";
import type { Objective } from "./objective.js";

/**
 * Refuses, naming `argument`, what is not an {@link Objective}: an object with an `evaluate`
 * function, and a `dimension` that is a whole number ≥ 0 (named `<argument>.dimension`). Where the
 * dimension must match something, that is checked where it is used.
 * @internal
 */
export function checkObjective(objective: unknown, argument = "objective"): asserts objective is Objective {
  if (typeof objective !== "object" || objective === null || typeof (objective as { evaluate?: unknown }).evaluate !== "function") {
    throw new InvalidOptionError(argument, objective, "an Objective: { dimension, evaluate(theta, grad) }");
  }
  const dimension = (objective as { dimension?: unknown }).dimension;
  if (!(Number.isSafeInteger(dimension) && (dimension as number) >= 0)) throw new InvalidOptionError(`${argument}.dimension`, dimension, "a whole number ≥ 0 (the number of parameters)");
}
