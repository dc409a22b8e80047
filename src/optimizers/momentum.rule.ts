import { add, defineRule, mul, sub } from "../kernels/language.js";

/**
 * V ← β·V + (1 − β)·ĝ,  θ ← d·θ − η·V  (the lecture, §7; also §8, with g evaluated at the look-ahead point).
 * `lookAheadScale` is Nesterov's c of the look-ahead point θ − c·V (not read by the kernel).
 */
export const momentum = defineRule({
  name: "momentum",
  scalars: ["lr", "beta", "lookAheadScale"],
  buffers: ["velocity"],
  derived: (s) => ({ oneMinusBeta: sub(1, s.beta) }),
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        const v = k.let("v", add(mul(k.scalar.beta, k.buffer.velocity), mul(k.scalar.oneMinusBeta, g)));
        k.store("velocity", v);
        k.decayed(p, mul(k.scalar.lr, v));
      },
    },
  ],
});
