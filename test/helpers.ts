import { expect } from "vitest";
import {
  AdaGrad,
  Adadelta,
  Adam,
  Adamax,
  GradientDescent,
  Momentum,
  NAdam,
  Nesterov,
  NormalizedGradient,
  type Optimizer,
  RAdam,
  RMSProp,
  Rprop,
  SGD,
} from "gradstep";

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

/** The seven lecture rules, built from their options. */
export const lectureRules: { name: string; make: (options?: Record<string, unknown>) => Optimizer }[] = [
  { name: "GradientDescent", make: (o) => new GradientDescent(o) },
  { name: "Momentum", make: (o) => new Momentum(o) },
  { name: "Nesterov", make: (o) => new Nesterov(o) },
  { name: "NormalizedGradient", make: (o) => new NormalizedGradient(o) },
  { name: "AdaGrad", make: (o) => new AdaGrad(o) },
  { name: "RMSProp", make: (o) => new RMSProp(o) },
  { name: "Adam", make: (o) => new Adam(o) },
];

/** `make` with `base` options under the caller's; anything but a plain object is passed on as is. */
function configured(make: (o: unknown) => Optimizer, base: Record<string, unknown>) {
  return (o?: unknown) => make(typeof o === "object" && o !== null && !Array.isArray(o) ? { ...base, ...o } : o === undefined ? base : o);
}

/**
 * Every optimizer class, each also in the configurations that add state (AMSGrad, centering,
 * momentum buffers); the table the cross-cutting tests iterate over.
 */
export const allRules: { name: string; make: (options?: Record<string, unknown>) => Optimizer }[] = [
  ...lectureRules,
  { name: "SGD", make: (o) => new SGD(o) },
  { name: "SGD momentum nesterov", make: configured((o) => new SGD(o as never), { momentum: 0.9, nesterov: true }) },
  { name: "Adam amsgrad decoupled", make: configured((o) => new Adam(o as never), { amsgrad: true, weightDecay: 0.01, weightDecayMode: "decoupled" }) },
  { name: "AdaGrad lrDecay", make: configured((o) => new AdaGrad(o as never), { lrDecay: 0.01, initialAccumulator: 0.1 }) },
  { name: "RMSProp centered momentum", make: configured((o) => new RMSProp(o as never), { centered: true, momentum: 0.9, weightDecay: 0.01 }) },
  { name: "Adamax", make: (o) => new Adamax(o) },
  { name: "NAdam", make: (o) => new NAdam(o) },
  { name: "RAdam", make: (o) => new RAdam(o) },
  { name: "Adadelta", make: (o) => new Adadelta(o) },
  { name: "Rprop", make: (o) => new Rprop(o) },
  {
    name: "Adam scheduled",
    make: configured((o) => new Adam(o as never), {
      beta: { kind: "oneCycle", initial: 0.95, peak: 0.85, final: 0.95, totalSteps: 100 },
      weightDecay: { kind: "sequence", boundaries: [10], schedules: [{ kind: "constant", value: 0 }, { kind: "exponential", initial: 0.01, gamma: 0.99 }] },
    }),
  },
];

/** A small deterministic gradient stream (no RNG needed): varied signs and scales. */
export function gradientAt(step: number, n: number, out: Float64Array = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) out[i] = Math.sin(1.3 * step + 0.7 * i) * 10 ** ((i % 5) - 2);
  return out;
}

/** The raw bytes of a Float64Array, for bit-for-bit comparisons (so -0 and NaN payloads count). */
export function bytes(values: Float64Array): number[] {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}
