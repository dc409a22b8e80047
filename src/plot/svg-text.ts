// Deterministic SVG text: coordinates rounded to 0.01 px (the same numbers give the same bytes, in
// Node and in browsers), no "-0", text escaped.

/** A coordinate or length, rounded to 0.01. */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/** Text escaped for SVG content and attribute values. */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** A polyline's `d` attribute from pixel points; `undefined` points break the line. */
export function pathData(points: readonly ([number, number] | undefined)[]): string {
  let d = "";
  let pen = false;
  for (const point of points) {
    if (point === undefined) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${px(point[0])},${px(point[1])}`;
    pen = true;
  }
  return d;
}
