import { globalNorm, globalNormPasses } from "../kernels/global-norm.js";
import { abs, add, defineRule, div, mul } from "../kernels/language.js";

/**
 * θ ← d·θ − η·m / (√v + ε) with m = ĝ, v = ĝ² (the lecture, §9). √(ĝ²) is computed as |ĝ|: the same double
 * whenever ĝ² does not overflow or underflow, and right when it would.
 */
export const normalizedGradient = defineRule({
  name: "normalized_gradient",
  scalars: ["lr", "eps"],
  buffers: [],
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        k.decayed(p, div(mul(k.scalar.lr, g), add(abs(g), k.scalar.eps)));
      },
    },
  ],
});

/**
 * The global form: θ ← d·θ − η·(ĝ / (‖ĝ‖₂ + ε)). The quotient is at most 1 in size, so a huge η
 * cannot turn a zero gradient into ∞·0 = NaN. ‖ĝ‖₂ is exact where Σ ĝ² would overflow or underflow
 * (see kernels/global-norm.ts).
 */
export const normalizedGradientGlobal = defineRule({
  name: "normalized_gradient_global",
  scalars: ["lr", "eps"],
  buffers: [],
  passes: globalNormPasses((k) => k.effectiveGradient().g),
  afterPasses: (s) => ({ denominator: add(globalNorm(s), s.eps) }),
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        k.decayed(p, mul(k.scalar.lr, div(g, k.scalar.denominator)));
      },
    },
  ],
  testValues: { l2: [0, 0.25] },
});
