// A batch of a large dataset is read ahead (one pass of independent reads, src/data/prefetch-rows.ts)
// before the model's pass. It must change nothing: the batch's value and gradient are, to the bit,
// those of a dataset made of just the batch's rows in batch order (small, so nothing is read ahead),
// for row-major, column-major and reversed views of X, float64 and float32 data.
import ndarray, { type NdArray } from "ndarray";
import { describe, expect, it } from "vitest";
import { binaryCrossEntropy, createRandom, dataset, empiricalRisk, EpochSampler, gaborModel, linearRegression, logisticRegression, meanSquaredError, sigmoidRegression, sumOfSquares } from "gradstep/learn";

const N = 5000;
const D = 8; // N·D = 40,000 numbers in X: above the 2^15 from which the rows are read ahead

function views(): [string, NdArray, NdArray][] {
  const random = createRandom(17);
  const rowMajor = new Float64Array(N * D).map(() => random.next() * 4 - 2);
  const labels = new Float64Array(N).map(() => (random.next() < 0.5 ? 0 : 1));
  const colMajor = new Float64Array(N * D);
  for (let i = 0; i < N; i++) for (let j = 0; j < D; j++) colMajor[j * N + i] = rowMajor[i * D + j];
  const X = ndarray(rowMajor, [N, D]);
  const y = ndarray(labels, [N]);
  return [
    ["row-major", X, y],
    ["column-major", ndarray(colMajor, [D, N]).transpose(1, 0), y],
    ["reversed rows and columns", X.step(-1, -1), y.step(-1)],
    ["float32 data", ndarray(Float32Array.from(rowMajor), [N, D]), ndarray(Float32Array.from(labels), [N])],
    ["a single column", ndarray(rowMajor, [N * D, 1]), ndarray(new Float64Array(N * D).map((_, i) => labels[i % N]), [N * D])],
  ];
}

/** The batch's rows copied, in batch order, into a dataset of their own. */
function batchAlone(X: NdArray, y: NdArray, rows: Int32Array, count: number) {
  const d = X.shape[1];
  return dataset(
    Array.from(rows.subarray(0, count), (r) => Float64Array.from({ length: d }, (_, j) => X.get(r, j))),
    Array.from(rows.subarray(0, count), (r) => y.get(r)),
  );
}

describe("a batch of a large dataset, read ahead", () => {
  for (const [name, X, y] of views()) {
    it(`${name}: the value and gradient of the batch's rows on their own, bit for bit`, () => {
      const data = dataset(X, y);
      const d = data.features;
      const models = d === 1 ? [linearRegression(), logisticRegression(), sigmoidRegression(), gaborModel()] : [linearRegression(), logisticRegression(), sigmoidRegression()];
      const sampler = new EpochSampler({ size: data.size, batchSize: 64, seed: 5 });
      const rows = new Int32Array(64);
      for (const model of models) {
        const loss = model.kind === "logisticRegression" ? binaryCrossEntropy() : model.kind === "sigmoidRegression" ? meanSquaredError() : sumOfSquares();
        const J = empiricalRisk(model, loss, data);
        const theta = Float64Array.from({ length: J.dimension }, (_, i) => 0.3 - 0.1 * i);
        for (let batch = 0; batch < 5; batch++) {
          const count = sampler.next(rows);
          const grad = new Float64Array(J.dimension);
          const value = J.evaluate(theta, grad, rows, count);
          const alone = empiricalRisk(model, loss, batchAlone(X, y, rows, count));
          const expected = new Float64Array(J.dimension);
          expect(value).toBe(alone.evaluate(theta, expected));
          expect(grad).toEqual(expected);
        }
      }
    });
  }

  it("consecutive rows (a batch in file order) give the same as the rows on their own", () => {
    const [, X, y] = views()[0];
    const data = dataset(X, y);
    const J = empiricalRisk(linearRegression(), sumOfSquares(), data);
    const rows = Int32Array.from({ length: 64 }, (_, k) => 1000 + k);
    const theta = Float64Array.from({ length: J.dimension }, (_, i) => 0.1 * i);
    const grad = new Float64Array(J.dimension);
    const expected = new Float64Array(J.dimension);
    expect(J.evaluate(theta, grad, rows, 64)).toBe(empiricalRisk(linearRegression(), sumOfSquares(), batchAlone(X, y, rows, 64)).evaluate(theta, expected));
    expect(grad).toEqual(expected);
  });
});
