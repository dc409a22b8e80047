// No allocation per step: a million steps must neither trigger a garbage collection nor grow the
// heap by more than 4 MB (test/no-allocation.ts).
import { expect, it } from "vitest";
import { accumulate, Adam, allocateVector, average, backendInfo, chain, LBFGS, lookahead, masked, setBackend, tree } from "gradstep";
import { BFGS, ConjugateGradient, empiricalRisk, EpochSampler, linearRegression, minimize, type Objective, penalized, sumOfSquares, udlLinearData } from "gradstep/learn";
import { allRules, gradientAt } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

const chained = {
  name: "Chain (clip by global norm, decoupled decay, scheduled lr)",
  make: (o?: Record<string, unknown>) =>
    chain(
      [{ kind: "clipByGlobalNorm", maxNorm: 1 }, { kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true }],
      new Adam({ ...o, lr: { kind: "exponential", initial: 1e-6, gamma: 0.999 } }),
    ),
};

const projected = {
  name: "Chain (clip by value, projection onto a box)",
  make: (o?: Record<string, unknown>) =>
    chain([{ kind: "clipByValue", limit: 1 }, { kind: "projectToBox", lower: -1, upper: Array.from({ length: 16 }, (_, i) => (i % 2 === 0 ? 1 : Infinity)) }], new Adam({ ...o, lr: 1e-6 })),
};

const averaged = { name: "average(Adam, ema)", make: (o?: Record<string, unknown>) => average(new Adam({ ...o, lr: 1e-6 }), { kind: "ema", decay: 0.99 }) };
const lookingAhead = { name: "lookahead(Adam, k = 3)", make: (o?: Record<string, unknown>) => lookahead(new Adam({ ...o, lr: 1e-6 }), { syncPeriod: 3 }) };
const accumulated = { name: "accumulate(Adam, every 3)", make: (o?: Record<string, unknown>) => accumulate(new Adam({ ...o, lr: 1e-6 }), { every: 3 }) };

it("a tree's step allocates nothing (groups, a frozen leaf, tree-wide clipping, shaped leaves, gradientPoint)", async () => {
  const opt = tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "**/bias", lr: 1e-7, weightDecay: 0 }], freeze: "frozen", clipByGlobalNorm: { maxNorm: 0.5 } });
  const params = { frozen: new Float64Array(3), layer: { weight: { data: new Float64Array(12), shape: [3, 4] }, bias: new Float64Array(3) } };
  const grads = Array.from({ length: 8 }, (_, t) => {
    const g = gradientAt(t, 18);
    return { frozen: g.subarray(0, 3), layer: { weight: g.subarray(3, 15), bias: g.subarray(15, 18) } };
  });
  const point = { frozen: new Float64Array(3), layer: { weight: new Float64Array(12), bias: new Float64Array(3) } };
  await expectNoAllocation((steps) => {
    for (let t = 0; t < steps; t++) {
      opt.gradientPoint(params, point);
      opt.step(params, grads[t & 7]);
    }
  });
}, 120_000); // as above

it("a tree's step with transforms allocates nothing (masked decay and clipping, a global norm, a box)", async () => {
  const opt = tree(new Adam({ lr: 1e-6 }), {
    groups: [{ match: "**/bias", lr: 1e-7 }],
    transforms: [
      masked({ kind: "clipByValue", limit: 0.9 }, "layer/**"),
      { kind: "clipByGlobalNorm", maxNorm: { kind: "exponential", initial: 0.5, gamma: 0.9999 } },
      masked({ kind: "addWeightDecay", weightDecay: 1e-4 }, /weight$/),
      masked({ kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true }, /weight$/),
      masked({ kind: "projectToBox", lower: -1, upper: 1 }, "layer/bias"),
    ],
  });
  const params = { other: new Float64Array(3), layer: { weight: new Float64Array(12), bias: new Float64Array(3) } };
  const grads = Array.from({ length: 8 }, (_, t) => {
    const g = gradientAt(t, 18);
    return { other: g.subarray(0, 3), layer: { weight: g.subarray(3, 15), bias: g.subarray(15, 18) } };
  });
  await expectNoAllocation((steps) => {
    for (let t = 0; t < steps; t++) opt.step(params, grads[t & 7]);
  });
}, 120_000); // as above

it("a tree's step with new gradient vectors in the parameters' Wasm memory at every step allocates nothing (the check across leaves)", async () => {
  const previous = backendInfo().choice;
  setBackend("auto"); // Wasm memory, whichever backend the suite runs on
  try {
    const opt = tree(new Adam({ lr: 1e-6 }));
    const leaf = (n: number) => allocateVector(n);
    const params = { a: leaf(5), b: { c: leaf(3), d: leaf(4) } };
    const grads = Array.from({ length: 8 }, (_, t) => {
      const g = { a: leaf(5), b: { c: leaf(3), d: leaf(4) } };
      for (const v of [g.a, g.b.c, g.b.d]) v.set(gradientAt(t, v.length));
      return g;
    });
    await expectNoAllocation((steps) => {
      for (let t = 0; t < steps; t++) opt.step(params, grads[t & 7]);
    });
  } finally {
    setBackend(previous);
  }
}, 120_000); // as above

// Every interpolating kind (cosine, linear, polynomial, oneCycle, cosineRestarts) and a sequence.
const everySchedule = {
  name: "Adam with every option scheduled",
  make: () =>
    new Adam({
      lr: { kind: "sequence", boundaries: [100], schedules: [{ kind: "linear", initial: 0, final: 1e-6, steps: 100 }, { kind: "cosine", initial: 1e-6, final: 1e-8, period: 5000, after: "continue" }] },
      beta: { kind: "oneCycle", initial: 0.95, peak: 0.85, final: 0.95, totalSteps: 10_000, anneal: "linear", threePhase: true },
      gamma: { kind: "cosineRestarts", initial: 0.999, final: 0.99, period: 7, periodMultiplier: 2 },
      weightDecay: { kind: "polynomial", initial: 0.01, steps: 20_000, power: 2 },
      weightDecayMode: "decoupled",
    }),
};

it.each([...allRules, chained, projected, accumulated, averaged, lookingAhead, everySchedule])("$name allocates nothing per step (gradientPoint included)", async ({ make }) => {
  const n = 16;
  const opt = make({ lr: 1e-6 });
  const params = new Float64Array(n);
  // A cycle of gradients, not a constant one: a constant gradient drives some rules (centered
  // RMSProp with weight decay) to an equilibrium where the state is subnormal and every step slow.
  const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, n));
  const point = new Float64Array(n);
  await expectNoAllocation((steps) => {
    for (let t = 0; t < steps; t++) {
      opt.gradientPoint(params, point);
      opt.step(params, grads[t & 7]);
    }
  });
}, 120_000); // up to 5 × 1.2M steps: ≤ 3 s on one core, ≤ 6 s with a CPU-bound process on it (one try); 120 s leaves room for five tries on a slow, loaded machine

it("minimize's loop allocates nothing per step (sampler, empirical risk, optimizer)", async () => {
  const objective = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
  await expectNoAllocation((steps) => {
    minimize({ objective, optimizer: new Adam({ lr: 1e-4 }), params: Float64Array.of(0, 0), sampler: new EpochSampler({ size: 12, batchSize: 3, seed: 1 }), steps });
  });
}, 120_000); // as above: ~3 s on one core, one try

it("minimize's loop with a penalized objective allocates nothing per step (the penalty's pass included)", async () => {
  const objective = penalized(empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData()), { l2: 0.1, mask: "exceptIntercept" });
  await expectNoAllocation((steps) => {
    minimize({ objective, optimizer: new Adam({ lr: 1e-4 }), params: Float64Array.of(0, 0), sampler: new EpochSampler({ size: 12, batchSize: 3, seed: 1 }), steps });
  });
}, 120_000); // as above

// LBFGS: "steps" here are iterations (a step runs up to maxIter of them). Rosenbrock in n = 4 with
// evaluateInto (a returned number would be boxed); each step restarts from (−1.2, 1, −1.2, 1), with
// the history ring wrapping (historySize 3). What a step returns, f before it, is one boxed number
// per step: the loop takes steps of hundreds of iterations, counted by the steps (a getter's number
// could box too), and checks afterwards that the iterations did run.
const rosenbrockInto: Objective = {
  dimension: 4,
  evaluate(x, g) {
    const out = new Float64Array(1);
    this.evaluateInto!(x, g, null, 0, out);
    return out[0];
  },
  evaluateInto(x, g, _rows, _count, out) {
    let f = 0;
    if (g) g.fill(0);
    for (let i = 0; i < 3; i++) {
      const r = x[i + 1] - x[i] * x[i];
      f += 100 * r * r + (1 - x[i]) * (1 - x[i]);
      if (g) {
        g[i] += -400 * x[i] * r - 2 * (1 - x[i]);
        g[i + 1] += 200 * r;
      }
    }
    out[0] = f;
  },
};

it.each([
  // the search reaches the minimum in ~40 iterations and goes on (no tolerance stops it) until the restart
  ["LBFGS with the strong-Wolfe line search", 200, { lineSearchFn: "strong_wolfe", historySize: 3, maxIter: 200, maxEval: 400, toleranceGrad: 0, toleranceChange: 0 }],
  ["LBFGS with a fixed step", 1000, { lr: 1e-3, historySize: 3, maxIter: 1000, toleranceGrad: 0, toleranceChange: 0 }],
] as const)("%s allocates nothing per iteration", async (_name, perStep, options) => {
  const opt = new LBFGS(options);
  const params = new Float64Array(4);
  let requested = 0;
  await expectNoAllocation((iterations) => {
    requested += iterations;
    for (let done = 0; done < iterations; done += perStep) {
      params[0] = params[2] = -1.2;
      params[1] = params[3] = 1;
      opt.step(params, rosenbrockInto);
    }
  });
  // (near the minimum a step may end early, on an exactly zero step or an ascent direction from rounding)
  expect(opt.nIter).toBeGreaterThanOrEqual(0.75 * requested);
}, 120_000); // as above

// BFGS and CG: "steps" are iterations again. Each run restarts (reset keeps the buffers) from
// (−1.2, 1, −1.2, 1) with no gradient tolerance: BFGS runs 43 iterations until the gradient is
// exactly 0, CG 130 until its line search finds no step (both counts checked after the loop, which
// reads no number per run). Rosenbrock with evaluateInto, as above.
it.each([
  ["BFGS", () => new BFGS({ gradientTolerance: 0 }), 43, "gradientTolerance"],
  ["CG", () => new ConjugateGradient({ gradientTolerance: 0 }), 130, "lineSearch"],
] as const)("%s allocates nothing per iteration", async (_name, make, perRun, reason) => {
  const solver = make();
  const params = new Float64Array(4);
  let last = "";
  await expectNoAllocation((iterations) => {
    for (let done = 0; done < iterations; done += perRun) {
      params[0] = params[2] = -1.2;
      params[1] = params[3] = 1;
      solver.reset();
      last = solver.run(params, rosenbrockInto);
    }
  });
  expect(last).toBe(reason);
  expect(solver.iterations).toBe(perRun);
}, 120_000); // as above
