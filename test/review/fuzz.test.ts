// Differential fuzz: optimizers on the Wasm backend (plain or shared memory, budgets that move,
// fallbacks, injected allocation faults, runtime switches) against the same optimizers on the
// JavaScript backend, bit for bit.
import { allocateVector, backendInfo, GradstepError, type Optimizer, releaseVector, setBackend } from "gradstep";
import { afterEach, expect, test } from "vitest";
import { allocationFaults } from "../../src/memory/allocate.js";
import { allRules, bytes, gradientAt } from "../helpers.js";

afterEach(() => {
  allocationFaults.countdown = -1;
  setBackend("auto");
});

function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Slot { rule: number; n: number; subject: Optimizer; ref: Optimizer; p: Float64Array; q: Float64Array; t: number; wasmParams: boolean }

/** Runs `operation` with the k-th allocation failing (k < 0: none); returns what it threw, if anything. */
function attempt(k: number, operation: () => void): unknown {
  allocationFaults.countdown = k;
  try {
    operation();
    return undefined;
  } catch (e) {
    return e;
  } finally {
    allocationFaults.countdown = -1;
  }
}

const seeds = Array.from({ length: Number(process.env.FUZZ_SEEDS ?? 3) }, (_, i) => i + 1);
test.each(seeds)("seed %i", (seed) => {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  let shared = r() < 0.5;
  let budget = 2 ** 30;
  const config = () => setBackend("auto", { sharedMemory: shared, memoryBudget: budget });
  config();
  const junk: Float64Array[] = [];
  const slots: Slot[] = [];
  const make = (rule: number, n: number): Slot => {
    setBackend("js");
    const ref = allRules[rule].make({ lr: 0.01 });
    config();
    const subject = allRules[rule].make({ lr: 0.01 });
    const wasmParams = r() < 0.3;
    const p = wasmParams ? allocateVector(n) : new Float64Array(n);
    p.set(gradientAt(99 + rule, n));
    return { rule, n, subject, ref, p, q: gradientAt(99 + rule, n), t: 0, wasmParams };
  };
  const log: string[] = [];
  for (let op = 0; op < 300; op++) {
    if (slots.length < 3 || r() < 0.05) slots.push(make(Math.floor(r() * allRules.length), pick([5, 17, 64, 1000, 20000])));
    const s = pick(slots);
    const x = r();
    const what =
      x < 0.45 ? "step" : x < 0.5 ? "gp" : x < 0.58 ? "restore" : x < 0.62 ? "reset" : x < 0.66 ? "dispose" : x < 0.72 ? "budget" : x < 0.8 ? "junk" : x < 0.83 ? "switch" : x < 0.93 ? "faultstep" : "faultrestore";
    log.push(`${what} ${allRules[s.rule].name} n=${s.n}`);
    const ctx = `seed ${seed} op ${op}: ${log.slice(-6).join(" | ")}`;
    if (what === "step" || what === "faultstep") {
      const g = gradientAt(s.t, s.n);
      const before = JSON.stringify(s.subject.snapshot());
      const pb = bytes(s.p);
      const failed = attempt(what === "faultstep" ? Math.floor(r() * 4) : -1, () => s.subject.step(s.p, g));
      if (failed !== undefined) {
        expect(failed, ctx).toBeInstanceOf(GradstepError);
        expect(JSON.stringify(s.subject.snapshot()), ctx).toBe(before);
        expect(bytes(s.p), ctx).toEqual(pb);
        continue;
      }
      s.ref.step(s.q, g);
      s.t++;
      expect(bytes(s.p), ctx).toEqual(bytes(s.q));
    } else if (what === "gp") {
      const a = s.subject.gradientPoint(s.p, new Float64Array(s.n));
      const b = s.ref.gradientPoint(s.q, new Float64Array(s.n));
      expect(bytes(a), ctx).toEqual(bytes(b));
    } else if (what === "restore" || what === "faultrestore") {
      const others = slots.filter((o) => o.rule === s.rule);
      const o = pick(others);
      const snap = o.ref.snapshot();
      expect(JSON.stringify(o.subject.snapshot()), ctx).toBe(JSON.stringify(snap));
      const before = JSON.stringify(s.subject.snapshot());
      const failed = attempt(what === "faultrestore" ? Math.floor(r() * 4) : -1, () => s.subject.restore(snap));
      if (failed !== undefined) {
        expect(failed, ctx).toBeInstanceOf(GradstepError);
        expect(JSON.stringify(s.subject.snapshot()), ctx).toBe(before);
        continue;
      }
      s.ref.restore(snap);
      if (o.n !== s.n) {
        // the state now has o's length: carry o's θ over too
        s.n = o.n;
        if (s.wasmParams) releaseVector(s.p);
        s.wasmParams = false;
        s.p = new Float64Array(o.q);
        s.q = new Float64Array(o.q);
      } else {
        s.q.set(s.p);
      }
      s.t = o.t;
    } else if (what === "reset") {
      s.subject.reset();
      s.ref.reset();
    } else if (what === "dispose") {
      s.subject.dispose?.();
      s.ref.dispose?.();
      slots.splice(slots.indexOf(s), 1);
      if (s.wasmParams) releaseVector(s.p);
      continue;
    } else if (what === "budget") {
      const bytesNow = backendInfo().memoryBytes;
      budget = pick([bytesNow, 0, bytesNow + 65536, 2 ** 30, Math.floor(bytesNow / 2)]);
      config();
    } else if (what === "junk") {
      if (junk.length > 0 && r() < 0.5) releaseVector(junk.splice(Math.floor(r() * junk.length), 1)[0]);
      else junk.push(allocateVector(pick([8, 1000, 50000])));
    } else if (what === "switch") {
      shared = !shared;
      config();
    }
    // the subject's state always equals the reference's
    expect(JSON.stringify(s.subject.snapshot()), ctx).toBe(JSON.stringify(s.ref.snapshot()));
  }
});
