// An evaluation of a network's loss and gradient allocates nothing (the scratch is the network's,
// made once): 200,000 evaluations must neither trigger a garbage collection nor grow the heap by
// more than 4 MB (the measure of test/learn/lbfgsb-allocation.test.ts). One boxed number per
// evaluation would be 3.2 MB, enough for the young generation's scavenges to run.
import { performance, PerformanceObserver } from "node:perf_hooks";
import { expect, it } from "vitest";
import { createRandom, dataset, mlp, networkRisk, softmaxRegression } from "gradstep/learn";

const EVALUATIONS = 200_000;
const GROWTH_LIMIT = 4 << 20;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function measure(run: (evaluations: number) => void): Promise<{ collections: number; growth: number }> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  const before = process.memoryUsage().heapUsed;
  const loopStart = performance.now();
  run(EVALUATIONS);
  const loopEnd = performance.now();
  const growth = process.memoryUsage().heapUsed - before;
  await settle();
  observer.disconnect();
  return { collections: starts.filter((start) => start >= loopStart && start <= loopEnd).length, growth };
}

const random = createRandom(8);
const X = Array.from({ length: 40 }, () => Array.from({ length: 3 }, () => 2 * random.next() - 1));
const labels = X.map((x) => (x[0] > 0 ? (x[1] > 0 ? 2 : 1) : 0));
const values = X.map((x) => x[0] * x[1] - x[2]);

it.each([
  ["softmax regression", softmaxRegression({ inputs: 3, classes: 3 }), labels],
  ["mlp tanh → relu → softmax", mlp({ inputs: 3, hidden: [{ units: 6, activation: "tanh" }, { units: 5, activation: "relu" }], output: { kind: "softmax", classes: 3 } }), labels],
  ["mlp sigmoid → regression", mlp({ inputs: 3, hidden: [{ units: 6, activation: "sigmoid" }], output: { kind: "regression" } }), values],
] as const)("%s: an evaluation (value and gradient, on a batch) allocates nothing", async (_name, net, y) => {
  const J = networkRisk(net, dataset(X, y));
  const theta = net.initialize(3);
  const grad = new Float64Array(J.dimension);
  const out = new Float64Array(1);
  const rows = Int32Array.of(5, 17, 2, 33, 8, 21, 0, 39);
  const sum = new Float64Array(1); // (a captured `let` holding a double would be boxed on every +=)
  const run = (evaluations: number) => {
    for (let k = 0; k < evaluations; k++) {
      J.evaluateInto(theta, grad, rows, rows.length, out);
      sum[0] += out[0];
    }
  };
  run(50_000); // let the JIT finish with this code first
  await settle();
  let result = await measure(run);
  for (let attempt = 1; attempt < 3 && (result.collections > 0 || result.growth >= GROWTH_LIMIT); attempt++) result = await measure(run);
  expect(result.collections).toBe(0);
  expect(result.growth).toBeLessThan(GROWTH_LIMIT);
  expect(Number.isFinite(sum[0])).toBe(true);
}, 120_000);
