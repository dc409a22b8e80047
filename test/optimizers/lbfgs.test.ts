// LBFGS beyond the parity cases (test/parity.test.ts runs PyTorch's trajectories): its options, its
// figures on Rosenbrock against PyTorch's, snapshots, non-finite objectives, bad input, Wasm params.
import { describe, expect, it } from "vitest";
import { allocateVector, backendInfo, DisposedError, InvalidOptionError, InvalidSnapshotError, LBFGS, releaseVector, setBackend, ShapeMismatchError } from "gradstep";
import { illConditionedQuadratic, type Objective, rosenbrock } from "gradstep/learn";
import { bytes } from "../helpers.js";

/** An objective that counts its evaluations and, past `limit` on x[coordinate], returns `bad` (NaN or ∞). */
function guarded(base: Objective, limit: number, bad: number, coordinate = 0): Objective & { calls: number } {
  return {
    dimension: base.dimension,
    calls: 0,
    evaluate(theta, grad) {
      this.calls++;
      const value = base.evaluate(theta, grad);
      if (theta[coordinate] > limit) {
        if (grad) grad.fill(bad);
        return bad;
      }
      return value;
    },
  };
}

describe("LBFGS options", () => {
  it("defaults to torch.optim.LBFGS's; maxEval follows maxIter (⌊1.25·maxIter⌋) unless given", () => {
    expect(new LBFGS().options).toEqual({ lr: 1, maxIter: 20, maxEval: 25, toleranceGrad: 1e-7, toleranceChange: 1e-9, historySize: 100, lineSearchFn: "none" });
    expect(new LBFGS({ maxIter: 5 }).options.maxEval).toBe(6); // 5 * 5 // 4
    expect(new LBFGS({ maxIter: 1 }).options.maxEval).toBe(1);
    expect(new LBFGS({ maxIter: 5, maxEval: 3 }).options.maxEval).toBe(3);
    expect(new LBFGS({ lineSearchFn: "strong_wolfe" }).options.lineSearchFn).toBe("strong_wolfe");
  });

  it.each([
    ["lr", 0],
    ["lr", Infinity],
    ["maxIter", 0],
    ["maxIter", 2.5],
    ["maxEval", 0],
    ["toleranceGrad", -1],
    ["toleranceChange", NaN],
    ["historySize", 0],
    ["historySize", "10"],
    ["lineSearchFn", "armijo"],
    ["lineSearchFn", null],
    ["momentum", 0.9],
  ])("refuses %s = %s with an InvalidOptionError naming it", (name, value) => {
    let error: unknown;
    try {
      new LBFGS({ [name]: value } as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).argument).toBe(name);
  });
});

describe("LBFGS on Rosenbrock from (−1.2, 1)", () => {
  // PyTorch 1.13, float64, autograd gradient: LBFGS([p], line_search_fn="strong_wolfe", max_iter=1000,
  // max_eval=1000, tolerance_grad=1e-6, tolerance_change=0); one step(closure) returned 24.2 (as
  // float 24.199999999999996), p = [1.000000003286162, 1.0000000058407632], func_evals 45, n_iter 36.
  it("reaches ‖∇f‖∞ ≤ 1e-6 in PyTorch's 45 evaluations and 36 iterations, at PyTorch's point", () => {
    const f = rosenbrock();
    const theta = Float64Array.of(-1.2, 1);
    const opt = new LBFGS({ lineSearchFn: "strong_wolfe", maxIter: 1000, maxEval: 1000, toleranceGrad: 1e-6, toleranceChange: 0 });
    expect(opt.step(theta, f)).toBe(24.199999999999996);
    expect([opt.funcEvals, opt.nIter, opt.stopReason, opt.lineSearchStatus]).toEqual([45, 36, "gradientTolerance", "wolfe"]);
    expect(Math.abs(theta[0] - 1.000000003286162)).toBeLessThanOrEqual(1e-15);
    expect(Math.abs(theta[1] - 1.0000000058407632)).toBeLessThanOrEqual(1e-15);
    const g = new Float64Array(2);
    f.evaluate(theta, g);
    expect(Math.max(Math.abs(g[0]), Math.abs(g[1]))).toBeLessThanOrEqual(1e-6);
  });

  it("stops on its budgets and tolerances with the reason", () => {
    const f = rosenbrock();
    const run = (options: ConstructorParameters<typeof LBFGS>[0]) => {
      const opt = new LBFGS(options);
      opt.step(Float64Array.of(-1.2, 1), f);
      return [opt.stopReason, opt.funcEvals, opt.nIter];
    };
    expect(run({ lineSearchFn: "strong_wolfe", maxIter: 3, maxEval: 100 })).toEqual(["maxIter", expect.any(Number), 3]);
    expect(run({ lineSearchFn: "strong_wolfe", maxIter: 3 })).toEqual(["maxEval", 3, 1]); // maxEval ⌊3.75⌋ = 3: the first search used 2
    expect(run({ lineSearchFn: "strong_wolfe", maxIter: 100, maxEval: 10 })[0]).toBe("maxEval");
    expect(run({ lineSearchFn: "strong_wolfe", maxIter: 100, maxEval: 1000, toleranceGrad: 1e3 })).toEqual(["gradientTolerance", 1, 0]); // at the first evaluation
    expect(run({ lr: 1e-3, maxIter: 5 })).toEqual(["maxIter", 5, 5]); // no evaluation in the last iteration
  });
});

describe("LBFGS snapshots", () => {
  const f = illConditionedQuadratic(1e4, 6);
  const start = () => Float64Array.of(1, -2, 3, -1, 0.5, 2);
  const options = { historySize: 3, maxIter: 4, lineSearchFn: "strong_wolfe" } as const;

  it("continues bit for bit after a JSON round trip, with the history ring wrapped", () => {
    const a = new LBFGS(options);
    const theta = start();
    for (let t = 0; t < 3; t++) a.step(theta, f);
    expect(a.nIter).toBeGreaterThan(options.historySize); // the ring has wrapped
    const b = new LBFGS();
    b.restore(JSON.parse(JSON.stringify(a.snapshot())));
    const thetaB = Float64Array.from(theta);
    expect(b.snapshot()).toEqual(a.snapshot());
    for (let t = 0; t < 4; t++) expect(b.step(thetaB, f)).toBe(a.step(theta, f));
    expect(bytes(thetaB)).toEqual(bytes(theta));
    expect(b.snapshot()).toEqual(a.snapshot());
    expect([b.funcEvals, b.nIter, b.stepCount]).toEqual([a.funcEvals, a.nIter, a.stepCount]);
  });

  it("restores a snapshot taken before the first step (no state)", () => {
    const fresh = new LBFGS(options).snapshot();
    expect(fresh.size).toBeNull();
    const opt = new LBFGS();
    opt.restore(fresh);
    expect(opt.options).toEqual(new LBFGS(options).options);
    expect(opt.size).toBeUndefined();
  });

  const corruptions: [string, (s: any) => void][] = [
    ["snapshot.kind", (s) => (s.kind = "Adam")],
    ["snapshot.options.historySize", (s) => (s.options.historySize = 0)],
    ["snapshot.options.maxEval", (s) => delete s.options.maxEval],
    ["snapshot.stepCount", (s) => (s.stepCount = -1)],
    ["snapshot.buffers.oldDirs", (s) => (s.buffers.oldDirs = s.buffers.direction)],
    ["snapshot.buffers.rho", (s) => delete s.buffers.rho],
    ["snapshot.buffers.extra", (s) => (s.buffers.extra = "")],
    ["snapshot.buffers.historyCount", (s) => (s.buffers.historyCount = encode(4))],
    ["snapshot.buffers.historyStart", (s) => (s.buffers.historyStart = encode(0.5))],
    ["snapshot.buffers.funcEvals", (s) => (s.buffers.funcEvals = encode(-3))],
    ["snapshot.buffers.hDiag", (s) => (s.buffers.hDiag = encode(0))],
    ["snapshot.buffers.t[0]", (s) => (s.buffers.t = encode(NaN))],
    ["snapshot.buffers.direction", (s) => (s.buffers.direction = "not base64!")],
    ["snapshot.buffers.oldDirs", (s) => (s.size = 7)], // the buffers are no longer as long as size says
  ];

  it.each(corruptions)("refuses a snapshot with a bad %s whole, changing nothing", (path, corrupt) => {
    const source = new LBFGS(options);
    source.step(start(), f);
    source.step(start(), f);
    const snapshot = JSON.parse(JSON.stringify(source.snapshot()));
    corrupt(snapshot);
    const target = new LBFGS({ historySize: 2 });
    const theta = start();
    target.step(theta, f);
    const before = JSON.stringify(target.snapshot());
    let error: unknown;
    try {
      target.restore(snapshot);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect((error as InvalidSnapshotError).argument).toBe(path);
    expect(JSON.stringify(target.snapshot())).toBe(before);
  });

  it("refuses a history count beyond the ring's pairs, or pairs kept before any iteration", () => {
    const source = new LBFGS(options);
    source.step(start(), f);
    const snapshot = JSON.parse(JSON.stringify(source.snapshot()));
    snapshot.buffers.nIter = encode(0);
    expect(() => new LBFGS().restore(snapshot)).toThrow(InvalidSnapshotError);
  });
});

/** base64 of one little-endian double, as snapshots hold it. */
function encode(value: number): string {
  return Buffer.from(new Float64Array([value]).buffer).toString("base64");
}

describe("LBFGS with a non-finite objective", () => {
  it("without a line search: stops with nonFinite and keeps params at the last accepted iterate", () => {
    // f = ½‖x‖², NaN past x₀ > 2: from (−1, 0.5) the first step, t = min(1, 1/‖g‖₁)·10 = 6.67 along −g,
    // lands at x₀ = 5.67
    const f = guarded(illConditionedQuadratic(1, 2), 2, NaN);
    const theta = Float64Array.of(-1, 0.5);
    const opt = new LBFGS({ lr: 10, maxIter: 5 });
    opt.step(theta, f); // t = min(1, 1/‖g‖₁)·10 = 6.67: x₀ = −1 + 6.67 > 2, NaN
    expect(opt.stopReason).toBe("nonFinite");
    expect(Array.from(theta)).toEqual([-1, 0.5]);
    expect(opt.funcEvals).toBe(2);
    expect(f.calls).toBe(2);
  });

  it("with the strong-Wolfe search: stops with nonFinite at the best point the search accepted, never NaN", () => {
    for (const bad of [NaN, -Infinity]) {
      const f = guarded(rosenbrock(), -1.0, bad);
      const theta = Float64Array.of(-1.2, 1);
      const opt = new LBFGS({ lineSearchFn: "strong_wolfe", lr: 1, maxIter: 50 });
      opt.step(theta, f);
      expect(opt.stopReason).toBe("nonFinite");
      expect(opt.lineSearchStatus).toBe("nonFinite");
      expect(theta.every(Number.isFinite)).toBe(true);
      expect(theta[0]).toBeLessThanOrEqual(-1.0);
      expect(f.evaluate(theta, null)).toBeLessThan(24.2); // it did descend before the wall
    }
  });

  it("backs off from +∞ values as PyTorch does (they only ever end a bracket)", () => {
    // a wall at y > 1.25: the first trial, (−0.49, 1.29), hits it; the minimum (1, 1) is below it
    const f = guarded(rosenbrock(), 1.25, Infinity, 1);
    const theta = Float64Array.of(-1.2, 1);
    const opt = new LBFGS({ lineSearchFn: "strong_wolfe", maxIter: 100, maxEval: 200, toleranceGrad: 1e-6, toleranceChange: 0 });
    opt.step(theta, f);
    expect(opt.stopReason).toBe("gradientTolerance");
    expect(Math.abs(theta[0] - 1)).toBeLessThan(1e-7);
    expect(Math.abs(theta[1] - 1)).toBeLessThan(1e-7);
  });

  it("without a line search, the last iteration moves params unevaluated; a NaN there is met by the next step, which keeps them", () => {
    // f = ½‖x‖², NaN past x₀ > 2; maxIter 1: the one iteration moves −1 → −1 + 6.67 without evaluating
    const f = guarded(illConditionedQuadratic(1, 2), 2, NaN);
    const theta = Float64Array.of(-1, 0.5);
    const opt = new LBFGS({ lr: 10, maxIter: 1 });
    opt.step(theta, f);
    expect(opt.stopReason).toBe("maxIter");
    expect(f.calls).toBe(1);
    const moved = Array.from(theta);
    expect(moved[0]).toBeCloseTo(-1 + 10 / 1.5, 12); // t = min(1, 1/‖g‖₁)·η, ‖g‖₁ = 1.5, d = −g
    expect(opt.step(theta, f)).toBeNaN();
    expect([opt.stopReason, f.calls]).toEqual(["nonFinite", 2]);
    expect(Array.from(theta)).toEqual(moved); // as given: this step accepted no point
  });

  it("a step the objective interrupts by throwing leaves no stop reason of an earlier step", () => {
    const base = rosenbrock();
    let throwing = false;
    const f: Objective = { dimension: 2, evaluate: (x, g) => { if (throwing) throw new Error("data went away"); return base.evaluate(x, g); } };
    const opt = new LBFGS({ maxIter: 3, maxEval: 10 });
    const theta = Float64Array.of(-1.2, 1);
    opt.step(theta, f);
    expect(opt.stopReason).toBe("maxIter");
    throwing = true;
    expect(() => opt.step(theta, f)).toThrow("data went away");
    expect(opt.stopReason).toBeUndefined();
  });

  it("a non-finite first evaluation changes nothing but the evaluation count", () => {
    const f = guarded(rosenbrock(), 0, NaN);
    const theta = Float64Array.of(0.5, 1);
    const opt = new LBFGS();
    expect(opt.step(theta, f)).toBeNaN(); // the loss of its first evaluation, as PyTorch returns it
    expect([opt.stopReason, opt.funcEvals, opt.nIter]).toEqual(["nonFinite", 1, 0]);
    expect(Array.from(theta)).toEqual([0.5, 1]);
  });
});

describe("LBFGS input checks", () => {
  const f = rosenbrock();

  it("refuses params that are no Float64Array of the objective's and the state's length, changing nothing", () => {
    const opt = new LBFGS();
    expect(() => opt.step([1, 2] as never, f)).toThrow(ShapeMismatchError);
    expect(() => opt.step(new Float64Array(3), f)).toThrow(ShapeMismatchError);
    expect(() => opt.step(new Float64Array(2), {} as never)).toThrow(InvalidOptionError);
    expect(opt.size).toBeUndefined();
    const theta = Float64Array.of(-1.2, 1);
    opt.step(theta, f);
    const before = JSON.stringify(opt.snapshot());
    expect(() => opt.step(new Float64Array(3), illConditionedQuadratic(2, 3))).toThrow(/length 2, the length this optimizer's state was built for/);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
  });

  it("reset forgets the state; dispose makes every method throw", () => {
    const opt = new LBFGS();
    opt.step(Float64Array.of(-1.2, 1), f);
    opt.reset();
    expect([opt.size, opt.funcEvals, opt.nIter, opt.stepCount, opt.stopReason]).toEqual([undefined, 0, 0, 0, undefined]);
    opt.dispose();
    opt.dispose();
    expect(() => opt.step(Float64Array.of(-1.2, 1), f)).toThrow(DisposedError);
    expect(() => opt.snapshot()).toThrow(DisposedError);
  });
});

describe("LBFGS on both backends", () => {
  // The loops run in JavaScript on both; params may be a vector of Wasm memory.
  it("gives the same bits with params in Wasm memory as in a plain array", () => {
    const f = illConditionedQuadratic(1e3, 5);
    const run = (theta: Float64Array) => {
      const opt = new LBFGS({ historySize: 2, maxIter: 6, lineSearchFn: "strong_wolfe" });
      const losses = [0, 1, 2].map(() => opt.step(theta, f));
      return { losses, theta: bytes(theta), counts: [opt.funcEvals, opt.nIter] };
    };
    const plain = run(Float64Array.of(1, -1, 2, -2, 3));
    const previous = backendInfo().choice;
    for (const backend of ["js", "wasm"] as const) {
      if (backend === "wasm" && setBackendOrSkip(backend) === undefined) continue;
      setBackend(backend);
      const v = allocateVector(5);
      v.set([1, -1, 2, -2, 3]);
      expect(run(v)).toEqual(plain);
      releaseVector(v);
    }
    setBackend(previous);
  });
});

function setBackendOrSkip(backend: "wasm"): string | undefined {
  try {
    return setBackend(backend).name;
  } catch {
    return undefined;
  }
}

describe("LBFGS when the objective throws", () => {
  it("leaves params at the last accepted iterate, and the next steps go on to the minimum", () => {
    const base = rosenbrock();
    let calls = 0;
    const flaky: Objective = {
      dimension: 2,
      evaluate(theta, grad) {
        if (++calls === 7) throw new Error("the objective failed");
        return base.evaluate(theta, grad);
      },
    };
    const theta = Float64Array.of(-1.2, 1);
    const opt = new LBFGS({ lineSearchFn: "strong_wolfe", maxIter: 200, maxEval: 400, toleranceGrad: 1e-6, toleranceChange: 0 });
    expect(() => opt.step(theta, flaky)).toThrow("the objective failed");
    expect(theta.every(Number.isFinite)).toBe(true);
    const accepted = Float64Array.from(theta);
    expect(base.evaluate(accepted, null)).toBeLessThan(24.2); // some iterations were accepted before
    opt.step(theta, flaky);
    expect(opt.stopReason).toBe("gradientTolerance");
    expect(Math.abs(theta[0] - 1) + Math.abs(theta[1] - 1)).toBeLessThan(1e-6);
  });
});
