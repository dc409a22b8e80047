// The loss curves under the map, by gradstep/plot's lossCurves: each run's full loss up to the
// step shown, on axes fixed by the whole run (an invisible series spans them), so that they do not
// jump while the paths animate. A log axis where the losses span decades and are all positive.
import { figure, lossCurves, type Series } from "gradstep/plot";
import { RUN_COLORS } from "./palette.js";

export function drawLosses(host: HTMLElement, losses: readonly (readonly number[])[], shown: number, total: number): void {
  const finite = losses.flat().filter((v) => Number.isFinite(v));
  if (finite.length === 0) {
    host.textContent = "";
    return;
  }
  let low = Infinity;
  let high = -Infinity;
  for (const v of finite) {
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const series: Series[] = losses.map((values, k) => ({ label: `run ${k + 1}`, values: values.slice(0, shown + 1), color: RUN_COLORS[k] }));
  series.push({ label: "range", values: [low, high], x: [0, Math.max(total, 1)], color: "none" });
  const svg = figure([lossCurves({ series, xLabel: "step", yLabel: "loss", legend: "none", width: 560, height: 260, logY: low > 0 ? "auto" : false })]);
  host.innerHTML = svg.replace(/ width="[\d.]+" height="[\d.]+"/, "");
}
