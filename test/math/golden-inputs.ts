// Seeded inputs for the math ports' engine-independence check, shared by test/math/golden.test.ts
// (Node) and the browser check's page (scripts/browser/math-page.js): no Node API, nothing but
// integer arithmetic and typed arrays to draw them, so every engine builds the same doubles. The
// SHA-256 of each port's outputs over these inputs must be the same everywhere.

/** Per function, how many inputs: a few thousand, over the range that matters and its edges. */
export const GOLDEN_COUNT = 4096;

/** A seeded generator of uniform numbers in [0, 1) (mulberry32: Math.imul and shifts only), so that a failure can be replayed. */
export function uniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
/** A double from two random 32-bit words: any exponent, subnormals, ±∞ and NaNs included. */
function anyDouble(next: () => number): number {
  words[0] = next() * 2 ** 32;
  words[1] = next() * 2 ** 32;
  return bits[0];
}

/** 2^e for an integer e in [−1074, 1023], by halving or doubling 1 (exact). */
function power(e: number): number {
  let p = 1;
  for (let i = 0; i < e; i++) p *= 2;
  for (let i = 0; i > e; i--) p /= 2;
  return p;
}

const SPECIAL = [0, -0, Infinity, -Infinity, NaN, Number.MIN_VALUE, -Number.MIN_VALUE, Number.MAX_VALUE, -Number.MAX_VALUE, 1, -1, 0.5, 2.2250738585072014e-308];

/** The ported functions whose bits the check compares, each with where its inputs are drawn. */
export const GOLDEN_RANGES: Record<string, (next: () => number) => number> = {
  exp: (next) => -745.2 + 1455 * next(),
  log1p: (next) => (next() < 0.5 ? -1 + 2 * next() : power(Math.floor(1100 * next()) - 60) * (1 + next())),
  expm1: (next) => (next() < 0.5 ? -3 + 6 * next() : -50 + 760 * next()),
  tanh: (next) => (next() < 0.5 ? -2 + 4 * next() : -25 + 50 * next()),
  log: (next) => (next() < 0.5 ? 0.5 + 9.5 * next() : power(Math.floor(2098 * next()) - 1074) * (1 + next())),
  sin: (next) => (next() < 0.5 ? -10 + 20 * next() : (next() < 0.5 ? -1 : 1) * power(Math.floor(1100 * next()) - 60) * (1 + next())),
  cos: (next) => (next() < 0.5 ? -10 + 20 * next() : (next() < 0.5 ? -1 : 1) * power(Math.floor(1100 * next()) - 60) * (1 + next())),
};

/**
 * GOLDEN_COUNT inputs for `name`: the special values, then 15 in 16 from its range, 1 in 16 any
 * double (random bits). The same doubles in every engine.
 */
export function goldenInputs(name: string): Float64Array {
  const draw = GOLDEN_RANGES[name];
  const next = uniform(0x9e3779b9 ^ name.length ^ (name.charCodeAt(0) << 8) ^ (name.charCodeAt(name.length - 1) << 16));
  const out = new Float64Array(GOLDEN_COUNT);
  out.set(SPECIAL);
  for (let i = SPECIAL.length; i < GOLDEN_COUNT; i++) out[i] = i % 16 === 0 ? anyDouble(next) : draw(next);
  return out;
}

/**
 * f over goldenInputs(name), as the bytes to hash: each result's IEEE-754 bits, except that every NaN
 * is written as 0x7FF8000000000000 (a NaN's sign and payload are not portable between engines).
 */
export function goldenOutputs(name: string, f: (x: number) => number): Uint8Array {
  const inputs = goldenInputs(name);
  return bytesOf(inputs.length, (i) => f(inputs[i]));
}

/**
 * GOLDEN_COUNT pairs (x, y) for pow, interleaved: special pairs, then the library's powers (β^t,
 * (1 − t/T)^p), x of every exponent with |y| ≤ 3, negative x with integer y, and 1 in 16 random bits.
 */
export function goldenPowInputs(): Float64Array {
  const next = uniform(0x9e3779b9 ^ 0x706f77);
  const out = new Float64Array(2 * GOLDEN_COUNT);
  const draws: (() => [number, number])[] = [
    () => [0.8 + 0.2 * next(), Math.floor(1e5 * next())],
    () => [1 - Math.floor(1e4 * next()) / 1e4, 0.5 + 3 * next()],
    () => [power(Math.floor(2098 * next()) - 1074) * (1 + next()), 6 * next() - 3],
    () => [-4 * next(), Math.floor(60 * next()) - 30],
    () => [0.5 + 0.5 * next(), 1020 + 60 * next()],
  ];
  let i = 0;
  for (const x of SPECIAL) for (const y of SPECIAL.slice(0, 9)) if (i < 2 * GOLDEN_COUNT) [out[i++], out[i++]] = [x, y];
  for (let k = i / 2; k < GOLDEN_COUNT; k++) {
    const [x, y] = k % 16 === 0 ? [anyDouble(next), anyDouble(next)] : draws[k % draws.length]();
    out[2 * k] = x;
    out[2 * k + 1] = y;
  }
  return out;
}

/** f over goldenPowInputs(), as the bytes to hash (NaNs as in {@link goldenOutputs}). */
export function goldenPowOutputs(f: (x: number, y: number) => number): Uint8Array {
  const pairs = goldenPowInputs();
  return bytesOf(GOLDEN_COUNT, (i) => f(pairs[2 * i], pairs[2 * i + 1]));
}

/** value(i) for i < count as IEEE-754 bytes, every NaN as 0x7FF8000000000000. */
function bytesOf(count: number, value: (i: number) => number): Uint8Array {
  const out = new Float64Array(count);
  const outWords = new Uint32Array(out.buffer);
  for (let i = 0; i < count; i++) {
    const y = value(i);
    if (y === y) {
      out[i] = y;
    } else {
      // little-endian words (the machines these run on); the low word first
      outWords[2 * i] = 0;
      outWords[2 * i + 1] = 0x7ff80000;
    }
  }
  return new Uint8Array(out.buffer);
}
