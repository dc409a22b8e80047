import { add, defineRule, div, mul, sqrt } from "../kernels/language.js";

/**
 * G ← G + ĝ²,  θ ← d·θ − η_t·ĝ / (√(G + ε_in) + ε_out)
 *
 * One of ε_in, ε_out is ε and the other 0: ε inside the root is the lecture's AdaGrad (§10),
 * outside is PyTorch's. The `lr` slot holds η_t = η / (1 + (t − 1)·lr_decay).
 */
export const adagrad = defineRule({
  name: "adagrad",
  scalars: ["lr", "epsInside", "epsOutside"],
  buffers: ["sumOfSquares"],
  loops: [
    {
      body: (k) => {
        const { p, g } = k.effectiveGradient();
        const s = k.let("s", add(k.buffer.sumOfSquares, mul(g, g)));
        k.store("sumOfSquares", s);
        k.decayed(p, mul(k.scalar.lr, div(g, add(sqrt(add(s, k.scalar.epsInside)), k.scalar.epsOutside))));
      },
    },
  ],
});
