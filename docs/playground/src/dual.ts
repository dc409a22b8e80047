// Forward-mode automatic differentiation of a parsed formula: each node evaluates to a dual number
// (value, ∂/∂x, ∂/∂y), so one pass gives f and its gradient exactly (up to rounding), with no
// symbolic algebra and no step size to choose.
import type { Expr } from "./expression.js";

/** f and its partial derivatives at one point. */
export interface Dual {
  readonly v: number;
  readonly dx: number;
  readonly dy: number;
}

const dual = (v: number, dx: number, dy: number): Dual => ({ v, dx, dy });
/** The chain rule for a function of one argument: f(a), f′(a)·a′. */
const chain = (a: Dual, v: number, slope: number): Dual => dual(v, slope * a.dx, slope * a.dy);

function power(a: Dual, b: Dual): Dual {
  const v = Math.pow(a.v, b.v);
  // A constant exponent (the common case, x^2): b·a^(b−1)·a′, which also holds for a ≤ 0.
  if (b.dx === 0 && b.dy === 0) {
    if (a.dx === 0 && a.dy === 0) return dual(v, 0, 0);
    return chain(a, v, b.v * Math.pow(a.v, b.v - 1));
  }
  // a^b = exp(b·ln a): (a^b)′ = a^b·(b′·ln a + b·a′/a)
  const ln = Math.log(a.v);
  return dual(v, v * (b.dx * ln + (b.v * a.dx) / a.v), v * (b.dy * ln + (b.v * a.dy) / a.v));
}

/** f(x, y) and its gradient, by forward-mode dual numbers. */
export function evaluateDual(e: Expr, x: number, y: number): Dual {
  switch (e.kind) {
    case "number":
      return dual(e.value, 0, 0);
    case "variable":
      return e.name === "x" ? dual(x, 1, 0) : dual(y, 0, 1);
    case "negate": {
      const a = evaluateDual(e.arg, x, y);
      return dual(-a.v, -a.dx, -a.dy);
    }
    case "binary": {
      const a = evaluateDual(e.left, x, y);
      const b = evaluateDual(e.right, x, y);
      switch (e.op) {
        case "+":
          return dual(a.v + b.v, a.dx + b.dx, a.dy + b.dy);
        case "-":
          return dual(a.v - b.v, a.dx - b.dx, a.dy - b.dy);
        case "*":
          return dual(a.v * b.v, a.dx * b.v + a.v * b.dx, a.dy * b.v + a.v * b.dy);
        case "/":
          return dual(a.v / b.v, (a.dx * b.v - a.v * b.dx) / (b.v * b.v), (a.dy * b.v - a.v * b.dy) / (b.v * b.v));
        case "^":
          return power(a, b);
      }
    }
    case "call": {
      const a = evaluateDual(e.arg, x, y);
      switch (e.fn) {
        case "sin":
          return chain(a, Math.sin(a.v), Math.cos(a.v));
        case "cos":
          return chain(a, Math.cos(a.v), -Math.sin(a.v));
        case "exp": {
          const v = Math.exp(a.v);
          return chain(a, v, v);
        }
        case "log":
          return chain(a, Math.log(a.v), 1 / a.v);
        case "sqrt": {
          const v = Math.sqrt(a.v);
          return chain(a, v, 0.5 / v);
        }
        case "abs":
          return chain(a, Math.abs(a.v), Math.sign(a.v)); // 0 at the kink: a subgradient
        case "tanh": {
          const v = Math.tanh(a.v);
          return chain(a, v, 1 - v * v);
        }
      }
    }
  }
}

/** f(x, y) alone (for the contour grid: no derivatives to carry). */
export function evaluateValue(e: Expr, x: number, y: number): number {
  switch (e.kind) {
    case "number":
      return e.value;
    case "variable":
      return e.name === "x" ? x : y;
    case "negate":
      return -evaluateValue(e.arg, x, y);
    case "binary": {
      const a = evaluateValue(e.left, x, y);
      const b = evaluateValue(e.right, x, y);
      switch (e.op) {
        case "+":
          return a + b;
        case "-":
          return a - b;
        case "*":
          return a * b;
        case "/":
          return a / b;
        case "^":
          return Math.pow(a, b);
      }
    }
    case "call": {
      const a = evaluateValue(e.arg, x, y);
      return Math[e.fn](a);
    }
  }
}
