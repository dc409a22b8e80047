// Shared by the tests of the ports in src/math/ checked against Math.* (expm1, tanh, log, sin, cos):
// the distance from mpmath's correctly rounded values, and the comparison with Math.* on many inputs,
// bit for bit where the engine is Node 20's (V8 11.3, whose Math.* are the same fdlibm ports).
import { type MathFunction, reference, sameBits, ulpDistance } from "./math-inputs.js";

/** Node 20's V8: its Math.exp, log, log1p, expm1, tanh, sin and cos are fdlibm's, as the ports are. */
export const FDLIBM_ENGINE = process.versions.v8.startsWith("11.3.");

/** The largest distance in ulps from mpmath's correctly rounded f(x), and how many are not correctly rounded. */
export function againstMpmath(name: Parameters<typeof reference>[0], f: MathFunction): { count: number; worst: number; worstX: number; notRounded: number } {
  const cases = reference(name);
  let worst = 0;
  let worstX = Number.NaN;
  let notRounded = 0;
  for (const { x, rounded } of cases) {
    const d = ulpDistance(f(x), rounded);
    if (d > worst) {
      worst = d;
      worstX = x;
    }
    if (d > 0) notRounded++;
  }
  return { count: cases.length, worst, worstX, notRounded };
}

/** How many of the inputs give other bits than Math's function, the largest distance in ulps, and the first difference. */
export function againstMath(port: MathFunction, math: MathFunction, inputs: Iterable<number>): { count: number; differ: number; worst: number; first: string } {
  let count = 0;
  let differ = 0;
  let worst = 0;
  let first = "";
  for (const x of inputs) {
    count++;
    const y = port(x);
    const m = math(x);
    if (!sameBits(y, m)) {
      if (differ++ === 0) first = `f(${x}): port ${y}, Math ${m}`;
      const d = ulpDistance(y, m);
      if (d > worst) worst = d;
    }
  }
  return { count, differ, worst, first };
}

/** `count` inputs drawn in turn from `draws`. */
export function* drawn(count: number, draws: (() => number)[]): Generator<number> {
  for (let i = 0; i < count; i++) yield draws[i % draws.length]();
}

/** x moved by −n … n ulps, at random. */
export function nudge(x: number, next: () => number, n = 4): number {
  const steps = Math.floor(next() * (2 * n + 1)) - n;
  scratch[0] = x;
  if (x === 0 || !Number.isFinite(x)) return x;
  // the bits of a finite double, moved away from or towards 0: the neighbours on the number line
  bigWords[0] += BigInt(x > 0 ? steps : -steps);
  return scratch[0];
}
const scratch = new Float64Array(1);
const bigWords = new BigInt64Array(scratch.buffer);
