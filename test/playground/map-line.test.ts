// A run's line on the playground's map (docs/playground/src/map-line.ts), drawn in pieces: together
// they are the line the whole path makes (its points in the map's pixels to 0.1 px, a break at a
// point that is not finite, a point where the one before it is written once), whether it is drawn in
// one frame or step by step; each piece ends at the same steps in every run, and carries the length
// of the line before it, its dash offset.
import { GradientDescent, NormalizedGradient } from "gradstep";
import { minimize, rosenbrock } from "gradstep/learn";
import { describe, expect, test } from "vitest";
import { LANDSCAPES } from "../../docs/playground/src/landscapes.js";
import { type LinePiece, MapLine, PIECE_STEPS } from "../../docs/playground/src/map-line.js";
import { toPixel } from "../../docs/playground/src/map-geometry.js";
import { PRESETS } from "../../docs/playground/src/presets.js";
import { computeRuns } from "../../docs/playground/src/runs.js";

const window = LANDSCAPES.rosenbrock.window;

/** The line of the whole path written as one `d`, by hand: each finite point's pixel to 0.1 px, "M" after a break, a point where the one before it is left out. */
function wholeLine(path: readonly (readonly number[])[]): string {
  let d = "";
  let last: string | undefined;
  for (const [x, y] of path) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      last = undefined;
      continue;
    }
    const [px, py] = toPixel(window, x, y).map((v) => Math.min(Math.max(v, -1e5), 1e5));
    const text = `${px.toFixed(1)},${py.toFixed(1)}`;
    if (text !== last) d += `${last === undefined ? "M" : "L"}${text}`;
    last = text;
  }
  return d;
}

/** The pieces joined into one `d`: a piece that goes on from the one before it drops its first point, "M" and that one's last point. */
function joined(pieces: readonly LinePiece[]): string {
  return pieces
    .map((piece, i) => {
      if (i === 0) return piece.d;
      const before = pieces[i - 1].d;
      const from = `M${before.slice(before.search(/[ML][^ML]*$/) + 1)}`;
      return piece.d.startsWith(from) && (piece.d.length === from.length || "ML".includes(piece.d[from.length])) ? piece.d.slice(from.length) : piece.d;
    })
    .join("");
}

const points = (d: string) => [...d.matchAll(/[ML]([-\d.]+),([-\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);

// Gradient descent on Rosenbrock for 3000 steps (figure 7's first run: most of its points move less
// than 0.1 px), and a path that leaves the window, breaks at points that are not finite and comes back.
const descent = minimize({ objective: rosenbrock(), optimizer: new GradientDescent({ lr: 0.001 }), params: Float64Array.of(-1.5, 2), steps: 3000, record: {} }).path!;
const normalized = minimize({ objective: rosenbrock(), optimizer: new NormalizedGradient({ lr: 0.05 }), params: Float64Array.of(-1.5, 2), steps: 250, record: {} }).path!;
const broken = normalized.map((p, i) => (i % 97 === 50 ? [Number.NaN, p[1]] : i === 120 ? [1e300, -1e300] : i === 121 ? [Number.POSITIVE_INFINITY, 0] : p));

describe("a path's line on the map, in pieces", () => {
  for (const [name, path] of [["gradient descent, 3000 steps", descent], ["a broken path", broken]] as const) {
    test(`${name}: the pieces are the whole line, whether drawn at once or a few steps a frame`, () => {
      const once = new MapLine(window, path);
      once.extend(path.length - 1);
      expect(joined(once.pieces)).toBe(wholeLine(path));
      for (const speed of [1, 2, 7, 100, 333]) {
        const line = new MapLine(window, path);
        for (let frame = 0, shown = 0; shown < path.length + speed; frame++, shown += speed) {
          const before = line.pieces.map((p) => ({ ...p }));
          const changed = line.extend(shown);
          // the pieces before the first one it says changed are as they were
          expect(line.pieces.slice(0, changed)).toEqual(before.slice(0, changed));
          if (frame % 10 === 0 || shown >= path.length - 1) expect(joined(line.pieces)).toBe(wholeLine(path.slice(0, shown + 1)));
        }
        expect(line.pieces).toEqual(once.pieces);
      }
    });
  }

  test("piece j draws steps j·PIECE_STEPS to (j + 1)·PIECE_STEPS, in every run alike; it is finished when the line reaches its last step", () => {
    const line = new MapLine(window, descent);
    line.extend(250);
    expect(line.pieces.map((p) => [p.index, p.from, p.to])).toEqual([
      [0, 0, PIECE_STEPS],
      [1, PIECE_STEPS, 2 * PIECE_STEPS],
      [2, 2 * PIECE_STEPS, 250],
    ]);
    expect([0, 1, 2].map((i) => line.finished(i))).toEqual([true, true, false]);
    line.extend(3000);
    expect(line.pieces).toHaveLength(3000 / PIECE_STEPS);
    expect(line.pieces.every((p, j) => p.index === j && p.from === j * PIECE_STEPS && p.to === (j + 1) * PIECE_STEPS && line.finished(j))).toBe(true);
    // a shorter path's last piece is finished at its own last step
    const short = new MapLine(window, descent.slice(0, 131));
    short.extend(3000);
    expect(short.pieces.map((p) => [p.from, p.to])).toEqual([[0, 100], [100, 130]]);
    expect(short.finished(1)).toBe(true);
  });

  test("more than half of figure 7's points are where the point before them is: its lines write each place once", () => {
    const seven = PRESETS.find((p) => p.id === "figure-7")!.state;
    const paths = computeRuns(LANDSCAPES.rosenbrock.objective(""), seven).map((r) => r.path);
    let written = 0;
    for (const path of paths) {
      const line = new MapLine(window, path);
      line.extend(3000);
      const count = line.pieces.reduce((n, p, j) => n + p.points - (j > 0 ? 1 : 0), 0);
      expect(count).toBe(points(wholeLine(path)).length);
      written += count;
    }
    expect(written).toBeLessThan((17 * 3001) / 2);
  });

  test("each piece's dash offset is the length of the line before it, as the SVG measures it (from the coordinates written)", () => {
    const line = new MapLine(window, descent);
    line.extend(3000);
    let length = 0;
    for (const piece of line.pieces) {
      expect(piece.offset).toBeCloseTo(length, 6);
      const p = points(piece.d);
      for (let i = 1; i < p.length; i++) length += Math.hypot(p[i][0] - p[i - 1][0], p[i][1] - p[i - 1][1]);
    }
    expect(length).toBeGreaterThan(100);
  });

  test("its head is the last point drawn", () => {
    const line = new MapLine(window, descent);
    expect(line.head).toBeUndefined();
    line.extend(40);
    const last = points(line.pieces.at(-1)!.d).at(-1);
    expect(line.head).toEqual(last);
    expect(line.head).toEqual(toPixel(window, descent[40][0], descent[40][1]).map((v) => Number(v.toFixed(1))));
  });
});
