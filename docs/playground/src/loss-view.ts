// The loss curves under the map, by gradstep/plot's lossCurves: each run's full loss over its whole
// budget (a run with a smaller budget ends at its last step), on axes fixed by the whole race (an
// invisible series spans them: steps 0 to the longest run's, the lowest loss to the highest). A log
// axis where the losses span decades and are all positive. Each curve takes gradstep/plot's look for
// its place, as the map's path of the same run does (palette.ts), and the legend below the curves
// names each run: it is the map's too.
// The figure is drawn once a computation, and shown as two layers (main.ts): the axes and the
// legend, and over them the curves alone, in a box that a frame narrows or widens, by moving it
// (a transform, which the browser composites without drawing again), so that its right edge is at
// the step shown (revealedFraction): the points of steps 0 … shown lie left of that edge, the next
// ones right of it, so that the curves shown are those up to the step, as the map's paths are.
// Redrawing the figure each frame, or clipping it anew, drew all its curves again: longer than a
// frame for figure 7's seventeen curves of 3000 steps.
import { figure, lossCurves, type Series } from "gradstep/plot";

export const LOSS_WIDTH = 560;
export const LOSS_HEIGHT = 260;
/** The plot area of the loss curves: gradstep/plot's plotArea for a panel of this size without a title (test/playground checks it against lossCurves' clip rectangle). */
export const LOSS_AREA = { left: 62, top: 30, right: LOSS_WIDTH - 24, bottom: LOSS_HEIGHT - 46 };
/** The loss curves' SVG over the whole budget (no width or height: it takes its box's), or undefined if no loss is finite (the page draws nothing then). `labels[k]` names run k in the legend. */
export function lossFigure(losses: readonly (readonly number[])[], total: number, labels: readonly string[] = losses.map((_, k) => `run ${k + 1}`)): string | undefined {
  let low = Infinity;
  let high = -Infinity;
  for (const values of losses) {
    for (const v of values) {
      if (!Number.isFinite(v)) continue;
      if (v < low) low = v;
      if (v > high) high = v;
    }
  }
  if (low > high) return undefined;
  // (no colour given: lossCurves gives the k-th series the k-th look, as the map does)
  const series: Series[] = losses.map((values, k) => ({ label: labels[k] ?? `run ${k + 1}`, values }));
  // the invisible series that spans the axes, after the runs (its label empty: not in the legend)
  series.push({ label: "", values: [low, high], x: [0, Math.max(total, 1)], color: "none" });
  const svg = figure([lossCurves({ series, xLabel: "step", yLabel: "loss", legend: "below", width: LOSS_WIDTH, height: LOSS_HEIGHT, logY: low > 0 ? "auto" : false })]);
  return svg.replace(/ width="[\d.]+" height="[\d.]+"/, "");
}

/** Where the curves shown up to step `shown` of `total` end, as a fraction of the figure's width: at that step's x, or the whole figure at the last step (a curve's line reaches a little past the plot area). */
export function revealedFraction(shown: number, total: number): number {
  if (total <= 0 || shown >= total) return 1;
  return (LOSS_AREA.left + (Math.max(shown, 0) / total) * (LOSS_AREA.right - LOSS_AREA.left)) / LOSS_WIDTH;
}
