import { contours } from "d3-contour";
import { interpolateViridis } from "d3-scale-chromatic";
import { InvalidOptionError } from "../errors.js";
import { checkChoice, checkFinite, checkList, checkNumbers, checkPanelOptions, checkStyle, checkText } from "./check-options.js";
import { casedLine, seriesStyle } from "./palette.js";
import { axes, type LegendEntry, legendLayout, makeScale, marker, type Panel, type PanelOptions, plotArea, titleLines } from "./panel.js";
import { escapeText, pathData, px } from "./svg-text.js";

/**
 * A grid of values: values at (x[c], y[r]), row by row, as a flat array (`values[r·x.length + c]`)
 * or anything with `get(r, c)` (the ndarray of `gradstep/learn`'s `landscape`).
 */
export interface GridValues {
  /** Evenly spaced, increasing. */
  readonly x: ArrayLike<number>;
  /** Evenly spaced, increasing. */
  readonly y: ArrayLike<number>;
  /** The values, row by row (`values[r·x.length + c]` at x[c], y[r]), or an ndarray-like `get(r, c)`. */
  readonly values: ArrayLike<number> | {
    /** The value at x[column], y[row]. */
    get(row: number, column: number): number;
  };
}

/** An optimizer's path: points (x, y), in order. */
export interface PathSpec {
  /** Its name in the legend. */
  readonly label: string;
  /** Each point as [x, y] (e.g. `minimize`'s `path`). Points that are not finite break the line. */
  readonly points: ArrayLike<ArrayLike<number>>;
  /**  @defaultValue the k-th colour of {@link PALETTE} for the k-th path (the k-th curve of {@link lossCurves} has it too) */
  readonly color?: string;
  /** An SVG stroke-dasharray ("" is solid). @defaultValue solid for the first 8, then each of {@link DASHES} in turn, 8 at a time */
  readonly dash?: string;
}

/** A marked point, e.g. a minimum. */
export interface MarkerSpec {
  /** Its name in the legend. */
  readonly label: string;
  /** Where, in data coordinates. */
  readonly x: number;
  /** Where, in data coordinates. */
  readonly y: number;
  /**  @defaultValue "star" */
  readonly symbol?: "star" | "circle" | "cross";
  /**  @defaultValue `"#ffffff"` (white) */
  readonly color?: string;
}

/** Options of {@link contourMap}. */
export interface ContourMapOptions extends PanelOptions {
  /** The landscape. */
  readonly grid: GridValues;
  /** How many filled levels, or the thresholds themselves. @defaultValue 14 */
  readonly levels?: number | readonly number[];
  /**
   * Level spacing: "log" spaces levels evenly in log(value − min + δ), for losses that span
   * decades; "auto" picks log when max − min > 100·(the 10th percentile − min).
   * @defaultValue "auto"
   */
  readonly scale?: "linear" | "log" | "auto";
  /** Optimizer paths drawn over the map, each with its start (●) and end (■). */
  readonly paths?: readonly PathSpec[];
  /** Marked points (minima, starts). */
  readonly markers?: readonly MarkerSpec[];
}

function readGrid(grid: GridValues): { nx: number; ny: number; values: Float64Array } {
  if (typeof grid !== "object" || grid === null) throw new InvalidOptionError("grid", grid, "x, y and values");
  const { x, y } = grid;
  checkNumbers("grid.x", x);
  checkNumbers("grid.y", y);
  const nx = x.length;
  const ny = y.length;
  if (nx < 2 || ny < 2) throw new InvalidOptionError("grid", grid, "x and y with at least 2 values each");
  for (const [name, axis] of [["grid.x", x], ["grid.y", y]] as const) {
    for (let i = 0; i < axis.length; i++) {
      if (!Number.isFinite(axis[i]) || (i > 0 && !(axis[i] > axis[i - 1]))) throw new InvalidOptionError(name, axis, "finite numbers, increasing", `at index ${i}`);
    }
  }
  const source = grid.values;
  const values = new Float64Array(nx * ny);
  if (typeof (source as { get?: unknown } | null)?.get === "function") {
    const get = source as { get(row: number, column: number): number };
    for (let r = 0; r < ny; r++) for (let c = 0; c < nx; c++) values[r * nx + c] = get.get(r, c);
  } else {
    checkNumbers("grid.values", source);
    const flat = source;
    if (flat.length !== nx * ny) throw new InvalidOptionError("grid.values", flat, `${nx * ny} values (x.length × y.length)`);
    for (let i = 0; i < values.length; i++) values[i] = flat[i];
  }
  return { nx, ny, values };
}

/**
 * A filled contour map of a 2-D landscape (levels by d3-contour, colours from viridis, dark = low),
 * with optimizer paths (start ●, end ■) and marked points over it. Paths take {@link PALETTE}'s
 * colours in order, as {@link lossCurves}' curves do, each over a black-and-white casing that shows on
 * every level.
 *
 * @example
 * ```ts
 * import { contourMap, figure } from "gradstep/plot";
 * const J = rosenbrock();
 * const land = landscape(J, { x: { from: -2, to: 2, points: 101 }, y: { from: -2, to: 2, points: 101 } });
 * const result = minimize({ objective: J, params: Float64Array.of(-1.5, 1.5), optimizer: new Adam({ lr: 0.05 }), steps: 200, record: {} });
 * const svg = figure([contourMap({ grid: land, paths: [{ label: "Adam", points: result.path }], title: "J(θ)" })]);
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} naming the option, before anything is drawn: a grid with fewer
 * than 2 values along an axis, axes that are not finite and increasing, values of another count than
 * x × y or not finite; `levels` that is not a whole number in [1, 1000] or finite thresholds; an
 * unknown `scale`, `legend` or marker symbol; a label that is not a string; a marker off the finite
 * plane; a width or height that leaves the plot less than 40 px.
 */
export function contourMap(options: ContourMapOptions): Panel {
  const { width, height } = checkPanelOptions(options);
  const { levels = 14, scale = "auto", paths = [], markers = [] } = options;
  checkChoice("scale", scale, ["linear", "log", "auto"]);
  if (typeof levels === "number" ? !Number.isSafeInteger(levels) || levels < 1 || levels > 1000 : !Array.isArray(levels) || levels.length === 0 || !Array.from(levels).every(Number.isFinite)) {
    throw new InvalidOptionError("levels", levels, "a whole number in [1, 1000], or finite thresholds");
  }
  checkList("paths", paths, false);
  paths.forEach((path, k) => {
    checkText(`paths[${k}].label`, path.label, false);
    checkNumbers(`paths[${k}].points`, path.points, "an array of points [x, y]");
    for (let i = 0; i < path.points.length; i++) checkNumbers(`paths[${k}].points[${i}]`, path.points[i], "a point [x, y]");
    checkStyle(`paths[${k}]`, path);
  });
  checkList("markers", markers, false);
  markers.forEach((m, k) => {
    checkText(`markers[${k}].label`, m.label, false);
    checkFinite(`markers[${k}].x`, m.x);
    checkFinite(`markers[${k}].y`, m.y);
    checkChoice(`markers[${k}].symbol`, m.symbol, ["star", "circle", "cross"]);
    checkText(`markers[${k}].color`, m.color, true);
  });
  const { nx, ny, values } = readGrid(options.grid);
  const gx = options.grid.x;
  const gy = options.grid.y;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (!values.every(Number.isFinite) || max - min === Infinity) throw new InvalidOptionError("grid.values", options.grid.values, "finite numbers");
  const sorted = Float64Array.from(values).sort();
  const p10 = sorted[Math.floor(0.1 * (sorted.length - 1))];
  const log = scale === "log" || (scale === "auto" && max - min > 100 * (p10 - min));
  const delta = (max - min) * 1e-4 || 1;
  // (on a log scale, a threshold at or below the least value holds the whole grid, as the least value itself does)
  const transform = (v: number) => (log ? Math.log10(Math.max(v, min) - min + delta) : v);
  const low = transform(min);
  const high = transform(max);
  const thresholds =
    typeof levels === "number"
      ? Array.from({ length: levels }, (_, k) => low + ((high - low) * k) / levels)
      : levels.map(transform);
  const area = plotArea(width, height, titleLines(options.title, width).length);
  const x = makeScale([gx[0], gx[nx - 1]], [area.left, area.right], false);
  const y = makeScale([gy[0], gy[ny - 1]], [area.bottom, area.top], false);
  const dx = (gx[nx - 1] - gx[0]) / (nx - 1);
  const dy = (gy[ny - 1] - gy[0]) / (ny - 1);
  // d3-contour puts value i + j·nx at (i + 0.5, j + 0.5) of a grid [0, nx] × [0, ny]; its rings
  // reach the grid's outer edge, half a cell beyond the last values, which is pulled in to them.
  const clamp = (t: number, n: number) => Math.min(Math.max(t, 0.5), n - 0.5);
  const toPixel = (u: number, v: number): [number, number] => [x(gx[0] + (clamp(u, nx) - 0.5) * dx), y(gy[0] + (clamp(v, ny) - 0.5) * dy)];
  const transformed = values.map(transform);
  const shapes = contours().size([nx, ny]).thresholds(thresholds)(Array.from(transformed));
  const styles = paths.map((path, k) => seriesStyle(k, path.color, path.dash));
  const entries: LegendEntry[] = [
    ...paths.map((path, k) => ({ label: path.label, ...styles[k] })),
    ...markers.map((m) => ({ label: m.label, color: m.color ?? "#ffffff", symbol: m.symbol ?? "star" })),
  ];
  const key = legendLayout(entries, width, options.legend, 3);

  return {
    width,
    height: height + key.extraHeight,
    render(id) {
      const parts: string[] = [
        `<clipPath id="${id}-clip"><rect x="${px(area.left)}" y="${px(area.top)}" width="${px(area.right - area.left)}" height="${px(area.bottom - area.top)}"/></clipPath>`,
        `<g clip-path="url(#${id}-clip)">`,
      ];
      for (const shape of shapes) {
        const d = shape.coordinates
          .flatMap((polygon) => polygon.map((ring) => `${pathData(ring.map(([u, v]) => toPixel(u, v)))}Z`))
          .join("");
        if (d === "") continue;
        const t = high === low ? 0 : (shape.value - low) / (high - low);
        parts.push(`<path d="${d}" fill="${interpolateViridis(t)}" fill-rule="evenodd" stroke="none"/>`);
      }
      paths.forEach((path, k) => {
        const { color, dash } = styles[k];
        const points = Array.from(path.points, (p) => (Number.isFinite(p[0]) && Number.isFinite(p[1]) ? ([x(p[0]), y(p[1])] as [number, number]) : undefined));
        parts.push(casedLine(pathData(points), color, dash, 1.8));
        const first = points.find((p) => p !== undefined);
        const last = [...points].reverse().find((p) => p !== undefined);
        if (first) parts.push(marker(first[0], first[1], "circle", color, 3.5));
        if (last) parts.push(marker(last[0], last[1], "square", color, 3));
      });
      for (const m of markers) parts.push(marker(x(m.x), y(m.y), m.symbol ?? "star", m.color ?? "#ffffff", 6));
      parts.push("</g>");
      parts.push(axes(area, x, y, false, false, options, width));
      parts.push(key.render(area, height));
      if (log) parts.push(`<text x="${px(area.right)}" y="${px(area.bottom + 36)}" text-anchor="end" fill="#555">${escapeText("levels: log scale")}</text>`);
      return parts.join("");
    },
  };
}
