// Example 3 (the lecture, §5): the non-convex Gabor landscape of UDL notebook 6.3, its global minimum and
// its local minima, and gradient descent from several starts: some reach the global minimum, some
// stop in a local one.
import { GradientDescent } from "gradstep";
import { empiricalRisk, gaborModel, landscape, minimize, sumOfSquares, udlGaborData } from "gradstep/learn";
import { contourMap, figure } from "gradstep/plot";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

/** Stationary minima inside the plotted window (from ../shared/data, found by Newton refinement). */
export const GABOR_GLOBAL = { phi: [0.0037946356109375425, 16.026347827141723], loss: 0.6456961253674638 };
export const GABOR_LOCAL = [
  [-5.819376101839457, 13.82450392762743],
  [6.559354269534794, 18.348855285164024],
  [-6.443223114287746, 4.967533652863323],
  [6.307961387848067, 13.515787336909765],
  [6.084736300064385, 4.011774525983753],
  [6.171313163078898, 8.088135558848837],
  [-0.16646565055321272, 4.880932748263946],
];
export const GABOR_WINDOW = { x: { from: -10, to: 10, points: 161 }, y: { from: 2.5, to: 22.5, points: 161 } };
const STARTS = [
  [-1.5, 8.5], // the notebook's
  [1.5, 19],
  [-4, 14],
  [4.5, 17],
  [-7, 6],
  [5, 5.5],
];

export function gabor(folder: string): ExampleResult {
  const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
  const runs = STARTS.map((start) =>
    minimize({ objective: J, optimizer: new GradientDescent({ lr: 0.1 }), params: Float64Array.from(start), steps: 2000, record: { every: 5 } }),
  );
  const global = runs.map((r) => Math.abs(r.loss - GABOR_GLOBAL.loss) < 1e-3);
  const svg = figure(
    [
      contourMap({
        grid: landscape(J, GABOR_WINDOW),
        title: "Gabor model, sum of squares",
        xLabel: "θ0 (offset)",
        yLabel: "θ1 (frequency)",
        width: 600,
        height: 540,
        paths: runs.map((r, k) => ({ label: `from (${STARTS[k].join(", ")}): ${global[k] ? "global" : "local"}`, points: r.path! })),
        markers: [
          { label: "global minimum", x: GABOR_GLOBAL.phi[0], y: GABOR_GLOBAL.phi[1] },
          ...GABOR_LOCAL.map((phi, k) => ({ label: k === 0 ? "local minima" : "", x: phi[0], y: phi[1], symbol: "circle" as const, color: "#cccccc" })),
        ],
      }),
    ],
    { title: "Non-convex: where gradient descent ends depends on where it starts (§5)" },
  );
  return {
    title: "3. The Gabor landscape: global and local minima (§5)",
    summary: runs.map((r, k) => `from (${STARTS[k].join(", ")}): J = ${fmt(r.loss)} at (${fmt(r.path!.at(-1)![0], 3)}, ${fmt(r.path!.at(-1)![1], 3)}), ${global[k] ? "the global minimum" : "a local minimum"}`),
    figure: writeFigure(folder, "03-gabor.svg", svg),
  };
}

runIfMain(import.meta.url, gabor);
