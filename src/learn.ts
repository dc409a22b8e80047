// gradstep/learn: everything between a dataset and an optimizer step. A separate entry point because
// it has a runtime dependency (seedrandom, for the seeded shuffles) and the core imports no package.
// Nothing here generates code (its own ndarrays are src/data/strided-view.ts's plain classes), so it
// runs under a Content-Security-Policy without 'unsafe-eval'.
export { type Dataset, dataset } from "./data/dataset.js";
export { csvDataset, type CsvDataset, type CsvOptions } from "./data/csv.js";
export { udlGaborData, udlLinearData } from "./data/udl-datasets.js";
export { createRandom, DEFAULT_SEED, type Random, type RandomState } from "./data/random.js";
export {
  type BatchSampler,
  EpochSampler,
  type EpochSamplerOptions,
  type EpochSamplerSnapshot,
  type LastBatchPolicy,
  ReplaySampler,
  type ReplaySamplerOptions,
  type ReplaySamplerSnapshot,
} from "./data/sampler.js";
export type { Model } from "./models/model.js";
export { linearRegression, logisticRegression, sigmoid, sigmoidRegression } from "./models/linear.js";
export { gaborModel } from "./models/gabor.js";
export { type Activation, type DenseLayer, type DenseNetwork, type Initialization } from "./models/dense-network.js";
export { type HiddenLayer, mlp, type MlpOptions, type MlpOutput } from "./models/mlp.js";
export { softmaxRegression, type SoftmaxRegressionOptions } from "./models/softmax-regression.js";
export { type NetworkRisk, networkRisk, type NetworkRiskOptions } from "./objectives/network-risk.js";
export { accuracy, logLoss } from "./metrics/classification.js";
export { meanSquaredErrorOf, rSquared } from "./metrics/regression.js";
export type { MetricVector } from "./metrics/values.js";
export { type DatasetSplit, splitDataset, type SplitOptions } from "./data/split.js";
export { binaryCrossEntropy, type Loss, meanSquaredError, sumOfSquares } from "./losses/loss.js";
export type { Objective } from "./objectives/objective.js";
export { type EmpiricalRisk, empiricalRisk } from "./objectives/empirical-risk.js";
export { type PenalizedObjective, penalized, type PenaltyMask, type PenaltyOptions } from "./objectives/penalized.js";
export { anisotropicValley, beale, illConditionedQuadratic, rosenbrock } from "./objectives/test-functions.js";
export { checkGradient, type GradientCheck } from "./objectives/check-gradient.js";
export {
  type CheckpointOptions,
  minimize,
  minimizeAsync,
  type MinimizeAsyncOptions,
  type MinimizeLosses,
  type MinimizeOptions,
  type MinimizeRecording,
  type MinimizeResult,
  type RecordOptions,
  type StopCriteria,
  type StopReason,
  type TrainingState,
  type ValidationOptions,
  type ValidationRecord,
  type ValidationState,
} from "./training/minimize.js";
export { fitStandardizer, type Standardized, type Standardizer, standardize } from "./data/standardize.js";
export { type SyntheticDataset, type SyntheticOptions, syntheticGabor, syntheticLinear, syntheticLogistic } from "./data/synthetic.js";
export { type GridAxis, gridSearch, type GridSearchResult, type Landscape, landscape, type LandscapeOptions } from "./search/grid.js";
export { type ArmijoOptions, armijoBacktracking, type BracketingOptions, bracketingLineSearch, type LineSearchResult } from "./search/line-search.js";
export { cubicInterpolate, type StrongWolfeOptions, StrongWolfeSearch, type StrongWolfeStatus } from "./search/strong-wolfe.js";
export {
  type ArmijoChoice,
  type BracketingChoice,
  type LineSearchChoice,
  lineSearchDescent,
  type LineSearchDescentOptions,
  type LineSearchDescentResult,
} from "./search/line-search-descent.js";
export type { SolveMethod, Solver, SolverLimits, SolveStopReason } from "./solvers/solver.js";
export { solve, type SolveOptions, type SolveResult } from "./solvers/solve.js";
export { BFGS } from "./solvers/bfgs.js";
export { ConjugateGradient } from "./solvers/conjugate-gradient.js";
export { type SolverSnapshot } from "./solvers/line-search-solver.js";
export { MoreThuenteSearch, MoreThuenteTask, type MoreThuenteTaskCode, moreThuenteTaskText } from "./search/more-thuente.js";
export { type LineFunction, NocedalWrightSearch, NocedalWrightStatus } from "./search/nocedal-wright-wolfe.js";
export { LBFGSB, type LBFGSBOptions, type LBFGSBSnapshot } from "./solvers/lbfgsb.js";
