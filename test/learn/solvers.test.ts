// BFGS and CG against scipy 1.10 (test/fixtures/scipy-solvers.json, made by gen_scipy_solvers.py):
// the same iterations, f and ∇f evaluations, and iterates; then resuming, snapshots, non-finite
// values, and solve()'s options.
import { describe, expect, it } from "vitest";
import { anisotropicValley, beale, BFGS, ConjugateGradient, illConditionedQuadratic, type Objective, rosenbrock, solve } from "../../src/learn.js";
import { InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "../../src/errors.js";
import { scipySolvers, type SolverCase } from "./scipy-fixture.js";

/** The fixture's objective, evaluated operation for operation as the generator's Python does. */
function objectiveOf(c: SolverCase): Objective {
  switch (c.problem) {
    case "rosenbrock":
      return rosenbrock();
    case "beale":
      return beale();
    case "anisotropicValley":
      return anisotropicValley();
    case "illConditionedQuadratic": {
      // numpy's λᵢ = κ^(i/(n−1)) (math.pow): V8's Math.pow differs from glibc's in the last bit for
      // some i, so the λ are taken from the fixture (the library's own is tested below).
      const lambda = c.parameters.lambda!;
      return { dimension: lambda.length, evaluate: (t, g) => diagonalQuadratic(lambda, t, g) };
    }
    case "quadratic":
      return quadratic(c.parameters.A!, c.parameters.b!);
  }
}

function diagonalQuadratic(lambda: readonly number[], t: Float64Array, g: Float64Array | null): number {
  let f = 0;
  for (let i = 0; i < lambda.length; i++) {
    f += 0.5 * lambda[i] * t[i] * t[i];
    if (g) g[i] = lambda[i] * t[i];
  }
  return f;
}

// f(x) = ½·x·(Ax) − b·x, sums left to right as the generator's.
function quadratic(A: number[][], b: number[]): Objective {
  const n = b.length;
  const ax = new Float64Array(n);
  return {
    dimension: n,
    evaluate(t, g) {
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += A[i][j] * t[j];
        ax[i] = s;
      }
      let f = 0;
      for (let i = 0; i < n; i++) {
        f += 0.5 * t[i] * ax[i] - b[i] * t[i];
        if (g) g[i] = ax[i] - b[i];
      }
      return f;
    },
  };
}

const make = (method: "BFGS" | "CG") => (method === "BFGS" ? new BFGS() : new ConjugateGradient());

function relativeError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let err = 0;
  for (let i = 0; i < expected.length; i++) err = Math.max(err, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  return err;
}

describe("BFGS and CG against scipy 1.10's minimize", () => {
  const cases = scipySolvers.solvers;
  it("has BFGS and CG on every problem, the Nocedal–Wright fallback among them", () => {
    expect(scipySolvers.scipy).toBe("1.10.1");
    expect(cases.length).toBeGreaterThanOrEqual(58);
    // CG has no matrix product: from every converging start its iterates are scipy's to the bit
    for (const c of cases.filter((k) => k.method === "CG" && k.status === 0 && k.problem !== "anisotropicValley")) {
      const x = Float64Array.from(c.x0);
      new ConjugateGradient().run(x, objectiveOf(c));
      expect(Array.from(x)).toEqual(c.x);
    }
    expect(cases.filter((c) => c.status === 0).length).toBeGreaterThanOrEqual(55);
    // CG on Rosenbrock asks for f at points where it does not ask for ∇f: the fallback search ran
    expect(cases.some((c) => c.nfev !== c.njev)).toBe(true);
  });

  const converged = cases.filter((c) => c.status === 0);
  it.each(converged.map((c) => [`${c.method} ${c.problem} from [${c.x0.map((v) => +v.toFixed(3)).join(", ")}]`, c] as const))("%s: same nit, nfev, njev; x within 1e-10", (_, c) => {
    const solver = make(c.method);
    const x = Float64Array.from(c.x0);
    const path: Float64Array[] = [];
    const reason = solver.run(x, objectiveOf(c), (xk) => path.push(Float64Array.from(xk)));
    expect(reason).toBe("gradientTolerance");
    expect(solver.iterations).toBe(c.nit);
    expect(solver.functionEvaluations).toBe(c.nfev);
    expect(solver.gradientEvaluations).toBe(c.njev);
    // each point the search visits is evaluated once, f and ∇f together
    expect(solver.evaluations).toBe(Math.max(c.nfev, c.njev));
    expect(relativeError(x, c.x)).toBeLessThanOrEqual(1e-10);
    expect(Math.abs(solver.value - c.fun)).toBeLessThanOrEqual(1e-10 * Math.max(1, Math.abs(c.fun)));
    expect(solver.gradientNorm).toBeLessThanOrEqual(1e-5);
    expect(path.length).toBe(c.path.length);
    for (let k = 0; k < path.length; k++) expect(relativeError(path[k], c.path[k])).toBeLessThanOrEqual(1e-8);
  });

  // scipy's BFGS from some random starts on Beale drifts along the valley toward x → −∞ (y → 1)
  // until maxiter (400): there rounding differences (numpy's BLAS fuses multiply-adds) grow
  // over hundreds of iterations, and only the outcome is compared.
  it.each(cases.filter((c) => c.status !== 0).map((c) => [`${c.method} ${c.problem} from [${c.x0.map((v) => +v.toFixed(3)).join(", ")}]`, c] as const))("%s: stops as scipy does", (_, c) => {
    const solver = make(c.method);
    const x = Float64Array.from(c.x0);
    const reason = solver.run(x, objectiveOf(c));
    expect(reason).toBe(c.status === 1 ? "maxIterations" : "lineSearch");
    expect(solver.iterations).toBe(c.nit);
    // f creeps toward its asymptote along the valley: the same to 1e-4 after 400 iterations
    expect(Math.abs(solver.value - c.fun)).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(c.fun)));
  });

  it("BFGS on the library's illConditionedQuadratic(1e4, 10) keeps scipy's counts (its λ differ from numpy's in the last bit)", () => {
    const c = cases.find((k) => k.method === "BFGS" && k.problem === "illConditionedQuadratic")!;
    const solver = new BFGS();
    const x = Float64Array.from(c.x0);
    solver.run(x, illConditionedQuadratic(1e4, 10));
    expect([solver.iterations, solver.functionEvaluations, solver.gradientEvaluations]).toEqual([c.nit, c.nfev, c.njev]);
    expect(relativeError(x, c.x)).toBeLessThanOrEqual(1e-10);
  });
});

describe("stopping, resuming and snapshots", () => {
  it("Rosenbrock from (−1.2, 1) to max|gᵢ| ≤ 1e-6: BFGS in ≤ 50 evaluations, L-BFGS in ≤ 60", () => {
    const bfgs = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "bfgs", gradientTolerance: 1e-6 });
    expect(bfgs.stopReason).toBe("gradientTolerance");
    expect(bfgs.gradientNorm).toBeLessThanOrEqual(1e-6);
    expect(bfgs.evaluations).toBeLessThanOrEqual(50);
    expect(relativeError(bfgs.params, [1, 1])).toBeLessThan(1e-5);
    // relativeChange 0: its default (scipy's factr·ε, 2.2e-9) stops L-BFGS first, as scipy's L-BFGS-B (44 evaluations)
    const defaults = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "lbfgs", gradientTolerance: 1e-6 });
    expect([defaults.stopReason, defaults.evaluations]).toEqual(["relativeChange", 44]);
    const lbfgs = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "lbfgs", gradientTolerance: 1e-6, relativeChange: 0 });
    expect(lbfgs.stopReason).toBe("gradientTolerance");
    expect(lbfgs.gradientNorm).toBeLessThanOrEqual(1e-6);
    expect(lbfgs.evaluations).toBeLessThanOrEqual(60);
    expect(lbfgs.evaluations).toBe(45); // scipy 1.10's L-BFGS-B, gtol 1e-6, ftol 0: nfev 45
    expect(relativeError(lbfgs.params, [1, 1])).toBeLessThan(1e-5);
  });

  it.each(["BFGS", "CG"] as const)("%s: runs of k iterations each, one after another, are bit for bit one run; so is a snapshot restored into a new solver", (method) => {
    const objective = rosenbrock();
    const capped = (k: number) => (method === "BFGS" ? new BFGS({ maxIterations: k }) : new ConjugateGradient({ maxIterations: k }));
    const whole = make(method);
    const xWhole = Float64Array.of(-1.2, 1);
    expect(whole.run(xWhole, objective)).toBe("gradientTolerance");
    const counts = (s: BFGS | ConjugateGradient) => [s.iterations, s.evaluations, s.functionEvaluations, s.gradientEvaluations, s.value, s.gradientNorm];
    for (const k of [1, 5, 17]) {
      const first = capped(k);
      const x = Float64Array.of(-1.2, 1);
      expect(first.run(x, objective)).toBe("maxIterations");
      expect(first.iterations).toBe(k);
      const saved = JSON.parse(JSON.stringify(first.snapshot()));
      const xSaved = Float64Array.from(x);
      let reason = first.run(x, objective);
      while (reason === "maxIterations") reason = first.run(x, objective);
      expect(reason).toBe("gradientTolerance");
      expect(Array.from(x)).toEqual(Array.from(xWhole));
      expect(counts(first)).toEqual(counts(whole));
      // a new solver from the snapshot (it adopts the snapshot's limits), continued from the iterate the snapshot was taken at
      const restored = make(method);
      restored.restore(saved);
      reason = restored.run(xSaved, objective);
      while (reason === "maxIterations") reason = restored.run(xSaved, objective);
      expect(Array.from(xSaved)).toEqual(Array.from(xWhole));
      expect(counts(restored)).toEqual(counts(whole));
    }
  });

  it.each(["BFGS", "CG"] as const)("%s: an objective that throws ends the run with params at the last accepted iterate; the next run goes on as if nothing happened", (method) => {
    const base = rosenbrock();
    const whole = make(method);
    const xWhole = Float64Array.of(-1.2, 1);
    whole.run(xWhole, base);
    for (const failAt of [3, 10, 25]) {
      let calls = 0;
      const flaky: Objective = {
        dimension: 2,
        evaluate(t, g) {
          if (++calls === failAt) throw new Error("flaky objective");
          return base.evaluate(t, g);
        },
      };
      const solver = make(method);
      const x = Float64Array.of(-1.2, 1);
      let last: Float64Array = Float64Array.of(-1.2, 1);
      expect(() => solver.run(x, flaky, (xk) => (last = Float64Array.from(xk)))).toThrow("flaky objective");
      expect(Array.from(x)).toEqual(Array.from(last));
      expect(solver.run(x, flaky)).toBe("gradientTolerance");
      expect(Array.from(x)).toEqual(Array.from(xWhole));
      expect(solver.iterations).toBe(whole.iterations);
    }
  });

  it("a resumed run refuses params that are not the last iterate, and a restore of a bad snapshot changes nothing", () => {
    const solver = new BFGS({ maxIterations: 3 });
    const x = Float64Array.of(-1.2, 1);
    solver.run(x, rosenbrock());
    expect(() => solver.run(Float64Array.of(0, 0), rosenbrock())).toThrow(InvalidOptionError);
    const good = solver.snapshot();
    expect(() => solver.restore({ ...good, kind: "ConjugateGradient" })).toThrow(InvalidSnapshotError);
    expect(() => solver.restore({ ...good, state: "AAAA" })).toThrow(InvalidSnapshotError);
    expect(() => solver.restore({ ...good, options: { maxIterations: -1 } })).toThrow(InvalidSnapshotError);
    expect(() => solver.restore({ ...good, options: { tol: 1 } })).toThrow(InvalidSnapshotError);
    expect(() => solver.restore({ ...good, extra: 1 })).toThrow(InvalidSnapshotError);
    expect(solver.snapshot()).toEqual(good);
    solver.reset();
    const y = Float64Array.of(-1.5, 2);
    solver.run(y, rosenbrock());
    expect(solver.iterations).toBe(3);
  });

  it.each(["bfgs", "cg"] as const)("%s: a NaN value stops with nonFinite at the last accepted iterate", (method) => {
    // Rosenbrock, but NaN once x < −1.25 or beyond 1.05: the first steps from (−1.2, 1) are fine
    const base = rosenbrock();
    let accepted: Float64Array | undefined;
    const objective: Objective = {
      dimension: 2,
      evaluate(t, g) {
        const f = base.evaluate(t, g);
        return t[0] > 0.5 ? NaN : f;
      },
    };
    const solver = method === "bfgs" ? new BFGS() : new ConjugateGradient();
    const x = Float64Array.of(-1.2, 1);
    const reason = solver.run(x, objective, (xk) => (accepted = Float64Array.from(xk)));
    expect(reason).toBe("nonFinite");
    expect(accepted).toBeDefined();
    expect(Array.from(x)).toEqual(Array.from(accepted!));
    expect(x[0]).toBeLessThanOrEqual(0.5);
    expect(Number.isFinite(solver.value)).toBe(true);
  });
});

describe("the solver classes' options and arguments", () => {
  it("refuse unknown or bad limits, and params that do not fit the objective, changing nothing", () => {
    expect(() => new BFGS({ tol: 1 } as never)).toThrow(InvalidOptionError);
    expect(() => new ConjugateGradient({ maxIterations: 0 })).toThrow(/maxIterations/);
    expect(() => new BFGS({ gradientTolerance: Infinity })).toThrow(/gradientTolerance/);
    const solver = new BFGS();
    expect(() => solver.run(Float64Array.of(1, 2, 3), rosenbrock())).toThrow(ShapeMismatchError);
    expect(() => solver.run([1, 2] as never, rosenbrock())).toThrow(ShapeMismatchError);
    expect(() => solver.run(Float64Array.of(1, 2), {} as never)).toThrow(InvalidOptionError);
    expect(solver.snapshot().state).toBeNull();
    expect(solver.iterations).toBe(0);
  });

  it("an exactly stationary start stops at once with gradientTolerance after one evaluation", () => {
    const solver = new ConjugateGradient();
    const x = Float64Array.of(1, 1);
    expect(solver.run(x, rosenbrock())).toBe("gradientTolerance");
    expect([solver.iterations, solver.evaluations, solver.value]).toEqual([0, 1, 0]);
  });
});

describe("solve", () => {
  it("copies the start, returns a new array, and runs the method asked for", () => {
    const start = [-1.2, 1];
    const bfgs = solve({ objective: rosenbrock(), params: start, method: "bfgs" });
    expect(start).toEqual([-1.2, 1]);
    const startArray = Float64Array.of(-1.2, 1);
    const cg = solve({ objective: rosenbrock(), params: startArray, method: "cg", record: { path: true } });
    expect(Array.from(startArray)).toEqual([-1.2, 1]);
    expect(cg.params).not.toBe(startArray);
    const c = scipySolvers.solvers.find((k) => k.method === "BFGS" && k.problem === "rosenbrock")!;
    expect([bfgs.iterations, bfgs.evaluations]).toEqual([c.nit, c.nfev]);
    expect(cg.path!.length).toBe(cg.iterations + 1);
    expect(Array.from(cg.path![0])).toEqual([-1.2, 1]);
    expect(Array.from(cg.path![cg.path!.length - 1])).toEqual(Array.from(cg.params));
  });

  it("refuses unknown keys, misplaced bounds, and misplaced or bad options, naming them", () => {
    const objective = rosenbrock();
    const params = [-1.2, 1];
    const fails = (options: Record<string, unknown>, argument: string) => {
      let error: unknown;
      try {
        solve(options as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).argument).toBe(argument);
      return (error as InvalidOptionError).message;
    };
    fails({ objective, params, tol: 1e-6 }, "tol");
    expect(fails({ objective, params, method: "bfgs", lower: [0, 0] }, "lower")).toMatch(/lbfgsb/);
    expect(fails({ objective, params, upper: [2, 2] }, "upper")).toMatch(/lbfgsb/);
    fails({ objective, params, method: "lbfgsb", lower: [0, 2], upper: [1, 1] }, "lower[1]");
    fails({ objective, params, method: "newton" }, "method");
    fails({ objective, params, method: "cg", historySize: 5 }, "historySize");
    fails({ objective, params, historySize: 0 }, "historySize");
    fails({ objective, params, gradientTolerance: -1 }, "gradientTolerance");
    fails({ objective, params, maxIterations: 1.5 }, "maxIterations");
    fails({ objective, params, maxEvaluations: 0 }, "maxEvaluations");
    fails({ objective, params, relativeChange: NaN }, "relativeChange");
    fails({ objective, params, record: { every: 2 } }, "record.every");
    fails({ objective, params: [NaN, 1] }, "params[0]");
    expect(() => solve({ objective, params: [1, 2, 3] })).toThrow(/params/);
  });

  it("lbfgsb: bounds, the projected start, a path that stays in the box", () => {
    // Rosenbrock with x ≤ 0.5: the minimiser is on the bound, (0.5, 0.25)
    const r = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "lbfgsb", upper: [0.5, Infinity], gradientTolerance: 1e-8, relativeChange: 0, record: { path: true } });
    expect(r.stopReason).toBe("gradientTolerance");
    expect(relativeError(r.params, [0.5, 0.25])).toBeLessThan(1e-7);
    for (const x of r.path!.slice(1)) expect(x[0]).toBeLessThanOrEqual(0.5);
    expect(Array.from(r.path!.at(-1)!)).toEqual(Array.from(r.params));
    // a start outside the box is projected first; one number bounds every coordinate
    const boxed = solve({ objective: rosenbrock(), params: [3, -3], method: "lbfgsb", lower: -2, upper: 2 });
    expect(boxed.stopReason === "gradientTolerance" || boxed.stopReason === "relativeChange").toBe(true);
    expect(relativeError(boxed.params, [1, 1])).toBeLessThan(1e-3);
    // lbfgs is lbfgsb without bounds: the same run
    const a = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "lbfgs", record: { path: true } });
    const b = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "lbfgsb" });
    expect([a.evaluations, a.iterations, Array.from(a.params)]).toEqual([b.evaluations, b.iterations, Array.from(b.params)]);
    expect(a.path!.length).toBe(a.iterations + 1);
  });

  it("maxIterations and maxEvaluations stop each method with their reasons", () => {
    for (const method of ["bfgs", "cg", "lbfgs", "lbfgsb"] as const) {
      expect(solve({ objective: rosenbrock(), params: [-1.2, 1], method, maxIterations: 3 }).stopReason).toBe("maxIterations");
      const r = solve({ objective: rosenbrock(), params: [-1.2, 1], method, maxEvaluations: 5 });
      expect(r.stopReason).toBe("maxEvaluations");
    }
  });

  it("lbfgs stops on a NaN value with nonFinite, params finite", () => {
    const base = rosenbrock();
    const objective: Objective = { dimension: 2, evaluate: (t, g) => (t[0] > 0.5 ? NaN : base.evaluate(t, g)) };
    const r = solve({ objective, params: [-1.2, 1], method: "lbfgs" });
    expect(r.stopReason).toBe("nonFinite");
    expect(r.params[0]).toBeLessThanOrEqual(0.5);
    expect(Number.isFinite(r.value)).toBe(true);
  });

  it("relativeChange stops BFGS once f barely moves", () => {
    const r = solve({ objective: rosenbrock(), params: [-1.2, 1], method: "bfgs", gradientTolerance: 0, relativeChange: 1e-3 });
    expect(r.stopReason).toBe("relativeChange");
  });
});
