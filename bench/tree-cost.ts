// The cost of stepping a parameter tree: a tree of 100 leaves totalling 1e6 parameters (lengths from
// 1,000 to 19,000, two groups: "**/bias" at another lr and without decay) against one flat vector of
// 1e6 with the same rule, timed interleaved in one process, per backend and placement: the JavaScript
// kernels; Wasm on plain Float64Arrays (copied through scratch); Wasm on vectors from allocateVector
// (zero-copy). One thread. `npx tsx bench/tree-cost.ts [--quick]` prints the table alone; `npm run
// bench` prints it as part 1c.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { Adam, allocateVector, type Optimizer, setBackend, SGD, tree, type TreeOptimizer, type TreeShapes } from "gradstep";
import { interleaved } from "./timing.js";

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
      leaves: tree(new Adam({ lr: 1e-6, weightDecay: 1e-2 }), { groups: [{ match: "**/bias", lr: 1e-7, weightDecay: 0 }], layout }),
      leaf: (bias) => new Adam(bias ? { lr: 1e-7, weightDecay: 0 } : { lr: 1e-6, weightDecay: 1e-2 }),
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
  for (const placement of ["JS", "Wasm copying", "Wasm zero-copy", "Wasm one vector"] as const) {
    setBackend(placement === "JS" ? "js" : "wasm", { threads: false });
    const vector = (n: number) => (placement === "Wasm zero-copy" || placement === "Wasm one vector" ? allocateVector(n) : new Float64Array(n));
    // "Wasm one vector": the tree's leaves are ranges of one allocateVector pair (tree()'s layout option)
    const oneVector = placement === "Wasm one vector";
    const shapes: Record<string, Record<string, number>> = {};
    sizes.forEach((n, k) => ((shapes[`layer${k >> 1}`] ??= {})[k % 2 === 1 ? "bias" : "weight"] = n));
    for (const [rule, make] of RULES) {
      const { flat, leaves, leaf } = make(oneVector ? shapes : null);
      const flatParams = vector(TOTAL);
      const flatGrad = vector(TOTAL).fill(1e-3);
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
      const stepFlat = () => flat.step(flatParams, flatGrad);
      const stepTree = treeParams === null ? () => leaves.step(params, grads) : () => leaves.step(treeParams, treeGrad!);
      const stepByHand = () => {
        for (const { p, g, opt } of pairs) opt.step(p, g);
      };
      for (let i = 0; i < 20; i++) {
        stepFlat();
        stepTree();
        stepByHand();
      }
      const [f, t, h] = interleaved([stepFlat, stepTree, stepByHand], quick ? 9 : 21, quick ? 40 : 60);
      const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1];
      rows.push({
        rule,
        placement,
        flat: f.median / TOTAL,
        tree: t.median / TOTAL,
        byHand: h.median / TOTAL,
        ratio: median(t.samples.map((s, k) => s / f.samples[k])),
        ratioByHand: median(t.samples.map((s, k) => s / h.samples[k])),
      });
      flat.dispose?.();
      leaves.dispose();
      for (const { opt } of pairs) opt.dispose?.();
    }
  }
  setBackend("wasm");
  return rows;
}

export function treeCostTable(rows: TreeCostRow[]): string[] {
  return [
    `1c. Parameter trees: ${LEAVES} leaves totalling ${TOTAL.toExponential(0)} (two groups) against one flat vector of ${TOTAL.toExponential(0)}, ns per parameter per step`,
    "   (median; one thread, check on); by hand = one optimizer per leaf, no tree; ratios: medians over rounds of per-round ratios.",
    ...rows.map((r) => `   ${r.rule.padEnd(13)} ${r.placement.padEnd(16)} flat ${r.flat.toFixed(3)}  tree ${r.tree.toFixed(3)}  by hand ${r.byHand.toFixed(3)}  tree/flat ${r.ratio.toFixed(3)}  tree/by hand ${r.ratioByHand.toFixed(3)}`),
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const line of treeCostTable(treeCost(process.argv.includes("--quick")))) console.log(line);
}
