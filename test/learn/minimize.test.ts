import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { GradientDescent, InvalidOptionError, InvalidSnapshotError, Nesterov, SGD, ShapeMismatchError } from "gradstep";
import {
  dataset,
  empiricalRisk,
  EpochSampler,
  gaborModel,
  linearRegression,
  minimize,
  type Objective,
  rosenbrock,
  sumOfSquares,
  udlGaborData,
  udlLinearData,
} from "gradstep/learn";

const book = JSON.parse(readFileSync(new URL("../fixtures/udlbook-ch6.json", import.meta.url), "utf8"));
const linear = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
const gabor = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());

describe("the lecture's claims", () => {
  test.prop([fc.double({ min: -5, max: 5, noNaN: true }), fc.double({ min: -5, max: 5, noNaN: true })], { numRuns: 50 })(
    "§4: on the convex regression, gradient descent from any start reaches the least-squares solution",
    (a, b) => {
      const params = Float64Array.of(a, b);
      // λ_max ≈ 50.03, so η = 0.03 < 2/λ_max
      minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.03 }), params, steps: 3000 });
      const best = book["6_2_gradient_descent"].computed.least_squares_optimum.phi;
      expect(params[0]).toBeCloseTo(best[0], 9);
      expect(params[1]).toBeCloseTo(best[1], 9);
    },
  );

  it("§5: on the Gabor landscape, full-batch GD from (3.5, 6.5) is stuck in the local minimum the notebook records", () => {
    const params = Float64Array.of(3.5, 6.5);
    const result = minimize({ objective: gabor, optimizer: new GradientDescent({ lr: 0.2 }), params, steps: 2000 });
    expect(params[0]).toBeCloseTo(6.1713, 3);
    expect(params[1]).toBeCloseTo(8.0881, 3);
    expect(result.loss).toBeCloseTo(9.9613, 3);
  });

  it("§6: with a constant rate SGD keeps moving around the minimum while batch GD converges", () => {
    const start = [0.8, 0.5];
    const gd = minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.01 }), params: Float64Array.from(start), steps: 3000, record: { every: 100 } });
    const sgd = minimize({
      objective: linear,
      optimizer: new GradientDescent({ lr: 0.01 }),
      params: Float64Array.from(start),
      sampler: new EpochSampler({ size: 12, batchSize: 1, seed: 5 }),
      steps: 3000,
      record: { every: 100 },
    });
    const lastMoves = (path: number[][]) => path.slice(-5).map((p, i, all) => (i === 0 ? 0 : Math.hypot(p[0] - all[i - 1][0], p[1] - all[i - 1][1])));
    expect(Math.max(...lastMoves(gd.path!))).toBeLessThan(1e-12);
    expect(Math.min(...lastMoves(sgd.path!).slice(1))).toBeGreaterThan(1e-4);
    expect(sgd.epochs).toBe(250);
    expect(sgd.epochLosses).toHaveLength(250);
    expect(sgd.epochLosses![249]).toBe(sgd.loss);
  });
});

describe("minimize", () => {
  it("evaluates the gradient where the optimizer asks (Nesterov's look-ahead) with no help", () => {
    const opt = new Nesterov({ lr: 0.001, beta: 0.9 });
    const params = Float64Array.of(-1, 1);
    minimize({ objective: rosenbrock(), optimizer: opt, params, steps: 50 });
    // the same by hand
    const manual = new Nesterov({ lr: 0.001, beta: 0.9 });
    const p = Float64Array.of(-1, 1);
    const g = new Float64Array(2);
    const point = new Float64Array(2);
    for (let t = 0; t < 50; t++) {
      rosenbrock().evaluate(manual.gradientPoint(p, point), g);
      manual.step(p, g);
    }
    expect(Array.from(params)).toEqual(Array.from(p));
  });

  it("records step 0, every k steps and the end", () => {
    const result = minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.01 }), params: Float64Array.of(0, 0), steps: 10, record: { every: 4 } });
    expect(result.recordedSteps).toEqual([0, 4, 8, 10]);
    expect(result.path).toHaveLength(4);
    expect(result.losses![3]).toBe(result.loss);
  });

  it("stops on each criterion and says why", () => {
    const run = (stop: object, steps = 100000) =>
      minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.03 }), params: Float64Array.of(0, 0), steps, stop });
    expect(run({}, 7)).toMatchObject({ reason: "steps", steps: 7 });
    expect(run({ gradientNorm: 1e-6 }).reason).toBe("gradientNorm");
    expect(run({ targetLoss: 0.2 }).reason).toBe("targetLoss");
    expect(run({ relativeChange: 1e-14 }).reason).toBe("relativeChange");
    expect(run({ maxTimeMs: 0 }).reason).toBe("time");
    const called = minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.03 }), params: Float64Array.of(0, 0), steps: 100, onStep: (t) => t < 3 });
    expect(called).toMatchObject({ reason: "callback", steps: 3 });
    const epochs = minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.01 }), params: Float64Array.of(0, 0), epochs: 2, sampler: new EpochSampler({ size: 12, batchSize: 5 }) });
    expect(epochs).toMatchObject({ reason: "epochs", steps: 6, epochs: 2 });
  });

  it("keeps the last finite parameters when the loss stops being finite", () => {
    // f(x) = x⁴ with a rate that diverges: x grows until x⁴ overflows
    const quartic: Objective = { dimension: 1, evaluate: (t, g) => {
      if (g) g[0] = 4 * t[0] ** 3;
      return t[0] ** 4;
    } };
    const params = Float64Array.of(2);
    const seen: number[] = [];
    const result = minimize({ objective: quartic, optimizer: new GradientDescent({ lr: 1 }), params, steps: 100, onStep: (_t, p) => void seen.push(p[0]) });
    expect(result.reason).toBe("nonFinite");
    expect(Number.isFinite(params[0])).toBe(true);
    expect(params[0]).toBe(seen[seen.length - 1]);
  });

  it("refuses bad options", () => {
    expect(() => minimize({ objective: linear, optimizer: new GradientDescent(), params: Float64Array.of(0, 0) })).toThrow(InvalidOptionError);
    expect(() => minimize({ objective: linear, optimizer: new GradientDescent(), params: Float64Array.of(0), steps: 1 })).toThrow(ShapeMismatchError);
    expect(() => minimize({ objective: linear, optimizer: new GradientDescent(), params: Float64Array.of(0, 0), steps: -1 })).toThrow(InvalidOptionError);
    expect(() => minimize({ objective: linear, optimizer: new GradientDescent(), params: Float64Array.of(0, 0), steps: 1, stop: { gradientNorm: -1 } })).toThrow(InvalidOptionError);
  });

  it("works on any dataset: least squares with three features recovers the coefficients", () => {
    const X = Array.from({ length: 40 }, (_, i) => [Math.sin(i), Math.cos(2 * i), (i % 7) / 7]);
    const y = X.map(([a, b, c]) => 0.5 + 2 * a - b + 3 * c);
    const objective = empiricalRisk(linearRegression(), sumOfSquares(), dataset(X, y));
    const params = new Float64Array(4);
    minimize({ objective, optimizer: new GradientDescent({ lr: 0.005 }), params, steps: 20000 });
    [0.5, 2, -1, 3].forEach((w, i) => expect(params[i]).toBeCloseTo(w, 8));
  });
});

describe("checkpoint and resume", () => {
  const setup = () => ({
    objective: gabor,
    optimizer: new SGDWithSchedule(),
    sampler: new EpochSampler({ size: 30, batchSize: 4, seed: 11 }),
  });
  // SGD with heavy-ball momentum and a cosine-annealed rate: every piece of state matters.
  class SGDWithSchedule extends SGD {
    constructor() {
      super({ lr: { kind: "cosine", initial: 0.05, final: 0.001, period: 200 }, momentum: 0.9 });
    }
  }

  test.prop([fc.integer({ min: 1, max: 150 })], { numRuns: 20 })("a run stopped at any step and resumed is bit-identical", (split) => {
    const whole = setup();
    const a = Float64Array.of(-1.5, 8.5);
    const full = minimize({ ...whole, params: a, steps: 160 });

    const first = setup();
    const b = Float64Array.of(-1.5, 8.5);
    const head = minimize({ ...first, params: b, steps: split });
    const saved = JSON.parse(JSON.stringify(head.state));
    const second = setup();
    const c = Float64Array.of(0, 0); // overwritten by the resume
    const tail = minimize({ ...second, params: c, steps: 160, resume: saved });

    expect(Array.from(new Uint8Array(c.buffer))).toEqual(Array.from(new Uint8Array(a.buffer)));
    expect(tail.steps).toBe(full.steps);
    expect(tail.epochs).toBe(full.epochs);
    expect(tail.state).toEqual(full.state);
  });

  it("a resumed run that records stops where the uninterrupted one does (relative change)", () => {
    const options = { stop: { relativeChange: 1e-3 }, record: {} };
    const full = minimize({ ...setup(), params: Float64Array.of(-1.5, 8.5), steps: 5000, ...options });
    // stop one step before an earlier epoch's end: comparing with θ there instead of the last epoch's
    // loss would see almost no change and stop too early
    const head = minimize({ ...setup(), params: Float64Array.of(-1.5, 8.5), steps: full.steps - 8 - 1, ...options });
    const tail = minimize({ ...setup(), params: new Float64Array(2), steps: 5000, ...options, resume: JSON.parse(JSON.stringify(head.state)) });
    expect(full.reason).toBe("relativeChange");
    expect([tail.reason, tail.steps]).toEqual([full.reason, full.steps]);
    expect(tail.state).toEqual(full.state);
  });

  it("refuses a broken state and leaves the optimizer as it was", () => {
    const { objective, optimizer, sampler } = setup();
    const run = minimize({ objective, optimizer, sampler, params: Float64Array.of(1, 9), steps: 5 });
    const before = JSON.stringify(optimizer.snapshot());
    const broken = [
      { ...run.state, format: "other" },
      { ...run.state, params: "AAAA" },
      { ...run.state, steps: -1 },
      { ...run.state, sampler: { ...(run.state.sampler as object), cursor: 99 } },
      { ...run.state, optimizer: { ...run.state.optimizer, kind: "Adam" } },
    ];
    for (const state of broken) {
      expect(() => minimize({ objective, optimizer, sampler, params: Float64Array.of(1, 9), steps: 10, resume: state as never })).toThrow(InvalidSnapshotError);
      expect(JSON.stringify(optimizer.snapshot())).toBe(before);
    }
  });
});

describe("§5: the Gabor landscape's recorded minima and basins", () => {
  const land = book.gabor_landscape.computed;
  const minima = [land.global_minimum, ...land.local_minima];

  it.each(minima.map((m: { phi: number[]; loss: number }) => [m.phi.map((v) => v.toFixed(3)).join(", "), m] as const))(
    "(%s) is a stationary point with the recorded loss",
    (_label, m) => {
      const grad = new Float64Array(2);
      expect(gabor.evaluate(Float64Array.from(m.phi), grad)).toBeCloseTo(m.loss, 12);
      expect(Math.hypot(grad[0], grad[1])).toBeLessThan(1e-12);
    },
  );

  it.each([
    [[-1.5, 8.5], land.global_minimum.phi],
    [[1.5, 12], land.global_minimum.phi],
    [[-6, 15], land.local_minima[0].phi],
    [[-3, 9], land.local_minima[0].phi],
  ])("gradient descent from (%j) ends in the basin the file records", (start, minimum) => {
    const params = Float64Array.from(start);
    minimize({ objective: gabor, optimizer: new GradientDescent({ lr: 0.05 }), params, steps: 20000 });
    expect(params[0]).toBeCloseTo(minimum[0], 6);
    expect(params[1]).toBeCloseTo(minimum[1], 6);
  });
});
