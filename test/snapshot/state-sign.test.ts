// A state the rule cannot reach is refused on restore: a negative second moment (or step size) would
// be stepped through a square root (or by its sign) and turn θ into NaN without a word. Which buffers
// stay ≥ 0 follows from each rule's update (an average or a maximum of squares or of |g|, a product
// of positive factors, a step size clamped to [Δ_min, Δ_max] with Δ_min ≥ 0); the test checks that
// list against long runs on both backends before it relies on it.
import { describe, expect, it } from "vitest";
import { InvalidSnapshotError, type Optimizer, optimizerRegistry, setBackend } from "gradstep";

const NON_NEGATIVE = new Set(["secondMoment", "maxSecondMoment", "sumOfSquares", "meanSquare", "meanSquareDelta", "infinityNorm", "muProduct", "stepSizes", "variance", "rowVariance", "columnVariance", "eta", "mu"]);

const decode = (text: string) => new Float64Array(new Uint8Array(Buffer.from(text, "base64")).buffer);
const encode = (values: Float64Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength).toString("base64");
const gradientAt = (t: number, n: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * t + 0.3 * i) * 10 ** ((i % 7) - 3) * (i % 11 === 0 ? 0 : 1));

describe.each(["js", "auto"] as const)("backend %s", (backend) => {
  for (const entry of optimizerRegistry) {
    for (const variant of [{ name: entry.name, options: {} }, ...entry.variants]) {
      it(`${variant.name}: the buffers that stay ≥ 0 do over 300 steps, and a snapshot with a negative one is refused whole`, () => {
        setBackend(backend);
        const n = 24;
        const opt = entry.create({ ...variant.options, lr: 1e-3 }) as Optimizer;
        const params = Float64Array.from({ length: n }, (_, i) => (i % 5) - 2);
        for (let t = 0; t < 300; t++) {
          opt.step(params, gradientAt(t, n));
          for (const [name, text] of Object.entries(opt.snapshot().buffers)) if (NON_NEGATIVE.has(name)) expect(decode(text).every((v) => v >= 0), `${name} at step ${t}`).toBe(true);
        }
        const good = opt.snapshot();
        const before = JSON.stringify(good);
        for (const [name, text] of Object.entries(good.buffers)) {
          const values = decode(text);
          if (values.length === 0) continue;
          values[values.length >> 1] = -1e-300;
          const bad = { ...good, buffers: { ...good.buffers, [name]: encode(values) } };
          if (NON_NEGATIVE.has(name)) {
            expect(() => opt.restore(bad)).toThrow(InvalidSnapshotError);
            expect(() => opt.restore(bad)).toThrow(`snapshot.buffers.${name}`);
            expect(JSON.stringify(opt.snapshot())).toBe(before);
          } else {
            opt.restore(bad); // a momentum, a previous gradient: any sign is reachable
            opt.restore(good);
          }
        }
        opt.dispose?.();
        setBackend("auto");
      });
    }
  }
});
