import { InvalidOptionError } from "../errors.js";
import type { Objective } from "./objective.js";

/**
 * Refuses, naming `argument`, what is not an {@link Objective}: an object with an `evaluate`
 * function. (Its dimension is checked where it is used, against what it must match.)
 * @internal
 */
export function checkObjective(objective: unknown, argument = "objective"): asserts objective is Objective {
  if (typeof objective !== "object" || objective === null || typeof (objective as { evaluate?: unknown }).evaluate !== "function") {
    throw new InvalidOptionError(argument, objective, "an Objective: { dimension, evaluate(theta, grad) }");
  }
}
