import { add, defineRule, eq, mul, sub } from "../kernels/language.js";

/**
 * PyTorch's ASGD, in its order of operations: ĝ = s·g + λ_L2·θ;  θ ← d·((1 − λ·η)·θ) − η·ĝ
 * (`shrink` = 1 − λ·η);  then the average ā ← ā + (θ − ā)·μ, or ā ← θ where μ = 1 (PyTorch copies
 * then). `average` is the `ax` buffer. `nextEta` and `nextMu` (η and μ of the following step) are
 * carried from prepare to commit, not read by the kernel.
 */
export const asgd = defineRule({
  name: "asgd",
  scalars: ["eta", "shrink", "mu", "nextEta", "nextMu"],
  buffers: ["average"],
  flags: (s) => ({ copy: eq(s.mu, 1) }),
  loops: [
    {
      body: (k) => {
        const { decay, shrink, eta, mu } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const q = k.let("q", sub(mul(decay, mul(shrink, p)), mul(eta, g)));
        k.store("params", q);
        const a = k.let("a", k.buffer.average);
        k.when(
          "copy",
          () => k.store("average", q),
          () => k.store("average", add(a, mul(sub(q, a), mu))),
        );
      },
    },
  ],
});
