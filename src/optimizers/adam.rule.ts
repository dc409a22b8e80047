import { add, defineRule, div, type Expr, type KernelBuilder, max, mul, ne, sqrt, sub } from "../kernels/language.js";

type Moments = KernelBuilder<"beta" | "gamma" | "oneMinusBeta" | "oneMinusGamma", "firstMoment" | "secondMoment", string>;

/** m = β·m_i + (1 − β)·g,  v = γ·v_i + (1 − γ)·g·g, both stored (Adam, NAdam, RAdam). */
export function adamMoments(k: Moments, g: Expr): { m: Expr; v: Expr } {
  const { beta, gamma, oneMinusBeta, oneMinusGamma } = k.scalar;
  const m = k.let("m", add(mul(beta, k.buffer.firstMoment), mul(oneMinusBeta, g)));
  const v = k.let("v", add(mul(gamma, k.buffer.secondMoment), mul(mul(oneMinusGamma, g), g)));
  k.store("firstMoment", m);
  k.store("secondMoment", v);
  return { m, v };
}

/**
 * m ← β·m + (1 − β)·ĝ,  v ← γ·v + (1 − γ)·ĝ²,  with AMSGrad v_max ← max(v_max, v) (raw, as PyTorch);
 * θ ← d·θ − a·m / (√(v·c + ε_in) + ε_out),  a = η / (1 − β^t) (`stepSize`), c = 1 / (1 − γ^t).
 *
 * This is the lecture's (§12) m̃ / √(ṽ + ε) (ε_in = ε, ε_out = 0) or PyTorch's m̃ / (√ṽ + ε) (ε_in = 0,
 * ε_out = ε), with the bias corrections folded into two scalars per step so that each parameter
 * costs one square root and one division. `maxSecondMoment` is read only with AMSGrad (`amsgrad`
 * is 1 or 0).
 */
export const adam = defineRule({
  name: "adam",
  scalars: ["beta", "gamma", "stepSize", "invCorrection2", "epsInside", "epsOutside", "amsgrad"],
  buffers: ["firstMoment", "secondMoment", "maxSecondMoment"],
  derived: (s) => ({ oneMinusBeta: sub(1, s.beta), oneMinusGamma: sub(1, s.gamma) }),
  flags: (s) => ({ isAmsgrad: ne(s.amsgrad, 0) }),
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        const { m, v } = adamMoments(k, g);
        k.when("isAmsgrad", () => {
          k.assign(v, max(k.buffer.maxSecondMoment, v));
          k.store("maxSecondMoment", v);
        });
        k.decayed(p, adamStep(k, m, v));
      },
    },
  ],
});

/** a·(m / (√(v·c + ε_in) + ε_out)). */
function adamStep(k: KernelBuilder<string, string, string>, m: Expr, v: Expr): Expr {
  const { stepSize, invCorrection2, epsInside, epsOutside } = k.scalar;
  return mul(stepSize, div(m, add(sqrt(add(mul(v, invCorrection2), epsInside)), epsOutside)));
}
