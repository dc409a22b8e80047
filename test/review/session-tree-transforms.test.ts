// An adversary's tests of the session's tree transforms (tree(optimizer, { transforms }),
// tree(chain(T, rule)), masked(transform, mask)): each checks a promise — a tree of chains steps as
// the chain steps the concatenated leaves, on either backend; all or nothing; no Wasm memory left to
// a disposed optimizer.
import { Adam, type BackendChoice, backendInfo, chain, DisposedError, masked, NonFiniteGradientError, setBackend, SGD, type Transform, tree } from "gradstep";
import { describe, expect, it } from "vitest";
import { bytes } from "../helpers.js";

const f64 = (...values: number[]): Float64Array => Float64Array.from(values);

/** Runs `f` on the backend `choice`, then puts the suite's backend back. */
function on<T>(choice: BackendChoice, f: () => T): T {
  const previous = backendInfo().choice;
  setBackend(choice);
  try {
    return f();
  } finally {
    setBackend(previous);
  }
}

/** What `f` throws (its class name), or "none". */
function thrown(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).constructor.name;
  }
  return "none";
}

describe("masks are user code", () => {
  it("a mask that disposes the optimizer during restore: the restore fails, and no Wasm state is left to the disposed optimizer", () => {
    on("auto", () => {
      const transforms = (mask: (path: string) => boolean) => [masked({ kind: "clipByValue", limit: 1 }, mask)];
      const source = tree(new Adam({ lr: 0.1 }), { transforms: transforms((path) => path === "a") });
      source.step({ a: new Float64Array(64), b: new Float64Array(64) }, { a: new Float64Array(64).fill(2), b: new Float64Array(64).fill(1) });
      const saved = source.snapshot();
      source.dispose();
      const used = backendInfo().memoryUsed;
      let armed = false;
      const opt = tree(new Adam({ lr: 0.1 }), {
        transforms: transforms((path) => {
          if (armed) opt.dispose();
          return path === "a";
        }),
      });
      armed = true;
      expect(() => opt.restore(saved)).toThrow(DisposedError);
      expect(backendInfo().memoryUsed).toBe(used); // the restored leaves' moments went back
    });
  });
});
