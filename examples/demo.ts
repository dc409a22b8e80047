// npm run demo: every rule of the lecture on two of its problems, side by side.
import { AdaGrad, Adam, GradientDescent, Momentum, Nesterov, NormalizedGradient, type Optimizer, RMSProp } from "gradstep";
import { anisotropic, linearRegression, type Problem } from "./lecture-problems.js";

interface Contender {
  label: string;
  make: () => Optimizer;
}

// The lecture's exact forms (ε inside the square root), with rates chosen once per problem.
function contenders(problem: Problem): Contender[] {
  const convex = problem === linearRegression;
  const lr = convex ? 0.03 : 1; // GD's rate: just below 2/λmax = 0.04 for the regression
  return [
    { label: `GradientDescent  η=${lr}`, make: () => new GradientDescent({ lr }) },
    { label: `Momentum  η=${lr} β=0.9`, make: () => new Momentum({ lr, beta: 0.9 }) },
    { label: `Nesterov  η=${lr} β=0.9`, make: () => new Nesterov({ lr, beta: 0.9 }) },
    { label: "NormalizedGradient  η=0.02", make: () => new NormalizedGradient({ lr: 0.02, eps: 1e-8 }) },
    { label: "AdaGrad  η=0.5", make: () => new AdaGrad({ lr: 0.5, eps: 1e-8, epsPlacement: "inside" }) },
    { label: "RMSProp  η=0.02 ρ=0.9", make: () => new RMSProp({ lr: 0.02, rho: 0.9, eps: 1e-8, epsPlacement: "inside" }) },
    { label: "Adam  η=0.05 β=0.9 γ=0.99", make: () => new Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-8, epsPlacement: "inside" }) },
  ];
}

interface Outcome {
  finalLoss: number;
  distance: number;
  stepsToTarget: number | undefined;
}

function race(problem: Problem, optimizer: Optimizer, steps: number, target: number): Outcome {
  const theta = Float64Array.from(problem.start);
  const point = new Float64Array(theta.length);
  const grad = new Float64Array(theta.length);
  let stepsToTarget: number | undefined;
  for (let t = 1; t <= steps; t++) {
    problem.gradient(optimizer.gradientPoint(theta, point), grad);
    optimizer.step(theta, grad);
    if (stepsToTarget === undefined && problem.loss(theta) - problem.minimumLoss <= target) stepsToTarget = t;
  }
  const distance = Math.hypot(...theta.map((v, i) => v - problem.minimum[i]));
  return { finalLoss: problem.loss(theta), distance, stepsToTarget };
}

const steps = 200;
const target = 1e-4;
for (const problem of [linearRegression, anisotropic]) {
  console.log(`\n${problem.name}: start (${problem.start.join(", ")}), minimum (${problem.minimum.map((v) => v.toFixed(4)).join(", ")})`);
  console.log(`${steps} steps; "steps to target" = first step with loss − minimum ≤ ${target}\n`);
  const rows = contenders(problem).map(({ label, make }) => {
    const r = race(problem, make(), steps, target);
    return [label, r.finalLoss.toExponential(3), r.distance.toExponential(2), r.stepsToTarget === undefined ? "—" : String(r.stepsToTarget)];
  });
  const header = ["optimizer (lecture form)", "final loss", "distance to min", "steps to target"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
console.log("\nEvery rule above is the lecture's formula (SPEC §3, §7–§12), exact in float64: npm run parity -- test/fixtures/lecture.json");
