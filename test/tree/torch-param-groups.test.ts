// PyTorch 1.13's parameter groups (per-group lr and weight_decay), float64, reproduced by a tree
// whose groups select the same leaves (fixture: scripts/reference/gen_torch_param_groups.py; the
// pytorch113 presets, since 1.13 made it).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type OptimizerBase, type ParamTree, pytorch113, tree } from "gradstep";

interface Case {
  optimizer: keyof typeof pytorch113;
  options: Record<string, unknown>;
  groups: { leaves: string[]; options: Record<string, unknown> }[];
  shapes: Record<string, number[]>;
  init: Record<string, number[]>;
  steps: { grads: Record<string, number[]>; params: Record<string, number[]> }[];
}

const fixture = JSON.parse(readFileSync(new URL("../fixtures/torch-param-groups.json", import.meta.url), "utf8")) as { cases: Case[] };

/** The tree {layer1: {weight, bias}, layer2: {weight, bias}} from values by path (weights shaped). */
function treeOf(values: Record<string, number[]>, shapes: Record<string, number[]>): ParamTree {
  const leaf = (path: string) => (shapes[path].length === 2 ? { data: Float64Array.from(values[path]), shape: shapes[path] } : Float64Array.from(values[path]));
  return { layer1: { weight: leaf("layer1/weight"), bias: leaf("layer1/bias") }, layer2: { weight: leaf("layer2/weight"), bias: leaf("layer2/bias") } };
}

function leafAt(t: ParamTree, path: string): Float64Array {
  const node: any = path.split("/").reduce((n: any, key) => n[key], t);
  return node instanceof Float64Array ? node : node.data;
}

describe("PyTorch parameter groups", () => {
  it.each(fixture.cases.map((c, i) => [`${i}: ${c.optimizer} ${JSON.stringify(c.options)} groups ${JSON.stringify(c.groups.map((g) => g.options))}`, c] as const))("%s", (_, c) => {
    const make = pytorch113[c.optimizer] as (keywords: Record<string, unknown>) => OptimizerBase<any>;
    const template = make(c.options);
    // Each group's options in gradstep's names: the preset's translation of the merged keywords.
    const groups = c.groups.map((g) => {
      const { nonFinite, ...options } = make({ ...c.options, ...g.options }).options; // the tree's own policy checks the gradient
      return { match: g.leaves, ...options };
    });
    const opt = tree(template, { groups });
    const params = treeOf(c.init, c.shapes);
    let worst = 0;
    c.steps.forEach((step, t) => {
      opt.step(params, treeOf(step.grads, c.shapes));
      for (const path of Object.keys(step.params)) {
        const got = leafAt(params, path);
        step.params[path].forEach((want, i) => {
          const err = Math.abs(got[i] - want) / Math.max(1, Math.abs(want));
          worst = Math.max(worst, err);
          expect(err, `step ${t + 1}, ${path}[${i}]: ${got[i]} vs PyTorch ${want}`).toBeLessThanOrEqual(1e-10);
        });
      }
    });
    expect(opt.stepCount).toBe(c.steps.length);
    expect(worst).toBeLessThanOrEqual(1e-10);
  });
});

describe("PyTorch's ReduceLROnPlateau over parameter groups", () => {
  const plateau = (JSON.parse(readFileSync(new URL("../fixtures/torch-param-groups.json", import.meta.url), "utf8")) as { plateau: { options: Record<string, any>; lr: number; groups: { leaves: string[]; lr: number }[]; metrics: number[]; lrs: number[][] }[] }).plateau;

  it("refuses a tree whose group's rate is a schedule (a plateau would replace it)", async () => {
    const { InvalidOptionError, ReduceLROnPlateau, SGD } = await import("gradstep");
    const scheduled = tree(new SGD({ lr: 0.1 }), { groups: [{ match: "a", lr: { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 5 } }] });
    expect(() => new ReduceLROnPlateau(scheduled)).toThrow(InvalidOptionError);
    expect(() => new ReduceLROnPlateau(tree(new SGD({ lr: 0.1 }), { groups: [{ match: "a", lr: 0.01 }] }))).not.toThrow();
  });

  it.each(plateau.map((c, i) => [i, c] as const))("case %i: each group's rate reduced on its own, resumable", async (_, c) => {
    const { ReduceLROnPlateau, SGD } = await import("gradstep");
    const o = c.options;
    const make = () => {
      const opt = tree(new SGD({ lr: c.lr }), { layout: { layer1: { weight: [4, 3], bias: 4 }, layer2: { weight: [1, 4], bias: 1 } }, groups: c.groups.map((g) => ({ match: g.leaves, lr: g.lr })) });
      const scheduler = new ReduceLROnPlateau(opt, { mode: o.mode, factor: o.factor, patience: o.patience, threshold: o.threshold, thresholdMode: o.threshold_mode, cooldown: o.cooldown, minLr: o.min_lr, eps: o.eps });
      return { opt, scheduler };
    };
    let { opt, scheduler } = make();
    c.metrics.forEach((metric, t) => {
      scheduler.step(metric);
      expect([opt.leafOptions("layer1/weight")!.lr, opt.leafOptions("layer1/bias")!.lr], `after metric ${t}`).toEqual(c.lrs[t]);
      if (t === 10) {
        // a snapshot of both, restored into fresh ones, carries the groups' reduced rates
        const saved = JSON.parse(JSON.stringify({ opt: opt.snapshot(), scheduler: scheduler.snapshot() }));
        ({ opt, scheduler } = make());
        opt.restore(saved.opt);
        scheduler.restore(saved.scheduler);
        expect(opt.groupOptions(0).lr).toBe(c.lrs[t][0]);
      }
    });
  });
});
