import { InvalidOptionError } from "../errors.js";
import { axes, legendLayout, makeScale, type Panel, type PanelOptions, plotArea } from "./panel.js";
import { pathData, px } from "./svg-text.js";

/** One curve of {@link lossCurves}. */
export interface Series {
  /** Its name in the legend. */
  readonly label: string;
  /** The y values (e.g. the loss at each recorded step). */
  readonly values: ArrayLike<number>;
  /** The x values (e.g. `minimize`'s `recordedSteps`). Default 0, 1, 2, … */
  readonly x?: ArrayLike<number>;
  /** Default: the next of d3's Tableau10 colours. */
  readonly color?: string;
}

/** Options of {@link lossCurves}. */
export interface LossCurvesOptions extends PanelOptions {
  /** The curves, at least one. */
  readonly series: readonly Series[];
  /** Log y axis: true, false, or "auto" (default: when the positive values span 2 decades or more). */
  readonly logY?: boolean | "auto";
}

/** Values are drawn within ±1e300, so that the axis's span stays a finite double. */
const LIMIT = 1e300;
const limited = (v: number) => Math.min(Math.max(v, -LIMIT), LIMIT);

/** A linear axis's domain, widened when its span is too small for ticks (constant or subnormal data). */
function widened(low: number, high: number): [number, number] {
  const magnitude = Math.max(Math.abs(low), Math.abs(high));
  if (high - low > Math.max(magnitude * 1e-9, 1e-290)) return [low, high];
  const pad = magnitude > 1e-290 ? magnitude / 2 : 1;
  return [low - pad, high + pad];
}

/** d3-scale-chromatic's schemeTableau10, then five more, so that 15 curves get distinct colours. */
export const SERIES_COLORS = [
  "#4e79a7", "#f28e2c", "#e15759", "#76b7b2", "#59a14f", "#edc949", "#af7aa1", "#ff9da7", "#9c755f", "#bab0ab",
  "#1b9e77", "#7570b3", "#222222", "#e7298a", "#66a61e",
];

/**
 * Curves of y against x (a loss against the step), with a log y axis when the values span decades.
 * Points that are not finite, or not positive on a log axis, break the curve.
 *
 * @example
 * ```ts
 * import { figure, lossCurves } from "gradstep/plot";
 * const svg = figure([lossCurves({ series: [{ label: "Adam", x: r.recordedSteps, values: r.losses }], xLabel: "step" })]);
 * ```
 */
export function lossCurves(options: LossCurvesOptions): Panel {
  const width = options.width ?? 480;
  const height = options.height ?? 400;
  const series = options.series ?? [];
  if (!Array.isArray(series) || series.length === 0) throw new InvalidOptionError("series", series, "at least one series");
  const xs: number[][] = series.map((s) => (s.x === undefined ? Array.from(s.values as ArrayLike<number>, (_, i) => i) : Array.from(s.x as ArrayLike<number>)));
  series.forEach((s, k) => {
    if (xs[k].length !== s.values.length) throw new InvalidOptionError(`series[${k}].x`, s.x, `${s.values.length} values, as many as values`);
  });
  const finite: number[] = series.flatMap((s) => Array.from(s.values as ArrayLike<number>).filter((v) => Number.isFinite(v)).map(limited));
  const positive = finite.filter((v) => v > 0);
  const logY = options.logY === true || ((options.logY ?? "auto") === "auto" && positive.length > 0 && Math.max(...positive) >= 100 * Math.min(...positive));
  const yValues = logY ? positive : finite;
  let yLow = yValues.length > 0 ? Math.min(...yValues) : 0;
  let yHigh = yValues.length > 0 ? Math.max(...yValues) : 1;
  if (logY && yLow === yHigh) [yLow, yHigh] = [yLow / 2, yHigh * 2];
  if (!logY) [yLow, yHigh] = widened(yLow, yHigh);
  const allX = xs.flat().filter(Number.isFinite).map(limited);
  let xLow = Math.min(...allX);
  let xHigh = Math.max(...allX);
  [xLow, xHigh] = widened(xLow, xHigh);
  const area = plotArea(width, height);
  const x = makeScale([xLow, xHigh], [area.left, area.right], false);
  const y = makeScale([yLow, yHigh], [area.bottom, area.top], logY);
  if (!logY) y.nice();
  const colors = series.map((s, k) => s.color ?? SERIES_COLORS[k % SERIES_COLORS.length]);
  const key = legendLayout(series.map((s, k) => ({ label: s.label, color: colors[k] })), width, options.legend, 6);
  return {
    width,
    height: height + key.extraHeight,
    render(id) {
      const parts = [
        `<clipPath id="${id}-clip"><rect x="${px(area.left - 2)}" y="${px(area.top - 2)}" width="${px(area.right - area.left + 4)}" height="${px(area.bottom - area.top + 4)}"/></clipPath>`,
        `<g clip-path="url(#${id}-clip)">`,
      ];
      series.forEach((s, k) => {
        const color = colors[k];
        const points = Array.from(s.values as ArrayLike<number>, (v: number, i: number) =>
          Number.isFinite(v) && Number.isFinite(xs[k][i]) && (!logY || v > 0) ? ([x(limited(xs[k][i])), y(limited(v))] as [number, number]) : undefined,
        );
        parts.push(`<path d="${pathData(points)}" fill="none" stroke="${color}" stroke-width="1.6" stroke-linejoin="round"/>`);
      });
      parts.push("</g>", axes(area, x, y, false, logY, options, width), key.render(area, height));
      return parts.join("");
    },
  };
}
