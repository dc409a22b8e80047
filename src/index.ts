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
// Every optimizer class and its options type, with the registry that lists them.
export * from "./optimizers/registry.js";
export { lecture, type LectureSymbols } from "./presets/lecture.js";
export { type AdamFamilyKeywords, type CommonKeywords, type LearningRate, pytorch, pytorch113, type PyTorchImplementationKeywords, type PyTorchKeywords } from "./presets/pytorch.js";
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
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauSnapshot } from "./schedules/reduce-on-plateau.js";
export { Accumulate, accumulate, type AccumulateOptions, type AccumulateSettings } from "./wrappers/accumulate.js";
export { Average, average, type AverageOptions, type AverageSettings } from "./wrappers/average.js";
export { Lookahead, lookahead, type LookaheadOptions, type LookaheadSettings } from "./wrappers/lookahead.js";
export type { ParamTree, ShapedLeaf } from "./tree/param-tree.js";
export type { PathMatch } from "./tree/path-match.js";
export { tree, type TreeGroup, TreeOptimizer, type TreeOptions, type TreeShapes } from "./tree/tree-optimizer.js";
export type { TreeLeafSnapshot, TreeSnapshot } from "./tree/tree-snapshot.js";
export type { AddWeightDecay, ClipByGlobalNorm, ClipByValue, DecoupledWeightDecay, ProjectToBox, Transform } from "./transforms/transform.js";
export { Chain, chain, type ChainOptions, type ChainSettings } from "./transforms/chain.js";
export { type Masked, masked, type TreeTransform } from "./transforms/masked.js";
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
