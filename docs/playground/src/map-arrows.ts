// The gradient arrows (gradient-arrows.ts) as the map draws them, in its pixels: each from the start
// to start − s·share·∇J, one scale s for all of them so that their lengths compare as the gradients
// do, chosen so that the full arrow is ARROW_FRACTION of the plot area's smaller side long, whatever
// the window (as examples/04-batch-sizes.ts makes it 0.6 of its 3-wide window). The scale is one
// number on the landscape's coordinates, so an arrow points where −∇J points on the map's axes. Each
// has a head, a triangle at its tip. Coordinates are written to 0.1 px, as the paths' are.
import type { GradientArrow, GradientArrows } from "./gradient-arrows.js";
import type { Window } from "./landscapes.js";
import { clampPixel, MAP_AREA, toPixel } from "./map-geometry.js";

/** The full arrow's length: this fraction of the plot area's smaller side. */
export const ARROW_FRACTION = 0.15;
/** An arrowhead's length in px (shorter on an arrow under 2.5 times as long), and its width as a fraction of its length. */
const HEAD_LENGTH = 10;
const HEAD_WIDTH = 0.7;

export interface ArrowShape {
  readonly arrow: GradientArrow;
  /** Its start and the tip of its head, in px to 0.1 (as `d` writes them). */
  readonly tail: readonly [number, number];
  readonly tip: readonly [number, number];
  /** The shaft's path data, from the start to the head's base, and the head's (a closed triangle); "" when the arrow has no length. */
  readonly shaft: string;
  readonly head: string;
}

const round = (v: number) => Number(clampPixel(v).toFixed(1));
const text = ([x, y]: readonly [number, number]) => `${x.toFixed(1)},${y.toFixed(1)}`;

/** The scale s: data units per unit of gradient, so that the full arrow (or, if it has no length, the longest) is ARROW_FRACTION of the plot's smaller side. */
export function arrowScale(window: Window, arrows: readonly GradientArrow[]): number {
  const [x0, x1, y0, y1] = window;
  const width = MAP_AREA.right - MAP_AREA.left;
  const height = MAP_AREA.bottom - MAP_AREA.top;
  // px per unit of the landscape along each axis, and an arrow's length in px at s = 1
  const kx = width / (x1 - x0);
  const ky = height / (y1 - y0);
  const length = (a: GradientArrow) => Math.hypot(a.share * a.gradient[0] * kx, a.share * a.gradient[1] * ky);
  const usable = (l: number) => Number.isFinite(l) && l > 0;
  const full = arrows.find((a) => a.kind === "full");
  const fullLength = full === undefined ? 0 : length(full);
  const reference = usable(fullLength) ? fullLength : Math.max(0, ...arrows.map(length).filter(usable));
  return reference > 0 ? (ARROW_FRACTION * Math.min(width, height)) / reference : 0;
}

/** Each arrow's shape on the map of `window`; arrows that are not finite are left out. */
export function arrowShapes(window: Window, arrows: GradientArrows): ArrowShape[] {
  const s = arrowScale(window, arrows.arrows);
  const [ax, ay] = arrows.at;
  const tail = toPixel(window, ax, ay).map(round) as [number, number];
  const shapes: ArrowShape[] = [];
  for (const arrow of arrows.arrows) {
    const [gx, gy] = arrow.gradient;
    const end = toPixel(window, ax - s * arrow.share * gx, ay - s * arrow.share * gy);
    if (!end.every(Number.isFinite)) continue;
    const tip = end.map(round) as [number, number];
    const dx = tip[0] - tail[0];
    const dy = tip[1] - tail[1];
    const length = Math.hypot(dx, dy);
    if (length === 0) {
      shapes.push({ arrow, tail, tip, shaft: "", head: "" });
      continue;
    }
    const [ux, uy] = [dx / length, dy / length];
    const headLength = Math.min(HEAD_LENGTH, length / 2.5);
    const half = (HEAD_WIDTH * headLength) / 2;
    const base: [number, number] = [tip[0] - ux * headLength, tip[1] - uy * headLength];
    const left: [number, number] = [base[0] - uy * half, base[1] + ux * half];
    const right: [number, number] = [base[0] + uy * half, base[1] - ux * half];
    shapes.push({ arrow, tail, tip, shaft: `M${text(tail)}L${text(base)}`, head: `M${text(tip)}L${text(left)}L${text(right)}Z` });
  }
  return shapes;
}
