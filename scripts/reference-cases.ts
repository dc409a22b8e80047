// Runs the cases of a reference file (format: test/fixtures/README.md) through gradstep's public API.
import { AdaGrad, Adam, GradientDescent, Momentum, Nesterov, NormalizedGradient, type Optimizer, RMSProp } from "gradstep";

/** One case of a reference file. */
export interface ReferenceCase {
  family: string;
  optimizer: string;
  options: Record<string, unknown>;
  problem: "gradient-sequence" | "diagonal-quadratic";
  params0: number[];
  grads?: number[][];
  a?: number[];
  b?: number[];
  steps?: number;
  trajectory: number[][];
}

/** The outcome of one case: its largest relative error, or why it could not run. */
export interface CaseResult {
  label: string;
  maxRelativeError: number;
  unsupported?: string;
}

// The lecture's rules: the SPEC's symbols are the options' names; ε goes inside the square root.
const lectureRules: Record<string, (options: Record<string, unknown>) => Optimizer> = {
  GradientDescent: (o) => new GradientDescent(o),
  Momentum: (o) => new Momentum(o),
  Nesterov: (o) => new Nesterov({ ...o, lookAhead: "lecture" }),
  NormalizedGradient: (o) => new NormalizedGradient(o),
  AdaGrad: (o) => new AdaGrad({ ...o, epsPlacement: "inside" }),
  RMSProp: (o) => new RMSProp({ ...o, epsPlacement: "inside" }),
  Adam: (o) => new Adam({ ...o, epsPlacement: "inside" }),
};

function optimizerFor(c: ReferenceCase): Optimizer | string {
  if (c.family !== "lecture") return `family "${c.family}" is not supported yet`;
  const make = lectureRules[c.optimizer];
  return make ? make(c.options) : `optimizer "${c.optimizer}" is not supported`;
}

/**
 * Largest elementwise relative error |x − r| / |r| over a trajectory (absolute where r = 0).
 */
export function runCase(c: ReferenceCase): CaseResult {
  const label = `${c.family} ${c.optimizer} ${c.problem} ${JSON.stringify(c.options)}`;
  const optimizer = optimizerFor(c);
  if (typeof optimizer === "string") return { label, maxRelativeError: NaN, unsupported: optimizer };
  const n = c.params0.length;
  const params = Float64Array.from(c.params0);
  const grad = new Float64Array(n);
  const point = new Float64Array(n);
  let worst = 0;
  for (let t = 0; t < c.trajectory.length; t++) {
    const at = optimizer.gradientPoint(params, point);
    if (c.problem === "gradient-sequence") {
      grad.set(c.grads![t]);
    } else {
      for (let i = 0; i < n; i++) grad[i] = c.a![i] * at[i] - c.b![i];
    }
    optimizer.step(params, grad);
    const expected = c.trajectory[t];
    for (let i = 0; i < n; i++) {
      const r = expected[i];
      const err = r === 0 ? Math.abs(params[i]) : Math.abs(params[i] - r) / Math.abs(r);
      if (!(err <= worst)) worst = err; // NaN propagates as the worst error
    }
  }
  return { label, maxRelativeError: worst };
}
