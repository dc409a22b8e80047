// Every optimizer reaches the least-squares solution of random consistent problems (y exactly
// linear in x), in batch and in mini-batch mode: at the solution every example's residual is 0, so
// mini-batch gradients vanish there too and even a constant rate converges.
import { describe, expect } from "vitest";
import { fc, test } from "@fast-check/vitest";
import { Adafactor, AdaGrad, Adadelta, Adam, Adamax, ASGD, GradientDescent, LAMB, Lion, Momentum, NAdam, Nesterov, NormalizedGradient, type Optimizer, optimizerRegistry, RAdam, RMSProp, Rprop, SGD } from "gradstep";
import { dataset, empiricalRisk, EpochSampler, linearRegression, meanSquaredError, minimize } from "gradstep/learn";

const problem = fc.record({
  theta: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 3, maxLength: 3 }),
  seed: fc.integer({ min: 1, max: 1e6 }),
});

function build({ theta, seed }: { theta: number[]; seed: number }) {
  let s = seed;
  const random = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  const X = Array.from({ length: 24 }, () => [random(), random()]);
  const y = X.map(([a, b]) => theta[0] + theta[1] * a + theta[2] * b);
  return empiricalRisk(linearRegression(), meanSquaredError(), dataset(X, y));
}

// Rates chosen once for mean-squared-error on inputs in [−1, 1]²; the tolerance is what each rule's
// own dynamics allow after the budget: adaptive rules with a constant η take steps of about η per
// coordinate near the solution (their denominator shrinks with the gradient), so they hover within
// a few η of it (5η here); the others converge.
const rules: [string, () => Optimizer, number][] = [
  ["GradientDescent", () => new GradientDescent({ lr: 0.5 }), 1e-8],
  ["Momentum", () => new Momentum({ lr: 0.5, beta: 0.5 }), 1e-8],
  ["Nesterov", () => new Nesterov({ lr: 0.5, beta: 0.5 }), 1e-8],
  ["SGD momentum", () => new SGD({ lr: 0.2, momentum: 0.5 }), 1e-8],
  ["SGD nesterov", () => new SGD({ lr: 0.2, momentum: 0.5, nesterov: true }), 1e-8],
  ["AdaGrad", () => new AdaGrad({ lr: 0.5 }), 1e-6],
  ["RMSProp", () => new RMSProp({ lr: 1e-3 }), 1e-2],
  ["Adam", () => new Adam({ lr: 1e-2 }), 5e-2],
  ["Adamax", () => new Adamax({ lr: 1e-2 }), 5e-2],
  ["NAdam", () => new NAdam({ lr: 3e-3 }), 2e-2],
  ["RAdam", () => new RAdam({ lr: 1e-2 }), 5e-2],
  ["Adadelta", () => new Adadelta({ lr: 0.5 }), 1e-3],
  ["Rprop (full batch only)", () => new Rprop({ lr: 0.01 }), 1e-4],
  // Added last so the rows above keep their places: a step of about η per coordinate, so it hovers
  // within a few η of θ* (10η here); 4000 steps of 2e-3 cover the distance from 0 to |θ*| ≤ 2.
  ["NormalizedGradient (within 10η)", () => new NormalizedGradient({ lr: 2e-3 }), 2e-2],
  // λ = 0: a constant step size, gradient descent (λ > 0 shrinks θ towards 0: a biased solution).
  ["ASGD (λ = 0)", () => new ASGD({ lr: 0.5, lambd: 0 }), 1e-8],
  // Steps of exactly η per coordinate (a sign): it hovers within a few η of θ* (10η here).
  ["Lion (within 10η)", () => new Lion({ lr: 2e-3 }), 2e-2],
  // From θ = 0 the ratio is 1 (‖θ‖ = 0), then steps of η·‖θ‖: θ grows geometrically to θ*, and hovers within a few η·‖θ*‖.
  ["LAMB (within 5η‖θ*‖)", () => new LAMB({ lr: 5e-3 }), 5e-2],
  // From θ = 0 steps of ε₂·η, then η·RMS(θ): geometric growth to θ* (about 1200 steps), then shrinking steps.
  ["Adafactor", () => new Adafactor({ lr: 1e-2 }), 5e-2],
];

test("the rules cover every optimizer of the registry", () => {
  const kinds = new Set(rules.map(([, make]) => make().kind));
  expect(optimizerRegistry.filter((e) => !kinds.has(e.name)).map((e) => e.name)).toEqual([]);
});

describe.each(rules)("%s on random consistent least squares", (name, make, tolerance) => {
  const modes = name.startsWith("Rprop") ? (["batch"] as const) : (["batch", "mini-batch"] as const);
  for (const mode of modes) {
    test.prop([problem], { numRuns: 15 })(`${mode}: reaches θ*`, (p) => {
      const objective = build(p);
      const params = new Float64Array(3);
      minimize({
        objective,
        optimizer: make(),
        params,
        steps: 4000,
        sampler: mode === "batch" ? undefined : new EpochSampler({ size: 24, batchSize: 6, seed: p.seed }),
      });
      p.theta.forEach((w, i) => expect(Math.abs(params[i] - w)).toBeLessThan(tolerance));
    });
  }
});
