// A chain with decoupled decay and an optimizer of another library puts θ back when that optimizer
// throws — even when the optimizer disposed the chain first (dispose() drops the chain's copies).
import { chain, type Optimizer } from "gradstep";
import { expect, test } from "vitest";

test("θ is put back after a foreign optimizer that disposes the chain, writes θ and throws", () => {
  const holder: { chain?: ReturnType<typeof chain> } = {};
  const foreign: Optimizer = {
    kind: "Foreign",
    options: { nonFinite: "throw" },
    stepCount: 0,
    size: undefined,
    step(params: Float64Array) {
      holder.chain!.dispose();
      params.fill(42);
      throw new Error("foreign failure");
    },
    gradientPoint: (p: Float64Array) => p,
    reset() {},
    snapshot: () => ({}) as never,
    restore() {},
    valueAt: () => 0,
  } as unknown as Optimizer;
  const c = chain([{ kind: "decoupledWeightDecay", weightDecay: 0.5 }], foreign);
  holder.chain = c;
  const params = Float64Array.of(1, 2, 3);
  expect(() => c.step(params, Float64Array.of(1, 1, 1))).toThrow("foreign failure");
  expect(Array.from(params)).toEqual([1, 2, 3]); // today: [42, 42, 42]
});
