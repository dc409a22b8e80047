// Everything the playground shows follows from one PlaygroundState, kept in the URL's fragment so
// that a link reproduces the page: `#l=rosenbrock&s=-1.2,1&n=500&r=Adam:lr=0.02`. Numbers are
// written with String(x), which reads back as the same double.
import type { OptimizerName } from "gradstep";
import { LANDSCAPE_IDS, LANDSCAPES, type LandscapeId, type Window } from "./landscapes.js";
import { OPTIMIZER_NAMES, optionFields, type OptionValues } from "./optimizer-options.js";

/** One optimizer of the race: its name and the options that differ from its defaults. */
export interface RunSettings {
  readonly optimizer: OptimizerName;
  readonly options: OptionValues;
}

export type BackendSetting = "auto" | "js";

export interface PlaygroundState {
  readonly landscape: LandscapeId;
  /** The formula of the "custom" landscape. */
  readonly expression: string;
  readonly window: Window;
  readonly start: readonly [number, number];
  readonly steps: number;
  /** One to four optimizers. */
  readonly runs: readonly RunSettings[];
  /** "auto": Wasm where the page may compile it, the JS kernels otherwise; "js": the JS kernels. */
  readonly backend: BackendSetting;
  /** Mini-batch size on a data landscape (0: the full batch), and the sampler's seed. */
  readonly batch: number;
  readonly seed: number;
}

export const MAX_RUNS = 4;
export const MAX_STEPS = 5000;

/** The state of a landscape with its own window and start. */
export function withLandscape(state: PlaygroundState, id: LandscapeId): PlaygroundState {
  const l = LANDSCAPES[id];
  return { ...state, landscape: id, window: l.window, start: l.start };
}

const number = (text: string | null): number | undefined => {
  if (text === null || text.trim() === "") return undefined;
  const v = Number(text);
  return Number.isFinite(v) ? v : undefined;
};

const numbers = (text: string | null, count: number): number[] | undefined => {
  const parts = text?.split(",").map(number);
  return parts?.length === count && parts.every((v) => v !== undefined) ? (parts as number[]) : undefined;
};

function encodeRun(run: RunSettings): string {
  const options = Object.entries(run.options).map(([k, v]) => `${k}=${String(v)}`);
  return options.length === 0 ? run.optimizer : `${run.optimizer}:${options.join(",")}`;
}

/** A run from its URL form; options the optimizer does not have, or values of the wrong kind, are dropped. */
function decodeRun(text: string): RunSettings | undefined {
  const [name, rest] = text.split(/:(.*)/s, 2);
  const optimizer = OPTIMIZER_NAMES.find((n) => n === name);
  if (optimizer === undefined) return undefined;
  const fields = optionFields(optimizer);
  const options: Record<string, number | boolean | string> = {};
  for (const pair of rest ? rest.split(",") : []) {
    const [key, value = ""] = pair.split(/=(.*)/s, 2);
    const field = fields.find((f) => f.name === key);
    if (field?.kind === "number" && number(value) !== undefined) options[key] = number(value)!;
    else if (field?.kind === "flag" && (value === "true" || value === "false")) options[key] = value === "true";
    else if (field?.kind === "choice" && field.choices.includes(value)) options[key] = value;
  }
  return { optimizer, options };
}

/** The URL fragment (without "#") for `state`. */
export function encodeState(state: PlaygroundState): string {
  const p = new URLSearchParams();
  p.set("l", state.landscape);
  if (state.landscape === "custom") p.set("f", state.expression);
  p.set("w", state.window.join(","));
  p.set("s", state.start.join(","));
  p.set("n", String(state.steps));
  for (const run of state.runs) p.append("r", encodeRun(run));
  if (state.backend !== "auto") p.set("b", state.backend);
  if (state.batch > 0) {
    p.set("batch", String(state.batch));
    p.set("seed", String(state.seed));
  }
  // URLSearchParams escapes , : = too; they read back the same unescaped, and read better.
  return p.toString().replace(/%2C/g, ",").replace(/%3A/g, ":").replace(/%3D/g, "=");
}

/** The state a URL fragment describes, `fallback`'s values where it says nothing valid. */
export function decodeState(fragment: string, fallback: PlaygroundState): PlaygroundState {
  const p = new URLSearchParams(fragment.replace(/^#/, ""));
  const landscape = LANDSCAPE_IDS.find((id) => id === p.get("l")) ?? fallback.landscape;
  const base = landscape === fallback.landscape ? fallback : withLandscape(fallback, landscape);
  const w = numbers(p.get("w"), 4);
  const s = numbers(p.get("s"), 2);
  const n = number(p.get("n"));
  const runs = p.getAll("r").map(decodeRun).filter((r): r is RunSettings => r !== undefined).slice(0, MAX_RUNS);
  const batch = number(p.get("batch"));
  const seed = number(p.get("seed"));
  return {
    landscape,
    expression: p.get("f") ?? base.expression,
    window: w !== undefined && w[0] < w[1] && w[2] < w[3] ? [w[0], w[1], w[2], w[3]] : base.window,
    start: s !== undefined ? [s[0], s[1]] : base.start,
    steps: n !== undefined && Number.isInteger(n) && n >= 1 && n <= MAX_STEPS ? n : base.steps,
    runs: runs.length > 0 ? runs : base.runs,
    backend: p.get("b") === "js" ? "js" : "auto",
    batch: batch !== undefined && Number.isInteger(batch) && batch >= 0 ? batch : 0,
    seed: seed !== undefined && Number.isInteger(seed) ? seed : 1,
  };
}
