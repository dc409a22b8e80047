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

/** The buffer a genuine typed array views (its own accessor, whatever the object defines). @internal */
export function bufferOfVector(array: Float64Array): ArrayBufferLike {
  return bufferOf.call(array);
}

/** The byte offset of a genuine typed array in its buffer. @internal */
export function byteOffsetOfVector(array: Float64Array): number {
  return byteOffsetOf.call(array);
}

/** Copies `source` into `target` with the engine's own `set` (whatever `target` defines). @internal */
export function copyInto(target: Float64Array, source: Float64Array): void {
  setInto.call(target, source);
}

/**
 * How two plain Float64Arrays of equal length share memory: `"none"`, `"same"` (the same doubles:
 * one array, or two views of one range) or `"partial"` (overlapping ranges that differ). `bufferA`
 * and `bufferB`, when given, are their buffers as {@link bufferOfVector} read them.
 * @internal
 */
export function overlap(a: Float64Array, b: Float64Array, bufferA?: ArrayBufferLike, bufferB?: ArrayBufferLike): "none" | "same" | "partial" {
  if (a === b) return "same";
  if ((bufferA ?? bufferOf.call(a)) !== (bufferB ?? bufferOf.call(b))) return "none";
  const start = byteOffsetOf.call(a);
  const other = byteOffsetOf.call(b);
  if (start === other) return "same";
  const bytes = a.length * 8;
  return start < other + bytes && other < start + bytes ? "partial" : "none";
}
