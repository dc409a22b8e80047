// Properties the lecture states about each rule, checked on generated inputs (fast-check).
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import {
  Adafactor,
  LAMB,
  Lion,
  AdaGrad,
  Adadelta,
  Adam,
  ASGD,
  Adamax,
  GradientDescent,
  Momentum,
  NAdam,
  Nesterov,
  NormalizedGradient,
  type Optimizer,
  optimizerRegistry,
  RAdam,
  RMSProp,
  Rprop,
  SGD,
} from "gradstep";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { bytes } from "../helpers.js";

const gradientValue = fc.double({ min: -1e3, max: 1e3, noNaN: true });
const nonZeroGradient = fc.oneof(fc.double({ min: 1e-3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: -1e-3, noNaN: true }));
const lr = fc.double({ min: 1e-4, max: 0.5, noNaN: true });
const decay = fc.double({ min: 0, max: 0.999, noNaN: true });
const eps = fc.double({ min: 1e-12, max: 1e-4, noNaN: true });
const placement = fc.constantFrom("inside" as const, "outside" as const);

describe("NormalizedGradient", () => {
  test.prop([lr, eps, fc.array(gradientValue, { minLength: 1, maxLength: 12 })])(
    "moves every coordinate by ±η up to ε, against the gradient's sign",
    (rate, epsilon, g) => {
      const params = new Float64Array(g.length).fill(1);
      new NormalizedGradient({ lr: rate, eps: epsilon }).step(params, Float64Array.from(g));
      g.forEach((gi, i) => {
        const move = params[i] - 1;
        expect(move * gi).toBeLessThanOrEqual(0); // never with the gradient; 0 only for |g| ≪ ε
        // |move| = η·|g|/(|g| + ε) ∈ [η·(1 − ε/|g|), η], up to the rounding of θ = 1 − move
        expect(Math.abs(move)).toBeLessThanOrEqual(rate + 2 ** -52);
        expect(Math.abs(move)).toBeGreaterThanOrEqual(rate * (1 - epsilon / Math.abs(gi)) - 2 ** -52);
      });
    },
  );
});

describe("AdaGrad", () => {
  test.prop([lr, eps, placement, fc.array(fc.array(gradientValue, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 30 })])(
    "never lets a coordinate's effective rate grow",
    (rate, epsilon, epsPlacement, grads) => {
      const opt = new AdaGrad({ lr: rate, eps: epsilon, epsPlacement });
      const params = new Float64Array(3);
      let previous = [Infinity, Infinity, Infinity];
      for (const g of grads) {
        opt.step(params, Float64Array.from(g));
        const G = decodeFloat64(opt.snapshot().buffers.sumOfSquares)!;
        const effective = Array.from(G, (s) => (epsPlacement === "inside" ? rate / Math.sqrt(s + epsilon) : rate / (Math.sqrt(s) + epsilon)));
        effective.forEach((e, i) => expect(e).toBeLessThanOrEqual(previous[i]));
        previous = effective;
      }
    },
  );
});

describe("Adam", () => {
  test.prop([lr, decay, decay, placement, fc.array(nonZeroGradient, { minLength: 1, maxLength: 12 })])(
    "takes a first step of magnitude ≈ η in every coordinate (m̃ = g, ṽ = g²)",
    (rate, beta, gamma, epsPlacement, g) => {
      const params = new Float64Array(g.length);
      new Adam({ lr: rate, beta, gamma, eps: 1e-8, epsPlacement }).step(params, Float64Array.from(g));
      g.forEach((gi, i) => {
        expect(Math.sign(params[i])).toBe(-Math.sign(gi));
        // |Δ|/η = |g|/(|g| + ε) (outside) or |g|/√(g² + ε) (inside): in [1 − 1e-5, 1] for |g| ≥ 1e-3 outside
        const ratio = Math.abs(params[i]) / rate;
        const floor = epsPlacement === "inside" ? 1 / Math.sqrt(1 + 1e-8 / (gi * gi)) : 1 / (1 + 1e-8 / Math.abs(gi));
        expect(ratio).toBeLessThanOrEqual(1 + 1e-14);
        expect(ratio).toBeGreaterThanOrEqual(floor - 1e-14);
        expect(ratio).toBeGreaterThanOrEqual(epsPlacement === "inside" ? 0.995 : 1 - 1e-5);
      });
    },
  );
});

// Random valid options for each rule, for the cross-cutting properties below.
const ruleArbitraries: fc.Arbitrary<() => Optimizer>[] = [
  lr.map((r) => () => new GradientDescent({ lr: r })),
  fc.tuple(lr, decay).map(([r, b]) => () => new Momentum({ lr: r, beta: b })),
  fc.tuple(lr, decay, fc.constantFrom("lecture" as const, "udl" as const)).map(([r, b, l]) => () => new Nesterov({ lr: r, beta: b, lookAhead: l })),
  fc.tuple(lr, eps).map(([r, e]) => () => new NormalizedGradient({ lr: r, eps: e })),
  fc.tuple(lr, eps, placement).map(([r, e, p]) => () => new AdaGrad({ lr: r, eps: e, epsPlacement: p })),
  fc.tuple(lr, decay, eps, placement).map(([r, d, e, p]) => () => new RMSProp({ lr: r, rho: d, eps: e, epsPlacement: p })),
  fc.tuple(lr, decay, decay, eps, placement).map(([r, b, g, e, p]) => () => new Adam({ lr: r, beta: b, gamma: g, eps: e, epsPlacement: p })),
];

/** Runs steps from..to on the quadratic ½·Σ a_i·x_i² − x_i (gradient a_i·x_i − 1, taken where the rule asks). */
function descend(opt: Optimizer, params: Float64Array, a: readonly number[], from: number, to: number): void {
  const point = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  for (let t = from; t < to; t++) {
    const at = opt.gradientPoint(params, point);
    for (let i = 0; i < params.length; i++) grad[i] = a[i] * at[i] - 1;
    opt.step(params, grad);
  }
}

describe("snapshot and restore", () => {
  test.prop([fc.oneof(...ruleArbitraries), fc.array(fc.double({ min: 0.1, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }), fc.nat(60), fc.nat(60)])(
    "at a random step, continue bit-identically",
    (make, a, split, rest) => {
      const uninterrupted = make();
      const p1 = new Float64Array(a.length).fill(0.5);
      descend(uninterrupted, p1, a, 0, split + rest);

      const before = make();
      const p2 = new Float64Array(a.length).fill(0.5);
      descend(before, p2, a, 0, split);
      const after = make();
      after.restore(JSON.parse(JSON.stringify(before.snapshot())));
      descend(after, p2, a, split, split + rest);

      expect(bytes(p2)).toEqual(bytes(p1));
      expect(after.snapshot()).toEqual(uninterrupted.snapshot());
    },
  );
});

/**
 * A random well-conditioned convex quadratic f(x) = ½·xᵀAx − bᵀx with A = Q·diag(λ)·Qᵀ, Q a product
 * of Givens rotations, eigenvalues λ in [1, 10] (1 and 10 always present, so the condition number is 10).
 */
const quadratic = fc
  .integer({ min: 2, max: 6 })
  .chain((n) =>
    fc.record({
      angles: fc.array(fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }), { minLength: (n * (n - 1)) / 2, maxLength: (n * (n - 1)) / 2 }),
      inner: fc.array(fc.double({ min: 1, max: 10, noNaN: true }), { minLength: n - 2, maxLength: n - 2 }),
      minimiser: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
      start: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: n, maxLength: n }),
    }),
  )
  .map((drawn) => {
    // Well-scaled data: fast-check favours extreme doubles, and a subnormal angle, minimiser or start
    // makes gradient components so small that their products underflow to ±0, which Rprop (as
    // PyTorch's, sign(g·g_prev)) reads as "no sign change" and then oscillates at full step forever.
    const scaled = (values: number[]) => values.map((v) => (Math.abs(v) < 1e-150 ? 0 : v));
    const [angles, minimiser, start] = [scaled(drawn.angles), scaled(drawn.minimiser), scaled(drawn.start)];
    const inner = drawn.inner;
    const n = minimiser.length;
    const Q: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
    let k = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const c = Math.cos(angles[k]);
        const s = Math.sin(angles[k++]);
        for (const row of Q) [row[p], row[q]] = [c * row[p] - s * row[q], s * row[p] + c * row[q]];
      }
    }
    const lambda = [1, 10, ...inner];
    const A = Q.map((qi) => Q.map((qj) => lambda.reduce((sum, l, m) => sum + qi[m] * l * qj[m], 0)));
    const b = A.map((row) => row.reduce((sum, aij, j) => sum + aij * minimiser[j], 0));
    return { A, b, minimiser, start };
  });

// Each rule with a rate suited to λ ∈ [1, 10], and how close it must end. Rules with a constant
// step length per coordinate (normalized gradients) or a denominator that shrinks with the gradient
// (RMSProp, Adam) hover around the minimiser at a distance set by η; the others converge linearly.
const convergence: { name: string; make: () => Optimizer; steps: number; tolerance: number; shift?: number }[] = [
  { name: "GradientDescent η=0.15", make: () => new GradientDescent({ lr: 0.15 }), steps: 300, tolerance: 1e-10 },
  { name: "Momentum η=0.15 β=0.5", make: () => new Momentum({ lr: 0.15, beta: 0.5 }), steps: 300, tolerance: 1e-10 },
  { name: "Nesterov η=0.15 β=0.5", make: () => new Nesterov({ lr: 0.15, beta: 0.5 }), steps: 300, tolerance: 1e-10 },
  { name: "Nesterov udl η=0.15 β=0.5", make: () => new Nesterov({ lr: 0.15, beta: 0.5, lookAhead: "udl" }), steps: 300, tolerance: 1e-10 },
  { name: "AdaGrad η=0.5", make: () => new AdaGrad({ lr: 0.5 }), steps: 6000, tolerance: 1e-9 },
  { name: "AdaGrad inside η=0.5", make: () => new AdaGrad({ lr: 0.5, eps: 1e-8, epsPlacement: "inside" }), steps: 6000, tolerance: 1e-9 },
  { name: "NormalizedGradient η=1e-3 (within 10η)", make: () => new NormalizedGradient({ lr: 1e-3 }), steps: 5000, tolerance: 1e-2 },
  { name: "RMSProp η=1e-3 ρ=0.9 (within 5η)", make: () => new RMSProp({ lr: 1e-3, rho: 0.9 }), steps: 5000, tolerance: 5e-3 },
  { name: "RMSProp inside η=1e-3 ρ=0.9 (within 5η)", make: () => new RMSProp({ lr: 1e-3, rho: 0.9, epsPlacement: "inside" }), steps: 5000, tolerance: 5e-3 },
  { name: "Adam η=1e-2 (within 5η)", make: () => new Adam({ lr: 1e-2 }), steps: 5000, tolerance: 5e-2 },
  { name: "Adam inside η=1e-2 (within 5η)", make: () => new Adam({ lr: 1e-2, epsPlacement: "inside" }), steps: 5000, tolerance: 5e-2 },
  { name: "Adam amsgrad η=1e-2 (within 5η)", make: () => new Adam({ lr: 1e-2, amsgrad: true }), steps: 5000, tolerance: 5e-2 },
  { name: "SGD η=0.05 μ=0.5", make: () => new SGD({ lr: 0.05, momentum: 0.5 }), steps: 500, tolerance: 1e-10 },
  { name: "SGD nesterov η=0.05 μ=0.5", make: () => new SGD({ lr: 0.05, momentum: 0.5, nesterov: true }), steps: 500, tolerance: 1e-10 },
  { name: "RMSProp centered η=1e-3 (within 5η)", make: () => new RMSProp({ lr: 1e-3, rho: 0.9, centered: true }), steps: 5000, tolerance: 5e-3 },
  { name: "Adamax η=1e-2 (within 5η)", make: () => new Adamax({ lr: 1e-2 }), steps: 5000, tolerance: 5e-2 },
  { name: "NAdam η=1e-2 (within 5η)", make: () => new NAdam({ lr: 1e-2 }), steps: 5000, tolerance: 5e-2 },
  { name: "RAdam η=1e-2 (within 5η)", make: () => new RAdam({ lr: 1e-2 }), steps: 5000, tolerance: 5e-2 },
  // Near the minimum Adadelta's rate tends to η (both averages fall to ε), so η·λ_max must stay < 2.
  { name: "Adadelta η=0.1 ρ=0.9", make: () => new Adadelta({ lr: 0.1, rho: 0.9 }), steps: 10000, tolerance: 1e-10 },
  { name: "Rprop (within 10·Δ_min)", make: () => new Rprop({ lr: 0.01 }), steps: 1000, tolerance: 1e-5 },
  // With λ = 0 the step size stays η₀ and ASGD is gradient descent (λ > 0 shrinks θ: a biased minimiser).
  { name: "ASGD η=0.15 λ=0", make: () => new ASGD({ lr: 0.15, lambd: 0 }), steps: 300, tolerance: 1e-10 },
  { name: "Lion η=1e-3 (within 10η)", make: () => new Lion({ lr: 1e-3 }), steps: 5000, tolerance: 1e-2 },
  // Rules whose steps are relative to θ's size (`shift`: the problem moved by +3 in every coordinate,
  // θ* and the start in [1, 5]): near θ = 0 their steps shrink with θ (LAMB's η·‖θ‖ never takes a
  // dominant coordinate across 0; Adafactor's fall to η·ε₂), so a θ* across the origin is out of reach.
  // LAMB: steps of η·‖θ‖ (about η·RMS(θ) per coordinate), hovering within a few of them.
  { name: "LAMB η=2e-3 (shifted)", make: () => new LAMB({ lr: 2e-3 }), steps: 5000, tolerance: 5e-2, shift: 3 },
  // Steps of at most η·RMS(θ) per coordinate, shrinking with the gradient against V̂'s long memory.
  { name: "Adafactor η=1e-2 (shifted)", make: () => new Adafactor({ lr: 1e-2 }), steps: 5000, tolerance: 5e-2, shift: 3 },
  { name: "Adafactor factored (one column) η=1e-2 (shifted)", make: () => new Adafactor({ lr: 1e-2, columns: 1 }), steps: 5000, tolerance: 5e-2, shift: 3 },
];

// CONVERGENCE_RUNS=1000 npm test runs a deeper search than CI's 40 cases per rule.
describe.each(convergence)("$name on random convex quadratics", ({ make, steps, tolerance, shift = 0 }) => {
  test.prop([quadratic], { numRuns: Number(process.env.CONVERGENCE_RUNS ?? 40) })("reaches the minimiser (max-norm error within the tolerance)", (drawn) => {
    const { A } = drawn;
    // f(x − shift·1): the minimiser and the start move by shift, b by A·shift·1
    const b = drawn.b.map((bi, i) => bi + shift * A[i].reduce((sum, aij) => sum + aij, 0));
    const minimiser = drawn.minimiser.map((v) => v + shift);
    const start = drawn.start.map((v) => v + shift);
    const n = b.length;
    const opt = make();
    const x = Float64Array.from(start);
    const point = new Float64Array(n);
    const grad = new Float64Array(n);
    for (let t = 0; t < steps; t++) {
      const at = opt.gradientPoint(x, point);
      for (let i = 0; i < n; i++) {
        let g = -b[i];
        for (let j = 0; j < n; j++) g += A[i][j] * at[j];
        grad[i] = g;
      }
      opt.step(x, grad);
    }
    const error = Math.max(...Array.from(x, (v, i) => Math.abs(v - minimiser[i])));
    expect(error).toBeLessThanOrEqual(tolerance);
  });
});

test("the convergence table covers every optimizer of the registry", () => {
  const kinds = new Set(convergence.map(({ make }) => make().kind));
  expect(optimizerRegistry.filter((e) => !kinds.has(e.name)).map((e) => e.name)).toEqual([]);
});
