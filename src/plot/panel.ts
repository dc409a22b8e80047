import { type ScaleContinuousNumeric, scaleLinear, scaleLog } from "d3-scale";
import { casedLine } from "./palette.js";
import { escapeText, px, textLines, wrapText } from "./svg-text.js";

/**
 * One plot of a figure: a size and a function that draws it as SVG elements in its own coordinates
 * (0…width × 0…height). {@link figure} lays panels out and wraps them in an `<svg>`.
 *
 * @example
 * ```ts
 * const panel: Panel = lossCurves({ series: [{ label: "Adam", values: losses }] });
 * writeFileSync("loss.svg", figure([panel]));
 * ```
 */
export interface Panel {
  /** In px. */
  readonly width: number;
  /** In px. */
  readonly height: number;
  /** The SVG elements; `id` is unique in the figure (for clip paths). */
  render(id: string): string;
}

/** What every panel takes. */
export interface PanelOptions {
  /** Shown above the plot. */
  title?: string;
  /** Under the x axis. */
  xLabel?: string;
  /** Beside the y axis. */
  yLabel?: string;
  /** In px. @defaultValue 480 */
  width?: number;
  /** In px. @defaultValue `400` (a legend below the plot adds its own height) */
  height?: number;
  /**
   * Where the legend goes: in the plot's top-right corner, in rows below the plot, or nowhere.
   * @defaultValue `"inside"` for a few entries, `"below"` for more
   */
  legend?: "inside" | "below" | "none";
}

/** The plot area inside a panel (room for the title, ticks and labels). */
export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A panel title's lines: 14 px bold, wrapped to the panel's width (about 8 px a character). */
export function titleLines(title: string | undefined, width: number): string[] {
  return title === undefined || title === "" ? [] : wrapText(title, width - 16, 8);
}

/** The plot area of a panel of width × height px whose title takes `titleLineCount` lines (17 px each). */
export function plotArea(width: number, height: number, titleLineCount = 1): PlotArea {
  return { left: 62, top: 30 + 17 * Math.max(0, titleLineCount - 1), right: width - 24, bottom: height - 46 };
}

export type Scale = ScaleContinuousNumeric<number, number>;

/** A linear or log scale from a data domain onto a pixel range. */
export function makeScale(domain: [number, number], range: [number, number], log: boolean): Scale {
  return (log ? scaleLog() : scaleLinear()).domain(domain).range(range);
}

/** Tick values and labels: d3's "nice" ticks; on a log axis, the powers of ten only. */
function ticks(scale: Scale, log: boolean, count: number): { value: number; label: string }[] {
  if (log) {
    const [a, b] = scale.domain();
    const values: number[] = [];
    const low = Math.ceil(Math.log10(Math.min(a, b)) - 1e-9);
    const high = Math.floor(Math.log10(Math.max(a, b)) + 1e-9);
    // (a domain reaching 0 or ∞ would never end the loop: no ticks there)
    if (Number.isFinite(low) && Number.isFinite(high)) for (let e = low; e <= high; e++) values.push(e);
    const step = Math.max(1, Math.ceil(values.length / count));
    return values.filter((_, i) => i % step === 0).map((e) => ({ value: 10 ** e, label: e >= -3 && e <= 3 ? String(10 ** e) : `1e${e}` }));
  }
  const format = scale.tickFormat(count);
  return scale.ticks(count).map((value) => ({ value, label: format(value).replace("−", "-") }));
}

/** The frame, axes with ticks and labels, and the title. */
export function axes(area: PlotArea, x: Scale, y: Scale, logX: boolean, logY: boolean, options: PanelOptions, width: number): string {
  const parts: string[] = [
    `<rect x="${px(area.left)}" y="${px(area.top)}" width="${px(area.right - area.left)}" height="${px(area.bottom - area.top)}" fill="none" stroke="#333"/>`,
  ];
  for (const tick of ticks(x, logX, 6)) {
    const at = x(tick.value);
    parts.push(
      `<line x1="${px(at)}" y1="${px(area.bottom)}" x2="${px(at)}" y2="${px(area.bottom + 5)}" stroke="#333"/>`,
      `<text x="${px(at)}" y="${px(area.bottom + 17)}" text-anchor="middle">${escapeText(tick.label)}</text>`,
    );
  }
  for (const tick of ticks(y, logY, 6)) {
    const at = y(tick.value);
    parts.push(
      `<line x1="${px(area.left - 5)}" y1="${px(at)}" x2="${px(area.left)}" y2="${px(at)}" stroke="#333"/>`,
      `<text x="${px(area.left - 8)}" y="${px(at + 4)}" text-anchor="end">${escapeText(tick.label)}</text>`,
    );
  }
  const title = titleLines(options.title, width);
  if (title.length > 0) parts.push(textLines(title, width / 2, 19, 17, 'text-anchor="middle" font-size="14" font-weight="bold"'));
  if (options.xLabel) parts.push(`<text x="${px((area.left + area.right) / 2)}" y="${px(area.bottom + 36)}" text-anchor="middle">${escapeText(options.xLabel)}</text>`);
  if (options.yLabel) {
    const cy = (area.top + area.bottom) / 2;
    parts.push(`<text x="14" y="${px(cy)}" text-anchor="middle" transform="rotate(-90 14 ${px(cy)})">${escapeText(options.yLabel)}</text>`);
  }
  return parts.join("");
}

/** One line of a legend. */
export interface LegendEntry {
  label: string;
  color: string;
  /** A line or a marker symbol. @defaultValue `"line"` */
  symbol?: "line" | "star" | "circle" | "cross";
  /** A line's dash pattern (SVG stroke-dasharray); "" is solid. @defaultValue `""` */
  dash?: string;
}

/** How a panel's legend is drawn, and the height it adds below the plot. */
export interface LegendLayout {
  readonly extraHeight: number;
  render(area: PlotArea, height: number): string;
}

/**
 * The legend of a panel of `width` px: `position` as asked, or by default inside for up to
 * `insideLimit` entries and below for more. Entries with an empty label are left out.
 */
export function legendLayout(all: readonly LegendEntry[], width: number, position: PanelOptions["legend"], insideLimit: number): LegendLayout {
  const entries = all.filter((e) => e.label !== "");
  const where = position ?? (entries.length <= insideLimit ? "inside" : "below");
  if (where === "none" || entries.length === 0) return { extraHeight: 0, render: () => "" };
  if (where === "inside") return { extraHeight: 0, render: (area) => legend(area, entries) };
  // below: entries flow left to right in rows
  const placed: { entry: LegendEntry; x: number; row: number }[] = [];
  let x = 14;
  let row = 0;
  for (const entry of entries) {
    const w = 40 + 6.5 * entry.label.length;
    if (x + w > width - 10 && x > 14) {
      row++;
      x = 14;
    }
    placed.push({ entry, x, row });
    x += w;
  }
  const rows = row + 1;
  return {
    extraHeight: rows * 17 + 8,
    render: (_area, height) =>
      placed
        .map(({ entry, x: at, row: r }) => {
          const cy = height + 8 + r * 17;
          return legendSymbol(entry, at, cy) + `<text x="${px(at + 24)}" y="${px(cy + 4)}">${escapeText(entry.label)}</text>`;
        })
        .join(""),
  };
}

/** A legend's sample: a cased line 20 px long (as paths and curves are drawn), or the marker. */
function legendSymbol(entry: LegendEntry, x: number, cy: number): string {
  return entry.symbol === undefined || entry.symbol === "line"
    ? casedLine(`M${px(x)},${px(cy)}L${px(x + 20)},${px(cy)}`, entry.color, entry.dash ?? "", 2)
    : marker(x + 10, cy, entry.symbol, entry.color, 5);
}

/** A legend box in the top-right corner of the plot area. */
export function legend(area: PlotArea, entries: readonly LegendEntry[]): string {
  if (entries.length === 0) return "";
  const rowHeight = 16;
  const width = 30 + 7 * Math.max(...entries.map((e) => e.label.length));
  const x = area.right - width - 6;
  const y = area.top + 6;
  const parts = [`<rect x="${px(x)}" y="${px(y)}" width="${px(width)}" height="${px(entries.length * rowHeight + 6)}" fill="#fff" fill-opacity="0.85" stroke="#999"/>`];
  entries.forEach((entry, i) => {
    const cy = y + 11 + i * rowHeight;
    parts.push(legendSymbol(entry, x + 4, cy), `<text x="${px(x + 28)}" y="${px(cy + 4)}">${escapeText(entry.label)}</text>`);
  });
  return parts.join("");
}

/** A marker symbol centred at (x, y). */
export function marker(x: number, y: number, symbol: "star" | "circle" | "cross" | "square", given: string, size: number): string {
  const color = escapeText(given); // a user's string, inside an attribute
  if (symbol === "circle") return `<circle cx="${px(x)}" cy="${px(y)}" r="${px(size)}" fill="${color}" stroke="#000" stroke-width="0.8"/>`;
  if (symbol === "square") return `<rect x="${px(x - size)}" y="${px(y - size)}" width="${px(2 * size)}" height="${px(2 * size)}" fill="${color}" stroke="#000" stroke-width="0.8"/>`;
  if (symbol === "cross") {
    return `<path d="M${px(x - size)},${px(y - size)}L${px(x + size)},${px(y + size)}M${px(x - size)},${px(y + size)}L${px(x + size)},${px(y - size)}" stroke="${color}" stroke-width="2.5"/>`;
  }
  const points: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? size * 1.4 : size * 0.6;
    const angle = -Math.PI / 2 + (k * Math.PI) / 5;
    points.push(`${px(x + r * Math.cos(angle))},${px(y + r * Math.sin(angle))}`);
  }
  return `<polygon points="${points.join(" ")}" fill="${color}" stroke="#000" stroke-width="0.8"/>`;
}
