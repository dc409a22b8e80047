// Figure 4's gradient arrows on the playground's map (docs/playground/src/gradient-arrows.ts,
// map-arrows.ts): the gradients are those the example computes (written out here as the example
// first did, with an EpochSampler and J.evaluate on each batch's rows), the first batch's is the one
// the mini-batch run steps along (its first step, to the bit), the colours are the runs', the full
// arrow is a batch's share of the full gradient; drawn, each tip is the start minus one common scale
// times the arrow's vector, the full arrow a fixed fraction of the plot long; the switch reads back
// from the URL.
import { EpochSampler, empiricalRisk, gaborModel, linearRegression, sumOfSquares, udlGaborData, udlLinearData } from "gradstep/learn";
import { PALETTE } from "gradstep/plot";
import { describe, expect, test } from "vitest";
import { epochGradients } from "../../examples/epoch-gradients.js";
import { gradientArrows } from "../../docs/playground/src/gradient-arrows.js";
import { LANDSCAPES } from "../../docs/playground/src/landscapes.js";
import { ARROW_FRACTION, arrowShapes } from "../../docs/playground/src/map-arrows.js";
import { MAP_AREA, toPixel } from "../../docs/playground/src/map-geometry.js";
import { PRESETS } from "../../docs/playground/src/presets.js";
import { computeRuns } from "../../docs/playground/src/runs.js";
import { decodeState, encodeState, type PlaygroundState } from "../../docs/playground/src/state.js";

const preset = (id: string) => PRESETS.find((p) => p.id === id)!.state;
const gabor = () => empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());

/** The gradients at `at` of the full batch and of each batch of one epoch, by hand. */
function byHand(J: ReturnType<typeof gabor>, at: number[], batchSize: number, seed: number) {
  const theta = Float64Array.from(at);
  const full = new Float64Array(2);
  J.evaluate(theta, full);
  const sampler = new EpochSampler({ size: J.examples, batchSize, seed });
  const rows = new Int32Array(batchSize);
  const batches: number[][] = [];
  for (let k = 0; k < Math.ceil(J.examples / batchSize); k++) {
    const g = new Float64Array(2);
    const count = sampler.next(rows);
    J.evaluate(theta, g, rows, count);
    batches.push([g[0], g[1]]);
  }
  expect(sampler.epoch).toBe(1);
  return { full: [full[0], full[1]], batches };
}

describe("figure 4's arrows", () => {
  test("the preset shows them: the six batches' gradients of an epoch (B = 5, seed 1) and the full one ÷ 6, in the colours of the runs of B = 5 and B = 30, as the example computes them", () => {
    const state = preset("figure-4");
    expect(state.arrows).toBe(true);
    const J = gabor();
    const arrows = gradientArrows(J, state)!;
    const expected = byHand(J, [-1.5, 6.5], 5, 1);
    expect(arrows.at).toEqual([-1.5, 6.5]);
    expect(arrows.arrows.map((a) => a.kind)).toEqual(["batch", "batch", "batch", "batch", "batch", "batch", "full"]);
    expect(arrows.arrows.slice(0, 6).map((a) => a.gradient)).toEqual(expected.batches);
    expect(arrows.arrows[6].gradient).toEqual(expected.full);
    expect(arrows.arrows.map((a) => a.share)).toEqual([1, 1, 1, 1, 1, 1, 5 / 30]);
    expect(arrows.arrows.map((a) => a.color)).toEqual([...Array(6).fill(PALETTE[1]), PALETTE[0]]);
    expect(arrows.description).toBe(
      "Arrows at the start (-1.5, 6.5): the negative gradient of the full batch of 30, ÷ 6 (a batch's share of the sum), in run 1's colour, and that of each of the 6 batches of 5 of an epoch, seed 1, in run 2's colour: noisy estimates of it.",
    );
    // the example's helper gives the same numbers (examples/04-batch-sizes.ts draws these)
    const shared = epochGradients(J, [-1.5, 6.5], 5, 1);
    expect(shared.batches.map((g) => [g[0], g[1]])).toEqual(expected.batches);
    expect(shared.counts).toEqual([5, 5, 5, 5, 5, 5]);
    // the noise the figure shows: the batches' directions spread around the full one's, some more than 90° from it
    const angle = (g: readonly number[]) => Math.acos((g[0] * expected.full[0] + g[1] * expected.full[1]) / (Math.hypot(g[0], g[1]) * Math.hypot(expected.full[0], expected.full[1])));
    expect(expected.batches.filter((g) => angle(g) > Math.PI / 2)).toHaveLength(2);
    // the sum of the batches' gradients is the full gradient (the loss is a sum over the examples), to rounding
    for (const i of [0, 1]) expect(expected.batches.reduce((s, g) => s + g[i], 0)).toBeCloseTo(expected.full[i], 12);
  });

  test("the first arrow is the batch the mini-batch run steps along first: its first step is θ − η·∇J of that batch, to the bit", () => {
    const state = preset("figure-4");
    const J = gabor();
    const arrows = gradientArrows(J, state)!;
    const run = computeRuns(J, state)[1]; // B = 5, η = 0.4
    const [gx, gy] = arrows.arrows[0].gradient;
    expect(run.path[1]).toEqual([-1.5 - 0.4 * gx, 6.5 - 0.4 * gy]);
    // and the full arrow is what batch gradient descent steps along (B = 30, η = 0.1)
    const [fx, fy] = arrows.arrows[6].gradient;
    expect(computeRuns(J, state)[0].path[1]).toEqual([-1.5 - 0.1 * fx, 6.5 - 0.1 * fy]);
  });

  test("shown only when asked for, on a data landscape; otherwise undefined, or none with the reason when no run takes mini-batches", () => {
    const state = preset("figure-4");
    const J = gabor();
    expect(gradientArrows(J, { ...state, arrows: false })).toBeUndefined();
    const rosenbrock: PlaygroundState = { ...preset("rosenbrock-race"), arrows: true };
    expect(gradientArrows(LANDSCAPES.rosenbrock.objective(""), rosenbrock)).toBeUndefined();
    const fullOnly = gradientArrows(J, { ...state, runs: [state.runs[0]] })!;
    expect(fullOnly.arrows).toEqual([]);
    expect(fullOnly.description).toBe("No arrows: no run takes mini-batches (give one a batch size from 1 to 29).");
  });

  test("any data landscape: the first run's start, the first mini-batch run's size and the seed; a batch size that does not divide N ends the epoch with a smaller batch; black when no run takes the full batch", () => {
    const J = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
    const state: PlaygroundState = { ...preset("figure-2"), batch: 5, seed: 7, arrows: true };
    const arrows = gradientArrows(J, state)!;
    const expected = byHand(J as ReturnType<typeof gabor>, [1.6, -0.5], 5, 7);
    expect(arrows.at).toEqual([1.6, -0.5]);
    expect(arrows.arrows.slice(0, -1).map((a) => a.gradient)).toEqual(expected.batches);
    expect(arrows.arrows.at(-1)).toEqual({ kind: "full", index: 0, gradient: expected.full, share: 5 / 12, color: "#000000" });
    expect(arrows.description).toContain("the full batch of 12, × 5/12 (a batch's share of the sum), in black, and that of each of the 3 batches of 5 (the last of 2) of an epoch, seed 7, in run 1's colour");
    // a mean loss (sigmoid regression's mean squared error): a batch's gradient estimates the full one whole
    const sigmoid: PlaygroundState = { ...preset("figure-1"), batch: 6, arrows: true };
    const mean = gradientArrows(LANDSCAPES.sigmoid.objective(""), sigmoid)!;
    expect(mean.arrows.map((a) => a.share)).toEqual([1, 1, 1, 1, 1]);
    expect(mean.description).toContain("the full batch of 24, in black");
  });
});

describe("the arrows on the map", () => {
  test("each tip is the start minus one scale times share·∇J, in the map's pixels to 0.1 px; the full arrow is ARROW_FRACTION of the plot's smaller side", () => {
    const state = preset("figure-4");
    const arrows = gradientArrows(gabor(), state)!;
    const window = state.window;
    const shapes = arrowShapes(window, arrows);
    expect(shapes).toHaveLength(7);
    const [x0, x1, y0, y1] = window;
    const width = MAP_AREA.right - MAP_AREA.left;
    const height = MAP_AREA.bottom - MAP_AREA.top;
    // the scale, from the full arrow's length in px at scale 1
    const full = arrows.arrows[6];
    const s = (ARROW_FRACTION * Math.min(width, height)) / Math.hypot((full.share * full.gradient[0] * width) / (x1 - x0), (full.share * full.gradient[1] * height) / (y1 - y0));
    const start = toPixel(window, -1.5, 6.5);
    for (const { arrow, tail, tip, shaft, head } of shapes) {
      const [ex, ey] = toPixel(window, -1.5 - s * arrow.share * arrow.gradient[0], 6.5 - s * arrow.share * arrow.gradient[1]);
      expect(Math.abs(tip[0] - ex)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(tip[1] - ey)).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(tail[0] - start[0])).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(Math.abs(tail[1] - start[1])).toBeLessThanOrEqual(0.05 + 1e-9);
      expect(shaft.startsWith(`M${tail[0].toFixed(1)},${tail[1].toFixed(1)}L`)).toBe(true);
      expect(head).toMatch(new RegExp(`^M${tip[0].toFixed(1)},${tip[1].toFixed(1)}L[-\\d.]+,[-\\d.]+L[-\\d.]+,[-\\d.]+Z$`));
    }
    const fullShape = shapes[6];
    expect(Math.hypot(fullShape.tip[0] - fullShape.tail[0], fullShape.tip[1] - fullShape.tail[1])).toBeCloseTo(ARROW_FRACTION * Math.min(width, height), 0);
    // every arrow of figure 4 inside the plot area
    for (const { tip } of shapes) expect(tip[0] >= MAP_AREA.left && tip[0] <= MAP_AREA.right && tip[1] >= MAP_AREA.top && tip[1] <= MAP_AREA.bottom).toBe(true);
  });
});

describe("the switch in the URL", () => {
  test("arrows=1 when on, nothing when off; figure 4's preset reads back with it; the seed of runs of their own batch sizes reads back", () => {
    const four = preset("figure-4");
    const text = encodeState(four);
    expect(text.endsWith("&arrows=1")).toBe(true);
    expect(decodeState(text, PRESETS[0].state)).toEqual(four);
    expect(encodeState({ ...four, arrows: false })).not.toContain("arrows");
    expect(decodeState(text.replace("arrows=1", "arrows=yes"), PRESETS[0].state).arrows).toBe(false);
    // a seed other than 1 with no common batch size (figure 4's runs have their own): written, and read back
    const seeded = { ...four, seed: 7 };
    expect(encodeState(seeded)).toContain("&seed=7");
    expect(decodeState(encodeState(seeded), PRESETS[0].state)).toEqual(seeded);
  });
});
