// One-click settings: the lecture's figures and a few races. Each is a whole PlaygroundState, so a
// preset is also a link (its URL fragment).
import { DEFAULT_EXPRESSION, LANDSCAPES, type LandscapeId } from "./landscapes.js";
import type { PlaygroundState, RunSettings } from "./state.js";

export interface Preset {
  readonly id: string;
  readonly label: string;
  readonly state: PlaygroundState;
}

function preset(id: string, label: string, landscape: LandscapeId, steps: number, runs: RunSettings[], extra: Partial<PlaygroundState> = {}): Preset {
  const l = LANDSCAPES[landscape];
  return {
    id,
    label,
    state: { landscape, expression: DEFAULT_EXPRESSION, window: l.window, start: l.start, steps, runs, backend: "auto", batch: 0, seed: 1, ...extra },
  };
}

// The lecture's forms: ε inside the square root (Adam), Nesterov's gradient at θ − η·V.
const lectureAdam = { lr: 0.05, beta: 0.9, gamma: 0.99, epsPlacement: "inside" };

export const PRESETS: readonly Preset[] = [
  preset("valley-race", "GD, momentum, Nesterov, Adam on the anisotropic valley (the lecture's comparison)", "valley", 100, [
    // η = 1 suits the shallow direction: gradient descent oscillates across the steep one, the
    // averaged gradient of momentum damps it, Nesterov's look-ahead more so; Adam takes its own path.
    { optimizer: "GradientDescent", options: { lr: 1 } },
    { optimizer: "Momentum", options: { lr: 1, beta: 0.9 } },
    { optimizer: "Nesterov", options: { lr: 1, beta: 0.9 } },
    { optimizer: "Adam", options: lectureAdam },
  ]),
  preset("valley-four-ways", "The valley four ways (the lecture's four-panel figure)", "valley", 200, [
    { optimizer: "GradientDescent", options: { lr: 0.08 } },
    { optimizer: "GradientDescent", options: { lr: 1 } },
    { optimizer: "NormalizedGradient", options: { lr: 0.08, eps: 1e-20 } },
    { optimizer: "Adam", options: { ...lectureAdam, eps: 1e-20 } },
  ]),
  preset("rosenbrock-race", "Rosenbrock race", "rosenbrock", 1000, [
    { optimizer: "GradientDescent", options: { lr: 0.001 } },
    { optimizer: "SGD", options: { lr: 0.001, momentum: 0.9 } },
    { optimizer: "Adam", options: { lr: 0.1 } },
    { optimizer: "Lion", options: { lr: 0.01 } },
  ]),
  preset("convex", "Gradient descent on the convex loss of linear regression", "linear", 150, [
    { optimizer: "GradientDescent", options: { lr: 0.03 } },
    { optimizer: "Momentum", options: { lr: 0.03, beta: 0.9 } },
    { optimizer: "Adam", options: { lr: 0.05 } },
  ]),
  preset(
    "gabor-batches",
    "SGD, momentum and Nesterov on the Gabor loss, batches of 5 (the lecture's figure)",
    "gabor",
    80,
    [
      { optimizer: "GradientDescent", options: { lr: 0.6 } },
      { optimizer: "Momentum", options: { lr: 0.6, beta: 0.6 } },
      { optimizer: "Nesterov", options: { lr: 0.6, beta: 0.6 } },
      { optimizer: "Nesterov", options: { lr: 0.6, beta: 0.6, lookAhead: "udl" } },
    ],
    { batch: 5, seed: 1 },
  ),
  preset("ill-conditioned", "An ill-conditioned quadratic: GD, momentum, RMSProp, Adam", "quadratic", 300, [
    { optimizer: "GradientDescent", options: { lr: 0.075 } },
    { optimizer: "Momentum", options: { lr: 0.075, beta: 0.9 } },
    { optimizer: "RMSProp", options: { lr: 0.01 } },
    { optimizer: "Adam", options: { lr: 0.05 } },
  ]),
  preset("beale", "Beale: Adam, AdaGrad, RMSProp, Rprop", "beale", 500, [
    { optimizer: "Adam", options: { lr: 0.05 } },
    { optimizer: "AdaGrad", options: { lr: 0.5 } },
    { optimizer: "RMSProp", options: { lr: 0.01 } },
    { optimizer: "Rprop", options: { lr: 0.01 } },
  ]),
  preset("custom", "Your formula: Himmelblau's function", "custom", 300, [
    { optimizer: "GradientDescent", options: { lr: 0.01 } },
    { optimizer: "Adam", options: { lr: 0.1 } },
  ]),
];
