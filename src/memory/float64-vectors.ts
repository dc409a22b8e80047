import { ShapeMismatchError } from "../errors.js";

// Vectors are read through the engine's own typed-array accessors, never through properties a user
// object could define: a subclass whose `length` getter lies, or an own `byteOffset` property, must
// not steer a copy or a kernel into memory the vector does not view.

const TypedArrayPrototype = Object.getPrototypeOf(Float64Array.prototype) as object;
const intrinsic = (name: string | symbol) => Object.getOwnPropertyDescriptor(TypedArrayPrototype, name)!.get! as (this: unknown) => unknown;
const tagOf = intrinsic(Symbol.toStringTag) as (this: unknown) => string | undefined;
const lengthOf = intrinsic("length") as (this: Float64Array) => number;
const bufferOf = intrinsic("buffer") as (this: Float64Array) => ArrayBufferLike;
const byteOffsetOf = intrinsic("byteOffset") as (this: Float64Array) => number;
const setInto = TypedArrayPrototype.constructor.prototype.set as (this: Float64Array, source: ArrayLike<number>, offset?: number) => void;
const { getPrototypeOf } = Object;
const hasOwn = Object.prototype.hasOwnProperty;

/**
 * `value` as a plain Float64Array: itself when it is one (the prototype Float64Array.prototype, no
 * own `length`), else a new plain view of the memory it really views (a subclass). Anything that is
 * not a genuine Float64Array (a Proxy, `Object.create(Float64Array.prototype)`, an array) throws a
 * {@link ShapeMismatchError} naming `argument`.
 * @internal
 */
export function plainFloat64(value: unknown, argument: string): Float64Array {
  if (tagOf.call(value) !== "Float64Array") throw new ShapeMismatchError(argument, value, "a Float64Array");
  const array = value as Float64Array;
  if (getPrototypeOf(array) === Float64Array.prototype && !hasOwn.call(array, "length")) return array;
  return new Float64Array(bufferOf.call(array), byteOffsetOf.call(array), lengthOf.call(array));
}

/** The byte offset of a genuine typed array in its buffer. @internal */
export function byteOffsetOfVector(array: Float64Array): number {
  return byteOffsetOf.call(array);
}

/**
 * Copies `source` into `target` with the engine's own `set` (whatever `target` defines); short
 * vectors of one length element by element, where `set`'s fixed cost into a shared Wasm memory
 * (about 350 instructions) is most of a small step. @internal
 */
export function copyInto(target: Float64Array, source: Float64Array): void {
  const n = lengthOf.call(source);
  if (n > 32 || lengthOf.call(target) !== n) setInto.call(target, source);
  else {
    for (let i = -1; i < n; i++) {
      if (i < 0) continue; // the entry pass (see kernels/scalars.ts)
      target[i] = source[i];
    }
  }
}

/** What a Wasm memory answers about the vectors that view it (its runtime). @internal */
export interface VectorMemory {
  /** Whether the `bytes` bytes at `address` lie in one block allocateVector handed out and has not taken back. */
  isUserRange(address: number, bytes: number): boolean;
  /** How many blocks releaseVector has taken back so far: while it stays the same, a held vector is still held. */
  readonly userReleases: number;
}

/**
 * Every buffer object a Wasm memory has had, with that memory: a shared memory hands out a new
 * SharedArrayBuffer object each time it grows, and views of the older ones still alias it.
 */
const memories = new WeakMap<ArrayBufferLike, VectorMemory>();

/** Records that `buffer` is (a buffer object of) `memory`. @internal */
export function registerBuffer(buffer: ArrayBufferLike, memory: VectorMemory): void {
  memories.set(buffer, memory);
}

/** The Wasm memory a genuine typed array views, or `undefined` for ordinary memory. @internal */
export function memoryOf(array: Float64Array): VectorMemory | undefined {
  return memories.get(bufferOf.call(array));
}

/**
 * Throws a {@link ShapeMismatchError} naming `argument` if the plain `vector` views Wasm memory
 * outside the vectors allocateVector handed out and has not taken back (a released vector: its
 * memory may now hold an optimizer's state), on whatever path reads or writes it.
 * @internal
 */
export function checkHeld(vector: Float64Array, argument: string, given: unknown): void {
  const memory = memories.get(bufferOf.call(vector));
  if (memory !== undefined) checkHeldAt(memory, byteOffsetOf.call(vector), lengthOf.call(vector), argument, given);
}

/**
 * Views of Wasm memory that the library holds and hands to its own optimizers as vectors (a tree's
 * staged gradients): held as a user's vector is, without being one, so that a user's released
 * vector viewing the same memory is still refused.
 */
const libraryViews = new WeakSet<Float64Array>();

/** Marks `view` as held by the library (see {@link checkHeldAt}) until {@link dropLibraryView}. @internal */
export function holdLibraryView(view: Float64Array): void {
  libraryViews.add(view);
}

/** Ends {@link holdLibraryView}. @internal */
export function dropLibraryView(view: Float64Array): void {
  libraryViews.delete(view);
}

/** {@link checkHeld} for n doubles at byte `offset` of `memory`, already looked up. @internal */
export function checkHeldAt(memory: VectorMemory, offset: number, n: number, argument: string, given: unknown): void {
  if (!memory.isUserRange(offset, 8 * n) && !libraryViews.has(given as Float64Array)) {
    throw new ShapeMismatchError(argument, given, "a vector that allocateVector handed out and that releaseVector has not taken back (this one views Wasm memory it does not hold)");
  }
}

/** Throws a {@link ShapeMismatchError} naming `grad` if `grad` partly overlaps `params` (see {@link overlap}). @internal */
export function refusePartialOverlap(params: Float64Array, grad: Float64Array, given: unknown): void {
  if (overlap(params, grad) === "partial") throw new ShapeMismatchError("grad", given, "a vector that does not partly overlap params (the same array is allowed)");
}

/**
 * How two plain Float64Arrays of equal length share memory: `"none"`, `"same"` (the same doubles:
 * one array, or two views of one range, through one buffer object or two of one Wasm memory) or
 * `"partial"` (overlapping ranges that differ).
 * @internal
 */
export function overlap(a: Float64Array, b: Float64Array): "none" | "same" | "partial" {
  if (a === b) return "same";
  const bufferA = bufferOf.call(a);
  const bufferB = bufferOf.call(b);
  if (bufferA !== bufferB && (memories.get(bufferA) === undefined || memories.get(bufferA) !== memories.get(bufferB))) return "none";
  const start = byteOffsetOf.call(a);
  const other = byteOffsetOf.call(b);
  if (start === other) return "same";
  const bytes = a.length * 8;
  return start < other + bytes && other < start + bytes ? "partial" : "none";
}
