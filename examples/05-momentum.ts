// Example 5 (the lecture, §7, §8): stochastic gradient descent, momentum, and Nesterov with both look-ahead
// points (the lecture's θ − η·V and the book's θ − η·β·V) on the Gabor data of UDL notebook 6.4:
// start (−1.5, 6.5), batches of 5 (the same batches for every run), η = 0.6, β = 0.6, 80 steps.
import { GradientDescent, Momentum, Nesterov, type Optimizer } from "gradstep";
import { EpochSampler, empiricalRisk, gaborModel, landscape, minimize, sumOfSquares, udlGaborData } from "gradstep/learn";
import { contourMap, figure, lossCurves } from "gradstep/plot";
import { GABOR_GLOBAL, GABOR_WINDOW } from "./03-gabor.js";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

const RUNS: { label: string; make: () => Optimizer }[] = [
  { label: "SGD", make: () => new GradientDescent({ lr: 0.6 }) },
  { label: "momentum, β = 0.6", make: () => new Momentum({ lr: 0.6, beta: 0.6 }) },
  { label: "Nesterov, look-ahead θ − η·V", make: () => new Nesterov({ lr: 0.6, beta: 0.6 }) },
  { label: "Nesterov, look-ahead θ − η·β·V", make: () => new Nesterov({ lr: 0.6, beta: 0.6, lookAhead: "udl" }) },
];

export function momentum(folder: string): ExampleResult {
  const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
  const runs = RUNS.map(({ make }) =>
    minimize({
      objective: J,
      optimizer: make(),
      params: Float64Array.of(-1.5, 6.5),
      sampler: new EpochSampler({ size: 30, batchSize: 5, seed: 1 }), // same seed: same batches
      steps: 80,
      record: {},
    }),
  );
  const svg = figure(
    [
      contourMap({
        grid: landscape(J, GABOR_WINDOW),
        title: "Paths, 80 steps of batches of 5",
        xLabel: "θ0",
        yLabel: "θ1",
        width: 600,
        height: 480,
        paths: runs.map((r, k) => ({ label: RUNS[k].label, points: r.path! })),
        markers: [{ label: "global minimum", x: GABOR_GLOBAL.phi[0], y: GABOR_GLOBAL.phi[1] }],
        legend: "below",
      }),
      lossCurves({
        title: "Full loss (colours as in the paths)",
        xLabel: "step",
        yLabel: "J(θ)",
        width: 600,
        height: 320,
        series: runs.map((r, k) => ({ label: RUNS[k].label, x: r.recordedSteps!, values: r.losses! })),
        legend: "none",
      }),
    ],
    { columns: 1, title: "Momentum and Nesterov against SGD (§7, §8)" },
  );
  return {
    title: "5. Momentum and Nesterov (both look-ahead points) against SGD (§7, §8)",
    summary: runs.map((r, k) => `${RUNS[k].label}: J = ${fmt(r.loss)} at (${fmt(r.path!.at(-1)![0], 3)}, ${fmt(r.path!.at(-1)![1], 3)})`),
    figure: writeFigure(folder, "05-momentum.svg", svg),
  };
}

runIfMain(import.meta.url, momentum);
