// An empirical risk's WebAssembly batch (src/objectives/risk-batch.wat) against its JavaScript path,
// bit for bit, over random datasets, strides, batches and parameters; where it applies and where not.
import ndarray from "ndarray";
import { afterEach, describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, backendInfo, type BackendChoice, setBackend } from "gradstep";
import {
  binaryCrossEntropy,
  dataset,
  empiricalRisk,
  EpochSampler,
  type Loss,
  linearRegression,
  logisticRegression,
  meanSquaredError,
  minimize,
  type Model,
  sigmoidRegression,
  sumOfSquares,
  syntheticLogistic,
} from "gradstep/learn";
import { wasmRisk } from "../../src/objectives/wasm-risk.js";
import { bytes } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

/** The suite's own backend (GRADSTEP_BACKEND), restored after each test that switches. */
const suiteBackend = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  setBackend(suiteBackend);
});

const PAIRS: [string, () => Model, () => Loss, boolean][] = [
  ["linear × sumOfSquares", linearRegression, sumOfSquares, false],
  ["linear × meanSquaredError", linearRegression, meanSquaredError, false],
  ["logistic × binaryCrossEntropy (mean)", logisticRegression, () => binaryCrossEntropy(), true],
  ["logistic × binaryCrossEntropy (sum)", logisticRegression, () => binaryCrossEntropy({ reduction: "sum" }), true],
  ["sigmoid × meanSquaredError", sigmoidRegression, meanSquaredError, false],
  ["sigmoid × sumOfSquares", sigmoidRegression, sumOfSquares, false],
];

/** A seeded uniform generator in [0, 1) (mulberry32). */
function uniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same risk on either backend (each binds the backend it was built on). */
function both(model: () => Model, loss: () => Loss, data: ReturnType<typeof dataset>) {
  setBackend("js");
  const js = empiricalRisk(model(), loss(), data);
  setBackend("wasm");
  const wasm = empiricalRisk(model(), loss(), data);
  setBackend(suiteBackend);
  return { js, wasm };
}

describe("the Wasm batch of an empirical risk", () => {
  for (const [name, model, loss, labels] of PAIRS) {
    test.prop([fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 11 }), fc.integer(), fc.constantFrom("rows", "transposed", "offset"), fc.constantFrom(0.1, 1, 30, 800)], { numRuns: 60 })(
      `${name}: the same bits as the JavaScript path (random data, strides, batches, θ)`,
      (n, d, seed, layout, spread) => {
        const random = uniform(seed);
        const values = Float64Array.from({ length: (n + 1) * d }, () => (random() - 0.5) * 4);
        // a transposed view reads X with strides (1, n), an offset one from its second row: the copy into Wasm memory follows them
        const X =
          layout === "transposed" ? ndarray(values, [d, n]).transpose(1, 0) : layout === "offset" ? ndarray(values, [n + 1, d]).lo(1, 0) : ndarray(values.subarray(0, n * d), [n, d]);
        const y = Float64Array.from({ length: n }, () => (labels ? (random() < 0.2 ? random() : Math.round(random())) : (random() - 0.5) * 6));
        const { js, wasm } = both(model, loss, dataset(X, y));
        const theta = Float64Array.from({ length: d + 1 }, () => (random() - 0.5) * spread);
        const count = 1 + Math.floor(random() * n); // a row may come twice
        const rows = Int32Array.from({ length: count + 3 }, () => Math.floor(random() * n));
        const ga = new Float64Array(d + 1).fill(7);
        const gb = new Float64Array(d + 1).fill(-7);
        const a = new Float64Array(1);
        const b = new Float64Array(1);
        for (const [r, c] of [[rows, count], [null, n]] as const) {
          js.evaluateInto!(theta, ga, r, c, a);
          wasm.evaluateInto!(theta, gb, r, c, b);
          expect(bytes(gb)).toEqual(bytes(ga));
          expect(bytes(b)).toEqual(bytes(a));
          // no gradient: the value alone
          expect(wasm.evaluate(theta, null, r, c)).toBe(js.evaluate(theta, null, r, c));
          // the value not wanted: the same gradient, and a number as finite as the value
          wasm.evaluateInto!(theta, gb, r, c, b, false);
          expect(bytes(gb)).toEqual(bytes(ga));
          expect(Number.isFinite(b[0])).toBe(Number.isFinite(a[0]));
        }
      },
    );
  }

  it("is used for the library's models and losses on the Wasm backend, and not otherwise", () => {
    const { X, y } = dataset([[1], [2]], [0, 1]);
    setBackend("wasm");
    expect(wasmRisk(logisticRegression(), binaryCrossEntropy(), X, y)).toBeTypeOf("function");
    expect(wasmRisk(sigmoidRegression(), meanSquaredError(), X, y)).toBeTypeOf("function");
    // a model of the user's own (even a copy of a library one) takes the JavaScript path
    expect(wasmRisk({ ...logisticRegression() }, binaryCrossEntropy(), X, y)).toBeUndefined();
    expect(wasmRisk(logisticRegression(), { ...binaryCrossEntropy() }, X, y)).toBeUndefined();
    // the library's models are frozen, so a registered one always does what its code says
    expect(Object.isFrozen(linearRegression())).toBe(true);
    setBackend("js");
    expect(wasmRisk(logisticRegression(), binaryCrossEntropy(), X, y)).toBeUndefined();
  });

  it("data past the memory budget take the JavaScript path", () => {
    const { X, y } = syntheticLogistic({ size: 100_000, features: 10, seed: 1 }); // 8.8 MB
    setBackend("wasm", { memoryBudget: 1 << 20 });
    expect(wasmRisk(logisticRegression(), binaryCrossEntropy(), X, y)).toBeUndefined();
  });

  it("bad rows give what the JavaScript path gives (it reads them)", () => {
    const data = dataset([[1], [2], [3]], [0, 1, 1]);
    const { js, wasm } = both(logisticRegression, () => binaryCrossEntropy(), data);
    const theta = Float64Array.of(0.1, -0.2);
    for (const [rows, count] of [[Int32Array.of(0, 5), 2], [Int32Array.of(-1, 1), 2], [Int32Array.of(1), 2], [Int32Array.of(0, 1, 2, 0), 4], [Int32Array.of(0, 1), 1.5]] as const) {
      const ga = new Float64Array(2);
      const gb = new Float64Array(2);
      const va = js.evaluate(theta, ga, rows, count);
      const vb = wasm.evaluate(theta, gb, rows, count);
      expect(Object.is(va, vb)).toBe(true);
      expect(bytes(gb)).toEqual(bytes(ga));
    }
    expect(() => wasm.evaluate(new Float64Array(3), null)).toThrow(/theta/);
  });

  it("the value not wanted: a number finite exactly where the loss is, at the edge of overflow too", () => {
    const data = dataset([[1], [1], [-1]], [0, 0, 1]);
    const { js, wasm } = both(logisticRegression, () => binaryCrossEntropy({ reduction: "sum" }), data);
    const theta = Float64Array.of(0, 1e308); // each row's term is 1e308 (+ log1p(e^−1e308) = 0)
    const a = new Float64Array(1);
    const b = new Float64Array(1);
    const grad = new Float64Array(2);
    for (const [rows, count, finite] of [[Int32Array.of(0), 1, true], [Int32Array.of(0, 2), 2, false], [Int32Array.of(0, 1), 2, false]] as const) {
      js.evaluateInto!(theta, grad, rows, count, a);
      wasm.evaluateInto!(theta, grad, rows, count, b, false);
      expect([Number.isFinite(a[0]), Number.isFinite(b[0])]).toEqual([finite, finite]);
    }
  });

  it("minimize gives the same run on both backends (logistic regression, Adam, shuffled batches), with and without onStep", () => {
    const data = syntheticLogistic({ size: 500, features: 5, seed: 3 });
    // with onStep, every batch's value; without, the batch values are not computed (only checked for being finite)
    const run = (backend: BackendChoice, watch: boolean) => {
      setBackend(backend);
      const objective = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
      const params = new Float64Array(6);
      const batchLosses: number[] = [];
      const result = minimize({
        objective,
        optimizer: new Adam({ lr: 0.05 }),
        params,
        sampler: new EpochSampler({ size: 500, batchSize: 16, seed: 9 }),
        epochs: 3,
        record: { path: false },
        ...(watch ? { onStep: (_: number, __: Float64Array, loss: number) => void batchLosses.push(loss) } : {}),
      });
      return { params: bytes(params), losses: result.losses, batchLosses, reason: result.reason };
    };
    const js = run("js", true);
    expect(js.batchLosses).toHaveLength(96);
    expect(run("wasm", true)).toEqual(js);
    expect(run("wasm", false)).toEqual({ ...js, batchLosses: [] });
  });

  it("allocates nothing per batch", async () => {
    const data = syntheticLogistic({ size: 1000, features: 7, seed: 1 });
    setBackend("wasm");
    const J = empiricalRisk(logisticRegression(), binaryCrossEntropy(), data);
    const theta = new Float64Array(8).fill(0.01);
    const grad = new Float64Array(8);
    const out = new Float64Array(1);
    const rows = Int32Array.from({ length: 16 }, (_, k) => (k * 61) % 1000);
    await expectNoAllocation((calls) => {
      for (let i = 0; i < calls; i++) J.evaluateInto!(theta, grad, rows, 16, out, (i & 1) === 0);
    }, 300_000);
  });
});

describe("the data a risk evaluates are its values when it was built, on every backend", () => {
  it("changing the dataset's arrays afterwards changes no evaluation (the Wasm batch and the JavaScript path alike)", () => {
    for (const backend of ["js", "wasm"] as const) {
      const previous = backendInfo().choice;
      setBackend(backend);
      try {
        const X = new Float64Array([0.5, -1, 2, 0.25, -0.75, 1.5, 1, 3]);
        const yValues = new Float64Array([1, 0, 1, 0]);
        const data = dataset(ndarray(X, [4, 2]), ndarray(yValues, [4]));
        for (const [model, loss] of [[logisticRegression(), binaryCrossEntropy()], [linearRegression(), sumOfSquares()]] as const) {
          const J = empiricalRisk(model, loss, data);
          const theta = Float64Array.of(0.1, -0.2, 0.3);
          const grad = new Float64Array(3);
          const before = J.evaluate(theta, grad, Int32Array.of(2, 0, 3), 3);
          const gradBefore = grad.slice();
          X.fill(7);
          yValues.fill(0);
          const after = J.evaluate(theta, grad, Int32Array.of(2, 0, 3), 3);
          expect(Object.is(after, before), `${backend}`).toBe(true);
          expect([...grad]).toEqual([...gradBefore]);
          X.set([0.5, -1, 2, 0.25, -0.75, 1.5, 1, 3]);
          yValues.set([1, 0, 1, 0]);
        }
      } finally {
        setBackend(previous);
      }
    }
  });
});
