// The loss curves under the map, by gradstep/plot's lossCurves: each run's full loss up to the
// step shown (a run with a smaller budget ends at its last step), on axes fixed by the whole race
// (an invisible series spans them: steps 0 to the longest run's, the lowest loss to the highest),
// so that they do not jump while the paths animate. A log axis where the losses span decades and
// are all positive.
import { figure, lossCurves, type Series } from "gradstep/plot";
import { RUN_COLORS } from "./palette.js";

/** The loss curves' SVG (no width or height: it takes its box's), or undefined if no loss is finite (the page draws nothing then). */
export function lossFigure(losses: readonly (readonly number[])[], shown: number, total: number): string | undefined {
  const finite = losses.flat().filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  let low = Infinity;
  let high = -Infinity;
  for (const v of finite) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const series: Series[] = losses.map((values, k) => ({ label: `run ${k + 1}`, values: values.slice(0, shown + 1), color: RUN_COLORS[k] }));
  series.push({ label: "range", values: [low, high], x: [0, Math.max(total, 1)], color: "none" });
  const svg = figure([lossCurves({ series, xLabel: "step", yLabel: "loss", legend: "none", width: 560, height: 260, logY: low > 0 ? "auto" : false })]);
  return svg.replace(/ width="[\d.]+" height="[\d.]+"/, "");
}
