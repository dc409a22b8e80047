import { globalNorm, globalNormPasses } from "../kernels/global-norm.js";
import { abs, add, defineRule, div, mul, plain, sub } from "../kernels/language.js";

/**
 * θ ← d·θ − η·m / (√v + ε) with m = ĝ, v = ĝ² (SPEC §9). √(ĝ²) is computed as |ĝ|: the same double
 * whenever ĝ² does not overflow or underflow, and right when it would.
 */
export const normalizedGradient = defineRule({
  name: "normalized_gradient",
  scalars: ["lr", "eps"],
  buffers: [],
  flags: (s) => ({ plain: plain(s) }),
  loops: [
    {
      when: "plain",
      body: (k) => {
        const g = k.let("g", k.grad);
        k.store("params", sub(k.params, div(mul(k.scalar.lr, g), add(abs(g), k.scalar.eps))));
      },
    },
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        k.decayed(p, div(mul(k.scalar.lr, g), add(abs(g), k.scalar.eps)));
      },
    },
  ],
});

/**
 * The global form: θ ← d·θ − η·ĝ / (‖ĝ‖₂ + ε), computed as θ ← d·θ − a·ĝ with a = η / (‖ĝ‖₂ + ε)
 * (`stepScale`). ‖ĝ‖₂ is exact where Σ ĝ² would overflow or underflow (see kernels/global-norm.ts).
 */
export const normalizedGradientGlobal = defineRule({
  name: "normalized_gradient_global",
  scalars: ["lr", "eps"],
  buffers: [],
  passes: globalNormPasses((k) => k.effectiveGradient().g),
  afterPasses: (s) => ({ stepScale: div(s.lr, add(globalNorm(s), s.eps)) }),
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        k.decayed(p, mul(k.scalar.stepScale, g));
      },
    },
  ],
  testValues: { l2: [0, 0.25] },
});
