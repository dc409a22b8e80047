// Tunes, once, the learning rate of each optimizer on each problem of the convergence suite: the
// rate of the grid with the lowest final loss within the budget. Its output is pasted into
// bench/convergence-rates.ts; rerun it (npx tsx bench/tune-convergence.ts) when the problems change,
// or for new optimizers only: npx tsx bench/tune-convergence.ts Lion LAMB (their labels); PROBLEM=<regex>
// tunes the problems whose name matches only.
import { minimize } from "gradstep/learn";
import { LR_GRID, optimizers, problems } from "./convergence-problems.js";

const only = process.argv.slice(2);
const unknown = only.filter((name) => !optimizers.some(([label]) => label === name));
if (unknown.length > 0) throw new Error(`not in the suite: ${unknown.join(", ")} (labels: ${optimizers.map(([label]) => label).join(", ")})`);
const chosen = only.length === 0 ? optimizers : optimizers.filter(([label]) => only.includes(label));
const table: Record<string, Record<string, number>> = {};
const problemFilter = new RegExp(process.env.PROBLEM ?? ".");
for (const problem of problems(false).filter((p) => problemFilter.test(p.name))) {
  table[problem.name] = {};
  for (const [name, make] of chosen) {
    let best = { lr: NaN, loss: Infinity };
    for (const lr of LR_GRID) {
      const result = minimize({ objective: problem.objective, optimizer: make(lr), params: Float64Array.from(problem.start), steps: problem.steps, sampler: problem.sampler?.() });
      if (result.reason !== "nonFinite" && result.loss < best.loss) best = { lr, loss: result.loss };
    }
    table[problem.name][name] = best.lr;
    process.stderr.write(`${problem.name} / ${name}: lr ${best.lr} (loss ${best.loss.toExponential(3)})\n`);
  }
}
console.log(JSON.stringify(table, null, 2));
