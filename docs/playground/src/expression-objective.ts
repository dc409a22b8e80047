// A typed formula as a gradstep Objective: the value and, by dual numbers, the gradient.
import type { Objective } from "gradstep/learn";
import { evaluateDual } from "./dual.js";
import { parseExpression } from "./expression.js";

/**
 * The objective θ ↦ f(θ0, θ1) of the formula `source` (x is θ0, y is θ1).
 * @throws ExpressionError when the formula does not parse.
 */
export function expressionObjective(source: string): Objective {
  const tree = parseExpression(source);
  return {
    dimension: 2,
    evaluate(theta, grad) {
      const d = evaluateDual(tree, theta[0], theta[1]);
      if (grad !== null) {
        grad[0] = d.dx;
        grad[1] = d.dy;
      }
      return d.v;
    },
  };
}
