// An option that set() or restore() changes takes effect as if the optimizer had been built with it:
// for every registry rule's variants, on both backends. NormalizedGradient chose its kernel from
// `norm` in its constructor only: after set({ norm: "global" }), or a restore of a "global" snapshot,
// it went on with the coordinate-wise rule while its options (and its snapshot) said "global".
import { describe, expect, it } from "vitest";
import { NormalizedGradient, type Optimizer, optimizerRegistry, setBackend } from "gradstep";

const gradientAt = (t: number, n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * t + 0.7 * i) * 10 ** ((i % 5) - 2));
const start = (n: number) => Float64Array.from({ length: n }, (_, i) => 1 + (i % 7) / 8);
const sameBits = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

describe.each(["js", "auto"] as const)("backend %s", (backend) => {
  it("NormalizedGradient: norm changed by set() between steps changes the kernel from the next step on", () => {
    setBackend(backend);
    const n = 37;
    const switched = new NormalizedGradient({ lr: 0.1 });
    const params = start(n);
    switched.step(params, gradientAt(0, n)); // coordinate-wise: the kernel is chosen (and on Wasm, looked up)
    const copy = Float64Array.from(params);
    switched.set({ norm: "global" });
    switched.step(params, gradientAt(1, n));
    new NormalizedGradient({ lr: 0.1, norm: "global" }).step(copy, gradientAt(1, n));
    expect(sameBits(params, copy)).toBe(true);
    switched.set({ norm: "coordinate" });
    switched.step(params, gradientAt(2, n));
    new NormalizedGradient({ lr: 0.1 }).step(copy, gradientAt(2, n));
    expect(sameBits(params, copy)).toBe(true);
    setBackend("auto");
  });

  for (const entry of optimizerRegistry) {
    for (const variant of entry.variants) {
      it(`${variant.name}: restored into, or set on, an optimizer built with the defaults, steps as one built with its options`, () => {
        setBackend(backend);
        const n = 37;
        const built = entry.create({ ...variant.options, lr: 0.01 }) as Optimizer;
        const reference = start(n);
        built.step(reference, gradientAt(0, n));
        const saved = JSON.stringify(built.snapshot());
        const resumed = Float64Array.from(reference);
        for (let t = 1; t < 4; t++) built.step(reference, gradientAt(t, n));

        const restored = entry.create({ lr: 0.01 }) as Optimizer;
        restored.restore(JSON.parse(saved));
        for (let t = 1; t < 4; t++) restored.step(resumed, gradientAt(t, n));
        expect(sameBits(resumed, reference)).toBe(true);
        expect(JSON.stringify(restored.snapshot())).toBe(JSON.stringify(built.snapshot()));

        // set() before the first step (a change of the state's buffers is allowed then)
        const set = entry.create({ lr: 0.01 }) as Optimizer;
        set.set!(variant.options);
        const fresh = entry.create({ ...variant.options, lr: 0.01 }) as Optimizer;
        const a = start(n);
        const b = start(n);
        for (let t = 0; t < 4; t++) {
          set.step(a, gradientAt(t, n));
          fresh.step(b, gradientAt(t, n));
        }
        expect(sameBits(a, b)).toBe(true);
        for (const o of [built, restored, set, fresh]) o.dispose?.();
        setBackend("auto");
      });
    }
  }
});
