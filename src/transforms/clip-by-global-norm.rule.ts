import { globalNorm, globalNormPasses } from "../kernels/global-norm.js";
import { add, defineRule, div, lt, mul } from "../kernels/language.js";

/**
 * g ← g·f where f = c / (‖g‖₂ + ε) < 1, else g unchanged (c = `maxNorm`). ‖g‖₂ is exact where Σ g²
 * would overflow or underflow (see kernels/global-norm.ts). Reads and writes only grad.
 */
export const clipByGlobalNorm = defineRule({
  name: "clip_by_global_norm",
  scalars: ["maxNorm", "eps"],
  buffers: [],
  passes: globalNormPasses((k) => k.grad),
  afterPasses: (s) => ({ factor: div(s.maxNorm, add(globalNorm(s), s.eps)) }),
  flags: (s) => ({ clip: lt(s.factor, 1) }),
  loops: [{ when: "clip", body: (k) => k.store("grad", mul(k.grad, k.scalar.factor)) }],
  testValues: { maxNorm: [1e-3, 1e3] },
});
