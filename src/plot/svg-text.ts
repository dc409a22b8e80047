// Deterministic SVG text: coordinates rounded to 0.01 px (the same numbers give the same bytes, in
// Node and in browsers), no "-0", text escaped.

/** A coordinate or length, rounded to 0.01. */
export function px(value: number): string {
  const rounded = Math.round(value * 100) / 100;
  return String(rounded === 0 ? 0 : rounded);
}

/**
 * Text escaped for SVG content and attribute values; the characters XML forbids (the C0 controls but
 * tab, newline and carriage return, and U+FFFE, U+FFFF) become U+FFFD, so the file stays well-formed.
 */
export function escapeText(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "\uFFFD");
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

/**
 * `text` broken at spaces into lines of at most `width` px, estimating each character as
 * `charWidth` px (a title that does not fit its panel wraps rather than shrinks).
 */
export function wrapText(text: string, width: number, charWidth: number): string[] {
  const perLine = Math.max(1, Math.floor(width / charWidth));
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > perLine) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  lines.push(line);
  return lines;
}

/** Lines of text as one `<text>` with a `<tspan>` per line, `lineHeight` px apart, the first at y. */
export function textLines(lines: readonly string[], x: number, y: number, lineHeight: number, attributes: string): string {
  if (lines.length === 1) return `<text x="${px(x)}" y="${px(y)}" ${attributes}>${escapeText(lines[0])}</text>`;
  const spans = lines.map((line, i) => `<tspan x="${px(x)}" y="${px(y + i * lineHeight)}">${escapeText(line)}</tspan>`).join("");
  return `<text ${attributes}>${spans}</text>`;
}
