// Example 6 (the lecture, §12; UDL notebook 6.5): the anisotropic valley f(θ) = 1 − exp(−2·θ1² − (θ0 − 0.7)²/8),
// steep along θ1 and shallow along θ0, from (−0.7, −0.9): (a) gradient descent with a rate suited to
// the steep direction crawls along the shallow one; (b) one suited to the shallow direction
// oscillates across the steep one; (c) normalized gradients move every coordinate by η and dither
// near the minimum; (d) Adam takes a smooth path to it.
import { GradientDescent, lecture, type Optimizer } from "gradstep";
import { anisotropicValley, landscape, minimize } from "gradstep/learn";
import { contourMap, figure } from "gradstep/plot";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

const PANELS: { title: string; steps: number; make: () => Optimizer }[] = [
  { title: "(a) gradient descent, η = 0.08, 200 steps", steps: 200, make: () => new GradientDescent({ lr: 0.08 }) },
  { title: "(b) gradient descent, η = 1, 40 steps", steps: 40, make: () => new GradientDescent({ lr: 1 }) },
  { title: "(c) normalized gradients, η = 0.08, 40 steps", steps: 40, make: () => lecture.NormalizedGradient({ lr: 0.08, eps: 1e-20 }) },
  { title: "(d) Adam, η = 0.05, β = 0.9, γ = 0.99, 60 steps", steps: 60, make: () => lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-20 }) },
];

export function anisotropic(folder: string): ExampleResult {
  const f = anisotropicValley();
  const grid = landscape(f, { x: { from: -1, to: 1, points: 101 }, y: { from: -1, to: 1, points: 101 } });
  const runs = PANELS.map(({ steps, make }) => minimize({ objective: f, optimizer: make(), params: Float64Array.of(-0.7, -0.9), steps, record: {} }));
  const svg = figure(
    runs.map((r, k) =>
      contourMap({
        grid,
        title: PANELS[k].title,
        xLabel: "θ0",
        yLabel: "θ1",
        // two panels a row in the page's column (600 px): titles wrap rather than shrink
        width: 300,
        height: 300,
        paths: [{ label: "path", points: r.path! }],
        markers: [{ label: "minimum (0.7, 0)", x: 0.7, y: 0 }],
        legend: "none",
      }),
    ),
    { columns: 2, title: "An anisotropic valley: steep along θ1, shallow along θ0 (§12)" },
  );
  return {
    title: "6. The anisotropic valley, four ways (§12)",
    summary: runs.map((r, k) => `${PANELS[k].title}: f = ${fmt(r.loss)} at (${fmt(r.path!.at(-1)![0], 3)}, ${fmt(r.path!.at(-1)![1], 3)})`),
    figure: writeFigure(folder, "06-anisotropic.svg", svg),
  };
}

runIfMain(import.meta.url, anisotropic);
