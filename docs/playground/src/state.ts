// Everything the playground shows follows from one PlaygroundState, kept in the URL's fragment so
// that a link reproduces the page: `#l=rosenbrock&s=-1.2,1&n=500&r=Adam:lr=0.02`. A run is written
// `[convention.]Name[:option=value,…]` (value-syntax.ts: numbers with String(x), which reads back as
// the same double; pairs in brackets; schedules as kind(field=value,…)), and its own start, batch
// size or step budget, if it has one, as the options `@start=[x,y]`, `@batch=5` and `@steps=40`:
//   r=pytorch.AdamW:lr=cosine(initial=0.01,final=0,period=500),betas=[0.9,0.95]
// Options that are off are left out: `b=js` (the JS kernels), `batch=5&seed=1`, `arrows=1`.
import { optimizerRegistry } from "gradstep";
import { LANDSCAPE_IDS, LANDSCAPES, type LandscapeId, type Window } from "./landscapes.js";
import { CONVENTIONS, type Convention, type OptimizerChoice, optionFields, type OptionValue } from "./optimizer-options.js";
import { toSchedule } from "./schedules.js";
import { formatFields, parseFields, type Plain, toPlain } from "./value-syntax.js";

/** One optimizer of the race: its convention, name and the options that differ from its defaults; its own start, batch size and step budget, if any. */
export interface RunSettings extends OptimizerChoice {
  /** Where this run starts, instead of the common start (the lecture's figures of several starts). */
  readonly start?: readonly [number, number];
  /** This run's batch size on a data landscape, instead of the common one (0: the full batch). */
  readonly batch?: number;
  /** This run's number of steps, instead of the common budget (figure 6's panels stop after 200, 40, 40 and 60 steps): a whole number from 1 to MAX_STEPS. */
  readonly steps?: number;
}

export type BackendSetting = "auto" | "js";

export interface PlaygroundState {
  readonly landscape: LandscapeId;
  /** The formula of the "custom" landscape. */
  readonly expression: string;
  readonly window: Window;
  readonly start: readonly [number, number];
  /** The common step budget (a run may have its own). */
  readonly steps: number;
  /** One to MAX_RUNS optimizers. */
  readonly runs: readonly RunSettings[];
  /** "auto": Wasm where the page may compile it, the JS kernels otherwise; "js": the JS kernels. */
  readonly backend: BackendSetting;
  /** Mini-batch size on a data landscape (0: the full batch), and the sampler's seed. */
  readonly batch: number;
  readonly seed: number;
  /** On a data landscape: draw, at the first run's start, the gradient of each mini-batch of one epoch beside the full gradient (figure 4's arrows; gradient-arrows.ts). */
  readonly arrows: boolean;
}

/** The most runs a race holds: as many as the registry has optimizers, so that figure 7 races every one of them on one map. */
export const MAX_RUNS = optimizerRegistry.length;
export const MAX_STEPS = 5000;

/** The state of a landscape with its own window and start. */
export function withLandscape(state: PlaygroundState, id: LandscapeId): PlaygroundState {
  const l = LANDSCAPES[id];
  return { ...state, landscape: id, window: l.window, start: l.start };
}

/** A step budget the page accepts: a whole number from 1 to MAX_STEPS (the common one, or a run's own). */
export const isStepBudget = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= MAX_STEPS;

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
  const fields: Record<string, Plain> = { ...(run.options as Record<string, Plain>) };
  if (run.start !== undefined) fields["@start"] = [...run.start];
  if (run.batch !== undefined) fields["@batch"] = run.batch;
  if (run.steps !== undefined) fields["@steps"] = run.steps;
  const name = run.convention === undefined || run.convention === "gradstep" ? run.optimizer : `${run.convention}.${run.optimizer}`;
  const text = formatFields(fields);
  return text === "" ? name : `${name}:${text}`;
}

const isNumber = (v: unknown): v is number => typeof v === "number";

/** An option's value from its URL form, if it is of the field's kind. */
function optionValue(field: ReturnType<typeof optionFields>[number], value: Plain): OptionValue | undefined {
  switch (field.kind) {
    case "number":
      return isNumber(value) ? value : field.schedulable ? toSchedule(value) : undefined;
    case "flag":
      return typeof value === "boolean" ? value : undefined;
    case "choice":
      return typeof value === "string" && field.choices.includes(value) ? value : undefined;
    case "pair":
      return Array.isArray(value) && value.length === 2 && value.every(isNumber) ? [value[0] as number, value[1] as number] : undefined;
  }
}

/** A run from its URL form; options the optimizer does not have, or values of the wrong kind, are dropped. */
function decodeRun(text: string): RunSettings | undefined {
  const [head, rest = ""] = text.split(/:(.*)/s, 2);
  const dot = head.indexOf(".");
  const convention = (dot < 0 ? "gradstep" : head.slice(0, dot)) as Convention;
  const name = dot < 0 ? head : head.slice(dot + 1);
  if (!CONVENTIONS.includes(convention)) return undefined;
  const fields = optionFields(convention, name);
  if (fields.length === 0) return undefined;
  const parsed = parseFields(rest) ?? {};
  const options: Record<string, OptionValue> = {};
  let start: [number, number] | undefined;
  let batch: number | undefined;
  let steps: number | undefined;
  for (const [key, syntax] of Object.entries(parsed)) {
    const value = toPlain(syntax);
    if (key === "@start" && Array.isArray(value) && value.length === 2 && value.every(isNumber)) start = [value[0] as number, value[1] as number];
    else if (key === "@batch" && isNumber(value) && Number.isInteger(value) && value >= 0) batch = value;
    else if (key === "@steps" && isStepBudget(value)) steps = value;
    const field = fields.find((f) => f.name === key);
    const v = field === undefined ? undefined : optionValue(field, value);
    if (v !== undefined) options[key] = v;
  }
  return {
    ...(convention === "gradstep" ? {} : { convention }),
    optimizer: name,
    options,
    ...(start ? { start } : {}),
    ...(batch !== undefined ? { batch } : {}),
    ...(steps !== undefined ? { steps } : {}),
  };
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
  if (state.batch > 0) p.set("batch", String(state.batch));
  // the seed with a common batch size (as always), and whenever it is not the default: runs of their own batch sizes draw by it too
  if (state.batch > 0 || state.seed !== 1) p.set("seed", String(state.seed));
  if (state.arrows) p.set("arrows", "1");
  // URLSearchParams escapes , : = ( ) [ ] @ too; they read back the same unescaped, and read better.
  return p
    .toString()
    .replace(/%2C/g, ",")
    .replace(/%3A/g, ":")
    .replace(/%3D/g, "=")
    .replace(/%28/g, "(")
    .replace(/%29/g, ")")
    .replace(/%5B/g, "[")
    .replace(/%5D/g, "]")
    .replace(/%40/g, "@");
}

/** The state a URL fragment describes, `fallback`'s values where it says nothing valid. */
export function decodeState(fragment: string, fallback: PlaygroundState): PlaygroundState {
  const p = new URLSearchParams(fragment.replace(/^#/, ""));
  const landscape = LANDSCAPE_IDS.find((id) => id === p.get("l")) ?? fallback.landscape;
  const base = landscape === fallback.landscape ? fallback : withLandscape(fallback, landscape);
  const w = numbers(p.get("w"), 4);
  const s = numbers(p.get("s"), 2);
  const n = number(p.get("n"));
  // the first MAX_RUNS valid runs; the rest is not even read (a link of a thousand r= costs no more than one of MAX_RUNS)
  const runs: RunSettings[] = [];
  for (const text of p.getAll("r")) {
    if (runs.length === MAX_RUNS) break;
    const run = decodeRun(text);
    if (run !== undefined) runs.push(run);
  }
  const batch = number(p.get("batch"));
  const seed = number(p.get("seed"));
  return {
    landscape,
    expression: p.get("f") ?? base.expression,
    window: w !== undefined && w[0] < w[1] && w[2] < w[3] ? [w[0], w[1], w[2], w[3]] : base.window,
    start: s !== undefined ? [s[0], s[1]] : base.start,
    steps: isStepBudget(n) ? n : base.steps,
    runs: runs.length > 0 ? runs : base.runs,
    backend: p.get("b") === "js" ? "js" : "auto",
    batch: batch !== undefined && Number.isInteger(batch) && batch >= 0 ? batch : 0,
    seed: seed !== undefined && Number.isInteger(seed) ? seed : 1,
    arrows: p.get("arrows") === "1",
  };
}
