import { ShapeMismatchError } from "../errors.js";
import { cosAt } from "../math/cos.js";
import { expAt } from "../math/exp.js";
import { sinAt } from "../math/sin.js";
import { GABOR_MODEL, withBatchForm } from "../objectives/batch-forms.js";
import type { Model } from "./model.js";

// sin z, cos z and e^(−z²/32) are computed in place in these (the ports' array forms): no double
// crosses a call, where V8 boxes one it does not inline.
const sine = new Float64Array(1);
const cosine = new Float64Array(1);
const envelope = new Float64Array(1);

/**
 * The Gabor model (the lecture, §5; UDL notebooks 6.3/6.4): with z = θ0 + 0.06·θ1·x,
 *
 * ```math
 * f(x;\theta) = \sin(z)\,e^{-z^2/32}, \qquad \frac{\partial f}{\partial\theta_0} = \cos(z)\,e - \sin(z)\,e\,\frac{z}{16},\quad e = e^{-z^2/32}, \qquad \frac{\partial f}{\partial\theta_1} = 0.06\,x\,\frac{\partial f}{\partial\theta_0}
 * ```
 *
 * θ0 shifts the centre and θ1 squeezes the function along x; its sum-of-squares landscape has one
 * global minimum and several local ones. It takes one input feature. Its sin, cos and exp are the
 * library's fdlibm ports (the same bits in every engine); on the WebAssembly backend an
 * {@link empiricalRisk} of it evaluates a whole batch in one Wasm call, with the same bits.
 *
 * @example
 * ```ts
 * const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * J.evaluate(Float64Array.of(0.6, -0.2), null); // 16.4188 (notebook 6.3)
 * ```
 */
export function gaborModel(): Model {
  return withBatchForm<Model>({
    kind: "gaborModel",
    parameterCount(features) {
      if (features !== 1) throw new ShapeMismatchError("features", features, "1 input for the Gabor model");
      return 2;
    },
    predict(theta, X, rows, count, out) {
      const data = X.data as ArrayLike<number>;
      const rowStride = X.stride[0];
      for (let k = 0; k < count; k++) {
        const x = data[X.offset + (rows === null ? k : rows[k]) * rowStride];
        const z = theta[0] + 0.06 * theta[1] * x;
        sine[0] = z;
        sinAt(sine, 0);
        envelope[0] = -(z * z) / 32;
        expAt(envelope, 0);
        out[k] = sine[0] * envelope[0];
      }
    },
    accumulateGradient(theta, X, rows, count, weights, grad) {
      const data = X.data as ArrayLike<number>;
      const rowStride = X.stride[0];
      for (let k = 0; k < count; k++) {
        const x = data[X.offset + (rows === null ? k : rows[k]) * rowStride];
        const z = theta[0] + 0.06 * theta[1] * x;
        envelope[0] = -(z * z) / 32;
        expAt(envelope, 0);
        sine[0] = z;
        sinAt(sine, 0);
        cosine[0] = z;
        cosAt(cosine, 0);
        const e = envelope[0];
        const dz = cosine[0] * e - (sine[0] * e * z) / 16;
        grad[0] += weights[k] * dz;
        grad[1] += weights[k] * 0.06 * x * dz;
      }
    },
  }, GABOR_MODEL);
}
