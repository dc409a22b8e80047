// The contour map: gradstep/plot draws the landscape once (an SVG string); the paths, the start and
// the keyboard cursor are drawn over it, each frame extending the paths. Run k's path has its look
// (palette.ts), over gradstep/plot's black and white casing. A path is drawn in pieces (map-line.ts),
// and the map is three layers the browser rasters apart: the landscape, which a frame does not
// touch; the finished pieces, which a frame touches only when pieces are finished; and, on top, the
// piece each run is drawing, the runs' heads, the start and the cursor, which a frame redraws. While
// the paths play, the piece a run is drawing lies over the other runs' finished pieces; when they
// stop (paused, stepped, or at the end), every piece is in the finished layer, each run's line over
// the lines of the runs before it (the heads stay on top). Figure 4's gradient arrows, when shown
// (gradient-arrows.ts, map-arrows.ts), are a layer of their own between the finished pieces and the
// top one, drawn when the setting changes and never by a frame. A click sets the start; with the map
// focused, the arrow keys move a cursor and Enter sets the start there.
import { contourMap, figure, type GridValues, type MarkerSpec } from "gradstep/plot";
import type { Window } from "./landscapes.js";
import { MAP_AREA, MAP_HEIGHT, MAP_WIDTH, toPixel, toPoint } from "./map-geometry.js";
import type { GradientArrows } from "./gradient-arrows.js";
import { arrowShapes } from "./map-arrows.js";
import { type LinePiece, MapLine } from "./map-line.js";
import { CASING, runLook } from "./palette.js";

const SVG = "http://www.w3.org/2000/svg";
/** A path's width on the map, in the SVG's px (its casing is wider: CASING). */
const LINE_WIDTH = 2;
/** Arrow keys move the cursor by this fraction of the window (Shift: five times as far). */
const KEY_STEP = 1 / 50;
/** The id of the arrows' description (their <title>), which the map names as its aria-describedby while they are shown. */
const ARROWS_DESCRIPTION = "map-arrows-description";

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
  /** The landscape (redrawn when it changes). */
  private readonly background = document.createElement("div");
  /** The finished pieces of the paths (see above), over the landscape. */
  private readonly finishedLayer = element("svg", { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, class: "overlay finished" });
  /** The pieces being drawn, the heads, the start and the cursor, on top. */
  private readonly overlay = element("svg", { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, class: "overlay top" });
  /** The gradient arrows, between the two (see above): their description, and the arrows, clipped to the plot area. */
  private readonly arrowsLayer = element("svg", { viewBox: `0 0 ${MAP_WIDTH} ${MAP_HEIGHT}`, class: "overlay arrows" });
  private readonly arrowsTitle = element("title", { id: ARROWS_DESCRIPTION });
  private readonly arrows = element("g", { "clip-path": "url(#playground-clip-arrows)" });
  /** In each layer, clipped to the plot area: the runs' groups, then the marks. */
  private readonly finished = element("g", { "clip-path": "url(#playground-clip-finished)" });
  private readonly layer = element("g", { "clip-path": "url(#playground-clip)" });
  /**
   * Each run's groups of paths, made as runs come: in the finished layer and in the top one, its
   * black casing, its white casing and its line in its look (a path a piece in each, the pieces'
   * strokes set by their group); the circle at its head; how many of its pieces are in the finished layer.
   */
  private readonly runs: { finished: SVGGElement[]; drawing: SVGGElement[]; head: SVGCircleElement; done: number }[] = [];
  private readonly heads = element("g");
  private readonly startMark = element("circle", { r: 5, fill: "#fff", stroke: "#000", "stroke-width": 2 });
  private readonly cursorMark = element("path", { fill: "none", stroke: "#fff", "stroke-width": 2, "pointer-events": "none" });
  private cursor: [number, number] = [0, 0];
  /** What is drawn: of which paths, up to which step, and each path's line (a frame extends them). */
  private drawn: { paths: readonly (readonly (readonly number[])[])[] | null; upTo: number; lines: MapLine[] } = { paths: null, upTo: -1, lines: [] };

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
    // a clip path in each layer (one the other used would be drawn again with the other's changes)
    const clip = (id: string) => {
      const path = element("clipPath", { id });
      path.append(element("rect", { x: MAP_AREA.left, y: MAP_AREA.top, width: MAP_AREA.right - MAP_AREA.left, height: MAP_AREA.bottom - MAP_AREA.top }));
      return path;
    };
    this.layer.append(this.heads, this.startMark, this.cursorMark);
    this.finishedLayer.append(clip("playground-clip-finished"), this.finished);
    this.arrowsLayer.append(this.arrowsTitle, clip("playground-clip-arrows"), this.arrows);
    this.overlay.append(clip("playground-clip"), this.layer);
    host.append(this.background, this.finishedLayer, this.arrowsLayer, this.overlay);
  }

  /** Makes the groups of runs 0 … count − 1 that do not exist yet: run k in its look (runLook), over gradstep/plot's casing. */
  private ensureRuns(count: number): void {
    for (let k = this.runs.length; k < count; k++) {
      const { color, dash } = runLook(k);
      const round = { fill: "none", "stroke-linejoin": "round", "stroke-linecap": "round" };
      const groups = () => [
        element("g", { stroke: "#000", "stroke-width": LINE_WIDTH + CASING.dark, ...round }),
        element("g", { stroke: "#fff", "stroke-width": LINE_WIDTH + CASING.light, ...round }),
        element("g", { fill: "none", stroke: color, "stroke-width": LINE_WIDTH, "stroke-linejoin": "round", ...(dash === "" ? { "stroke-linecap": "round" } : { "stroke-dasharray": dash }) }),
      ];
      const run = { finished: groups(), drawing: groups(), head: element("circle", { r: 4, fill: color, stroke: "#000", "stroke-width": 1.5, visibility: "hidden" }), done: 0 };
      this.runs.push(run);
      this.finished.append(...run.finished);
      this.heads.before(...run.drawing);
      this.heads.append(run.head);
    }
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

  /**
   * Draws the gradient arrows on the landscape shown (or none), each cased as the paths are, with its
   * head. An arrow is a `g[data-arrow]` ("full" or "batch", with `data-batch`, its index), holding what
   * it is drawn from: `data-gradient`, ∇J's components as String writes them (the same doubles read
   * back), `data-share`, and `data-tip`, its tip in px as its head's `d` writes it. The map's
   * aria-describedby names their description while they are shown.
   */
  drawArrows(arrows: GradientArrows | undefined): void {
    const shapes = arrows === undefined ? [] : arrowShapes(this.window, arrows);
    this.arrows.replaceChildren(
      ...shapes.map(({ arrow, tip, shaft, head }) => {
        const round = { fill: "none", "stroke-linecap": "round" };
        const g = element("g", { "data-arrow": arrow.kind, "data-batch": arrow.index, "data-gradient": arrow.gradient.join(","), "data-share": arrow.share, "data-tip": `${tip[0].toFixed(1)},${tip[1].toFixed(1)}` });
        g.append(
          element("path", { d: shaft, stroke: "#000", "stroke-width": LINE_WIDTH + CASING.dark, ...round }),
          element("path", { d: shaft, stroke: "#fff", "stroke-width": LINE_WIDTH + CASING.light, ...round }),
          element("path", { d: shaft, stroke: arrow.color, "stroke-width": LINE_WIDTH, ...round }),
          element("path", { d: head, fill: arrow.color, stroke: "#000", "stroke-width": 1.2, "stroke-linejoin": "round" }),
        );
        return g;
      }),
    );
    this.arrowsTitle.textContent = arrows?.description ?? "";
    if (shapes.length > 0) this.host.setAttribute("aria-describedby", ARROWS_DESCRIPTION);
    else this.host.removeAttribute("aria-describedby");
  }

  /**
   * Draws each path's points 0…shown (non-finite points break the line); `playing` says whether the
   * paths are moving (the pieces being drawn on top) or not (every piece in the finished layer). The
   * line of run k is its pieces, `path[data-run="k"]`, each with the first and last step it draws as
   * `data-from` and `data-to`.
   */
  drawPaths(paths: readonly (readonly (readonly number[])[])[], shown: number, playing: boolean): void {
    if (this.drawn.paths !== paths || shown < this.drawn.upTo) {
      this.drawn = { paths, upTo: -1, lines: paths.map((path) => new MapLine(this.window, path)) };
      for (const run of this.runs) {
        for (const group of [...run.finished, ...run.drawing]) group.replaceChildren();
        run.done = 0;
      }
    }
    this.ensureRuns(paths.length);
    this.runs.forEach((run, k) => {
      const line = this.drawn.lines[k];
      if (line === undefined) return void run.head.setAttribute("visibility", "hidden");
      const changed = line.extend(shown);
      // a finished piece that changed (the last one, finished when the paths stopped) is drawn again
      if (changed < run.done) {
        for (const group of run.finished) while (group.children.length > changed) group.lastElementChild!.remove();
        run.done = changed;
      }
      // the pieces drawn to their ends (all of them when the paths stop) go to the finished layer
      for (; run.done < line.pieces.length && (!playing || line.finished(run.done)); run.done++) this.drawPiece(run.finished, line.pieces[run.done], k);
      // the one being drawn (a frame of more than PIECE_STEPS steps finishes the ones before it) on top
      if (run.done < line.pieces.length) this.drawPiece(run.drawing, line.pieces[run.done], k, 0);
      else for (const group of run.drawing) group.replaceChildren();
      const { head } = run;
      head.setAttribute("visibility", line.head ? "visible" : "hidden");
      if (line.head) {
        head.setAttribute("cx", line.head[0].toFixed(1));
        head.setAttribute("cy", line.head[1].toFixed(1));
      }
    });
    this.drawn.upTo = shown;
  }

  /** Draws a piece of run k's line into its groups (black casing, white casing, line): as a new path in each, or into the path at index `at`. */
  private drawPiece(groups: SVGGElement[], piece: LinePiece, k: number, at?: number): void {
    const dashed = runLook(k).dash !== "";
    groups.forEach((group, j) => {
      let path = at === undefined ? undefined : (group.children[at] as SVGPathElement | undefined);
      if (path === undefined) {
        path = element("path");
        group.append(path);
      }
      path.setAttribute("d", piece.d);
      if (j === 2) {
        path.setAttribute("data-run", String(k));
        path.setAttribute("data-from", String(piece.from));
        path.setAttribute("data-to", String(piece.to));
        if (dashed) path.setAttribute("stroke-dashoffset", piece.offset.toFixed(2));
      }
    });
  }
}
