// Example 2 (the lecture, §4): the convex landscape of linear regression on the 12 points of UDL notebook
// 6.2 (sum of squares). Gradient descent from four starts reaches the one global minimum.
import { GradientDescent } from "gradstep";
import { empiricalRisk, landscape, linearRegression, minimize, sumOfSquares, udlLinearData } from "gradstep/learn";
import { contourMap, figure, lossCurves } from "gradstep/plot";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

/** The least-squares solution, from the normal equations, and its loss. */
export const LINEAR_MINIMUM = [0.8259500451387297, 0.5222260699680318];
const MINIMUM_LOSS = 0.19986635693424945;
const STARTS = [
  [1.6, -0.5], // the notebook's
  [0.1, -0.9],
  [1.9, 0.9],
  [0.2, 0.8],
];

export function convex(folder: string): ExampleResult {
  const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
  const runs = STARTS.map((start) =>
    minimize({ objective: J, optimizer: new GradientDescent({ lr: 0.03 }), params: Float64Array.from(start), steps: 150, record: {} }),
  );
  const map = landscape(J, { x: { from: 0, to: 2, points: 101 }, y: { from: -1, to: 1, points: 101 } });
  const label = (k: number) => `from (${STARTS[k].join(", ")})`;
  const svg = figure(
    [
      contourMap({
        grid: map,
        title: "Sum of squares of θ0 + θ1·x",
        xLabel: "θ0 (intercept)",
        yLabel: "θ1 (slope)",
        width: 600,
        height: 480,
        paths: runs.map((r, k) => ({ label: label(k), points: r.path! })),
        markers: [{ label: "global minimum", x: LINEAR_MINIMUM[0], y: LINEAR_MINIMUM[1] }],
      }),
      // the gap to the minimum's loss, not the loss: on a log axis it falls through every decade the
      // runs cover (the loss itself flattens at 0.1999 within 20 steps, at the axis's floor)
      lossCurves({
        title: "Loss above the minimum's (colours as above)",
        xLabel: "step",
        yLabel: "J(θ) − J(θ*)",
        width: 600,
        height: 320,
        legend: "none",
        series: runs.map((r, k) => ({ label: label(k), x: r.recordedSteps!, values: r.losses!.map((loss) => loss - MINIMUM_LOSS) })),
      }),
    ],
    { columns: 1, title: "Convex: every start reaches the global minimum (§4)" },
  );
  const distances = runs.map((r) => Math.hypot(r.path!.at(-1)![0] - LINEAR_MINIMUM[0], r.path!.at(-1)![1] - LINEAR_MINIMUM[1]));
  return {
    title: "2. The convex landscape of linear regression (§4)",
    summary: runs.map((r, k) => `${label(k)}: J = ${fmt(r.loss, 8)} after ${r.steps} steps, ${fmt(distances[k], 2)} from the minimum`),
    figure: writeFigure(folder, "02-convex.svg", svg),
  };
}

runIfMain(import.meta.url, convex);
