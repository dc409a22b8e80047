import { InvalidOptionError } from "../errors.js";
import { type PanelOptions, plotArea, titleLines } from "./panel.js";

// Checks of what a user hands to gradstep/plot: each refuses with an InvalidOptionError naming the
// option, before anything is drawn, instead of a TypeError from deep inside or "NaN" in the SVG.

/** The smallest plot area, in px each way, that still shows ticks and a curve. */
const MIN_PLOT = 40;

/** A string, or undefined where the option may be left out. */
export function checkText(name: string, value: unknown, optional: boolean): void {
  if (typeof value === "string" || (optional && value === undefined)) return;
  throw new InvalidOptionError(name, value, optional ? "a string or undefined" : "a string");
}

/** One of `allowed`, or undefined. */
export function checkChoice(name: string, value: unknown, allowed: readonly unknown[]): void {
  if (value !== undefined && !allowed.includes(value)) throw new InvalidOptionError(name, value, `one of ${allowed.map((a) => JSON.stringify(a)).join(", ")}`);
}

/** A finite number. */
export function checkFinite(name: string, value: unknown): void {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new InvalidOptionError(name, value, "a finite number");
}

/** An array-like of numbers (its entries may be NaN: they break a line), e.g. a Float64Array. */
export function checkNumbers(name: string, value: unknown, expected = "an array of numbers"): asserts value is ArrayLike<number> {
  const length = (value as { length?: unknown } | null | undefined)?.length;
  if (typeof value === "string" || typeof length !== "number" || !Number.isSafeInteger(length) || length < 0) {
    throw new InvalidOptionError(name, value, expected);
  }
}

/** What every panel takes: text options, the legend's place, and a size that leaves a plot area of at least 40 px each way. */
export function checkPanelOptions(options: PanelOptions): { width: number; height: number } {
  if (typeof options !== "object" || options === null) throw new InvalidOptionError("options", options, "an object");
  for (const name of ["title", "xLabel", "yLabel"] as const) checkText(name, options[name], true);
  checkChoice("legend", options.legend, ["inside", "below", "none"]);
  const width = options.width ?? 480;
  const height = options.height ?? 400;
  checkFinite("width", width);
  checkFinite("height", height);
  const area = plotArea(width, height, titleLines(options.title, width).length);
  const minWidth = width - (area.right - area.left) + MIN_PLOT;
  const minHeight = height - (area.bottom - area.top) + MIN_PLOT;
  if (width < minWidth) throw new InvalidOptionError("width", width, `a number ≥ ${minWidth} (a plot area of ${MIN_PLOT} px)`);
  if (height < minHeight) throw new InvalidOptionError("height", height, `a number ≥ ${minHeight} (a plot area of ${MIN_PLOT} px under this title)`);
  return { width, height };
}

/** A line's or a marker's colour and dash pattern: strings, or undefined for the defaults. */
export function checkStyle(name: string, style: { color?: unknown; dash?: unknown }): void {
  checkText(`${name}.color`, style.color, true);
  checkText(`${name}.dash`, style.dash, true);
}

/** A list of items (series, paths, markers), each an object. */
export function checkList(name: string, value: unknown, optional: boolean): asserts value is readonly object[] {
  if (optional && value === undefined) return;
  if (!Array.isArray(value)) throw new InvalidOptionError(name, value, optional ? "an array or undefined" : "an array");
  // (every index, holes included: forEach would skip a hole)
  for (let k = 0; k < value.length; k++) {
    if (typeof value[k] !== "object" || value[k] === null) throw new InvalidOptionError(`${name}[${k}]`, value[k], "an object");
  }
}

/** The least and the greatest of `values` (a loop: spreading a long array into Math.min overflows the stack). */
export function extent(values: ArrayLike<number>): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < low) low = values[i];
    if (values[i] > high) high = values[i];
  }
  return [low, high];
}
