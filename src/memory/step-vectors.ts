import { ShapeMismatchError } from "../errors.js";
import { byteOffsetOfVector, checkHeld, checkHeldAt, memoryOf, overlap, plainFloat64, refusePartialOverlap, type VectorMemory } from "./float64-vectors.js";

/**
 * The checks of the vectors an optimizer is given, and where the params and grad of its last step
 * live: the Wasm memory each views (if any) and its byte offset there. A typed array's buffer and
 * offset never change, so steps on the same pair (of the same length) skip these reads; the pair is
 * kept until the next one or {@link StepVectors.forget}.
 * @internal
 */
export class StepVectors {
  private params: Float64Array | undefined = undefined;
  private grad: Float64Array | undefined = undefined;
  private length = -1;
  paramsMemory: VectorMemory | undefined = undefined;
  gradMemory: VectorMemory | undefined = undefined;
  paramsOffset = 0;
  gradOffset = 0;
  /** The memory's release count when both vectors (of that memory) were last found held; -1 if not. */
  private heldAt = -1;

  /**
   * Checks the plain vectors of a step: equal lengths, the state's `size` (if built), no partial
   * overlap (learnt once per pair), and a vector of Wasm memory must still be held
   * (allocateVector's, not released) on every step. The vectors as given are for the errors.
   */
  check(params: Float64Array, grad: Float64Array, givenParams: Float64Array, givenGrad: Float64Array, size: number | undefined): void {
    checkLengths(params, grad, "grad", size);
    if (params !== this.params || grad !== this.grad || params.length !== this.length) this.see(params, grad, givenGrad);
    if (this.paramsMemory !== undefined) checkHeldAt(this.paramsMemory, this.paramsOffset, params.length, "params", givenParams);
    if (this.gradMemory !== undefined) checkHeldAt(this.gradMemory, this.gradOffset, grad.length, "grad", givenGrad);
    const memory = this.paramsMemory;
    this.heldAt = memory !== undefined && memory === this.gradMemory && params === givenParams && grad === givenGrad ? memory.userReleases : -1;
  }

  /**
   * Whether `params` and `grad` are, as given, the pair of the last step, both of one Wasm memory
   * that has taken no vector back since they were checked, and of the state's `size`: then every
   * check of {@link StepVectors.check} holds still. Such a view's buffer cannot be detached or
   * resized, and a step on it reads only the offsets and length kept here, never its properties.
   */
  unchanged(params: Float64Array, grad: Float64Array, size: number | undefined): boolean {
    return params === this.params && grad === this.grad && this.heldAt >= 0 && this.heldAt === (this.paramsMemory as VectorMemory).userReleases && this.length === size;
  }

  /** The length of the last pair. */
  get size(): number {
    return this.length;
  }

  /** Drops the caller's vectors (dispose). */
  forget(): void {
    this.params = this.grad = undefined;
    this.length = -1;
    this.heldAt = -1;
  }

  private see(params: Float64Array, grad: Float64Array, given: Float64Array): void {
    refusePartialOverlap(params, grad, given);
    this.params = params;
    this.grad = grad;
    this.length = params.length;
    this.paramsMemory = memoryOf(params);
    this.gradMemory = memoryOf(grad);
    this.paramsOffset = byteOffsetOfVector(params);
    this.gradOffset = byteOffsetOfVector(grad);
  }
}

/**
 * Checks `params` and an output vector `other` (as given; e.g. `gradientPoint`'s `out`): genuine
 * Float64Arrays of the state's `size` (if built), held if of Wasm memory, sharing no memory.
 * @internal
 */
export function checkDisjointVectors(params: Float64Array, other: Float64Array, otherName: string, size: number | undefined): void {
  const p = plainFloat64(params, "params");
  const o = plainFloat64(other, otherName);
  checkLengths(p, o, otherName, size);
  checkHeld(p, "params", params);
  checkHeld(o, otherName, other);
  if (overlap(p, o) !== "none") throw new ShapeMismatchError(otherName, other, "a vector that shares no memory with params");
}

/** Throws unless `params` and `other` (plain Float64Arrays) have the same length, and that of the state (if built). */
function checkLengths(params: Float64Array, other: Float64Array, otherName: string, size: number | undefined): void {
  if (other.length !== params.length) {
    throw new ShapeMismatchError(otherName, other, `length ${params.length}, the length of params`);
  }
  if (size !== undefined && params.length !== size) {
    throw new ShapeMismatchError("params", params, `length ${size}, the length this optimizer's state was built for (call reset() to start over with another length)`);
  }
}
