import { InvalidOptionError } from "../errors.js";
import { checkChoice, checkList, checkNumbers, checkPanelOptions, checkStyle, checkText, extent } from "./check-options.js";
import { casedLine, seriesStyle } from "./palette.js";
import { axes, legendLayout, makeScale, type Panel, type PanelOptions, plotArea, titleLines } from "./panel.js";
import { pathData, px } from "./svg-text.js";

/** One curve of {@link lossCurves}. */
export interface Series {
  /** Its name in the legend. */
  readonly label: string;
  /** The y values (e.g. the loss at each recorded step). */
  readonly values: ArrayLike<number>;
  /** The x values (e.g. `minimize`'s `recordedSteps`). @defaultValue `0,` 1, 2, … */
  readonly x?: ArrayLike<number>;
  /**  @defaultValue the k-th colour of {@link PALETTE} for the k-th series (the k-th path of {@link contourMap} has it too) */
  readonly color?: string;
  /** An SVG stroke-dasharray ("" is solid). @defaultValue solid for the first 8, then each of {@link DASHES} in turn, 8 at a time */
  readonly dash?: string;
}

/** Options of {@link lossCurves}. */
export interface LossCurvesOptions extends PanelOptions {
  /** The curves, at least one. */
  readonly series: readonly Series[];
  /** Log y axis: true, false, or "auto". @defaultValue `"auto"`: when the positive values span 2 decades or more */
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

/**
 * Curves of y against x (a loss against the step), with a log y axis when the values span decades.
 * Points that are not finite, or not positive on a log axis, break the curve. Curves take
 * {@link PALETTE}'s colours in order, as {@link contourMap}'s paths do.
 *
 * @example
 * ```ts
 * import { figure, lossCurves } from "gradstep/plot";
 * const svg = figure([lossCurves({ series: [{ label: "Adam", x: result.recordedSteps, values: result.losses }], xLabel: "step" })]);
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} naming the option, before anything is drawn: no series, a
 * series whose `x` and `values` are not arrays or differ in length, a label that is not a string, an
 * unknown `logY` or `legend`, a width or height that leaves the plot less than 40 px.
 */
export function lossCurves(options: LossCurvesOptions): Panel {
  const { width, height } = checkPanelOptions(options);
  const series = options.series;
  checkList("series", series, false);
  if (series.length === 0) throw new InvalidOptionError("series", series, "at least one series");
  checkChoice("logY", options.logY, [true, false, "auto"]);
  series.forEach((s, k) => {
    checkText(`series[${k}].label`, s.label, false);
    checkNumbers(`series[${k}].values`, s.values);
    if (s.x !== undefined) checkNumbers(`series[${k}].x`, s.x);
    checkStyle(`series[${k}]`, s);
  });
  const xs: number[][] = series.map((s) => (s.x === undefined ? Array.from(s.values as ArrayLike<number>, (_, i) => i) : Array.from(s.x as ArrayLike<number>)));
  series.forEach((s, k) => {
    if (xs[k].length !== s.values.length) throw new InvalidOptionError(`series[${k}].x`, s.x, `${s.values.length} values, as many as values`);
  });
  const finite: number[] = series.flatMap((s) => Array.from(s.values as ArrayLike<number>).filter((v) => Number.isFinite(v)).map(limited));
  const positive = finite.filter((v) => v > 0);
  const [positiveLow, positiveHigh] = extent(positive);
  const logY = options.logY === true || ((options.logY ?? "auto") === "auto" && positive.length > 0 && positiveHigh >= 100 * positiveLow);
  const yValues = logY ? positive : finite;
  // (nothing to draw: an empty axis, one decade on a log one)
  let [yLow, yHigh] = yValues.length > 0 ? extent(yValues) : logY ? [1, 10] : [0, 1];
  // (one value: a factor of 2 each way, where that stays positive and finite)
  if (logY && yLow === yHigh) [yLow, yHigh] = [yLow / 2 > 0 ? yLow / 2 : yLow, yHigh * 2 < Infinity ? yHigh * 2 : yHigh];
  if (!logY) [yLow, yHigh] = widened(yLow, yHigh);
  const allX = xs.flat().filter(Number.isFinite).map(limited);
  // (no finite x: an axis 0…1 with nothing on it)
  const [xLow, xHigh] = widened(...(allX.length > 0 ? extent(allX) : ([0, 1] as [number, number])));
  const area = plotArea(width, height, titleLines(options.title, width).length);
  const x = makeScale([xLow, xHigh], [area.left, area.right], false);
  const y = makeScale([yLow, yHigh], [area.bottom, area.top], logY);
  if (!logY) y.nice();
  const styles = series.map((s, k) => seriesStyle(k, s.color, s.dash));
  const key = legendLayout(series.map((s, k) => ({ label: s.label, ...styles[k] })), width, options.legend, 6);
  return {
    width,
    height: height + key.extraHeight,
    render(id) {
      const parts = [
        `<clipPath id="${id}-clip"><rect x="${px(area.left - 2)}" y="${px(area.top - 2)}" width="${px(area.right - area.left + 4)}" height="${px(area.bottom - area.top + 4)}"/></clipPath>`,
        `<g clip-path="url(#${id}-clip)">`,
      ];
      series.forEach((s, k) => {
        const { color, dash } = styles[k];
        const points = Array.from(s.values as ArrayLike<number>, (v: number, i: number) =>
          Number.isFinite(v) && Number.isFinite(xs[k][i]) && (!logY || v > 0) ? ([x(limited(xs[k][i])), y(limited(v))] as [number, number]) : undefined,
        );
        parts.push(casedLine(pathData(points), color, dash, 1.6));
      });
      parts.push("</g>", axes(area, x, y, false, logY, options, width), key.render(area, height));
      return parts.join("");
    },
  };
}
