import { defineRule, mul, plain, sub } from "../kernels/language.js";

/** θ ← d·θ − η·ĝ with ĝ = s·g + λ·θ (SPEC §3; s, λ, d: see kernels/scalars.ts). */
export const gradientDescent = defineRule({
  name: "gradient_descent",
  scalars: ["lr"],
  buffers: [],
  flags: (s) => ({ plain: plain(s) }),
  loops: [
    { when: "plain", body: (k) => k.store("params", sub(k.params, mul(k.scalar.lr, k.grad))) },
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        k.decayed(p, mul(k.scalar.lr, g));
      },
    },
  ],
});
