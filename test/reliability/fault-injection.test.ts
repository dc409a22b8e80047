// All or nothing under allocation failure: the k-th allocation of an operation is made to fail, for
// every k the operation reaches, on both backends. Each time, either the operation completes exactly
// as it does without the fault (a Wasm allocation that fails sends the state to JavaScript memory,
// to the same bits), or it throws a GradstepError and every byte the library owns (optimizer state,
// the Wasm arena's blocks and their contents, the user's vectors) is as it was before.
import { Adam, allocateVector, type BackendChoice, chain, GradstepError, type Optimizer, OutOfMemoryError, releaseVector, setBackend } from "gradstep";
import { minimize, type Objective } from "gradstep/learn";
import { afterEach, describe, expect, test } from "vitest";
import { currentRuntime } from "../../src/backends/backend.js";
import { allocationFaults } from "../../src/memory/allocate.js";
import { allRules, bytes, gradientAt } from "../helpers.js";

const initial = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  allocationFaults.countdown = -1;
  setBackend(initial);
});

/** Every block of the Wasm arena but the scratch blocks (working memory whose contents mean nothing between steps), with its bytes. */
function arenaContents(): unknown {
  const rt = currentRuntime();
  if (rt === undefined) return null;
  const scratch = new Set([rt.scratchParams, rt.scratchGrad]);
  const heap = new Uint8Array(rt.memory.buffer);
  return rt
    .blocks()
    .filter(([start]) => !scratch.has(start))
    .map(([start, size]) => [start, size, Buffer.from(heap.subarray(start, start + size)).toString("base64")]);
}

/** What a failed operation must leave as it was: the optimizers' snapshots, the user's vectors, the arena. */
function everything(optimizers: Optimizer[], vectors: Float64Array[]): unknown {
  return { snapshots: optimizers.map((o) => JSON.stringify(o.snapshot())), vectors: vectors.map(bytes), arena: arenaContents() };
}

let length = 40;
/** A length no earlier case used, so that the copied path must grow its scratch blocks. */
const freshLength = () => (length += 3);

/**
 * Runs `operation` on `setup(n)`'s objects with the k-th allocation failing, for k = 0, 1, … until
 * an attempt completes without reaching its fault, each time with a fresh length n (so that every
 * attempt meets the same allocations) and compared with a run at that n without faults. Returns
 * how many fault points there were.
 */
function acrossFaults<S extends { optimizers: Optimizer[]; vectors: Float64Array[]; saved?: unknown }>(setup: (n: number) => S, operation: (s: S) => void): number {
  for (let k = 0; ; k++) {
    const n = freshLength();
    const s = setup(n);
    const before = everything(s.optimizers, s.vectors);
    allocationFaults.countdown = k;
    let failed: unknown;
    try {
      operation(s);
    } catch (e) {
      failed = e;
    }
    const reached = allocationFaults.countdown < 0;
    allocationFaults.countdown = -1;
    if (failed !== undefined) {
      expect(failed, `fault ${k}`).toBeInstanceOf(GradstepError);
      expect(everything(s.optimizers, s.vectors), `fault ${k}: nothing changed`).toEqual(before);
    } else {
      // Completed, through a fallback or without reaching the fault: the same result, bit for bit
      // (the arena may differ: a fallback keeps state in JavaScript instead).
      const reference = setup(n);
      operation(reference);
      const got = everything(s.optimizers, s.vectors) as { snapshots: unknown; vectors: unknown };
      const want = everything(reference.optimizers, reference.vectors) as typeof got;
      expect(got.snapshots, `fault ${k}: same state`).toEqual(want.snapshots);
      expect(got.vectors, `fault ${k}: same vectors`).toEqual(want.vectors);
    }
    if (!reached) return k;
  }
}

/** Whether an optimizer's state holds any buffer (and so its first step must allocate). */
const hasState = (opt: Optimizer) => Object.keys(opt.snapshot().buffers).length > 0;

describe.each(["js", "auto"] as const)("allocation faults, %s backend", (backend) => {
  const make = <T>(f: () => T): T => {
    setBackend(backend);
    return f();
  };

  describe.each([...allRules, { name: "Chain", make: (o?: Record<string, unknown>) => chain([{ kind: "clipByGlobalNorm", maxNorm: 0.5 }, { kind: "decoupledWeightDecay", weightDecay: 0.1 }], new Adam(o)) }])("$name", ({ make: build }) => {
    test("first step (state allocated), on plain arrays and on allocateVector's", () => {
      for (const inWasm of [false, true]) {
        const points = acrossFaults(
          (n) =>
            make(() => {
              const params = inWasm ? allocateVector(n) : new Float64Array(n);
              params.set(gradientAt(99, n));
              const grad = inWasm ? allocateVector(n) : new Float64Array(n);
              grad.set(gradientAt(1, n));
              return { optimizers: [build({ lr: 0.01 })], vectors: [params, grad] };
            }),
          ({ optimizers: [opt], vectors: [params, grad] }) => opt.step(params, grad),
        );
        if (hasState(make(() => build()))) expect(points).toBeGreaterThan(0);
      }
    });

    test("a later step, restore over existing state, and reset", () => {
      const setup = (n: number) =>
        make(() => {
          const params = gradientAt(7, n);
          const opt = build({ lr: 0.01 });
          for (let t = 0; t < 3; t++) opt.step(params, gradientAt(t, n));
          const other = build({ lr: 0.01 });
          const p = gradientAt(8, n);
          for (let t = 0; t < 5; t++) other.step(p, gradientAt(t + 10, n));
          return { optimizers: [opt, other], vectors: [params] };
        });
      acrossFaults(setup, ({ optimizers: [opt], vectors: [params] }) => opt.step(params, gradientAt(3, params.length)));
      const points = acrossFaults(setup, ({ optimizers: [opt, other] }) => opt.restore(other.snapshot()));
      if (hasState(make(() => build()))) expect(points).toBeGreaterThan(0);
      acrossFaults(setup, ({ optimizers: [opt] }) => opt.reset());
    });

    test("minimize resumed from a saved run", () => {
      // f(θ) = Σ (θ_i − 1)², ∇f = 2(θ − 1)
      const objective = (n: number): Objective => ({
        dimension: n,
        evaluate(theta, grad) {
          let value = 0;
          for (let i = 0; i < n; i++) {
            value += (theta[i] - 1) ** 2;
            if (grad) grad[i] = 2 * (theta[i] - 1);
          }
          return value;
        },
      });
      acrossFaults(
        (n) =>
          make(() => {
            const first = minimize({ objective: objective(n), optimizer: build({ lr: 0.01 }), params: gradientAt(5, n), steps: 3 });
            const opt = build({ lr: 0.01 });
            opt.step(gradientAt(6, n), gradientAt(7, n)); // state to be replaced
            const params = gradientAt(9, n);
            return { optimizers: [opt], vectors: [params], saved: JSON.parse(JSON.stringify(first.state)) };
          }),
        ({ optimizers: [opt], vectors: [params], saved }) => {
          minimize({ objective: objective(params.length), optimizer: opt, params, steps: 5, resume: saved });
        },
      );
    });
  });

  test("allocateVector either hands out a vector or throws an OutOfMemoryError, nothing else changed", () => {
    const kept = make(() => allocateVector(16));
    const s = () => ({ optimizers: [], vectors: [kept] });
    for (let k = 0; k < 2; k++) {
      const before = everything([], [kept]);
      allocationFaults.countdown = k;
      let vector: Float64Array | undefined;
      try {
        vector = make(() => allocateVector(1000));
      } catch (e) {
        expect(e).toBeInstanceOf(OutOfMemoryError);
      }
      allocationFaults.countdown = -1;
      if (vector === undefined) expect(everything([], s().vectors)).toEqual(before);
      else {
        expect(vector.length).toBe(1000);
        expect(vector.every((x) => x === 0)).toBe(true);
        releaseVector(vector);
      }
    }
  });
});
