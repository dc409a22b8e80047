// The playground's loss curves (docs/playground/src/loss-view.ts): each run's curve up to the step
// shown or its own last step, on axes that span the whole race from the first frame, and nothing
// drawn but the runs' curves (the series that spans the axes is invisible).
import { describe, expect, test } from "vitest";
import { lossFigure } from "../../docs/playground/src/loss-view.js";
import { RUN_COLORS } from "../../docs/playground/src/palette.js";

/** The curves' paths in the plot area, as [stroke, number of points]. */
function curves(svg: string): [string, number][] {
  const plot = svg.slice(svg.indexOf('clip-path="url('), svg.indexOf("</g>", svg.indexOf('clip-path="url(')));
  return [...plot.matchAll(/<path d="([^"]*)"[^>]*stroke="([^"]*)"/g)].map((m) => [m[2], (m[1].match(/[ML]/g) ?? []).length]);
}
/** The tick labels (every <text> of the figure). */
const labels = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

// figure 6's budgets: 200, 40, 40 and 60 steps (losses from 1 down to 1e-4: a log axis)
const budgets = [200, 40, 40, 60];
const losses = budgets.map((n, k) => Array.from({ length: n + 1 }, (_, i) => (1 - 0.2 * k) * 10 ** (-4 * (i / 200))));

describe("the loss curves", () => {
  test("each run's curve is drawn up to the step shown, or its own last step, cased in black and white; nothing else is drawn", () => {
    for (const shown of [0, 1, 39, 40, 50, 60, 200]) {
      const svg = lossFigure(losses, shown, 200)!;
      const expected = budgets.flatMap((n, k): [string, number][] => {
        const points = Math.min(shown, n) + 1;
        return [["#000", points], ["#fff", points], [RUN_COLORS[k], points]];
      });
      expect(curves(svg), `step ${shown}`).toEqual(expected);
    }
  });

  test("the axes do not move while the runs play: steps 0 to the longest budget, the race's lowest to highest loss", () => {
    const first = labels(lossFigure(losses, 0, 200)!);
    expect(labels(lossFigure(losses, 50, 200)!)).toEqual(first);
    expect(labels(lossFigure(losses, 200, 200)!)).toEqual(first);
    expect(first).toEqual(expect.arrayContaining(["0", "200", "1e-4", "step", "loss"]));
  });

  test("no finite loss: nothing to draw", () => {
    expect(lossFigure([[Number.NaN]], 0, 0)).toBeUndefined();
  });
});
