// Shared by the tests of src/math/: the Wasm twins of the functions, seeded inputs, the reference
// fixture and the ulp distance.
import { readFileSync } from "node:fs";
import { kernelsModuleBytes } from "../../src/backends/wasm/kernels-module.js";

export type MathFunction = (x: number) => number;

/** The module's math exports, from the plain-memory and the shared-memory binaries. */
export function wasmMath(): { plain: Record<string, MathFunction>; shared: Record<string, MathFunction> } {
  const instantiate = (shared: boolean, memory: WebAssembly.Memory) =>
    new WebAssembly.Instance(new WebAssembly.Module(kernelsModuleBytes(shared)), { env: { memory } }).exports as Record<string, MathFunction>;
  return {
    plain: instantiate(false, new WebAssembly.Memory({ initial: 1, maximum: 16 })),
    shared: instantiate(true, new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true })),
  };
}

/**
 * The module's exports over a memory of `pages` 64 KiB pages, plain or shared, and that memory: for
 * the array entry points (math_sin_array, …), which read and write blocks of it. Addresses from
 * 65536 up are free (below: the module's fixed blocks, src/backends/wasm/memory-layout.ts).
 */
export function wasmMathMemory(shared: boolean, pages: number): { exports: Record<string, (...args: number[]) => unknown>; heap: Float64Array } {
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared });
  const module = new WebAssembly.Module(kernelsModuleBytes(shared));
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<string, (...args: number[]) => unknown>;
  return { exports, heap: new Float64Array(memory.buffer) };
}

/** A seeded generator of uniform numbers in [0, 1) (the golden inputs' own, which runs in browsers too). */
export { uniform as random } from "./golden-inputs.js";

const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const bigWords = new BigInt64Array(scratch.buffer);

/** The double whose IEEE-754 bits are 16 hex digits (big-endian, as the fixture stores them). */
export function fromHex(hex: string): number {
  bigWords[0] = BigInt.asIntN(64, BigInt(`0x${hex}`));
  return scratch[0];
}

/** A double with uniformly random bits: every exponent equally likely (subnormals, NaNs, ±∞ included). */
export function randomBits(next: () => number): number {
  words[0] = next() * 2 ** 32;
  words[1] = next() * 2 ** 32;
  return scratch[0];
}

/** A NaN with its sign bit set (−NaN, which JavaScript's literal cannot write). */
export function negativeNaN(): number {
  words[0] = 0;
  words[1] = 0xfff80000;
  return scratch[0];
}

/** The double's position on the number line counted in ulps (−0 and +0 both 0). */
function ordinal(x: number): bigint {
  scratch[0] = x;
  const i = bigWords[0];
  return i < 0n ? -(i & 0x7fffffffffffffffn) : i;
}

/** How many doubles lie between a and b, plus one (0 when equal, ±0 equal; NaNs compare as equal). */
export function ulpDistance(a: number, b: number): number {
  if (a === b || (a !== a && b !== b)) return 0;
  if (a !== a || b !== b) return Infinity;
  const d = ordinal(a) - ordinal(b);
  return Number(d < 0n ? -d : d);
}

/** Same bits, or both NaN (a NaN's sign and payload are not portable between engines). */
export function sameBits(a: number, b: number): boolean {
  return Object.is(a, b) || (a !== a && b !== b);
}

/** The mpmath fixture: inputs and correctly rounded results (test/fixtures/gen_math_reference.py). */
export function reference(name: "exp" | "log1p" | "expm1" | "tanh" | "log" | "sin" | "cos"): { x: number; rounded: number }[] {
  const data = JSON.parse(readFileSync(new URL("../fixtures/math-reference.json", import.meta.url), "utf8")) as Record<string, [string, string][]>;
  return data[name].map(([x, y]) => ({ x: fromHex(x), rounded: fromHex(y) }));
}
