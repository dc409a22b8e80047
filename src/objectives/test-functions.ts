import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { plainFloat64 } from "../memory/float64-vectors.js";
import { expAt } from "../math/exp.js";
import type { Objective } from "./objective.js";
import { pow } from "../math/pow.js";

function checked(dimension: number, evaluate: (theta: Float64Array, grad: Float64Array | null) => number): Objective {
  return {
    dimension,
    evaluate(theta, given) {
      const grad = given ?? null; // (a JavaScript caller may leave it out)
      if (plainFloat64(theta, "theta").length !== dimension) throw new ShapeMismatchError("theta", theta, `length ${dimension}`);
      if (grad !== null && plainFloat64(grad, "grad").length !== dimension) throw new ShapeMismatchError("grad", grad, `length ${dimension}`);
      return evaluate(theta, grad);
    },
  };
}

/**
 * Rosenbrock's banana valley, f(x, y) = (a − x)² + b·(y − x²)², minimum 0 at (a, a²).
 *
 * @example
 * ```ts
 * rosenbrock().evaluate(Float64Array.of(1, 1), null); // 0
 * ```
 */
export function rosenbrock(a = 1, b = 100): Objective {
  return checked(2, (t, g) => {
    const [x, y] = t;
    if (g) {
      g[0] = -2 * (a - x) - 4 * b * x * (y - x * x);
      g[1] = 2 * b * (y - x * x);
    }
    return (a - x) ** 2 + b * (y - x * x) ** 2;
  });
}

/**
 * Beale's function, f(x, y) = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)², minimum 0 at (3, 0.5).
 *
 * @example
 * ```ts
 * beale().evaluate(Float64Array.of(3, 0.5), null); // 0
 * ```
 */
export function beale(): Objective {
  return checked(2, (t, g) => {
    const [x, y] = t;
    const r1 = 1.5 - x + x * y;
    const r2 = 2.25 - x + x * y * y;
    const r3 = 2.625 - x + x * y * y * y;
    if (g) {
      g[0] = 2 * r1 * (y - 1) + 2 * r2 * (y * y - 1) + 2 * r3 * (y * y * y - 1);
      g[1] = 2 * r1 * x + 2 * r2 * 2 * x * y + 2 * r3 * 3 * x * y * y;
    }
    return r1 * r1 + r2 * r2 + r3 * r3;
  });
}

/**
 * An ill-conditioned quadratic, f(θ) = ½·Σ_i λ_i·θ_i², with λ spaced geometrically from 1 to the
 * condition number κ; minimum 0 at the origin. Gradient descent needs η < 2/κ and then crawls along
 * the λ = 1 direction.
 *
 * @example
 * ```ts
 * const f = illConditionedQuadratic(1e4, 10); // 10 dimensions, κ = 10⁴
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a condition number below 1 or a dimension that is not a whole number ≥ 1.
 */
export function illConditionedQuadratic(condition: number, dimension = 2): Objective {
  if (!(Number.isFinite(condition) && condition >= 1)) throw new InvalidOptionError("condition", condition, "a finite number ≥ 1");
  if (!Number.isSafeInteger(dimension) || dimension < 1) throw new InvalidOptionError("dimension", dimension, "a whole number ≥ 1");
  const lambda = Float64Array.from({ length: dimension }, (_, i) => (dimension === 1 ? 1 : pow(condition, i / (dimension - 1))));
  return checked(dimension, (t, g) => {
    let f = 0;
    for (let i = 0; i < dimension; i++) {
      f += 0.5 * lambda[i] * t[i] * t[i];
      if (g) g[i] = lambda[i] * t[i];
    }
    return f;
  });
}

/**
 * The anisotropic valley of UDL notebook 6.5 (the lecture's four-panel Adam figure):
 * f(θ) = 1 − exp(−2·θ1² − (θ0 − 0.7)²/8), steep along θ1 (curvature 4 at the minimum) and shallow
 * along θ0 (curvature 0.25); minimum 0 at (0.7, 0).
 *
 * ```math
 * h = e^{-2\theta_1^2 - (\theta_0 - 0.7)^2/8}, \qquad \frac{\partial f}{\partial\theta_0} = \frac{h\,(\theta_0 - 0.7)}{4}, \qquad \frac{\partial f}{\partial\theta_1} = 4h\,\theta_1
 * ```
 *
 * @example
 * ```ts
 * anisotropicValley().evaluate(Float64Array.of(-0.7, -0.9), null); // 0.8451 (the notebook's start)
 * ```
 */
export function anisotropicValley(): Objective {
  const valley = new Float64Array(1); // where h is computed in place (expAt)
  return checked(2, (t, g) => {
    valley[0] = -2 * t[1] * t[1] - ((t[0] - 0.7) * (t[0] - 0.7)) / 8;
    expAt(valley, 0); // in place: no double crosses a call
    const h = valley[0];
    if (g) {
      g[0] = (h * (t[0] - 0.7)) / 4;
      g[1] = 4 * h * t[1];
    }
    return 1 - h;
  });
}
