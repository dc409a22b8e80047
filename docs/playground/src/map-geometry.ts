// Where a point of the window lands in the map's SVG, and back: the contour map is gradstep/plot's
// contourMap panel, whose plot area (its plotArea) leaves margins for the title, ticks and labels.
import type { Window } from "./landscapes.js";

export const MAP_WIDTH = 560;
export const MAP_HEIGHT = 480;
export const MAP_AREA = { left: 62, top: 30, right: MAP_WIDTH - 24, bottom: MAP_HEIGHT - 46 };

/** The pixel (in the SVG's coordinates) of the point (x, y) of the window. */
export function toPixel(window: Window, x: number, y: number): [number, number] {
  const [x0, x1, y0, y1] = window;
  return [MAP_AREA.left + ((x - x0) / (x1 - x0)) * (MAP_AREA.right - MAP_AREA.left), MAP_AREA.bottom - ((y - y0) / (y1 - y0)) * (MAP_AREA.bottom - MAP_AREA.top)];
}

/** The point of the window at a pixel, or undefined outside the plot area. */
export function toPoint(window: Window, px: number, py: number): [number, number] | undefined {
  if (px < MAP_AREA.left || px > MAP_AREA.right || py < MAP_AREA.top || py > MAP_AREA.bottom) return undefined;
  const [x0, x1, y0, y1] = window;
  return [x0 + ((px - MAP_AREA.left) / (MAP_AREA.right - MAP_AREA.left)) * (x1 - x0), y0 + ((MAP_AREA.bottom - py) / (MAP_AREA.bottom - MAP_AREA.top)) * (y1 - y0)];
}

/** A pixel coordinate clamped to ±1e5: far outside the window one could overflow the SVG's numbers. */
export function clampPixel(v: number): number {
  return Math.min(Math.max(v, -1e5), 1e5);
}
