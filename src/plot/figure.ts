import { InvalidOptionError } from "../errors.js";
import type { Panel } from "./panel.js";
import { escapeText, px } from "./svg-text.js";

/** Options of {@link figure}. */
export interface FigureOptions {
  /** Panels per row. Default: all in one row. */
  columns?: number;
  /** A title above every panel. */
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
 */
export function figure(panels: readonly Panel[], options: FigureOptions = {}): string {
  if (!Array.isArray(panels) || panels.length === 0) throw new InvalidOptionError("panels", panels, "at least one panel");
  const columns = options.columns ?? panels.length;
  if (!Number.isSafeInteger(columns) || columns < 1) throw new InvalidOptionError("columns", columns, "a whole number ≥ 1");
  const cellWidth = Math.max(...panels.map((p) => p.width));
  const cellHeight = Math.max(...panels.map((p) => p.height));
  const rows = Math.ceil(panels.length / columns);
  const top = options.title ? 34 : 0;
  // wide enough for the title too (about 9 px per character at 16 px bold)
  const width = Math.max(Math.min(columns, panels.length) * cellWidth, options.title ? Math.ceil(options.title.length * 9 + 40) : 0);
  const height = top + rows * cellHeight;
  const body = panels.map((panel, i) => {
    const dx = (i % columns) * cellWidth;
    const dy = top + Math.floor(i / columns) * cellHeight;
    return `<g transform="translate(${px(dx)},${px(dy)})">${panel.render(`p${i}`)}</g>`;
  });
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px(width)}" height="${px(height)}" viewBox="0 0 ${px(width)} ${px(height)}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    options.title ? `<text x="${px(width / 2)}" y="23" text-anchor="middle" font-size="16" font-weight="bold">${escapeText(options.title)}</text>` : "",
    ...body,
    "</svg>",
    "",
  ].join("\n");
}
