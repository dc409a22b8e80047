// The playground page: reads the state from the URL, computes the runs with gradstep, draws the
// map, the paths and the loss curves, and animates them. window.__playground exposes what is drawn
// (for the browser check, and for anyone curious in the console).
import { backendInfo, setBackend } from "gradstep";
import type { Objective } from "gradstep/learn";
import { drawControls } from "./controls.js";
import { h } from "./dom.js";
import { type GradientArrows, gradientArrows } from "./gradient-arrows.js";
import { sampleGrid } from "./grid.js";
import { LANDSCAPES } from "./landscapes.js";
import { lossFigure, revealedFraction } from "./loss-view.js";
import { MapView } from "./map-view.js";
import { Player } from "./player.js";
import { PRESETS } from "./presets.js";
import { computeRuns, type RunResult, runLabel } from "./runs.js";
import { counterText } from "./step-counter.js";
import { decodeState, encodeState, type PlaygroundState } from "./state.js";

const byId = (id: string) => document.getElementById(id)!;
const controlsHost = byId("controls");
const lossHost = byId("losses");
const counter = byId("step-counter");
const playButton = byId("play") as HTMLButtonElement;
const speedSelect = byId("speed") as HTMLSelectElement;

let state: PlaygroundState = decodeState(location.hash, PRESETS[0].state);
let results: RunResult[] = [];
/** The runs' paths and losses (one array each per computation: the map appends to what it drew of the same paths). */
let paths: RunResult["path"][] = [];
let losses: RunResult["losses"][] = [];
/** Each run's name in the loss curves' legend (the map's too). */
let labels: string[] = [];
/** The box of the loss curves (over their axes) and its content, moved in opposite directions to show the curves up to the step shown (loss-view.ts). */
const lossReveal = h("div", { class: "reveal" });
const lossCurves = h("div");
lossReveal.append(lossCurves);

const map = new MapView(byId("map"), (start) => update({ ...state, start }));

function draw(shown: number, playing: boolean): void {
  map.drawPaths(paths, shown, playing);
  counter.textContent = counterText(shown, player.total, paths.map((p) => p.length));
  byId("map").dataset.step = String(shown);
  playButton.textContent = playing ? "pause" : "play";
  const hidden = 100 * (1 - revealedFraction(shown, player.total));
  lossReveal.style.transform = `translateX(-${hidden}%)`;
  lossCurves.style.transform = `translateX(${hidden}%)`;
}

/** Draws the loss curves of the race, whole: the axes and the legend, and over them the curves alone, in the box that reveals them. */
function drawLosses(total: number): void {
  lossHost.innerHTML = lossFigure(losses, total, labels) ?? "";
  const axes = lossHost.querySelector("svg");
  const curves = axes?.cloneNode(true) as SVGSVGElement | undefined;
  const group = (svg: SVGSVGElement) => svg.querySelector("g[clip-path]");
  if (!axes || !curves || !group(axes)) return;
  // the axes: all but the curves and their clip (whose id, "p0-clip", the map's SVG has too)
  group(axes)!.remove();
  axes.querySelector("clipPath")?.remove();
  // the curves: their group, its clip and what holds them
  const kept = group(curves)!;
  const clip = curves.querySelector("clipPath")!;
  for (const e of [...curves.querySelectorAll("*")]) if (!(e.contains(kept) || kept.contains(e) || clip.contains(e))) e.remove();
  clip.id = "losses-clip";
  kept.setAttribute("clip-path", "url(#losses-clip)");
  curves.setAttribute("aria-hidden", "true");
  lossCurves.replaceChildren(curves);
  lossHost.append(lossReveal);
}
const player = new Player(draw);

/** Everything follows from the state: the backend, the landscape, the runs, the URL. */
function update(next: PlaygroundState, options: { play?: boolean; writeUrl?: boolean } = {}): void {
  state = next;
  setBackend(state.backend === "js" ? "js" : "auto");
  const landscape = LANDSCAPES[state.landscape];
  let objective: Objective | undefined;
  let landscapeError: string | undefined;
  let arrows: GradientArrows | undefined;
  try {
    objective = landscape.objective(state.expression);
    map.show({ grid: sampleGrid(objective, state.window), window: state.window, xLabel: landscape.xLabel, yLabel: landscape.yLabel, minimum: landscape.minimum, localMinima: landscape.localMinima });
    results = computeRuns(objective, state);
    arrows = gradientArrows(objective, state);
  } catch (e) {
    landscapeError = e instanceof Error ? e.message : String(e);
    results = [];
  }
  map.drawArrows(arrows);
  paths = results.map((r) => r.path);
  losses = results.map((r) => r.losses);
  labels = results.map((r, k) => runLabel(r.settings, k));
  const info = backendInfo();
  drawControls(controlsHost, { state, results, arrows, landscapeError, backend: info.reason ? `${info.name} (${info.reason})` : info.name }, (s) => update(s));
  map.setStart(state.start);
  map.setCursor(state.start);
  if (options.writeUrl !== false) history.replaceState(null, "", `#${encodeState(state)}`);
  player.pause();
  const total = Math.max(0, ...results.map((r) => r.path.length - 1));
  drawLosses(total);
  player.load(total);
  if (options.play !== false) player.play();
}

playButton.addEventListener("click", () => (player.playing ? player.pause() : player.play()));
byId("step").addEventListener("click", () => player.step());
byId("reset").addEventListener("click", () => player.reset());
speedSelect.addEventListener("change", () => (player.speed = Number(speedSelect.value)));
player.speed = Number(speedSelect.value);
addEventListener("hashchange", () => {
  if (location.hash.slice(1) !== encodeState(state)) update(decodeState(location.hash, state), { writeUrl: false });
});

declare global {
  interface Window {
    __playground: unknown;
  }
}
window.__playground = {
  state: () => state,
  url: () => encodeState(state),
  /** The points drawn of each run, in the landscape's coordinates: its path from step 0 to the step shown. */
  drawn: () => results.map((r) => r.path.slice(0, player.shown + 1).map((p) => [p[0], p[1]])),
  errors: () => results.map((r) => r.error ?? null),
  shown: () => player.shown,
  total: () => player.total,
  backend: () => backendInfo(),
};

update(state);
