import { add, defineRule, div, mul, sqrt, sub } from "../kernels/language.js";

/**
 * Adadelta: E ← ρ·E + (1 − ρ)·ĝ²,  Δ = √(D + ε) / √(E + ε) · ĝ,  D ← ρ·D + (1 − ρ)·Δ²,  θ ← d·θ − η·Δ.
 * Δ divides by the new E (TF.js uses the previous one) and D is updated after Δ, as in Zeiler
 * (2012) and PyTorch.
 */
export const adadelta = defineRule({
  name: "adadelta",
  scalars: ["lr", "rho", "eps"],
  buffers: ["meanSquare", "meanSquareDelta"],
  derived: (s) => ({ oneMinusRho: sub(1, s.rho) }),
  loops: [
    {
      body: (k) => {
        const { lr, rho, eps, oneMinusRho } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const e = k.let("e", add(mul(rho, k.buffer.meanSquare), mul(mul(oneMinusRho, g), g)));
        k.store("meanSquare", e);
        const delta = k.let("delta", mul(div(sqrt(add(k.buffer.meanSquareDelta, eps)), sqrt(add(e, eps))), g));
        k.store("meanSquareDelta", add(mul(rho, k.buffer.meanSquareDelta), mul(mul(oneMinusRho, delta), delta)));
        k.decayed(p, mul(lr, delta));
      },
    },
  ],
});
