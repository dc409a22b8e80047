import { add, defineRule, div, gt, mul, ne, select, sqrt, sub } from "../kernels/language.js";

/**
 * E ← ρ·E + (1 − ρ)·ĝ²;  centered: ḡ ← ρ·ḡ + (1 − ρ)·ĝ, σ² = max(E − ḡ², 0), else σ² = E;
 * D = √(σ² + ε_in) + ε_out;  with momentum μ > 0: B ← μ·B + ĝ / D, θ ← d·θ − η·B;
 * without: θ ← d·θ − η·ĝ / D.
 *
 * One of ε_in, ε_out is ε and the other 0 (inside: the lecture, §11; outside: PyTorch).
 * σ² is clamped at 0 because E − ḡ² ≥ 0 holds in exact arithmetic but can round to a tiny negative
 * number, whose square root would be NaN. `gradAverage` and `momentumBuffer` are read only when
 * centered or μ > 0; `centered` is 1 or 0.
 */
export const rmsprop = defineRule({
  name: "rmsprop",
  scalars: ["lr", "rho", "epsInside", "epsOutside", "centered", "momentum"],
  buffers: ["meanSquare", "gradAverage", "momentumBuffer"],
  derived: (s) => ({ oneMinusRho: sub(1, s.rho) }),
  flags: (s) => ({ isCentered: ne(s.centered, 0), hasMomentum: gt(s.momentum, 0) }),
  loops: [
    {
      body: (k) => {
        const { rho, oneMinusRho, epsInside, epsOutside, momentum, lr } = k.scalar;
        const { p, g } = k.effectiveGradient();
        const e = k.let("e", add(mul(rho, k.buffer.meanSquare), mul(mul(oneMinusRho, g), g)));
        k.store("meanSquare", e);
        const variance = k.declare("variance");
        k.when(
          "isCentered",
          () => {
            const a = k.let("a", add(mul(rho, k.buffer.gradAverage), mul(oneMinusRho, g)));
            k.store("gradAverage", a);
            const difference = k.let("difference", sub(e, mul(a, a)));
            k.assign(variance, select(gt(difference, 0), difference, 0));
          },
          () => k.assign(variance, e),
        );
        const scaled = k.let("scaled", div(g, add(sqrt(add(variance, epsInside)), epsOutside)));
        k.when(
          "hasMomentum",
          () => {
            const b = k.let("b", add(mul(momentum, k.buffer.momentumBuffer), scaled));
            k.store("momentumBuffer", b);
            k.decayed(p, mul(lr, b));
          },
          () => k.decayed(p, mul(lr, scaled)),
        );
      },
    },
  ],
});
