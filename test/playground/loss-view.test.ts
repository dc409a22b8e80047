// The playground's loss curves (docs/playground/src/loss-view.ts): each run's whole curve in
// gradstep/plot's look for its place (the look of its path on the map), a legend that names every
// run, axes that span the whole race, nothing drawn but the runs' curves (the series that spans the
// axes is invisible), and the edge that reveals them up to the step shown lying between that step's
// points and the next ones.
import { contourMap, DASHES, figure, lossCurves, PALETTE } from "gradstep/plot";
import { describe, expect, test } from "vitest";
import { LOSS_AREA, LOSS_HEIGHT, LOSS_WIDTH, lossFigure, revealedFraction } from "../../docs/playground/src/loss-view.js";
import { CASING, runLook } from "../../docs/playground/src/palette.js";

/** The lines (paths of fill none) in the plot area, as [stroke, dash pattern, points as [x, y]]. */
function curves(svg: string): [string, string, number[][]][] {
  const plot = svg.slice(svg.indexOf('clip-path="url('), svg.indexOf("</g>", svg.indexOf('clip-path="url(')));
  return [...plot.matchAll(/<path d="([^"]*)" fill="none" stroke="([^"]*)"[^>]*?(?:stroke-dasharray="([^"]*)")?\/>/g)].map((m) => [
    m[2],
    m[3] ?? "",
    [...m[1].matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])]),
  ]);
}
/** The text labels (every <text> of the figure). */
const labels = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

// figure 6's budgets: 200, 40, 40 and 60 steps (losses from 1 down to 1e-4: a log axis)
const budgets = [200, 40, 40, 60];
const losses = budgets.map((n, k) => Array.from({ length: n + 1 }, (_, i) => (1 - 0.2 * k) * 10 ** (-4 * (i / 200))));

describe("the loss curves", () => {
  test("each run's curve is drawn whole, cased in black and white, in its run's look; nothing else is drawn", () => {
    const svg = lossFigure(losses, 200)!;
    const expected = budgets.flatMap((n, k): [string, string, number][] => [
      ["#000", "", n + 1],
      ["#fff", "", n + 1],
      [runLook(k).color, runLook(k).dash, n + 1],
    ]);
    expect(curves(svg).map(([stroke, dash, points]) => [stroke, dash, points.length])).toEqual(expected);
  });

  test("seventeen runs (figure 7's): run k's curve and its path on the map take gradstep/plot's k-th look, eight colours then dashed, dotted", () => {
    const many = Array.from({ length: 17 }, (_, k) => [17 - k, 1, 0.5]);
    const drawn = curves(lossFigure(many, 2)!).filter(([stroke]) => stroke !== "#000" && stroke !== "#fff");
    expect(drawn.map(([stroke, dash]) => ({ color: stroke, dash }))).toEqual(many.map((_, k) => runLook(k)));
    expect(drawn.map(([stroke, dash]) => [stroke, dash])).toEqual(Array.from({ length: 17 }, (_, k) => [PALETTE[k % 8], DASHES[Math.floor(k / 8)]]));
    // gradstep/plot's own map draws its k-th path so too
    const bowl = { x: [0, 1, 2], y: [0, 1], values: [1, 0, 1, 2, 1, 2] };
    const map = figure([contourMap({ grid: bowl, paths: many.map((_, k) => ({ label: String(k), points: [[0, 0], [2, 1]] })), legend: "none" })]);
    expect(curves(map).filter(([stroke]) => stroke !== "#000" && stroke !== "#fff").map(([color, dash]) => ({ color, dash }))).toEqual(many.map((_, k) => runLook(k)));
    // and the casing the map draws under each path is gradstep/plot's: black and white bands CASING wider than the line
    const widths = [...map.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]*)" stroke-width="([\d.]+)"/g)].slice(0, 3).map((m): [string, number] => [m[1], Number(m[2])]);
    expect(widths.map(([stroke]) => stroke)).toEqual(["#000", "#fff", PALETTE[0]]);
    expect(widths[0][1] - widths[2][1]).toBeCloseTo(CASING.dark, 9);
    expect(widths[1][1] - widths[2][1]).toBeCloseTo(CASING.light, 9);
  });

  test("the legend below the curves names every run (not the series that spans the axes), each with a sample in its look", () => {
    const names = Array.from({ length: 17 }, (_, k) => `${k + 1}. Optimizer${k}`);
    const svg = lossFigure(Array.from({ length: 17 }, () => [2, 1]), 1, names)!;
    const legend = svg.slice(svg.lastIndexOf("</g>", svg.lastIndexOf("<text")));
    expect(labels(legend).filter((t) => names.includes(t))).toEqual(names);
    const samples = [...legend.matchAll(/<path d="[^"]*" fill="none" stroke="([^"]*)"[^>]*?(?:stroke-dasharray="([^"]*)")?\/>/g)].filter((m) => m[1] !== "#000" && m[1] !== "#fff");
    expect(samples.map((m) => ({ color: m[1], dash: m[2] ?? "" }))).toEqual(names.map((_, k) => runLook(k)));
    expect(labels(svg)).not.toContain("range");
  });

  test("the axes span the whole race: steps 0 to the longest budget, the race's lowest to highest loss", () => {
    expect(labels(lossFigure(losses, 200)!)).toEqual(expect.arrayContaining(["0", "200", "1e-4", "step", "loss"]));
  });

  test("revealed up to the step shown: its points and those before it left of the edge, the next ones right of it; the whole figure at the last step", () => {
    const svg = lossFigure(losses, 200)!;
    const lines = curves(svg).filter(([stroke]) => stroke !== "#000" && stroke !== "#fff");
    for (const shown of [0, 1, 39, 40, 50, 60, 150, 199]) {
      const edge = revealedFraction(shown, 200) * LOSS_WIDTH;
      for (const [, , points] of lines) {
        // (the SVG writes x to 0.01 px)
        for (const [i, [x]] of points.entries()) expect(i <= shown ? x <= edge + 0.005 : x > edge, `step ${shown}, point ${i}`).toBe(true);
      }
    }
    expect(revealedFraction(200, 200)).toBe(1);
    expect(revealedFraction(0, 0)).toBe(1);
  });

  test("its plot area is gradstep/plot's (lossCurves' clip rectangle, 2 px around it)", () => {
    const svg = figure([lossCurves({ series: [{ label: "a", values: [1, 2] }], width: LOSS_WIDTH, height: LOSS_HEIGHT, legend: "none" })]);
    const rect = svg.match(/<clipPath id="p0-clip"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/)!.slice(1).map(Number);
    expect(rect).toEqual([LOSS_AREA.left - 2, LOSS_AREA.top - 2, LOSS_AREA.right - LOSS_AREA.left + 4, LOSS_AREA.bottom - LOSS_AREA.top + 4]);
  });

  test("no finite loss: nothing to draw", () => {
    expect(lossFigure([[Number.NaN]], 0)).toBeUndefined();
  });
});
