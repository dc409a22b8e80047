// Issue 12, "trust before speed": minimize, samplers, losses and datasets refuse what they cannot
// use, with a typed error naming the argument, before anything is written.
import { describe, expect, it } from "vitest";
import { GradientDescent, GradstepError, InvalidOptionError, InvalidSnapshotError, type Optimizer, SGD, ShapeMismatchError } from "gradstep";
import {
  binaryCrossEntropy,
  dataset,
  empiricalRisk,
  EpochSampler,
  gaborModel,
  linearRegression,
  logisticRegression,
  type Loss,
  meanSquaredError,
  minimize,
  type Objective,
  ReplaySampler,
  rosenbrock,
  sumOfSquares,
  type TrainingState,
  udlGaborData,
} from "gradstep/learn";

const gabor = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData()); // 30 examples, 2 parameters

/** The error `action` throws (fails the test if it returns). */
function thrown(action: () => unknown): GradstepError {
  try {
    action();
  } catch (e) {
    if (e instanceof GradstepError) return e;
    throw e;
  }
  throw new Error("expected a GradstepError, nothing was thrown");
}

describe("minimize refuses a bad resume and writes nothing", () => {
  const makeOptimizer = () => new SGD({ lr: { kind: "cosine", initial: 0.05, final: 0.001, period: 200 }, momentum: 0.9 });
  const setup = () => ({ objective: gabor, optimizer: makeOptimizer(), sampler: new EpochSampler({ size: 30, batchSize: 4, seed: 11 }) });
  const saved = (): TrainingState => {
    const run = minimize({ ...setup(), params: Float64Array.of(-1.5, 8.5), steps: 9 });
    return JSON.parse(JSON.stringify(run.state));
  };

  /** Runs minimize on `state` with objects that have taken 3 steps of their own, and checks nothing of theirs changed. */
  function refuse(state: unknown, withSampler = true): GradstepError {
    const { objective, optimizer, sampler } = setup();
    const params = Float64Array.of(1, 9);
    minimize({ objective, optimizer, sampler, params, steps: 3 });
    const before = { params: Array.from(params), optimizer: JSON.stringify(optimizer.snapshot()), options: optimizer.options, sampler: JSON.stringify(sampler.snapshot()) };
    const error = thrown(() => minimize({ objective, optimizer, sampler: withSampler ? sampler : undefined, params, steps: 20, resume: state as TrainingState }));
    expect(Array.from(params)).toEqual(before.params);
    expect(JSON.stringify(optimizer.snapshot())).toBe(before.optimizer);
    expect(optimizer.options).toBe(before.options); // not restored and restored back: never touched
    expect(JSON.stringify(sampler.snapshot())).toBe(before.sampler);
    return error;
  }

  it("an optimizer snapshot built for 3 parameters, with 2 params: refused before θ is overwritten", () => {
    const other = makeOptimizer();
    other.step(new Float64Array(3), Float64Array.of(1, 2, 3));
    const error = refuse({ ...saved(), optimizer: other.snapshot() });
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect([error.argument, error.value]).toEqual(["resume.optimizer.size", 3]);
    expect(error.message).toBe("resume.optimizer.size = 3: expected 2, the length of params (or null: no state yet)");
  });

  it("every other broken part names its path", () => {
    const state = saved();
    const sampler = state.sampler as Record<string, unknown>;
    const bigger = new EpochSampler({ size: 40, batchSize: 4 }).snapshot();
    const cases: [unknown, string][] = [
      [null, "resume"],
      [{ ...state, format: "other" }, "resume.format"],
      [{ ...state, version: 2 }, "resume.version"],
      [{ ...state, extra: 1 }, "resume.extra"],
      [{ ...state, steps: -1 }, "resume.steps"],
      [{ ...state, epochs: state.steps + 1 }, "resume.epochs"],
      [{ ...state, previousLoss: "0.5" }, "resume.previousLoss"],
      [{ ...state, params: "AAAA" }, "resume.params"],
      [{ ...state, optimizer: null }, "resume.optimizer"],
      [{ ...state, optimizer: { ...state.optimizer, kind: "Adam" } }, "resume.optimizer.kind"],
      [{ ...state, optimizer: { ...state.optimizer, stepCount: -1 } }, "resume.optimizer.stepCount"],
      [{ ...state, optimizer: { ...state.optimizer, buffers: { momentumBuffer: "AAAA" } } }, "resume.optimizer.buffers.momentumBuffer"],
      [{ ...state, sampler: null }, "resume.sampler"],
      [{ ...state, sampler: { ...sampler, kind: "ReplaySampler" } }, "resume.sampler.kind"],
      [{ ...state, sampler: bigger }, "resume.sampler.size"],
      [{ ...state, sampler: { ...sampler, cursor: 99 } }, "resume.sampler.cursor"],
      [{ ...state, sampler: { ...sampler, order: Array(30).fill(0) } }, "resume.sampler.order"],
      // checked after everything else on main: the optimizer had been restored, then put back
      [{ ...state, sampler: { ...sampler, random: { i: 0, j: 0, S: [1, 2] } } }, "resume.sampler.random"],
    ];
    for (const [broken, argument] of cases) {
      const error = refuse(broken);
      expect(error).toBeInstanceOf(InvalidSnapshotError);
      expect(error.argument).toBe(argument);
    }
  });

  it("a state with a sampler's snapshot, resumed without a sampler, and one without, resumed with one", () => {
    expect(refuse(saved(), false).argument).toBe("resume.sampler");
    const plain = minimize({ objective: gabor, optimizer: makeOptimizer(), params: Float64Array.of(1, 9), steps: 4 }).state;
    expect(refuse(plain).argument).toBe("resume.sampler");
    // without a sampler every step is an epoch
    const { objective, optimizer } = setup();
    const error = thrown(() => minimize({ objective, optimizer, params: Float64Array.of(1, 9), steps: 9, resume: { ...plain, epochs: 3 } }));
    expect([error.argument, error.value]).toEqual(["resume.epochs", 3]);
  });

  it("an optimizer whose state was built for another length is refused up front", () => {
    const optimizer = new GradientDescent({ lr: 0.01 });
    const params = Float64Array.of(-1.5, 8.5);
    const used = new SGD({ lr: 0.01, momentum: 0.5 });
    used.step(new Float64Array(3), Float64Array.of(1, 2, 3));
    const error = thrown(() => minimize({ objective: gabor, optimizer: used, params, steps: 5 }));
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect([error.argument, error.value]).toEqual(["optimizer.size", 3]);
    expect(Array.from(params)).toEqual([-1.5, 8.5]);
    expect(minimize({ objective: gabor, optimizer, params, steps: 1 }).steps).toBe(1);
    // a resume replaces that state: the run continues as the saved one would
    const saved = minimize({ objective: gabor, optimizer: new SGD({ lr: 0.01, momentum: 0.5 }), params: Float64Array.of(-1.5, 8.5), steps: 3 }).state;
    const whole = minimize({ objective: gabor, optimizer: new SGD({ lr: 0.01, momentum: 0.5 }), params: Float64Array.of(-1.5, 8.5), steps: 6 });
    const resumed = Float64Array.of(0, 0);
    expect(minimize({ objective: gabor, optimizer: used, params: resumed, steps: 6, resume: saved }).state).toEqual(whole.state);
  });
});

describe("minimize refuses a sampler sized for other data", () => {
  it.each([40, 20])("an EpochSampler of size %i on 30 examples", (size) => {
    const params = Float64Array.of(-1.5, 8.5);
    const optimizer = new GradientDescent({ lr: 0.01 });
    const error = thrown(() => minimize({ objective: gabor, optimizer, params, sampler: new EpochSampler({ size, batchSize: 4 }), steps: 10 }));
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect(error.message).toBe(`sampler.size = ${size}: expected 30, the number of examples in the objective's data`);
    expect(Array.from(params)).toEqual([-1.5, 8.5]);
    expect(optimizer.stepCount).toBe(0);
  });

  it("a ReplaySampler knows its size: its indices must lie below it, and it must match the data", () => {
    expect(thrown(() => new ReplaySampler([[0, 1], [2, 30]], { size: 30 })).message).toBe("batches[1] = Array(2): expected a non-empty array of example indices, whole numbers in [0, 30)");
    expect(thrown(() => new ReplaySampler([[0, 1]], { size: 0 })).argument).toBe("size");
    expect(thrown(() => new ReplaySampler([[0, 1]], undefined as never)).argument).toBe("options");
    const replay = new ReplaySampler([[0, 1], [2, 3]], { size: 31 });
    expect(replay.size).toBe(31);
    const error = thrown(() => minimize({ objective: gabor, optimizer: new GradientDescent(), params: Float64Array.of(0, 1), sampler: replay, steps: 2 }));
    expect([error.argument, error.value]).toEqual(["sampler.size", 31]);
    const fits = new ReplaySampler([[0, 1], [2, 29]], { size: 30 });
    expect(minimize({ objective: gabor, optimizer: new GradientDescent(), params: Float64Array.of(0, 1), sampler: fits, steps: 2 }).steps).toBe(2);
  });

  it("a sampler with an objective that has no examples", () => {
    const error = thrown(() => minimize({ objective: rosenbrock(), optimizer: new GradientDescent(), params: Float64Array.of(0, 1), sampler: new EpochSampler({ size: 3, batchSize: 1 }), steps: 2 }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.argument).toBe("sampler");
  });

  it("the empirical risk says how many examples it has", () => {
    expect(gabor.examples).toBe(30);
    expect(rosenbrock().examples).toBeUndefined();
  });
});

describe("minimize stops when the optimizer skips step after step", () => {
  // a finite loss x² whose gradient is NaN: every step of a "skip" optimizer is passed over
  const nanGradient: Objective = { dimension: 1, evaluate: (t, g) => {
    if (g) g[0] = NaN;
    return t[0] * t[0];
  } };

  it("after 10 consecutive skipped steps by default, with reason nonFinite and θ untouched", () => {
    const optimizer = new GradientDescent({ lr: 0.1, nonFinite: "skip" });
    const params = Float64Array.of(3);
    const result = minimize({ objective: nanGradient, optimizer, params, steps: 1000 });
    expect(result).toMatchObject({ reason: "nonFinite", steps: 10, skippedSteps: 10, loss: 9 });
    expect(optimizer.stepCount).toBe(0);
    expect(params[0]).toBe(3);
  });

  it("after stop.maxSkippedSteps of them; isolated skips do not stop the run", () => {
    const skipOnce = (t: number) => minimize({ objective: nanGradient, optimizer: new GradientDescent({ nonFinite: "skip" }), params: Float64Array.of(1), steps: 100, stop: { maxSkippedSteps: t } });
    expect(skipOnce(3)).toMatchObject({ reason: "nonFinite", steps: 3 });
    expect(skipOnce(1)).toMatchObject({ reason: "nonFinite", steps: 1 });
    // every other gradient is NaN: f(x) = x², g = 2x; x ← x − 0.25·2x halves x on each good step
    let calls = 0;
    const everyOther: Objective = { dimension: 1, evaluate: (t, g) => {
      if (g) g[0] = calls++ % 2 === 1 ? NaN : 2 * t[0];
      return t[0] * t[0];
    } };
    const optimizer = new GradientDescent({ lr: 0.25, nonFinite: "skip" });
    const params = Float64Array.of(1);
    const result = minimize({ objective: everyOther, optimizer, params, steps: 20, stop: { maxSkippedSteps: 2 } });
    expect(result).toMatchObject({ reason: "steps", steps: 20, skippedSteps: 10 });
    expect(optimizer.stepCount).toBe(10);
    expect(params[0]).toBe(2 ** -10);
  });

  it.each([0, 1.5, -1, NaN, "3"])("refuses stop.maxSkippedSteps = %s", (value) => {
    const error = thrown(() => minimize({ objective: nanGradient, optimizer: new GradientDescent(), params: Float64Array.of(1), steps: 5, stop: { maxSkippedSteps: value as number } }));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.argument).toBe("stop.maxSkippedSteps");
  });

  it('under "unchecked" the NaN reaches θ and the next step\'s loss stops the run (as the guide says)', () => {
    const params = Float64Array.of(3);
    const result = minimize({ objective: nanGradient, optimizer: new GradientDescent({ nonFinite: "unchecked" }), params, steps: 100 });
    expect(result).toMatchObject({ reason: "nonFinite", steps: 1, skippedSteps: 0 });
    expect(params[0]).toBeNaN();
  });

  it("accepts Infinity: the run spends its budget", () => {
    const result = minimize({ objective: nanGradient, optimizer: new GradientDescent({ nonFinite: "skip" }), params: Float64Array.of(1), steps: 50, stop: { maxSkippedSteps: Infinity } });
    expect(result).toMatchObject({ reason: "steps", steps: 50, skippedSteps: 50 });
  });
});

describe("losses check the labels once per dataset", () => {
  const X = [[0.5], [-1], [2], [0]];

  it("binaryCrossEntropy refuses −1/+1 labels, naming the first one out of [0, 1]", () => {
    const data = dataset(X, [1, -1, 1, -1]);
    const error = thrown(() => empiricalRisk(logisticRegression(), binaryCrossEntropy(), data));
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error.message).toBe("data.y[1] = -1: expected a label in [0, 1] for binaryCrossEntropy (map −1/+1 labels to 0/1)");
    expect(thrown(() => empiricalRisk(logisticRegression(), binaryCrossEntropy({ reduction: "sum" }), dataset(X, [0, 1, 1.5, 0]))).argument).toBe("data.y[2]");
  });

  it("binaryCrossEntropy takes labels in [0, 1], soft ones included: ℓ = log 2 at z = 0 whatever the label", () => {
    const risk = empiricalRisk(logisticRegression(), binaryCrossEntropy(), dataset(X, [0, 1, 0.25, 1]));
    expect(risk.evaluate(Float64Array.of(0, 0), null)).toBeCloseTo(Math.LN2, 15);
  });

  it("the squared losses take any finite target (their domain is ℝ)", () => {
    const data = dataset(X, [-3, 1e6, 0.5, -1]);
    // θ = 0 predicts 0: Σ y² and its mean
    expect(empiricalRisk(linearRegression(), sumOfSquares(), data).evaluate(Float64Array.of(0, 0), null)).toBe(9 + 1e12 + 0.25 + 1);
    expect(empiricalRisk(linearRegression(), meanSquaredError(), data).evaluate(Float64Array.of(0, 0), null)).toBe((9 + 1e12 + 0.25 + 1) / 4);
  });

  it("the check runs when the empirical risk is built, not per batch", () => {
    let checks = 0;
    const bce = binaryCrossEntropy();
    const counted: Loss = { kind: bce.kind, evaluate: bce.evaluate, checkTargets: (y, argument) => (checks++, bce.checkTargets!(y, argument)) };
    const risk = empiricalRisk(logisticRegression(), counted, dataset(X, [0, 1, 1, 0]));
    minimize({ objective: risk, optimizer: new GradientDescent({ lr: 0.1 }), params: new Float64Array(2), sampler: new EpochSampler({ size: 4, batchSize: 2 }), steps: 50 });
    expect(checks).toBe(1);
  });
});

describe("dataset()", () => {
  const rowTypes: { name: string; of(...values: number[]): ArrayLike<number> }[] = [Float64Array, Float32Array, Int32Array, Uint8Array, Int16Array];
  it.each(rowTypes.map((Row) => [Row.name, Row] as const))("takes rows that are %ss", (_name, Row) => {
    const data = dataset([Row.of(1, 2), Row.of(3, 4), Row.of(5, 6)], Row.of(1, 0, 1));
    expect(data.X.shape).toEqual([3, 2]);
    expect([data.X.get(0, 1), data.X.get(2, 0), data.y.get(1)]).toEqual([2, 5, 0]);
    // the same numbers as plain rows
    expect(empiricalRisk(linearRegression(), sumOfSquares(), data).evaluate(Float64Array.of(0.5, 1, -1), null)).toBe(
      empiricalRisk(linearRegression(), sumOfSquares(), dataset([[1, 2], [3, 4], [5, 6]], [1, 0, 1])).evaluate(Float64Array.of(0.5, 1, -1), null),
    );
  });

  it.each([
    ["X[1] = Array(1): expected a row of 2 numbers, like X[0]", [Float64Array.of(1, 2), [3]], [1, 2], ShapeMismatchError],
    ["X[1] = Float32Array(1): expected a row of 2 numbers, like X[0]", [[1, 2], Float32Array.of(3)], [1, 2], ShapeMismatchError],
    ["X[0] = 1: expected a row of numbers (an array or a typed array)", [1, 2], [1, 2], ShapeMismatchError],
    ['X[1] = "ab": expected a row of 2 numbers, like X[0]', [[1, 2], "ab"], [1, 2], ShapeMismatchError],
    ["X = Array(0): expected at least one example", [], [], InvalidOptionError],
    ["X = Array(1): expected at least one feature", [[]], [1], InvalidOptionError],
    ['X[0][1] = "2": expected a finite number', [[1, "2"]], [1], InvalidOptionError],
    ["X[0][1] = null: expected a finite number", [[1, null]], [1], InvalidOptionError],
    ["X[0][1] = NaN: expected a finite number", [[1, NaN]], [1], InvalidOptionError],
    ["y = Array(1): expected 2 targets, one per row of X", [[1], [2]], [1], ShapeMismatchError],
    ['y[0] = "1": expected a finite number', [[1]], ["1"], InvalidOptionError],
    ["y[0] = Array(1): expected a finite number", [[1]], [[1]], InvalidOptionError],
    ["y[0] = Infinity: expected a finite number", [[1]], [Infinity], InvalidOptionError],
    ["y = 5: expected a vector (a 1-D ndarray, an array or a typed array)", [[1]], 5, ShapeMismatchError],
    ["X = Float64Array(2): expected an n × d matrix (a 2-D ndarray, or an array of rows)", Float64Array.of(1, 2), [1, 2], ShapeMismatchError],
  ])("%s", (message, X, y, type) => {
    const error = thrown(() => dataset(X as never, y as never));
    expect(error).toBeInstanceOf(type);
    expect(error.message).toBe(message);
  });
});
