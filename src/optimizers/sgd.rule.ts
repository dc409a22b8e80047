import { add, defineRule, gt, mul, ne, sub } from "../kernels/language.js";

/**
 * PyTorch's SGD: with momentum μ > 0, B ← ĝ on the first step, else B ← μ·B + (1 − dampening)·ĝ;
 * the step direction is ĝ + μ·B with Nesterov, B without; θ ← d·θ − η·direction.
 * Without momentum, θ ← d·θ − η·ĝ. `momentumBuffer` is read only when μ > 0; `nesterov` and
 * `firstStep` are 1 or 0.
 */
export const sgd = defineRule({
  name: "sgd",
  scalars: ["lr", "momentum", "dampening", "nesterov", "firstStep"],
  buffers: ["momentumBuffer"],
  derived: (s) => ({ keep: sub(1, s.dampening) }),
  flags: (s) => ({ hasMomentum: gt(s.momentum, 0), isNesterov: ne(s.nesterov, 0), isFirstStep: ne(s.firstStep, 0), dampens: ne(s.dampening, 0) }),
  loops: [
    {
      body: (k) => {
        const { momentum, keep, lr } = k.scalar;
        const { p, g } = k.effectiveGradient();
        k.when("hasMomentum", () => {
          const b = k.declare("b");
          k.when(
            "isFirstStep",
            () => k.assign(b, g),
            () =>
              // without dampening, (1 − 0)·ĝ is ĝ itself: the multiplication is left out (the same bits)
              k.when(
                "dampens",
                () => k.assign(b, add(mul(momentum, k.buffer.momentumBuffer), mul(keep, g))),
                () => k.assign(b, add(mul(momentum, k.buffer.momentumBuffer), g)),
              ),
          );
          k.store("momentumBuffer", b);
          k.when(
            "isNesterov",
            () => k.assign(g, add(g, mul(momentum, b))),
            () => k.assign(g, b),
          );
        });
        k.decayed(p, mul(lr, g));
      },
    },
  ],
});
