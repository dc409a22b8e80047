// Step throughput: ns per parameter per step of each rule, with and without the non-finite
// gradient check, against the same update written inline as one fused loop.
import { AdaGrad, Adam, GradientDescent, Momentum, Nesterov, NormalizedGradient, type Optimizer, RMSProp } from "gradstep";
import { inlineBaseline } from "./fused-baselines.js";
import { interleaved } from "./timing.js";

const rules: [string, (o: { nonFinite: "throw" | "unchecked" }) => Optimizer][] = [
  ["GradientDescent", (o) => new GradientDescent(o)],
  ["Momentum", (o) => new Momentum(o)],
  ["Nesterov", (o) => new Nesterov(o)],
  ["NormalizedGradient", (o) => new NormalizedGradient(o)],
  ["AdaGrad", (o) => new AdaGrad(o)],
  ["RMSProp", (o) => new RMSProp(o)],
  ["Adam", (o) => new Adam(o)],
];

export interface ThroughputRow {
  rule: string;
  n: number;
  /** ns per parameter per step: gradstep with the check, gradstep unchecked, the inline loop. */
  checked: number;
  unchecked: number;
  inline: number;
  checkedRange: [number, number];
}

export function stepThroughput(sizes: number[], samples: number, filter: RegExp, onRow: (row: ThroughputRow) => void): void {
  for (const n of sizes) {
    const grad = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 1e-3);
    for (const [rule, make] of rules) {
      if (!filter.test(rule)) continue;
      // One params array for all three: where two arrays sit relative to each other changes the
      // speed of a loop over both (4K aliasing), so the contenders must share them.
      const params = new Float64Array(n);
      const contenders = [make({ nonFinite: "throw" }), make({ nonFinite: "unchecked" })].map((opt) => () => opt.step(params, grad));
      const baseline = inlineBaseline(rule, n);
      contenders.push(() => baseline(params, grad));
      const [checked, unchecked, inline] = interleaved(contenders, samples, n >= 1e6 ? 60 : 25);
      onRow({
        rule,
        n,
        checked: checked.median / n,
        unchecked: unchecked.median / n,
        inline: inline.median / n,
        checkedRange: [checked.min / n, checked.max / n],
      });
    }
  }
}
