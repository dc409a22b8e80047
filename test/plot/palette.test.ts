// One palette for paths and curves: colour-blind safe (checked under simulated colour-vision
// deficiencies), the same look for the k-th path and the k-th curve, dashes past eight, lines cased so
// that they show on every colour of viridis; titles that wrap instead of shrinking.
import { interpolateViridis } from "d3-scale-chromatic";
import { contourMap, DASHES, figure, lossCurves, PALETTE } from "gradstep/plot";
import { describe, expect, test } from "vitest";

const linear = (c: number) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
/** sRGB "#rrggbb" (or d3's "rgb(r, g, b)") as linear RGB in [0, 1]. */
function rgb(color: string): number[] {
  const bytes = color.startsWith("#") ? [1, 3, 5].map((i) => Number.parseInt(color.slice(i, i + 2), 16)) : color.match(/\d+/g)!.map(Number);
  return bytes.map((b) => linear(b / 255));
}
/** CIE L*a*b* (D65) of a linear RGB colour, clipped to the gamut. */
function lab(c: number[]): number[] {
  const [r, g, b] = c.map((v) => Math.min(1, Math.max(0, v)));
  const X = 0.4124 * r + 0.3576 * g + 0.1805 * b;
  const Y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  const Z = 0.0193 * r + 0.1192 * g + 0.9505 * b;
  const f = (t: number) => (t > (6 / 29) ** 3 ? Math.cbrt(t) : t / (3 * (6 / 29) ** 2) + 4 / 29);
  const [fx, fy, fz] = [f(X / 0.95047), f(Y), f(Z / 1.08883)];
  return [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)];
}
/** WCAG 2 contrast ratio of two colours. */
function contrast(a: string, b: string): number {
  const luminance = (c: string) => {
    const [r, g, bl] = rgb(c);
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}
// Machado, Oliveira & Fernandes (2009), complete deficiency (severity 1.0), on linear RGB.
const SIMULATIONS: Record<string, number[][]> = {
  protanopia: [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
  deuteranopia: [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.01182, 0.04294, 0.968881]],
  tritanopia: [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.3039]],
  "normal vision": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
};

/** Each drawn line (a path with fill="none") as its d, stroke, width and dash pattern, in order. */
function lines(svg: string): { d: string; stroke: string; width: number; dash: string }[] {
  return [...svg.matchAll(/<path d="([^"]*)" fill="none" stroke="([^"]*)" stroke-width="([^"]*)"([^>]*)\/>/g)].map((m) => ({
    d: m[1],
    stroke: m[2],
    width: Number(m[3]),
    dash: m[4].match(/stroke-dasharray="([^"]*)"/)?.[1] ?? "",
  }));
}

const bowl = { x: [-2, -1, 0, 1, 2], y: [-1, 0, 1], values: [5, 2, 1, 2, 5, 4, 1, 0, 1, 4, 5, 2, 1, 2, 5] };

describe("one palette for paths and curves", () => {
  test("eight colours that stay apart under protanopia, deuteranopia and tritanopia (ΔE*76 ≥ 15 for every pair)", () => {
    expect(PALETTE).toHaveLength(8);
    for (const [name, m] of Object.entries(SIMULATIONS)) {
      const seen = PALETTE.map((hex) => {
        const c = rgb(hex);
        return lab(m.map((row) => row[0] * c[0] + row[1] * c[1] + row[2] * c[2]));
      });
      let closest = Infinity;
      for (let i = 0; i < seen.length; i++) for (let j = i + 1; j < seen.length; j++) closest = Math.min(closest, Math.hypot(...seen[i].map((v, k) => v - seen[j][k])));
      expect(closest, name).toBeGreaterThanOrEqual(15); // measured: 20.7 protanopia, 17.0 deuteranopia, 16.1 tritanopia, 26.4 normal
    }
  });

  test("the k-th path of a map and the k-th curve of a plot look the same; past eight, the colours come back dashed", () => {
    const n = 17;
    const paths = Array.from({ length: n }, (_, k) => ({ label: `run ${k}`, points: [[-2 + k / 10, -1], [0, 0]] }));
    const series = Array.from({ length: n }, (_, k) => ({ label: `run ${k}`, values: [n - k, 1] }));
    const look = (svg: string) => lines(svg.slice(svg.indexOf("<g clip-path"), svg.indexOf("</g>"))).filter((l) => l.stroke !== "#000" && l.stroke !== "#fff");
    const map = look(figure([contourMap({ grid: bowl, paths, legend: "none" })]));
    const curves = look(figure([lossCurves({ series, legend: "none" })]));
    expect(map).toHaveLength(n);
    expect(map.map((l) => [l.stroke, l.dash])).toEqual(curves.map((l) => [l.stroke, l.dash]));
    expect(map.map((l) => l.stroke)).toEqual(Array.from({ length: n }, (_, k) => PALETTE[k % 8]));
    expect(map.map((l) => l.dash)).toEqual([...Array(8).fill(""), ...Array(8).fill(DASHES[1]), DASHES[2]]);
    expect(DASHES[1]).not.toBe("");
    // the legend shows the pattern too: the 9th entry's sample is dashed
    const legend = figure([lossCurves({ series, legend: "below" })]);
    const samples = lines(legend.slice(legend.indexOf("</g>"))).filter((l) => l.stroke === PALETTE[0]);
    expect(samples.map((l) => l.dash)).toEqual(["", DASHES[1], DASHES[2]]);
    // a colour or pattern given by the caller wins
    const own = look(figure([contourMap({ grid: bowl, paths: [{ label: "a", points: [[0, 0], [1, 1]], color: "#123456", dash: "1 1" }] })]));
    expect(own).toEqual([expect.objectContaining({ stroke: "#123456", dash: "1 1" })]);
  });

  test("a series of colour none (one that only spans the axes) draws no line and no casing", () => {
    const spanning = { label: "range", values: [0.5, 40], x: [0, 100], color: "none" };
    const drawn = lines(figure([lossCurves({ series: [{ label: "a", values: [3, 2, 1] }, spanning], legend: "none" })]));
    expect(drawn.filter((l) => l.stroke === "none")).toEqual([]);
    // the real curve's black, white and coloured paths, and nothing more
    expect(drawn.filter((l) => l.stroke === "#000" || l.stroke === "#fff" || l.stroke === PALETTE[0])).toHaveLength(3);
    const map = lines(figure([contourMap({ grid: bowl, paths: [{ label: "hidden", points: [[-1, -1], [1, 1]], color: "none" }], legend: "none" })]));
    expect(map.filter((l) => l.d.startsWith("M") && (l.stroke === "#000" || l.stroke === "#fff" || l.stroke === "none"))).toEqual([]);
  });

  test("every line is cased, black under white under its colour, and something of it contrasts ≥ 4.5:1 with every level of viridis", () => {
    const svg = figure([contourMap({ grid: bowl, paths: PALETTE.map((color, k) => ({ label: String(k), points: [[-1, k / 10], [1, 0.5]], color })) })]);
    const drawn = lines(svg).filter((l) => l.d === lines(svg).find((x) => x.stroke === PALETTE[0])!.d);
    expect(drawn.map((l) => l.stroke)).toEqual(["#000", "#fff", PALETTE[0]]);
    expect(drawn[0].width).toBeGreaterThan(drawn[1].width); // the black band shows outside the white one
    expect(drawn[1].width).toBeGreaterThan(drawn[2].width);
    for (const color of PALETTE) {
      for (let t = 0; t <= 1; t += 0.01) {
        const level = interpolateViridis(t);
        const best = Math.max(...["#000000", "#ffffff", color].map((stroke) => contrast(stroke, level)));
        expect(best, `${color} on ${level}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });
});

describe("sizes for a page's column", () => {
  test("a long figure title wraps to the panels' width instead of widening the figure (and so shrinking its text)", () => {
    const panel = lossCurves({ series: [{ label: "a", values: [1, 2] }], width: 300, height: 200 });
    const title = "First-order or quasi-Newton: L-BFGS beside Adam on smooth full-batch problems";
    const svg = figure([panel], { title });
    expect(svg).toContain('width="300" height="274"'); // three lines of 20 px above the panel
    const spans = [...svg.matchAll(/<tspan x="150" y="(\d+)">([^<]*)<\/tspan>/g)];
    expect(spans.map((m) => Number(m[1]))).toEqual([23, 43, 63]);
    expect(spans.map((m) => m[2]).join(" ")).toBe(title);
    for (const [, , line] of spans) expect(line.length * 9).toBeLessThanOrEqual(280);
  });

  test("a long panel title wraps and moves the plot area down by a line", () => {
    const path = [{ label: "diagonal", points: [[-2, -1], [2, 1]] }];
    const short = figure([contourMap({ grid: bowl, paths: path, width: 300, height: 300, title: "short" })]);
    const long = figure([contourMap({ grid: bowl, paths: path, width: 300, height: 300, title: "(d) Adam, η = 0.05, β = 0.9, γ = 0.99, 60 steps" })]);
    const diagonal = (svg: string) => lines(svg).find((l) => l.stroke === PALETTE[0])!.d;
    expect(diagonal(short)).toBe("M62,254L276,30"); // top 30, bottom 300 − 46
    expect(diagonal(long)).toBe("M62,254L276,47"); // top 30 + 17
    expect(long).toMatch(/<tspan x="150" y="19">[^<]+<\/tspan><tspan x="150" y="36">[^<]+<\/tspan>/);
  });

  test("panels stacked in one column: each row as tall as its own panel", () => {
    const map = contourMap({ grid: bowl, width: 600, height: 480 });
    const curves = lossCurves({ series: [{ label: "a", values: [1, 2] }], width: 600, height: 300, legend: "none" });
    const svg = figure([map, curves], { columns: 1, title: "t" });
    expect(svg).toContain('width="600" height="814"'); // 34 + 480 + 300
    expect(svg).toContain('<g transform="translate(0,514)">');
  });

  test("no text under 10 px in a panel's own units", () => {
    const svg = figure([contourMap({ grid: { x: [0, 1], y: [0, 1], values: [1, 10, 100, 1000] }, paths: [{ label: "p", points: [[0, 0], [1, 1]] }], title: "t", xLabel: "x", yLabel: "y" })], { title: "T" });
    expect(svg).toContain("levels: log scale");
    const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(sizes.length).toBeGreaterThan(2);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
  });
});
