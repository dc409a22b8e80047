import { InvalidOptionError } from "../errors.js";
import { DECAY, GRAD_SIGN, L2, RULE } from "../kernels/scalars.js";
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

  /** Sums of one step's passes: [Σ x², max |x|, Σ (x / max)²]. */
  private readonly sums = new Float64Array(3);
  /**
   * The step's numbers the passes share: [the factor k of U in θ's step, the scale of a rescaled pass].
   * In an array, not arguments: a double passed to a method the JIT does not inline is boxed (an allocation per step).
   */
  private readonly numbers = new Float64Array(2);

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
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) throw new InvalidOptionError("shape", shape, "an array of positive whole numbers");
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
        { name: "variance", needed: (o) => o.columns === 0 },
        { name: "rowVariance", needed: (o) => o.columns !== 0, length: (n, o) => n / (o.columns as number) },
        { name: "columnVariance", needed: (o) => o.columns !== 0, length: (n, o) => (o.rows === 0 ? (o.columns as number) : n / (o.rows as number)) },
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
    const v = this.values;
    const s = this.scalars;
    const sign = s[GRAD_SIGN];
    const l2 = s[L2];
    const weight = s[WEIGHT];
    const keep = 1 - weight;
    const columns = v[V.columns];
    // α_t from θ before anything changes (and before the decay, as PyTorch)
    this.norm(params, params, 0);
    // max as Python's max(a, b) in PyTorch's step: a where b is NaN (θ or U non-finite under nonFinite "unchecked")
    const rms = this.sums[0] / Math.sqrt(n);
    const alpha = (rms > v[V.eps2] ? rms : v[V.eps2]) * s[RHO];
    if (columns === 0) {
      const variance = this.buffers[VARIANCE];
      for (let i = 0; i < n; i++) {
        const g = sign * grad[i] + l2 * params[i];
        variance[i] = keep * variance[i] + weight * (g * g);
      }
    } else {
      this.factor(params, grad);
    }
    // ‖U‖₂ (U computed again when applied: the same operations, so the same doubles, and no scratch vector)
    this.norm(params, grad, 1);
    const ratio = this.sums[0] / (Math.sqrt(n) * v[V.clipThreshold]);
    const denominator = ratio > 1 ? ratio : 1;
    this.numbers[0] = alpha / denominator;
    this.apply(params, grad);
  }

  /** R and C from this step's ĝ² (row means, then column means, each of its own matrix). */
  private factor(params: Float64Array, grad: Float64Array): void {
    const n = params.length;
    const weight = this.scalars[WEIGHT];
    const keep = 1 - weight;
    const columns = this.values[V.columns];
    const sign = this.scalars[GRAD_SIGN];
    const l2 = this.scalars[L2];
    const rowVariance = this.buffers[ROW_VARIANCE];
    const columnVariance = this.buffers[COLUMN_VARIANCE];
    const rowsOption = this.values[V.rows];
    const rows = rowsOption === 0 ? n / columns : rowsOption;
    const matrices = n / (rows * columns);
    for (let b = 0; b < matrices; b++) {
      const start = b * rows * columns;
      for (let i = 0; i < rows; i++) {
        const first = start + i * columns;
        let sum = 0;
        for (let j = 0; j < columns; j++) {
          const g = sign * grad[first + j] + l2 * params[first + j];
          sum += g * g;
        }
        const r = b * rows + i;
        rowVariance[r] = keep * rowVariance[r] + weight * (sum / columns);
      }
      // Down each column (strided): the mean first, then the average, as the formula, with no scratch.
      for (let j = 0; j < columns; j++) {
        let sum = 0;
        for (let i = 0; i < rows; i++) {
          const k = start + i * columns + j;
          const g = sign * grad[k] + l2 * params[k];
          sum += g * g;
        }
        const c = b * columns + j;
        columnVariance[c] = keep * columnVariance[c] + weight * (sum / rows);
      }
    }
  }

  /**
   * ‖x‖₂ into sums[0], exact where Σ x² over- or underflows (a second pass on x / max|x|): x = θ
   * (`which` 0) or U (`which` 1). Written out, not through a helper returning a double per element,
   * which would box it where the JIT does not inline the helper.
   */
  private norm(params: Float64Array, grad: Float64Array, which: 0 | 1): void {
    const sums = this.sums;
    this.pass(params, grad, which, 0);
    if (sums[0] < Infinity && (sums[0] > 1e-280 || !(sums[1] > 0))) {
      sums[0] = Math.sqrt(sums[0]);
      return;
    }
    this.numbers[1] = sums[1];
    this.pass(params, grad, which, 1);
    sums[0] = sums[1] * Math.sqrt(sums[2]);
  }

  /** One pass over x (θ or U): Σ x² and max |x| into sums[0], sums[1] (`scaled` 0), or Σ (x / numbers[1])² into sums[2]. */
  private pass(params: Float64Array, grad: Float64Array, which: 0 | 1, scaled: 0 | 1): void {
    const n = params.length;
    const eps1 = this.values[V.eps1];
    const scale = this.numbers[1];
    const sign = this.scalars[GRAD_SIGN];
    const l2 = this.scalars[L2];
    const columns = this.values[V.columns];
    const factored = columns !== 0;
    const variance = this.buffers[factored ? ROW_VARIANCE : VARIANCE];
    const columnVariance = this.buffers[COLUMN_VARIANCE];
    const rowsOption = this.values[V.rows];
    const rows = !factored ? 0 : rowsOption === 0 ? n / columns : rowsOption;
    const floor = eps1 * eps1;
    let squares = 0;
    let largest = -Infinity;
    let denominator = 1;
    for (let k = 0; k < n; k++) {
      let x: number;
      if (which === 0) x = params[k];
      else {
        const g = sign * grad[k] + l2 * params[k];
        let estimate: number;
        if (factored) {
          const r = (k - (k % columns)) / columns; // the row among all matrices' rows
          const b = (r - (r % rows)) / rows; // the matrix
          if (k % (rows * columns) === 0) {
            // a new matrix: max(mean of its R, ε₁)
            let sum = 0;
            for (let i = 0; i < rows; i++) sum += variance[b * rows + i];
            denominator = Math.max(sum / rows, eps1);
          }
          estimate = (variance[r] * columnVariance[b * columns + (k % columns)]) / denominator;
        } else estimate = variance[k];
        x = g / Math.sqrt(Math.max(estimate, floor));
      }
      if (scaled === 0) {
        squares += x * x;
        largest = Math.max(largest, Math.abs(x));
      } else {
        const y = x / scale;
        squares += y * y;
      }
    }
    if (scaled === 0) {
      this.sums[0] = squares;
      this.sums[1] = largest;
    } else this.sums[2] = squares;
  }

  /** θ ← d·θ − k·U (or, with a first moment, m ← β₁·m + (1 − β₁)·k·U, θ ← d·θ − m), k = numbers[0]. */
  private apply(params: Float64Array, grad: Float64Array): void {
    const n = params.length;
    const coefficient = this.numbers[0];
    const eps1 = this.values[V.eps1];
    const sign = this.scalars[GRAD_SIGN];
    const l2 = this.scalars[L2];
    const decay = this.scalars[DECAY];
    const columns = this.values[V.columns];
    const factored = columns !== 0;
    const variance = this.buffers[factored ? ROW_VARIANCE : VARIANCE];
    const columnVariance = this.buffers[COLUMN_VARIANCE];
    const rowsOption = this.values[V.rows];
    const rows = !factored ? 0 : rowsOption === 0 ? n / columns : rowsOption;
    const beta1 = this.values[V.beta1];
    const momentum = this.buffers[MOMENTUM];
    const floor = eps1 * eps1;
    let denominator = 1;
    for (let k = 0; k < n; k++) {
      const p = params[k];
      const g = sign * grad[k] + l2 * p;
      let estimate: number;
      if (factored) {
        const r = (k - (k % columns)) / columns;
        const b = (r - (r % rows)) / rows;
        if (k % (rows * columns) === 0) {
          let sum = 0;
          for (let i = 0; i < rows; i++) sum += variance[b * rows + i];
          denominator = Math.max(sum / rows, eps1);
        }
        estimate = (variance[r] * columnVariance[b * columns + (k % columns)]) / denominator;
      } else estimate = variance[k];
      const step = coefficient * (g / Math.sqrt(Math.max(estimate, floor)));
      if (beta1 === 0) params[k] = decay * p - step;
      else {
        const m = beta1 * momentum[k] + (1 - beta1) * step;
        momentum[k] = m;
        params[k] = decay * p - m;
      }
    }
  }
}
