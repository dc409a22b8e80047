// The cost of stepping a parameter tree: a tree of 100 leaves totalling 1e6 parameters (lengths from
// 1,000 to 19,000, two groups: "**/bias" at another lr, which costs nothing more, so that both sides
// do the same arithmetic: a group without decay would do less than the flat vector) against one flat vector of
// 1e6 with the same rule, timed interleaved in one process, per backend and placement: the JavaScript
// kernels; Wasm on plain Float64Arrays (copied through scratch); Wasm on vectors from allocateVector
// (zero-copy). One thread. `node bench/run-bundled.mjs bench/tree-cost.ts [--quick]` prints the table alone; `npm run
// bench` prints it as part 1c.
import { Adam, allocateVector, type Optimizer, releaseVector, setBackend, SGD, tree, type TreeOptimizer, type TreeShapes } from "gradstep";
import { interleaved } from "./timing.js";
import { isEntry } from "./entry.js";

export interface TreeCostRow {
  rule: string;
  placement: "JS" | "Wasm copying" | "Wasm zero-copy" | "Wasm one vector";
  /** ns per parameter per step, flat vector of 1e6. */
  flat: number;
  /** ns per parameter per step, tree of 100 leaves totalling 1e6. */
  tree: number;
  /** ns per parameter per step, the same leaves stepped by hand: one optimizer per leaf, each with its group's options. */
  byHand: number;
  /** Median over rounds of tree ÷ flat (the samples of a round timed back to back). */
  ratio: number;
  /** Median over rounds of tree ÷ by hand. */
  ratioByHand: number;
  /** Median over rounds of a second flat vector ÷ the first: the same work, so what sets 1 apart is the measurement's own spread. */
  control: number;
}

const LEAVES = 100;
const TOTAL = 1_000_000;

/** Leaf lengths 1,000 … 19,000 (every other leaf a "bias" of 1,000), summing to TOTAL. */
function leafSizes(): number[] {
  const sizes = Array.from({ length: LEAVES }, (_, k) => (k % 2 === 1 ? 1000 : 1000 + ((k * 7919) % 18) * 1000));
  const sum = sizes.reduce((a, b) => a + b, 0);
  sizes[0] += TOTAL - sum;
  return sizes;
}

const RULES: [string, (layout: TreeShapes | null) => { flat: Optimizer; leaves: TreeOptimizer; leaf: (bias: boolean) => Optimizer }][] = [
  [
    "Adam",
    (layout) => ({
      flat: new Adam({ lr: 1e-6, weightDecay: 1e-2 }),
      leaves: tree(new Adam({ lr: 1e-6, weightDecay: 1e-2 }), { groups: [{ match: "**/bias", lr: 1e-7 }], layout }),
      leaf: (bias) => new Adam({ lr: bias ? 1e-7 : 1e-6, weightDecay: 1e-2 }),
    }),
  ],
  [
    "SGD momentum",
    (layout) => ({
      flat: new SGD({ lr: 1e-6, momentum: 0.9 }),
      leaves: tree(new SGD({ lr: 1e-6, momentum: 0.9 }), { groups: [{ match: "**/bias", lr: 1e-7 }], layout }),
      leaf: (bias) => new SGD({ lr: bias ? 1e-7 : 1e-6, momentum: 0.9 }),
    }),
  ],
];

export function treeCost(quick: boolean): TreeCostRow[] {
  const rows: TreeCostRow[] = [];
  const sizes = leafSizes();
  const placements = quick ? 1 : 5;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const placement of ["JS", "Wasm copying", "Wasm zero-copy", "Wasm one vector"] as const) {
    setBackend(placement === "JS" ? "js" : "wasm", { threads: false });
    const inWasm = placement === "Wasm zero-copy" || placement === "Wasm one vector";
    for (const [rule, make] of RULES) {
      const samples: Record<"flat" | "control" | "tree" | "byHand", number[]> = { flat: [], control: [], tree: [], byHand: [] };
      const ratios: Record<"tree" | "byHand" | "control", number[]> = { tree: [], byHand: [], control: [] };
      // Fresh arrays at each placement, shifted by a spacer of another size, and the contenders timed
      // in a rotated order: where arrays sit (4K aliasing, cache sets) and a contender's place in the
      // round move a loop's speed by several percent, which the control (a second flat vector,
      // identical to the first) shows.
      for (let k = 0; k < placements; k++) {
        const spacer = inWasm ? allocateVector(1 + 97 * k) : new Float64Array(1 + 97 * k);
        const allocated: Float64Array[] = [];
        const vector = (n: number) => {
          const v = inWasm ? allocateVector(n) : new Float64Array(n);
          allocated.push(v);
          return v;
        };
        const contenders = makeContenders(placement, rule, make, sizes, vector);
        const order = [0, 1, 2, 3].map((i) => (i + k) % 4);
        const steps = order.map((i) => contenders.steps[i]);
        for (let i = 0; i < 20; i++) for (const step of steps) step();
        const timed = interleaved(steps, quick ? 9 : 21, quick ? 40 : 60);
        const byContender = [0, 1, 2, 3].map((i) => timed[order.indexOf(i)]);
        const [f, c, t, h] = byContender;
        samples.flat.push(f.median / TOTAL);
        samples.control.push(c.median / TOTAL);
        samples.tree.push(t.median / TOTAL);
        samples.byHand.push(h.median / TOTAL);
        f.samples.forEach((s, r) => {
          ratios.tree.push(t.samples[r] / s);
          ratios.byHand.push(t.samples[r] / h.samples[r]);
          ratios.control.push(c.samples[r] / s);
        });
        contenders.dispose();
        if (inWasm) for (const v of [spacer, ...allocated]) releaseVector(v);
      }
      rows.push({
        rule,
        placement,
        flat: median(samples.flat),
        tree: median(samples.tree),
        byHand: median(samples.byHand),
        ratio: median(ratios.tree),
        ratioByHand: median(ratios.byHand),
        control: median(ratios.control),
      });
    }
  }
  setBackend("wasm");
  return rows;
}

/** The four contenders of one placement: flat, a second flat (the control), the tree, by hand. */
function makeContenders(
  placement: TreeCostRow["placement"],
  rule: string,
  make: (layout: TreeShapes | null) => { flat: Optimizer; leaves: TreeOptimizer; leaf: (bias: boolean) => Optimizer },
  sizes: number[],
  vector: (n: number) => Float64Array,
): { steps: (() => void)[]; dispose: () => void } {
  // "Wasm one vector": the tree's leaves are ranges of one allocateVector pair (tree()'s layout option)
  const oneVector = placement === "Wasm one vector";
  const shapes: Record<string, Record<string, number>> = {};
  sizes.forEach((n, k) => ((shapes[`layer${k >> 1}`] ??= {})[k % 2 === 1 ? "bias" : "weight"] = n));
  const { flat, leaves, leaf } = make(oneVector ? shapes : null);
  const control = make(null).flat;
  const flatParams = vector(TOTAL);
  const flatGrad = vector(TOTAL).fill(1e-3);
  const controlParams = vector(TOTAL);
  const controlGrad = vector(TOTAL).fill(1e-3);
  const treeParams = oneVector ? vector(TOTAL) : null;
  const treeGrad = oneVector ? vector(TOTAL).fill(1e-3) : null;
  const params: Record<string, Record<string, Float64Array>> = {};
  const grads: Record<string, Record<string, Float64Array>> = {};
  let at = 0;
  sizes.forEach((n, k) => {
    const layer = `layer${k >> 1}`;
    const name = k % 2 === 1 ? "bias" : "weight";
    (params[layer] ??= {})[name] = treeParams === null ? vector(n) : treeParams.subarray(at, at + n);
    (grads[layer] ??= {})[name] = treeGrad === null ? vector(n).fill(1e-3) : treeGrad.subarray(at, at + n);
    at += n;
  });
  const pairs = sizes.map((_, k) => {
    const layer = `layer${k >> 1}`;
    const name = k % 2 === 1 ? "bias" : "weight";
    return { p: params[layer][name], g: grads[layer][name], opt: leaf(name === "bias") };
  });
  return {
    steps: [
      () => flat.step(flatParams, flatGrad),
      () => control.step(controlParams, controlGrad),
      treeParams === null ? () => leaves.step(params, grads) : () => leaves.step(treeParams, treeGrad!),
      () => {
        for (const { p, g, opt } of pairs) opt.step(p, g);
      },
    ],
    dispose: () => {
      for (const opt of [flat, control, ...pairs.map((x) => x.opt)]) opt.dispose?.();
      leaves.dispose();
    },
  };
}

export function treeCostTable(rows: TreeCostRow[]): string[] {
  return [
    `1c. Parameter trees: ${LEAVES} leaves totalling ${TOTAL.toExponential(0)} (two groups) against one flat vector of ${TOTAL.toExponential(0)}, ns per parameter per step`,
    "   (median; one thread, check on); by hand = one optimizer per leaf, no tree; ratios: medians over rounds (and placements) of per-round",
    "   ratios; control = a second flat vector over the first (the same work: its distance from 1 is the measurement's spread).",
    ...rows.map((r) => `   ${r.rule.padEnd(13)} ${r.placement.padEnd(16)} flat ${r.flat.toFixed(3)}  tree ${r.tree.toFixed(3)}  by hand ${r.byHand.toFixed(3)}  tree/flat ${r.ratio.toFixed(3)}  tree/by hand ${r.ratioByHand.toFixed(3)}  control ${r.control.toFixed(3)}`),
  ];
}

if (isEntry("tree-cost.ts")) {
  for (const line of treeCostTable(treeCost(process.argv.includes("--quick")))) console.log(line);
}
