import { add, defineRule, div, gt, mul, sqrt, sub } from "../kernels/language.js";
import { adamMoments } from "./adam.rule.js";

/**
 * RAdam (PyTorch): m ← β·m + (1 − β)·ĝ,  v ← γ·v + (1 − γ)·ĝ²; then, when the variance is tractable
 * (ρ_t > 5), θ ← d·θ − a·m / (√v + ε) with a = η·r_t·√(1 − γ^t) / (1 − β^t) (r_t the rectification);
 * otherwise θ ← d·θ − (η / (1 − β^t))·m. The caller computes `rectifiedStep` (a, or 0 when not
 * tractable) and `plainStep` (η / (1 − β^t)). ε is added to the uncorrected √v, as PyTorch does.
 */
export const radam = defineRule({
  name: "radam",
  scalars: ["beta", "gamma", "eps", "rectifiedStep", "plainStep"],
  buffers: ["firstMoment", "secondMoment"],
  derived: (s) => ({ oneMinusBeta: sub(1, s.beta), oneMinusGamma: sub(1, s.gamma) }),
  flags: (s) => ({ rectified: gt(s.rectifiedStep, 0) }),
  loops: [
    {
      body: (k) => {
        const { rectifiedStep, plainStep, eps } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const { m, v } = adamMoments(k, g);
        k.when(
          "rectified",
          () => k.decayed(p, mul(rectifiedStep, div(m, add(sqrt(v), eps)))),
          () => k.decayed(p, mul(plainStep, m)),
        );
      },
    },
  ],
});
