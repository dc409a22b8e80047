// Wasm memory stays bounded and owned: dispose() gives state back at once, past the budget state
// goes to JavaScript memory (to the same bits), and no exhausted path writes into memory it does not
// own. Each case here failed before the fix (see issue 12, "What was found" 1, 2 and 6).
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  Adam,
  allocateVector,
  backendInfo,
  type BackendChoice,
  chain,
  DisposedError,
  InvalidOptionError,
  Momentum,
  NonFiniteGradientError,
  type Optimizer,
  releaseVector,
  setBackend,
} from "gradstep";
import { afterEach, describe, expect, test } from "vitest";
import { currentRuntime } from "../../src/backends/backend.js";
import { allRules, bytes, gradientAt } from "../helpers.js";

const initial = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => setBackend(initial));

const wasmHere = setBackend("auto").name === "wasm";
setBackend(initial);

/** Steps `opt` `count` times from θ = gradientAt(99, n) and returns θ. */
function run(opt: Optimizer, n: number, count = 5, params = gradientAt(99, n)): Float64Array {
  for (let t = 0; t < count; t++) opt.step(params, gradientAt(t, n));
  return params;
}

describe("dispose", () => {
  test.each(allRules)("$name: idempotent; afterwards every method throws a DisposedError", ({ make }) => {
    const opt = make({ lr: 0.01 }) as Optimizer & { dispose(): void };
    run(opt, 7);
    opt.dispose();
    opt.dispose();
    const p = new Float64Array(7);
    for (const call of [
      () => opt.step(p, p),
      () => opt.gradientPoint(p, new Float64Array(7)),
      () => opt.reset(),
      () => opt.snapshot(),
      () => opt.restore({}),
      () => opt.valueAt("lr"),
    ]) {
      expect(call).toThrow(DisposedError);
    }
  });

  test.skipIf(!wasmHere)("gives the Wasm state back at once (a chain disposes its optimizer), and `using` calls it", () => {
    setBackend("auto");
    const n = 10_000;
    const used = () => backendInfo().memoryUsed;
    run(new Momentum(), n, 1); // the copied path's scratch blocks, grown once
    const before = used();
    const opt = new Adam();
    run(opt, n, 1);
    expect(used()).toBe(before + 2 * 8 * n);
    opt.dispose();
    expect(used()).toBe(before);
    const c = chain([{ kind: "clipByValue", limit: 1 }], new Adam());
    run(c, n, 1);
    expect(used()).toBe(before + 3 * 8 * n); // Adam's two buffers and the chain's transformed gradient
    c.dispose();
    expect(used()).toBe(before);
    {
      using scoped = new Adam();
      run(scoped, n, 1);
      expect(used()).toBe(before + 2 * 8 * n);
    }
    expect(used()).toBe(before);
  });
});

describe.skipIf(!wasmHere)("the memory budget", () => {
  test("past it, state goes to JavaScript memory and steps are bit-identical; backendInfo and backend say so", () => {
    setBackend("js");
    const reference = run(new Adam({ amsgrad: true }), 5000, 7);
    setBackend("auto");
    const bytesNow = backendInfo().memoryBytes;
    setBackend("auto", { memoryBudget: bytesNow }); // no more growth
    const held: Optimizer[] = [];
    let opt = new Adam({ amsgrad: true });
    for (let i = 0; i < 200 && opt.backend === "wasm"; i++) {
      // fill what is free: each holds 3 × 40 kB
      held.push(opt);
      run(opt, 5000, 1);
      opt = new Adam({ amsgrad: true });
    }
    const params = run(opt, 5000, 7);
    expect(opt.backend).toBe("js");
    expect(bytes(params)).toEqual(bytes(reference));
    expect(backendInfo().memoryBytes).toBeLessThanOrEqual(bytesNow);
    expect(backendInfo().memoryBudget).toBe(bytesNow);
    // after dispose, the space is there again
    for (const h of held) (h as Adam).dispose();
    const again = new Adam({ amsgrad: true });
    expect(bytes(run(again, 5000, 7))).toEqual(bytes(reference));
    expect(again.backend).toBe("wasm");
  });

  test("a copied step whose scratch cannot grow runs in JavaScript and writes nowhere else (it used to keep a released address)", () => {
    setBackend("auto");
    const witness = new Adam();
    const w = run(witness, 64, 3);
    const witnessState = JSON.stringify(witness.snapshot());
    const mine = allocateVector(64);
    mine.set(gradientAt(5, 64));
    const mineBefore = bytes(mine);
    setBackend("auto", { memoryBudget: backendInfo().memoryBytes });
    const n = Math.floor(backendInfo().memoryBytes / 8); // far larger than the scratch can grow to
    setBackend("js");
    const reference = run(new Momentum({ lr: 0.1, beta: 0.9 }), n, 2);
    setBackend("auto", { memoryBudget: backendInfo().memoryBytes });
    const big = new Momentum({ lr: 0.1, beta: 0.9 });
    expect(bytes(run(big, n, 2))).toEqual(bytes(reference));
    // a small copied step afterwards (it would have used the stale scratch address)
    const small = run(new Adam(), 64, 3);
    expect(bytes(small)).toEqual(bytes(w));
    expect(JSON.stringify(witness.snapshot())).toBe(witnessState);
    expect(bytes(mine)).toEqual(mineBefore);
    releaseVector(mine);
  });

  test("a restore that cannot place its state in Wasm keeps it in JavaScript and continues bit for bit (it used to step with state at address 0)", () => {
    setBackend("auto");
    const source = new Adam({ amsgrad: true });
    const p = run(source, 3000, 4);
    const saved = source.snapshot();
    const witness = new Adam();
    run(witness, 64, 3);
    const witnessState = JSON.stringify(witness.snapshot());
    const mine = allocateVector(64);
    mine.fill(7);
    setBackend("auto", { memoryBudget: backendInfo().memoryBytes });
    const filler: Adam[] = [];
    for (let i = 0; i < 500; i++) {
      const f = new Adam();
      run(f, 3000, 1);
      filler.push(f);
      if (f.backend === "js") break;
    }
    const resumed = new Adam();
    resumed.restore(saved);
    expect(resumed.backend).toBe("js");
    const q = Float64Array.from(p);
    for (let t = 4; t < 8; t++) {
      source.step(p, gradientAt(t, 3000));
      resumed.step(q, gradientAt(t, 3000));
    }
    expect(bytes(q)).toEqual(bytes(p));
    expect(JSON.stringify(witness.snapshot())).toBe(witnessState);
    expect(mine.every((x) => x === 7)).toBe(true);
    for (const f of filler) f.dispose();
    releaseVector(mine);
  });

  test("setBackend refuses a budget that is not a whole number of bytes", () => {
    for (const bad of [-1, 1.5, NaN, "1"]) {
      expect(() => setBackend("auto", { memoryBudget: bad as number })).toThrow(InvalidOptionError);
    }
  });
});

describe("vectors the library hands out", () => {
  test("releaseVector refuses a second release, a subarray, and an array it did not hand out", () => {
    const v = allocateVector(32);
    expect(() => releaseVector(v.subarray(8))).toThrow(InvalidOptionError);
    expect(() => releaseVector(new Float64Array(32))).toThrow(InvalidOptionError);
    expect(() => releaseVector({} as Float64Array)).toThrow(InvalidOptionError);
    releaseVector(v);
    expect(() => releaseVector(v)).toThrow(InvalidOptionError);
  });

  test.skipIf(!wasmHere)("a step given a released vector of Wasm memory throws, and the memory's new owner is untouched", () => {
    setBackend("auto");
    const stale = allocateVector(16);
    const grad = allocateVector(16);
    grad.fill(1);
    releaseVector(stale);
    if (currentRuntime()?.shared !== true) return; // plain memory: allocateVector gave plain arrays
    const owner = new Adam();
    const p = run(owner, 16, 2); // its state may now sit where `stale` was
    const state = JSON.stringify(owner.snapshot());
    expect(() => new Momentum().step(stale, grad)).toThrow(/releaseVector has not taken back/);
    expect(JSON.stringify(owner.snapshot())).toBe(state);
    expect(p.length).toBe(16);
    releaseVector(grad);
  });
});

describe("the step on the same vectors of Wasm memory, which skips the checks that still hold", () => {
  test.skipIf(!wasmHere).each(["params", "grad"] as const)("releasing its %s between two steps is still refused, and nothing is written", (which) => {
    setBackend("auto");
    if (currentRuntime()?.shared !== true) return; // plain memory: allocateVector gave plain arrays
    const p = allocateVector(16);
    const g = allocateVector(16);
    g.fill(0.5);
    const opt = new Adam();
    for (let t = 0; t < 3; t++) opt.step(p, g); // the pair is known: later steps take the short path
    const state = JSON.stringify(opt.snapshot());
    const before = Float64Array.from(which === "params" ? g : p);
    releaseVector(which === "params" ? p : g);
    expect(() => opt.step(p, g)).toThrow(/releaseVector has not taken back/);
    expect(JSON.stringify(opt.snapshot())).toBe(state);
    expect(Float64Array.from(which === "params" ? g : p)).toEqual(before);
    releaseVector(which === "params" ? g : p);
  });

  test.skipIf(!wasmHere).each(["throw", "skip"] as const)("a non-finite gradient on that path (check and update in one Wasm call) changes nothing, nonFinite: %s", (mode) => {
    setBackend("auto");
    if (currentRuntime()?.shared !== true) return;
    const p = allocateVector(16);
    const g = allocateVector(16);
    g.fill(0.5);
    const opt = new Adam({ nonFinite: mode });
    for (let t = 0; t < 3; t++) opt.step(p, g);
    const state = JSON.stringify(opt.snapshot());
    const before = Float64Array.from(p);
    g[7] = Number.NaN;
    if (mode === "throw") expect(() => opt.step(p, g)).toThrow(NonFiniteGradientError);
    else opt.step(p, g);
    expect(JSON.stringify(opt.snapshot())).toBe(state);
    expect(Float64Array.from(p)).toEqual(before);
    expect(opt.stepCount).toBe(3);
    g[7] = 0.5;
    opt.step(p, g);
    expect(opt.stepCount).toBe(4);
    releaseVector(p);
    releaseVector(g);
  });

  test.skipIf(!wasmHere)("an own length or another prototype given to a held vector later changes nothing: the step reads the vector's real length", () => {
    setBackend("auto");
    if (currentRuntime()?.shared !== true) return;
    const reference = new Float64Array(16);
    const p = allocateVector(16);
    const g = allocateVector(16);
    g.fill(0.25);
    const opt = new Adam({ lr: 0.1 });
    const twin = new Adam({ lr: 0.1 });
    opt.step(p, g);
    twin.step(reference, Float64Array.from(g));
    Object.defineProperty(p, "length", { value: 1 << 20 });
    Object.setPrototypeOf(g, class extends Float64Array {}.prototype);
    for (let t = 0; t < 3; t++) {
      opt.step(p, g);
      twin.step(reference, new Float64Array(16).fill(0.25));
    }
    expect(Float64Array.from({ length: 16 }, (_, i) => p[i])).toEqual(reference);
    releaseVector(p);
    releaseVector(g);
  });
});

describe("a process that drops optimizers without dispose() stays bounded", () => {
  // The full-size loop (10^5 optimizers of 65,536 parameters, about 5 minutes) runs in CI as
  // `npm run test:memory`; here 2,000 with a 16 MiB budget, which passes the budget 100 times over.
  const child = fileURLToPath(new URL("./memory-loop-child.ts", import.meta.url));
  const tsx = fileURLToPath(new URL("../../node_modules/tsx/dist/cli.mjs", import.meta.url));
  test.skipIf(!wasmHere).each(["sync", "async"])(
    "%s: Wasm memory within the budget, RSS bounded, the rest in JavaScript memory",
    (mode) => {
      const budget = 16 << 20;
      const out = execFileSync(process.execPath, [tsx, child, mode, "2000", "65536", String(budget)], { encoding: "utf8" });
      const r = JSON.parse(out) as { memoryBytes: number; memoryBudget: number; peakRss: number; inJs: number };
      expect(r.memoryBudget).toBe(budget);
      expect(r.memoryBytes).toBeLessThanOrEqual(budget);
      expect(r.peakRss).toBeLessThan(600 << 20);
      expect(r.inJs).toBeGreaterThan(0);
    },
    // ~3 s on an idle core; 5 minutes leaves room for a slow, loaded machine
    300_000,
  );
});
