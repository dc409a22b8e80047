// The views gradstep/learn builds without code generation (src/data/strided-view.ts) against the
// ndarray package itself (a devDependency, the oracle here): the same fields, elements and indices
// after the same chains of lo, hi, step, transpose and pick, on plain and typed arrays.
import { fc, test } from "@fast-check/vitest";
import ndarray, { type NdArray } from "ndarray";
import { describe, expect, it } from "vitest";
import { stridedView } from "../../src/data/strided-view.js";
import { dataset, fitStandardizer, landscape, rosenbrock, standardize, syntheticLinear, udlLinearData } from "gradstep/learn";

/** One view operation with its arguments (drawn against the view's shape when applied). */
type Op = { kind: "lo" | "hi" | "step" | "transpose" | "pick"; picks: number[] };

/** Everything a user can read of a view, and every element and index (0-d: the one element). */
function describeView(v: NdArray) {
  const cells: [number, number][] = [];
  if (v.dimension === 0) cells.push([v.get(), v.index()]);
  else if (v.dimension === 1) for (let i = 0; i < v.shape[0]; i++) cells.push([v.get(i), v.index(i)]);
  else for (let i = 0; i < v.shape[0]; i++) for (let j = 0; j < v.shape[1]; j++) cells.push([v.get(i, j), v.index(i, j)]);
  return { keys: Object.keys(v), shape: [...v.shape], stride: [...v.stride], offset: v.offset, dtype: v.dtype, size: v.size, order: [...v.order], dimension: v.dimension, cells };
}

/** The arguments an operation gets on a view of this shape, from the drawn numbers (valid ones only). */
function argumentsFor(op: Op, shape: number[]): (number | null)[] {
  return shape.map((extent, axis) => {
    const r = op.picks[axis];
    switch (op.kind) {
      case "lo":
      case "hi":
        return r % 3 === 0 ? null : r % (extent + 1); // null: this axis left alone
      case "step":
        return r % 3 === 0 ? null : (r % 2 ? 1 : -1) * (1 + (r % 3)); // ±1, ±2, ±3
      case "pick":
        return r % 2 === 0 || extent === 0 ? null : r % extent;
      case "transpose":
        return axis === 0 ? (r % 2) * (shape.length - 1) : 1 - (r % 2);
    }
  });
}

const ops = fc.array(
  fc.record({ kind: fc.constantFrom("lo", "hi", "step", "transpose", "pick") as fc.Arbitrary<Op["kind"]>, picks: fc.array(fc.nat(1000), { minLength: 2, maxLength: 2 }) }),
  { maxLength: 6 },
);
const shapes = fc.oneof(fc.tuple(fc.integer({ min: 0, max: 5 })), fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 })));

describe("stridedView, against the ndarray package", () => {
  test.prop([shapes, ops, fc.boolean()], { numRuns: 300 })("the same fields, elements and indices after any chain of views", (shape, chain, plain) => {
    const length = shape.reduce((a, b) => a * b, 1);
    const data = plain ? Array.from({ length }, (_, k) => k * 1.5 - 3) : Float64Array.from({ length }, (_, k) => k * 1.5 - 3);
    let theirs: NdArray = ndarray(data, [...shape]);
    let ours: NdArray = stridedView(data, shape as [number] | [number, number]);
    expect(describeView(ours)).toEqual(describeView(theirs));
    for (const op of chain) {
      if (theirs.dimension === 0) break;
      const args = argumentsFor(op, theirs.shape);
      // transpose takes numbers; the others take null for an axis left alone
      theirs = (theirs[op.kind] as (...a: (number | null)[]) => NdArray)(...args);
      ours = (ours[op.kind] as (...a: (number | null)[]) => NdArray)(...args);
      expect(describeView(ours), `${op.kind}(${args.join(", ")})`).toEqual(describeView(theirs));
    }
  });

  it("set writes where ndarray writes and returns the value, through a strided view", () => {
    const a = Float64Array.from({ length: 12 }, (_, k) => k);
    const b = Float64Array.from(a);
    const theirs = ndarray(a, [3, 4]).step(-1, 2).transpose(1, 0);
    const ours = stridedView(b, [3, 4]).step(-1, 2).transpose(1, 0);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) expect(ours.set(i, j, 100 + 10 * i + j)).toBe(theirs.set(i, j, 100 + 10 * i + j));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(ours.pick(1, 2).get()).toBe(theirs.pick(1, 2).get());
    expect(ours.pick(1, 2).set(-7)).toBe(-7);
  });

  it("names the element type as ndarray does", () => {
    for (const data of [[1, 2], Float64Array.of(1, 2), Float32Array.of(1, 2), Int32Array.of(1, 2), Uint8Array.of(1, 2), Int16Array.of(1, 2)]) {
      expect(stridedView(data, [2]).dtype).toBe(ndarray(data).dtype);
    }
  });

  it("is what the library's datasets, standardize and landscape are made of: no code generated", () => {
    // Forbid new Function while they run: ndarray's constructor would throw here.
    const original = globalThis.Function;
    const forbidden = function () {
      throw new EvalError("code generation from strings disallowed");
    } as unknown as FunctionConstructor;
    globalThis.Function = forbidden;
    try {
      const data = dataset([[1, 2], [3, 5], [5, 11]], [0, 1, 0]);
      const s = standardize(data);
      expect(Array.from(s.mean)).toEqual([3, 6]);
      expect(s.data.X.get(0, 0)).toBeCloseTo(-Math.sqrt(1.5), 15); // (1 − 3)/√(8/3)
      expect(fitStandardizer(syntheticLinear({ size: 10, features: 2, seed: 3 })).apply(syntheticLinear({ size: 4, features: 2, seed: 4 })).X.shape).toEqual([4, 2]);
      expect(udlLinearData().X.get(11, 0)).toBeTypeOf("number");
      expect(landscape(rosenbrock(), { x: { from: 0, to: 1, points: 2 }, y: { from: 0, to: 1, points: 2 } }).values.get(1, 1)).toBe(0);
    } finally {
      globalThis.Function = original;
    }
    expect(() => {
      globalThis.Function = forbidden;
      try {
        ndarray(new Float64Array(8), [2, 2, 2]); // a dimension ndarray has not compiled yet
      } finally {
        globalThis.Function = original;
      }
    }).toThrow(EvalError);
  });
});
