// The worker-thread path (n ≥ 65,536) with the fallback and reset; minimize with a sampler under
// allocation faults.
import { Adam, allocateVector, backendInfo, GradstepError, NAdam, releaseVector, setBackend, ShapeMismatchError } from "gradstep";
import { EpochSampler, minimize, type Objective } from "gradstep/learn";
import { afterEach, expect, test } from "vitest";
import { allocationFaults } from "../../src/memory/allocate.js";
import { gradientAt } from "../helpers.js";

afterEach(() => {
  allocationFaults.countdown = -1;
  setBackend("auto");
});
const threaded = setBackend("auto").name === "wasm" && backendInfo().sharedMemory;

test.skipIf(!threaded)("threads: wasm, fallback and reset-to-wasm agree bit for bit; a released vector is refused", { timeout: 120_000 }, () => {
  const n = 70_000;
  const run = (opt: NAdam | Adam, params: Float64Array, from: number, to: number) => {
    for (let t = from; t < to; t++) opt.step(params, gradientAt(t, n));
  };
  setBackend("js");
  const ref = new NAdam({ lr: 0.01 });
  const q = gradientAt(99, n);
  run(ref, q, 0, 6);
  setBackend("auto", { threadThreshold: 1024 });
  const opt = new NAdam({ lr: 0.01 });
  const p = allocateVector(n);
  p.set(gradientAt(99, n));
  run(opt, p, 0, 2);
  expect(opt.backend).toBe("wasm");
  // budget reached: a restore keeps the state in JavaScript
  const snap = opt.snapshot();
  setBackend("auto", { threadThreshold: 1024, memoryBudget: backendInfo().memoryBytes });
  const filler: Float64Array[] = [];
  for (;;) {
    const v = allocateVector(4096);
    if (!(v.buffer instanceof SharedArrayBuffer)) break;
    filler.push(v);
  }
  opt.restore(snap);
  expect(opt.backend).toBe("js");
  run(opt, p, 2, 4);
  for (const v of filler) releaseVector(v);
  const kept = JSON.parse(JSON.stringify(opt.snapshot()));
  opt.reset();
  opt.restore(kept); // with room again: back to Wasm memory
  run(opt, p, 4, 6);
  expect(opt.backend).toBe("wasm");
  expect(Buffer.from(p.buffer, p.byteOffset, p.byteLength).equals(Buffer.from(q.buffer)), "bit-identical").toBe(true);
  expect(JSON.stringify(opt.snapshot()) === JSON.stringify(ref.snapshot()), "same state").toBe(true);
  setBackend("auto", { threadThreshold: 1024 });
  const g = allocateVector(n);
  expect(g.buffer).toBeInstanceOf(SharedArrayBuffer);
  releaseVector(g);
  expect(() => opt.step(p, g)).toThrow(ShapeMismatchError);
  releaseVector(p);
});

test("minimize with a sampler, resumed under the k-th allocation fault: all or nothing", () => {
  const n = 6;
  const objective: Objective = {
    dimension: n,
    examples: 12,
    evaluate(theta, grad, rows) {
      let value = 0;
      const count = rows ? rows.length : 12;
      for (let i = 0; i < n; i++) {
        value += (theta[i] - 1) ** 2;
        if (grad) grad[i] = (2 * (theta[i] - 1) * count) / 12;
      }
      return value;
    },
  };
  const sampler = () => new EpochSampler({ size: 12, batchSize: 5, seed: 3 });
  const first = minimize({ objective, optimizer: new Adam({ lr: 0.1 }), params: gradientAt(1, n), sampler: sampler(), steps: 4 });
  const saved = JSON.parse(JSON.stringify(first.state));
  const reference = minimize({ objective, optimizer: new Adam({ lr: 0.1 }), params: new Float64Array(n), sampler: sampler(), steps: 9, resume: saved });
  for (let k = 0; k < 12; k++) {
    const opt = new Adam({ lr: 0.1 });
    opt.step(gradientAt(5, n), gradientAt(6, n));
    const s = sampler();
    const params = gradientAt(7, n);
    const before = JSON.stringify([opt.snapshot(), s.snapshot(), Array.from(params)]);
    allocationFaults.countdown = k;
    try {
      const got = minimize({ objective, optimizer: opt, params, sampler: s, steps: 9, resume: saved });
      allocationFaults.countdown = -1;
      expect(JSON.stringify(got.state), `fault ${k}`).toBe(JSON.stringify(reference.state));
    } catch (e) {
      allocationFaults.countdown = -1;
      expect(e, `fault ${k}`).toBeInstanceOf(GradstepError);
      expect(JSON.stringify([opt.snapshot(), s.snapshot(), Array.from(params)]), `fault ${k}`).toBe(before);
    }
  }
});
