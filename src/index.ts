export type { Optimizer, OptimizerSnapshot } from "./optimizers/optimizer.js";
export {
  type BufferSpec,
  type CommonOptions,
  commonRules,
  OptimizerBase,
  type OptimizerOptions,
  optionIndex,
  valueRange,
} from "./optimizers/optimizer-base.js";
export {
  allocateVector,
  type BackendChoice,
  type BackendInfo,
  backendInfo,
  type BackendOptions,
  DEFAULT_MEMORY_BUDGET,
  DEFAULT_THREAD_THRESHOLD,
  disposeThreads,
  releaseVector,
  setBackend,
} from "./backends/backend.js";
export type { KernelName } from "./backends/wasm/kernels-binary.js";
export { GradientDescent, type GradientDescentOptions } from "./optimizers/gradient-descent.js";
export { Momentum, type MomentumOptions } from "./optimizers/momentum.js";
export { Nesterov, type NesterovLookAhead, type NesterovOptions } from "./optimizers/nesterov.js";
export { NormalizedGradient, type NormalizedGradientOptions } from "./optimizers/normalized-gradient.js";
export { AdaGrad, type AdaGradOptions } from "./optimizers/adagrad.js";
export { RMSProp, type RMSPropOptions } from "./optimizers/rmsprop.js";
export { Adam, type AdamOptions } from "./optimizers/adam.js";
export { SGD, type SGDOptions } from "./optimizers/sgd.js";
export { Adamax, type AdamaxOptions } from "./optimizers/adamax.js";
export { NAdam, type NAdamOptions } from "./optimizers/nadam.js";
export { RAdam, type RAdamOptions } from "./optimizers/radam.js";
export { Adadelta, type AdadeltaOptions } from "./optimizers/adadelta.js";
export { Rprop, type RpropOptions } from "./optimizers/rprop.js";
export { ASGD, type ASGDOptions } from "./optimizers/asgd.js";
export {
  optimizerEntry,
  type OptimizerClass,
  type OptimizerEntry,
  type OptimizerFamily,
  type OptimizerName,
  type OptimizerPresets,
  optimizerRegistry,
  type OptimizerVariant,
} from "./optimizers/registry.js";
export { lecture, type LectureSymbols } from "./presets/lecture.js";
export { pytorch, pytorch113, type PyTorchKeywords } from "./presets/pytorch.js";
export { pytorchSchedulers, type SchedulerKeywords } from "./presets/pytorch-schedulers.js";
export type {
  ConstantSchedule,
  CosineRestartsSchedule,
  CosineSchedule,
  ExponentialSchedule,
  LinearSchedule,
  MultiStepSchedule,
  OneCycleSchedule,
  PiecewiseSchedule,
  PolynomialSchedule,
  Schedule,
  SequenceSchedule,
  StepSchedule,
} from "./schedules/schedule.js";
export { schedule, scheduleValue } from "./schedules/schedule-value.js";
export { InvalidScheduleError } from "./schedules/check-schedule.js";
export type { AddWeightDecay, ClipByGlobalNorm, ClipByValue, DecoupledWeightDecay, Transform } from "./transforms/transform.js";
export { Chain, chain, type ChainOptions, type ChainSettings } from "./transforms/chain.js";
export {
  decayRate,
  epsilon,
  epsPlacementRule,
  flag,
  nonFiniteRule,
  nonNegative,
  oneOf,
  positive,
  resolveOptions,
  unitInterval,
  type EpsPlacement,
  type NonFinitePolicy,
  type OptionRule,
  type OptionRules,
  type OptionValue,
  type Schedulable,
  type WeightDecayMode,
} from "./options.js";
export {
  DisposedError,
  GradstepError,
  InvalidOptionError,
  InvalidSnapshotError,
  NonFiniteGradientError,
  OutOfMemoryError,
  ShapeMismatchError,
  StepLimitError,
} from "./errors.js";
