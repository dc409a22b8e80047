// An adversary's tests of the session's fixed-cost work: DecayPower's β^t by blocks of 16 and 256,
// small steps on plain arrays running the JavaScript kernel on the state in Wasm memory, math_exp2 in
// the Wasm batch of an empirical risk, and the Gabor model there (sin and cos's Wasm twins, whose
// reduction tables moved ARENA_BASE). Each asserts values against an independent source: exact
// BigInt powers, the JavaScript backend, the JavaScript path of the risk.
import { fc, test as property } from "@fast-check/vitest";
import ndarray from "ndarray";
import {
  accumulate,
  Adam,
  Adamax,
  allocateVector,
  average,
  backendInfo,
  type BackendChoice,
  chain,
  DisposedError,
  GradstepError,
  InvalidOptionError,
  LAMB,
  lookahead,
  NAdam,
  NonFiniteGradientError,
  type Optimizer,
  RAdam,
  releaseVector,
  setBackend,
  StepLimitError,
  tree,
} from "gradstep";
import {
  binaryCrossEntropy,
  dataset,
  empiricalRisk,
  gaborModel,
  type Loss,
  linearRegression,
  logisticRegression,
  meanSquaredError,
  type Model,
  sigmoidRegression,
  sumOfSquares,
} from "gradstep/learn";
import { afterEach, describe, expect, it } from "vitest";
import { currentRuntime } from "../../src/backends/backend.js";
import { DecayPower } from "../../src/optimizers/decay-power.js";
import { wasmRisk } from "../../src/objectives/wasm-risk.js";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { allRules, bytes, freshRuntime, gradientAt } from "../helpers.js";

const suiteBackend = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => {
  setBackend(suiteBackend);
});

// ---------------------------------------------------------------------------------------------
// β^t, exactly: BigInt arithmetic

/** β as m·2^e exactly (m an integer). */
function binary(beta: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, beta);
  const bits = view.getBigUint64(0);
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = bits & ((1n << 52n) - 1n);
  return e === 0 ? [m, -1074] : [m | (1n << 52n), e - 1075];
}

const PRECISION = 320;
const bitLength = (m: bigint): number => m.toString(2).length;
/** (m, e) with m cut (truncated) to PRECISION bits. */
function cut(m: bigint, e: number): [bigint, number] {
  const s = bitLength(m) - PRECISION;
  return s > 0 ? [m >> BigInt(s), e + s] : [m << BigInt(-s), e + s];
}

/** β^t as M·2^E with M of 320 bits, by binary powering (relative error below 2·log2(t)·2^-319: far below anything asserted here). */
function exactPower(beta: number, t: number): [bigint, number] {
  let base = cut(...binary(beta));
  let power = cut(1n, 0);
  for (let k = BigInt(t); k > 0n; k >>= 1n) {
    if (k & 1n) power = cut(power[0] * base[0], power[1] + base[1]);
    if (k > 1n) base = cut(base[0] * base[0], base[1] + base[1]);
  }
  return power;
}

/** x (a finite double) as an integer multiple of 2^e (truncated below 2^e). */
function scaled(x: number, e: number): bigint {
  if (x === 0) return 0n;
  const [m, xe] = binary(Math.abs(x));
  const v = xe >= e ? m << BigInt(xe - e) : m >> BigInt(e - xe);
  return x < 0 ? -v : v;
}

/** |(hi + lo) − p| / p for p = M·2^E. */
function relativeError(hi: number, lo: number, [M, E]: [bigint, number]): number {
  const d = scaled(hi, E) + scaled(lo, E) - M;
  return Number(d < 0n ? -d : d) / Number(M);
}

/** p = M·2^E rounded to the nearest double, and p's distance from the nearest midpoint between doubles, relative to p. */
function rounded([M, E]: [bigint, number]): { value: number; margin: number } {
  const lead = bitLength(M) - 1 + E;
  const lsb = Math.max(lead - 52, -1074);
  const shift = lsb - E; // > 0: M has 320 bits
  if (shift > PRECISION + 1) return { value: 0, margin: 1 }; // below half the least subnormal
  let q = M >> BigInt(shift);
  const rest = M - (q << BigInt(shift));
  const half = 1n << BigInt(shift - 1);
  const fromHalf = rest > half ? rest - half : half - rest;
  if (rest > half || (rest === half && (q & 1n) === 1n)) q += 1n;
  const value = lsb >= -1022 ? Number(q) * 2 ** lsb : Number(q) * 2 ** (lsb + 200) * 2 ** -200;
  return { value, margin: Number(fromHalf) / Number(M) };
}

/** How many doubles lie between a and b (both ≥ 0). */
function ulpsApart(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  view.setFloat64(0, a);
  view.setFloat64(8, b);
  return Math.abs(Number(view.getBigInt64(0) - view.getBigInt64(8)));
}

const follow = (power: DecayPower, beta: number, t: number): void => power.follow(Float64Array.of(beta), 0, t);

describe("DecayPower (β^t by blocks of 16 and 256) against BigInt powers", () => {
  // β: the usual ones, any in [0.5, 1), and some so close to 1 that β^t stays normal up to t = 2^53.
  const betas = fc.oneof(
    fc.constantFrom(0.9, 0.99, 0.999, 0.9999, 0.5, 1 - 2 ** -53),
    fc.double({ min: 0.5, max: 1, maxExcluded: true, noNaN: true }),
    fc.integer({ min: 40, max: 53 }).map((k) => 1 - 2 ** -k),
  );
  // t: around the blocks' boundaries, anywhere up to 3·10^4, or (for β near 1) up to 2^53 − 2
  const counts = fc.oneof(
    fc.tuple(fc.integer({ min: 0, max: 120 }), fc.integer({ min: -2, max: 2 })).map(([k, d]) => Math.max(0, 256 * k + d)),
    fc.tuple(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: -1, max: 1 })).map(([k, d]) => Math.max(0, 16 * k + d)),
    fc.integer({ min: 0, max: 30_000 }),
    fc.integer({ min: 0, max: 2 ** 53 - 2 }),
  );

  property.prop([fc.array(fc.tuple(fc.boolean(), counts, fc.integer({ min: 0, max: 40 })), { minLength: 1, maxLength: 8 }), betas, betas], { numRuns: Number(process.env.REVIEW_RUNS ?? 150) })(
    "any path (runs counted up, jumps back and forth, two βs taking turns): the bits of a fresh start, within t·2^-100 of β^t where β^t ≥ 2^-960, and correctly rounded unless that close to a rounding boundary",
    (path, beta1, beta2) => {
      const power = new DecayPower();
      for (const [second, start, run] of path) {
        const beta = second ? beta2 : beta1;
        for (let t = start; t <= Math.min(start + run, 2 ** 53 - 2); t++) {
          follow(power, beta, t);
          const fresh = new DecayPower();
          follow(fresh, beta, t);
          expect([power.numbers[0], power.numbers[1]], `${beta}^${t}`).toEqual([fresh.numbers[0], fresh.numbers[1]]);
          if (t === 0) {
            expect(power.numbers[0]).toBe(1);
            continue;
          }
          if (t !== start && t !== start + run) continue; // the exact power at the ends of each run
          const exact = exactPower(beta, t);
          const { value, margin } = rounded(exact);
          if (value < 2 ** -960) continue;
          const bound = t * 2 ** -100;
          expect(relativeError(power.numbers[0], power.numbers[1], exact), `${beta}^${t}`).toBeLessThanOrEqual(bound);
          if (margin > bound) expect(power.numbers[0], `${beta}^${t}`).toBe(value);
        }
      }
    },
    60_000,
  );

  it("below 2^-960, where the low part underflows, stays within a few ulps (12 at most measured); 1 − β^t is 1 there", () => {
    for (const beta of [0.9, 0.99, 0.999, 0.9999]) {
      const from = Math.floor((960 * Math.LN2) / -Math.log(beta));
      const to = Math.ceil((1075 * Math.LN2) / -Math.log(beta));
      const power = new DecayPower();
      let worst = 0;
      for (let i = 0; i <= 150; i++) {
        const t = from + Math.round(((to - from) * i) / 150);
        follow(power, beta, t);
        worst = Math.max(worst, ulpsApart(power.numbers[0], rounded(exactPower(beta, t)).value));
        expect(1 - power.numbers[0]).toBe(1);
      }
      expect(worst, `${beta}`).toBeLessThanOrEqual(16);
    }
  });

  it("β = 0, β = 1 and t = 0 on every path; a subnormal β", () => {
    const power = new DecayPower();
    for (const [beta, t, want] of [[0, 0, 1], [0, 17, 0], [1, 2 ** 53 - 2, 1], [0, 256, 0], [1, 0, 1], [0, 1, 0], [5e-324, 1, 5e-324], [5e-324, 2, 0], [5e-324, 0, 1], [1, 255, 1]] as const) {
      follow(power, beta, t);
      expect([beta, t, power.numbers[0]]).toEqual([beta, t, want]);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The Adam-like rules' β^t through their steps: restored at any step, β and γ scheduled

describe("Adam-like rules: the bias corrections depend on (β, t) alone", () => {
  const makers: [string, (scheduled: boolean) => Optimizer][] = [
    ["Adam", (s) => new Adam({ lr: 0.01, ...(s ? { beta: { kind: "cosineRestarts", initial: 0.95, final: 0.8, period: 3 }, gamma: { kind: "linear", initial: 0.9, final: 0.9999, steps: 40 } } : {}) })],
    ["NAdam", (s) => new NAdam({ lr: 0.01, ...(s ? { gamma: { kind: "cosineRestarts", initial: 0.999, final: 0.9, period: 5 } } : {}) })],
    ["RAdam", (s) => new RAdam({ lr: 0.01, ...(s ? { beta: { kind: "linear", initial: 0.5, final: 0.95, steps: 30 }, gamma: { kind: "cosineRestarts", initial: 0.999, final: 0.99, period: 4 } } : {}) })],
    ["Adamax", (s) => new Adamax({ lr: 0.01, ...(s ? { beta: { kind: "cosineRestarts", initial: 0.9, final: 0, period: 6 } } : {}) })],
    ["LAMB", (s) => new LAMB({ lr: 0.01, ...(s ? { beta1: { kind: "cosineRestarts", initial: 0.9, final: 0.5, period: 2 }, beta2: { kind: "linear", initial: 0.99, final: 0.999, steps: 50 } } : {}) })],
  ];

  it.each(makers)("%s: a run restored from its snapshot at any step, into a fresh optimizer or one that stepped elsewhere, continues with the same bits (β, γ constant or scheduled)", (_, make) => {
    const n = 5;
    for (const scheduled of [false, true]) {
      const start = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
      const whole = make(scheduled);
      const path: number[][] = [];
      const snapshots = [];
      const p = Float64Array.from(start);
      for (let t = 0; t < 300; t++) {
        snapshots.push({ snapshot: whole.snapshot(), params: Float64Array.from(p) });
        whole.step(p, gradientAt(t, n));
        path.push(bytes(p));
      }
      for (const from of [0, 1, 15, 16, 17, 100, 255, 256, 257, 290]) {
        const busy = make(scheduled);
        const elsewhere = Float64Array.from(start);
        for (let t = 0; t < (from * 7) % 23; t++) busy.step(elsewhere, gradientAt(t + 50, n)); // its β^t elsewhere
        for (const resumed of [make(scheduled), busy]) {
          resumed.restore(snapshots[from].snapshot);
          const q = Float64Array.from(snapshots[from].params);
          for (let t = from; t < Math.min(from + 20, 300); t++) {
            resumed.step(q, gradientAt(t, n));
            expect(bytes(q), `${scheduled ? "scheduled" : "constant"}, resumed at ${from}, step ${t}`).toEqual(path[t]);
          }
        }
      }
    }
  });

  it("a restored step count near 2^53: the step's bias correction is 1 − β^t of the exact power (β near 1), the same on both backends", () => {
    const beta = 1 - 2 ** -53;
    const t = 2 ** 52 + 12345; // β^t ≈ e^−1/2
    const bits: number[][] = [];
    for (const backend of ["js", "auto"] as const) {
      setBackend(backend);
      const opt = new Adamax({ lr: 1, beta, eps: 2 ** -60 });
      const p = new Float64Array(1);
      opt.step(p, new Float64Array(1)); // m = 0, u = ε, θ stays 0
      opt.restore({ ...opt.snapshot(), stepCount: t - 1 });
      opt.step(p, Float64Array.of(1)); // m = 1 − β, u = 1 + ε = 1: θ = −(1 − β)/(1 − β^t)
      bits.push(bytes(p));
      const { value } = rounded(exactPower(beta, t));
      expect(p[0]).toBe(-(1 - beta) / (1 - value));
    }
    expect(bits[1]).toEqual(bits[0]);
  });
});

// ---------------------------------------------------------------------------------------------
// Steps of fewer than 32 numbers on plain arrays: the JavaScript kernel on the state in Wasm memory

/** A snapshot's JSON with each buffer decoded and every NaN written "NaN" (a NaN's sign is not portable across the backends). */
function stateOf(opt: Optimizer): string {
  const s = opt.snapshot() as unknown as { buffers: Record<string, string> };
  const buffers = Object.fromEntries(Object.entries(s.buffers ?? {}).map(([name, text]) => [name, bitsOf(decodeFloat64(text)!)]));
  return JSON.stringify({ ...s, buffers });
}
/** The bytes of each value, NaN as "NaN". */
function bitsOf(values: Float64Array): (number[] | "NaN")[] {
  return Array.from(values, (v, i) => (Number.isNaN(v) ? "NaN" : bytes(values.subarray(i, i + 1))));
}
/** What a call threw (its class name), or "ok". */
function outcome(call: () => void): string {
  try {
    call();
    return "ok";
  } catch (e) {
    if (!(e instanceof GradstepError)) throw e;
    return e.constructor.name;
  }
}
/** The same optimizer on the JavaScript backend and on the Wasm backend as it is now. */
function onBoth<T extends Optimizer>(make: () => T): { js: T; wasm: T } {
  const options = { sharedMemory: backendInfo().sharedMemory, memoryBudget: backendInfo().memoryBudget };
  setBackend("js");
  const js = make();
  setBackend("wasm", options);
  return { js, wasm: make() };
}

const canShare = typeof SharedArrayBuffer === "function";

describe("steps of fewer than 32 numbers on plain arrays run the JavaScript kernel on the Wasm state", () => {
  const op = fc.oneof(
    { weight: 6, arbitrary: fc.constant({ kind: "step" as const }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("bad" as const), at: fc.nat(), value: fc.constantFrom(Number.NaN, Infinity, -Infinity) }) },
    { weight: 1, arbitrary: fc.constant({ kind: "grow" as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("resize" as const), n: fc.constantFrom(1, 7, 31, 32, 33, 40) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("restore" as const), back: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("budget" as const), full: fc.boolean() }) },
  );
  property.prop(
    [
      fc.constantFrom(...allRules),
      fc.constantFrom("throw", "skip", "unchecked"),
      fc.integer({ min: 0, max: 40 }),
      fc.boolean(), // shared memory
      fc.constantFrom("plain", "params in Wasm", "grad in Wasm", "both in Wasm"),
      fc.array(op, { minLength: 1, maxLength: 14 }),
    ],
    { numRuns: Number(process.env.REVIEW_RUNS ?? 120) },
  )(
    "random rules, policies, lengths (across 32), placements and growth, restores, budgets: the JavaScript backend's bits, errors and snapshots",
    (rule, nonFinite, n0, shared, placement, ops) => {
      if (!canShare) shared = false;
      freshRuntime(shared);
      const { js, wasm } = onBoth(() => rule.make({ lr: 0.01, nonFinite }));
      const junk: Optimizer[] = [];
      const held: Float64Array[] = [];
      const vector = (n: number, inWasm: boolean) => {
        const v = inWasm ? allocateVector(n) : new Float64Array(n);
        if (inWasm) held.push(v);
        return v;
      };
      let n = n0;
      let pa = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 1));
      let pb = vector(n, placement === "params in Wasm" || placement === "both in Wasm");
      let gb = vector(n, placement === "grad in Wasm" || placement === "both in Wasm");
      pb.set(pa);
      const history: { snapshot: ReturnType<Optimizer["snapshot"]>; params: Float64Array }[] = [];
      let t = 0;
      try {
        for (const o of ops) {
          const ctx = `${rule.name} ${nonFinite} n=${n} ${placement} ${shared ? "shared" : "plain"}: ${JSON.stringify(o)}`;
          if (o.kind === "step" || o.kind === "bad") {
            const g = gradientAt(t++, n);
            if (o.kind === "bad" && n > 0) g[o.at % n] = o.value;
            gb.set(g);
            const [before, params] = [stateOf(wasm), bitsOf(pb)];
            const a = outcome(() => js.step(pa, g));
            const b = outcome(() => wasm.step(pb, gb));
            expect(b, ctx).toBe(a);
            if (b !== "ok") {
              expect(stateOf(wasm), ctx).toBe(before);
              expect(bitsOf(pb), ctx).toEqual(params);
            }
          } else if (o.kind === "grow") {
            const big = rule.make({ lr: 0.01 }); // its state grows the memory (a plain one detaches every view)
            const size = Math.max(1024, backendInfo().memoryBytes / 16);
            outcome(() => big.step(new Float64Array(size), new Float64Array(size)));
            junk.push(big);
          } else if (o.kind === "resize") {
            js.reset();
            wasm.reset();
            n = o.n;
            pa = Float64Array.from({ length: n }, (_, i) => Math.cos(i));
            pb = vector(n, placement === "params in Wasm" || placement === "both in Wasm");
            gb = vector(n, placement === "grad in Wasm" || placement === "both in Wasm");
            pb.set(pa);
          } else if (o.kind === "restore") {
            if (history.length === 0) continue;
            const h = history[o.back % history.length];
            if (h.params.length !== n) continue;
            js.restore(h.snapshot);
            wasm.restore(h.snapshot);
            pa.set(h.params);
            pb.set(h.params);
          } else if (o.kind === "budget") {
            // a budget at the memory's size (the next state goes to JavaScript memory) or the default back
            setBackend("wasm", { sharedMemory: shared, memoryBudget: o.full ? backendInfo().memoryBytes : 2 ** 30 });
          }
          expect(bitsOf(pb), ctx).toEqual(bitsOf(pa));
          expect(stateOf(wasm), ctx).toBe(stateOf(js));
          history.push({ snapshot: js.snapshot(), params: Float64Array.from(pa) });
        }
        js.dispose?.();
        wasm.dispose?.();
        expect(outcome(() => wasm.step(pb, gb))).toBe("DisposedError");
      } finally {
        for (const j of junk) j.dispose?.();
        for (const v of held) releaseVector(v);
      }
    },
    120_000,
  );

  it("every rule at n = 1 … 33 with params and grad plain, one or the other in Wasm memory, or both: the JavaScript backend's bits after each step (the same on a plain memory)", () => {
    for (const shared of canShare ? [true, false] : [false]) {
      freshRuntime(shared);
      for (const rule of allRules) {
        for (const n of [1, 2, 3, 16, 31, 32, 33]) {
          for (const placement of shared ? ["plain", "params", "grad", "both"] : ["plain"]) {
            const { js, wasm } = onBoth(() => rule.make({ lr: 0.01, weightDecay: 0.01 }));
            const pa = Float64Array.from({ length: n }, (_, i) => Math.sin(i + 0.5));
            const pb = placement === "params" || placement === "both" ? allocateVector(n) : new Float64Array(n);
            const gb = placement === "grad" || placement === "both" ? allocateVector(n) : new Float64Array(n);
            pb.set(pa);
            for (let t = 0; t < 4; t++) {
              const g = gradientAt(t, n);
              gb.set(g);
              js.step(pa, g);
              wasm.step(pb, gb);
              expect(bytes(pb), `${rule.name} n=${n} ${placement} ${shared ? "shared" : "plain"} memory, step ${t}`).toEqual(bytes(pa));
            }
            expect(stateOf(wasm)).toBe(stateOf(js));
            if (placement === "params" || placement === "both") releaseVector(pb);
            if (placement === "grad" || placement === "both") releaseVector(gb);
          }
        }
      }
    }
  });

  it("all or nothing on the small path: non-finite gradients under each policy, a hook's decay, the step limit, an overflowing step size, disposal", () => {
    for (const shared of canShare ? [true, false] : [false]) {
      freshRuntime(shared);
      const n = 9;
      // a decoupled decay (the optimizer's beforeWrite hook) on a chain over Adam, with a gradient that is bad
      const { js: cj, wasm: cw } = onBoth(() => chain([{ kind: "decoupledWeightDecay", weightDecay: 0.1 }], new Adam({ lr: 0.1 })));
      const pa = Float64Array.from({ length: n }, (_, i) => i - 4);
      const pb = Float64Array.from(pa);
      cj.step(pa, gradientAt(0, n));
      cw.step(pb, gradientAt(0, n));
      const bad = gradientAt(1, n);
      bad[4] = Number.NaN;
      expect(() => cw.step(pb, bad)).toThrow(NonFiniteGradientError);
      expect(bytes(pb)).toEqual(bytes(pa)); // θ not decayed
      for (const policy of ["throw", "skip"] as const) {
        const { js, wasm } = onBoth(() => new Adam({ lr: 0.1, nonFinite: policy }));
        const q = Float64Array.from(pa);
        wasm.step(q, gradientAt(0, n));
        const before = [stateOf(wasm), bytes(q), wasm.stepCount] as const;
        const thrown = outcome(() => wasm.step(q, bad));
        expect(thrown).toBe(policy === "throw" ? "NonFiniteGradientError" : "ok");
        expect([stateOf(wasm), bytes(q), wasm.stepCount]).toEqual(before);
        js.dispose();
      }
      // the step limit, restored into the Wasm state
      const limited = new Adam({ lr: 0.1 });
      const q = Float64Array.from(pa);
      limited.step(q, gradientAt(0, n));
      limited.restore({ ...limited.snapshot(), stepCount: Number.MAX_SAFE_INTEGER });
      const before = [stateOf(limited), bytes(q)];
      expect(() => limited.step(q, gradientAt(1, n))).toThrow(StepLimitError);
      expect([stateOf(limited), bytes(q)]).toEqual(before);
      // η/(1 − β) overflows at the first step: no state kept, nothing written
      const huge = new Adam({ lr: 1e308, beta: 0.5 });
      const r = Float64Array.from(pa);
      expect(() => huge.step(r, gradientAt(0, n))).toThrow(InvalidOptionError);
      expect([huge.size, huge.stepCount, bytes(r)]).toEqual([undefined, 0, bytes(pa)]);
      huge.dispose();
      expect(() => huge.step(r, gradientAt(0, n))).toThrow(DisposedError);
    }
  });

  it("wrappers (chain, accumulate, average, lookahead, tree) over small steps: the JavaScript backend's bits and snapshots, shared or plain memory", () => {
    const makers: [string, () => Optimizer][] = [
      ["chain", () => chain([{ kind: "clipByGlobalNorm", maxNorm: 0.5 }, { kind: "decoupledWeightDecay", weightDecay: 0.01, scaleByLr: true }], new Adam({ lr: 0.05 }))],
      ["accumulate", () => accumulate(new RAdam({ lr: 0.05 }), { every: 3 })],
      ["average", () => average(new LAMB({ lr: 0.05 }), { kind: "ema", decay: 0.9 })],
      ["lookahead", () => lookahead(new NAdam({ lr: 0.05 }), { syncPeriod: 4 })],
    ];
    for (const shared of canShare ? [true, false] : [false]) {
      freshRuntime(shared);
      for (const [name, make] of makers) {
        const { js, wasm } = onBoth(make);
        const pa = Float64Array.from({ length: 13 }, (_, i) => Math.sin(i));
        const pb = Float64Array.from(pa);
        for (let t = 0; t < 40; t++) {
          js.step(pa, gradientAt(t, 13));
          wasm.step(pb, gradientAt(t, 13));
          expect(bytes(pb), `${name} step ${t}`).toEqual(bytes(pa));
        }
        expect(JSON.stringify(wasm.snapshot()), name).toBe(JSON.stringify(js.snapshot()));
      }
      const { js, wasm } = onBoth(() => tree(new Adam({ lr: 0.05 }), { groups: [{ match: "b", lr: 0.01 }], clipByGlobalNorm: { maxNorm: 1 } }));
      const leaves = () => ({ a: Float64Array.from({ length: 5 }, (_, i) => i), b: Float64Array.from({ length: 40 }, (_, i) => -i) }); // one leaf below 32, one above
      const [ta, tb] = [leaves(), leaves()];
      for (let t = 0; t < 20; t++) {
        const g = gradientAt(t, 45);
        js.step(ta, { a: g.subarray(0, 5), b: g.subarray(5) });
        wasm.step(tb, { a: g.subarray(0, 5), b: g.subarray(5) });
        expect([bytes(tb.a), bytes(tb.b)], `tree step ${t}`).toEqual([bytes(ta.a), bytes(ta.b)]);
      }
      expect(JSON.stringify(wasm.snapshot())).toBe(JSON.stringify(js.snapshot()));
    }
  });

  it("threads on, with a threshold below 32: small plain steps still give the JavaScript backend's bits", () => {
    if (!canShare) return;
    freshRuntime(true, { threads: true, threadThreshold: 8 });
    for (const n of [8, 20, 31, 32, 40]) {
      const { js, wasm } = onBoth(() => new Adam({ lr: 0.05, amsgrad: true }));
      setBackend("wasm", { threads: true, threadThreshold: 8 });
      const pa = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      const pb = Float64Array.from(pa);
      for (let t = 0; t < 10; t++) {
        js.step(pa, gradientAt(t, n));
        wasm.step(pb, gradientAt(t, n));
        expect(bytes(pb), `n=${n} step ${t}`).toEqual(bytes(pa));
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The Wasm batch of an empirical risk: math_exp2 for four rows' e^−|z|, and the Gabor model

const MODELS: [string, () => Model][] = [
  ["linear", linearRegression],
  ["logistic", logisticRegression],
  ["sigmoid", sigmoidRegression],
  ["gabor", gaborModel],
];
const LOSSES: [string, () => Loss, boolean][] = [
  ["sumOfSquares", sumOfSquares, false],
  ["meanSquaredError", meanSquaredError, false],
  ["binaryCrossEntropy mean", () => binaryCrossEntropy(), true],
  ["binaryCrossEntropy sum", () => binaryCrossEntropy({ reduction: "sum" }), true],
];
/** Scores at the edges of exp's paths (|z| ≥ 707 goes through the scalar code in math_exp2, 709.78 overflows, −745.13 underflows), ±0, tiny, huge. */
const EDGES = [0, -0, 5e-324, 2 ** -28, 0.34657359, 1.03972077, 706.9999999, 707, -707, 709.78, -709.78, 745.13, -745.14, 800, -800, 1e300, -1e300, Number.MAX_VALUE];
const thetaEntry = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -40, max: 40, noNaN: true }) },
  { weight: 2, arbitrary: fc.constantFrom(...EDGES) },
  { weight: 1, arbitrary: fc.double({ noNaN: false }) }, // anything: ±∞, NaN, 1e308 (whose products overflow)
);

describe("the Wasm batch of an empirical risk against its JavaScript path", () => {
  property.prop(
    [
      fc.constantFrom(...MODELS),
      fc.constantFrom(...LOSSES),
      fc.integer({ min: 1, max: 23 }), // rows: the loop of four and its tail
      fc.integer({ min: 1, max: 5 }),
      fc.array(thetaEntry, { minLength: 6, maxLength: 6 }),
      fc.integer(),
      fc.boolean(),
      fc.boolean(),
    ],
    { numRuns: Number(process.env.REVIEW_RUNS ?? 400) },
  )(
    "every model × loss, scores at exp's edges and beyond (NaN, ±∞ from overflowing θ), batches of any length, value wanted or not: the same bits (NaN for NaN)",
    ([, model], [, loss, labels], n, features, thetaValues, seed, wanted, withGrad) => {
      const gabor = model === gaborModel;
      const d = gabor ? 1 : features;
      let s = seed >>> 0;
      const random = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
      // a third of the rows all zeros (z = θ0 exactly), the others small
      const X = Float64Array.from({ length: n * d }, (_, i) => (Math.floor(i / d) % 3 === 0 ? 0 : (random() - 0.5) * 4));
      const y = Float64Array.from({ length: n }, () => (labels ? (random() < 0.3 ? random() : Math.round(random())) : (random() - 0.5) * 3));
      const data = dataset(ndarray(X, [n, d]), y);
      setBackend("js");
      const js = empiricalRisk(model(), loss(), data);
      setBackend("wasm");
      const batch = wasmRisk(model(), loss(), X, y, d)!;
      expect(batch).toBeTypeOf("function");
      const theta = Float64Array.from({ length: d + 1 }, (_, j) => thetaValues[j]);
      const count = 1 + Math.floor(random() * n); // 1 … n rows (an empty batch is refused), a row may come twice
      const rows = Int32Array.from({ length: count }, () => Math.floor(random() * n));
      for (const [r, c] of [[rows, count], [null, n]] as const) {
        const ga = withGrad ? new Float64Array(d + 1).fill(3) : null;
        const gb = withGrad ? new Float64Array(d + 1).fill(-3) : null;
        const a = new Float64Array(1);
        const b = new Float64Array(1);
        js.evaluateInto!(theta, ga, r, c, a);
        expect(batch(theta, gb, r, c, b, wanted)).toBe(true);
        if (ga !== null) expect(bitsOf(gb!)).toEqual(bitsOf(ga));
        if (wanted || !withGrad) expect(bitsOf(b)).toEqual(bitsOf(a));
        else expect(Number.isFinite(b[0])).toBe(Number.isFinite(a[0]));
      }
    },
    120_000,
  );

  it("the Gabor model on a plain memory that grows between batches (the batch's views re-derived), with huge z through the large reduction", () => {
    const x = Float64Array.from({ length: 11 }, (_, i) => (i - 5) * 0.7);
    const y = Float64Array.from({ length: 11 }, (_, i) => Math.sin(i));
    for (const shared of canShare ? [false, true] : [false]) {
      setBackend("js");
      const js = empiricalRisk(gaborModel(), meanSquaredError(), dataset(ndarray(x, [11, 1]), y));
      freshRuntime(shared);
      const batch = wasmRisk(gaborModel(), meanSquaredError(), x, y, 1)!;
      const junk: Optimizer[] = [];
      for (const theta of [[0.3, 9], [1e22, 1], [-3e300, 1e10], [1e5, -2e5], [2 ** 20 * Math.PI, 0], [7, 1e300]]) {
        const big = new Adam(); // its state grows the memory: a plain one detaches every view
        big.step(new Float64Array(backendInfo().memoryBytes / 16), new Float64Array(backendInfo().memoryBytes / 16));
        junk.push(big);
        const t = Float64Array.from(theta);
        const [ga, gb, a, b] = [new Float64Array(2), new Float64Array(2), new Float64Array(1), new Float64Array(1)];
        js.evaluateInto!(t, ga, Int32Array.of(3, 1, 4, 1, 5, 9, 2), 7, a);
        expect(batch(t, gb, Int32Array.of(3, 1, 4, 1, 5, 9, 2), 7, b, true)).toBe(true);
        expect([bytes(b), bytes(gb)], `${theta}`).toEqual([bytes(a), bytes(ga)]);
      }
      for (const j of junk) j.dispose?.();
    }
  });

  it("the Gabor model's batch after the worker thread has instantiated the module over the shared memory (its tables rewritten at the reduction's block)", async () => {
    if (!canShare) return;
    freshRuntime(true, { threads: true, threadThreshold: 64 });
    const opt = new Adam({ lr: 0.01 });
    const p = allocateVector(4096);
    const g = allocateVector(4096);
    g.fill(0.5);
    opt.step(p, g); // starts the worker
    const deadline = Date.now() + 60_000;
    while (!backendInfo().workerReady && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(backendInfo().workerReady).toBe(true);
    const x = Float64Array.from({ length: 9 }, (_, i) => i - 4);
    const y = Float64Array.from({ length: 9 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    setBackend("js");
    const js = empiricalRisk(gaborModel(), binaryCrossEntropy(), dataset(ndarray(x, [9, 1]), y));
    setBackend("wasm", { threads: true, threadThreshold: 64 });
    const batch = wasmRisk(gaborModel(), binaryCrossEntropy(), x, y, 1)!;
    const pool = currentRuntime()!.pool!;
    for (const theta of [[1e22, 3], [-5e299, 1e100], [3, 2e15], [0.5, 12]]) {
      opt.step(p, g); // split with the worker while the batches run between steps
      const t = Float64Array.from(theta);
      const [ga, gb, a, b] = [new Float64Array(2), new Float64Array(2), new Float64Array(1), new Float64Array(1)];
      js.evaluateInto!(t, ga, null, 9, a);
      expect(batch(t, gb, null, 9, b, true)).toBe(true);
      expect([bytes(b), bytes(gb)], `${theta}`).toEqual([bytes(a), bytes(ga)]);
    }
    expect(pool.ready).toBe(true);
    releaseVector(p);
    releaseVector(g);
  }, 120_000);
});
