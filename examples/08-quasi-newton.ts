// Example 8: first-order or quasi-Newton? L-BFGS (`solve`, method "lbfgs") beside Adam on two
// smooth full-batch problems: the lecture's linear regression (UDL notebook 6.2) and a logistic
// regression with an L2 penalty on its weight (the intercept free), each drawn on its contour map.
import { Adam } from "gradstep";
import {
  binaryCrossEntropy,
  empiricalRisk,
  landscape,
  linearRegression,
  logisticRegression,
  minimize,
  type Objective,
  penalized,
  solve,
  sumOfSquares,
  syntheticLogistic,
  udlLinearData,
} from "gradstep/learn";
import { contourMap, figure } from "gradstep/plot";
import { LINEAR_MINIMUM } from "./02-convex.js";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

interface Problem {
  title: string;
  objective: Objective;
  start: number[];
  adamRate: number;
  x: [number, number];
  y: [number, number];
}

/** Adam's steps until its loss is within `gap` of the solver's minimum (or the budget). */
function adamRun(problem: Problem, minimum: number, gap: number) {
  let reached: number | undefined;
  const result = minimize({
    objective: problem.objective,
    optimizer: new Adam({ lr: problem.adamRate }),
    params: Float64Array.from(problem.start),
    steps: 2000,
    record: {},
    onStep: (t, theta) => {
      if (reached === undefined && problem.objective.evaluate(theta, null) - minimum <= gap) reached = t;
      return reached === undefined;
    },
  });
  return { result, reached };
}

export function quasiNewton(folder: string): ExampleResult {
  const N = 200;
  const C = 0.1;
  const problems: Problem[] = [
    {
      title: "Linear regression (UDL 6.2), sum of squares",
      objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()),
      start: [1.6, -0.5],
      adamRate: 0.05,
      x: [0, 2],
      y: [-1, 1],
    },
    {
      title: `Logistic regression, ${N} points, L2 on the weight (C = ${C})`,
      objective: penalized(empiricalRisk(logisticRegression(), binaryCrossEntropy(), syntheticLogistic({ size: N, features: 1, seed: 8 })), { l2: 1 / (C * N), mask: "exceptIntercept" }),
      start: [-2, -2],
      adamRate: 0.1,
      x: [-2.5, 2.5],
      y: [-2.5, 2.5],
    },
  ];
  const gap = 1e-8;
  const summary: string[] = [];
  const answers: Float64Array[] = [];
  const panels = problems.map((problem) => {
    const solved = solve({ objective: problem.objective, params: problem.start, method: "lbfgs", gradientTolerance: 1e-9, relativeChange: 0, record: { path: true } });
    answers.push(solved.params);
    const adam = adamRun(problem, solved.value, gap);
    summary.push(
      `${problem.title}: L-BFGS J = ${fmt(solved.value, 10)} at (${Array.from(solved.params, (v) => fmt(v, 6)).join(", ")}) in ${solved.evaluations} evaluations (${solved.stopReason}); ` +
        `Adam (η = ${problem.adamRate}) ${adam.reached === undefined ? `not within ${gap} after ${adam.result.steps} steps` : `within ${gap} after ${adam.reached} steps`}`,
    );
    const grid = landscape(problem.objective, { x: { from: problem.x[0], to: problem.x[1], points: 101 }, y: { from: problem.y[0], to: problem.y[1], points: 101 } });
    return contourMap({
      grid,
      title: problem.title,
      width: 600,
      height: 460,
      xLabel: "θ0 (intercept)",
      yLabel: "θ1 (weight)",
      paths: [
        { label: `L-BFGS, ${solved.evaluations} evaluations`, points: solved.path! },
        { label: `Adam, ${adam.reached ?? adam.result.steps} steps`, points: adam.result.path! },
      ],
      markers: [{ label: "minimum", x: solved.params[0], y: solved.params[1] }],
    });
  });
  const distance = Math.hypot(...LINEAR_MINIMUM.map((v, i) => v - answers[0][i]));
  summary.push(`L-BFGS's linear-regression answer is ${fmt(distance, 2)} from the normal equations' solution`);
  const svg = figure(panels, { columns: 1, title: "First-order or quasi-Newton: L-BFGS beside Adam on smooth full-batch problems" });
  return { title: "8. L-BFGS beside Adam", summary, figure: writeFigure(folder, "08-quasi-newton.svg", svg) };
}

runIfMain(import.meta.url, quasiNewton);
