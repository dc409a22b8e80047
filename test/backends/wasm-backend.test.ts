import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { fc, test as property } from "@fast-check/vitest";
import {
  Adam,
  allocateVector,
  backendInfo,
  type BackendChoice,
  type BackendOptions,
  InvalidOptionError,
  type Optimizer,
  releaseVector,
  setBackend,
} from "gradstep";
import { afterEach, describe, expect, test } from "vitest";
import { currentRuntime } from "../../src/backends/backend.js";
import { kernelsModuleBytes } from "../../src/backends/wasm/kernels-module.js";
import { rangesHaveNonFinite } from "../../src/backends/wasm/ranges-non-finite.js";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { allRules, bytes, gradientAt } from "../helpers.js";

/**
 * The bytes of each value, with every NaN written as "NaN": the backends agree bit for bit on every
 * number, but a NaN's sign and payload are not portable (Wasm's f64x2.max returns the canonical NaN
 * where Math.max passes on the one it got). NaN only arises from non-finite input.
 */
function bits(values: Float64Array): (number[] | "NaN")[] {
  return Array.from(values, (v, i) => (Number.isNaN(v) ? "NaN" : bytes(values.subarray(i, i + 1))));
}

/** Whether two vectors agree bit for bit (NaN for NaN), without building arrays: for long vectors. */
function sameBits(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  const ia = new BigInt64Array(a.buffer, a.byteOffset, a.length);
  const ib = new BigInt64Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < a.length; i++) if (ia[i] !== ib[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/** A snapshot with its buffers decoded by {@link bits}. */
function snapshotBits(opt: Optimizer): unknown {
  const s = opt.snapshot();
  const buffers = Object.fromEntries(Object.entries(s.buffers).map(([name, text]) => [name, bits(decodeFloat64(text as string)!)]));
  return { ...s, buffers };
}

const initial = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  setBackend(initial);
});

/** An optimizer made on the given backend. */
function on(backend: BackendChoice, make: () => Optimizer, options: BackendOptions = {}): Optimizer {
  const before = backendInfo().choice;
  setBackend(backend, options);
  const optimizer = make();
  setBackend(before);
  return optimizer;
}

/**
 * Runs `steps` steps from the same start on both, asserting every byte of params agrees after each;
 * b steps `pb` with `gradB` (give vectors from allocateVector to have its Wasm kernel run at any length:
 * plain arrays of fewer than 32 numbers take the JavaScript kernel on the Wasm state).
 */
function expectSameSteps(a: Optimizer, b: Optimizer, start: Float64Array, steps: number, pa: Float64Array = new Float64Array(start.length), pb: Float64Array = new Float64Array(start.length), gradB?: Float64Array): void {
  pa.set(start);
  pb.set(start);
  const grad = new Float64Array(start.length);
  for (let t = 0; t < steps; t++) {
    gradientAt(t, start.length, grad);
    gradB?.set(grad);
    a.step(pa, grad);
    b.step(pb, gradB ?? grad);
    expect(bytes(pb)).toEqual(bytes(pa));
  }
}

describe("the Wasm SIMD backend", () => {
  test("is what auto picks here, and reports itself", () => {
    const info = setBackend("auto");
    expect(info).toMatchObject({ choice: "auto", name: "wasm", sharedMemory: true, threads: true, threadThreshold: 65536, workerHalves: 0 });
    expect(new Adam().backend).toBe("wasm");
    expect(setBackend("js")).toMatchObject({ name: "js", reason: 'setBackend("js")' });
    expect(new Adam().backend).toBe("js");
  });

  test("bad backend options are refused with typed errors", () => {
    expect(() => setBackend("gpu" as never)).toThrow(InvalidOptionError);
    expect(() => setBackend("auto", { threadThreshold: 0 })).toThrow(/threadThreshold = 0/);
    expect(() => setBackend("auto", { threads: "yes" as never })).toThrow(/threads/);
    expect(() => allocateVector(-1)).toThrow(/length = -1/);
  });

  test("one binary ships: set to shared, it links to a shared memory only; as written, to a plain memory only", () => {
    const plain = new WebAssembly.Memory({ initial: 1, maximum: 4 });
    const shared = new WebAssembly.Memory({ initial: 1, maximum: 4, shared: true });
    // the error's name where linking throws, or "linked"
    const link = (isShared: boolean, memory: WebAssembly.Memory) => {
      try {
        new WebAssembly.Instance(new WebAssembly.Module(kernelsModuleBytes(isShared)), { env: { memory } });
        return "linked";
      } catch (error) {
        return (error as Error).name;
      }
    };
    expect(link(false, plain)).toBe("linked");
    expect(link(true, shared)).toBe("linked");
    expect(link(false, shared)).toBe("LinkError");
    expect(link(true, plain)).toBe("LinkError");
    // the module declares at most 65536 pages: a plain memory without a maximum does not link
    expect(link(false, new WebAssembly.Memory({ initial: 1 }))).toBe("LinkError");
  });

  /**
   * A vector of n doubles in Wasm memory holding `fill(i)`: the check passes it; then NaN and ±Infinity
   * at each of `positions(n)` in turn, which the check must find; then it passes again.
   */
  function expectCheckFindsEach(n: number, fill: (i: number) => number, positions: (n: number) => Iterable<number>): void {
    const rt = currentRuntime()!;
    const address = rt.allocate(n);
    const values = rt.view(address, n);
    values.set(Array.from({ length: n }, (_, i) => fill(i)));
    expect(rt.hasNonFinite(address, n), `n = ${n}`).toBe(false);
    for (const i of positions(n)) {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
        const kept = values[i];
        values[i] = bad;
        expect(rt.hasNonFinite(address, n), `n = ${n}, index ${i}, ${bad}`).toBe(true);
        values[i] = kept;
      }
    }
    expect(rt.hasNonFinite(address, n), `n = ${n}, restored`).toBe(false);
    rt.release(address);
  }
  /** Finite doubles of every kind: the extremes, a subnormal, a signed zero. */
  const finite = (i: number) => [Number.MAX_VALUE, -Number.MAX_VALUE, 5e-324, -0, 1][i % 5];

  test("the Wasm non-finite check finds NaN and ±Infinity at every position, and nothing else", () => {
    setBackend("wasm");
    for (let n = 0; n <= 19; n++) expectCheckFindsEach(n, finite, (m) => Array.from({ length: m }, (_, i) => i));
  });

  test("the non-finite check sums first and tests exactly only where the sum is not finite: a sum that overflows on finite values passes, a bad value among them does not", () => {
    setBackend("wasm");
    // every sum here overflows: ±MAX_VALUE in runs, so each accumulator's lane reaches ±Infinity
    for (const n of [2, 3, 8, 9, 17, 19, 1000, 65536, 70001]) {
      expectCheckFindsEach(n, (i) => (i % 64 < 32 ? Number.MAX_VALUE : -Number.MAX_VALUE), (m) => new Set([0, 1, m >> 2, m >> 1, Math.min(m - 1, (m >> 1) + 1), m - 2, m - 1]));
    }
  });

  test("the non-finite check of long vectors (two halves read side by side, then the rest) finds NaN and ±Infinity in either half, at their seams and in the rest", () => {
    setBackend("wasm");
    // from 65,536 doubles on; 300,001 splits on two threads into halves that each read two streams
    for (const n of [65535, 65536, 65537, 65538, 65539, 65540, 65541, 65543, 100003, 300001]) {
      expectCheckFindsEach(n, finite, (m) => {
        const half = Math.floor(m / 2) & ~3; // the kernel's halves, in doubles
        const seams = [0, half, 2 * half, m, Math.floor(m / 2), Math.floor(m / 4), Math.floor((3 * m) / 4)];
        const positions = new Set<number>();
        for (const seam of seams) for (let d = -5; d <= 5; d++) if (seam + d >= 0 && seam + d < m) positions.add(seam + d);
        for (let k = 0; k < 40; k++) positions.add(Math.floor((k * 7919.31) % m));
        return positions;
      });
    }
  });

  // A tree's gradient leaves in Wasm memory are checked as one vector laid end to end, read by two
  // cursors side by side (ranges-non-finite.ts): every double of every range must be read once.
  property.prop([fc.array(fc.integer({ min: 0, max: 23 }), { maxLength: 9 }), fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY)], { numRuns: 150 })(
    "the non-finite check of ranges laid end to end (two cursors) finds NaN and ±Infinity at every position of every range, empty ranges included",
    (lengths, bad) => {
      setBackend("wasm");
      const rt = currentRuntime()!;
      const at = Float64Array.from(lengths, (n) => rt.allocate(n + 1)); // (a double past each range, finite, must not count)
      const views = lengths.map((n, r) => rt.view(at[r], n + 1));
      views.forEach((v) => v.fill(Number.MAX_VALUE));
      const count = lengths.length;
      const lens = Int32Array.from(lengths);
      expect(rangesHaveNonFinite(rt, at, lens, count)).toBe(false);
      views.forEach((v, r) => {
        for (let i = 0; i < lengths[r]; i++) {
          v[i] = bad;
          expect(rangesHaveNonFinite(rt, at, lens, count), `range ${r} of [${lengths}], index ${i}`).toBe(true);
          v[i] = -Number.MAX_VALUE;
        }
        v[lengths[r]] = bad; // past the range: not read
      });
      expect(rangesHaveNonFinite(rt, at, lens, count)).toBe(false);
      for (const a of at) rt.release(a);
    },
  );

  // Adafactor's row and column sums are not one-number reductions, which is all the kernel language
  // has: its step is JavaScript on both backends (backend "js"), identical by construction.
  const javascriptOnly = (name: string) => name === "Adafactor" || name.startsWith("Adafactor ");
  for (const { name, make } of allRules) {
    test(`${name}: Wasm steps are bit-identical to JS steps (lengths 0 to 37, 12 steps)`, () => {
      for (const n of [0, 1, 2, 3, 4, 5, 8, 17, 37]) {
        const start = Float64Array.from({ length: n }, (_, i) => Math.cos(i + 0.5) * 3);
        const js = on("js", () => make({ weightDecay: 0.01 }));
        const wasm = on("wasm", () => make({ weightDecay: 0.01 }));
        expect((wasm as Adam).backend).toBe(javascriptOnly(name) ? "js" : "wasm");
        expectSameSteps(js, wasm, start, 12);
        // the Wasm kernel itself at every length: params and grad in its memory
        setBackend("wasm");
        const [p, g] = [allocateVector(n), allocateVector(n)];
        expectSameSteps(on("js", () => make({ weightDecay: 0.01 })), on("wasm", () => make({ weightDecay: 0.01 })), start, 12, undefined, p, g);
        releaseVector(p);
        releaseVector(g);
      }
    });
  }

  const common = fc.record({
    lr: fc.double({ min: 1e-4, max: 2, noNaN: true }),
    maximize: fc.boolean(),
    weightDecay: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.5, noNaN: true })),
    weightDecayMode: fc.constantFrom("l2", "decoupled"),
  });
  const vectors = fc.integer({ min: 0, max: 41 }).chain((n) =>
    fc.tuple(
      fc.float64Array({ minLength: n, maxLength: n, noNaN: true, noDefaultInfinity: true }),
      fc.array(fc.float64Array({ minLength: n, maxLength: n, noNaN: true, noDefaultInfinity: true }), { minLength: 1, maxLength: 4 }),
    ),
  );
  property.prop([fc.constantFrom(...allRules), common, vectors], { numRuns: 1500 })(
    "random rules, hyperparameters, lengths and vectors: Wasm and JS agree byte for byte (NaN for NaN)",
    (rule, options, [start, grads]) => {
      const js = on("js", () => rule.make(options));
      const wasm = on("wasm", () => rule.make(options));
      const inWasm = on("wasm", () => rule.make(options)); // on vectors in Wasm memory: its kernel at every length
      const pa = Float64Array.from(start);
      const pb = Float64Array.from(start);
      setBackend("wasm");
      const pc = allocateVector(start.length);
      const gc = allocateVector(start.length);
      pc.set(start);
      for (const grad of grads) {
        js.step(pa, grad);
        wasm.step(pb, grad);
        gc.set(grad);
        inWasm.step(pc, gc);
      }
      expect(bits(pb)).toEqual(bits(pa));
      expect(bits(pc)).toEqual(bits(pa));
      expect(snapshotBits(wasm)).toEqual(snapshotBits(js));
      expect(snapshotBits(inWasm)).toEqual(snapshotBits(js));
      releaseVector(pc);
      releaseVector(gc);
    },
    120_000, // 1500 runs: ~1 s on one core, ~3.5 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
  );

  test("snapshots move between backends, and the resumed runs stay bit-identical", () => {
    for (const { name, make } of allRules) {
      const n = 23;
      const start = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 2);
      const reference = on("js", () => make());
      const pr = Float64Array.from(start);
      const grad = new Float64Array(n);
      for (let t = 0; t < 10; t++) reference.step(pr, gradientAt(t, n, grad));
      for (const [first, second] of [["wasm", "js"], ["js", "wasm"]] as const) {
        const a = on(first, () => make());
        const p = Float64Array.from(start);
        for (let t = 0; t < 5; t++) a.step(p, gradientAt(t, n, grad));
        const b = on(second, () => make());
        b.restore(JSON.parse(JSON.stringify(a.snapshot())));
        for (let t = 5; t < 10; t++) b.step(p, gradientAt(t, n, grad));
        expect(bytes(p), `${name}: ${first} → ${second}`).toEqual(bytes(pr));
        expect(b.snapshot(), name).toEqual(reference.snapshot());
      }
    }
  });

  test("vectors from allocateVector are stepped in place, and survive the memory growing", () => {
    setBackend("wasm");
    const rt = currentRuntime()!;
    const n = 1001;
    const params = allocateVector(n);
    const grad = allocateVector(n);
    expect(rt.addressOf(params)).toBeGreaterThan(0);
    const start = Float64Array.from({ length: n }, (_, i) => i / n);
    const js = on("js", () => new Adam({ lr: 0.01 }));
    const wasm = on("wasm", () => new Adam({ lr: 0.01 }));
    const scratch = [rt.scratchParams, rt.scratchGrad];
    const reference = Float64Array.from(start);
    params.set(start);
    for (let t = 0; t < 5; t++) {
      gradientAt(t, n, grad);
      js.step(reference, grad);
      wasm.step(params, grad);
      if (t === 2) {
        const pages = rt.memory.buffer.byteLength / 65536;
        const big = allocateVector(4_000_000); // 32 MB: the memory must grow
        expect(rt.memory.buffer.byteLength / 65536).toBeGreaterThan(pages);
        releaseVector(big);
      }
    }
    expect(bytes(params)).toEqual(bytes(reference));
    expect([rt.scratchParams, rt.scratchGrad]).toEqual(scratch); // never copied through scratch
    releaseVector(params);
    releaseVector(grad);
  });

  test("on a plain (non-shared) memory, state views are re-derived after the memory grows", () => {
    const js = on("js", () => new Adam({ amsgrad: true }));
    const wasm = on("wasm", () => new Adam({ amsgrad: true }), { sharedMemory: false });
    setBackend("wasm", { sharedMemory: false });
    expect(backendInfo()).toMatchObject({ name: "wasm", sharedMemory: false, threads: false });
    const plain = allocateVector(3);
    expect(currentRuntime()!.addressOf(plain)).toBe(-1); // a plain array: it could not survive growth
    const n = 300;
    const pa = new Float64Array(n);
    const pb = new Float64Array(n);
    const grad = new Float64Array(n);
    for (let t = 0; t < 6; t++) {
      gradientAt(t, n, grad);
      js.step(pa, grad);
      wasm.step(pb, grad);
      if (t === 2) {
        const other = new Adam(); // same plain runtime: its state makes the memory grow
        other.step(new Float64Array(2_000_000), new Float64Array(2_000_000));
      }
    }
    expect(bytes(pb)).toEqual(bytes(pa));
    expect(wasm.snapshot()).toEqual(js.snapshot());
  });

  test("reset gives the state's blocks back to the arena", () => {
    setBackend("wasm");
    const rt = currentRuntime()!;
    const before = rt.used;
    const opt = on("wasm", () => new Adam({ amsgrad: true }));
    opt.step(new Float64Array(1000), new Float64Array(1000).fill(1));
    expect(rt.used).toBeGreaterThanOrEqual(before + 3 * 8000);
    opt.reset();
    expect(rt.used).toBeLessThanOrEqual(before + 2 * 8000); // scratch may stay
  });
});

describe("two threads", () => {
  test("steps split with a worker are bit-identical to one-thread JS steps, and the check still refuses", async () => {
    setBackend("wasm", { threads: true, threadThreshold: 64 });
    const make = () => new Adam({ lr: 0.05, amsgrad: true, weightDecay: 0.1 });
    const wasm = make();
    setBackend("js");
    const js = make();
    setBackend("wasm", { threads: true, threadThreshold: 64 });
    wasm.step(new Float64Array(100), new Float64Array(100)); // starts the worker
    wasm.reset();
    // The worker starts in ~0.3 s on one loaded core; a worker that never starts fails after 60 s.
    const deadline = Date.now() + 60_000;
    while (!backendInfo().workerReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(backendInfo().workerReady).toBe(true);
    const pool = currentRuntime()!.pool!;
    const before = pool.workerHalves;
    for (const n of [64, 65, 100, 1001]) {
      const start = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      wasm.reset();
      js.reset();
      expectSameSteps(js, wasm, start, 8);
      const bad = gradientAt(9, n);
      bad[n - 1] = Number.NaN; // in the worker's half
      const unchanged = bytes(start);
      expect(() => wasm.step(start, bad)).toThrow(/grad\[/);
      expect(bytes(start)).toEqual(unchanged);
    }
    // The worker takes a half only when it claims it first, which a loaded machine can delay for
    // many small steps: large steps, compared one by one, until it has done some (bounded).
    const n = 200_001;
    const start = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
    const pa = Float64Array.from(start);
    const pb = Float64Array.from(start);
    wasm.reset();
    js.reset();
    const grad = new Float64Array(n);
    for (let t = 0; t < 400 && pool.workerHalves <= before; t++) {
      gradientAt(t, n, grad);
      js.step(pa, grad);
      wasm.step(pb, grad);
      expect(sameBits(pb, pa), `step ${t}`).toBe(true);
    }
    expect(pool.workerHalves).toBeGreaterThan(before); // the worker did take part
  }, 120_000); // ~0.4 s with a CPU-bound process on the same core; 120 s covers the 60 s wait for the worker and the 400 steps on a slow, loaded machine

  test("where no worker can start (Node without process.getBuiltinModule), steps run on one thread and backendInfo says why", () => {
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const script = fileURLToPath(new URL("./threads-unavailable-child.ts", import.meta.url));
    const output = execFileSync(process.execPath, [tsx, script], { encoding: "utf8", cwd: fileURLToPath(new URL("../..", import.meta.url)), timeout: 120_000 });
    const result = JSON.parse(output);
    // Adam's first three steps on g = 1 from 0: −lr·m̂/(√v̂ + ε) = −1e-3/(1 + 1e-8) each
    expect(result).toEqual({ before: true, threads: false, reason: expect.stringContaining("no worker thread can start here"), halves: 0, first: expect.closeTo(-3e-3 / (1 + 1e-8), 15) });
  }, 180_000);

  test("a process whose steps started the worker exits by itself when its script ends", () => {
    const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
    const script = fileURLToPath(new URL("./threads-exit-child.ts", import.meta.url));
    // The child takes ~1 s on one core, ~3 s with a CPU-bound process on it; it waits up to 60 s
    // for its worker. A worker keeping the process alive would hit this limit and fail the test.
    const limit = 120_000;
    const started = Date.now();
    const output = execFileSync(process.execPath, [tsx, script], {
      encoding: "utf8",
      cwd: fileURLToPath(new URL("../..", import.meta.url)),
      timeout: limit,
    });
    expect(JSON.parse(output)).toEqual({ ready: true, steps: 21, first: expect.closeTo(-0.021, 3) });
    expect(Date.now() - started).toBeLessThan(limit);
  }, 180_000); // above the child's 120 s limit, so that limit, not the test's, reports a hang
});
