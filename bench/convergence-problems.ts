// The problems of the convergence suite (bench §2) and the optimizers run on them.
import { type Optimizer, type OptimizerName, optimizerRegistry } from "gradstep";
import {
  anisotropicValley,
  type BatchSampler,
  type Dataset,
  binaryCrossEntropy,
  empiricalRisk,
  EpochSampler,
  gaborModel,
  illConditionedQuadratic,
  logisticRegression,
  type Objective,
  rosenbrock,
  sumOfSquares,
  syntheticLogistic,
  udlGaborData,
} from "gradstep/learn";

export interface Problem {
  name: string;
  objective: Objective;
  start: number[];
  /** Reached when the full loss is at most this. */
  target: number;
  /** The step budget. */
  steps: number;
  sampler?: () => BatchSampler;
  /** How bench/baselines/scipy_solvers.py evaluates the same objective (and the data it needs). */
  scipy: { kind: "gabor" | "valley" | "rosenbrock" | "quadratic" | "logistic"; condition?: number; data?: Dataset };
}

/** 0.5 + the fractional parts of k·φ: ten coordinates in [0.5, 1.5), none a multiple of a rate of the grid. */
const QUADRATIC_START = Array.from({ length: 10 }, (_, k) => 0.5 + (((k + 1) * 0.6180339887498949) % 1));

export function problems(quick: boolean): Problem[] {
  const logistic = syntheticLogistic({ size: quick ? 20_000 : 100_000, features: 20, seed: 2026 });
  const gabor = udlGaborData();
  return [
    { name: "Gabor (UDL 6.3), from (−1.5, 8.5)", objective: empiricalRisk(gaborModel(), sumOfSquares(), gabor), start: [-1.5, 8.5], target: 0.65, steps: 2000, scipy: { kind: "gabor", data: gabor } },
    { name: "anisotropic valley (UDL 6.5)", objective: anisotropicValley(), start: [-0.7, -0.9], target: 1e-4, steps: 2000, scipy: { kind: "valley" } },
    { name: "Rosenbrock, from (−1.5, 2)", objective: rosenbrock(), start: [-1.5, 2], target: 1e-6, steps: 20_000, scipy: { kind: "rosenbrock" } },
    // (a start off the rates' grid: from (1, …, 1), sign-based rules at lr 1 or 0.1 landed on the minimum exactly)
    { name: "quadratic, κ = 1e4, 10-D", objective: illConditionedQuadratic(1e4, 10), start: QUADRATIC_START, target: 1e-6, steps: 20_000, scipy: { kind: "quadratic", condition: 1e4 } },
    {
      name: `logistic regression ${quick ? "20k" : "100k"} × 20, batch 64`,
      objective: empiricalRisk(logisticRegression(), binaryCrossEntropy(), logistic),
      start: Array(21).fill(0),
      target: 0.26,
      steps: quick ? 1600 : 7820,
      sampler: () => new EpochSampler({ size: logistic.size, batchSize: 64, seed: 2026 }),
      scipy: { kind: "logistic", data: logistic },
    },
  ];
}

// What the suite sets besides the learning rate, and the row label where it differs from the
// registry's name (bench/convergence-rates.ts is keyed by label); every other registry entry runs at
// its defaults.
export const suiteSettings: Partial<Record<OptimizerName, { label?: string; options?: Record<string, unknown> }>> = {
  Momentum: { options: { beta: 0.9 } },
  Nesterov: { options: { beta: 0.9 } },
  SGD: { label: "SGD (μ = 0.9)", options: { momentum: 0.9 } },
};

/** The optimizers (every registry entry, in its order), each built from a learning rate (other hyperparameters at their defaults). */
export const optimizers: [string, (lr: number) => Optimizer][] = optimizerRegistry.map((e) => {
  const { label = e.name, options = {} } = suiteSettings[e.name as OptimizerName] ?? {};
  return [label, (lr: number) => e.create({ lr, ...options })];
});

/** The grid the learning rates were tuned on, once (bench/tune-convergence.ts). */
export const LR_GRID = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1];
