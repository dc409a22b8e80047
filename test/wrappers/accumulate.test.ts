import { describe, expect, it } from "vitest";
import { Accumulate, accumulate, Adam, InvalidOptionError, InvalidSnapshotError, Nesterov, NonFiniteGradientError, type Optimizer, SGD, ShapeMismatchError } from "../../src/index.js";
import { minimize } from "../../src/learn.js";

const n = 5;
const gradient = (t: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(3 * t + i + 1) * (i + 1) + 0.1 * t);
/** The mean the user would compute: summed left to right, divided once. */
const meanOf = (gs: Float64Array[]) => Float64Array.from({ length: n }, (_, i) => gs.reduce((s, g, j) => (j === 0 ? g[i] : s + g[i]), 0) / gs.length);
const rules: [string, () => Optimizer][] = [
  ["Adam", () => new Adam({ lr: 0.01, weightDecay: 0.1 })],
  ["SGD with momentum", () => new SGD({ lr: 0.05, momentum: 0.9 })],
  ["Nesterov", () => new Nesterov({ lr: 0.05, beta: 0.9 })],
];

describe("accumulate(k): one step on the mean of k gradients", () => {
  it.each(rules.flatMap(([name, make]) => [1, 3, 4].map((k) => [name, k, make] as const)))("%s, k = %i, bit-identical to stepping on the mean", (_, k, make) => {
    const acc = accumulate(make(), { every: k });
    const plain = make();
    const a = Float64Array.from({ length: n }, (_, i) => i - 2);
    const b = Float64Array.from(a);
    const point = new Float64Array(n);
    let t = 0;
    for (let big = 0; big < 6; big++) {
      const micro: Float64Array[] = [];
      for (let j = 0; j < k; j++) {
        const before = Float64Array.from(a);
        // the gradient is taken at the optimizer's gradient point, which does not move between micro-steps
        const at = Float64Array.from(acc.gradientPoint(a, point));
        expect(Array.from(at)).toEqual(Array.from(plain.gradientPoint(b, new Float64Array(n))));
        const g = gradient(t++).map((v, i) => v + at[i]);
        micro.push(g);
        acc.step(a, g);
        if (j < k - 1) expect(Array.from(a)).toEqual(Array.from(before));
      }
      plain.step(b, meanOf(micro));
      expect(Array.from(a)).toEqual(Array.from(b));
    }
    expect(acc.stepCount).toBe(6 * k);
    expect(acc.optimizer.stepCount).toBe(6);
  });

  it("a failing call changes nothing: bad length, non-finite gradient, a mean the optimizer refuses", () => {
    const acc = accumulate(new Adam(), { every: 3 });
    const params = Float64Array.of(1, 2, 3);
    acc.step(params, Float64Array.of(1e308, 1, 1));
    acc.step(params, Float64Array.of(1e308, 1, 1));
    const before = JSON.stringify(acc.snapshot());
    expect(() => acc.step(params, Float64Array.of(1, 2))).toThrow(ShapeMismatchError);
    expect(() => acc.step(params, Float64Array.of(Number.NaN, 1, 1))).toThrow(NonFiniteGradientError);
    // the sum overflows: (1e308 + 1e308 + 1e308)/3 is +∞, which Adam refuses
    expect(() => acc.step(params, Float64Array.of(1e308, 1, 1))).toThrow(NonFiniteGradientError);
    expect(JSON.stringify(acc.snapshot())).toBe(before);
    expect(Array.from(params)).toEqual([1, 2, 3]);
    const skipping = accumulate(new Adam(), { every: 2, nonFinite: "skip" });
    skipping.step(params, Float64Array.of(Number.POSITIVE_INFINITY, 0, 0));
    expect(skipping.stepCount).toBe(0);
    expect(skipping.pending).toBe(0);
  });

  it("refuses bad options", () => {
    expect(() => accumulate(new Adam(), { every: 0 })).toThrow(/every/);
    expect(() => accumulate(new Adam(), { every: 1.5 })).toThrow(/every/);
    expect(() => accumulate(new Adam(), { size: 2 } as never)).toThrow(/size/);
    expect(() => accumulate({} as Optimizer)).toThrow(InvalidOptionError);
  });

  it("continues bit-identically from a snapshot taken mid-accumulation, and refuses a corrupted one whole", () => {
    const whole = accumulate(new Adam({ lr: 0.1 }), { every: 3 });
    const a = Float64Array.of(1, 1, 1, 1, 1);
    for (let t = 0; t < 11; t++) whole.step(a, gradient(t));
    const first = accumulate(new Adam({ lr: 0.1 }), { every: 3 });
    const b = Float64Array.of(1, 1, 1, 1, 1);
    for (let t = 0; t < 5; t++) first.step(b, gradient(t));
    const saved = JSON.parse(JSON.stringify(first.snapshot()));
    expect(first.pending).toBe(2);
    const second = new Accumulate(new Adam());
    second.restore(saved);
    for (let t = 5; t < 11; t++) second.step(b, gradient(t));
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(second.snapshot()).toEqual(whole.snapshot());
    const untouched = JSON.stringify(second.snapshot());
    for (const bad of [
      { ...saved, buffers: { ...saved.buffers, pending: "AAAAAAAACEA=" } }, // 3, not below every
      { ...saved, buffers: { ...saved.buffers, sum: "AAAA" } },
      { ...saved, options: { ...saved.options, every: 0 } },
      { ...saved, options: { ...saved.options, optimizer: { ...saved.options.optimizer, kind: "SGD" } } },
      { ...saved, stepCount: 1 },
    ]) {
      expect(() => second.restore(bad)).toThrow(InvalidSnapshotError);
    }
    expect(JSON.stringify(second.snapshot())).toBe(untouched);
  });

  it("minimize counts its micro-steps as steps (not as skipped ones)", () => {
    const f = { dimension: 1, evaluate: (t: Float64Array, g: Float64Array | null) => (g && (g[0] = 2 * (t[0] - 3)), (t[0] - 3) ** 2) };
    const result = minimize({ objective: f, optimizer: accumulate(new SGD({ lr: 0.1 }), { every: 4 }), params: Float64Array.of(0), steps: 400 });
    expect(result.reason).toBe("steps");
    expect(result.loss).toBeLessThan(1e-12);
  });
});
