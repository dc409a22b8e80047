// Example 7: every optimizer of gradstep on Rosenbrock's banana valley from (−1.5, 2), each with the
// learning rate tuned once for the bench's convergence suite (bench/convergence-rates.ts), 3000 steps.
import { type Optimizer, type OptimizerName, optimizerRegistry } from "gradstep";
import { landscape, minimize, rosenbrock } from "gradstep/learn";
import { contourMap, figure, lossCurves } from "gradstep/plot";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

// Each optimizer's learning rate on Rosenbrock (and SGD's momentum); a registry entry not listed runs
// with η = 1e-3 (the convergence suite's fallback too) until it is tuned.
export const SETTINGS: Partial<Record<OptimizerName, { lr: number; momentum?: number }>> = {
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
};
const OPTIMIZERS: [string, () => Optimizer][] = optimizerRegistry.map((e) => {
  const s = SETTINGS[e.name as OptimizerName] ?? { lr: 1e-3 };
  const lr = s.lr < 1e-3 ? s.lr.toExponential() : String(s.lr); // 3e-4 rather than 0.0003
  return [`${e.name}${s.momentum === undefined ? "," : ` μ = ${s.momentum},`} η = ${lr}`, () => e.create(s)];
});
/** Colours that read on viridis and on white, one per optimizer (room for a few more). */
const COLORS = ["#ff3b30", "#ffffff", "#ff9f0a", "#5e5ce6", "#ff2dcc", "#00e5ff", "#b4ff00", "#8e8e93", "#ffd60a", "#bf5af2", "#ff6961", "#64d2ff", "#a2845e", "#30d158", "#ff375f", "#0a84ff", "#ffcc99", "#66ffcc"];

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
