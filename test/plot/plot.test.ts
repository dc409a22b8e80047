import { fc, test as property } from "@fast-check/vitest";
import { InvalidOptionError } from "gradstep";
import { landscape, rosenbrock } from "gradstep/learn";
import { contourMap, DASHES, figure, lossCurves, PALETTE } from "gradstep/plot";
import { describe, expect, test } from "vitest";
import { expectRefusal } from "../helpers.js";

/** Every number in the SVG's coordinates and path data. */
function numbers(svg: string): number[] {
  return [...svg.matchAll(/(?:[MLZ ,"]|^)(-?\d+(?:\.\d+)?(?:e-?\d+)?)/g)].map((m) => Number(m[1]));
}

/** The points of every path's `d` attribute, as [x, y]. */
function pathPoints(svg: string): [number, number][] {
  return [...svg.matchAll(/ d="([^"]*)"/g)].flatMap((m) => [...m[1].matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((p) => [Number(p[1]), Number(p[2])] as [number, number]));
}

const bowl = { x: [-2, -1, 0, 1, 2], y: [-1, 0, 1], values: [5, 2, 1, 2, 5, 4, 1, 0, 1, 4, 5, 2, 1, 2, 5] };

describe("gradstep/plot", () => {
  test("a contour map: filled levels in viridis, a path with start and end markers, a marked minimum, axes and legend", () => {
    const svg = figure([
      contourMap({
        grid: bowl,
        levels: 4,
        paths: [{ label: "GD", points: [[-2, -1], [-1, -0.5], [0, 0]] }],
        markers: [{ label: "minimum", x: 0, y: 0 }],
        title: "bowl",
        xLabel: "θ0",
        yLabel: "θ1",
      }),
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="480" height="400" viewBox="0 0 480 400"')).toBe(true);
    expect(svg.endsWith("</svg>\n")).toBe(true);
    const fills = [...svg.matchAll(/fill="(#[0-9a-f]{6})" fill-rule="evenodd"/g)].map((m) => m[1]);
    expect(fills.length).toBeGreaterThanOrEqual(3);
    expect(fills[0]).toBe("#440154"); // viridis(0): the lowest level is darkest
    expect(svg).toContain('stroke="#d55e00" stroke-width="1.8"'); // the path, the palette's first colour
    expect(svg).toContain("<circle"); // its start
    expect(svg).toContain("<polygon"); // the star at the minimum
    for (const text of ["bowl", "θ0", "θ1", "GD", "minimum"]) expect(svg).toContain(`>${text}</text>`);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    for (const [x, y] of pathPoints(svg)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(480);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(400);
    }
  });

  test("the path is drawn where its points are: the scale maps the grid's corners to the plot area's", () => {
    const svg = figure([contourMap({ grid: bowl, paths: [{ label: "diagonal", points: [[-2, -1], [2, 1]] }] })]);
    const d = svg.match(/<path d="(M[^"]*)" fill="none" stroke="#d55e00"/)![1];
    expect(d).toBe("M62,354L456,30"); // plot area: left 62, right 480 − 24, top 30, bottom 400 − 46
  });

  test("the same input gives the same bytes", () => {
    const make = () =>
      figure(
        [
          contourMap({ grid: bowl, paths: [{ label: "p", points: [[0, 0], [1, 1]] }] }),
          lossCurves({ series: [{ label: "a", values: [1, 0.1, 0.01] }, { label: "b", values: [2, 1, 0.5] }] }),
        ],
        { columns: 1, title: "t" },
      );
    expect(make()).toBe(make());
  });

  test("levels go on a log scale when the loss spans decades, and the map says so", () => {
    const land = landscape(rosenbrock(), { x: { from: -2, to: 2, points: 41 }, y: { from: -1, to: 3, points: 41 } });
    const svg = figure([contourMap({ grid: land })]);
    expect(svg).toContain("levels: log scale");
    expect(figure([contourMap({ grid: land, scale: "linear" })])).not.toContain("log scale");
    expect(pathPoints(svg).length).toBeGreaterThan(100);
  });

  test("loss curves: a log y axis with powers of ten when values span decades; non-finite points break the line", () => {
    const svg = figure([lossCurves({ series: [{ label: "Adam", values: [100, 10, Number.NaN, 0.1, 0.01] }], xLabel: "step" })]);
    for (const label of ["0.01", "1", "100"]) expect(svg).toContain(`>${label}</text>`);
    const d = svg.match(/<path d="(M[^"]*)" fill="none" stroke="#d55e00"/)![1];
    expect(d.split("M")).toHaveLength(3); // two pieces around the NaN
    expect(svg).not.toMatch(/NaN/);
    const linear = figure([lossCurves({ series: [{ label: "x", values: [3, 2, 1] }] })]);
    expect(linear).toContain(">3.0</text>"); // d3's tick format: as many decimals as the step needs
  });

  test("panels are laid out in a grid", () => {
    const panel = lossCurves({ series: [{ label: "a", values: [1, 2] }], width: 300, height: 200 });
    const svg = figure([panel, panel, panel], { columns: 2, title: "three" });
    expect(svg).toContain('width="600" height="434"');
    expect(svg).toContain('<g transform="translate(300,0)">'.replace(",0", ",34"));
    expect(svg).toContain('<g transform="translate(0,234)">');
    expect(svg.match(/clipPath id="p(\d)-clip"/g)).toEqual(['clipPath id="p0-clip"', 'clipPath id="p1-clip"', 'clipPath id="p2-clip"']);
  });

  test("bad input is refused with typed errors", () => {
    expect(() => figure([])).toThrow(InvalidOptionError);
    expect(() => contourMap({ grid: { x: [0], y: [0, 1], values: [1, 2] } })).toThrow(/grid/);
    expect(() => contourMap({ grid: { x: [0, 1], y: [0, 1], values: [1, 2, 3] } })).toThrow(/grid.values/);
    expect(() => contourMap({ grid: { x: [0, 1], y: [0, 1], values: [1, 2, 3, Number.NaN] } })).toThrow(/finite/);
    expect(() => lossCurves({ series: [] })).toThrow(/series/);
    expect(() => lossCurves({ series: [{ label: "a", values: [1, 2], x: [0] }] })).toThrow(/series\[0\]\.x/);
  });

  property.prop([fc.array(fc.double({ noNaN: false }), { minLength: 1, maxLength: 40 })], { numRuns: 300 })(
    "any series renders: no NaN or Infinity in the SVG, every point inside the view box",
    (values) => {
      const svg = figure([lossCurves({ series: [{ label: "s", values }] })]);
      expect(svg).not.toMatch(/NaN|Infinity/);
      for (const [x, y] of pathPoints(svg)) {
        expect(x).toBeGreaterThanOrEqual(-1);
        expect(x).toBeLessThanOrEqual(481);
        expect(y).toBeGreaterThanOrEqual(-1);
        expect(y).toBeLessThanOrEqual(401);
      }
      expect(numbers(svg).every(Number.isFinite)).toBe(true);
    },
  );

  property.prop(
    [
      fc.integer({ min: 2, max: 9 }).chain((nx) =>
        fc.integer({ min: 2, max: 9 }).chain((ny) => fc.tuple(fc.constant(nx), fc.constant(ny), fc.array(fc.double({ min: -1e300, max: 1e300, noNaN: true }), { minLength: nx * ny, maxLength: nx * ny }))),
      ),
    ],
    { numRuns: 300 },
  )("any finite grid renders: no NaN or Infinity, every contour point inside the view box", ([nx, ny, values]) => {
    const grid = { x: Array.from({ length: nx }, (_, i) => i), y: Array.from({ length: ny }, (_, j) => j / 10), values };
    const svg = figure([contourMap({ grid, paths: [{ label: "p", points: [[0, 0], [nx - 1, (ny - 1) / 10]] }] })]);
    expect(svg).not.toMatch(/NaN|Infinity/);
    for (const [x, y] of pathPoints(svg)) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(x).toBeLessThanOrEqual(480);
      expect(y).toBeGreaterThanOrEqual(0);
      expect(y).toBeLessThanOrEqual(400);
    }
  }, 120_000); // 300 grids: ~4 s on one core, ~23 s with a CPU-bound process on it; 120 s leaves room for a slow, loaded machine
});

describe("hostile input (an adversarial review's findings)", () => {
  test("a log axis with nothing positive to draw (only zeros, negatives or NaN) gives an empty decade, not an endless loop", () => {
    for (const values of [[0, -1, -2], [NaN, NaN], [5e-324]]) {
      const svg = figure([lossCurves({ series: [{ label: "a", values }], logY: true })]);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).not.toContain("NaN");
    }
  });

  test("colours and dash patterns are escaped: no attribute or element can be injected", () => {
    const svg = figure([
      lossCurves({ series: [{ label: "a", values: [3, 2, 1], color: 'red" onmouseover="alert(1)', dash: '1" onclick="x' }] }),
      contourMap({ grid: bowl, paths: [{ label: "p", points: [[0, 0], [1, 1]], color: 'blue" onload="y' }], markers: [{ label: "m", x: 0, y: 0, color: '#fff"/><script>alert(1)</script><x a="' }] }),
    ]);
    expect(svg).not.toMatch(/ on[a-z]+="/);
    expect(svg).not.toContain("<script");
    expect(svg).toContain("red&quot; onmouseover=&quot;alert(1)");
  });

  test("characters XML forbids in labels and titles are replaced, so the SVG stays well-formed", () => {
    const svg = figure([lossCurves({ series: [{ label: "a\u0001b", values: [3, 2, 1] }], title: "t\u0000" })]);
    expect(svg).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(svg).toContain("a\uFFFDb");
  });
});

describe("options checked before anything is drawn (a second adversarial review)", () => {
  const curve = [{ label: "a", values: [3, 2, 1] }];
  const cases: [string, () => unknown, string][] = [
    ["levels NaN (drew an empty map)", () => contourMap({ grid: bowl, levels: Number.NaN }), "levels"],
    ["levels 0", () => contourMap({ grid: bowl, levels: 0 }), "levels"],
    ["levels 1e9 (out of memory)", () => contourMap({ grid: bowl, levels: 1e9 }), "levels"],
    ["a threshold NaN (d3's plain Error)", () => contourMap({ grid: bowl, levels: [1, Number.NaN] }), "levels"],
    ["a threshold ∞", () => contourMap({ grid: bowl, levels: [Infinity] }), "levels"],
    ["a hole among the thresholds", () => contourMap({ grid: bowl, levels: [1, , 3] as number[] }), "levels"],
    ["a hole among the paths (TypeError)", () => contourMap({ grid: bowl, paths: [, { label: "p", points: [] }] as never }), "paths[0]"],
    ["an unknown scale", () => contourMap({ grid: bowl, scale: "sqrt" as "log" }), "scale"],
    ["a marker at NaN (NaN coordinates)", () => contourMap({ grid: bowl, markers: [{ label: "m", x: Number.NaN, y: 0 }] }), "markers[0].x"],
    ["an unknown marker symbol", () => contourMap({ grid: bowl, markers: [{ label: "m", x: 0, y: 0, symbol: "dot" as "star" }] }), "markers[0].symbol"],
    ["a marker without a label (TypeError)", () => contourMap({ grid: bowl, markers: [{ x: 0, y: 0 } as never] }), "markers[0].label"],
    ["a path without points (TypeError)", () => contourMap({ grid: bowl, paths: [{ label: "p", points: null as never }] }), "paths[0].points"],
    ["a path point that is a number", () => contourMap({ grid: bowl, paths: [{ label: "p", points: [[0, 0], 3 as never] }] }), "paths[0].points[1]"],
    ["a colour that is a number (TypeError)", () => contourMap({ grid: bowl, paths: [{ label: "p", points: [[0, 0]], color: 5 as never }] }), "paths[0].color"],
    ["grid axis NaN", () => contourMap({ grid: { ...bowl, x: [Number.NaN, -1, 0, 1, 2] } }), "grid.x"],
    ["grid axis decreasing", () => contourMap({ grid: { ...bowl, y: [1, 0, -1] } }), "grid.y"],
    ["grid values null (TypeError)", () => contourMap({ grid: { ...bowl, values: null as never } }), "grid.values"],
    ["a series without a label (TypeError)", () => lossCurves({ series: [{ values: [1, 2] } as never] }), "series[0].label"],
    ["a series whose values are null (TypeError)", () => lossCurves({ series: [{ label: "a", values: null as never }] }), "series[0].values"],
    ["an unknown logY", () => lossCurves({ series: curve, logY: "yes" as "auto" }), "logY"],
    ["width NaN (NaN coordinates)", () => lossCurves({ series: curve, width: Number.NaN }), "width"],
    ["a negative width", () => lossCurves({ series: curve, width: -5 }), "width"],
    ["a height leaving no plot", () => lossCurves({ series: curve, height: 10 }), "height"],
    ["a long title in a short panel (a rectangle of negative height)", () => lossCurves({ series: curve, title: "word ".repeat(80), width: 200, height: 150 }), "height"],
    ["a title that is a number (TypeError)", () => lossCurves({ series: curve, title: 5 as never }), "title"],
    ["an unknown legend place", () => lossCurves({ series: curve, legend: "left" as "below" }), "legend"],
    ["a panel that is not one (TypeError)", () => figure([{} as never]), "panels[0]"],
    ["a figure title that is a number", () => figure([lossCurves({ series: curve })], { title: 7 as never }), "title"],
  ];
  test.each(cases)("%s: InvalidOptionError naming it", (_, draw, argument) => expectRefusal(draw, InvalidOptionError, argument));

  test("a curve of 10⁶ losses renders (Math.min over a spread array overflowed the stack)", () => {
    const values = Float64Array.from({ length: 1e6 }, (_, i) => 1 / (i + 1));
    const svg = figure([lossCurves({ series: [{ label: "a", values }] })]);
    expect(svg).toContain(">1e-6</text>"); // a log axis down to the last value
    expect(svg).not.toContain("NaN");
  });

  test("a curve with no finite x draws an empty axis, without NaN", () => {
    const svg = figure([lossCurves({ series: [{ label: "a", values: [1, 2], x: [Number.NaN, Infinity] }] })]);
    expect(svg).not.toMatch(/NaN|Infinity/);
  });

  test("on a log scale, thresholds below the least value fill the grid as the least value does (they gave NaN)", () => {
    const below = figure([contourMap({ grid: bowl, levels: [-5, 1, 2], scale: "log" })]);
    const atMin = figure([contourMap({ grid: bowl, levels: [0, 1, 2], scale: "log" })]);
    expect(below).toBe(atMin);
    expect(below).not.toContain("NaN");
  });
});
