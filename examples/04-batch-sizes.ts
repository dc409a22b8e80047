// Example 4 (the lecture, §6): batch, mini-batch and stochastic gradient descent on the Gabor data, with
// batches drawn without replacement; and, at one point, the gradients of the six mini-batches of
// an epoch beside the full-batch gradient (scaled to a batch's share): noisy estimates of it.
import { GradientDescent } from "gradstep";
import { EpochSampler, empiricalRisk, gaborModel, landscape, minimize, sumOfSquares, udlGaborData } from "gradstep/learn";
import { contourMap, figure, lossCurves, PALETTE } from "gradstep/plot";
import { GABOR_GLOBAL, GABOR_WINDOW } from "./03-gabor.js";
import { epochGradients } from "./epoch-gradients.js";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

const START = [-1.5, 6.5];
const N = 30;
/** Batch size and learning rate: the batch loss is a sum, so smaller batches take larger rates. */
const RUNS = [
  { label: "batch GD (B = 30), η = 0.1", batchSize: 30, lr: 0.1 },
  { label: "mini-batch (B = 5), η = 0.4", batchSize: 5, lr: 0.4 },
  { label: "stochastic (B = 1), η = 0.8", batchSize: 1, lr: 0.8 },
];

export function batchSizes(folder: string): ExampleResult {
  const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
  const runs = RUNS.map(({ batchSize, lr }) =>
    minimize({
      objective: J,
      optimizer: new GradientDescent({ lr }),
      params: Float64Array.from(START),
      sampler: new EpochSampler({ size: N, batchSize, seed: 1 }),
      steps: 300,
      record: {},
    }),
  );
  // The gradients at θ = START: full (÷ 6, a batch's share of the sum) and of each batch of an epoch.
  const at = Float64Array.from(START);
  const { full, batches: batchGradients } = epochGradients(J, at, 5, 1);
  const scale = 0.6 / Math.hypot(full[0] / 6, full[1] / 6); // the full-batch arrow is 0.6 long
  const arrow = (g: Float64Array, share: number) => [
    [at[0], at[1]],
    [at[0] - g[0] * share * scale, at[1] - g[1] * share * scale],
  ];
  const zoom = { x: { from: START[0] - 1.5, to: START[0] + 1.5, points: 61 }, y: { from: START[1] - 1.5, to: START[1] + 1.5, points: 61 } };
  const svg = figure(
    [
      contourMap({
        grid: landscape(J, GABOR_WINDOW),
        title: "Paths, 300 steps",
        xLabel: "θ0",
        yLabel: "θ1",
        width: 600,
        height: 480,
        paths: runs.map((r, k) => ({ label: RUNS[k].label, points: r.path! })),
        markers: [{ label: "global minimum", x: GABOR_GLOBAL.phi[0], y: GABOR_GLOBAL.phi[1] }],
        legend: "below",
      }),
      contourMap({
        grid: landscape(J, zoom),
        title: "−gradient at the start",
        xLabel: "θ0",
        yLabel: "θ1",
        width: 600,
        height: 420,
        // in the colours of the runs that step along them: batch GD and mini-batches of 5
        paths: [
          { label: "full batch ÷ 6", points: arrow(full, 1 / 6), color: PALETTE[0] },
          ...batchGradients.map((g, k) => ({ label: k === 0 ? "each batch of 5" : "", points: arrow(g, 1), color: PALETTE[1] })),
        ],
        legend: "below",
      }),
      lossCurves({
        title: "Full loss (colours as in the paths)",
        xLabel: "step",
        yLabel: "J(θ)",
        width: 600,
        height: 320,
        legend: "none",
        series: runs.map((r, k) => ({ label: RUNS[k].label, x: r.recordedSteps!, values: r.losses! })),
      }),
    ],
    { columns: 1, title: "Batch, mini-batch and stochastic gradient descent (§6)" },
  );
  const angles = batchGradients.map((g) => (Math.acos((g[0] * full[0] + g[1] * full[1]) / (Math.hypot(g[0], g[1]) * Math.hypot(full[0], full[1]))) * 180) / Math.PI);
  return {
    title: "4. Batch vs mini-batch vs stochastic gradient descent (§6)",
    summary: [
      ...runs.map((r, k) => `${RUNS[k].label}: J = ${fmt(r.loss)} after ${r.steps} steps (${r.epochs} epochs)`),
      `mini-batch gradients at (${START.join(", ")}): ${angles.map((a) => `${fmt(a, 2)}°`).join(", ")} from the full gradient's direction`,
    ],
    figure: writeFigure(folder, "04-batch-sizes.svg", svg),
  };
}

runIfMain(import.meta.url, batchSizes);
