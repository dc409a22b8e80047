import type { NdArray } from "ndarray";

// The ndarrays gradstep/learn makes itself (datasets, standardized data, the landscape grid), written
// as plain classes: the ndarray package compiles a class per element type and dimension with
// `new Function` the first time one is built, which a Content-Security-Policy without
// 'unsafe-eval' forbids. These views behave as ndarray's do (same fields, same get/set/index,
// lo/hi/step/transpose/pick, order and size; test/learn/strided-view.test.ts checks them against
// the ndarray package), so a dataset's X and y are ndarrays to their users whoever made them.

/** What a view indexes: a plain array or a typed array (what gradstep builds them over). */
type Values = number[] | Float64Array | Float32Array | Int8Array | Int16Array | Int32Array | Uint8Array | Uint8ClampedArray | Uint16Array | Uint32Array;

/** ndarray's name for an element type (its `dtype`). */
const DTYPES: Record<string, NdArray["dtype"]> = {
  "[object Float64Array]": "float64",
  "[object Float32Array]": "float32",
  "[object Int8Array]": "int8",
  "[object Int16Array]": "int16",
  "[object Int32Array]": "int32",
  "[object Uint8Array]": "uint8",
  "[object Uint8ClampedArray]": "uint8_clamped",
  "[object Uint16Array]": "uint16",
  "[object Uint32Array]": "uint32",
};
const dtypeOf = (data: Values): NdArray["dtype"] => (Array.isArray(data) ? "array" : (DTYPES[Object.prototype.toString.call(data)] ?? "generic"));

/** ndarray's test for an index argument that applies (lo, hi, pick leave the others alone). */
const given = (i: number | null | undefined): i is number => typeof i === "number" && i >= 0;

/** A 0-dimensional view: one element (what picking every index of a view leaves). */
class View0 {
  data: Values;
  offset: number;
  constructor(data: Values, offset: number) {
    this.data = data;
    this.offset = offset | 0;
  }
  get dtype(): NdArray["dtype"] {
    return dtypeOf(this.data);
  }
  get dimension(): number {
    return 0;
  }
  get size(): number {
    return 1;
  }
  get shape(): number[] {
    return [];
  }
  get stride(): number[] {
    return [];
  }
  get order(): number[] {
    return [];
  }
  index(): number {
    return this.offset;
  }
  get(): number {
    return this.data[this.offset];
  }
  valueOf(): number {
    return this.data[this.offset];
  }
  set(v: number): number {
    return (this.data[this.offset] = v);
  }
  private copy(): View0 {
    return new View0(this.data, this.offset);
  }
  lo(): View0 {
    return this.copy();
  }
  hi(): View0 {
    return this.copy();
  }
  step(): View0 {
    return this.copy();
  }
  transpose(): View0 {
    return this.copy();
  }
  pick(): null {
    // ndarray returns an empty ("trivial") array here: the one place these views differ from it
    return null;
  }
}

/** A 1-dimensional view: data[offset + stride[0]·i]. */
class View1 {
  // ndarray's own fields, in its order
  data: Values;
  shape: number[];
  stride: number[];
  offset: number;
  constructor(data: Values, b0: number, c0: number, offset: number) {
    this.data = data;
    this.shape = [b0];
    this.stride = [c0];
    this.offset = offset | 0;
  }
  get dtype(): NdArray["dtype"] {
    return dtypeOf(this.data);
  }
  get dimension(): number {
    return 1;
  }
  get size(): number {
    return this.shape[0];
  }
  get order(): number[] {
    return [0];
  }
  get(i0: number): number {
    return this.data[this.offset + this.stride[0] * i0];
  }
  set(i0: number, v: number): number {
    return (this.data[this.offset + this.stride[0] * i0] = v);
  }
  index(i0: number): number {
    return this.offset + this.stride[0] * i0;
  }
  hi(i0?: number | null): View1 {
    return new View1(this.data, given(i0) ? i0 | 0 : this.shape[0], this.stride[0], this.offset);
  }
  lo(i0?: number | null): View1 {
    let a0 = this.shape[0];
    let b = this.offset;
    if (given(i0)) {
      b += this.stride[0] * (i0 | 0);
      a0 -= i0 | 0;
    }
    return new View1(this.data, a0, this.stride[0], b);
  }
  step(i0?: number | null): View1 {
    const [a0, b0, c] = stepped(this.shape[0], this.stride[0], this.offset, i0);
    return new View1(this.data, a0, b0, c);
  }
  transpose(i0?: number): View1 {
    const t0 = i0 === undefined ? 0 : i0 | 0;
    return new View1(this.data, this.shape[t0], this.stride[t0], this.offset);
  }
  pick(i0?: number | null): View0 | View1 {
    return given(i0) ? new View0(this.data, (this.offset + this.stride[0] * i0) | 0) : new View1(this.data, this.shape[0], this.stride[0], this.offset);
  }
}

/** A 2-dimensional view: data[offset + stride[0]·i + stride[1]·j] (a dataset's X). */
class View2 {
  // ndarray's own fields, in its order
  data: Values;
  shape: number[];
  stride: number[];
  offset: number;
  constructor(data: Values, b0: number, b1: number, c0: number, c1: number, offset: number) {
    this.data = data;
    this.shape = [b0, b1];
    this.stride = [c0, c1];
    this.offset = offset | 0;
  }
  get dtype(): NdArray["dtype"] {
    return dtypeOf(this.data);
  }
  get dimension(): number {
    return 2;
  }
  get size(): number {
    return this.shape[0] * this.shape[1];
  }
  get order(): number[] {
    return Math.abs(this.stride[0]) > Math.abs(this.stride[1]) ? [1, 0] : [0, 1];
  }
  get(i0: number, i1: number): number {
    return this.data[this.offset + this.stride[0] * i0 + this.stride[1] * i1];
  }
  set(i0: number, i1: number, v: number): number {
    return (this.data[this.offset + this.stride[0] * i0 + this.stride[1] * i1] = v);
  }
  index(i0: number, i1: number): number {
    return this.offset + this.stride[0] * i0 + this.stride[1] * i1;
  }
  hi(i0?: number | null, i1?: number | null): View2 {
    return new View2(this.data, given(i0) ? i0 | 0 : this.shape[0], given(i1) ? i1 | 0 : this.shape[1], this.stride[0], this.stride[1], this.offset);
  }
  lo(i0?: number | null, i1?: number | null): View2 {
    let [a0, a1] = this.shape;
    const [c0, c1] = this.stride;
    let b = this.offset;
    if (given(i0)) {
      b += c0 * (i0 | 0);
      a0 -= i0 | 0;
    }
    if (given(i1)) {
      b += c1 * (i1 | 0);
      a1 -= i1 | 0;
    }
    return new View2(this.data, a0, a1, c0, c1, b);
  }
  step(i0?: number | null, i1?: number | null): View2 {
    const [a0, b0, c] = stepped(this.shape[0], this.stride[0], this.offset, i0);
    const [a1, b1, d] = stepped(this.shape[1], this.stride[1], c, i1);
    return new View2(this.data, a0, a1, b0, b1, d);
  }
  transpose(i0?: number, i1?: number): View2 {
    const t0 = i0 === undefined ? 0 : i0 | 0;
    const t1 = i1 === undefined ? 1 : i1 | 0;
    return new View2(this.data, this.shape[t0], this.shape[t1], this.stride[t0], this.stride[t1], this.offset);
  }
  pick(i0?: number | null, i1?: number | null): View0 | View1 | View2 {
    const shape: number[] = [];
    const stride: number[] = [];
    let c = this.offset;
    if (given(i0)) c = (c + this.stride[0] * i0) | 0;
    else shape.push(this.shape[0]), stride.push(this.stride[0]);
    if (given(i1)) c = (c + this.stride[1] * i1) | 0;
    else shape.push(this.shape[1]), stride.push(this.stride[1]);
    if (shape.length === 0) return new View0(this.data, c);
    if (shape.length === 1) return new View1(this.data, shape[0], stride[0], c);
    return new View2(this.data, shape[0], shape[1], stride[0], stride[1], c);
  }
}

/** One axis of ndarray's step(): every d-th index (from the end when d < 0), as [shape, stride, offset]. */
function stepped(a: number, b: number, c: number, i?: number | null): [number, number, number] {
  if (typeof i !== "number") return [a, b, c];
  const d = i | 0;
  if (d < 0) return [Math.ceil(-a / d), b * d, c + b * (a - 1)];
  return [Math.ceil(a / d), b * d, c];
}

/**
 * A row-major view of `data` with the given 1-D or 2-D shape, as `ndarray(data, shape)` makes it
 * (stride [d, 1] for [n, d], offset 0), built without generating code.
 */
export function stridedView(data: Values, shape: readonly [number] | readonly [number, number]): NdArray {
  const view = shape.length === 1 ? new View1(data, shape[0], 1, 0) : new View2(data, shape[0], shape[1], shape[1], 1, 0);
  return view as unknown as NdArray;
}
