// L-BFGS-B allocates nothing per iteration: a million iterations must neither trigger a garbage
// collection nor grow the heap by more than 4 MB (test/no-allocation.ts).
import { expect, it } from "vitest";
import { LBFGSB, type Objective } from "gradstep/learn";
import { expectNoAllocation } from "../no-allocation.js";

// Rosenbrock in 4 dimensions, its value written into out[0] (a returned double would be boxed).
const rosenbrockInto: Objective = {
  dimension: 4,
  evaluate() {
    throw new Error("evaluateInto is used");
  },
  evaluateInto(x, g, _rows, _count, out) {
    let f = 0;
    if (g) g.fill(0);
    for (let i = 0; i + 1 < 4; i++) {
      const r = x[i + 1] - x[i] * x[i];
      f += 100 * r * r + (1 - x[i]) * (1 - x[i]);
      if (g) {
        g[i] += -400 * x[i] * r - 2 * (1 - x[i]);
        g[i + 1] += 200 * r;
      }
    }
    out[0] = f;
  },
};

it("L-BFGS-B allocates nothing per iteration (bounds active, memory full, runs restarted)", async () => {
  // Bounds that cut the valley, m = 3 so the ring wraps; each run starts afresh (params reset).
  const solver = new LBFGSB({ lower: -2, upper: [0.8, 0.7, 2, 2], historySize: 3, gradientTolerance: 0, relativeChange: 0 });
  const params = new Float64Array(4);
  let requested = 0;
  const run = (iterations: number) => {
    requested += iterations;
    const start = solver.iterations;
    while (solver.iterations - start < iterations) {
      params[0] = params[2] = -1.2;
      params[1] = params[3] = 1;
      solver.run(params, rosenbrockInto);
    }
  };
  await expectNoAllocation(run, 1_000_000);
  expect(solver.iterations).toBeGreaterThanOrEqual(requested);
}, 120_000);
