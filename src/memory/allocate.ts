import { OutOfMemoryError } from "../errors.js";

// Every allocation a step, restore, chain or minimize makes goes through here or through the Wasm
// arena, so that tests can fail the k-th one and check that nothing changed.

/**
 * Test-only fault injection: while `countdown` ≥ 0, each allocation decrements it, and the one that
 * finds it at 0 fails (an arena allocation as if the memory could not grow, a JavaScript one as if
 * the heap were full). `seen` counts allocations, to find how many an operation makes.
 * @internal
 */
export const allocationFaults = { countdown: -1, seen: 0 };

/**
 * Whether this allocation is to fail (fault injection; false unless a test set the countdown).
 * @internal
 */
export function injectedFault(): boolean {
  allocationFaults.seen += 1;
  if (allocationFaults.countdown < 0) return false;
  return allocationFaults.countdown-- === 0;
}

/**
 * A zeroed Float64Array of `length`, or an {@link OutOfMemoryError} naming `argument` where the
 * JavaScript heap refuses it (never a bare `RangeError`).
 * @internal
 */
export function allocateFloat64(length: number, argument: string): Float64Array {
  return guardAllocation(argument, length, () => new Float64Array(length));
}

/**
 * Runs `make`, which allocates about `length` doubles, as one allocation point: a `RangeError` from
 * the engine (or an injected fault) becomes an {@link OutOfMemoryError} naming `argument`.
 * @internal
 */
export function guardAllocation<T>(argument: string, length: number, make: () => T): T {
  if (injectedFault()) throw outOfMemory(argument, length);
  try {
    return make();
  } catch (e) {
    if (e instanceof RangeError) throw outOfMemory(argument, length);
    throw e;
  }
}

function outOfMemory(argument: string, length: number): OutOfMemoryError {
  return new OutOfMemoryError(argument, length, `a length for which memory can be had (${length} doubles could not be allocated; nothing was changed)`);
}
