import { InvalidOptionError } from "../errors.js";
import { allocateFloat64 } from "../memory/allocate.js";
import { cos } from "../math/cos.js";
import { exp } from "../math/exp.js";
import { log } from "../math/log.js";
import { sin } from "../math/sin.js";
import { sigmoid } from "../models/linear.js";
import { type Dataset, dataset } from "./dataset.js";
import { createRandom, DEFAULT_SEED, type Random } from "./random.js";
import { stridedView } from "./strided-view.js";

/** A standard normal draw (Box–Muller), from two uniforms of `random`. */
function gaussian(random: Random): number {
  let u = random.next();
  while (u === 0) u = random.next();
  return Math.sqrt(-2 * log(u)) * cos(2 * Math.PI * random.next());
}

function size(name: string, value: number, least: number): number {
  if (!Number.isSafeInteger(value) || value < least) throw new InvalidOptionError(name, value, `a whole number ≥ ${least}`);
  return value;
}

function spread(name: string, value: number): number {
  if (!(Number.isFinite(value) && value >= 0)) throw new InvalidOptionError(name, value, "a finite number ≥ 0");
  return value;
}

/**
 * Options of the synthetic generators.
 *
 * @example
 * ```ts
 * const options: SyntheticOptions = { size: 1000, features: 3, noise: 0.1, seed: 7 };
 * ```
 */
export interface SyntheticOptions {
  /** N, the number of examples. */
  size: number;
  /** d, the number of features (the Gabor data have one). @defaultValue 1 */
  features?: number;
  /** The standard deviation of the noise added to y (linear, Gabor). @defaultValue 0.1 */
  noise?: number;
  /** The true parameters [θ0, θ1, …]. @defaultValue drawn from N(0, 1) (Gabor: `[0, 10]`) */
  theta?: readonly number[];
  /** The seed. @defaultValue {@link DEFAULT_SEED} */
  seed?: number | string;
}

function draw(options: SyntheticOptions, gaborInput: boolean) {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "an object with at least size");
  const n = size("size", options.size, 1);
  const d = gaborInput ? 1 : size("features", options.features ?? 1, 1);
  const noise = spread("noise", options.noise ?? 0.1);
  const random = createRandom(options.seed === undefined ? DEFAULT_SEED : options.seed);
  const theta = options.theta ? [...options.theta] : gaborInput ? [0, 10] : Array.from({ length: d + 1 }, () => gaussian(random));
  if (theta.length !== d + 1 || !theta.every(Number.isFinite)) throw new InvalidOptionError("theta", options.theta, `${d + 1} finite numbers`);
  const X = allocateFloat64(n * d, "size");
  for (let i = 0; i < X.length; i++) X[i] = gaborInput ? -15 + 30 * random.next() : gaussian(random);
  return { n, d, noise, random, theta, X };
}

/**
 * A generated dataset, with the parameters it was generated from.
 *
 * @example
 * ```ts
 * const { theta } = syntheticLinear({ size: 10 }); // [θ0, θ1]
 * ```
 */
export interface SyntheticDataset extends Dataset {
  /** The true parameters. */
  readonly theta: readonly number[];
}

/**
 * y = θ0 + θ·x + noise, x ~ N(0, I): a seeded linear-regression problem.
 *
 * @example
 * ```ts
 * const data = syntheticLinear({ size: 200, features: 3, noise: 0.05, seed: 1 });
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an option out of its range, or a `theta` of another length than the features + 1.
 */
export function syntheticLinear(options: SyntheticOptions): SyntheticDataset {
  const { n, d, noise, random, theta, X } = draw(options, false);
  const y = Float64Array.from({ length: n }, (_, i) => {
    let z = theta[0];
    for (let j = 0; j < d; j++) z += theta[j + 1] * X[i * d + j];
    return z + noise * gaussian(random);
  });
  return { ...dataset(stridedView(X, [n, d]), y), theta };
}

/**
 * Labels y ∈ {0, 1} drawn with P(y = 1) = σ(θ0 + θ·x), x ~ N(0, I): a seeded logistic-regression problem.
 *
 * @example
 * ```ts
 * const data = syntheticLogistic({ size: 100000, features: 20, seed: 1 });
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an option out of its range, or a `theta` of another length than the features + 1.
 */
export function syntheticLogistic(options: SyntheticOptions): SyntheticDataset {
  const { n, d, random, theta, X } = draw(options, false);
  const y = Float64Array.from({ length: n }, (_, i) => {
    let z = theta[0];
    for (let j = 0; j < d; j++) z += theta[j + 1] * X[i * d + j];
    return random.next() < sigmoid(z) ? 1 : 0;
  });
  return { ...dataset(stridedView(X, [n, d]), y), theta };
}

/**
 * y = sin(z)·exp(−z²/32) + noise with z = θ0 + 0.06·θ1·x, x uniform in [−15, 15]: a seeded Gabor
 * problem like the book's (the lecture, §5).
 *
 * @example
 * ```ts
 * const data = syntheticGabor({ size: 30, noise: 0.2, theta: [0, 10], seed: 1 });
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for an option out of its range, or a `theta` that is not of length 2.
 */
export function syntheticGabor(options: SyntheticOptions): SyntheticDataset {
  const { n, noise, random, theta, X } = draw(options, true);
  const y = Float64Array.from({ length: n }, (_, i) => {
    const z = theta[0] + 0.06 * theta[1] * X[i];
    return sin(z) * exp(-(z * z) / 32) + noise * gaussian(random);
  });
  return { ...dataset(stridedView(X, [n, 1]), y), theta };
}
