// The landscapes the playground offers: each an Objective over (θ0, θ1) from gradstep itself, with
// the window it is drawn in, a start and its known minimum.
import {
  anisotropicValley,
  beale,
  createRandom,
  dataset,
  empiricalRisk,
  gaborModel,
  illConditionedQuadratic,
  linearRegression,
  meanSquaredError,
  type Objective,
  rosenbrock,
  sigmoid,
  sigmoidRegression,
  sumOfSquares,
  udlGaborData,
  udlLinearData,
} from "gradstep/learn";
import { expressionObjective } from "./expression-objective.js";

export const LANDSCAPE_IDS = ["valley", "rosenbrock", "beale", "quadratic", "linear", "gabor", "sigmoid", "custom"] as const;
export type LandscapeId = (typeof LANDSCAPE_IDS)[number];

/** The drawn window: x from x0 to x1, y from y0 to y1. */
export type Window = readonly [x0: number, x1: number, y0: number, y1: number];

export interface Landscape {
  readonly id: LandscapeId;
  readonly label: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly window: Window;
  readonly start: readonly [number, number];
  readonly minimum?: readonly [number, number];
  /** Its local minima inside the window, if it has some worth marking. */
  readonly localMinima?: readonly (readonly [number, number])[];
  /** True for a loss over data: mini-batches apply. */
  readonly data: boolean;
  /** True when the loss averages over the batch (a mean), so that a batch's gradient estimates the full gradient itself; a loss over data sums over it otherwise, and a batch's gradient estimates B/N of it. */
  readonly meanLoss?: boolean;
  /** The objective; `expression` is the user's formula (used by "custom" only). */
  objective(expression: string): Objective;
}

/** The data of the lecture's brute-force figure (its first): 24 points of y = σ(−0.5 + 1.5·x) plus a little seeded noise, x in [−3, 3]. */
export function sigmoidData() {
  const random = createRandom(7);
  const x = Array.from({ length: 24 }, (_, i) => -3 + (6 * i) / 23);
  const y = x.map((xi) => sigmoid(-0.5 + 1.5 * xi) + 0.05 * (random.next() - 0.5));
  return dataset(
    x.map((xi) => [xi]),
    y,
  );
}

/** The formula "custom" starts with: Himmelblau's function, four minima. */
export const DEFAULT_EXPRESSION = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2";

export const LANDSCAPES: Record<LandscapeId, Landscape> = {
  valley: {
    id: "valley",
    label: "Anisotropic valley (the lecture's four-panel figure)",
    xLabel: "θ0",
    yLabel: "θ1",
    window: [-1, 1, -1, 1],
    start: [-0.7, -0.9],
    minimum: [0.7, 0],
    data: false,
    objective: () => anisotropicValley(),
  },
  rosenbrock: {
    id: "rosenbrock",
    label: "Rosenbrock",
    xLabel: "x",
    yLabel: "y",
    window: [-2, 2, -1, 3],
    start: [-1.2, 1],
    minimum: [1, 1],
    data: false,
    objective: () => rosenbrock(),
  },
  beale: {
    id: "beale",
    label: "Beale",
    xLabel: "x",
    yLabel: "y",
    window: [-1, 4.5, -1.5, 2],
    start: [1, 1.5],
    minimum: [3, 0.5],
    data: false,
    objective: () => beale(),
  },
  quadratic: {
    id: "quadratic",
    label: "Ill-conditioned quadratic, κ = 25",
    xLabel: "x",
    yLabel: "y",
    window: [-2, 2, -1.5, 1.5],
    start: [-1.8, 1.2],
    minimum: [0, 0],
    data: false,
    objective: () => illConditionedQuadratic(25),
  },
  linear: {
    id: "linear",
    label: "Linear regression, 12 points (the lecture's convex loss)",
    xLabel: "φ₀ (intercept)",
    yLabel: "φ₁ (slope)",
    window: [0, 2, -1, 1],
    start: [1.6, -0.5],
    minimum: [0.8259500451387297, 0.5222260699680318], // least squares, from the normal equations
    data: true,
    objective: () => empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()),
  },
  gabor: {
    id: "gabor",
    label: "Gabor model, 30 points (the lecture's non-convex loss)",
    xLabel: "φ₀",
    yLabel: "φ₁",
    window: [-10, 10, 2.5, 22.5],
    start: [-1.5, 6.5],
    minimum: [0.0037946356109375425, 16.026347827141723], // the global minimum (examples/03-gabor.ts)
    // the stationary minima inside the window (examples/03-gabor.ts, found by Newton refinement)
    localMinima: [
      [-5.819376101839457, 13.82450392762743],
      [6.559354269534794, 18.348855285164024],
      [-6.443223114287746, 4.967533652863323],
      [6.307961387848067, 13.515787336909765],
      [6.084736300064385, 4.011774525983753],
      [6.171313163078898, 8.088135558848837],
      [-0.16646565055321272, 4.880932748263946],
    ],
    data: true,
    objective: () => empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData()),
  },
  sigmoid: {
    id: "sigmoid",
    label: "Sigmoid regression, 24 points (the lecture's brute-force figure)",
    xLabel: "θ0 (bias)",
    yLabel: "θ1 (weight)",
    window: [-4, 4, -4, 4],
    start: [3, -3],
    minimum: [-0.5243861902597255, 1.4911831465905163], // by L-BFGS to a gradient of 3e-13 (the grid's best of figure 1: (−0.56, 1.52))
    data: true,
    meanLoss: true,
    objective: () => empiricalRisk(sigmoidRegression(), meanSquaredError(), sigmoidData()),
  },
  custom: {
    id: "custom",
    label: "Your formula f(x, y)",
    xLabel: "x",
    yLabel: "y",
    window: [-5, 5, -5, 5],
    start: [0, 0],
    data: false,
    objective: (expression) => expressionObjective(expression),
  },
};
