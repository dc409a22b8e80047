import { stridedView } from "./strided-view.js";
import { InvalidOptionError } from "../errors.js";
import { knownKeys } from "../solvers/solver-limits.js";
import { type Dataset, dataset } from "./dataset.js";
import { createRandom, DEFAULT_SEED } from "./random.js";

/**
 * Options of {@link splitDataset}.
 *
 * @example
 * ```ts
 * const options: SplitOptions = { validation: 0.15, test: 0.15, seed: 1 };
 * ```
 */
export interface SplitOptions {
  /** The fraction of rows for the validation set, in [0, 1). @defaultValue 0 */
  readonly validation?: number;
  /** The fraction of rows for the test set, in [0, 1). @defaultValue 0.2 */
  readonly test?: number;
  /** The shuffle's seed ({@link createRandom}). @defaultValue {@link DEFAULT_SEED} */
  readonly seed?: number | string;
}

/**
 * What {@link splitDataset} returns: three disjoint datasets whose rows together are the input's
 * (validation and test `null` when their fraction rounds to no row).
 *
 * @example
 * ```ts
 * const { train, validation, test }: DatasetSplit = splitDataset(data, { validation: 0.1, test: 0.1 });
 * ```
 */
export interface DatasetSplit {
  /** The training rows. */
  readonly train: Dataset;
  /** The validation rows, or null. */
  readonly validation: Dataset | null;
  /** The test rows, or null. */
  readonly test: Dataset | null;
  /** The input's row index of every row, in order: train's, then validation's, then test's. */
  readonly order: Int32Array;
}

/**
 * A seeded random split of a dataset into training, validation and test sets: the rows are
 * shuffled (Fisher–Yates, with {@link createRandom}'s draws), then the first
 * n_test = round(test·n) go to the test set, the next n_val = round(validation·n) to the
 * validation set, and the rest, at least one, to training. Each part is a fresh, contiguous copy
 * (X and y as Float64Arrays); within a part, rows keep the shuffled order. The same seed gives the
 * same split on every platform.
 *
 * ```math
 * n_{\text{test}} = \operatorname{round}(t\,n), \qquad n_{\text{val}} = \operatorname{round}(v\,n), \qquad n_{\text{train}} = n - n_{\text{val}} - n_{\text{test}} \ge 1
 * ```
 *
 * @example
 * ```ts
 * const { train, validation, test } = splitDataset(data, { validation: 0.15, test: 0.15, seed: 7 });
 * const scaler = fitStandardizer(train); // statistics from the training rows only
 * const testScaled = scaler.apply(test!);
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for fractions outside [0, 1), or that leave no training rows.
 */
export function splitDataset(data: Dataset, options: SplitOptions = {}): DatasetSplit {
  if (typeof data !== "object" || data === null || !Number.isSafeInteger(data.size) || !Number.isSafeInteger(data.features)) throw new InvalidOptionError("data", data, "a dataset (dataset(X, y), csvDataset)");
  knownKeys("options", options, ["validation", "test", "seed"], "splitDataset");
  const fraction = (name: string, value: unknown, otherwise: number): number => {
    if (value === undefined) return otherwise;
    if (typeof value !== "number" || !(value >= 0 && value < 1)) throw new InvalidOptionError(name, value, "a fraction in [0, 1)");
    return value;
  };
  const v = fraction("validation", options.validation, 0);
  const t = fraction("test", options.test, 0.2);
  const n = data.size;
  const nTest = Math.round(t * n);
  const nValidation = Math.round(v * n);
  // named after the fraction that takes rows: validation's only when it takes some
  if (n - nTest - nValidation < 1) {
    if (nValidation === 0) throw new InvalidOptionError("test", t, `a fraction that leaves at least one of the ${n} rows for training`);
    throw new InvalidOptionError("validation", v, `fractions that leave at least one of the ${n} rows for training (test = ${t})`);
  }
  const random = createRandom(options.seed === undefined ? DEFAULT_SEED : options.seed);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const swap = order[i];
    order[i] = order[j];
    order[j] = swap;
  }
  const part = (from: number, to: number): Dataset | null => (to > from ? rowsOf(data, order.subarray(from, to)) : null);
  const nTrain = n - nTest - nValidation;
  // order: test first in the shuffle, then validation, then train; returned train-first
  const test = part(0, nTest);
  const validation = part(nTest, nTest + nValidation);
  const train = part(nTest + nValidation, n)!;
  const reordered = new Int32Array(n);
  reordered.set(order.subarray(nTest + nValidation), 0);
  reordered.set(order.subarray(nTest, nTest + nValidation), nTrain);
  reordered.set(order.subarray(0, nTest), nTrain + nValidation);
  return { train, validation, test, order: reordered };
}

/** The rows `rows` of a dataset, copied into a fresh contiguous dataset. */
function rowsOf(data: Dataset, rows: Int32Array): Dataset {
  const d = data.features;
  const X = new Float64Array(rows.length * d);
  const y = new Float64Array(rows.length);
  rows.forEach((r, i) => {
    for (let j = 0; j < d; j++) X[i * d + j] = data.X.get(r, j);
    y[i] = data.y.get(r);
  });
  return dataset(stridedView(X, [rows.length, d]), y);
}
