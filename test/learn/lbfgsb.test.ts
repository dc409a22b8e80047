// L-BFGS-B against scipy 1.10's `minimize(method="L-BFGS-B")` (test/fixtures/scipy-lbfgsb.json, made
// by scripts/reference/gen_scipy_lbfgsb.py): the same iterations, evaluations and iterates; then the
// KKT conditions at the solutions, non-finite objectives, resuming, snapshots and bad input.
import { describe, expect, it } from "vitest";
import { InvalidOptionError, InvalidSnapshotError, ShapeMismatchError } from "gradstep";
import { beale, LBFGSB, type Objective, rosenbrock } from "gradstep/learn";
import { caseObjective, caseOptions, fixtureQuadratic, type ScipyLbfgsbCase, scipyLbfgsb } from "./lbfgsb-fixture.js";

const STOP_OF_MESSAGE: [string, string][] = [
  ["CONVERGENCE: NORM_OF_PROJECTED_GRADIENT", "gradientTolerance"],
  ["CONVERGENCE: REL_REDUCTION_OF_F", "relativeChange"],
  ["STOP: TOTAL NO. of ITERATIONS", "maxIterations"],
  ["STOP: TOTAL NO. of f AND g", "maxEvaluations"],
  ["ABNORMAL_TERMINATION_IN_LNSRCH", "lineSearch"],
];

// The one run that is not well-conditioned at its end: 117 iterations on κ = 10⁴ down to f ≈ 1.6e-8,
// stopped by the relative-change test, where the last-bit differences of the linear algebra (scipy's
// Debian build calls OpenBLAS's dpotrf/dtrtrs, not LINPACK's dpofa/dtrsl) grow to ~1e-6 in x ≈ 1e-5.
const ILL_CONDITIONED = "illConditionedQuadratic(1e4, 10) from ones";

/** max_i |a_i − b_i| / max(|b_i|, 1). */
function scaledError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 1));
  return worst;
}

/** ‖P(x − g) − x‖∞ on the box, computed here from its definition. */
function projectedGradient(x: Float64Array, g: Float64Array, lower: number[], upper: number[]): number {
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const moved = Math.min(Math.max(x[i] - g[i], lower[i]), upper[i]);
    worst = Math.max(worst, Math.abs(moved - x[i]));
  }
  return worst;
}

function runCase(c: ScipyLbfgsbCase) {
  const solver = new LBFGSB(caseOptions(c));
  const x = Float64Array.from(c.x0);
  const reason = solver.run(x, caseObjective(c));
  return { solver, x, reason };
}

describe("L-BFGS-B against scipy 1.10", () => {
  it("has the reference cases", () => {
    expect(scipyLbfgsb.scipy).toBe("1.10.1");
    expect(scipyLbfgsb.cases.length).toBeGreaterThanOrEqual(26);
  });

  for (const c of scipyLbfgsb.cases) {
    it(`${c.name}: nit ${c.nit}, nfev ${c.nfev}, the same stop and x`, () => {
      const { solver, x, reason } = runCase(c);
      expect(solver.iterations).toBe(c.nit);
      expect(solver.evaluations).toBe(c.nfev);
      expect(reason).toBe(STOP_OF_MESSAGE.find(([prefix]) => c.message.startsWith(prefix))![1]);
      if (c.name === ILL_CONDITIONED) {
        expect(scaledError(x, c.x)).toBeLessThan(1e-5);
        expect(Math.abs(solver.value - c.fun)).toBeLessThan(1e-9);
      } else {
        expect(scaledError(x, c.x)).toBeLessThan(1e-10);
        expect(Math.abs(solver.value - c.fun) / Math.max(Math.abs(c.fun), 1)).toBeLessThan(1e-10);
      }
      // Every x stays in the box.
      const { lower, upper } = caseOptions(c);
      for (let i = 0; i < x.length; i++) {
        expect(x[i]).toBeGreaterThanOrEqual(lower[i]);
        expect(x[i]).toBeLessThanOrEqual(upper[i]);
      }
    });

    it(`${c.name}: the iterate after each iteration (one-iteration runs resumed)`, () => {
      const solver = new LBFGSB({ ...caseOptions(c), maxIterations: 1 });
      const x = Float64Array.from(c.x0);
      const objective = caseObjective(c);
      // Mid-path the valleys amplify the last-bit differences more than at the solution (Rosenbrock
      // with m = 3: 1.6e-9 at one iterate, 7e-15 at the end).
      const tolerance = c.name === ILL_CONDITIONED ? 1e-5 : 1e-8;
      for (let k = 0; k < c.path.length; k++) {
        solver.run(x, objective);
        expect(solver.iterations).toBe(k + 1);
        expect(scaledError(x, c.path[k])).toBeLessThan(tolerance);
      }
      if (c.options.maxiter === undefined && c.options.maxfun === undefined) {
        // One more run: the stop test, or the failing line search, with no iteration.
        expect(solver.run(x, objective)).toBe(STOP_OF_MESSAGE.find(([prefix]) => c.message.startsWith(prefix))![1]);
        expect(solver.iterations).toBe(c.nit);
      }
      expect(solver.evaluations).toBe(c.nfev);
    });
  }

  it("meets the KKT conditions where it stopped on the projected gradient", () => {
    let checked = 0;
    for (const c of scipyLbfgsb.cases) {
      const { solver, x, reason } = runCase(c);
      if (reason !== "gradientTolerance") continue;
      const { lower, upper } = caseOptions(c);
      const g = new Float64Array(x.length);
      const f = caseObjective(c).evaluate(x, g);
      const tol = c.options.gtol ?? 1e-5;
      expect(projectedGradient(x, g, lower, upper)).toBeLessThanOrEqual(tol);
      expect(solver.gradientNorm).toBeLessThanOrEqual(tol);
      expect(solver.value).toBe(f);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(18);
  });
});

describe("L-BFGS-B", () => {
  it("reaches ‖∇f‖∞ ≤ 1e-6 on Rosenbrock from (−1.2, 1) in at most 60 evaluations", () => {
    const solver = new LBFGSB({ gradientTolerance: 1e-6, relativeChange: 0 });
    const x = Float64Array.of(-1.2, 1);
    expect(solver.run(x, rosenbrock())).toBe("gradientTolerance");
    const g = new Float64Array(2);
    rosenbrock().evaluate(x, g);
    expect(Math.max(Math.abs(g[0]), Math.abs(g[1]))).toBeLessThanOrEqual(1e-6);
    expect(solver.evaluations).toBe(45); // scipy: 45 (the fixture's "gtol 1e-6, ftol 0" case)
    expect(solver.evaluations).toBeLessThanOrEqual(60);
  });

  it("projects the start onto the box", () => {
    const solver = new LBFGSB({ lower: [0, -Infinity], upper: [Infinity, 0.5], maxIterations: 1 });
    const x = Float64Array.of(-3, 4);
    const seen: number[][] = [];
    const objective: Objective = {
      dimension: 2,
      evaluate(t, g) {
        seen.push(Array.from(t));
        return rosenbrock().evaluate(t, g);
      },
    };
    solver.run(x, objective);
    expect(seen[0]).toEqual([0, 0.5]);
  });

  it("runs resumed are bit for bit one longer run", () => {
    for (const c of scipyLbfgsb.cases.filter((k) => k.lower.some((v) => v !== null)).slice(0, 4)) {
      const whole = runCase(c);
      const split = new LBFGSB({ ...caseOptions(c), maxIterations: 3 });
      const x = Float64Array.from(c.x0);
      let reason = "maxIterations";
      while (reason === "maxIterations") reason = split.run(x, caseObjective(c));
      expect(reason).toBe(whole.reason);
      expect(Array.from(x)).toEqual(Array.from(whole.x));
      expect(split.value).toBe(whole.solver.value);
      expect(split.iterations).toBe(whole.solver.iterations);
      expect(split.evaluations).toBe(whole.solver.evaluations);
      // A further run stops at once, on the same test.
      expect(split.run(x, caseObjective(c))).toBe(whole.reason);
      expect(split.evaluations).toBe(whole.solver.evaluations);
    }
  });

  it("starts afresh when params no longer hold its iterate", () => {
    const solver = new LBFGSB({ maxIterations: 5 });
    const x = Float64Array.of(-1.2, 1);
    solver.run(x, rosenbrock());
    const fresh = new LBFGSB({ maxIterations: 5 });
    const y = Float64Array.of(2, 2);
    x.set(y);
    solver.run(x, rosenbrock());
    fresh.run(y, rosenbrock());
    expect(Array.from(x)).toEqual(Array.from(y));
    expect(solver.iterations).toBe(10);
  });

  it("a snapshot restored (through JSON) continues bit for bit", () => {
    const c = scipyLbfgsb.cases.find((k) => k.name.startsWith("illConditionedQuadratic(1e4, 10), mixed"))!;
    const first = new LBFGSB({ ...caseOptions(c), maxIterations: 6 });
    const x = Float64Array.from(c.x0);
    first.run(x, caseObjective(c));
    const json = JSON.parse(JSON.stringify(first.snapshot()));
    const second = new LBFGSB();
    second.restore(json);
    const y = x.slice();
    expect(first.run(x, caseObjective(c))).toBe(second.run(y, caseObjective(c)));
    expect(Array.from(y)).toEqual(Array.from(x));
    expect(second.value).toBe(first.value);
    expect(second.evaluations).toBe(first.evaluations);
    expect(second.snapshot()).toEqual(first.snapshot());
    // Before the first run: the options alone.
    const fresh = new LBFGSB({ upper: 0.5, historySize: 4 });
    const copy = new LBFGSB();
    copy.restore(JSON.parse(JSON.stringify(fresh.snapshot())));
    const a = Float64Array.of(-1.2, 1);
    const b = a.slice();
    fresh.run(a, rosenbrock());
    copy.run(b, rosenbrock());
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(copy.snapshot()).toEqual(fresh.snapshot());
  });

  it("refuses a corrupted snapshot whole and changes nothing", () => {
    const solver = new LBFGSB({ lower: -1, upper: 0.5, maxIterations: 4 });
    const x = Float64Array.of(-1.2, 1);
    solver.run(x, rosenbrock());
    const good = solver.snapshot();
    const target = new LBFGSB({ historySize: 3, maxIterations: 2 });
    const t = Float64Array.of(0.3, 0.3);
    target.run(t, beale());
    const before = JSON.stringify(target.snapshot());
    const nan = Buffer.from(new Float64Array(10).fill(NaN).buffer).toString("base64");
    const corruptions: [string, (s: ReturnType<LBFGSB["snapshot"]>) => void][] = [
      ["snapshot.kind", (s) => void (s.kind = "LBFGS")],
      ["snapshot.options.historySize", (s) => void (s.options.historySize = 0)],
      ["snapshot.buffers.ws", (s) => void (s.buffers.ws = s.buffers.ws.slice(0, 8))],
      ["snapshot.buffers.doubles[0]", (s) => void (s.buffers.doubles = nan)],
      ["snapshot.buffers.ring", (s) => void (s.buffers.ring = Buffer.from(Float64Array.of(10, 1, 0).buffer).toString("base64"))],
      ["snapshot.buffers.extra", (s) => void (s.buffers.extra = "")],
      ["snapshot.stepCount", (s) => void (s.stepCount = 99)],
      ["snapshot.buffers.lower[0]", (s) => void (s.buffers.lower = Buffer.from(Float64Array.of(1, -1).buffer).toString("base64"))],
    ];
    for (const [argument, corrupt] of corruptions) {
      const bad = JSON.parse(JSON.stringify(good));
      corrupt(bad);
      let error: unknown;
      try {
        target.restore(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidSnapshotError);
      expect((error as InvalidSnapshotError).argument.startsWith(argument.replace(/\[\d+\]$/, ""))).toBe(true);
      expect(JSON.stringify(target.snapshot())).toBe(before);
    }
  });

  it("stops on a non-finite objective with params at the last accepted iterate", () => {
    // Rosenbrock, NaN where x₀ > 0.2: the search from an iterate crosses it.
    const base = rosenbrock();
    const capped: Objective = {
      dimension: 2,
      evaluate(t, g) {
        const f = base.evaluate(t, g);
        if (t[0] > 0.2) {
          if (g) g.fill(NaN);
          return NaN;
        }
        return f;
      },
    };
    const solver = new LBFGSB();
    const x = Float64Array.of(-1.2, 1);
    const reason = solver.run(x, capped);
    expect(["nonFinite", "lineSearch"]).toContain(reason);
    expect(reason).toBe("nonFinite");
    // The same iterations without the cap: params are that run's iterate.
    const plain = new LBFGSB({ maxIterations: solver.iterations });
    const y = Float64Array.of(-1.2, 1);
    plain.run(y, base);
    expect(Array.from(x)).toEqual(Array.from(y));
    expect(solver.value).toBe(plain.value);
    expect(x[0]).toBeLessThanOrEqual(0.2);
    // Non-finite at the start.
    const start = new LBFGSB();
    const z = Float64Array.of(0.5, 0);
    expect(start.run(z, capped)).toBe("nonFinite");
    expect(Array.from(z)).toEqual([0.5, 0]);
    expect(start.iterations).toBe(0);
    expect(start.value).toBeNaN();
    // Both states hold nothing non-finite: their snapshots restore.
    for (const stopped of [solver, start]) new LBFGSB().restore(JSON.parse(JSON.stringify(stopped.snapshot())));
    // Infinity, not NaN: the same.
    const inf: Objective = { dimension: 2, evaluate: (t, g) => (t[0] > 0.2 ? Infinity : base.evaluate(t, g)) };
    const third = new LBFGSB();
    const w = Float64Array.of(-1.2, 1);
    expect(third.run(w, inf)).toBe("nonFinite");
    expect(w[0]).toBeLessThanOrEqual(0.2);
  });

  it("an objective that throws ends the run at the last accepted iterate; the next run goes on bit for bit", () => {
    const base = rosenbrock();
    const options = { lower: [-2, -1], upper: [2, 0.8] };
    const whole = new LBFGSB(options);
    const w = Float64Array.of(-1.2, 1);
    const wholeReason = whole.run(w, base);
    for (const throwAt of [1, 2, 3, 9, 25, 40]) {
      let calls = 0;
      const throwing: Objective = {
        dimension: 2,
        evaluate(x, g) {
          calls++;
          if (calls === throwAt) {
            if (g) g.fill(NaN); // half written, then the throw
            throw new Error("objective failed");
          }
          return base.evaluate(x, g);
        },
      };
      const solver = new LBFGSB(options);
      const x = Float64Array.of(-1.2, 1);
      expect(() => solver.run(x, throwing)).toThrow("objective failed");
      if (solver.iterations > 0) {
        const plain = new LBFGSB({ ...options, maxIterations: solver.iterations });
        const p = Float64Array.of(-1.2, 1);
        plain.run(p, base);
        expect(Array.from(x)).toEqual(Array.from(p));
        expect(solver.value).toBe(plain.value);
      } else if (throwAt === 1) {
        expect(Array.from(x)).toEqual([-1.2, 1]); // the start threw: params as given
        expect(solver.value).toBeNaN();
      } else {
        expect(Array.from(x)).toEqual([-1.2, 0.8]); // the first search threw: the projected start
        expect(solver.value).toBe(base.evaluate(Float64Array.of(-1.2, 0.8), null));
      }
      // The state survives a snapshot, and both go on as the run that never threw.
      const copy = new LBFGSB();
      copy.restore(JSON.parse(JSON.stringify(solver.snapshot())));
      const y = x.slice();
      expect(solver.run(x, throwing)).toBe(wholeReason);
      expect(copy.run(y, base)).toBe(wholeReason);
      for (const [done, at] of [[solver, x], [copy, y]] as const) {
        expect(Array.from(at)).toEqual(Array.from(w));
        expect(done.value).toBe(whole.value);
        expect(done.iterations).toBe(whole.iterations);
        expect(done.evaluations).toBe(whole.evaluations);
      }
    }
  });

  it("stops with lineSearch when no step along d decreases f enough", () => {
    // A gradient pointing the wrong way: every direction is an ascent direction for the true f.
    const base = rosenbrock();
    const lying: Objective = {
      dimension: 2,
      evaluate(t, g) {
        const f = base.evaluate(t, g);
        if (g) {
          g[0] = -g[0];
          g[1] = -g[1];
        }
        return f;
      },
    };
    const solver = new LBFGSB();
    const x = Float64Array.of(-1.2, 1);
    expect(solver.run(x, lying)).toBe("lineSearch");
    expect(Array.from(x)).toEqual([-1.2, 1]);
    expect(solver.value).toBe(base.evaluate(Float64Array.of(-1.2, 1), null));
    expect(solver.evaluations).toBeLessThanOrEqual(21);
  });

  it("refuses bad bounds and options, naming them, with nothing changed", () => {
    const expectOption = (make: () => unknown, argument: string, value: unknown) => {
      let error: unknown;
      try {
        make();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as InvalidOptionError).argument).toBe(argument);
      expect((error as InvalidOptionError).value).toEqual(value);
    };
    expectOption(() => new LBFGSB({ lower: [0, 2], upper: [1, 1] }), "lower[1]", 2);
    expectOption(() => new LBFGSB({ lower: 1, upper: [3, 0.5] }), "lower", 1);
    expectOption(() => new LBFGSB({ lower: [0, NaN] }), "lower[1]", NaN);
    expectOption(() => new LBFGSB({ upper: -Infinity }), "upper", -Infinity);
    expectOption(() => new LBFGSB({ lower: [0, 0], upper: [1, 1, 1] }), "upper", [1, 1, 1]);
    expectOption(() => new LBFGSB({ historySize: 0 }), "historySize", 0);
    expectOption(() => new LBFGSB({ gradientTolerance: -1 }), "gradientTolerance", -1);
    expectOption(() => new LBFGSB({ maxIterations: 1.5 }), "maxIterations", 1.5);
    expectOption(() => new LBFGSB({ bounds: [0, 1] } as never), "bounds", [0, 1]);
    // Bounds of the wrong length for the problem: refused at the run, before anything is written.
    const solver = new LBFGSB({ lower: [0, 0, 0] });
    const x = Float64Array.of(-1.2, 1);
    expect(() => solver.run(x, rosenbrock())).toThrow(ShapeMismatchError);
    expect(Array.from(x)).toEqual([-1.2, 1]);
    expect(solver.iterations).toBe(0);
    expect(solver.evaluations).toBe(0);
    // params of another length than the state's.
    const used = new LBFGSB({ maxIterations: 2 });
    const p = Float64Array.of(-1.2, 1);
    used.run(p, rosenbrock());
    const snap = JSON.stringify(used.snapshot());
    const q = new Float64Array(10).fill(1);
    expect(() => used.run(q, fixtureQuadratic(Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 1 : 0))), new Array(10).fill(0)))).toThrow(
      ShapeMismatchError,
    );
    expect(JSON.stringify(used.snapshot())).toBe(snap);
    expect(Array.from(q)).toEqual(new Array(10).fill(1));
  });

  it("keeps a fixed variable (lower = upper) where it is", () => {
    const solver = new LBFGSB({ lower: [0.3, -Infinity], upper: [0.3, Infinity] });
    const x = Float64Array.of(-1.2, 1);
    expect(solver.run(x, rosenbrock())).toBe("gradientTolerance");
    expect(x[0]).toBe(0.3);
    expect(Math.abs(x[1] - 0.09)).toBeLessThan(1e-6); // min over y of 100(y − 0.09)²
  });
});
