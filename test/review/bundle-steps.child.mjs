// Run by bundle-allocation.test.ts in a plain Node process: steps every optimizer of the bundle in the
// folder argv[2], then the wrappers, chains, trees and minimize's loop, and prints, as JSON, the
// garbage collections each loop of steps started (0 when nothing is allocated per step). No test
// runner here: the code runs as users run it, one case after another in one process, as an
// application would (what ran before can change what V8 compiles: a chain with a box, then one with a
// decay scaled by a scheduled η, allocated at every step until η was no longer returned by a call).
import { performance, PerformanceObserver } from "node:perf_hooks";

const folder = process.argv[2];
const { optimizerRegistry, chain, Adam, setBackend, tree, masked, average, lookahead, accumulate } = await import(`${folder}/index.js`);
const learn = await import(`${folder}/learn.js`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Collections that started while `run()` ran. */
async function collectionsDuring(run) {
  const starts = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  const start = performance.now();
  run();
  const end = performance.now();
  await settle();
  observer.disconnect();
  return starts.filter((t) => t >= start && t <= end).length;
}

/** A warm-up, then up to three measurements (the compiler works on a background thread and can be late on a loaded machine); a loop that allocates per step or per element fails all three. */
async function collections(loop, calls) {
  let count = Infinity;
  for (let attempt = 0; attempt < 3 && count > 0; attempt++) {
    loop(calls / 4);
    await settle();
    count = await collectionsDuring(() => loop(calls));
  }
  return count;
}

const gradientAt = (t, n) => Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * t + 0.7 * i) * 10 ** ((i % 5) - 2));

/** `count` steps of `opt` on a vector of n (or on `params` and a cycle of gradients shaped by `split`). */
function stepping(opt, n, params = Float64Array.from({ length: n }, (_, i) => 1 + (i % 7) / 8), split = (g) => g) {
  const grads = Array.from({ length: 8 }, (_, t) => split(gradientAt(t, n)));
  return (count) => {
    for (let t = 0; t < count; t++) opt.step(params, grads[t & 7]);
  };
}

const rules = [];
for (const entry of optimizerRegistry) {
  rules.push({ name: entry.name, make: () => entry.create({ lr: 1e-9 }) });
  for (const variant of entry.variants) rules.push({ name: variant.name, make: () => entry.create({ ...variant.options, lr: 1e-9 }) });
}
rules.push({ name: "chain (clip by global norm, Adam)", make: () => chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }], new Adam({ lr: 1e-9 })) });

const scheduled = { kind: "exponential", initial: 1e-6, gamma: 0.999 };
const leaves = (g) => ({ frozen: g.subarray(0, 3), layer: { weight: g.subarray(3, 15), bias: g.subarray(15, 18) } });
const others = [
  ["chain (clip by value, box)", () => stepping(chain([{ kind: "clipByValue", limit: 1 }, { kind: "projectToBox", lower: -1, upper: 1 }], new Adam({ lr: 1e-6 })), 16)],
  ["chain (clip by global norm, decay scaled by a scheduled η)", () => stepping(chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }, { kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true }], new Adam({ lr: scheduled })), 16)],
  ["average (ema)", () => stepping(average(new Adam({ lr: 1e-6 }), { kind: "ema", decay: 0.99 }), 16)],
  ["lookahead", () => stepping(lookahead(new Adam({ lr: 1e-6 }), { syncPeriod: 3 }), 16)],
  ["accumulate", () => stepping(accumulate(new Adam({ lr: 1e-6 }), { every: 3 }), 16)],
  ["tree (groups, a frozen leaf, tree-wide clipping)", () => {
    const opt = tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "**/bias", lr: 1e-7, weightDecay: 0 }], freeze: "frozen", clipByGlobalNorm: { maxNorm: 0.5 } });
    return stepping(opt, 18, { frozen: new Float64Array(3), layer: { weight: { data: new Float64Array(12), shape: [3, 4] }, bias: new Float64Array(3) } }, leaves);
  }],
  ["tree (masked transforms, a scheduled global norm)", () => {
    const transforms = [masked({ kind: "clipByValue", limit: 0.9 }, "layer/**"), { kind: "clipByGlobalNorm", maxNorm: { kind: "exponential", initial: 0.5, gamma: 0.9999 } }, masked({ kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true }, /weight$/)];
    const opt = tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "**/bias", lr: 1e-7 }], transforms });
    return stepping(opt, 18, { frozen: new Float64Array(3), layer: { weight: new Float64Array(12), bias: new Float64Array(3) } }, leaves);
  }],
  ["minimize (empirical risk, sampler, Adam)", () => {
    const objective = learn.penalized(learn.empiricalRisk(learn.linearRegression(), learn.sumOfSquares(), learn.udlLinearData()), { l2: 0.1, mask: "exceptIntercept" });
    return (steps) => learn.minimize({ objective, optimizer: new Adam({ lr: 1e-4 }), params: Float64Array.of(0, 0), sampler: new learn.EpochSampler({ size: 12, batchSize: 3, seed: 1 }), steps });
  }],
  ["logistic risk on a batch", () => {
    const J = learn.empiricalRisk(learn.logisticRegression(), learn.binaryCrossEntropy(), learn.syntheticLogistic({ size: 1000, features: 7, seed: 1 }));
    const theta = new Float64Array(8).fill(0.01);
    const grad = new Float64Array(8);
    const out = new Float64Array(1);
    const rows = Int32Array.from({ length: 16 }, (_, k) => (k * 61) % 1000);
    return (count) => {
      for (let i = 0; i < count; i++) J.evaluateInto(theta, grad, rows, 16, out, (i & 1) === 0);
    };
  }],
  ["network risk (mlp)", () => {
    const random = learn.createRandom(8);
    const X = Array.from({ length: 40 }, () => Array.from({ length: 3 }, () => 2 * random.next() - 1));
    const net = learn.mlp({ inputs: 3, hidden: [{ units: 6, activation: "tanh" }, { units: 5, activation: "relu" }], output: { kind: "softmax", classes: 3 } });
    const J = learn.networkRisk(net, learn.dataset(X, X.map((x) => (x[0] > 0 ? (x[1] > 0 ? 2 : 1) : 0))));
    const theta = net.initialize(3);
    const grad = new Float64Array(J.dimension);
    const out = new Float64Array(1);
    const rows = Int32Array.of(5, 17, 2, 33, 8, 21, 0, 39);
    return (count) => {
      for (let k = 0; k < count; k++) J.evaluateInto(theta, grad, rows, rows.length, out);
    };
  }],
];

// The rules on the JavaScript kernels on a vector long enough that an allocation per element shows
// (2·10^7 elements), then on each backend on a short one, where the step's own cost dominates.
const results = {};
for (const { backend, n, steps } of [{ backend: "js", n: 1000, steps: 20_000 }, { backend: "js", n: 8, steps: 200_000 }, { backend: "auto", n: 8, steps: 200_000 }]) {
  setBackend(backend);
  for (const { name, make } of rules) {
    const opt = make();
    results[`${name}, ${backend}, n = ${n}`] = await collections(stepping(opt, n), steps);
    opt.dispose?.();
  }
}
for (const backend of ["js", "auto"]) {
  setBackend(backend);
  for (const [name, make] of others) results[`${name}, ${backend}`] = await collections(make(), 200_000);
}
console.log(JSON.stringify(results));
