// The global norm ‖v‖₂ in the kernel language, exact where Σ v² would overflow or underflow: one
// pass sums the squares and finds max |v|; only when that sum is not usable does a second pass sum
// the squares of v / max|v| (the norm is then max|v|·√(that sum)). Used by the rules that need a
// global norm (NormalizedGradient's global form, clipByGlobalNorm).
import { abs, and, type Condition, div, type Expr, gt, type KernelBuilder, lt, mul, not, or, type ReductionPass, select, sqrt } from "./language.js";

/** Whether Σ v² is usable as is: finite, and not lost below the normal range (or v is all zeros). */
function direct(s: Readonly<Record<string, Expr>>): Condition {
  return and(lt(s.sumSquares, Infinity), or(gt(s.sumSquares, 1e-280), not(gt(s.largest, 0))));
}

/** The two passes over `vector(k)` (an element expression; it may set variables). */
export function globalNormPasses<B extends string>(vector: (k: KernelBuilder<string, B, never>) => Expr): ReductionPass<B>[] {
  return [
    {
      combine: { sumSquares: "sum", largest: "max" },
      element: (k) => {
        const v = k.let("v", vector(k));
        return { sumSquares: mul(v, v), largest: abs(v) };
      },
    },
    {
      when: (s) => not(direct(s)),
      combine: { scaledSquares: "sum" },
      element: (k) => {
        const scaled = k.let("scaled", div(vector(k), k.scalar.largest));
        return { scaledSquares: mul(scaled, scaled) };
      },
    },
  ];
}

/** ‖v‖₂ from the passes' results. */
export function globalNorm(s: Readonly<Record<string, Expr>>): Expr {
  return select(direct(s), sqrt(s.sumSquares), mul(s.largest, sqrt(s.scaledSquares)));
}
