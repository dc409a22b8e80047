// Example 7: every optimizer of gradstep on Rosenbrock's banana valley from (−1.5, 2), each with the
// learning rate tuned once for the bench's convergence suite (bench/convergence-rates.ts, the grid of
// bench/tune-convergence.ts) and the suite's other settings (SGD's momentum 0.9), 3000 steps.
import { type Optimizer, type OptimizerName, optimizerRegistry } from "gradstep";
import { landscape, minimize, rosenbrock } from "gradstep/learn";
import { contourMap, figure, lossCurves } from "gradstep/plot";
import { optimizers, suiteSettings } from "../bench/convergence-problems.js";
import { tunedRates } from "../bench/convergence-rates.js";
import { type ExampleResult, fmt, runIfMain, writeFigure } from "./shared.js";

// The suite's Rosenbrock problem (the same start); its rates were tuned over 20,000 steps, this
// figure runs 3000.
const RATES = tunedRates["Rosenbrock, from (−1.5, 2)"];

/** Each registry optimizer's options in this figure, by name: its tuned rate and the suite's other settings (SGD's momentum). */
export const SETTINGS: Readonly<Record<string, { readonly lr: number; readonly momentum?: number }>> = Object.fromEntries(
  optimizerRegistry.map((e) => {
    const { label = e.name, options = {} } = suiteSettings[e.name as OptimizerName] ?? {};
    const lr = RATES[label];
    // (Momentum's and Nesterov's β = 0.9 of the suite are their defaults)
    return [e.name, "momentum" in options ? { lr, momentum: options.momentum as number } : { lr }];
  }),
);
const OPTIMIZERS: [string, () => Optimizer][] = optimizers.map(([name, make]) => {
  const lr = RATES[name];
  if (lr === undefined) throw new Error(`${name} has no tuned rate in bench/convergence-rates.ts: run npx tsx bench/tune-convergence.ts "${name}"`);
  return [`${name}, η = ${lr < 1e-3 ? lr.toExponential() : String(lr)}`, () => make(lr)]; // 3e-4 rather than 0.0003
});

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
        width: 600,
        height: 540,
        paths: runs.map((r, k) => ({ label: OPTIMIZERS[k][0], points: r.path! })),
        markers: [{ label: "minimum (1, 1)", x: 1, y: 1 }],
        legend: "none",
      }),
      lossCurves({
        title: "Loss (the legend is the map's too)",
        xLabel: "step",
        yLabel: "f(θ)",
        width: 600,
        height: 360,
        series: runs.map((r, k) => ({ label: OPTIMIZERS[k][0], x: r.recordedSteps!, values: r.losses! })),
        legend: "below",
      }),
    ],
    { columns: 1, title: "Every optimizer on one problem" },
  );
  return {
    title: "7. Every optimizer on Rosenbrock, from (−1.5, 2), 3000 steps",
    summary: runs.map((r, k) => `${OPTIMIZERS[k][0].padEnd(30)} f = ${fmt(r.loss, 3)}`),
    figure: writeFigure(folder, "07-all-optimizers.svg", svg),
  };
}

runIfMain(import.meta.url, allOptimizers);
