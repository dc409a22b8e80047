// Hostile arguments and chains: each case here failed before its fix (issue 12, "What was found" 4
// and 6). Every refusal is a typed error and leaves the parameters and the state as they were.
import {
  Adam,
  allocateVector,
  type BackendChoice,
  chain,
  InvalidOptionError,
  Nesterov,
  type Optimizer,
  releaseVector,
  setBackend,
  ShapeMismatchError,
  StepLimitError,
} from "gradstep";
import { afterEach, describe, expect, test } from "vitest";
import { allRules, bytes, gradientAt } from "../helpers.js";

const initial = (process.env.GRADSTEP_BACKEND || "auto") as BackendChoice;
afterEach(() => setBackend(initial));
const wasmHere = setBackend("auto").name === "wasm";
setBackend(initial);

/** The three paths a step can take: JS kernels, Wasm on copies, Wasm in place (allocateVector's vectors). */
const paths = [
  { name: "JS", backend: "js" as const, vector: (n: number) => new Float64Array(n) },
  { name: "Wasm, copied", backend: "auto" as const, vector: (n: number) => new Float64Array(n) },
  { name: "Wasm, in place", backend: "auto" as const, vector: (n: number) => allocateVector(n) },
].filter((p) => p.backend === "js" || wasmHere);

describe("Chain is all or nothing", () => {
  test.each(paths)("a decay followed by a step that refuses its numbers leaves θ as it was ($name)", ({ backend, vector }) => {
    setBackend(backend);
    const p = vector(4);
    p.set([1, 2, 3, 4]);
    const opt = chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5 }], new Adam({ lr: 1e308 }));
    expect(() => opt.step(p, Float64Array.of(1, 1, 1, 1))).toThrow(InvalidOptionError);
    expect(Array.from(p)).toEqual([1, 2, 3, 4]);
    expect(opt.stepCount).toBe(0);
  });

  test.each(paths)("… and one at the step limit ($name)", ({ backend, vector }) => {
    setBackend(backend);
    const inner = new Adam();
    const p = vector(2);
    p.set([1, 2]);
    const source = new Adam();
    source.step(Float64Array.of(0, 0), Float64Array.of(1, 1));
    inner.restore({ ...source.snapshot(), stepCount: Number.MAX_SAFE_INTEGER });
    const opt = chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5 }], inner);
    const state = JSON.stringify(opt.snapshot());
    expect(() => opt.step(p, Float64Array.of(1, 1))).toThrow(StepLimitError);
    expect(Array.from(p)).toEqual([1, 2]);
    expect(JSON.stringify(opt.snapshot())).toBe(state);
  });

  test("with an optimizer of another library that throws, θ is put back", () => {
    const foreign: Optimizer = Object.assign(Object.create(null), {
      kind: "Foreign",
      options: {},
      stepCount: 0,
      size: undefined,
      step() {
        throw new Error("refused");
      },
      gradientPoint: (p: Float64Array) => p,
      valueAt: () => 0,
      reset() {},
      snapshot: () => ({}) as never,
      restore() {},
    });
    const p = Float64Array.of(1, 2);
    expect(() => chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5 }], foreign).step(p, Float64Array.of(1, 1))).toThrow("refused");
    expect(Array.from(p)).toEqual([1, 2]);
  });
});

describe("vectors are what the engine says they are", () => {
  class Liar extends Float64Array {
    override get length(): number {
      return 1 << 20;
    }
  }

  test.each(paths.filter((p) => p.name !== "Wasm, in place"))("a subclass whose length lies is stepped on its real length, and nothing else is written ($name)", ({ backend }) => {
    setBackend(backend);
    const witness = new Adam();
    const w = Float64Array.of(1, 2, 3);
    witness.step(w, Float64Array.of(1, 1, 1));
    const state = JSON.stringify(witness.snapshot());
    const reference = gradientAt(9, 3);
    const referenceOpt = new Adam();
    referenceOpt.step(reference, gradientAt(1, 3));
    const liar = new Liar(3);
    liar.set(gradientAt(9, 3));
    const grad = new Liar(3);
    grad.set(gradientAt(1, 3));
    const opt = new Adam();
    opt.step(liar, grad);
    expect(bytes(liar)).toEqual(bytes(reference));
    expect(opt.size).toBe(3);
    expect(JSON.stringify(witness.snapshot())).toBe(state);
  });

  test("an own length, a Proxy and Object.create(Float64Array.prototype) are refused or seen through, never a bare TypeError", () => {
    for (const backend of paths.map((p) => p.backend)) {
      setBackend(backend);
      const opt = new Adam();
      const g = new Float64Array(3);
      expect(() => opt.step(new Proxy(new Float64Array(3), {}), g)).toThrow(ShapeMismatchError);
      expect(() => opt.step(Object.create(Float64Array.prototype), g)).toThrow(ShapeMismatchError);
      expect(() => opt.step(new Float64Array(3), [0, 0, 0] as unknown as Float64Array)).toThrow(ShapeMismatchError);
      const own = new Float64Array(3);
      Object.defineProperty(own, "length", { value: 1000 });
      Object.defineProperty(own, "byteOffset", { value: 4096 });
      opt.step(own, g);
      expect(opt.size).toBe(3);
    }
  });

  test.each(paths)("partly overlapping params and grad are refused, on every path ($name)", ({ name, backend, vector }) => {
    setBackend(backend);
    const memory = vector(10);
    memory.set(gradientAt(3, 10));
    const before = bytes(memory);
    for (const { make } of allRules) {
      const opt = make();
      expect(() => opt.step(memory.subarray(0, 6), memory.subarray(2, 8))).toThrow(ShapeMismatchError);
      expect(() => chain([], make()).step(memory.subarray(0, 6), memory.subarray(2, 8))).toThrow(ShapeMismatchError);
    }
    expect(bytes(memory)).toEqual(before);
    if (name === "Wasm, in place") releaseVector(memory);
  });

  test("params as its own gradient gives the same answer on every path", () => {
    const answers = paths.map(({ backend, vector }) => {
      setBackend(backend);
      const p = vector(9);
      p.set(gradientAt(4, 9));
      const opt = new Adam({ lr: 0.1 });
      for (let t = 0; t < 3; t++) opt.step(p, p);
      // two views of the same doubles count as the same array
      opt.step(p, new Float64Array(p.buffer, p.byteOffset, p.length));
      return bytes(p);
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });

  test("Nesterov's gradientPoint refuses an out that shares memory with params", () => {
    for (const backend of paths.map((p) => p.backend)) {
      setBackend(backend);
      const opt = new Nesterov({ lr: 0.1, beta: 0.9 });
      const p = Float64Array.of(1, 2, 3);
      opt.step(p, Float64Array.of(1, 1, 1));
      const before = bytes(p);
      expect(() => opt.gradientPoint(p, p)).toThrow(ShapeMismatchError);
      const wide = new Float64Array(4);
      expect(() => opt.gradientPoint(wide.subarray(0, 3), wide.subarray(1, 4))).toThrow(ShapeMismatchError);
      expect(bytes(p)).toEqual(before);
    }
  });
});
