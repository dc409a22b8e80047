// Example 7: every optimizer of gradstep on Rosenbrock's banana valley from (−1.5, 2), each with the
// learning rate tuned once for the bench's convergence suite (bench/convergence-rates.ts), 3000 steps.
import { AdaGrad, Adadelta, Adam, Adamax, GradientDescent, Momentum, NAdam, Nesterov, NormalizedGradient, type Optimizer, RAdam, RMSProp, Rprop, SGD } from "gradstep";
import { landscape, minimize, rosenbrock } from "gradstep/learn";
import { contourMap, figure, lossCurves } from "gradstep/plot";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

const OPTIMIZERS: [string, () => Optimizer][] = [
  ["GradientDescent, η = 0.001", () => new GradientDescent({ lr: 0.001 })],
  ["Momentum, η = 0.01", () => new Momentum({ lr: 0.01 })],
  ["Nesterov, η = 0.01", () => new Nesterov({ lr: 0.01 })],
  ["SGD μ = 0.9, η = 0.001", () => new SGD({ lr: 0.001, momentum: 0.9 })],
  ["NormalizedGradient, η = 3e-4", () => new NormalizedGradient({ lr: 0.0003 })],
  ["AdaGrad, η = 1", () => new AdaGrad({ lr: 1 })],
  ["RMSProp, η = 3e-4", () => new RMSProp({ lr: 0.0003 })],
  ["Adam, η = 0.01", () => new Adam({ lr: 0.01 })],
  ["Adamax, η = 3e-4", () => new Adamax({ lr: 0.0003 })],
  ["NAdam, η = 3e-4", () => new NAdam({ lr: 0.0003 })],
  ["RAdam, η = 0.01", () => new RAdam({ lr: 0.01 })],
  ["Adadelta, η = 0.01", () => new Adadelta({ lr: 0.01 })],
  ["Rprop, η = 0.001", () => new Rprop({ lr: 0.001 })],
];
/** Thirteen colours that read on viridis and on white. */
const COLORS = ["#ff3b30", "#ffffff", "#ff9f0a", "#5e5ce6", "#ff2dcc", "#00e5ff", "#b4ff00", "#8e8e93", "#ffd60a", "#bf5af2", "#ff6961", "#64d2ff", "#a2845e"];

export function allOptimizers(folder: string): ExampleResult {
  const f = rosenbrock();
  const runs = OPTIMIZERS.map(([, make]) => minimize({ objective: f, optimizer: make(), params: Float64Array.of(-1.5, 2), steps: 3000, record: { every: 5 } }));
  const svg = figure(
    [
      contourMap({
        grid: landscape(f, { x: { from: -2, to: 2, points: 121 }, y: { from: -1, to: 3, points: 121 } }),
        title: "Paths on Rosenbrock",
        xLabel: "θ0",
        yLabel: "θ1",
        width: 560,
        height: 500,
        paths: runs.map((r, k) => ({ label: OPTIMIZERS[k][0], points: r.path!, color: COLORS[k] })),
        markers: [{ label: "minimum (1, 1)", x: 1, y: 1 }],
        legend: "none",
      }),
      lossCurves({
        title: "Loss",
        xLabel: "step",
        yLabel: "f(θ)",
        width: 560,
        height: 500,
        series: runs.map((r, k) => ({ label: OPTIMIZERS[k][0], x: r.recordedSteps!, values: r.losses!, color: COLORS[k] === "#ffffff" ? "#333333" : COLORS[k] })),
        legend: "below",
      }),
    ],
    { columns: 2, title: "Every optimizer on one problem" },
  );
  return {
    title: "7. Every optimizer on Rosenbrock, from (−1.5, 2), 3000 steps",
    summary: runs.map((r, k) => `${OPTIMIZERS[k][0].padEnd(30)} f = ${fmt(r.loss, 3)}`),
    figure: writeFigure(folder, "07-all-optimizers.svg", svg),
  };
}

runIfMain(import.meta.url, allOptimizers);
