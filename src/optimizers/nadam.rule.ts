import { add, defineRule, div, mul, sqrt, sub } from "../kernels/language.js";
import { adamMoments } from "./adam.rule.js";

/**
 * NAdam (PyTorch): m ← β·m + (1 − β)·ĝ,  v ← γ·v + (1 − γ)·ĝ²,  D = √(v·c + ε_in) + ε_out,
 * θ ← d·θ − a·ĝ / D − b·m / D, where the caller computes, from the momentum schedule μ_t,
 * a = η·(1 − μ_t) / (1 − Π_(i≤t) μ_i), b = η·μ_(t+1) / (1 − Π_(i≤t+1) μ_i), c = 1 / (1 − γ^t).
 * `product` (Π μ_i up to this step) is carried from prepare to update, not read by the kernel.
 */
export const nadam = defineRule({
  name: "nadam",
  scalars: ["beta", "gamma", "gradCoefficient", "momentCoefficient", "invCorrection2", "epsInside", "epsOutside", "product"],
  buffers: ["firstMoment", "secondMoment"],
  derived: (s) => ({ oneMinusBeta: sub(1, s.beta), oneMinusGamma: sub(1, s.gamma) }),
  loops: [
    {
      body: (k) => {
        const { decay, gradCoefficient, momentCoefficient, invCorrection2, epsInside, epsOutside } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const { m, v } = adamMoments(k, g);
        const denominator = k.let("denominator", add(sqrt(add(mul(v, invCorrection2), epsInside)), epsOutside));
        k.store("params", sub(sub(mul(decay, p), mul(gradCoefficient, div(g, denominator))), mul(momentCoefficient, div(m, denominator))));
      },
    },
  ],
});
