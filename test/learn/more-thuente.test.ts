import { describe, expect, it } from "vitest";
import { MoreThuenteSearch, MoreThuenteTask, moreThuenteTaskText } from "../../src/search/more-thuente.js";
import { fromHex, type LineSearchCase, scipySolvers } from "./scipy-fixture.js";

// The 1-D functions of the fixture, operation for operation as gen_scipy_solvers.py writes them
// (+ − × ÷ and √ only: correctly rounded, so both sides compute the same bits).
function phi(c: LineSearchCase): (a: number) => [number, number] {
  const p = c.parameters;
  switch (c.function) {
    case "mt1":
      return (a) => [-a / (a * a + p.beta), (a * a - p.beta) / ((a * a + p.beta) * (a * a + p.beta))];
    case "mt2":
      return (a) => {
        const t = a + p.beta;
        const t2 = t * t;
        const t3 = t2 * t;
        const t4 = t3 * t;
        const t5 = t4 * t;
        return [t5 - 2 * t4, 5 * t4 - 8 * t3];
      };
    case "yanai": {
      const g1 = Math.sqrt(1 + p.beta1 * p.beta1) - p.beta1;
      const g2 = Math.sqrt(1 + p.beta2 * p.beta2) - p.beta2;
      return (a) => {
        const u = Math.sqrt((1 - a) * (1 - a) + p.beta2 * p.beta2);
        const v = Math.sqrt(a * a + p.beta1 * p.beta1);
        return [g1 * u + g2 * v, (g1 * (a - 1)) / u + (g2 * a) / v];
      };
    }
    case "quadratic":
      return (a) => [(a - 3) * (a - 3), 2 * (a - 3)];
    case "quartic":
      return (a) => [(a * a - 4) * (a * a - 4) - a, 4 * a * (a * a - 4) - 1];
  }
}

describe("MoreThuenteSearch (MINPACK-2 dcsrch) against scipy 1.10's Fortran", () => {
  const cases = scipySolvers.lineSearches;
  it("has the fixture's cases (every outcome kind)", () => {
    expect(cases.length).toBeGreaterThan(70);
    const tasks = new Set(cases.map((c) => c.task));
    for (const t of ["CONVERGENCE", "WARNING: XTOL TEST SATISFIED", "WARNING: STP = STPMAX", "WARNING: STP = STPMIN", "ERROR: STP .GT. STPMAX", "ERROR: FTOL .LT. ZERO"]) expect(tasks).toContain(t);
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i asks for the same steps, bit for bit, and ends the same", (_, c) => {
    const f = phi(c);
    const search = new MoreThuenteSearch();
    const [f0, g0] = f(0);
    let task: number = search.start(c.stp, f0, g0, c.ftol, c.gtol, c.xtol, c.stpmin, c.stpmax);
    const steps: number[] = [];
    while (task === MoreThuenteTask.FG && steps.length < 100) {
      steps.push(search.step);
      const [fa, ga] = f(search.step);
      task = search.next(fa, ga);
    }
    expect(steps).toEqual(c.steps.map(fromHex));
    expect(moreThuenteTaskText(task)).toBe(c.task);
    expect(search.step).toBe(fromHex(c.step));
  });

  it("refuses next() when no evaluation is pending, and an unknown task code", () => {
    const search = new MoreThuenteSearch();
    expect(() => search.next(0, 0)).toThrow(/task/);
    expect(() => moreThuenteTaskText(99)).toThrow(/task/);
  });
});
