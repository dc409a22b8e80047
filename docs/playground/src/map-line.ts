// A run's line on the map as the SVG draws it, built as the animation extends it: its points in the
// map's pixels (to 0.1 px, as `d` writes them), in pieces of PIECE_STEPS steps, so that a frame
// rewrites, and the browser rasters again, only the piece at the end (map-view.ts keeps the finished
// pieces in a layer that a frame does not touch): with one `d` a run, each frame of figure 7's
// seventeen runs of 3000 steps parsed and rastered some 150,000 segments. Every run's pieces end at
// the same steps, so that the runs' pieces are finished together (the finished layer is rastered
// again once every PIECE_STEPS steps, not each time one of seventeen runs finishes a piece).
// Together the pieces draw the one line: a piece starts at the last point of the one before it (with
// round joins and caps, two lines that meet at a point draw what one line with a round join there
// draws), and a dashed line's pattern goes on where the piece before it stopped (each piece's dash
// offset is the length of the line before it). A point that `d` would write where the one before it
// is (a run that has settled moves less than 0.1 px a step: more than half of figure 7's points) adds
// nothing to the drawing and is not written again.
import type { Window } from "./landscapes.js";
import { clampPixel, toPixel } from "./map-geometry.js";

/** Piece j of a line draws steps j·PIECE_STEPS to (j + 1)·PIECE_STEPS. */
export const PIECE_STEPS = 100;

/** One piece of a line. */
export interface LinePiece {
  /** Its SVG path data: "M" then "L" a point, "M" again after a break. */
  d: string;
  /** Its place: it draws steps index·PIECE_STEPS to (index + 1)·PIECE_STEPS. */
  readonly index: number;
  /** The step of its first point. */
  readonly from: number;
  /** The last step it draws (a step whose point is where the one before it is drawn too, by that one). */
  to: number;
  /** How many points `d` holds. */
  points: number;
  /** The length of the line before it, in px: its dash offset. */
  readonly offset: number;
}


export class MapLine {
  readonly pieces: LinePiece[] = [];
  /** The last step extend() reached (−1: none). */
  private upTo = -1;
  /** Where the last point drawn is, in px (the line's head), if a point was drawn. */
  head: [number, number] | undefined;
  /** The head as `d` writes it. */
  private headText = "";
  /** Whether the next point continues the line (false at the start and after a point that is not finite). */
  private pen = false;
  /** The line's length so far, in px, as the SVG measures it (from the coordinates `d` writes). */
  private length = 0;

  constructor(
    private readonly window: Window,
    private readonly path: readonly (readonly number[])[],
  ) {}

  /** Draws the path's points up to step `shown` (or its last); returns the index of the first piece that changed (pieces.length: none). Points that are not finite break the line. */
  extend(shown: number): number {
    let changed = this.pieces.length;
    const end = Math.min(shown, this.path.length - 1);
    for (let i = this.upTo + 1; i <= end; i++) {
      const [x, y] = this.path[i];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        this.pen = false;
        continue;
      }
      const [px, py] = toPixel(this.window, x, y).map(clampPixel);
      const text = `${px.toFixed(1)},${py.toFixed(1)}`;
      let piece = this.pieces[this.pieces.length - 1] as LinePiece | undefined;
      const index = Math.max(0, Math.ceil(i / PIECE_STEPS) - 1);
      if (piece === undefined || piece.index < index) {
        // a new piece: from the last point (the same line), or from this one after a break
        piece = this.pen ? { index, d: `M${this.headText}`, from: piece?.to ?? i, to: i, points: 1, offset: this.length } : { index, d: "", from: i, to: i, points: 0, offset: this.length };
        this.pieces.push(piece);
      }
      changed = Math.min(changed, this.pieces.length - 1);
      if (this.pen && text === this.headText) {
        piece.to = i; // drawn already, by the point before it
        continue;
      }
      const point: [number, number] = [Number(px.toFixed(1)), Number(py.toFixed(1))];
      if (this.pen && this.head !== undefined) this.length += Math.hypot(point[0] - this.head[0], point[1] - this.head[1]);
      piece.d += `${this.pen ? "L" : "M"}${text}`;
      piece.points++;
      piece.to = i;
      this.pen = true;
      this.head = point;
      this.headText = text;
    }
    this.upTo = Math.max(this.upTo, end);
    return changed;
  }

  /** Whether piece `i` is drawn to its end: to its last step, or the path's. */
  finished(i: number): boolean {
    return this.upTo >= Math.min((this.pieces[i].index + 1) * PIECE_STEPS, this.path.length - 1);
  }
}
