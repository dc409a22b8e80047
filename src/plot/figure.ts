import { InvalidOptionError } from "../errors.js";
import { checkText } from "./check-options.js";
import type { Panel } from "./panel.js";
import { px, textLines, wrapText } from "./svg-text.js";

/** Options of {@link figure}. */
export interface FigureOptions {
  /** Panels per row. @defaultValue `panels.length`: all in one row */
  columns?: number;
  /** A title above every panel, wrapped to the figure's width. */
  title?: string;
}

/**
 * Lays panels out in a grid and returns the whole figure as an SVG document (a string: no DOM
 * needed, the same bytes for the same input).
 *
 * @example
 * ```ts
 * import { writeFileSync } from "node:fs";
 * import { contourMap, figure, lossCurves } from "gradstep/plot";
 * writeFileSync("fig.svg", figure([contourMap({ grid }), lossCurves({ series })], { columns: 2 }));
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for no panels, a panel without a finite size or `render`, a title that is not a string, or `columns` that is not a whole number ≥ 1.
 */
export function figure(panels: readonly Panel[], options: FigureOptions = {}): string {
  if (!Array.isArray(panels) || panels.length === 0) throw new InvalidOptionError("panels", panels, "at least one panel");
  panels.forEach((panel, i) => {
    if (typeof panel?.render !== "function" || !(panel.width > 0 && panel.width < Infinity) || !(panel.height > 0 && panel.height < Infinity)) {
      throw new InvalidOptionError(`panels[${i}]`, panel, "a panel (a finite width and height, and render)");
    }
  });
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "an object");
  checkText("title", options.title, true);
  const columns = options.columns ?? panels.length;
  if (!Number.isSafeInteger(columns) || columns < 1) throw new InvalidOptionError("columns", columns, "a whole number ≥ 1");
  // each column as wide as its widest panel, each row as tall as its tallest: panels of different
  // sizes stacked in one column (the way to fit a page's column) leave no gaps
  const count = Math.min(columns, panels.length);
  const widths = Array.from({ length: count }, (_, c) => Math.max(...panels.filter((_, i) => i % columns === c).map((p) => p.width)));
  const heights = Array.from({ length: Math.ceil(panels.length / columns) }, (_, r) => Math.max(...panels.slice(r * columns, (r + 1) * columns).map((p) => p.height)));
  const at = (sizes: number[], k: number) => sizes.slice(0, k).reduce((a, b) => a + b, 0);
  const panelsWidth = at(widths, count);
  // a title wider than the panels wraps (about 9 px a character at 16 px bold) rather than widening the figure
  const title = options.title ? wrapText(options.title, panelsWidth - 20, 9) : [];
  const top = title.length === 0 ? 0 : 14 + 20 * title.length;
  const width = panelsWidth;
  const height = top + at(heights, heights.length);
  const body = panels.map((panel, i) => {
    const dx = at(widths, i % columns);
    const dy = top + at(heights, Math.floor(i / columns));
    return `<g transform="translate(${px(dx)},${px(dy)})">${panel.render(`p${i}`)}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    title.length === 0 ? "" : textLines(title, width / 2, 23, 20, 'text-anchor="middle" font-size="16" font-weight="bold"'),
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
