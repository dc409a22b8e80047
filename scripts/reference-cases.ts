// Runs the cases of a reference file (format: test/fixtures/README.md) through gradstep's public API.
import { GradientDescent, lecture, type Optimizer, optimizerRegistry, pytorch, pytorch113, pytorchSchedulers, type Schedule, scheduleValue } from "gradstep";
import { binaryCrossEntropy, dataset, empiricalRisk, logisticRegression, type Objective, penalized } from "gradstep/learn";

/** One case of a reference file. */
export interface ReferenceCase {
  family: string;
  optimizer: string;
  options: Record<string, unknown>;
  problem: "gradient-sequence" | "diagonal-quadratic" | "rosenbrock" | "logistic-regression-l2";
  params0: number[];
  grads?: number[][];
  a?: number[];
  b?: number[];
  /** logistic-regression-l2: the features, N rows of d. */
  X?: number[][];
  /** logistic-regression-l2: the labels, 0 or 1. */
  y?: number[];
  /** logistic-regression-l2: λ, the weight of (λ/2)‖w‖². */
  lambda?: number;
  steps?: number;
  trajectory: number[][];
  /** ASGD (torch-quasi-newton.json): PyTorch's averaged iterate `ax` after each step. */
  averages?: number[][];
  /** LBFGS (closure-based): the value each step returned. */
  losses?: number[];
  /** LBFGS: PyTorch's cumulative `func_evals` after each step. */
  evals?: number[];
  /** LBFGS: PyTorch's cumulative `n_iter` after each step. */
  iters?: number[];
}

/** A scheduler case: the learning rate PyTorch's scheduler gives each step. */
export interface ScheduleCase {
  schedule: string;
  options: Record<string, unknown>;
  base_lr: number;
  lr_per_step: number[];
}

/** A reference file: see test/fixtures/README.md. */
export interface ReferenceFile {
  generator: string;
  cases: ReferenceCase[];
  schedules?: ScheduleCase[];
}

/**
 * A scheduler case through {@link pytorchSchedulers}: the largest relative error of the learning
 * rate, both as {@link scheduleValue} gives it and as a GradientDescent step applies it.
 */
export function runScheduleCase(c: ScheduleCase): CaseResult {
  const label = `torch scheduler ${c.schedule} ${JSON.stringify(c.options)}`;
  // The reference file's keywords are data: checked at run time, as a user's untyped call is.
  const schedulers = pytorchSchedulers as unknown as Record<string, (base: number, k: Record<string, unknown>) => Schedule>;
  const make = Object.prototype.hasOwnProperty.call(schedulers, c.schedule) ? schedulers[c.schedule] : undefined;
  if (!make) return { label, maxRelativeError: NaN, perStepError: NaN, unsupported: `scheduler "${c.schedule}" is not supported` };
  const lr = make(c.base_lr, c.options);
  const opt = new GradientDescent({ lr });
  const theta = new Float64Array(1);
  let worst = 0;
  c.lr_per_step.forEach((expected, t) => {
    theta[0] = 0;
    opt.step(theta, Float64Array.of(-1)); // θ = 0 − lr_t·(−1): the rate the step applied
    for (const value of [scheduleValue(lr, t), theta[0], opt.valueAt("lr", t)]) {
      const err = expected === 0 ? Math.abs(value) : Math.abs(value - expected) / Math.abs(expected);
      if (!(err <= worst)) worst = err;
    }
  });
  return { label, maxRelativeError: worst, perStepError: worst };
}

/** The outcome of one case: its largest relative errors (see {@link runCase}), or why it could not run. */
export interface CaseResult {
  label: string;
  /** Free run: the optimizer on its own trajectory. */
  maxRelativeError: number;
  /** Each step from the reference's previous point. */
  perStepError: number;
  unsupported?: string;
  /** Closure-based cases: the first step whose evaluation or iteration count differs from the reference's. */
  countMismatch?: string;
}

type Presets = Record<string, (options: Record<string, unknown>) => Optimizer>;
// The gradient-step presets: LBFGS, whose step takes the objective, runs apart (runClosureCase).
const { LBFGS: _pytorchLBFGS, ...pytorchGradient } = pytorch;
const { LBFGS: _pytorch113LBFGS, ...pytorch113Gradient } = pytorch113;

/** The presets for a case: PyTorch's by the version that made the file (1.13 had its own NAdam). */
function presetsFor(family: string, generator: string): Presets | undefined {
  if (family === "lecture") return lecture;
  if (family === "torch") return /PyTorch 1\./.test(generator) ? pytorch113Gradient : pytorchGradient;
  // a rule from its paper: the class itself, with the options as it takes them
  if (family === "paper") return Object.fromEntries(optimizerRegistry.filter((e) => e.family === "paper").map((e) => [e.name, (o) => e.create(o)]));
  return undefined;
}

function optimizerFor(c: ReferenceCase, generator: string): Optimizer | string {
  const family = presetsFor(c.family, generator);
  if (!family) return `family "${c.family}" is not supported`;
  const make = Object.prototype.hasOwnProperty.call(family, c.optimizer) ? family[c.optimizer] : undefined;
  return make ? make(c.options) : `optimizer "${c.optimizer}" of family "${c.family}" is not supported`;
}

/**
 * Runs a case twice and measures the largest elementwise relative error |x − r| / |r| (absolute
 * where r = 0) against the reference trajectory (and, where the case has `averages`, of the
 * optimizer's `averagedParams()` against them after every step, in both runs):
 * - free run: the optimizer follows its own trajectory, as a user's loop would;
 * - per step: before each step the parameters are set to the reference's previous point, so each
 *   step is checked on its own. In a closed loop (diagonal-quadratic) the gradient depends on the
 *   point, and some loops amplify a one-ulp difference exponentially (an oscillation around the
 *   minimum, a max or sign that flips); two float64 implementations that round one operation
 *   differently (PyTorch's vectorised kernels use fused multiply-adds) then part ways in the free
 *   run although every step agrees. The per-step error is the measure of the rule itself.
 */
export function runCase(c: ReferenceCase, generator: string): CaseResult {
  const label = `${c.family} ${c.optimizer} ${c.problem} ${JSON.stringify(c.options)}`;
  if (c.family === "torch" && c.optimizer === "LBFGS") return runClosureCase(c, label);
  const free = follow(c, generator, false);
  if (typeof free === "string") return { label, maxRelativeError: NaN, perStepError: NaN, unsupported: free };
  return { label, maxRelativeError: free, perStepError: follow(c, generator, true) as number };
}

function follow(c: ReferenceCase, generator: string, perStep: boolean): number | string {
  const optimizer = optimizerFor(c, generator);
  if (typeof optimizer === "string") return optimizer;
  const n = c.params0.length;
  const params = Float64Array.from(c.params0);
  const grad = new Float64Array(n);
  const point = new Float64Array(n);
  let worst = 0;
  for (let t = 0; t < c.trajectory.length; t++) {
    if (perStep && t > 0) params.set(c.trajectory[t - 1]);
    const at = optimizer.gradientPoint(params, point);
    if (c.problem === "gradient-sequence") {
      grad.set(c.grads![t]);
    } else {
      for (let i = 0; i < n; i++) grad[i] = c.a![i] * at[i] - c.b![i];
    }
    optimizer.step(params, grad);
    worst = worstError(params, c.trajectory[t], worst);
    if (c.averages !== undefined) {
      const averaged = averagedParamsOf(optimizer);
      if (averaged === undefined) return `optimizer "${c.optimizer}" has no averagedParams() for the case's averages`;
      worst = worstError(averaged, c.averages[t], worst);
    }
  }
  return worst;
}

/** The larger of `worst` and the largest relative error of `actual` against `expected` (NaN wins). */
function worstError(actual: ArrayLike<number>, expected: readonly number[], worst: number): number {
  if (actual.length !== expected.length) return NaN;
  for (let i = 0; i < expected.length; i++) {
    const r = expected[i];
    const err = r === 0 ? Math.abs(actual[i]) : Math.abs(actual[i] - r) / Math.abs(r);
    if (!(err <= worst)) worst = err; // NaN propagates as the worst error
  }
  return worst;
}

/** The averaged parameters of an optimizer that keeps them (ASGD), or undefined. */
function averagedParamsOf(optimizer: Optimizer): Float64Array | undefined {
  const averaged = (optimizer as { averagedParams?: () => Float64Array | undefined }).averagedParams;
  return typeof averaged === "function" ? averaged.call(optimizer) : undefined;
}

/**
 * The objective of a closure-based case, as the generator's closure computes it: the diagonal
 * quadratic Σ ½·aᵢ·xᵢ² − bᵢ·xᵢ, or Rosenbrock Σ_{i<n−1} 100·(x_{i+1} − x_i²)² + (1 − x_i)² with
 * scipy's `rosen_der` gradient, each term in the generator's order of operations. Logistic
 * regression is gradstep's own objective, as a user builds it: its mean over the rows and its
 * matrix product are not PyTorch's order of additions, so that case agrees to rounding, not to the bit.
 */
export function caseObjective(c: ReferenceCase): Objective {
  if (c.problem === "logistic-regression-l2") {
    const risk = empiricalRisk(logisticRegression(), binaryCrossEntropy(), dataset(c.X!, c.y!));
    return penalized(risk, { l2: c.lambda!, mask: "exceptIntercept" });
  }
  const n = c.params0.length;
  const terms = new Float64Array(n);
  if (c.problem === "diagonal-quadratic") {
    const a = Float64Array.from(c.a!);
    const b = Float64Array.from(c.b!);
    return {
      dimension: n,
      evaluate(x, g) {
        for (let i = 0; i < n; i++) {
          terms[i] = 0.5 * a[i] * x[i] * x[i] - b[i] * x[i];
          if (g) g[i] = a[i] * x[i] - b[i];
        }
        return torchSum(terms, n);
      },
    };
  }
  return {
    dimension: n,
    evaluate(x, g) {
      if (g) g.fill(0);
      for (let i = 0; i < n - 1; i++) {
        const r = x[i + 1] - x[i] * x[i];
        terms[i] = 100 * (r * r) + (1 - x[i]) * (1 - x[i]);
        if (g) {
          g[i] += -400 * x[i] * r - 2 * (1 - x[i]);
          g[i + 1] += 200 * r;
        }
      }
      return torchSum(terms, n - 1);
    },
  };
}

/**
 * Σ vᵢ (i < n) in the order PyTorch's CPU `sum` adds a short float64 vector (n < 16): the whole
 * 4-lane vectors lane by lane, then the remainder, then the four lane sums.
 */
function torchSum(v: Float64Array, n: number): number {
  if (n < 4) {
    let s = 0;
    for (let i = 0; i < n; i++) s += v[i];
    return s;
  }
  if (n >= 16) throw new Error(`torchSum: n = ${n} is past the short-vector order (n < 16)`);
  const lanes = [0, 0, 0, 0];
  const whole = n - (n % 4);
  for (let i = 0; i < whole; i++) lanes[i % 4] += v[i];
  let total = 0;
  for (let i = whole; i < n; i++) total += v[i];
  for (const lane of lanes) total += lane;
  return total;
}

/**
 * A closure-based case (torch.optim.LBFGS): one step is one `step(params, objective)`; per step
 * the parameters and the returned loss are compared, and the cumulative evaluation and iteration
 * counts must be equal. Free run and per step (parameters reset to the reference's before each
 * step; the optimizer keeps its own history), as in {@link runCase}.
 */
function runClosureCase(c: ReferenceCase, label: string): CaseResult {
  if (c.problem !== "diagonal-quadratic" && c.problem !== "rosenbrock" && c.problem !== "logistic-regression-l2") return { label, maxRelativeError: NaN, perStepError: NaN, unsupported: `problem "${c.problem}" for LBFGS` };
  const free = followClosure(c, false);
  const perStep = followClosure(c, true);
  return { label, maxRelativeError: free.worst, perStepError: perStep.worst, ...(free.counts ?? perStep.counts ? { countMismatch: free.counts ?? perStep.counts } : {}) };
}

function followClosure(c: ReferenceCase, perStep: boolean): { worst: number; counts?: string } {
  const opt = pytorch113.LBFGS(c.options);
  const objective = caseObjective(c);
  const params = Float64Array.from(c.params0);
  let worst = 0;
  let counts: string | undefined;
  for (let t = 0; t < c.trajectory.length; t++) {
    if (perStep && t > 0) params.set(c.trajectory[t - 1]);
    const loss = opt.step(params, objective);
    worst = worstError(params, c.trajectory[t], worst);
    worst = worstError([loss], [c.losses![t]], worst);
    if (counts === undefined && (opt.funcEvals !== c.evals![t] || opt.nIter !== c.iters![t])) {
      counts = `step ${t + 1}: func_evals ${opt.funcEvals}, n_iter ${opt.nIter}; PyTorch ${c.evals![t]}, ${c.iters![t]}`;
    }
  }
  return { worst, ...(counts === undefined ? {} : { counts }) };
}
