// An evaluation of a network's loss and gradient allocates nothing (the scratch is the network's,
// made once): 200,000 evaluations must neither trigger a garbage collection nor grow the heap by
// more than 4 MB (test/no-allocation.ts). One boxed number per
// evaluation would be 3.2 MB, enough for the young generation's scavenges to run.
import { expect, it } from "vitest";
import { createRandom, dataset, mlp, networkRisk, softmaxRegression } from "gradstep/learn";
import { expectNoAllocation } from "../no-allocation.js";

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
  await expectNoAllocation(run, 200_000);
  expect(Number.isFinite(sum[0])).toBe(true);
}, 120_000);
