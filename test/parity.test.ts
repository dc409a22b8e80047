// The reference trajectories (test/fixtures/README.md) through the same code path as `npm run parity`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { optimizerRegistry } from "gradstep";
import { type ReferenceFile, runCase, runScheduleCase } from "../scripts/reference-cases.js";

function load(file: string): ReferenceFile {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as ReferenceFile;
}

// Each fixture covers every preset of its family, as the registry spells them; PyTorch's are split
// between torch-optim.json (first-order rules) and torch-quasi-newton.json (LBFGS, ASGD).
const torchPresets = optimizerRegistry.flatMap((e) => e.presets.pytorch);
const inQuasiNewton = new Set(load("torch-quasi-newton.json").cases.map((c) => c.optimizer));
describe.each([
  ["lecture.json", optimizerRegistry.flatMap((e) => (e.presets.lecture === undefined ? [] : [e.presets.lecture]))],
  ["torch-optim.json", torchPresets.filter((name) => !inQuasiNewton.has(name))],
  ["paper.json", optimizerRegistry.flatMap((e) => (e.family === "paper" ? [e.name] : []))],
])("%s", (file, optimizers) => {
  const reference = load(file);

  it("covers every optimizer of its family", () => {
    expect(new Set(reference.cases.map((c) => c.optimizer))).toEqual(new Set(optimizers));
  });

  it.each(reference.cases.map((c) => [runCase(c, reference.generator).label, c] as const))("%s", (_label, c) => {
    const result = runCase(c, reference.generator);
    expect(result.unsupported).toBeUndefined();
    expect(result.perStepError).toBeLessThanOrEqual(1e-10);
    // The committed fixtures also agree over the whole free run.
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });
});

describe("torch-optim.json schedulers", () => {
  const reference = load("torch-optim.json");

  it("covers every scheduler of the file", () => {
    expect(reference.schedules?.map((s) => s.schedule)).toEqual([
      "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "PolynomialLR", "OneCycleLR", "CosineAnnealingWarmRestarts",
    ]);
  });

  it.each((reference.schedules ?? []).map((c) => [c.schedule, c] as const))("%s: the lr of every step", (_name, c) => {
    const result = runScheduleCase(c);
    expect(result.unsupported).toBeUndefined();
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });
});

// torch.optim.ASGD: the trajectory and PyTorch's averaged iterate `ax` after every step (runCase
// compares `averagedParams()` with the case's `averages`).
describe("torch-quasi-newton.json ASGD", () => {
  const reference = load("torch-quasi-newton.json");
  const cases = reference.cases.filter((c) => c.optimizer === "ASGD");

  it("holds the ASGD cases (torch-optim.json has none)", () => {
    expect(torchPresets).toContain("ASGD");
    expect(inQuasiNewton.has("ASGD")).toBe(true);
  });

  it("has ASGD cases with averages, on both problems", () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
    expect(new Set(cases.map((c) => c.problem))).toEqual(new Set(["gradient-sequence", "diagonal-quadratic"]));
    for (const c of cases) expect(c.averages?.length).toBe(c.trajectory.length);
  });

  it.each(cases.map((c) => [runCase(c, reference.generator).label, c] as const))("%s", (_label, c) => {
    const result = runCase(c, reference.generator);
    expect(result.unsupported).toBeUndefined();
    expect(result.perStepError).toBeLessThanOrEqual(1e-10);
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });

  it("fails a case whose averages are off (they are compared, not ignored)", () => {
    const c = cases[0];
    const off = { ...c, averages: c.averages!.map((row, t) => (t === c.averages!.length - 1 ? row.map((x) => x * (1 + 1e-6)) : row)) };
    expect(runCase(off, reference.generator).perStepError).toBeGreaterThan(1e-7);
  });
});

// torch.optim.LBFGS, closure-based: one case step is one `step(params, objective)`; runCase compares
// the parameters and the returned loss after every step, and PyTorch's cumulative evaluation and
// iteration counts must be equal. gradstep reproduces PyTorch's arithmetic here (fused multiply-adds,
// its summation order), so the quadratic and Rosenbrock cases agree to the bit, over the free run too.
// Logistic regression is evaluated by gradstep's own penalized(empiricalRisk(…)), whose mean over the
// rows and matrix product add in another order than PyTorch's: those cases agree to rounding (measured
// ≤ 4e-14 relative), within the same tolerance, with equal counts.
describe("torch-quasi-newton.json LBFGS", () => {
  const reference = load("torch-quasi-newton.json");
  const cases = reference.cases.filter((c) => c.optimizer === "LBFGS");

  it("has LBFGS cases on the three problems, with and without the strong-Wolfe line search, counts per step", () => {
    expect(cases.length).toBeGreaterThanOrEqual(12);
    expect(new Set(cases.map((c) => c.problem))).toEqual(new Set(["diagonal-quadratic", "rosenbrock", "logistic-regression-l2"]));
    const logistic = cases.filter((c) => c.problem === "logistic-regression-l2");
    expect(new Set(logistic.map((c) => c.options.line_search_fn ?? "none"))).toEqual(new Set(["none", "strong_wolfe"]));
    for (const c of logistic) {
      expect(c.X?.length).toBe(c.y?.length);
      expect(c.params0.length).toBe(c.X![0].length + 1);
      expect(c.lambda).toBeGreaterThan(0);
    }
    expect(new Set(cases.map((c) => c.options.line_search_fn ?? "none"))).toEqual(new Set(["none", "strong_wolfe"]));
    for (const c of cases) {
      for (const field of [c.losses, c.evals, c.iters]) expect(field?.length).toBe(c.trajectory.length);
    }
  });

  it.each(cases.map((c) => [runCase(c, reference.generator).label, c] as const))("%s", (_label, c) => {
    const result = runCase(c, reference.generator);
    expect(result.unsupported).toBeUndefined();
    expect(result.countMismatch).toBeUndefined();
    expect(result.perStepError).toBeLessThanOrEqual(1e-10);
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });

  it("fails a case whose counts or losses are off (they are compared, not ignored)", () => {
    const c = cases.find((x) => x.options.line_search_fn === "strong_wolfe")!;
    const last = c.trajectory.length - 1;
    const evals = runCase({ ...c, evals: c.evals!.map((e, t) => (t === last ? e + 1 : e)) }, reference.generator);
    expect(evals.countMismatch).toContain(`step ${last + 1}`);
    const iters = runCase({ ...c, iters: c.iters!.map((e, t) => (t === 0 ? e - 1 : e)) }, reference.generator);
    expect(iters.countMismatch).toContain("step 1");
    const losses = runCase({ ...c, losses: c.losses!.map((l, t) => (t === last ? l * (1 + 1e-6) + 1e-300 : l)) }, reference.generator);
    expect(losses.perStepError).toBeGreaterThan(1e-7);
  });
});
