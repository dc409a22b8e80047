import { ShapeMismatchError } from "../errors.js";
import type { Model } from "./model.js";

/**
 * The Gabor model (the lecture, §5; UDL notebooks 6.3/6.4): with z = θ0 + 0.06·θ1·x,
 *
 * ```math
 * f(x;\theta) = \sin(z)\,e^{-z^2/32}, \qquad \frac{\partial f}{\partial\theta_0} = \cos(z)\,e - \sin(z)\,e\,\frac{z}{16},\quad e = e^{-z^2/32}, \qquad \frac{\partial f}{\partial\theta_1} = 0.06\,x\,\frac{\partial f}{\partial\theta_0}
 * ```
 *
 * θ0 shifts the centre and θ1 squeezes the function along x; its sum-of-squares landscape has one
 * global minimum and several local ones. It takes one input feature.
 *
 * @example
 * ```ts
 * const J = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
 * J.evaluate(Float64Array.of(0.6, -0.2), null); // 16.4188 (notebook 6.3)
 * ```
 */
export function gaborModel(): Model {
  return {
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
        out[k] = Math.sin(z) * Math.exp(-(z * z) / 32);
      }
    },
    accumulateGradient(theta, X, rows, count, weights, grad) {
      const data = X.data as ArrayLike<number>;
      const rowStride = X.stride[0];
      for (let k = 0; k < count; k++) {
        const x = data[X.offset + (rows === null ? k : rows[k]) * rowStride];
        const z = theta[0] + 0.06 * theta[1] * x;
        const e = Math.exp(-(z * z) / 32);
        const dz = Math.cos(z) * e - (Math.sin(z) * e * z) / 16;
        grad[0] += weights[k] * dz;
        grad[1] += weights[k] * 0.06 * x * dz;
      }
    },
  };
}
