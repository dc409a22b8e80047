import { defineRule, mul } from "../kernels/language.js";

/** θ ← d·θ − η·ĝ with ĝ = s·g + λ·θ (the lecture, §3; s, λ, d: see kernels/scalars.ts). */
export const gradientDescent = defineRule({
  name: "gradient_descent",
  scalars: ["lr"],
  buffers: [],
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        k.decayed(p, mul(k.scalar.lr, g));
      },
    },
  ],
});
