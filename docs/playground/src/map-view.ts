// The contour map: gradstep/plot draws the landscape once (an SVG string); the paths, the start and
// the keyboard cursor are drawn over it in the same SVG and redrawn each animation frame. A click
// sets the start; with the map focused, the arrow keys move a cursor and Enter sets the start there.
import { contourMap, figure, type GridValues, type MarkerSpec } from "gradstep/plot";
import type { Window } from "./landscapes.js";
import { MAP_AREA, MAP_HEIGHT, MAP_WIDTH, toPixel, toPoint } from "./map-geometry.js";
import { RUN_COLORS } from "./palette.js";

const SVG = "http://www.w3.org/2000/svg";
/** Arrow keys move the cursor by this fraction of the window (Shift: five times as far). */
const KEY_STEP = 1 / 50;

export interface MapContent {
  readonly grid: GridValues;
  readonly window: Window;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly minimum?: readonly [number, number];
  /** Local minima, marked with circles (the Gabor loss's, as the lecture's figure 3 marks them). */
  readonly localMinima?: readonly (readonly [number, number])[];
}

function element<K extends keyof SVGElementTagNameMap>(name: K, attributes: Record<string, string | number> = {}): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attributes)) e.setAttribute(k, String(v));
  return e;
}

export class MapView {
  private window: Window = [0, 1, 0, 1];
  /** The landscape (redrawn when it changes) and, over it in a layer of its own, the paths (redrawn each frame). */
  private readonly background = document.createElement("div");
  private readonly overlay = element("svg", { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, class: "overlay" });
  private readonly outlines: SVGPathElement[] = [];
  private readonly lines: SVGPathElement[] = [];
  private readonly heads: SVGCircleElement[] = [];
  private readonly startMark = element("circle", { r: 5, fill: "#fff", stroke: "#000", "stroke-width": 2 });
  private readonly cursorMark = element("path", { fill: "none", stroke: "#fff", "stroke-width": 2, "pointer-events": "none" });
  private cursor: [number, number] = [0, 0];
  /** What the paths' `d` holds: for which paths, up to which step (a frame appends the new points). */
  private drawn: { paths: readonly (readonly (readonly number[])[])[] | null; upTo: number; d: string[]; pen: boolean[]; last: ([number, number] | undefined)[] } = { paths: null, upTo: -1, d: [], pen: [], last: [] };

  constructor(
    private readonly host: HTMLElement,
    private readonly onStart: (start: [number, number]) => void,
  ) {
    host.tabIndex = 0;
    host.setAttribute("role", "application");
    host.setAttribute("aria-label", "Contour map: click to set the start; or use the arrow keys to move the cursor and Enter to set the start");
    host.addEventListener("click", (event) => {
      const point = this.toData(event.clientX, event.clientY);
      if (point !== undefined) this.onStart(point);
    });
    host.addEventListener("keydown", (event) => this.key(event));
    const clip = element("clipPath", { id: "playground-clip" });
    clip.append(element("rect", { x: MAP_AREA.left, y: MAP_AREA.top, width: MAP_AREA.right - MAP_AREA.left, height: MAP_AREA.bottom - MAP_AREA.top }));
    const layer = element("g", { "clip-path": "url(#playground-clip)" });
    RUN_COLORS.forEach((color) => {
      const outline = element("path", { fill: "none", stroke: "#000", "stroke-width": 4, "stroke-linejoin": "round", "stroke-opacity": 0.75 });
      const line = element("path", { fill: "none", stroke: color, "stroke-width": 2, "stroke-linejoin": "round", "data-run": this.lines.length });
      const head = element("circle", { r: 4, fill: color, stroke: "#000", "stroke-width": 1.5, visibility: "hidden" });
      this.outlines.push(outline);
      this.lines.push(line);
      this.heads.push(head);
      layer.append(outline, line, head);
    });
    layer.append(this.startMark, this.cursorMark);
    this.overlay.append(clip, layer);
    host.append(this.background, this.overlay);
  }

  /** Draws the landscape: its contour levels and minima, by gradstep/plot. */
  show(content: MapContent): void {
    this.window = content.window;
    const markers: MarkerSpec[] = [
      ...(content.minimum ? [{ label: "minimum", x: content.minimum[0], y: content.minimum[1] }] : []),
      ...(content.localMinima ?? []).map(([x, y]) => ({ label: "local minimum", x, y, symbol: "circle" as const, color: "#cccccc" })),
    ];
    this.background.innerHTML = figure([contourMap({ grid: content.grid, xLabel: content.xLabel, yLabel: content.yLabel, markers, legend: "none", width: MAP_WIDTH, height: MAP_HEIGHT })]);
    const svg = this.background.querySelector("svg")!;
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    this.drawn.paths = null;
  }

  private toPixel(x: number, y: number): [number, number] {
    return toPixel(this.window, x, y);
  }

  /** The point of the window under a mouse position, if it is inside the plot area. */
  private toData(clientX: number, clientY: number): [number, number] | undefined {
    const matrix = this.overlay.getScreenCTM();
    if (!matrix) return undefined;
    const p = new DOMPoint(clientX, clientY).matrixTransform(matrix.inverse());
    return toPoint(this.window, p.x, p.y);
  }

  private key(event: KeyboardEvent): void {
    const [x0, x1, y0, y1] = this.window;
    const scale = KEY_STEP * (event.shiftKey ? 5 : 1);
    const moves: Record<string, [number, number]> = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    const move = moves[event.key];
    if (move !== undefined) {
      event.preventDefault();
      const clamp = (v: number, lo: number, hi: number) => Math.min(Math.max(v, lo), hi);
      this.setCursor([clamp(this.cursor[0] + move[0] * scale * (x1 - x0), x0, x1), clamp(this.cursor[1] + move[1] * scale * (y1 - y0), y0, y1)]);
    } else if (event.key === "Enter") {
      event.preventDefault();
      this.onStart([this.cursor[0], this.cursor[1]]);
    }
  }

  /** Moves the keyboard cursor (a cross) to a point. */
  setCursor(point: readonly [number, number]): void {
    this.cursor = [point[0], point[1]];
    const [px, py] = this.toPixel(point[0], point[1]);
    this.cursorMark.setAttribute("d", `M${px - 9},${py}h18M${px},${py - 9}v18`);
  }

  setStart(start: readonly [number, number]): void {
    const [px, py] = this.toPixel(start[0], start[1]);
    this.startMark.setAttribute("cx", String(px));
    this.startMark.setAttribute("cy", String(py));
  }

  /** Draws each path's points 0…shown (non-finite points break the line). */
  drawPaths(paths: readonly (readonly (readonly number[])[])[], shown: number): void {
    const drawn = this.drawn;
    if (drawn.paths !== paths || shown < drawn.upTo) {
      this.drawn = { paths, upTo: -1, d: paths.map(() => ""), pen: paths.map(() => false), last: paths.map(() => undefined) };
      return this.drawPaths(paths, shown);
    }
    this.lines.forEach((line, k) => {
      const path = paths[k];
      if (path !== undefined) {
        for (let i = drawn.upTo + 1; i <= Math.min(shown, path.length - 1); i++) {
          const [x, y] = path[i];
          if (!Number.isFinite(x) || !Number.isFinite(y)) {
            drawn.pen[k] = false;
            continue;
          }
          // far outside the window, a coordinate could overflow the SVG's numbers: clamp it
          const [px, py] = this.toPixel(x, y).map((v) => Math.min(Math.max(v, -1e5), 1e5));
          drawn.d[k] += `${drawn.pen[k] ? "L" : "M"}${px.toFixed(1)},${py.toFixed(1)}`;
          drawn.pen[k] = true;
          drawn.last[k] = [px, py];
        }
      }
      const d = drawn.d[k] ?? "";
      if (line.getAttribute("d") !== d) {
        line.setAttribute("d", d);
        this.outlines[k].setAttribute("d", d);
      }
      const head = this.heads[k];
      const last = drawn.last[k];
      head.setAttribute("visibility", last ? "visible" : "hidden");
      if (last) {
        head.setAttribute("cx", last[0].toFixed(1));
        head.setAttribute("cy", last[1].toFixed(1));
      }
    });
    drawn.upTo = shown;
  }
}
