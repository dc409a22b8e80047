// One-click settings: each of the lecture's figures (examples/0n-*.ts, `npm run demo`), as close as a
// race of optimizers on one landscape gets, and a few races. Each is a whole PlaygroundState, so a
// preset is also a link (its URL fragment).
import { DEFAULT_EXPRESSION, LANDSCAPES, type LandscapeId } from "./landscapes.js";
import { optimizerRegistry } from "gradstep";
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
    state: { landscape, expression: DEFAULT_EXPRESSION, window: l.window, start: l.start, steps, runs, backend: "auto", batch: 0, seed: 1, arrows: false, ...extra },
  };
}

// The lecture's forms: ε inside the square root (Adam), Nesterov's gradient at θ − η·V.
const lectureAdam = { lr: 0.05, beta: 0.9, gamma: 0.99, epsPlacement: "inside" };
const lecture = (optimizer: string, options: RunSettings["options"]): RunSettings => ({ convention: "lecture", optimizer, options });
const pytorch = (optimizer: string, options: RunSettings["options"]): RunSettings => ({ convention: "pytorch", optimizer, options });

/** Figure 7's learning rates on Rosenbrock (and SGD's momentum), tuned once for the bench's convergence suite (examples/07-all-optimizers.ts, bench/convergence-rates.ts). */
export const FIGURE7_SETTINGS: Readonly<Record<string, { readonly lr: number; readonly momentum?: number }>> = {
  GradientDescent: { lr: 0.001 },
  Momentum: { lr: 0.01 },
  Nesterov: { lr: 0.01 },
  NormalizedGradient: { lr: 0.0003 },
  AdaGrad: { lr: 1 },
  RMSProp: { lr: 0.0003 },
  Adam: { lr: 0.01 },
  SGD: { lr: 0.001, momentum: 0.9 },
  Adamax: { lr: 0.0003 },
  NAdam: { lr: 0.0003 },
  RAdam: { lr: 0.01 },
  Adadelta: { lr: 0.01 },
  Rprop: { lr: 0.001 },
  ASGD: { lr: 0.001 },
  Lion: { lr: 0.001 },
  LAMB: { lr: 0.003 },
  Adafactor: { lr: 0.003 },
};

/** Figure 7: every optimizer of the registry on one map, in the registry's order (the example's), with its tuned rate. */
function figure7(): Preset {
  return preset(
    "figure-7",
    `Figure 7: all ${optimizerRegistry.length} optimizers on Rosenbrock from (−1.5, 2), 3000 steps, tuned rates`,
    "rosenbrock",
    3000,
    optimizerRegistry.map((e) => ({ optimizer: e.name, options: { ...(FIGURE7_SETTINGS[e.name] ?? { lr: 1e-3 }) } })),
    { start: [-1.5, 2] },
  );
}

export const PRESETS: readonly Preset[] = [
  preset("valley-race", "GD, momentum, Nesterov, Adam on the anisotropic valley (the lecture's comparison)", "valley", 100, [
    // η = 1 suits the shallow direction: gradient descent oscillates across the steep one, the
    // averaged gradient of momentum damps it, Nesterov's look-ahead more so; Adam takes its own path.
    { optimizer: "GradientDescent", options: { lr: 1 } },
    { optimizer: "Momentum", options: { lr: 1, beta: 0.9 } },
    { optimizer: "Nesterov", options: { lr: 1, beta: 0.9 } },
    { optimizer: "Adam", options: lectureAdam },
  ]),
  // The lecture's figures, as examples/0n-*.ts draws them (npm run demo).
  preset("figure-1", "Figure 1: gradient descent (η = 2) on sigmoid regression's loss, the brute-force figure", "sigmoid", 400, [{ optimizer: "GradientDescent", options: { lr: 2 } }]),
  preset(
    "figure-2",
    "Figure 2: the convex loss of linear regression, gradient descent (η = 0.03) from four starts",
    "linear",
    150,
    [
      { optimizer: "GradientDescent", options: { lr: 0.03 } },
      { optimizer: "GradientDescent", options: { lr: 0.03 }, start: [0.1, -0.9] },
      { optimizer: "GradientDescent", options: { lr: 0.03 }, start: [1.9, 0.9] },
      { optimizer: "GradientDescent", options: { lr: 0.03 }, start: [0.2, 0.8] },
    ],
  ),
  // Figure 3's six starts on one map: the first two reach the global minimum, the other four stop in local ones.
  preset(
    "figure-3",
    "Figure 3: the Gabor loss, gradient descent (η = 0.1) from the figure's six starts: two reach the global minimum, four stop in local ones",
    "gabor",
    2000,
    [
      { optimizer: "GradientDescent", options: { lr: 0.1 } },
      ...([[1.5, 19], [-4, 14], [4.5, 17], [-7, 6], [5, 5.5]] as const).map((start) => ({ optimizer: "GradientDescent", options: { lr: 0.1 }, start })),
    ],
    { start: [-1.5, 8.5] },
  ),
  preset(
    "figure-4",
    "Figure 4: batch (B = 30), mini-batch (B = 5) and stochastic (B = 1) gradient descent on the Gabor loss, and the gradients of the six mini-batches at the start",
    "gabor",
    300,
    [
      { optimizer: "GradientDescent", options: { lr: 0.1 }, batch: 30 },
      { optimizer: "GradientDescent", options: { lr: 0.4 }, batch: 5 },
      { optimizer: "GradientDescent", options: { lr: 0.8 }, batch: 1 },
    ],
    // and its second panel: at the start, the six batches' gradients of an epoch beside the full one
    { seed: 1, arrows: true },
  ),
  preset(
    "gabor-batches",
    "Figure 5: SGD, momentum and Nesterov (both look-ahead points) on the Gabor loss, batches of 5",
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
  // Each panel for as many steps as the figure draws it: 200, 40, 40 and 60.
  preset(
    "valley-four-ways",
    "Figure 6: the anisotropic valley four ways (GD η = 0.08 for 200 steps, GD η = 1 for 40, normalized gradients for 40, Adam for 60; the lecture's forms)",
    "valley",
    200,
    [
      lecture("GradientDescent", { lr: 0.08 }),
      { ...lecture("GradientDescent", { lr: 1 }), steps: 40 },
      { ...lecture("NormalizedGradient", { lr: 0.08, eps: 1e-20 }), steps: 40 },
      { ...lecture("Adam", { lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-20 }), steps: 60 },
    ],
  ),
  figure7(),
  // The figure stops Adam once its loss is within 1e-8 of L-BFGS's minimum: after 170 steps.
  preset("figure-8", "Figure 8: Adam (η = 0.05) on linear regression for the 170 steps that bring it within 10⁻⁸ of the minimum, the quasi-Newton figure's first-order side", "linear", 170, [
    { optimizer: "Adam", options: { lr: 0.05 } },
  ]),
  preset("schedules", "Schedules: Adam on Rosenbrock with a constant rate, step decay, cosine decay, warm-up then cosine", "rosenbrock", 1000, [
    { optimizer: "Adam", options: { lr: 0.1 } },
    { optimizer: "Adam", options: { lr: { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 250 } } },
    { optimizer: "Adam", options: { lr: { kind: "cosine", initial: 0.1, final: 0, period: 1000 } } },
    {
      optimizer: "Adam",
      options: {
        lr: {
          kind: "sequence",
          boundaries: [100],
          schedules: [
            { kind: "linear", initial: 0, final: 0.1, steps: 100 },
            { kind: "cosine", initial: 0.1, final: 0, period: 900 },
          ],
        },
      },
    },
  ]),
  preset("lecture-vs-pytorch", "The lecture's conventions against PyTorch's: Adam (ε inside or outside the root), Nesterov (look-ahead or reformulated)", "valley", 150, [
    lecture("Adam", { lr: 0.05, beta: 0.9, gamma: 0.99, eps: 0.01 }),
    pytorch("Adam", { lr: 0.05, betas: [0.9, 0.99], eps: 0.01 }),
    lecture("Nesterov", { lr: 1, beta: 0.9 }),
    pytorch("SGD", { lr: 0.1, momentum: 0.9, nesterov: true }),
  ]),
  preset("rosenbrock-race", "Rosenbrock race", "rosenbrock", 1000, [
    { optimizer: "GradientDescent", options: { lr: 0.001 } },
    { optimizer: "SGD", options: { lr: 0.001, momentum: 0.9 } },
    { optimizer: "Adam", options: { lr: 0.1 } },
    { optimizer: "Lion", options: { lr: 0.01 } },
  ]),
  preset("convex", "Gradient descent, momentum and Adam on the convex loss of linear regression", "linear", 150, [
    { optimizer: "GradientDescent", options: { lr: 0.03 } },
    { optimizer: "Momentum", options: { lr: 0.03, beta: 0.9 } },
    { optimizer: "Adam", options: { lr: 0.05 } },
  ]),
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
