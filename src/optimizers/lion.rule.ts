import { add, defineRule, gt, lt, mul, select, sub } from "../kernels/language.js";

/**
 * Lion (Chen et al. 2023): c = β₁·m + (1 − β₁)·ĝ,  θ ← d·θ − η·sign(c),  m ← β₂·m + (1 − β₂)·ĝ,
 * with d = 1 − η·λ (its decoupled weight decay). sign is Math.sign's: ±0 and NaN pass through.
 */
export const lion = defineRule({
  name: "lion",
  scalars: ["lr", "beta1", "beta2"],
  buffers: ["momentum"],
  derived: (s) => ({ oneMinusBeta1: sub(1, s.beta1), oneMinusBeta2: sub(1, s.beta2) }),
  loops: [
    {
      body: (k) => {
        const { lr, beta1, beta2, oneMinusBeta1, oneMinusBeta2 } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const c = k.let("c", add(mul(beta1, k.buffer.momentum), mul(oneMinusBeta1, g)));
        const sign = k.let("sign", select(gt(c, 0), 1, select(lt(c, 0), -1, c)));
        k.decayed(p, mul(lr, sign));
        k.store("momentum", add(mul(beta2, k.buffer.momentum), mul(oneMinusBeta2, g)));
      },
    },
  ],
});
