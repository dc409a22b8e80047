// A network risk's WebAssembly batch (src/objectives/network-batch.wat) against its JavaScript path
// (Network.accumulate), bit for bit, over random networks (depth 1–3, widths 1–9, each activation, a
// softmax of 2–5 classes or a regression), reductions, batches and parameters; where it applies and
// where not.
import ndarray from "ndarray";
import { afterEach, describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adam, backendInfo, type BackendChoice, InvalidOptionError, setBackend } from "gradstep";
import { type Activation, createRandom, dataset, type DenseNetwork, EpochSampler, minimize, mlp, networkRisk, type NetworkRisk, softmaxRegression } from "gradstep/learn";
import { currentRuntime } from "../../src/backends/backend.js";
import { type WasmNetworkEvaluate, wasmNetworkRisk } from "../../src/objectives/wasm-network-risk.js";
import { bytes } from "../helpers.js";
import { expectNoAllocation } from "../no-allocation.js";

/** The suite's own backend (GRADSTEP_BACKEND), restored after each test that switches. */
const suiteBackend = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  setBackend(suiteBackend);
});

/** The same risk on either backend (each binds the backend it was built on). */
function both(network: DenseNetwork, data: ReturnType<typeof dataset>, reduction: "mean" | "sum") {
  setBackend("js");
  const js = networkRisk(network, data, { reduction });
  setBackend("wasm");
  const wasm = networkRisk(network, data, { reduction });
  setBackend(suiteBackend);
  return { js, wasm };
}

/** Where two vectors differ (Object.is, element by element), or "" where they are the same. */
function difference(a: Float64Array, b: Float64Array): string {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return `[${i}]: JS ${a[i]}, Wasm ${b[i]}`;
  return "";
}

/**
 * Both risks on the batch (rows, count) or all rows (rows null), with a gradient and without: the same
 * value and gradient; and the same from the Wasm batch itself (`direct`, no JavaScript fallback).
 */
function expectSame(js: NetworkRisk, wasm: NetworkRisk, direct: WasmNetworkEvaluate, theta: Float64Array, rows: Int32Array | null, count: number): void {
  const ga = new Float64Array(theta.length).fill(7);
  const gb = new Float64Array(theta.length).fill(-7);
  const a = new Float64Array(1);
  const b = new Float64Array(1);
  js.evaluateInto(theta, ga, rows, count, a);
  wasm.evaluateInto(theta, gb, rows, count, b);
  expect([difference(ga, gb), difference(a, b)]).toEqual(["", ""]);
  gb.fill(-7);
  expect(direct(theta, gb, rows, count, b)).toBe(true);
  expect([difference(ga, gb), difference(a, b)]).toEqual(["", ""]);
  // without the gradient
  js.evaluateInto(theta, null, rows, count, a);
  wasm.evaluateInto(theta, null, rows, count, b);
  expect(difference(a, b)).toBe("");
  expect(direct(theta, null, rows, count, b)).toBe(true);
  expect(difference(a, b)).toBe("");
}

/** The Wasm batch over rows of X and labels y, as networkRisk builds it (its data copied row-major). */
function wasmBatch(network: DenseNetwork, X: readonly number[][], y: readonly number[], reduction: "mean" | "sum"): WasmNetworkEvaluate {
  setBackend("wasm");
  const direct = wasmNetworkRisk(network, Float64Array.from(X.flat()), Float64Array.from(y), reduction === "mean")!;
  setBackend(suiteBackend);
  return direct;
}

const activation = fc.constantFrom<Activation>("tanh", "relu", "sigmoid");

describe("the Wasm batch of a network risk", () => {
  test.prop(
    [
      fc.integer({ min: 1, max: 9 }), // inputs
      fc.array(fc.record({ units: fc.integer({ min: 1, max: 9 }), activation }), { maxLength: 2 }), // hidden layers: depth 1–3
      fc.oneof(fc.integer({ min: 2, max: 5 }), fc.constant(0)), // classes, or 0: a regression
      fc.boolean(), // softmaxRegression rather than an mlp without hidden layers
      fc.constantFrom("mean", "sum") as fc.Arbitrary<"mean" | "sum">,
      fc.integer({ min: 1, max: 40 }), // rows
      fc.constantFrom(0.1, 1, 5, 40, 1e3),
      fc.integer(),
    ],
    { numRuns: 300 },
  )("the same bits as the JavaScript path (random networks, data, batches with repeated rows, θ)", (inputs, hidden, classes, plain, reduction, n, spread, seed) => {
    const network =
      hidden.length === 0 && plain && classes > 0
        ? softmaxRegression({ inputs, classes })
        : mlp({ inputs, hidden, output: classes > 0 ? { kind: "softmax", classes } : { kind: "regression" } });
    const random = createRandom(seed);
    const X = Array.from({ length: n }, () => Array.from({ length: inputs }, () => (random.next() - 0.5) * 6));
    const y = X.map(() => (classes > 0 ? Math.floor(random.next() * classes) : (random.next() - 0.5) * 4));
    const { js, wasm } = both(network, dataset(X, y), reduction);
    const direct = wasmBatch(network, X, y, reduction);
    const theta = network.initialize(seed);
    for (let i = 0; i < theta.length; i++) theta[i] = theta[i] * spread + (random.next() - 0.5) * 0.1; // biases ≠ 0 too
    const count = 1 + Math.floor(random.next() * 2 * n); // a row may come twice, and a batch be larger than the data
    const rows = Int32Array.from({ length: count }, () => Math.floor(random.next() * n));
    expectSame(js, wasm, direct, theta, rows, Math.min(count, n));
    expectSame(js, wasm, direct, theta, null, n);
  });

  it("the same bits where scores overflow, saturate or are NaN (θ at the edges of exp, tanh and the softmax)", () => {
    const net = mlp({ inputs: 2, hidden: [{ units: 3, activation: "tanh" }, { units: 5, activation: "sigmoid" }, { units: 2, activation: "relu" }], output: { kind: "softmax", classes: 3 } });
    const X = [[1, -2], [0, 0], [-3, 0.5], [1e-300, 7]];
    const y = [0, 2, 1, 2];
    const { js, wasm } = both(net, dataset(X, y), "mean");
    const direct = wasmBatch(net, X, y, "mean");
    for (const scale of [0, 1e-10, 1, 30, 800, 1e300, Infinity, NaN]) {
      const theta = net.initialize(4).map((v, i) => v * scale + (i % 3) - 1);
      expectSame(js, wasm, direct, theta, Int32Array.of(3, 0, 0, 2), 4);
      expectSame(js, wasm, direct, theta, null, 4);
    }
  });

  it("on a plain (non-shared) memory too, and after that memory grows (its views re-derived)", () => {
    const net = mlp({ inputs: 6, hidden: [{ units: 9, activation: "sigmoid" }, { units: 5, activation: "tanh" }], output: { kind: "softmax", classes: 4 } });
    const random = createRandom(12);
    const X = Array.from({ length: 30 }, () => Array.from({ length: 6 }, () => 4 * random.next() - 2));
    const y = X.map((x) => (x[0] > 0 ? 3 : x[1] > 0 ? 2 : x[2] > 0 ? 1 : 0));
    setBackend("js");
    const js = networkRisk(net, dataset(X, y), { reduction: "sum" });
    try {
      setBackend("wasm", { sharedMemory: false });
      expect(backendInfo().sharedMemory).toBe(false);
      const wasm = networkRisk(net, dataset(X, y), { reduction: "sum" });
      const direct = wasmNetworkRisk(net, Float64Array.from(X.flat()), Float64Array.from(y), false)!;
      const theta = net.initialize(8);
      const rows = Int32Array.of(29, 0, 7, 7, 13);
      expectSame(js, wasm, direct, theta, rows, 5);
      const before = currentRuntime()!.memory.buffer.byteLength;
      new Adam().step(new Float64Array(2_000_000), new Float64Array(2_000_000)); // its state grows the memory
      expect(currentRuntime()!.memory.buffer.byteLength).toBeGreaterThan(before);
      expectSame(js, wasm, direct, theta, rows, 5);
      expectSame(js, wasm, direct, theta, null, 30);
    } finally {
      setBackend(suiteBackend, { sharedMemory: typeof SharedArrayBuffer === "function" });
    }
  });

  it("is used on the Wasm backend, and not on the JavaScript one", () => {
    const net = softmaxRegression({ inputs: 1, classes: 2 });
    setBackend("wasm");
    expect(wasmNetworkRisk(net, Float64Array.of(1, 2), Float64Array.of(0, 1), true)).toBeTypeOf("function");
    setBackend("js");
    expect(wasmNetworkRisk(net, Float64Array.of(1, 2), Float64Array.of(0, 1), true)).toBeUndefined();
  });

  it("data past the memory budget take the JavaScript path", () => {
    setBackend("wasm", { memoryBudget: 1 << 20 });
    const net = mlp({ inputs: 10, hidden: [{ units: 4, activation: "relu" }], output: { kind: "regression" } });
    expect(wasmNetworkRisk(net, new Float64Array(100_000 * 10), new Float64Array(100_000), false)).toBeUndefined(); // 8.8 MB
  });

  it("bad rows and counts are refused on both paths, naming them, before anything is written; bad arguments throw as before", () => {
    const net = mlp({ inputs: 1, hidden: [{ units: 3, activation: "tanh" }], output: { kind: "softmax", classes: 2 } });
    const { js, wasm } = both(net, dataset([[1], [2], [3]], [0, 1, 1]), "mean");
    const theta = net.initialize(2);
    for (const [rows, count, argument] of [[Int32Array.of(0, 5), 2, "rows[1]"], [Int32Array.of(-1, 1), 2, "rows[0]"], [Int32Array.of(1), 2, "count"], [Int32Array.of(0, 1), 1.5, "count"], [Int32Array.of(0), 0, "count"]] as const) {
      for (const J of [js, wasm]) {
        const grad = new Float64Array(theta.length).fill(7);
        expect(() => J.evaluate(theta, grad, rows, count)).toThrow(InvalidOptionError);
        expect(() => J.evaluate(theta, grad, rows, count)).toThrow(argument);
        expect(grad.every((g) => g === 7)).toBe(true);
      }
    }
    const ga = new Float64Array(theta.length);
    const gb = new Float64Array(theta.length);
    expect(Object.is(js.evaluate(theta, ga, Int32Array.of(0, 1, 2, 0), 4), wasm.evaluate(theta, gb, Int32Array.of(0, 1, 2, 0), 4))).toBe(true);
    expect(bytes(gb)).toEqual(bytes(ga));
    expect(() => wasm.evaluate(new Float64Array(3), null)).toThrow(/theta/);
    expect(() => wasm.evaluate(theta, new Float64Array(2))).toThrow(/grad/);
  });

  it("minimize gives the same run on both backends (an MLP, Adam, shuffled batches)", () => {
    const random = createRandom(5);
    const X = Array.from({ length: 300 }, () => Array.from({ length: 4 }, () => 4 * random.next() - 2));
    const data = dataset(X, X.map((x) => (x[0] * x[1] > 0 ? (x[2] > 0 ? 2 : 1) : 0)));
    const run = (backend: BackendChoice) => {
      setBackend(backend);
      const net = mlp({ inputs: 4, hidden: [{ units: 8, activation: "tanh" }, { units: 5, activation: "relu" }], output: { kind: "softmax", classes: 3 } });
      const params = net.initialize(1);
      const result = minimize({ objective: networkRisk(net, data), optimizer: new Adam({ lr: 0.02 }), params, sampler: new EpochSampler({ size: 300, batchSize: 16, seed: 9 }), epochs: 5, record: {} });
      return { params: bytes(params), losses: result.losses, path: result.path };
    };
    const js = run("js");
    expect(js.losses.at(-1)!).toBeLessThan(js.losses[0]);
    expect(run("wasm")).toEqual(js);
  });

  it("allocates nothing per batch", async () => {
    const random = createRandom(6);
    const X = Array.from({ length: 1000 }, () => Array.from({ length: 7 }, () => 2 * random.next() - 1));
    const data = dataset(X, X.map((x) => (x[0] > 0 ? 1 : 0)));
    setBackend("wasm");
    const net = mlp({ inputs: 7, hidden: [{ units: 9, activation: "tanh" }, { units: 5, activation: "sigmoid" }], output: { kind: "softmax", classes: 2 } });
    const J = networkRisk(net, data);
    const theta = net.initialize(3);
    const grad = new Float64Array(J.dimension);
    const out = new Float64Array(1);
    const rows = Int32Array.from({ length: 16 }, (_, k) => (k * 61) % 1000);
    await expectNoAllocation((calls) => {
      for (let i = 0; i < calls; i++) J.evaluateInto(theta, (i & 1) === 0 ? grad : null, rows, 16, out);
    }, 100_000);
  });
});

describe("the data a network risk evaluates are its values when it was built, on every backend", () => {
  it("changing the dataset's arrays afterwards changes no evaluation (the Wasm batch and the JavaScript path alike)", () => {
    for (const backend of ["js", "wasm"] as const) {
      const previous = backendInfo().choice;
      setBackend(backend);
      try {
        const X = new Float64Array([0.5, -1, 2, 0.25, -0.75, 1.5, 1, 3]);
        const labels = new Float64Array([1, 0, 2, 0]);
        const data = dataset(ndarray(X, [4, 2]), ndarray(labels, [4]));
        const net = mlp({ inputs: 2, hidden: [{ units: 3, activation: "tanh" }], output: { kind: "softmax", classes: 3 } });
        const J = networkRisk(net, data);
        const theta = net.initialize(1);
        const grad = new Float64Array(J.dimension);
        const before = J.evaluate(theta, grad, Int32Array.of(2, 0, 3), 3);
        const gradBefore = grad.slice();
        X.fill(7);
        labels.fill(1);
        const after = J.evaluate(theta, grad, Int32Array.of(2, 0, 3), 3);
        expect(Object.is(after, before), backend).toBe(true);
        expect([...grad]).toEqual([...gradBefore]);
      } finally {
        setBackend(previous);
      }
    }
  });
});
