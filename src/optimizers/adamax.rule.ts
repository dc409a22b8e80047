import { abs, add, defineRule, div, max, mul, sub } from "../kernels/language.js";

/** Adamax: m ← β·m + (1 − β)·ĝ,  u ← max(γ·u, |ĝ| + ε),  θ ← d·θ − a·m / u with a = η / (1 − β^t). */
export const adamax = defineRule({
  name: "adamax",
  scalars: ["beta", "gamma", "eps", "stepSize"],
  buffers: ["firstMoment", "infinityNorm"],
  derived: (s) => ({ oneMinusBeta: sub(1, s.beta) }),
  loops: [
    {
      body: (k) => {
        const { beta, gamma, eps, stepSize, oneMinusBeta } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const m = k.let("m", add(mul(beta, k.buffer.firstMoment), mul(oneMinusBeta, g)));
        const u = k.let("u", max(mul(gamma, k.buffer.infinityNorm), add(abs(g), eps)));
        k.store("firstMoment", m);
        k.store("infinityNorm", u);
        k.decayed(p, mul(stepSize, div(m, u)));
      },
    },
  ],
});
