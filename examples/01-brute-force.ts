// Example 1 (the lecture, §2): brute force against gradient descent on sigmoid regression with the mean
// squared error. The grid search finds the minimum of a 2-parameter model with 10,201 evaluations;
// gradient descent gets there with a few hundred gradients, and the grid's cost grows as
// (points per axis)^(parameters).
import { GradientDescent } from "gradstep";
import { createRandom, dataset, empiricalRisk, gridSearch, landscape, meanSquaredError, minimize, sigmoid, sigmoidRegression } from "gradstep/learn";
import { contourMap, figure, lossCurves } from "gradstep/plot";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

/** 24 points of y = σ(−0.5 + 1.5·x) plus a little noise, x in [−3, 3]. */
export function sigmoidData() {
  const random = createRandom(7);
  const x = Array.from({ length: 24 }, (_, i) => -3 + (6 * i) / 23);
  const y = x.map((xi) => sigmoid(-0.5 + 1.5 * xi) + 0.05 * (random.next() - 0.5));
  return dataset(x.map((xi) => [xi]), y);
}

export function bruteForce(folder: string): ExampleResult {
  const J = empiricalRisk(sigmoidRegression(), meanSquaredError(), sigmoidData());
  const axis = { from: -4, to: 4, points: 101 };
  const grid = gridSearch(J, [axis, axis]);
  const run = minimize({ objective: J, optimizer: new GradientDescent({ lr: 2 }), params: Float64Array.of(3, -3), steps: 400, record: {} });
  const map = landscape(J, { x: axis, y: axis });
  const svg = figure(
    [
      contourMap({
        grid: map,
        title: "MSE of σ(θ0 + θ1·x)",
        xLabel: "θ0 (bias)",
        yLabel: "θ1 (weight)",
        width: 600,
        height: 480,
        paths: [{ label: `gradient descent, η = 2`, points: run.path! }],
        markers: [{ label: `grid minimum (${grid.evaluations} evaluations)`, x: grid.argmin[0], y: grid.argmin[1] }],
      }),
      lossCurves({ title: "Gradient descent's loss", xLabel: "step", yLabel: "J(θ)", width: 600, height: 300, legend: "none", series: [{ label: "J", x: run.recordedSteps!, values: run.losses! }] }),
    ],
    { columns: 1, title: "Brute force vs gradient descent (§2)" },
  );
  return {
    title: "1. Brute force vs gradient descent on sigmoid regression (§2)",
    summary: [
      `grid search, 101 × 101: θ = (${fmt(grid.argmin[0])}, ${fmt(grid.argmin[1])}), J = ${fmt(grid.min)}, ${grid.evaluations} evaluations`,
      `gradient descent, η = 2: θ = (${fmt(run.path!.at(-1)![0])}, ${fmt(run.path!.at(-1)![1])}), J = ${fmt(run.loss)}, ${run.steps} gradients`,
      `the same grid over more parameters: ${[2, 5, 10].map((p) => `${p} → 101^${p} = ${(101 ** p).toExponential(1)}`).join(", ")} evaluations`,
    ],
    figure: writeFigure(folder, "01-brute-force.svg", svg),
  };
}

runIfMain(import.meta.url, bruteForce);
