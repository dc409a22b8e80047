import { defineRule, gt, lt, max, min, mul, select } from "../kernels/language.js";

/**
 * Rprop (PyTorch): per coordinate, with the previous gradient ĝ_prev and step size Δ:
 * ĝ·ĝ_prev > 0: Δ ← min(Δ·η+, Δ_max);  < 0: Δ ← max(Δ·η−, Δ_min) and ĝ is taken as 0 (no move, and
 * no sign change seen next step);  = 0: Δ unchanged (clamped).  θ ← d·θ − sign(ĝ)·Δ;  ĝ_prev ← ĝ.
 * The step uses this step's gradient (optax's rprop emits the previous step's update instead).
 */
export const rprop = defineRule({
  name: "rprop",
  scalars: ["etaMinus", "etaPlus", "stepMin", "stepMax"],
  buffers: ["previousGrad", "stepSizes"],
  loops: [
    {
      body: (k) => {
        const { etaMinus, etaPlus, stepMin, stepMax } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const agreement = k.let("agreement", mul(g, k.buffer.previousGrad));
        const factor = k.let("factor", select(gt(agreement, 0), etaPlus, select(lt(agreement, 0), etaMinus, 1)));
        const size = k.let("size", min(max(mul(k.buffer.stepSizes, factor), stepMin), stepMax));
        k.store("stepSizes", size);
        k.assign(g, select(lt(agreement, 0), 0, g));
        k.store("previousGrad", g);
        // Math.sign: 1, −1, or the value itself for ±0 and NaN
        const sign = k.let("sign", select(gt(g, 0), 1, select(lt(g, 0), -1, g)));
        k.decayed(p, mul(sign, size));
      },
    },
  ],
});
