export type { Optimizer, OptimizerSnapshot } from "./optimizers/optimizer.js";
export { type CommonOptions, OptimizerBase } from "./optimizers/optimizer-base.js";
export { GradientDescent, type GradientDescentOptions } from "./optimizers/gradient-descent.js";
export { Momentum, type MomentumOptions } from "./optimizers/momentum.js";
export { Nesterov, type NesterovLookAhead, type NesterovOptions } from "./optimizers/nesterov.js";
export { NormalizedGradient, type NormalizedGradientOptions } from "./optimizers/normalized-gradient.js";
export { AdaGrad, type AdaGradOptions } from "./optimizers/adagrad.js";
export { RMSProp, type RMSPropOptions } from "./optimizers/rmsprop.js";
export { Adam, type AdamOptions } from "./optimizers/adam.js";
export {
  decayRate,
  epsilon,
  epsPlacementRule,
  nonFiniteRule,
  oneOf,
  positive,
  resolveOptions,
  type EpsPlacement,
  type NonFinitePolicy,
  type OptionRule,
  type OptionRules,
  type OptionValue,
} from "./options.js";
export {
  GradstepError,
  InvalidOptionError,
  InvalidSnapshotError,
  NonFiniteGradientError,
  ShapeMismatchError,
  StepLimitError,
} from "./errors.js";
