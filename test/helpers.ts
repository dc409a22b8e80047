import { expect } from "vitest";
import {
  AdaGrad,
  Adam,
  GradientDescent,
  Momentum,
  Nesterov,
  NormalizedGradient,
  type Optimizer,
  RMSProp,
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

/** Every lecture rule, built from its options; the table the cross-cutting tests iterate over. */
export const allRules: { name: string; make: (options?: Record<string, unknown>) => Optimizer }[] = [
  { name: "GradientDescent", make: (o) => new GradientDescent(o) },
  { name: "Momentum", make: (o) => new Momentum(o) },
  { name: "Nesterov", make: (o) => new Nesterov(o) },
  { name: "NormalizedGradient", make: (o) => new NormalizedGradient(o) },
  { name: "AdaGrad", make: (o) => new AdaGrad(o) },
  { name: "RMSProp", make: (o) => new RMSProp(o) },
  { name: "Adam", make: (o) => new Adam(o) },
];

/** A small deterministic gradient stream (no RNG needed): varied signs and scales. */
export function gradientAt(step: number, n: number, out = new Float64Array(n)): Float64Array {
  for (let i = 0; i < n; i++) out[i] = Math.sin(1.3 * step + 0.7 * i) * 10 ** ((i % 5) - 2);
  return out;
}

/** The raw bytes of a Float64Array, for bit-for-bit comparisons (so -0 and NaN payloads count). */
export function bytes(values: Float64Array): number[] {
  return Array.from(new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}
