// Reads test/fixtures/scipy-solvers.json (made by test/fixtures/gen_scipy_solvers.py with scipy 1.10.1).
import { readFileSync } from "node:fs";

/** A double written by Python's float.hex(), e.g. "0x1.999999999999ap-4", "-0x0.0p+0", "inf". */
export function fromHex(text: string): number {
  if (text === "inf") return Infinity;
  if (text === "-inf") return -Infinity;
  if (text === "nan") return NaN;
  const m = /^(-?)0x([01])\.([0-9a-f]+)p([+-]\d+)$/.exec(text);
  if (m === null) throw new Error(`not a float.hex() string: ${text}`);
  const fraction = m[3].padEnd(13, "0");
  const mantissa = parseInt(m[2], 16) * 2 ** 52 + parseInt(fraction, 16); // exact: < 2^53
  let value = mantissa;
  let exponent = Number(m[4]) - 52;
  // scale in steps that stay exact (no intermediate overflow or underflow)
  while (exponent > 0) { const k = Math.min(exponent, 1000); value *= 2 ** k; exponent -= k; }
  while (exponent < 0) { const k = Math.min(-exponent, 1000); value /= 2 ** k; exponent += k; }
  return m[1] === "-" ? -value : value;
}

export interface LineSearchCase {
  function: "mt1" | "mt2" | "yanai" | "quadratic" | "quartic";
  parameters: Record<string, number>;
  stp: number; ftol: number; gtol: number; xtol: number; stpmin: number; stpmax: number;
  steps: string[]; task: string; step: string;
}

export interface SolverCase {
  method: "BFGS" | "CG";
  problem: "rosenbrock" | "beale" | "anisotropicValley" | "illConditionedQuadratic" | "quadratic";
  parameters: { condition?: number; dimension?: number; lambda?: number[]; A?: number[][]; b?: number[] };
  x0: number[]; x: number[]; fun: number; nit: number; nfev: number; njev: number; status: number;
  message: string; path: number[][]; gradientNorm: number;
}

export interface Wolfe2Case {
  function: LineSearchCase["function"];
  parameters: Record<string, number>;
  c2: number;
  oldPhi0: number | null;
  calls: ["f" | "g", string][];
  alpha: string | null; phi: string | null; derphi: string | null;
}

// The 1-D functions of the fixture, operation for operation as gen_scipy_solvers.py writes them
// (+ − × ÷ and √ only: correctly rounded, so both sides compute the same bits).
export function linePhi(name: LineSearchCase["function"], p: Record<string, number>): (a: number) => [number, number] {
  switch (name) {
    case "mt1":
      return (a) => [-a / (a * a + p.beta), (a * a - p.beta) / ((a * a + p.beta) * (a * a + p.beta))];
    case "mt2":
      return (a) => {
        const t = a + p.beta;
        const t2 = t * t;
        const t3 = t2 * t;
        const t4 = t3 * t;
        const t5 = t4 * t;
        return [t5 - 2 * t4, 5 * t4 - 8 * t3];
      };
    case "yanai": {
      const g1 = Math.sqrt(1 + p.beta1 * p.beta1) - p.beta1;
      const g2 = Math.sqrt(1 + p.beta2 * p.beta2) - p.beta2;
      return (a) => {
        const u = Math.sqrt((1 - a) * (1 - a) + p.beta2 * p.beta2);
        const v = Math.sqrt(a * a + p.beta1 * p.beta1);
        return [g1 * u + g2 * v, (g1 * (a - 1)) / u + (g2 * a) / v];
      };
    }
    case "quadratic":
      return (a) => [(a - 3) * (a - 3), 2 * (a - 3)];
    case "quartic":
      return (a) => [(a * a - 4) * (a * a - 4) - a, 4 * a * (a * a - 4) - 1];
  }
}

export const scipySolvers: { scipy: string; lineSearches: LineSearchCase[]; wolfe2: Wolfe2Case[]; solvers: SolverCase[] } = JSON.parse(
  readFileSync(new URL("../fixtures/scipy-solvers.json", import.meta.url), "utf8"),
);
