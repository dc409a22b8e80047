import { abs, add, and, type Condition, defineRule, div, type Expr, gt, type KernelBuilder, lt, mul, not, or, type ReductionPass, select, sqrt, sub } from "../kernels/language.js";

type LambBuilder = KernelBuilder<string, "firstMoment" | "secondMoment", never>;

/**
 * The step's moments and update from θ_i and g_i, without storing anything: the passes compute it
 * to take its norm, the update loop again (the same operations, so the same doubles) to apply it.
 * m = β·m_i + (1 − β)·ĝ,  v = γ·v_i + (1 − γ)·ĝ²,  r = (m·c₁) / (√(v·c₂) + ε) + λ·θ_i.
 */
function lambUpdate(k: KernelBuilder<string, "firstMoment" | "secondMoment", string>): { p: Expr; m: Expr; v: Expr; r: Expr } {
  const { beta, gamma, oneMinusBeta, oneMinusGamma, invCorrection1, invCorrection2, eps, weightDecay } = k.scalar;
  const { p, g } = k.effectiveGradient();
  const m = k.let("m", add(mul(beta, k.buffer.firstMoment), mul(oneMinusBeta, g)));
  const v = k.let("v", add(mul(gamma, k.buffer.secondMoment), mul(mul(oneMinusGamma, g), g)));
  const r = k.let("r", add(div(mul(m, invCorrection1), add(sqrt(mul(v, invCorrection2)), eps)), mul(weightDecay, p)));
  return { p, m, v, r };
}

/** Whether Σ x² (the pass's `squares`) is usable as is: finite, not lost below the normal range, or x is all zeros (as kernels/global-norm.ts). */
function direct(squares: Expr, largest: Expr): Condition {
  return and(lt(squares, Infinity), or(gt(squares, 1e-280), not(gt(largest, 0))));
}

/** ‖x‖₂ from a pass's sum of squares, largest |x| and (where needed) sum of (x / largest)². */
function norm(squares: Expr, largest: Expr, scaled: Expr): Expr {
  return select(direct(squares, largest), sqrt(squares), mul(largest, sqrt(scaled)));
}

/** ‖θ‖₂ and ‖r‖₂ in one pass, each rescaled by a pass of its own only where its Σ x² over- or underflows. */
const passes: ReductionPass<"firstMoment" | "secondMoment">[] = [
  {
    combine: { paramSquares: "sum", paramLargest: "max", updateSquares: "sum", updateLargest: "max" },
    element: (k: LambBuilder) => {
      const { p, r } = lambUpdate(k);
      return { paramSquares: mul(p, p), paramLargest: abs(p), updateSquares: mul(r, r), updateLargest: abs(r) };
    },
  },
  {
    when: (s) => not(direct(s.paramSquares, s.paramLargest)),
    combine: { paramScaled: "sum" },
    element: (k: LambBuilder) => {
      const scaled = k.let("scaled", div(k.params, k.scalar.paramLargest));
      return { paramScaled: mul(scaled, scaled) };
    },
  },
  {
    when: (s) => not(direct(s.updateSquares, s.updateLargest)),
    combine: { updateScaled: "sum" },
    element: (k: LambBuilder) => {
      const { r } = lambUpdate(k);
      const scaled = k.let("scaled", div(r, k.scalar.updateLargest));
      return { updateScaled: mul(scaled, scaled) };
    },
  },
];

/**
 * LAMB (You et al. 2019, Algorithm 2; optax's `lamb`): Adam's bias-corrected moments, the update
 * r = m̂ / (√v̂ + ε) + λ·θ, and the trust ratio ‖θ‖₂ / ‖r‖₂ (1 where either norm is 0):
 * θ ← d·θ − η·ratio·r. Both norms are exact where Σ x² would overflow or underflow.
 */
export const lamb = defineRule({
  name: "lamb",
  scalars: ["lr", "beta", "gamma", "invCorrection1", "invCorrection2", "eps", "weightDecay"],
  buffers: ["firstMoment", "secondMoment"],
  derived: (s) => ({ oneMinusBeta: sub(1, s.beta), oneMinusGamma: sub(1, s.gamma) }),
  passes,
  afterPasses: (s) => {
    const paramNorm = norm(s.paramSquares, s.paramLargest, s.paramScaled);
    const updateNorm = norm(s.updateSquares, s.updateLargest, s.updateScaled);
    return { stepSize: mul(s.lr, select(and(gt(paramNorm, 0), gt(updateNorm, 0)), div(paramNorm, updateNorm), 1)) };
  },
  loops: [
    {
      body: (k) => {
        const { p, m, v, r } = lambUpdate(k);
        k.store("firstMoment", m);
        k.store("secondMoment", v);
        k.decayed(p, mul(k.scalar.stepSize, r));
      },
    },
  ],
  testValues: { l2: [0, 0.25], weightDecay: [0, 0.5] },
});
