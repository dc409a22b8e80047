import { expect } from "vitest";
import { allocateVector, backendInfo, type BackendOptions, type Optimizer, optimizerRegistry, releaseVector, setBackend } from "gradstep";

/** Asserts |actual_i − expected_i| ≤ tol·max(1, |expected_i|) for each entry. */
export function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-15): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= tol * Math.max(1, Math.abs(expected[i])))) {
      throw new Error(`entry ${i}: got ${actual[i]}, expected ${expected[i]} (error ${err}, tolerance ${tol})`);
    }
  }
}

/** A rule of the test tables: a name and a constructor from options. */
export interface Rule {
  name: string;
  make: (options?: Record<string, unknown>) => Optimizer;
}

/** `create` with `base` options under the caller's; anything but a plain object is passed on as is. */
function configured(create: (o: unknown) => Optimizer, base: Readonly<Record<string, unknown>>) {
  return (o?: unknown) => create(typeof o === "object" && o !== null && !Array.isArray(o) ? { ...base, ...o } : o === undefined ? base : o);
}

const plain = optimizerRegistry.map((e): Rule => ({ name: e.name, make: (o) => e.create(o) }));
const variants = new Map(optimizerRegistry.flatMap((e) => e.variants.map((v): [string, Rule] => [v.name, { name: v.name, make: configured(e.create, v.options) }])));
const byName = new Map([...plain.map((r): [string, Rule] => [r.name, r]), ...variants]);

/** The rules named, from the registry; throws on a name it does not have. */
function rules(...names: string[]): Rule[] {
  return names.map((n) => byName.get(n) ?? (() => { throw new Error(`no optimizer or variant named ${n} in the registry`); })());
}

/** The seven lecture rules (the registry's "lecture" family), built from their options. */
export const lectureRules: Rule[] = plain.filter((r) => optimizerRegistry.find((e) => e.name === r.name)!.family === "lecture");

/** The first rules of {@link allRules}, in the order the table had when it was written by hand. */
const firstRules: Rule[] = [
  ...lectureRules,
  ...rules("SGD", "SGD momentum nesterov", "Adam amsgrad decoupled", "AdaGrad lrDecay", "RMSProp centered momentum"),
  ...rules("Adamax", "NAdam", "RAdam", "Adadelta", "Rprop", "Adam scheduled"),
  ...rules("ASGD", "ASGD averaging"),
];

/**
 * Every optimizer class, each also in the configurations that add state (AMSGrad, centering,
 * momentum buffers); the table the cross-cutting tests iterate over. Every entry and variant of the
 * registry once: the first ones in the order they had when the table was written by hand (so test
 * names and the fuzzers' seeded picks stay comparable), then every later one in the registry's order.
 */
export const allRules: Rule[] = [...firstRules, ...[...byName.values()].filter((r) => !firstRules.includes(r))];

/** The rule named `name` in {@link allRules} (a pick by name, not by position). */
export function rule(name: string): Rule {
  const found = allRules.find((r) => r.name === name);
  if (!found) throw new Error(`no rule named ${name}`);
  return found;
}

/** A small deterministic gradient stream (no RNG needed): varied signs and scales. */
export function gradientAt(step: number, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) out[i] = Math.sin(1.3 * step + 0.7 * i) * 10 ** ((i % 5) - 2);
  return out;
}

/** The raw bytes of a Float64Array, for bit-for-bit comparisons (so -0 and NaN payloads count). */
export function bytes(values: Float64Array): number[] {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** Zeroed vectors from `allocateVector`, each remembered, and a way to give them all back. */
export function wasmVectors(): { vector: (n: number) => Float64Array; releaseAll: () => void } {
  const vectors: Float64Array[] = [];
  return {
    vector: (n) => vectors[vectors.push(allocateVector(n)) - 1],
    releaseAll: () => {
      for (const v of vectors.splice(0)) releaseVector(v);
    },
  };
}

/** A fresh Wasm runtime (switching the memory's kind makes a new one), with `options`. */
export function freshRuntime(shared: boolean, options: BackendOptions = {}): void {
  setBackend("wasm", { sharedMemory: !shared });
  setBackend("wasm", { ...options, sharedMemory: shared });
  expect(backendInfo().sharedMemory).toBe(shared);
}

/** The error `run` throws, or undefined if it returns. */
export function thrown(run: () => unknown): unknown {
  try {
    run();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** Asserts that `run` throws a `type` naming `argument` (a GradstepError's `argument`). */
export function expectRefusal(run: () => unknown, type: new (...args: never[]) => Error, argument: string): void {
  const error = thrown(run);
  expect(error).toBeInstanceOf(type);
  expect((error as { argument?: unknown }).argument).toBe(argument);
}
