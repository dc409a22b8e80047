import { InvalidOptionError } from "../errors.js";
import { DECAY, feedAfterLoops, GRAD_SIGN, L2, type LoopFunction, RULE } from "../kernels/scalars.js";
import { powAt } from "../math/pow.js";
import { decayRate, epsilon, flag, nonNegative, oneOf, type OptionRule, type OptionRules, positive, type Schedulable, type WeightDecayMode, wholeNumber } from "../options.js";
import { type CommonOptions, commonRules, OptimizerBase, optionIndex } from "./optimizer-base.js";

/** x, y, then x^y after powAt (the port), read and written inline: no double crosses a call, which V8 would box where it does not inline. */
const power = new Float64Array(2);

/**
 * Options of {@link Adafactor}. Every option may be left out; its default applies.
 *
 * @example
 * ```ts
 * // torch.optim.Adafactor(lr=1e-2) on a 64 × 32 weight matrix, stored row-major:
 * const opt = new Adafactor({ lr: 1e-2, columns: 32 } satisfies Partial<AdafactorOptions>);
 * ```
 */
export interface AdafactorOptions extends CommonOptions {
  /**
   * η: with `relativeStep` (default) the largest relative step, ρ_t = min(η, 1/√t); else the
   * relative step itself, ρ_t = η. Also the rate of the decoupled weight decay (1 − η·λ).
   * @defaultValue 1e-2
   */
  lr: number;
  /** τ, the exponent of the second moment's decay: β̂₂ = 1 − t^τ; ≤ 0 (PyTorch's `beta2_decay`). @defaultValue −0.8 */
  beta2Decay: number;
  /** ε₁, the floor of the second-moment estimate's root (and of the row factors' mean); > 0 (PyTorch's `eps[0]`). @defaultValue 2.220446049250313e-16 (float64's machine ε, PyTorch's `None`) */
  eps1: number;
  /** ε₂, the floor of RMS(θ) in the relative step; ≥ 0 (PyTorch's `eps[1]`). @defaultValue 1e-3 */
  eps2: number;
  /** d, the update clipping threshold: the update is divided by max(1, RMS(U)/d); > 0 (PyTorch's `d`). @defaultValue 1 */
  clipThreshold: number;
  /** β₁, the decay of an optional first moment of the scaled update, in [0, 1); 0: none, and no buffer. @defaultValue `0` (PyTorch's) */
  beta1: number;
  /** `true`: the step is max(ε₂, RMS(θ))·min(η, 1/√t). `false`: max(ε₂, RMS(θ))·η (optax's, with η a schedule). @defaultValue `true` (PyTorch's) */
  relativeStep: boolean;
  /**
   * The columns of the matrix the vector is, row-major: the second moment is factored into one
   * number per row and one per column. 0: not factored (one number per parameter, as for
   * PyTorch's 1-D parameters). The vector's length must be a multiple of it.
   * @defaultValue 0
   */
  columns: number;
  /**
   * The rows of each matrix, where the vector is a stack of matrices (PyTorch factors the last two
   * dimensions of a tensor of shape [..., rows, columns]); 0: one matrix of length / columns
   * rows. Needs `columns`; the length must be a multiple of rows·columns.
   * @defaultValue 0
   */
  rows: number;
  /** How λ enters: `"decoupled"` (θ ← (1 − η·λ)·θ before the step) or `"l2"` (added to ĝ). @defaultValue `"decoupled"` (PyTorch's) */
  weightDecayMode: WeightDecayMode;
}

/** τ ≤ 0, finite, not scheduled. */
const decayExponent: OptionRule<number> = {
  default: -0.8,
  numeric: true,
  check(name, value) {
    if (typeof value !== "number" || !Number.isFinite(value) || !(value <= 0)) throw new InvalidOptionError(name, value, "a finite number ≤ 0");
    return value + 0;
  },
};

const rules: OptionRules<AdafactorOptions> = {
  lr: positive(1e-2),
  beta2Decay: decayExponent,
  eps1: epsilon(Number.EPSILON),
  eps2: nonNegative(1e-3),
  clipThreshold: positive(1),
  beta1: decayRate(0),
  relativeStep: flag(true),
  columns: wholeNumber(0, 0),
  rows: wholeNumber(0, 0),
  ...commonRules,
  weightDecayMode: oneOf<WeightDecayMode>("decoupled", ["l2", "decoupled"]),
};
const V = optionIndex(rules);

/** The per-step numbers in the scalar block, after the common three. */
const WEIGHT = RULE; // 1 − β̂₂ = t^τ, the weight of the new squared gradient
const RHO = RULE + 1; // ρ_t
/** Buffers, in spec order. */
const VARIANCE = 0;
const ROW_VARIANCE = 1;
const COLUMN_VARIANCE = 2;
const MOMENTUM = 3;

function check(o: Readonly<Schedulable<AdafactorOptions>>): void {
  if (o.rows !== 0 && o.columns === 0) throw new InvalidOptionError("rows", o.rows, "0 unless columns is set (rows make a matrix only with its columns)");
}

/**
 * Adafactor (Shazeer and Stern 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory
 * Cost"), as PyTorch 2.5's `torch.optim.Adafactor` computes it: Adam's second moment without its
 * memory — for a matrix, one running average per row and one per column, whose rank-1 product
 * estimates each entry's — a relative step size, and update clipping; no first moment by default.
 *
 * Notation: θ = `params` (n numbers; with `columns` a row-major matrix of R rows and C = `columns`
 * columns, or a stack of them with `rows`), ĝ = the gradient (after the {@link CommonOptions}),
 * η = `lr`, τ = `beta2Decay`, ε₁ = `eps1`, ε₂ = `eps2`, d = `clipThreshold`, λ = `weightDecay`,
 * t = {@link Adafactor.stepCount} after the step (1 at the first), RMS(x) = ‖x‖₂ / √n.
 *
 * ```math
 * \begin{aligned}
 * \hat\beta_{2t} &= 1 - t^{\tau}, \qquad \rho_t = \min(\eta, 1/\sqrt t), \qquad \alpha_t = \max(\varepsilon_2, \operatorname{RMS}(\theta_{t-1}))\,\rho_t\\
 * \text{factored: } R_i &\leftarrow \hat\beta_{2t} R_i + (1-\hat\beta_{2t})\,\tfrac1C \textstyle\sum_j \hat g_{ij}^2, \qquad
 *   C_j \leftarrow \hat\beta_{2t} C_j + (1-\hat\beta_{2t})\,\tfrac1R \sum_i \hat g_{ij}^2, \qquad
 *   \hat V_{ij} = \frac{R_i\, C_j}{\max(\frac1R \sum_i R_i,\ \varepsilon_1)}\\
 * \text{else: } \hat V_i &\leftarrow \hat\beta_{2t} \hat V_i + (1-\hat\beta_{2t})\,\hat g_i^2\\
 * U &= \frac{\hat g}{\sqrt{\max(\hat V,\ \varepsilon_1^2)}}, \qquad \hat U = \frac{U}{\max(1,\ \operatorname{RMS}(U)/d)}\\
 * \theta_t &= (1 - \eta\lambda)\,\theta_{t-1} - \alpha_t\,\hat U
 * \end{aligned}
 * ```
 *
 * With `beta1` = β₁ > 0, a first moment of the scaled update (optax's `momentum`, Hugging Face's
 * `beta1`; not in PyTorch): m ← β₁·m + (1 − β₁)·α_t·Û, θ_t = (1 − ηλ)·θ_{t−1} − m. With
 * `relativeStep: false`, ρ_t = η (optax's `adafactor(learning_rate=η)` with its default
 * `multiply_by_parameter_scale`).
 *
 * Memory: with `columns`, R + C numbers of state instead of R·C (plus n for the first moment, if any).
 * A vector of length n with `columns: C` is one R × C matrix, R = n / C; with `rows` too, a stack of
 * n / (rows·C) matrices of rows × C, each factored on its own (PyTorch's factoring of a tensor's last
 * two dimensions). A length that does not fit is refused at the first step ({@link ShapeMismatchError}).
 * Stepped by a {@link TreeOptimizer}, give each matrix leaf its shape in a group:
 * `tree(new Adafactor(), { groups: [{ match: "hidden/weight", ...Adafactor.optionsForShape([64, 32]) }] })`
 * (see {@link Adafactor.optionsForShape}).
 *
 * How it differs from its peers (the formulas above are PyTorch 2.5's, evaluated in float64):
 * PyTorch factors every tensor of 2 or more dimensions and takes ε₁ at the end (in V̂ and U);
 * the paper and optax add ε₁ (optax: 1e-30) to ĝ² before averaging instead, optax factors only
 * when both dimensions are ≥ 128 (`min_dim_size_to_factor`) and scales by the learning rate it is
 * given rather than min(η, 1/√t); the paper has ρ_t = min(10⁻², 1/√t) (η's default). gradstep
 * computes PyTorch's lerp as β̂·x + (1 − β̂)·y and U as ĝ/√V̂ rather than ĝ·rsqrt(V̂) (an ulp apart).
 * gradstep refuses ε₁ = 0 (PyTorch accepts it: a zero gradient then gives 0/0).
 *
 * Backends: the row and column sums are not reductions to one number, which the kernel language
 * has, so its step is JavaScript on both backends (`backend` is `"js"`): trivially bit-identical.
 * Nothing is allocated per step.
 *
 * State: `variance` (V̂, unfactored), `rowVariance` (R) and `columnVariance` (C) with `columns`,
 * `momentum` with `beta1`. Defaults: `lr` 1e-2, `beta2Decay` -0.8, `eps1` 2.220446049250313e-16,
 * `eps2` 1e-3, `clipThreshold` 1, `beta1` 0, `relativeStep` true, `columns` 0, `rows` 0,
 * `weightDecay` 0 in mode `"decoupled"` — PyTorch's.
 *
 * @example
 * ```ts
 * const opt = new Adafactor({ columns: 2 }); // θ is a 2 × 2 matrix
 * const theta = Float64Array.of(1, -1, 1, -1); // RMS(θ) = 1
 * // First step: β̂₂ = 0, so V̂ is ĝ²'s rank-1 fit; here ĝ² is rank 1 and U = sign(ĝ), RMS(U) = 1.
 * opt.step(theta, Float64Array.of(4, -2, 2, -1)); // α = 1·min(0.01, 1) = 0.01: theta = [0.99, -0.99, 0.99, -0.99]
 * ```
 */
export class Adafactor extends OptimizerBase<AdafactorOptions> {
  /** The rules of its options: each one's default and its check (see {@link AdafactorOptions}). */
  static readonly optionRules: OptionRules<AdafactorOptions> = rules;

  /**
   * The options that factor a parameter of shape `shape` (row-major) as PyTorch does: its last two
   * dimensions are the matrix, `{ rows, columns }`, any leading ones a stack of such matrices; a shape
   * of fewer than two dimensions is not factored (`{ rows: 0, columns: 0 }`). For a tree's
   * `{ data, shape }` leaves, spread it into a group of the leaf.
   *
   * @param shape the sizes of the dimensions: positive whole numbers.
   * @throws InvalidOptionError where a size is not a positive whole number.
   * @example
   * ```ts
   * Adafactor.optionsForShape([64, 32]); // { rows: 64, columns: 32 }
   * const opt = tree(new Adafactor(), { groups: [{ match: "hidden/weight", ...Adafactor.optionsForShape([64, 32]) }] });
   * ```
   */
  static optionsForShape(shape: readonly number[]): Pick<AdafactorOptions, "rows" | "columns"> {
    if (!Array.isArray(shape) || !Array.from(shape).every((d) => Number.isSafeInteger(d) && d > 0)) throw new InvalidOptionError("shape", shape, "an array of positive whole numbers");
    if (shape.length < 2) return { rows: 0, columns: 0 };
    return { rows: shape[shape.length - 2], columns: shape[shape.length - 1] };
  }

  /**
   * The rule with `options`; each one left out takes its default.
   *
   * @throws {@link InvalidOptionError} for an unknown option or a value out of its range.
   * @throws {@link InvalidScheduleError} for a malformed schedule.
   */
  constructor(options?: Partial<Schedulable<AdafactorOptions>>) {
    super(
      "Adafactor",
      rules,
      [
        { name: "variance", nonNegative: true, needed: (o) => o.columns === 0 },
        { name: "rowVariance", nonNegative: true, needed: (o) => o.columns !== 0, length: (n, o) => n / (o.columns as number) },
        { name: "columnVariance", nonNegative: true, needed: (o) => o.columns !== 0, length: (n, o) => (o.rows === 0 ? (o.columns as number) : n / (o.rows as number)) },
        { name: "momentum", needed: (o) => o.beta1 !== 0 },
      ],
      options,
      check,
    );
  }

  protected override sizeProblem(n: number, o: Readonly<Schedulable<AdafactorOptions>>): string | undefined {
    const columns = o.columns as number;
    const block = columns * (o.rows as number);
    if (block > 0 && n % block !== 0) return `a length that is a multiple of rows·columns = ${block} (a stack of ${o.rows} × ${columns} matrices)`;
    if (columns > 0 && n % columns !== 0) return `a length that is a multiple of columns = ${columns} (a matrix of ${columns} columns)`;
    return undefined;
  }

  protected override prepare(t: number): void {
    const v = this.values;
    power[0] = t;
    power[1] = v[V.beta2Decay];
    powAt(power, 0);
    this.scalars[WEIGHT] = power[0];
    this.scalars[RHO] = this.options.relativeStep ? Math.min(v[V.lr], 1 / Math.sqrt(t)) : v[V.lr];
  }

  protected update(params: Float64Array, grad: Float64Array): void {
    const n = params.length;
    if (n === 0) return;
    if (!fed) fed = feedAfterLoops(feeds);
    const v = this.values;
    const s = this.scalars;
    // whole numbers below 2^31 (the length is a multiple of both): small integers in every call below
    const columns = v[V.columns] | 0;
    const rows = columns === 0 ? 0 : v[V.rows] === 0 ? (n / columns) | 0 : v[V.rows] | 0;
    shared[SIGN] = s[GRAD_SIGN];
    shared[L2_WEIGHT] = s[L2];
    shared[WEIGHT_NEW] = s[WEIGHT];
    shared[KEEP] = 1 - s[WEIGHT];
    shared[EPS1] = v[V.eps1];
    shared[FLOOR] = v[V.eps1] * v[V.eps1];
    // α_t from θ before anything changes (and before the decay, as PyTorch)
    norm(params, grad, undefined, undefined, n, 0, 0);
    // max as Python's max(a, b) in PyTorch's step: a where b is NaN (θ or U non-finite under nonFinite "unchecked")
    const rms = shared[NORM] / Math.sqrt(n);
    const alpha = (rms > v[V.eps2] ? rms : v[V.eps2]) * s[RHO];
    let variance: Float64Array;
    let columnVariance: Float64Array | undefined;
    if (columns === 0) {
      variance = this.buffers[VARIANCE];
      accumulateSquares(variance, params, grad, n);
    } else {
      variance = this.buffers[ROW_VARIANCE];
      columnVariance = this.buffers[COLUMN_VARIANCE];
      rowMeans(variance, params, grad, n, columns);
      columnMeans(columnVariance, params, grad, n, rows, columns);
    }
    // ‖U‖₂ (U computed again when applied: the same operations, so the same doubles, and no scratch vector)
    norm(params, grad, variance, columnVariance, n, rows, columns);
    const ratio = shared[NORM] / (Math.sqrt(n) * v[V.clipThreshold]);
    const denominator = ratio > 1 ? ratio : 1;
    shared[COEFFICIENT] = alpha / denominator;
    shared[DECAY_FACTOR] = s[DECAY];
    shared[BETA1] = v[V.beta1];
    const momentum = this.buffers[MOMENTUM] ?? params; // (read only with β₁ > 0, when it is there)
    if (columnVariance === undefined) applyStep(params, grad, variance, momentum, n);
    else applyFactoredStep(params, grad, variance, columnVariance, momentum, n, rows, columns);
  }
}

// The step's loops, each a function of its own with an entry pass (see kernels/scalars.ts): nothing is
// computed before a loop's first back edge, its numbers are read from `shared` at the first element,
// and no loop sits inside another (the index of a matrix's row and column is counted, not divided out).
// Each sum runs in the order of the formulas: the same doubles as nested loops would give.

/** Slots of `shared`: the step's numbers, written before a loop and read at its first element, and the loops' results. */
const SIGN = 0;
const L2_WEIGHT = 1;
const WEIGHT_NEW = 2; // 1 − β̂₂
const KEEP = 3; // β̂₂
const EPS1 = 4;
const FLOOR = 5; // ε₁²
const SCALE = 6; // the divisor of a rescaled norm pass: max |x|
const COEFFICIENT = 7; // α_t / max(1, RMS(U)/d)
const DECAY_FACTOR = 8;
const BETA1 = 9;
const DENOMINATOR = 10; // max(mean of a matrix's R, ε₁)
const SQUARES = 11;
const LARGEST = 12;
const NORM = 13;
const shared = new Float64Array(14);

/**
 * ‖x‖₂ into shared[NORM], exact where Σ x² over- or underflows (a second pass on x / max|x|): x = θ
 * where `variance` is undefined, else U (factored where `columns` is not 0).
 */
function norm(params: Float64Array, grad: Float64Array, variance: Float64Array | undefined, columnVariance: Float64Array | undefined, n: number, rows: number, columns: number): void {
  squares(params, grad, variance, columnVariance, n, rows, columns, 0);
  const sum = shared[SQUARES];
  const largest = shared[LARGEST];
  if (sum < Infinity && (sum > 1e-280 || !(largest > 0))) {
    shared[NORM] = Math.sqrt(sum);
    return;
  }
  shared[SCALE] = largest;
  squares(params, grad, variance, columnVariance, n, rows, columns, 1);
  shared[NORM] = largest * Math.sqrt(shared[SQUARES]);
}

/** The pass of {@link norm} over θ, U or factored U: one loop function for each (each one's code stays simple). */
function squares(params: Float64Array, grad: Float64Array, variance: Float64Array | undefined, columnVariance: Float64Array | undefined, n: number, rows: number, columns: number, scaled: 0 | 1): void {
  if (variance === undefined) squaresOfParams(params, n, scaled);
  else if (columnVariance === undefined) squaresOfUpdate(params, grad, variance, n, scaled);
  else squaresOfFactoredUpdate(params, grad, variance, columnVariance, n, rows, columns, scaled);
}

/** Σ θ² into shared[SQUARES] and max |θ| into shared[LARGEST] (`scaled` 0), or Σ (θ / shared[SCALE])² into shared[SQUARES] (`scaled` 1). */
function squaresOfParams(params: Float64Array, n: number, scaled: 0 | 1): void {
  let scale = 0, sum = 0, largest = 0;
  for (let k = -1; k < n; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass
      scale = shared[SCALE];
      largest = -Infinity; // here, in the loop's compiled code (a module constant would be a `var` once bundled, of unknown type to the compiler)
    }
    const x = params[k];
    if (scaled === 0) {
      sum += x * x;
      largest = Math.max(largest, Math.abs(x));
    } else {
      const y = x / scale;
      sum += y * y;
    }
  }
  shared[SQUARES] = sum;
  shared[LARGEST] = largest;
}

/** As {@link squaresOfParams}, of U = ĝ / √max(V̂, ε₁²), not factored. */
function squaresOfUpdate(params: Float64Array, grad: Float64Array, variance: Float64Array, n: number, scaled: 0 | 1): void {
  let sign = 0, l2 = 0, floor = 0, scale = 0, sum = 0, largest = 0;
  for (let k = -1; k < n; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      floor = shared[FLOOR];
      scale = shared[SCALE];
      largest = -Infinity; // (as above)
    }
    const g = sign * grad[k] + l2 * params[k];
    const x = g / Math.sqrt(Math.max(variance[k], floor));
    if (scaled === 0) {
      sum += x * x;
      largest = Math.max(largest, Math.abs(x));
    } else {
      const y = x / scale;
      sum += y * y;
    }
  }
  shared[SQUARES] = sum;
  shared[LARGEST] = largest;
}

/** As {@link squaresOfParams}, of U = ĝ / √max(V̂, ε₁²) with V̂ = R_i·C_j / max(mean of the matrix's R, ε₁). */
function squaresOfFactoredUpdate(params: Float64Array, grad: Float64Array, rowVariance: Float64Array, columnVariance: Float64Array, n: number, rows: number, columns: number, scaled: 0 | 1): void {
  let sign = 0, l2 = 0, floor = 0, scale = 0, denominator = 0, sum = 0, largest = 0;
  let j = 0; // column of the matrix
  let r = 0; // row among all matrices' rows
  let m = 0; // row of the matrix
  let c = 0; // first column among all matrices' columns
  for (let k = -1; k < n; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      floor = shared[FLOOR];
      scale = shared[SCALE];
      largest = -Infinity; // (as above)
    }
    if (j === 0 && m === 0) {
      matrixDenominator(rowVariance, r, rows);
      denominator = shared[DENOMINATOR];
    }
    const g = sign * grad[k] + l2 * params[k];
    const estimate = (rowVariance[r] * columnVariance[c + j]) / denominator;
    const x = g / Math.sqrt(Math.max(estimate, floor));
    j++;
    if (j === columns) {
      j = 0;
      r++;
      m++;
      if (m === rows) {
        m = 0;
        c += columns;
      }
    }
    if (scaled === 0) {
      sum += x * x;
      largest = Math.max(largest, Math.abs(x));
    } else {
      const y = x / scale;
      sum += y * y;
    }
  }
  shared[SQUARES] = sum;
  shared[LARGEST] = largest;
}

/** max(the mean of R over one matrix's `rows` rows from `first`, ε₁) into shared[DENOMINATOR]. */
function matrixDenominator(rowVariance: Float64Array, first: number, rows: number): void {
  let sum = 0;
  for (let i = -1; i < rows; i++) {
    if (i < 0) continue; // the entry pass
    sum += rowVariance[first + i];
  }
  shared[DENOMINATOR] = Math.max(sum / rows, shared[EPS1]);
}

/** V̂ ← β̂₂·V̂ + (1 − β̂₂)·ĝ², not factored. */
function accumulateSquares(variance: Float64Array, params: Float64Array, grad: Float64Array, n: number): void {
  let sign = 0, l2 = 0, keep = 0, weight = 0;
  for (let i = -1; i < n; i++) {
    if (i <= 0) {
      if (i < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      keep = shared[KEEP];
      weight = shared[WEIGHT_NEW];
    }
    const g = sign * grad[i] + l2 * params[i];
    variance[i] = keep * variance[i] + weight * (g * g);
  }
}

/** R ← β̂₂·R + (1 − β̂₂)·(the mean of ĝ² along each row), row by row of every matrix. */
function rowMeans(rowVariance: Float64Array, params: Float64Array, grad: Float64Array, n: number, columns: number): void {
  let sign = 0, l2 = 0, keep = 0, weight = 0, sum = 0;
  let j = 0; // column
  let r = 0; // row among all matrices' rows
  for (let k = -1; k < n; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      keep = shared[KEEP];
      weight = shared[WEIGHT_NEW];
    }
    const g = sign * grad[k] + l2 * params[k];
    sum += g * g;
    j++;
    if (j === columns) {
      rowVariance[r] = keep * rowVariance[r] + weight * (sum / columns);
      r++;
      j = 0;
      sum = 0;
    }
  }
}

/** C ← β̂₂·C + (1 − β̂₂)·(the mean of ĝ² down each column), column by column of every matrix (strided: no scratch). */
function columnMeans(columnVariance: Float64Array, params: Float64Array, grad: Float64Array, n: number, rows: number, columns: number): void {
  let sign = 0, l2 = 0, keep = 0, weight = 0, sum = 0;
  let k = 0; // the entry's index
  let i = 0; // row of the matrix
  let j = 0; // column of the matrix
  let c = 0; // column among all matrices' columns
  let start = 0; // the matrix's first entry
  for (let t = -1; t < n; t++) {
    if (t <= 0) {
      if (t < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      keep = shared[KEEP];
      weight = shared[WEIGHT_NEW];
    }
    const g = sign * grad[k] + l2 * params[k];
    sum += g * g;
    i++;
    if (i === rows) {
      columnVariance[c] = keep * columnVariance[c] + weight * (sum / rows);
      c++;
      i = 0;
      sum = 0;
      j++;
      if (j === columns) {
        j = 0;
        start += rows * columns;
      }
      k = start + j;
    } else k += columns;
  }
}

/** θ ← d·θ − k·U (or, with a first moment, m ← β₁·m + (1 − β₁)·k·U, θ ← d·θ − m), k = shared[COEFFICIENT]; not factored. */
function applyStep(params: Float64Array, grad: Float64Array, variance: Float64Array, momentum: Float64Array, n: number): void {
  let sign = 0, l2 = 0, floor = 0, coefficient = 0, decay = 0, beta1 = 0;
  for (let k = -1; k < n; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      floor = shared[FLOOR];
      coefficient = shared[COEFFICIENT];
      decay = shared[DECAY_FACTOR];
      beta1 = shared[BETA1];
    }
    const p = params[k];
    const g = sign * grad[k] + l2 * p;
    const step = coefficient * (g / Math.sqrt(Math.max(variance[k], floor)));
    if (beta1 === 0) params[k] = decay * p - step;
    else {
      const next = beta1 * momentum[k] + (1 - beta1) * step;
      momentum[k] = next;
      params[k] = decay * p - next;
    }
  }
}

/** As {@link applyStep}, with V̂ factored (as in {@link squaresOfFactoredUpdate}). */
function applyFactoredStep(params: Float64Array, grad: Float64Array, rowVariance: Float64Array, columnVariance: Float64Array, momentum: Float64Array, n: number, rows: number, columns: number): void {
  let sign = 0, l2 = 0, floor = 0, coefficient = 0, decay = 0, beta1 = 0, denominator = 0;
  let j = 0; // column of the matrix
  let r = 0; // row among all matrices' rows
  let m = 0; // row of the matrix
  let c = 0; // first column among all matrices' columns
  for (let k = -1; k < n; k++) {
    if (k <= 0) {
      if (k < 0) continue; // the entry pass
      sign = shared[SIGN];
      l2 = shared[L2_WEIGHT];
      floor = shared[FLOOR];
      coefficient = shared[COEFFICIENT];
      decay = shared[DECAY_FACTOR];
      beta1 = shared[BETA1];
    }
    if (j === 0 && m === 0) {
      matrixDenominator(rowVariance, r, rows);
      denominator = shared[DENOMINATOR];
    }
    const p = params[k];
    const g = sign * grad[k] + l2 * p;
    const estimate = (rowVariance[r] * columnVariance[c + j]) / denominator;
    j++;
    if (j === columns) {
      j = 0;
      r++;
      m++;
      if (m === rows) {
        m = 0;
        c += columns;
      }
    }
    const step = coefficient * (g / Math.sqrt(Math.max(estimate, floor)));
    if (beta1 === 0) params[k] = decay * p - step;
    else {
      const next = beta1 * momentum[k] + (1 - beta1) * step;
      momentum[k] = next;
      params[k] = decay * p - next;
    }
  }
}

/**
 * Every loop function, factored (a stack of two 2 × 10 matrices) and not, for feedAfterLoops at the
 * first step: type feedback for the code after each loop before any long call (see "After the loop"
 * in kernels/scalars.ts).
 */
const feeds: LoopFunction[] = [
  (params, grad, scalars, momentum) => {
    for (const scaled of [0, 1] as const) {
      squaresOfParams(params, params.length, scaled);
      squaresOfUpdate(params, grad, momentum, params.length, scaled);
    }
    accumulateSquares(scalars, params, grad, scalars.length);
    applyStep(params, grad, params, momentum, params.length);
  },
  (params, grad, scalars, momentum) => {
    const rowVariance = scalars.subarray(0, 4);
    const columnVariance = momentum.subarray(0, 20);
    rowMeans(rowVariance, params, grad, 40, 10);
    columnMeans(columnVariance, params, grad, 40, 2, 10);
    for (const scaled of [0, 1] as const) squaresOfFactoredUpdate(params, grad, rowVariance, columnVariance, 40, 2, 10, scaled);
    applyFactoredStep(params, grad, rowVariance, columnVariance, momentum, 40, 2, 10);
  },
];
/** Whether the loop functions have been fed. */
let fed = false;
