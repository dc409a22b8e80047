import { describe, expect, it } from "vitest";
import { MoreThuenteSearch, MoreThuenteTask, moreThuenteTaskText } from "../../src/search/more-thuente.js";
import { fromHex, linePhi, scipySolvers } from "./scipy-fixture.js";

describe("MoreThuenteSearch (MINPACK-2 dcsrch) against scipy 1.10's Fortran", () => {
  const cases = scipySolvers.lineSearches;
  it("has the fixture's cases (every outcome kind)", () => {
    expect(cases.length).toBeGreaterThan(70);
    const tasks = new Set(cases.map((c) => c.task));
    for (const t of ["CONVERGENCE", "WARNING: XTOL TEST SATISFIED", "WARNING: STP = STPMAX", "WARNING: STP = STPMIN", "ERROR: STP .GT. STPMAX", "ERROR: FTOL .LT. ZERO"]) expect(tasks).toContain(t);
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i asks for the same steps, bit for bit, and ends the same", (_, c) => {
    const f = linePhi(c.function, c.parameters);
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
