// The control panel: presets, the landscape and its window, the start, the budget, the backend,
// and up to four optimizers with every option of each. It is redrawn from the state after each
// change ("change" events: on Enter or leaving a field), keeping the focus where it was.
import type { OptimizerName } from "gradstep";
import { h } from "./dom.js";
import { LANDSCAPE_IDS, LANDSCAPES } from "./landscapes.js";
import { OPTIMIZER_NAMES, type OptionField, optionFields } from "./optimizer-options.js";
import { RUN_COLORS } from "./palette.js";
import { PRESETS } from "./presets.js";
import type { RunResult } from "./runs.js";
import { MAX_RUNS, MAX_STEPS, type PlaygroundState, type RunSettings, withLandscape } from "./state.js";

export interface ControlsInput {
  readonly state: PlaygroundState;
  readonly results: readonly RunResult[];
  /** What went wrong with the landscape (a formula that does not parse), if anything. */
  readonly landscapeError?: string;
  readonly backend: string;
}

type Change = (next: PlaygroundState) => void;

const numberInput = (key: string, value: number, onValue: (v: number | undefined) => void, attributes: Record<string, string | number> = {}) => {
  const input = h("input", { type: "number", step: "any", value: String(value), "data-key": key, ...attributes });
  input.addEventListener("change", () => {
    const v = input.value.trim() === "" ? undefined : Number(input.value);
    onValue(v !== undefined && Number.isFinite(v) ? v : undefined);
  });
  return input;
};

const labelled = (text: string, control: HTMLElement) => h("label", {}, h("span", {}, text), control);

function optionControl(field: OptionField, run: RunSettings, k: number, setOptions: (options: RunSettings["options"]) => void): HTMLElement {
  const key = `run${k}.${field.name}`;
  const current = run.options[field.name] ?? field.default;
  const set = (value: number | boolean | string | undefined) => {
    const options = { ...run.options };
    if (value === undefined || value === field.default) delete options[field.name];
    else options[field.name] = value;
    setOptions(options);
  };
  if (field.kind === "number") return labelled(field.name, numberInput(key, current as number, set));
  if (field.kind === "flag") {
    const box = h("input", { type: "checkbox", checked: current === true, "data-key": key });
    box.addEventListener("change", () => set(box.checked));
    return labelled(field.name, box);
  }
  const select = h("select", { "data-key": key }, ...field.choices.map((c) => h("option", { value: c, selected: c === current }, c)));
  select.addEventListener("change", () => set(select.value));
  return labelled(field.name, select);
}

function runControls(state: PlaygroundState, k: number, result: RunResult | undefined, change: Change): HTMLElement {
  const run = state.runs[k];
  const replace = (next: RunSettings) => change({ ...state, runs: state.runs.map((r, i) => (i === k ? next : r)) });
  const select = h("select", { "data-key": `run${k}.optimizer`, "aria-label": `optimizer ${k + 1}` }, ...OPTIMIZER_NAMES.map((n) => h("option", { value: n, selected: n === run.optimizer }, n)));
  select.addEventListener("change", () => replace({ optimizer: select.value as OptimizerName, options: {} }));
  const remove = h("button", { type: "button", "data-key": `run${k}.remove`, disabled: state.runs.length === 1, title: "remove this optimizer" }, "remove");
  remove.addEventListener("click", () => change({ ...state, runs: state.runs.filter((_, i) => i !== k) }));
  const fields = optionFields(run.optimizer).map((f) => optionControl(f, run, k, (options) => replace({ ...run, options })));
  const final = result && result.losses.length > 0 ? `loss ${result.losses[result.losses.length - 1].toPrecision(4)} after ${result.losses.length - 1} steps` : "";
  return h(
    "fieldset",
    { class: "run", style: `--run-color: ${RUN_COLORS[k]}` },
    h("legend", {}, h("span", { class: "swatch", "aria-hidden": "true" }), select, remove),
    h("div", { class: "fields" }, ...fields),
    h("p", { class: result?.error ? "error" : "final" }, result?.error ?? final),
  );
}

export function drawControls(host: HTMLElement, input: ControlsInput, change: Change): void {
  const { state } = input;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
  const landscape = LANDSCAPES[state.landscape];

  const presets = h("div", { class: "presets" }, ...PRESETS.map((p) => {
    const button = h("button", { type: "button", "data-preset": p.id, "data-key": `preset.${p.id}` }, p.label);
    button.addEventListener("click", () => change({ ...p.state, backend: state.backend }));
    return button;
  }));

  const landscapeSelect = h("select", { "data-key": "landscape" }, ...LANDSCAPE_IDS.map((id) => h("option", { value: id, selected: id === state.landscape }, LANDSCAPES[id].label)));
  landscapeSelect.addEventListener("change", () => change(withLandscape(state, landscapeSelect.value as PlaygroundState["landscape"])));

  const expression = h("input", { type: "text", value: state.expression, "data-key": "expression", spellcheck: "false", autocomplete: "off", "aria-label": "f(x, y)" });
  expression.addEventListener("change", () => change({ ...state, expression: expression.value }));

  const win = state.window;
  const setWindow = (i: number) => (v: number | undefined) => {
    const w = [...win] as [number, number, number, number];
    if (v !== undefined) w[i] = v;
    if (w[0] < w[1] && w[2] < w[3]) change({ ...state, window: w });
    else change(state); // an empty window: redraw what was
  };
  const setStart = (i: number) => (v: number | undefined) => change({ ...state, start: i === 0 ? [v ?? state.start[0], state.start[1]] : [state.start[0], v ?? state.start[1]] });
  const backend = h("select", { "data-key": "backend" }, h("option", { value: "auto", selected: state.backend === "auto" }, "Wasm where allowed, else JS"), h("option", { value: "js", selected: state.backend === "js" }, "JS kernels"));
  backend.addEventListener("change", () => change({ ...state, backend: backend.value === "js" ? "js" : "auto" }));

  const add = h("button", { type: "button", "data-key": "add", disabled: state.runs.length >= MAX_RUNS }, "add an optimizer");
  add.addEventListener("click", () => change({ ...state, runs: [...state.runs, { optimizer: "Adam", options: { lr: 0.01 } }] }));

  host.replaceChildren(
    h("h2", {}, "Presets"),
    presets,
    h("h2", {}, "Landscape"),
    labelled("function", landscapeSelect),
    ...(state.landscape === "custom"
      ? [labelled("f(x, y) =", expression), h("p", { class: "hint" }, "numbers, x, y, pi, + − * / ^, parentheses, sin cos exp log sqrt abs tanh")]
      : []),
    ...(input.landscapeError ? [h("p", { class: "error", role: "alert" }, input.landscapeError)] : []),
    h(
      "div",
      { class: "fields" },
      labelled("x from", numberInput("x0", win[0], setWindow(0))),
      labelled("x to", numberInput("x1", win[1], setWindow(1))),
      labelled("y from", numberInput("y0", win[2], setWindow(2))),
      labelled("y to", numberInput("y1", win[3], setWindow(3))),
      labelled("start x", numberInput("start0", state.start[0], setStart(0))),
      labelled("start y", numberInput("start1", state.start[1], setStart(1))),
      labelled("steps", numberInput("steps", state.steps, (v) => change({ ...state, steps: v !== undefined && Number.isInteger(v) && v >= 1 && v <= MAX_STEPS ? v : state.steps }), { min: 1, max: MAX_STEPS, step: 1 })),
      ...(landscape.data
        ? [
            labelled("batch size (0: all)", numberInput("batch", state.batch, (v) => change({ ...state, batch: v !== undefined && Number.isInteger(v) && v >= 0 ? v : 0 }), { min: 0, step: 1 })),
            labelled("seed", numberInput("seed", state.seed, (v) => change({ ...state, seed: v !== undefined && Number.isInteger(v) ? v : 1 }), { step: 1 })),
          ]
        : []),
    ),
    labelled("kernels", backend),
    h("p", { class: "hint", "data-backend": input.backend }, `running on: ${input.backend}`),
    h("h2", {}, "Optimizers"),
    ...state.runs.map((_, k) => runControls(state, k, input.results[k], change)),
    add,
  );
  if (focused !== undefined) (host.querySelector(`[data-key="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
}
