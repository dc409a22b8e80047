// Solvers on the convergence suite (bench §2b): gradstep's `solve` methods beside scipy's (Debian's
// python3-scipy, run by bench/baselines/scipy_solvers.py on the very same objectives and data):
// evaluations of the full objective until the loss first reaches the problem's target, and in all
// until the solver stops at its default tolerances (gradient ∞-norm ≤ 1e-5).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Objective, type SolveMethod, solve } from "gradstep/learn";
import { problems } from "./convergence-problems.js";

const PYTHON = "/usr/bin/python3";
const GRADIENT_TOLERANCE = 1e-5;
const METHODS: [SolveMethod, string][] = [
  ["lbfgs", "L-BFGS-B"],
  ["bfgs", "BFGS"],
  ["cg", "CG"],
  ["lbfgsb", "L-BFGS-B"],
];

export interface SolverRun {
  evaluationsToTarget: number | null;
  evaluations: number;
  iterations: number;
  loss: number;
  /** The loss at each evaluation, for the chart. */
  losses: number[];
}

export interface SolverRow {
  problem: string;
  method: SolveMethod;
  gradstep: SolverRun & { stopReason: string; ms: number };
  /** scipy's run of the matching method (`scipyMethod`), when python3-scipy is there. */
  scipy?: SolverRun & { message: string };
  scipyMethod: string;
}

/** The objective, counting evaluations and keeping each loss. */
function counted(objective: Objective, losses: number[]): Objective {
  return {
    dimension: objective.dimension,
    evaluate(theta, grad) {
      const value = objective.evaluate(theta, grad);
      losses.push(value);
      return value;
    },
  };
}

function firstBelow(losses: number[], target: number): number | null {
  const k = losses.findIndex((v) => v <= target);
  return k < 0 ? null : k + 1;
}

/** scipy's runs, keyed by problem and scipy's method name; undefined (with a note) where python3-scipy is missing or fails. */
function runScipy(quick: boolean): { result?: Record<string, Record<string, SolverRun & { message: string }>>; version?: string; note: string } {
  if (spawnSync(PYTHON, ["-c", "import scipy, numpy"], { stdio: "ignore" }).status !== 0) return { note: "scipy not found (apt-get install python3-scipy)" };
  const directory = mkdtempSync(join(tmpdir(), "gradstep-scipy-"));
  try {
    const spec = problems(quick).map((p) => {
      const data = p.scipy.data;
      if (data !== undefined) {
        writeFileSync(join(directory, `${p.name}.X.f64`), new Uint8Array(Float64Array.from(data.X.data as ArrayLike<number>).buffer));
        writeFileSync(join(directory, `${p.name}.y.f64`), new Uint8Array(Float64Array.from(data.y.data as ArrayLike<number>).buffer));
      }
      return { name: p.name, kind: p.scipy.kind, condition: p.scipy.condition, start: p.start, target: p.target, rows: data?.size, cols: data?.features };
    });
    writeFileSync(join(directory, "spec.json"), JSON.stringify({ problems: spec, gradientTolerance: GRADIENT_TOLERANCE }));
    const script = fileURLToPath(new URL("./baselines/scipy_solvers.py", import.meta.url));
    const run = spawnSync(PYTHON, [script, directory], { encoding: "utf8", maxBuffer: 1 << 26 });
    if (run.status !== 0) return { note: `scipy baseline failed: ${run.stderr.slice(-500)}` };
    const out = JSON.parse(run.stdout) as { scipy: string; problems: Record<string, Record<string, SolverRun & { message: string }>> };
    return { result: out.problems, version: out.scipy, note: "" };
  } finally {
    rmSync(directory, { recursive: true, force: true });
  }
}

/** Every solver on every problem of the suite, beside scipy's. */
export function solvers(quick: boolean, tick: (label: string) => void): { rows: SolverRow[]; scipyVersion?: string; note: string } {
  const scipy = runScipy(quick);
  const rows: SolverRow[] = [];
  for (const problem of problems(quick)) {
    for (const [method, scipyMethod] of METHODS) {
      const losses: number[] = [];
      const start = performance.now();
      const result = solve({ objective: counted(problem.objective, losses), params: Float64Array.from(problem.start), method, gradientTolerance: GRADIENT_TOLERANCE });
      const ms = performance.now() - start;
      const theirs = scipy.result?.[problem.name]?.[scipyMethod];
      rows.push({
        problem: problem.name,
        method,
        gradstep: { evaluationsToTarget: firstBelow(losses, problem.target), evaluations: result.evaluations, iterations: result.iterations, loss: result.value, losses, stopReason: result.stopReason, ms },
        scipy: theirs,
        scipyMethod,
      });
      tick(`${method} on ${problem.name}`);
    }
  }
  return { rows, scipyVersion: scipy.version, note: scipy.note };
}

const count = (k: number | null | undefined) => (k === null || k === undefined ? "—" : String(k));
const ratio = (a: number | null | undefined, b: number | null | undefined) => (a == null || b == null ? "—" : (a / b).toFixed(2));

/** The rows as a markdown table (also printed as is). */
export function solverTable(rows: SolverRow[]): string[] {
  const lines = [
    "| problem | solver | evaluations to target | scipy's | ratio | evaluations in all | scipy's | iterations | stop | final loss | scipy's |",
    "|---|---|---|---|---|---|---|---|---|---|---|",
  ];
  for (const r of rows) {
    const g = r.gradstep;
    const s = r.scipy;
    lines.push(
      `| ${r.problem} | ${r.method} (scipy ${r.scipyMethod}) | ${count(g.evaluationsToTarget)} | ${count(s?.evaluationsToTarget)} | ${ratio(g.evaluationsToTarget, s?.evaluationsToTarget)} | ${g.evaluations} | ${count(s?.evaluations)} | ${g.iterations} | ${g.stopReason} | ${g.loss.toExponential(3)} | ${s === undefined ? "—" : s.loss.toExponential(3)} |`,
    );
  }
  return lines;
}
