import { escapeText, px } from "./svg-text.js";

// One look per run, shared by contourMap's paths and lossCurves' curves: the k-th path of a map and
// the k-th curve of a plot are drawn alike, so a figure that lists its runs in the same order needs
// one legend. Every line is drawn over a casing (a white band inside a black one), so that it stays
// visible on every colour of a contour map and on a white background.

/**
 * Okabe and Ito's eight colours, which people with any common colour-vision deficiency can tell
 * apart (Okabe & Ito, "Color Universal Design", 2008). Series 9 to 16 reuse them dashed, series 17 to
 * 24 dotted, and so on ({@link DASHES}).
 *
 * @example
 * ```ts
 * import { PALETTE } from "gradstep/plot";
 * const third = PALETTE[2]; // "#cc79a7", the third path on a map and the third curve of a plot
 * ```
 */
export const PALETTE: readonly string[] = ["#d55e00", "#56b4e9", "#cc79a7", "#e69f00", "#009e73", "#0072b2", "#f0e442", "#000000"];

/**
 * The dash patterns (SVG `stroke-dasharray`) of each round of {@link PALETTE}: solid for series 1 to
 * 8, then dashed, dotted, dash-dotted.
 *
 * @example
 * ```ts
 * import { DASHES } from "gradstep/plot";
 * DASHES[1]; // "7 4": series 9 to 16
 * ```
 */
export const DASHES: readonly string[] = ["", "7 4", "2 3", "9 3 2 3"];

/** How series `k` is drawn: its colour and dash pattern, unless it sets its own. */
export function seriesStyle(k: number, color: string | undefined, dash: string | undefined): { color: string; dash: string } {
  return {
    color: color ?? PALETTE[k % PALETTE.length],
    dash: dash ?? DASHES[Math.floor(k / PALETTE.length) % DASHES.length],
  };
}

/** The widths of a line's casing around a line of `width`: black outside, white inside. */
const CASING = { dark: 3.2, light: 1.6 };

/**
 * An SVG path of `d` drawn as a line of `color` and `width` (dashed when `dash` is not empty) over its
 * casing: a black band and a white band, so that it shows on dark and light backgrounds alike. The
 * casing is solid, so a dashed line shows white between its dashes. A line of colour `"none"` (a
 * series that only spans the axes) draws nothing, casing included.
 */
export function casedLine(d: string, color: string, dash: string, width: number): string {
  if (color.trim().toLowerCase() === "none") return "";
  const path = (stroke: string, w: number, pattern = "") =>
    `<path d="${d}" fill="none" stroke="${stroke}" stroke-width="${px(w)}" stroke-linejoin="round" ${pattern === "" ? 'stroke-linecap="round"' : `stroke-dasharray="${pattern}"`}/>`;
  // (color and dash are a user's strings, inside attributes)
  return path("#000", width + CASING.dark) + path("#fff", width + CASING.light) + path(escapeText(color), width, escapeText(dash));
}
