// An empirical risk's WebAssembly batch (src/objectives/risk-batch.wat) against its JavaScript path,
// bit for bit, over random datasets, strides, batches and parameters (the score models and the Gabor
// model, under each loss); where it applies and where not.
import ndarray from "ndarray";
import { afterEach, describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, backendInfo, type BackendChoice, GradientDescent, InvalidOptionError, setBackend } from "gradstep";
import {
  binaryCrossEntropy,
  dataset,
  empiricalRisk,
  EpochSampler,
  gaborModel,
  type Loss,
  linearRegression,
  logisticRegression,
  meanSquaredError,
  minimize,
  type Objective,
  type Model,
  sigmoidRegression,
  sumOfSquares,
  syntheticGabor,
  syntheticLogistic,
  udlGaborData,
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

/** The Gabor model under each loss, and whether the targets are labels in [0, 1]. */
const GABOR_LOSSES: [string, () => Loss, boolean][] = [
  ["sumOfSquares", sumOfSquares, false],
  ["meanSquaredError", meanSquaredError, false],
  ["binaryCrossEntropy (mean)", () => binaryCrossEntropy(), true],
  ["binaryCrossEntropy (sum)", () => binaryCrossEntropy({ reduction: "sum" }), true],
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

/**
 * Both risks over the batch of `rows` (its first `count`) and over all n rows in file order: the same
 * gradient and value bits, the value alone the same, and with the value not wanted the same gradient
 * and a number as finite as the value.
 */
function expectSameBatches(js: Objective, wasm: Objective, theta: Float64Array, rows: Int32Array, count: number, n: number): void {
  const ga = new Float64Array(theta.length).fill(7);
  const gb = new Float64Array(theta.length).fill(-7);
  const a = new Float64Array(1);
  const b = new Float64Array(1);
  for (const [r, c] of [[rows, count], [null, n]] as const) {
    js.evaluateInto!(theta, ga, r, c, a);
    wasm.evaluateInto!(theta, gb, r, c, b);
    expect(bytes(gb)).toEqual(bytes(ga));
    expect(bytes(b)).toEqual(bytes(a));
    expect(wasm.evaluate(theta, null, r, c)).toBe(js.evaluate(theta, null, r, c));
    wasm.evaluateInto!(theta, gb, r, c, b, false);
    expect(bytes(gb)).toEqual(bytes(ga));
    expect(Number.isFinite(b[0])).toBe(Number.isFinite(a[0]));
  }
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
        expectSameBatches(js, wasm, theta, rows, count, n);
      },
    );
  }

  for (const [name, loss, labels] of GABOR_LOSSES) {
    test.prop(
      [fc.integer({ min: 1, max: 60 }), fc.integer(), fc.constantFrom("rows", "strided", "offset"), fc.constantFrom(0.1, 3, 30, 800, 1e6, 1e20, 1e300), fc.constantFrom(1, 15)],
      { numRuns: 60 },
    )(`gabor × ${name}: the same bits as the JavaScript path (random data, strides, batches, θ up to 1e300: every reduction of sin and cos)`, (n, seed, layout, spread, width) => {
      const random = uniform(seed);
      const values = Float64Array.from({ length: 2 * n + 1 }, () => (random() - 0.5) * 2 * width);
      // one feature: the second column of a row-major n × 2 matrix (row stride 2), or a column from its second row (offset)
      const X = layout === "strided" ? ndarray(values, [n, 2]).lo(0, 1).hi(n, 1) : layout === "offset" ? ndarray(values, [n + 1, 1]).lo(1, 0) : ndarray(values.subarray(0, n), [n, 1]);
      const y = Float64Array.from({ length: n }, () => (labels ? (random() < 0.2 ? random() : Math.round(random())) : (random() - 0.5) * 2));
      const { js, wasm } = both(gaborModel, loss, dataset(X, y));
      const theta = Float64Array.from({ length: 2 }, () => (random() - 0.5) * spread);
      const count = 1 + Math.floor(random() * n);
      const rows = Int32Array.from({ length: count + 3 }, () => Math.floor(random() * n)); // a row may come twice
      expectSameBatches(js, wasm, theta, rows, count, n);
    });
  }

  it("gabor: the same bits at the edges of sin and cos's reductions, z = 0, tiny and huge (θ chosen for z)", () => {
    const x = Float64Array.of(1, -1, 0.5, 2, 0, -3);
    const y = Float64Array.of(0.3, -0.2, 0.1, 0, 0.5, -0.4);
    setBackend("js");
    const js = empiricalRisk(gaborModel(), sumOfSquares(), dataset(ndarray(x, [6, 1]), y));
    setBackend("wasm");
    const wasm = wasmRisk(gaborModel(), sumOfSquares(), x, y, 1)!; // the Wasm batch itself, no JavaScript fallback
    // z = θ0 + 0.06·θ1·x: with θ1 = 0, z = θ0 on every row
    const zs = [0, -0, 5e-324, 1e-300, Math.PI / 4, (3 * Math.PI) / 4, Math.PI / 2, -Math.PI / 2, 1e4 * Math.PI, 2 ** 19 * (Math.PI / 2), 2 ** 20 * Math.PI, 1e22, -1e300, Number.MAX_VALUE];
    const ga = new Float64Array(2);
    const gb = new Float64Array(2);
    const a = new Float64Array(1);
    const b = new Float64Array(1);
    for (const z0 of zs) {
      for (const theta1 of [0, 1, 1e-10, 1e10]) {
        const theta = Float64Array.of(z0, theta1);
        js.evaluateInto!(theta, ga, null, 6, a);
        expect(wasm(theta, gb, null, 6, b, true)).toBe(true);
        expect([bytes(b), bytes(gb)], `z0 = ${z0}, θ1 = ${theta1}`).toEqual([bytes(a), bytes(ga)]);
      }
    }
    expect(a[0]).not.toBe(0); // (not all zeros: the last θ gives z = −1e300 … on the rows, sin z·0 = 0, but y ≠ 0)
  });

  it("is used for the library's models and losses on the Wasm backend, and not otherwise", () => {
    const X = Float64Array.of(1, 2);
    const y = Float64Array.of(0, 1);
    setBackend("wasm");
    expect(wasmRisk(logisticRegression(), binaryCrossEntropy(), X, y, 1)).toBeTypeOf("function");
    expect(wasmRisk(sigmoidRegression(), meanSquaredError(), X, y, 1)).toBeTypeOf("function");
    expect(wasmRisk(gaborModel(), sumOfSquares(), X, y, 1)).toBeTypeOf("function");
    expect(wasmRisk(gaborModel(), binaryCrossEntropy({ reduction: "sum" }), X, y, 1)).toBeTypeOf("function");
    // a model of the user's own (even a copy of a library one) takes the JavaScript path
    expect(wasmRisk({ ...logisticRegression() }, binaryCrossEntropy(), X, y, 1)).toBeUndefined();
    expect(wasmRisk({ ...gaborModel() }, sumOfSquares(), X, y, 1)).toBeUndefined();
    expect(wasmRisk(logisticRegression(), { ...binaryCrossEntropy() }, X, y, 1)).toBeUndefined();
    // a model used as a loss, or a loss as a model, is neither
    expect(wasmRisk(sumOfSquares(), gaborModel(), X, y, 1)).toBeUndefined();
    // the library's models are frozen, so a registered one always does what its code says
    expect(Object.isFrozen(linearRegression())).toBe(true);
    expect(Object.isFrozen(gaborModel())).toBe(true);
    setBackend("js");
    expect(wasmRisk(logisticRegression(), binaryCrossEntropy(), X, y, 1)).toBeUndefined();
    expect(wasmRisk(gaborModel(), sumOfSquares(), X, y, 1)).toBeUndefined();
  });

  it("data past the memory budget take the JavaScript path", () => {
    setBackend("wasm", { memoryBudget: 1 << 20 });
    expect(wasmRisk(logisticRegression(), binaryCrossEntropy(), new Float64Array(100_000 * 10), new Float64Array(100_000), 10)).toBeUndefined(); // 8.8 MB
  });

  it("bad rows and counts are refused on both paths, naming them, before anything is written; repeated rows are a batch like any", () => {
    const data = dataset([[1], [2], [3]], [0, 1, 1]);
    const { js, wasm } = both(logisticRegression, () => binaryCrossEntropy(), data);
    const theta = Float64Array.of(0.1, -0.2);
    for (const [rows, count, argument] of [[Int32Array.of(0, 5), 2, "rows[1]"], [Int32Array.of(-1, 1), 2, "rows[0]"], [Int32Array.of(1), 2, "count"], [Int32Array.of(0, 1), 1.5, "count"]] as const) {
      for (const J of [js, wasm]) {
        const grad = Float64Array.of(7, 7);
        expect(() => J.evaluate(theta, grad, rows, count)).toThrow(InvalidOptionError);
        expect(() => J.evaluate(theta, grad, rows, count)).toThrow(argument);
        expect(Array.from(grad)).toEqual([7, 7]);
      }
    }
    const ga = new Float64Array(2);
    const gb = new Float64Array(2);
    expect(Object.is(js.evaluate(theta, ga, Int32Array.of(0, 1, 2, 0), 4), wasm.evaluate(theta, gb, Int32Array.of(0, 1, 2, 0), 4))).toBe(true);
    expect(bytes(gb)).toEqual(bytes(ga));
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

  it("minimize gives the same run on both backends (the Gabor model, SGD on the lecture's data; Adam on a synthetic set, shuffled batches)", () => {
    const run = (backend: BackendChoice) => {
      setBackend(backend);
      const book = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
      const bookParams = Float64Array.of(-1.5, 8.5);
      const sgd = minimize({ objective: book, optimizer: new GradientDescent({ lr: 0.01 }), params: bookParams, sampler: new EpochSampler({ size: book.examples, batchSize: 5, seed: 4 }), epochs: 20, record: {} });
      const synthetic = empiricalRisk(gaborModel(), meanSquaredError(), syntheticGabor({ size: 300, noise: 0.1, theta: [0.5, 12], seed: 2 }));
      const params = Float64Array.of(0, 10);
      const adam = minimize({ objective: synthetic, optimizer: new Adam({ lr: 0.05 }), params, sampler: new EpochSampler({ size: 300, batchSize: 16, seed: 9 }), epochs: 5, record: {} });
      return { book: bytes(bookParams), bookLosses: sgd.losses, bookPath: sgd.path, params: bytes(params), losses: adam.losses, path: adam.path };
    };
    const js = run("js");
    expect(js.losses.at(-1)!).toBeLessThan(js.losses[0]);
    expect(js.bookLosses.at(-1)!).toBeLessThan(js.bookLosses[0]);
    expect(run("wasm")).toEqual(js);
  });

  it("allocates nothing per batch (the Gabor model)", async () => {
    const data = syntheticGabor({ size: 1000, noise: 0.1, theta: [0, 10], seed: 1 });
    setBackend("wasm");
    const J = empiricalRisk(gaborModel(), sumOfSquares(), data);
    const theta = Float64Array.of(0.3, 9);
    const grad = new Float64Array(2);
    const out = new Float64Array(1);
    const rows = Int32Array.from({ length: 16 }, (_, k) => (k * 61) % 1000);
    await expectNoAllocation((calls) => {
      for (let i = 0; i < calls; i++) J.evaluateInto!(theta, grad, rows, 16, out, (i & 1) === 0);
    }, 300_000);
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
        const gaborY = Float64Array.of(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8);
        const gaborData = dataset(ndarray(X, [8, 1]), ndarray(gaborY, [8]));
        for (const [model, loss, d] of [[logisticRegression(), binaryCrossEntropy(), data], [linearRegression(), sumOfSquares(), data], [gaborModel(), sumOfSquares(), gaborData]] as const) {
          const J = empiricalRisk(model, loss, d);
          const theta = Float64Array.of(0.1, -0.2, 0.3).subarray(0, J.dimension);
          const grad = new Float64Array(J.dimension);
          const before = J.evaluate(theta, grad, Int32Array.of(2, 0, 3), 3);
          const gradBefore = grad.slice();
          X.fill(7);
          yValues.fill(0);
          gaborY.fill(0);
          const after = J.evaluate(theta, grad, Int32Array.of(2, 0, 3), 3);
          expect(Object.is(after, before), `${backend}`).toBe(true);
          expect([...grad]).toEqual([...gradBefore]);
          X.set([0.5, -1, 2, 0.25, -0.75, 1.5, 1, 3]);
          yValues.set([1, 0, 1, 0]);
          gaborY.set([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]);
        }
      } finally {
        setBackend(previous);
      }
    }
  });
});
