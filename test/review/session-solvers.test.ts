// An adversary's tests of the session's new APIs (solve and the solvers, penalized, projectToBox,
// set(options), ReduceLROnPlateau, accumulate): hostile inputs, lying vectors, getters that answer
// differently on a second read, corrupted snapshots. Each checks the library's promises: a typed
// GradstepError naming the argument, nothing changed, snapshots that restore, no silent corruption.
import { accumulate, Adam, allocateVector, backendInfo, chain, GradstepError, InvalidOptionError, InvalidSnapshotError, LBFGS, OutOfMemoryError, ReduceLROnPlateau, releaseVector, setBackend, SGD, ShapeMismatchError } from "gradstep";
import { BFGS, ConjugateGradient, LBFGSB, type LineFunction, minimize, NocedalWrightSearch, NocedalWrightStatus, type Objective, penalized, rosenbrock, solve } from "gradstep/learn";
import { afterEach, describe, expect, it, test } from "vitest";
import { allRules, bytes, gradientAt } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

afterEach(() => setBackend("auto"));

const solvers = [
  ["BFGS", () => new BFGS()],
  ["ConjugateGradient", () => new ConjugateGradient()],
  ["LBFGSB", () => new LBFGSB()],
] as const;

/** Rosenbrock that throws once, at its `at`-th evaluation. */
function throwingOnce(at: number): Objective {
  const f = rosenbrock();
  let calls = 0;
  return {
    dimension: 2,
    evaluate(theta, grad) {
      calls++;
      if (calls === at) throw new Error("objective failed");
      return f.evaluate(theta, grad);
    },
  };
}

/** A getter that answers `first` on its first read and `then` on every later one. */
function twoFaced<T extends object>(target: T, key: string, first: unknown, then: unknown): T {
  let reads = 0;
  Object.defineProperty(target, key, { enumerable: true, configurable: true, get: () => (reads++ === 0 ? first : then) });
  return target;
}

/** A Float64Array whose length getter lies. */
class LyingLength extends Float64Array {
  constructor(
    length: number,
    private readonly claimed: number,
  ) {
    super(length);
  }
  override get length(): number {
    return this.claimed;
  }
}

describe("solver options and snapshots: every field read once (was: the checked value and the kept one differed)", () => {
  it.each([
    ["BFGS", (o: object) => new BFGS(o)],
    ["ConjugateGradient", (o: object) => new ConjugateGradient(o)],
  ] as const)("%s: a getter answering 1e-5 then -1 leaves 1e-5 in the snapshot, which restores", (_, make) => {
    const solver = make(twoFaced({}, "gradientTolerance", 1e-5, -1));
    const saved = JSON.parse(JSON.stringify(solver.snapshot()));
    expect(saved.options).toEqual({ gradientTolerance: 1e-5 });
    expect(() => make({}).restore(saved)).not.toThrow();
  });

  it("BFGS.restore: options with a getter answering 5 then NaN adopt 5, and the next snapshot restores", () => {
    const solver = new BFGS();
    const saved = { ...solver.snapshot(), options: twoFaced({}, "maxIterations", 5, NaN) };
    solver.restore(saved);
    const again = JSON.parse(JSON.stringify(solver.snapshot()));
    expect(again.options).toEqual({ maxIterations: 5 });
    const x = Float64Array.of(-1.2, 1);
    expect(solver.run(x, rosenbrock())).toBe("maxIterations");
    expect(solver.iterations).toBe(5);
    expect(() => new BFGS().restore(again)).not.toThrow();
  });

  it("BFGS.restore: a state getter answering the state, then a number, restores the state it read first", () => {
    const whole = new BFGS({ maxIterations: 3 });
    const a = Float64Array.of(-1.2, 1);
    whole.run(a, rosenbrock());
    const saved = JSON.parse(JSON.stringify(whole.snapshot()));
    const copy = new BFGS({ maxIterations: 3 });
    copy.restore(twoFaced({ ...saved }, "state", saved.state, 7));
    const b = Float64Array.from(a);
    whole.run(a, rosenbrock());
    copy.run(b, rosenbrock());
    expect(bytes(b)).toEqual(bytes(a));
  });

  it("a Proxy whose keys differ on a second listing cannot slip an unknown option into the snapshot", () => {
    let listings = 0;
    const hostile = new Proxy({ gradientTolerance: 1e-6, bogus: 1 } as Record<string, number>, {
      ownKeys: () => (listings++ === 0 ? ["gradientTolerance"] : ["gradientTolerance", "bogus"]),
      getOwnPropertyDescriptor: (t, k) => ({ value: t[k as string], enumerable: true, configurable: true, writable: true }),
    });
    expect(() => new BFGS(hostile)).toThrow(InvalidOptionError);
  });
});

describe("params with a lying length (was: a bare RangeError from set(), or a run on the lie)", () => {
  it.each(solvers)("%s.run reads the engine's length: a ShapeMismatchError, params untouched", (_, make) => {
    const p = new LyingLength(3, 2);
    p.set([-1.2, 1, 7]);
    const before = bytes(p);
    const error = (() => {
      try {
        make().run(p, rosenbrock());
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect((error as GradstepError).argument).toBe("params");
    expect(bytes(p)).toEqual(before);
  });

  it("BFGS.run with a length that claims more than the array holds: a ShapeMismatchError", () => {
    const p = new LyingLength(2, 3);
    const f: Objective = { dimension: 3, evaluate: (_x, g) => (g?.fill(0), 0) };
    expect(() => new BFGS().run(p, f)).toThrow(ShapeMismatchError);
  });

  it("solve checks the length it copies (three doubles claiming two are refused)", () => {
    const p = new LyingLength(3, 2);
    p.set([-1.2, 1, NaN]);
    expect(() => solve({ objective: rosenbrock(), params: p })).toThrow(ShapeMismatchError);
  });

  it("solve: a Proxy array whose entries answer differently on a second read runs from the values it checked", () => {
    const reads = [0, 0];
    const start = new Proxy([-1.2, 1], {
      get: (t, k) => {
        if (k === "0" || k === "1") return reads[+k]++ === 0 ? t[+k] : NaN;
        return Reflect.get(t, k);
      },
    });
    const result = solve({ objective: rosenbrock(), params: start, method: "bfgs" });
    expect(result.stopReason).toBe("gradientTolerance");
    expect(result.params[0]).toBeCloseTo(1, 5);
    expect(result.params[1]).toBeCloseTo(1, 5);
  });
});

describe("solve refuses bad starts with a typed error naming the argument", () => {
  const cases: [string, () => unknown, string][] = [
    ["wrong length", () => solve({ objective: rosenbrock(), params: [1, 2, 3] }), "params"],
    ["sparse array", () => solve({ objective: rosenbrock(), params: [1, , ] as number[] }), "params[1]"],
    ["NaN entry", () => solve({ objective: rosenbrock(), params: [NaN, 1] }), "params[0]"],
    ["-Infinity entry", () => solve({ objective: rosenbrock(), params: [1, -Infinity] }), "params[1]"],
    ["a string entry", () => solve({ objective: rosenbrock(), params: [1, "2"] as unknown as number[] }), "params[1]"],
    ["empty", () => solve({ objective: { dimension: 0, evaluate: () => 0 }, params: [] }), "params"],
    ["objective of another dimension", () => solve({ objective: { dimension: 3, evaluate: () => 0 }, params: [1, 2] }), "params"],
    ["NaN dimension", () => solve({ objective: { dimension: NaN, evaluate: () => 0 }, params: [1] }), "objective.dimension"],
    ["bounds without lbfgsb", () => solve({ objective: rosenbrock(), params: [0, 0], method: "bfgs", lower: 0 }), "lower"],
    ["lower above upper", () => solve({ objective: rosenbrock(), params: [0, 0], method: "lbfgsb", lower: [0, 2], upper: 1 }), "lower[1]"],
    ["too many bounds", () => solve({ objective: rosenbrock(), params: [0, 0], method: "lbfgsb", lower: [0, 0, 0] }), "lower"],
    ["a bound array-like of negative length", () => solve({ objective: rosenbrock(), params: [0, 0], method: "lbfgsb", lower: { length: -1 } as unknown as number[] }), "lower.length"],
    ["historySize 0", () => solve({ objective: rosenbrock(), params: [0, 0], historySize: 0 }), "historySize"],
    ["an unknown option", () => solve({ objective: rosenbrock(), params: [0, 0], tolerance: 1 } as never), "tolerance"],
    ["record.path not boolean", () => solve({ objective: rosenbrock(), params: [0, 0], record: { path: 1 as unknown as boolean } }), "record.path"],
  ];
  it.each(cases)("%s", (_, call, argument) => {
    let error: unknown;
    try {
      call();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GradstepError);
    expect((error as GradstepError).argument).toBe(argument);
  });

  it("leaves the caller's start as it was, and runs from -0 as from 0", () => {
    const start = Float64Array.of(-0, 1);
    const a = solve({ objective: rosenbrock(), params: start });
    expect(Object.is(start[0], -0)).toBe(true);
    const b = solve({ objective: rosenbrock(), params: [0, 1] });
    expect(bytes(a.params)).toEqual(bytes(b.params));
  });

  it("n = 1: a parabola's minimum within the gradient tolerance with every method", () => {
    // (x − 3)²: the stop |2(x − 3)| ≤ 1e-5 puts x within 5e-6 of 3
    const f: Objective = { dimension: 1, evaluate: (x, g) => (g && (g[0] = 2 * (x[0] - 3)), (x[0] - 3) ** 2) };
    for (const method of ["lbfgs", "bfgs", "cg", "lbfgsb"] as const) {
      const result = solve({ objective: f, params: [-5], method });
      expect(result.stopReason).toBe("gradientTolerance");
      expect(Math.abs(result.params[0] - 3)).toBeLessThanOrEqual(5e-6);
    }
  });
});

describe("LBFGSB bounds given as array-likes of a bad length (was: a bare RangeError)", () => {
  it.each([
    ["negative", { length: -1 }, InvalidOptionError],
    ["fractional", { length: 2.5 }, InvalidOptionError],
    ["NaN", { length: NaN }, InvalidOptionError],
    ["no memory holds it", { length: 2 ** 40 }, OutOfMemoryError],
  ] as const)("%s", (_, bound, type) => {
    expect(() => new LBFGSB({ lower: bound as unknown as number[] })).toThrow(type);
    expect(() => new LBFGSB({ upper: bound as unknown as number[] })).toThrow(type);
  });

  it("a length getter answering 2, then -3", () => {
    expect(() => new LBFGSB({ lower: twoFaced({ 0: 0, 1: 0 }, "length", 2, -3) as unknown as number[] })).not.toThrow();
    expect(() => new LBFGSB({ lower: twoFaced({ 0: 0, 1: 0 }, "length", -3, 2) as unknown as number[] })).toThrow(InvalidOptionError);
  });

  it("a historySize no memory holds: an OutOfMemoryError at the run, params untouched", () => {
    const x = Float64Array.of(-1.2, 1);
    expect(() => new LBFGSB({ historySize: 2 ** 40 }).run(x, rosenbrock())).toThrow(OutOfMemoryError);
    expect(Array.from(x)).toEqual([-1.2, 1]);
  });
});

describe("solver snapshots: corrupted ones refused whole, the solver unchanged", () => {
  const started = <S extends BFGS | ConjugateGradient | LBFGSB>(solver: S): S => {
    solver.run(Float64Array.of(-1.2, 1), rosenbrock());
    return solver;
  };

  it.each([
    ["size 2^40", (s: Record<string, any>) => (s.size = 2 ** 40)],
    ["historySize 2^40", (s: Record<string, any>) => (s.options.historySize = 2 ** 40)],
    ["size -2", (s: Record<string, any>) => (s.size = -2)],
    ["size NaN", (s: Record<string, any>) => (s.size = NaN)],
    ["lower and upper swapped", (s: Record<string, any>) => ([s.buffers.lower, s.buffers.upper] = [s.buffers.upper, s.buffers.lower])],
    ["a buffer missing", (s: Record<string, any>) => delete s.buffers.x],
    ["an extra buffer", (s: Record<string, any>) => (s.buffers.extra = "")],
    ["stepCount NaN", (s: Record<string, any>) => (s.stepCount = NaN)],
  ])("LBFGSB: %s → InvalidSnapshotError (was a bare RangeError for the huge sizes)", (_, corrupt) => {
    const solver = started(new LBFGSB({ maxIterations: 5 }));
    const bad = JSON.parse(JSON.stringify(solver.snapshot()));
    corrupt(bad);
    const target = started(new LBFGSB({ maxIterations: 3 }));
    const before = JSON.stringify(target.snapshot());
    expect(() => target.restore(bad)).toThrow(InvalidSnapshotError);
    expect(JSON.stringify(target.snapshot())).toBe(before);
  });

  it.each([
    ["BFGS", () => new BFGS({ maxIterations: 4 })],
    ["ConjugateGradient", () => new ConjugateGradient({ maxIterations: 4 })],
  ] as const)("%s: NaN and negative counts, a bad started flag, a wrong dimension, swapped fields are refused", (_, make) => {
    const solver = started(make());
    const good = JSON.parse(JSON.stringify(solver.snapshot()));
    const state = new Float64Array(Uint8Array.from(Buffer.from(good.state, "base64")).buffer);
    const withState = (k: number, v: number) => {
      const copy = Float64Array.from(state);
      copy[k] = v;
      return { ...good, state: Buffer.from(copy.buffer).toString("base64") };
    };
    const target = started(make());
    const before = JSON.stringify(target.snapshot());
    for (const bad of [
      withState(3, NaN), // iterations
      withState(4, -1), // evaluations
      withState(5, 0.5), // function evaluations
      withState(11, 2), // started
      { ...good, dimension: 3 },
      { ...good, dimension: -2 },
      { ...good, dimension: null },
      { ...good, state: null },
      { ...good, options: good.state, state: good.options },
      { ...good, options: { ...good.options, maxEvaluations: 0 } },
      { ...good, extra: 1 },
    ]) {
      expect(() => target.restore(bad)).toThrow(InvalidSnapshotError);
      expect(JSON.stringify(target.snapshot())).toBe(before);
    }
  });
});

describe("objectives that misbehave mid-run", () => {
  it.each(solvers)("%s: an objective that throws mid-run leaves the last accepted iterate; the next run goes on bit for bit", (_, make) => {
    const whole = make();
    const a = Float64Array.of(-1.2, 1);
    whole.run(a, rosenbrock());
    for (const at of [2, 5, 9, 20]) {
      const broken = make();
      const b = Float64Array.of(-1.2, 1);
      const f = throwingOnce(at);
      expect(() => broken.run(b, f)).toThrow("objective failed");
      expect(b.every(Number.isFinite)).toBe(true);
      // the snapshot taken after the throw restores and finishes as the uninterrupted run did
      const copy = make();
      copy.restore(JSON.parse(JSON.stringify(broken.snapshot())));
      const c = Float64Array.from(b);
      broken.run(b, f);
      copy.run(c, rosenbrock());
      expect(bytes(b)).toEqual(bytes(a));
      expect(bytes(c)).toEqual(bytes(a));
    }
  });

  it.each(solvers)("%s: an onIteration that writes into the iterate it is given changes nothing (was: it moved the iterate)", (_, make) => {
    const clean = Float64Array.of(-1.2, 1);
    make().run(clean, rosenbrock());
    const dirty = Float64Array.of(-1.2, 1);
    let calls = 0;
    make().run(dirty, rosenbrock(), (x) => {
      calls++;
      x[0] = 5;
      x[1] = NaN;
    });
    expect(calls).toBeGreaterThan(10);
    expect(bytes(dirty)).toEqual(bytes(clean));
  });

  it.each(["lbfgs", "bfgs", "cg", "lbfgsb"] as const)("%s: NaN mid-line-search stops with nonFinite at a finite, already accepted iterate", (method) => {
    const f = rosenbrock();
    const seen: number[][] = [];
    let calls = 0;
    const objective: Objective = {
      dimension: 2,
      evaluate(x, g) {
        seen.push(Array.from(x));
        return ++calls === 6 ? NaN : f.evaluate(x, g);
      },
    };
    const result = solve({ objective, params: [-1.2, 1], method, record: { path: true } });
    expect(result.stopReason).toBe("nonFinite");
    expect(result.params.every(Number.isFinite)).toBe(true);
    expect(Array.from(result.params)).toEqual(Array.from(result.path![result.path!.length - 1]));
    expect(seen.slice(0, 5).map(String)).toContain(String(Array.from(result.params)));
  });

  it.each(["lbfgs", "bfgs", "cg", "lbfgsb"] as const)("%s: an objective that writes into the point it is given changes nothing (was: L-BFGS-B's iterate moved)", (method) => {
    const f = rosenbrock();
    const scribbling: Objective = {
      dimension: 2,
      evaluate(x, g) {
        const v = f.evaluate(x, g);
        x[0] += 1;
        x[1] = NaN;
        return v;
      },
    };
    const clean = solve({ objective: f, params: [-1.2, 1], method });
    const dirty = solve({ objective: scribbling, params: [-1.2, 1], method });
    expect(bytes(dirty.params)).toEqual(bytes(clean.params));
    expect(dirty.value).toBe(clean.value);
    expect(dirty.evaluations).toBe(clean.evaluations);
    expect(dirty.value).toBe(f.evaluate(dirty.params, null));
  });

  it("penalized refuses an objective whose dimension is not a whole number ≥ 0 (was a RangeError, or NaN taken)", () => {
    for (const dimension of [-1, 1.5, NaN, Infinity, "2"]) {
      let error: unknown;
      try {
        penalized({ dimension, evaluate: () => 0 } as unknown as Objective, { l2: 1 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as GradstepError).argument).toBe("objective.dimension");
    }
  });

  it("penalized: l2 = 0 leaves the objective's value and gradient bit for bit", () => {
    const f = rosenbrock();
    const p = penalized(f, { l2: 0 });
    const x = Float64Array.of(-1.2, 1);
    const g1 = new Float64Array(2);
    const g2 = new Float64Array(2);
    expect(p.evaluate(x, g1)).toBe(f.evaluate(x, g2));
    expect(bytes(g1)).toEqual(bytes(g2));
  });
});

describe("solve's record.path with a large n", () => {
  it("n = 2000: the start, one copy per iteration, the final params; each entry its own array", () => {
    const n = 2000;
    const f: Objective = {
      dimension: n,
      evaluate(x, g) {
        let v = 0;
        for (let i = 0; i < n; i++) {
          const d = x[i] - (i % 7);
          v += (i + 1) * d * d;
          if (g) g[i] = 2 * (i + 1) * d;
        }
        return v;
      },
    };
    const start = new Float64Array(n).fill(1);
    const result = solve({ objective: f, params: start, maxIterations: 30, record: { path: true } });
    const path = result.path!;
    expect(path.length).toBe(result.iterations + 1);
    expect(bytes(path[0])).toEqual(bytes(start));
    expect(bytes(path[path.length - 1])).toEqual(bytes(result.params));
    expect(new Set(path.map((p) => p.buffer)).size).toBe(path.length);
    expect(path.every((p) => p.length === n)).toBe(true);
  });
});

describe("ReduceLROnPlateau", () => {
  it.each([
    ["min", -Infinity],
    ["max", Infinity],
  ] as const)("mode %s: step(%d) makes it the best, and that snapshot restores (was refused)", (mode, metric) => {
    const whole = new ReduceLROnPlateau(new SGD({ lr: 1 }), { mode, patience: 1 });
    whole.step(metric);
    const copy = new ReduceLROnPlateau(new SGD({ lr: 1 }), { mode, patience: 1 });
    copy.restore(JSON.parse(JSON.stringify(whole.snapshot())));
    expect(copy.best).toBe(metric);
    for (const m of [1, 2, 3]) expect(copy.step(m)).toBe(whole.step(m));
    expect(copy.learningRate).toBe(whole.learningRate);
    expect(copy.snapshot()).toEqual(whole.snapshot());
  });

  it("minimize: a resume whose optimizer state is refused leaves a plateau whose best is −∞ as it was (the undo restores it)", () => {
    const f: Objective = { dimension: 1, evaluate: (t, g) => (g && (g[0] = 2 * t[0]), t[0] * t[0]) };
    const first = new SGD({ lr: 1 });
    const state = JSON.parse(JSON.stringify(minimize({ objective: f, optimizer: first, params: Float64Array.of(1), steps: 5, plateau: new ReduceLROnPlateau(first, { patience: 2 }) }).state));
    state.optimizer.stepCount = -1;
    const optimizer = new SGD({ lr: 1 });
    const plateau = new ReduceLROnPlateau(optimizer, { patience: 2 });
    plateau.step(-Infinity);
    const before = JSON.stringify(plateau.snapshot());
    const params = Float64Array.of(3);
    let error: unknown;
    try {
      minimize({ objective: f, optimizer, params, steps: 10, plateau, resume: state });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect((error as GradstepError).argument).toMatch(/^resume\.optimizer/);
    expect(JSON.stringify(plateau.snapshot())).toBe(before);
    expect(Array.from(params)).toEqual([3]);
  });

  it("still refuses a NaN best", () => {
    const plateau = new ReduceLROnPlateau(new SGD({ lr: 1 }));
    const saved = plateau.snapshot();
    const numbers = new Float64Array(Uint8Array.from(Buffer.from(saved.buffers.numbers, "base64")).buffer);
    numbers[0] = NaN;
    expect(() => plateau.restore({ ...saved, buffers: { numbers: Buffer.from(numbers.buffer).toString("base64") } })).toThrow(InvalidSnapshotError);
  });

  it("on a Chain or an accumulate whose optimizer lacks set: refused when built (was: at the first reduction, epochs later)", () => {
    const lacking = () => {
      const inner = new SGD({ lr: 0.5 });
      Object.defineProperty(inner, "set", { value: undefined });
      return inner;
    };
    for (const wrapped of [chain([], lacking()), accumulate(lacking(), { every: 2 }), chain([], accumulate(lacking()))]) {
      let error: unknown;
      try {
        new ReduceLROnPlateau(wrapped);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidOptionError);
      expect((error as GradstepError).argument).toBe("optimizer");
    }
  });

  it("on a Chain of an accumulate: a reduction reaches the inner optimizer", () => {
    const inner = new SGD({ lr: 0.5 });
    const plateau = new ReduceLROnPlateau(chain([], accumulate(inner, { every: 2 })), { patience: 0, factor: 0.5 });
    plateau.step(1);
    expect(plateau.step(2)).toBe(true);
    expect(inner.options.lr).toBe(0.25);
    expect(plateau.learningRate).toBe(0.25);
  });

  it("a reduction the optimizer's set refuses throws and changes no counter", () => {
    const sgd = new SGD({ lr: 0.5 });
    const plateau = new ReduceLROnPlateau(sgd, { patience: 0 });
    plateau.step(1);
    const before = JSON.stringify(plateau.snapshot());
    Object.defineProperty(sgd, "set", { value: () => { throw new InvalidOptionError("lr", 0.05, "refused"); } });
    expect(() => plateau.step(2)).toThrow(InvalidOptionError);
    expect(JSON.stringify(plateau.snapshot())).toBe(before);
    expect(sgd.options.lr).toBe(0.5);
  });
});

describe("set(options)", () => {
  it("a refused set (cross-option check, range, unknown key) changes nothing", () => {
    const adam = new Adam({ lr: 0.1 });
    const x = Float64Array.of(1, 2);
    adam.step(x, Float64Array.of(1, 1));
    const before = JSON.stringify(adam.snapshot());
    expect(() => adam.set({ amsgrad: true })).toThrow(InvalidOptionError);
    expect(() => adam.set({ lr: -1 })).toThrow(InvalidOptionError);
    expect(() => adam.set({ lr: 0.2, beta: 2 } as never)).toThrow(InvalidOptionError);
    expect(() => adam.set({ lr: 0.2, betas: [0.9, 0.99] } as never)).toThrow(InvalidOptionError);
    expect(JSON.stringify(adam.snapshot())).toBe(before);
    const lbfgs = new LBFGS({ lr: 1 });
    lbfgs.step(Float64Array.of(-1.2, 1), rosenbrock());
    const saved = JSON.stringify(lbfgs.snapshot());
    expect(() => lbfgs.set({ historySize: 3 })).toThrow(InvalidOptionError);
    expect(JSON.stringify(lbfgs.snapshot())).toBe(saved);
  });

  it("a getter answering 0.2 then -5 sets 0.2 (the value checked)", () => {
    const sgd = new SGD({ lr: 0.1 });
    sgd.set(twoFaced({}, "lr", 0.2, -5) as never);
    expect(sgd.options.lr).toBe(0.2);
    expect(sgd.learningRate()).toBe(0.2);
    const lbfgs = new LBFGS({ lr: 1 });
    lbfgs.set(twoFaced({}, "lr", 0.2, -5) as never);
    expect(lbfgs.options.lr).toBe(0.2);
  });

  it("mid-accumulate: the pending gradients are kept, the mean is stepped with the new rate", () => {
    const acc = accumulate(new SGD({ lr: 0.1 }), { every: 2 });
    const x = Float64Array.of(1, 2);
    acc.step(x, Float64Array.of(1, 3));
    acc.set({ lr: 0.5 });
    expect(acc.pending).toBe(1);
    acc.step(x, Float64Array.of(3, 5));
    expect(Array.from(x)).toEqual([1 - 0.5 * 2, 2 - 0.5 * 4]);
    expect(() => acc.set({ every: 3 })).toThrow(InvalidOptionError); // every is the wrapper's, not the optimizer's
  });
});

describe("accumulate", () => {
  it("a snapshot pairing a pending sum of 3 with an inner state of 2 is refused whole (was taken)", () => {
    const make = () => accumulate(new SGD({ lr: 0.1, momentum: 0.9 }), { every: 3 });
    const two = make();
    const x2 = Float64Array.of(1, 2);
    for (let t = 0; t < 4; t++) two.step(x2, Float64Array.of(1, 1));
    const three = make();
    const x3 = Float64Array.of(1, 2, 3);
    three.step(x3, Float64Array.of(1, 1, 1));
    three.step(x3, Float64Array.of(1, 1, 1));
    const bad = JSON.parse(JSON.stringify(three.snapshot()));
    bad.options.optimizer = JSON.parse(JSON.stringify(two.snapshot())).options.optimizer;
    const target = make();
    const before = JSON.stringify(target.snapshot());
    expect(() => target.restore(bad)).toThrow(InvalidSnapshotError);
    expect(JSON.stringify(target.snapshot())).toBe(before);
    expect(target.size).toBeUndefined();
  });

  const wasm = setBackend("auto").name === "wasm" && backendInfo().sharedMemory;
  test.skipIf(!wasm).each(allRules)("every = 1 is bit-identical to the plain optimizer on Wasm vectors: $name", ({ make }) => {
    const n = 37;
    const run = (wrap: boolean, backend: "js" | "auto") => {
      setBackend(backend);
      const opt = wrap ? accumulate(make({ lr: 0.01 }), { every: 1 }) : make({ lr: 0.01 });
      const p = backend === "auto" ? allocateVector(n) : new Float64Array(n);
      const g = backend === "auto" ? allocateVector(n) : new Float64Array(n);
      p.set(gradientAt(3, n));
      for (let t = 0; t < 4; t++) opt.step(p, gradientAt(t, n, g));
      const out = bytes(p);
      if (backend === "auto") {
        releaseVector(p);
        releaseVector(g);
      }
      opt.dispose?.();
      return out;
    };
    const want = run(false, "js");
    expect(run(false, "auto")).toEqual(want);
    expect(run(true, "auto")).toEqual(want);
    expect(run(true, "js")).toEqual(want);
  });
});

describe("projectToBox", () => {
  it("bounds of another length than params: refused at the step, nothing changed", () => {
    const c = chain([{ kind: "projectToBox", lower: [0, 0, 0], upper: 1 }], new SGD({ lr: 0.1 }));
    const x = Float64Array.of(0.5, 0.5);
    const before = JSON.stringify(c.snapshot());
    expect(() => c.step(x, Float64Array.of(1, 1))).toThrow(ShapeMismatchError);
    expect(Array.from(x)).toEqual([0.5, 0.5]);
    expect(JSON.stringify(c.snapshot())).toBe(before);
  });

  it("a snapshot whose bounds are for another length than its state is refused whole (was taken, refused at the next step)", () => {
    const make = (lower: number[]) => chain([{ kind: "projectToBox", lower, upper: 1 }], new SGD({ lr: 0.1, momentum: 0.5 }));
    const two = make([0, -1]);
    two.step(Float64Array.of(0.5, 0.5), Float64Array.of(1, 1));
    const bad = JSON.parse(JSON.stringify(two.snapshot()));
    bad.options.transforms[0].lower = [0, 0, 0];
    const target = make([0, -1]);
    const x = Float64Array.of(0.25, 0.25);
    target.step(x, Float64Array.of(1, 1));
    const before = JSON.stringify(target.snapshot());
    let error: unknown;
    try {
      target.restore(bad);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect((error as GradstepError).argument).toBe("snapshot.options.transforms[0].lower");
    expect(JSON.stringify(target.snapshot())).toBe(before);
    // one bound for all, or bounds of the state's length, restore
    bad.options.transforms[0].lower = 0;
    expect(() => target.restore(bad)).not.toThrow();
  });

  it("a lower-bound getter answering 0 then 5 projects onto [0, 1], the box checked", () => {
    const c = chain([twoFaced({ kind: "projectToBox", upper: 1 }, "lower", 0, 5) as never], new SGD({ lr: 1 }));
    const x = Float64Array.of(0.5);
    c.step(x, Float64Array.of(1));
    expect(Array.from(x)).toEqual([0]);
  });

  it("lower > upper and NaN bounds are refused with the index", () => {
    expect(() => chain([{ kind: "projectToBox", lower: [0, 2], upper: [1, 1] }], new SGD({ lr: 1 }))).toThrow(InvalidOptionError);
    expect(() => chain([{ kind: "projectToBox", lower: NaN }], new SGD({ lr: 1 }))).toThrow(InvalidOptionError);
    expect(() => chain([{ kind: "projectToBox", lower: Infinity }], new SGD({ lr: 1 }))).toThrow(InvalidOptionError);
  });
});

describe("NocedalWrightSearch.search allocates nothing per search (was: an array of its 7 arguments each call)", () => {
  it("300 000 searches on φ(α) = (α − 2)²: no garbage collection, the heap grows by less than 4 MB", async () => {
    const out = new Float64Array(4);
    // φ(α) = (α − 2)², φ'(α) = 2(α − 2): the first trial α = 1 fails the curvature condition, a zoom finds α = 2
    const line: LineFunction = {
      out,
      value() {
        out[0] = (out[3] - 2) * (out[3] - 2);
      },
      slope() {
        out[1] = 2 * (out[3] - 2);
      },
      accept: () => true,
    };
    const search = new NocedalWrightSearch();
    const run = (count: number) => {
      for (let i = 0; i < count; i++) search.search(line, 4, NaN, -4, 1e-4, 0.1, 100, 10);
    };
    expect(search.search(line, 4, NaN, -4, 1e-4, 0.1, 100, 10)).toBe(NocedalWrightStatus.Found);
    expect(Math.abs(search.alpha - 2) * 2).toBeLessThanOrEqual(0.1 * 4); // |φ'(α)| ≤ c₂|φ'(0)|
    await expectNoAllocation(run, 300_000);
  });
});
