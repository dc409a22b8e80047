// npm run demo [folder]: the lecture walk-through. Every rule of the lecture on two of its problems,
// side by side, then the eight examples, each printing its summary and writing its figure (SVG) into
// the folder (default: figures/), with an index.html that shows them all.
import { writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { type Optimizer, backendInfo, lecture } from "gradstep";
import { anisotropicValley, empiricalRisk, linearRegression, minimize, type Objective, sumOfSquares, udlLinearData } from "gradstep/learn";
import { bruteForce } from "./01-brute-force.js";
import { convex } from "./02-convex.js";
import { gabor } from "./03-gabor.js";
import { batchSizes } from "./04-batch-sizes.js";
import { momentum } from "./05-momentum.js";
import { anisotropic } from "./06-anisotropic.js";
import { allOptimizers } from "./07-all-optimizers.js";
import { quasiNewton } from "./08-quasi-newton.js";
import type { ExampleResult } from "./shared.js";

interface Problem {
  name: string;
  objective: Objective;
  start: number[];
  minimum: number[];
  minimumLoss: number;
  gdRate: number;
}

const problems: Problem[] = [
  {
    name: "linear regression on the 12 points of UDL notebook 6.2 (convex, the lecture's §4)",
    objective: empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()),
    start: [1.6, -0.5],
    minimum: [0.8259500451387297, 0.5222260699680318], // least squares, from the normal equations
    minimumLoss: 0.19986635693424945,
    gdRate: 0.03, // just below 2/λmax = 0.04
  },
  {
    name: "the anisotropic valley of UDL notebook 6.5 (steep along θ1, shallow along θ0)",
    objective: anisotropicValley(),
    start: [-0.7, -0.9],
    minimum: [0.7, 0],
    minimumLoss: 0,
    gdRate: 1, // the notebook's large rate: progress along θ0, oscillation along θ1
  },
];

// The lecture's exact forms (the `lecture` preset: ε inside the square root, Nesterov's θ − η·V).
function contenders(gdRate: number): [string, () => Optimizer][] {
  const lr = gdRate;
  return [
    [`GradientDescent  η=${lr}`, () => lecture.GradientDescent({ lr })],
    [`Momentum  η=${lr} β=0.9`, () => lecture.Momentum({ lr, beta: 0.9 })],
    [`Nesterov  η=${lr} β=0.9`, () => lecture.Nesterov({ lr, beta: 0.9 })],
    ["NormalizedGradient  η=0.02", () => lecture.NormalizedGradient({ lr: 0.02, eps: 1e-8 })],
    ["AdaGrad  η=0.5", () => lecture.AdaGrad({ lr: 0.5, eps: 1e-8 })],
    ["RMSProp  η=0.02 ρ=0.9", () => lecture.RMSProp({ lr: 0.02, rho: 0.9, eps: 1e-8 })],
    ["Adam  η=0.05 β=0.9 γ=0.99", () => lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-8 })],
  ];
}

const steps = 200;
const target = 1e-4;
console.log(`gradstep: the lecture on gradient descent, walked through (kernels: ${backendInfo().name})`);
for (const problem of problems) {
  console.log(`\n${problem.name}`);
  console.log(`start (${problem.start.join(", ")}), minimum (${problem.minimum.map((v) => v.toFixed(4)).join(", ")}); ${steps} steps;`);
  console.log(`"steps to target" = the first step with loss − minimum ≤ ${target}\n`);
  const rows = contenders(problem.gdRate).map(([label, make]) => {
    const params = Float64Array.from(problem.start);
    let stepsToTarget: number | undefined;
    const result = minimize({
      objective: problem.objective,
      optimizer: make(),
      params,
      steps,
      onStep: (t, theta) => {
        if (stepsToTarget === undefined && problem.objective.evaluate(theta, null) - problem.minimumLoss <= target) stepsToTarget = t;
      },
    });
    const distance = Math.hypot(...Array.from(params, (v, i) => v - problem.minimum[i]));
    return [label, result.loss.toExponential(3), distance.toExponential(2), stepsToTarget === undefined ? "—" : String(stepsToTarget)];
  });
  const header = ["optimizer (lecture form)", "final loss", "distance to min", "steps to target"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "─".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
}
console.log("\nEvery rule above is the lecture's formula (§3, §7–§12 of docs/guides/lecture.md), exact in float64: npm run parity -- test/fixtures/lecture.json");

const folder = process.argv[2] ?? "figures";
const examples = [bruteForce, convex, gabor, batchSizes, momentum, anisotropic, allOptimizers, quasiNewton];
const results: ExampleResult[] = [];
for (const example of examples) {
  const result = example(folder);
  results.push(result);
  console.log(`\n${result.title}\n${result.summary.map((line) => `  ${line}`).join("\n")}`);
}
const page = [
  "<!doctype html>",
  '<html lang="en"><head><meta charset="utf-8"><title>gradstep: the lecture\'s figures</title>',
    // a column as wide as the docs' (the figures are drawn for ≤ 600 px), with margins on narrow screens
  '<meta name="viewport" content="width=device-width, initial-scale=1">',
  "<style>body{font-family:sans-serif;max-width:820px;margin:2em auto;padding:0 16px;line-height:1.4}img{max-width:100%;height:auto;border:1px solid #ddd}</style></head><body>",
  "<h1>The lecture's figures, drawn by gradstep</h1>",
  ...results.map((r) => `<h2>${r.title}</h2><ul>${r.summary.map((l) => `<li>${l.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</li>`).join("")}</ul><img src="${relative(folder, r.figure)}" alt="${r.title}">`),
  "</body></html>",
  "",
].join("\n");
writeFileSync(join(folder, "index.html"), page);
console.log(`\n${results.length} figures written to ${resolve(folder)} (open index.html there to see them all):`);
for (const r of results) console.log(`  ${relative(folder, r.figure)}`);
