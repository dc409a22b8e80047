// Run by bundle-allocation.test.ts in a plain Node process: steps every optimizer of the bundle in the
// folder argv[2], then the wrappers, chains, trees (and wrappers over them), minimize's loop, the
// closure optimizer (LBFGS) and the solvers (BFGS, ConjugateGradient, LBFGSB, the Nocedal–Wright line
// search), the risks' and networks' batch evaluations, and on Wasm memory (shared and not) small
// steps on plain arrays and after restores; and prints, as JSON, the garbage collections each loop
// started (0 when nothing is allocated per call). No test runner here: the code runs as users run
// it, one case after another in one process, as an application would (what ran before can change
// what V8 compiles: a chain with a box, then one with a decay scaled by a scheduled η, allocated at
// every step until η was no longer returned by a call; LBFGS with its line search, after fixed-step
// LBFGS, at every iteration until no double crossed a call in its multiply-adds).
import { performance, PerformanceObserver } from "node:perf_hooks";

const folder = process.argv[2];
const { optimizerRegistry, closureOptimizerRegistry, chain, Adam, Adamax, Nesterov, setBackend, tree, masked, average, lookahead, accumulate, allocateVector } = await import(`${folder}/index.js`);
const learn = await import(`${folder}/learn.js`);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Collections that started while `run()` ran. */
async function collectionsDuring(run) {
  const starts = [];
  const observer = new PerformanceObserver((list) => {
    // collections only: a scavenge or a mark-compact, not the start of an incremental marking (kind 4)
    // or weak callbacks' processing (kind 8), phases that a mark-compact owed to earlier work can put
    // inside a loop on a loaded core (see test/no-allocation.ts)
    for (const entry of list.getEntries()) if ((entry.detail.kind & (4 | 8)) === 0) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  const start = performance.now();
  run();
  const end = performance.now();
  await settle();
  observer.disconnect();
  return starts.filter((t) => t >= start && t <= end).length;
}

/**
 * Waits until the optimizing compiler has finished every function queued for it and installs the
 * code (V8's %FinalizeOptimization; the test runs this file with --allow-natives-syntax, which
 * changes nothing in what V8 compiles). The compiler works on a background thread, and beside the
 * suite's workers it fell behind by more than this harness's pauses: once in CI, a network risk's
 * evaluation still ran partly unoptimized (boxing a few doubles a row) through all five
 * measurements. Reproduced here with --concurrent-recompilation-delay=1000: 164 collections, then 82.
 */
const compilerCaughtUp = new Function("%FinalizeOptimization()");

/**
 * A warm-up, then up to five measurements, each after a longer warm-up and after the compiler has
 * caught up. Functions deoptimized by the warm-up's last calls are queued again only by later
 * calls, hence the retries. A loop that allocates per step or per element fails all five.
 */
async function collections(loop, calls) {
  let count = Infinity;
  for (let attempt = 0; attempt < 5 && count > 0; attempt++) {
    loop((calls / 4) * (attempt + 1));
    compilerCaughtUp();
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

// Rosenbrock in 4 dimensions, its value written into out[0] (a returned double would be boxed).
const rosenbrockInto = {
  dimension: 4,
  evaluate() {
    throw new Error("evaluateInto is used");
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

const scheduled = { kind: "exponential", initial: 1e-6, gamma: 0.999 };
const leaves = (g) => ({ frozen: g.subarray(0, 3), layer: { weight: g.subarray(3, 15), bias: g.subarray(15, 18) } });
// [name, a function returning a loop of `count` calls, the calls measured (200,000 unless given:
// about 0.2 s of work each)], run on the JavaScript kernels and on the default backend.
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
  // plain gradient leaves of 32 or more: on the Wasm backend copied into its memory, checked and stepped there (staged-gradients.ts)
  ["tree (plain leaves of 40 and 64 and one of 5)", () => {
    const split = (g) => ({ w: g.subarray(0, 64), b: g.subarray(64, 104), s: g.subarray(104) });
    return stepping(tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "b", lr: 1e-7 }] }), 109, { w: new Float64Array(64), b: new Float64Array(40), s: new Float64Array(5) }, split);
  }, 100_000],
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
  ["tree (Nesterov, look-ahead points only)", () => {
    const opt = tree(new Nesterov({ lr: 0.1, beta: 0.9 }));
    opt.step({ a: Float64Array.of(1, 2), b: Float64Array.of(3, 4) }, { a: Float64Array.of(1, 1), b: Float64Array.of(1, 1) });
    const params = { a: Float64Array.of(1, 2), b: Float64Array.of(3, 4) };
    const out = { a: new Float64Array(2), b: new Float64Array(2) };
    return (count) => {
      for (let i = 0; i < count; i++) opt.gradientPoint(params, out);
    };
  }],
  ...[
    ["accumulate", (inner) => accumulate(inner, { every: 3 })],
    ["lookahead", (inner) => lookahead(inner, { syncPeriod: 3, slowStepSize: 0.6 })],
    ["accumulate(lookahead(average))", (inner) => accumulate(lookahead(average(inner, { kind: "ema", decay: 0.8 }), { syncPeriod: 2 }), { every: 2 })],
  ].map(([name, wrap]) => [`${name} over a tree, with look-ahead points`, () => {
    const opt = wrap(tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "**/bias", lr: 1e-7 }], clipByGlobalNorm: { maxNorm: 0.5 } }));
    const params = { layer: { weight: { data: new Float64Array(12), shape: [3, 4] }, bias: new Float64Array(3) }, out: new Float64Array(2) };
    const grads = Array.from({ length: 8 }, (_, t) => {
      const g = Float64Array.from({ length: 17 }, (_, i) => Math.sin(t + i));
      return { layer: { weight: g.subarray(0, 12), bias: g.subarray(12, 15) }, out: g.subarray(15) };
    });
    const point = { layer: { weight: new Float64Array(12), bias: new Float64Array(3) }, out: new Float64Array(2) };
    return (count) => {
      for (let t = 0; t < count; t++) {
        opt.gradientPoint(params, point);
        opt.step(params, grads[t & 7]);
      }
    };
  }, 40_000]),
  // the solvers: `count` is iterations, each run restarting from (−1.2, 1, −1.2, 1) on Rosenbrock in 4
  // dimensions (its value written into out[0]) with no tolerance, so the histories fill and wrap
  ...closureOptimizerRegistry.flatMap((entry) => [{ name: entry.name, options: {} }, ...entry.variants].map(({ name, options }) => {
    // fixed steps of 1e-3 (1,000 iterations a step), or the line search's (up to 200 a step, ~100 as run
    // here: near the minimum a step can end early), counted by the most a step takes
    const perStep = options.lineSearchFn === undefined ? 1000 : 200;
    const common = { historySize: 3, maxIter: perStep, maxEval: 2 * perStep, toleranceGrad: 0, toleranceChange: 0 };
    return [`${name} (closure optimizer, memory 3)`, () => {
      const opt = entry.create({ ...options, ...common, ...(options.lineSearchFn === undefined ? { lr: 1e-3 } : {}) });
      const params = new Float64Array(4);
      return (iterations) => {
        for (let done = 0; done < iterations; done += perStep) {
          params[0] = params[2] = -1.2;
          params[1] = params[3] = 1;
          opt.step(params, rosenbrockInto);
        }
      };
    }, 200_000];
  })),
  ...[
    ["BFGS", () => new learn.BFGS({ gradientTolerance: 0 }), 43],
    ["ConjugateGradient", () => new learn.ConjugateGradient({ gradientTolerance: 0 }), 130],
  ].map(([name, make, perRun]) => [`${name} (solver runs)`, () => {
    const solver = make();
    const params = new Float64Array(4);
    return (iterations) => {
      for (let done = 0; done < iterations; done += perRun) {
        params[0] = params[2] = -1.2;
        params[1] = params[3] = 1;
        solver.reset();
        solver.run(params, rosenbrockInto);
      }
    };
  }, 120_000]),
  ["LBFGSB (bounds active, memory 3, runs restarted)", () => {
    const solver = new learn.LBFGSB({ lower: -2, upper: [0.8, 0.7, 2, 2], historySize: 3, gradientTolerance: 0, relativeChange: 0 });
    const params = new Float64Array(4);
    return (iterations) => {
      const start = solver.iterations;
      while (solver.iterations - start < iterations) {
        params[0] = params[2] = -1.2;
        params[1] = params[3] = 1;
        solver.run(params, rosenbrockInto);
      }
    };
  }, 150_000],
  ["Nocedal-Wright line search (a zoom each search)", () => {
    const out = new Float64Array(4);
    // φ(α) = (α − 2)²: the first trial α = 1 fails the curvature condition, a zoom finds α = 2
    const line = { out, value() { out[0] = (out[3] - 2) * (out[3] - 2); }, slope() { out[1] = 2 * (out[3] - 2); }, accept: () => true };
    const search = new learn.NocedalWrightSearch();
    return (count) => {
      for (let i = 0; i < count; i++) search.search(line, 4, NaN, -4, 1e-4, 0.1, 100, 10);
    };
  }, 1_000_000],
  ["Gabor risk on a batch", () => {
    const J = learn.empiricalRisk(learn.gaborModel(), learn.sumOfSquares(), learn.syntheticGabor({ size: 1000, noise: 0.1, theta: [0, 10], seed: 1 }));
    const theta = Float64Array.of(0.3, 9);
    const grad = new Float64Array(2);
    const out = new Float64Array(1);
    const rows = Int32Array.from({ length: 16 }, (_, k) => (k * 61) % 1000);
    return (count) => {
      for (let i = 0; i < count; i++) J.evaluateInto(theta, grad, rows, 16, out, (i & 1) === 0);
    };
  }, 100_000],
  ...[
    ["network risk (mlp)", { inputs: 3, hidden: [{ units: 6, activation: "tanh" }, { units: 5, activation: "relu" }], output: { kind: "softmax", classes: 3 } }, 200_000],
    ["network risk (softmax regression)", null, 50_000],
    ["network risk (mlp, sigmoid, regression)", { inputs: 3, hidden: [{ units: 6, activation: "sigmoid" }], output: { kind: "regression" } }, 40_000],
  ].map(([name, layers, calls]) => [name, () => {
    const random = learn.createRandom(8);
    const X = Array.from({ length: 40 }, () => Array.from({ length: 3 }, () => 2 * random.next() - 1));
    const net = layers === null ? learn.softmaxRegression({ inputs: 3, classes: 3 }) : learn.mlp(layers);
    const y = X.map((x) => (layers?.output.kind === "regression" ? x[0] * x[1] - x[2] : x[0] > 0 ? (x[1] > 0 ? 2 : 1) : 0));
    const J = learn.networkRisk(net, learn.dataset(X, y));
    const theta = net.initialize(3);
    const grad = new Float64Array(J.dimension);
    const out = new Float64Array(1);
    const rows = Int32Array.of(5, 17, 2, 33, 8, 21, 0, 39);
    return (count) => {
      for (let k = 0; k < count; k++) J.evaluateInto(theta, grad, rows, rows.length, out);
    };
  }, calls]),
  // on the default backend the batch in one Wasm call (network-batch.wat: θ and the rows copied in, the
  // gradient and value out), with and without the gradient, a batch of rows and now and then all of them
  ["network risk (mlp, tanh, batches of 8 and all rows, gradient or not)", () => {
    const random = learn.createRandom(9);
    const X = Array.from({ length: 50 }, () => Array.from({ length: 5 }, () => 2 * random.next() - 1));
    const net = learn.mlp({ inputs: 5, hidden: [{ units: 8, activation: "tanh" }], output: { kind: "softmax", classes: 3 } });
    const J = learn.networkRisk(net, learn.dataset(X, X.map((x) => (x[0] > 0 ? (x[1] > 0 ? 2 : 1) : 0))));
    const theta = net.initialize(5);
    const grad = new Float64Array(J.dimension);
    const out = new Float64Array(1);
    const rows = Int32Array.of(5, 17, 2, 33, 8, 21, 0, 49);
    return (count) => {
      for (let k = 0; k < count; k++) {
        if ((k & 15) === 15) J.evaluateInto(theta, grad, null, 50, out);
        else J.evaluateInto(theta, (k & 1) === 0 ? grad : null, rows, rows.length, out);
      }
    };
  }, 100_000],
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
  for (const [name, make, calls = 200_000] of others) results[`${name}, ${backend}`] = await collections(make(), calls);
}
// Wasm memory, shared and not (a fresh runtime each): small steps on plain arrays run the JavaScript
// kernel on the Wasm state, with params in Wasm memory and a plain gradient too; then an Adam after a
// restore of its own, in a process where every rule was restored once and an Adamax's step count
// restored past 2^31 (a step counter that became a heap number boxed at every step).
/** A vector of Wasm memory holding sin(t + i). */
function filledVector(n, t) {
  const v = allocateVector(n);
  for (let i = 0; i < n; i++) v[i] = Math.sin(t + i);
  return v;
}
const wasm = [
  ["Adam on plain arrays and on params in Wasm memory, a plain gradient", () => {
    const opt = new Adam({ lr: 1e-6 });
    const mixed = new Adam({ lr: 1e-6 });
    const params = new Float64Array(8);
    const inWasm = allocateVector(8);
    const grads = Array.from({ length: 8 }, (_, t) => gradientAt(t, 8));
    return (count) => {
      for (let t = 0; t < count; t++) {
        opt.step(params, grads[t & 7]);
        mixed.step(inWasm, grads[t & 7]);
      }
    };
  }, 100_000],
  // a tree's leaves in Wasm memory, their own vectors or ranges of one vector (layout), step from a plan (TreeOptimizer.stepLeaves)
  ["tree of leaves in Wasm memory", () => {
    const own = tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "b", lr: 1e-7 }] });
    const params = { w: allocateVector(64), b: allocateVector(40) };
    const grads = Array.from({ length: 8 }, (_, t) => ({ w: filledVector(64, t), b: filledVector(40, t + 64) }));
    return (count) => {
      for (let t = 0; t < count; t++) own.step(params, grads[t & 7]);
    };
  }, 100_000],
  ["tree of one vector in Wasm memory with a layout", () => {
    const ranges = tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "b", lr: 1e-7 }], layout: { w: 64, b: 40 } });
    const flat = allocateVector(104);
    const flatGrads = Array.from({ length: 8 }, (_, t) => filledVector(104, t));
    return (count) => {
      for (let t = 0; t < count; t++) ranges.step(flat, flatGrads[t & 7]);
    };
  }, 100_000],
  // the same vectors at every step: shared steps (SharedStepNumbers), a look-ahead point between them
  ["tree in Wasm memory stepped on the same vectors (shared steps), with look-ahead points", () => {
    const ranges = tree(new Nesterov({ lr: 1e-6, beta: 0.9 }), { groups: [{ match: "b", lr: 1e-7 }], layout: { w: 64, b: 40, c: 40 } });
    const flat = allocateVector(144);
    const point = allocateVector(144);
    const flatGrad = filledVector(144, 3);
    const own = tree(new Adam({ lr: 1e-6 }), { groups: [{ match: "b", lr: 1e-7 }] });
    const params = { w: allocateVector(64), b: allocateVector(40), c: allocateVector(40) };
    const grads = { w: filledVector(64, 1), b: filledVector(40, 2), c: filledVector(40, 5) };
    return (count) => {
      for (let t = 0; t < count; t++) {
        ranges.gradientPoint(flat, point);
        ranges.step(flat, flatGrad);
        own.step(params, grads);
      }
    };
  }, 100_000],
  ["Adam after its own restore, beside a step count restored past 2^31", () => {
    for (const { make } of rules) {
      const o = make();
      const p = new Float64Array(8);
      for (let t = 0; t < 20; t++) o.step(p, gradientAt(t, 8));
      o.restore(o.snapshot());
      o.dispose?.();
    }
    const far = new Adamax({ lr: 1e-9 });
    far.step(new Float64Array(8), gradientAt(0, 8));
    far.restore({ ...far.snapshot(), stepCount: 2 ** 31 + 5 });
    for (let t = 1; t < 40; t++) far.step(new Float64Array(8), gradientAt(t, 8));
    const opt = new Adam({ lr: 1e-6 });
    opt.step(new Float64Array(8), gradientAt(0, 8));
    opt.restore(opt.snapshot());
    return stepping(opt, 8);
  }],
];
const wasmHere = setBackend("auto").name === "wasm";
for (const shared of !wasmHere ? [] : typeof SharedArrayBuffer === "function" ? [true, false] : [false]) {
  setBackend("wasm", { sharedMemory: !shared }); // a fresh runtime
  setBackend("wasm", { sharedMemory: shared });
  for (const [name, make, calls = 200_000] of wasm) results[`${name}, wasm, shared memory: ${shared}`] = await collections(make(), calls);
}
console.log(JSON.stringify(results));
