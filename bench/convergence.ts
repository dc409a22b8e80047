// Convergence suite (bench §2): each optimizer, with its once-tuned learning rate, on each problem:
// steps and wall time to reach the target loss, the final loss after the whole budget, and whether
// it diverged (the loss stopped being finite or ended above where it started).
import { minimize } from "gradstep/learn";
import { figure, lossCurves } from "gradstep/plot";
import { optimizers, problems } from "./convergence-problems.js";
import { tunedRates } from "./convergence-rates.js";
import type { SolverRow } from "./solvers.js";

export interface ConvergenceRow {
  problem: string;
  optimizer: string;
  lr: number;
  /** The first step at which the full loss was at or below the target (to 10 steps with a sampler: see epochChecked). */
  stepsToTarget: number | null;
  /** Wall time of the run that stopped at the target (with a sampler, at the end of the epoch where minimize checks it). */
  secondsToTarget: number | null;
  /** With a sampler, minimize checks the target at each epoch's end: stepsToTarget comes from the full loss recorded every 10 steps. */
  epochChecked: boolean;
  finalLoss: number;
  diverged: boolean;
  /** The full loss along the budget run (about 100 points), for the chart. */
  curve: { steps: number[]; losses: number[] };
}

export function convergence(quick: boolean, tick: (label: string) => void): ConvergenceRow[] {
  const rows: ConvergenceRow[] = [];
  for (const problem of problems(quick)) {
    const startLoss = problem.objective.evaluate(Float64Array.from(problem.start), null);
    // (untimed, so that the first optimizer's time does not include compiling minimize and the objective)
    minimize({ objective: problem.objective, optimizer: optimizers[0][1](1e-3), params: Float64Array.from(problem.start), steps: Math.min(problem.steps, 500), sampler: problem.sampler?.() });
    for (const [name, make] of optimizers) {
      const lr = tunedRates[problem.name.replace("20k", "100k")]?.[name] ?? 1e-3;
      const start = performance.now();
      const toTarget = minimize({
        objective: problem.objective,
        optimizer: make(lr),
        params: Float64Array.from(problem.start),
        steps: problem.steps,
        sampler: problem.sampler?.(),
        stop: { targetLoss: problem.target },
      });
      const seconds = (performance.now() - start) / 1000;
      // With a sampler, minimize checks the full loss at each epoch's end only: the step count then
      // comes from a run that records the full loss every 10 steps (the time stays the epoch end's).
      const fine = problem.sampler
        ? minimize({ objective: problem.objective, optimizer: make(lr), params: Float64Array.from(problem.start), steps: toTarget.steps, sampler: problem.sampler(), record: { every: 10, path: false } })
        : undefined;
      const firstBelow = fine?.recordedSteps?.find((_, k) => fine.losses![k] <= problem.target);
      const budget = minimize({
        objective: problem.objective,
        optimizer: make(lr),
        params: Float64Array.from(problem.start),
        steps: problem.steps,
        sampler: problem.sampler?.(),
        record: { every: Math.max(1, Math.floor(problem.steps / 100)) },
      });
      rows.push({
        problem: problem.name,
        optimizer: name,
        lr,
        stepsToTarget: toTarget.reason !== "targetLoss" ? null : fine === undefined ? toTarget.steps : (firstBelow ?? toTarget.steps),
        secondsToTarget: toTarget.reason === "targetLoss" ? seconds : null,
        epochChecked: fine !== undefined,
        finalLoss: budget.loss,
        diverged: budget.reason === "nonFinite" || !(budget.loss <= startLoss),
        curve: { steps: budget.recordedSteps ?? [], losses: budget.losses ?? [] },
      });
      tick(`${name} on ${problem.name}`);
    }
  }
  return rows;
}

/** The suite as a table per problem: plain text lines. */
export function convergenceTable(rows: ConvergenceRow[]): string[] {
  const lines: string[] = [];
  for (const problem of [...new Set(rows.map((r) => r.problem))]) {
    lines.push(`   ${problem}`);
    for (const r of rows.filter((x) => x.problem === problem)) {
      const reached = r.stepsToTarget === null ? "not reached" : `${r.stepsToTarget} steps, ${(r.secondsToTarget! * 1000).toFixed(1)} ms${r.epochChecked ? " (to the epoch's end)" : ""}`;
      lines.push(`     ${r.optimizer.padEnd(20)} lr ${String(r.lr).padEnd(6)} ${reached.padEnd(24)} final ${r.finalLoss.toExponential(3)}${r.diverged ? "  DIVERGED" : ""}`);
    }
  }
  return lines;
}

/** The suite as an SVG chart: the loss against the step, one panel per problem (log y); solvers against their evaluations. */
export function convergenceChart(rows: ConvergenceRow[], machine: string, solverRows: SolverRow[] = []): string {
  const problemNames = [...new Set(rows.map((r) => r.problem))];
  return figure(
    problemNames.map((problem) =>
      lossCurves({
        title: problem,
        xLabel: "step",
        yLabel: "loss",
        width: 560,
        height: 380,
        legend: "below",
        series: [
          ...rows.filter((r) => r.problem === problem).map((r) => ({ label: `${r.optimizer} (${r.lr})`, x: r.curve.steps, values: r.curve.losses })),
          ...solverRows
            .filter((r) => r.problem === problem)
            .map((r) => ({ label: `solve ${r.method} (best loss by evaluation)`, x: r.gradstep.losses.map((_, k) => k + 1), values: runningMinimum(r.gradstep.losses) })),
        ],
      }),
    ),
    { columns: 2, title: `Convergence suite: loss against step, solvers against evaluation (${machine})` },
  );
}

/** The lowest loss so far at each evaluation (a solver's line search also evaluates worse points). */
function runningMinimum(values: number[]): number[] {
  let best = Infinity;
  return values.map((v) => (best = Math.min(best, v)));
}
