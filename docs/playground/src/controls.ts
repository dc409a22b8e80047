// The control panel: presets, the landscape and its window, the start, the budget, the backend,
// and up to MAX_RUNS optimizers, each in a convention (gradstep's, the lecture's, PyTorch's) with every
// option of it, a number or a schedule, and its own start, batch size and step budget if it has
// them. It is redrawn from the state after each change ("change" events: on Enter or leaving a
// field), keeping the focus where it was. Each optimizer's panel folds (a <details>, opened and
// closed by click, Enter or Space on its summary): a race of more than OPEN_RUNS (figure 7's
// seventeen) shows the first ones open and the rest as one line each, its look, name, options and
// final loss.
import { type Schedule, scheduleValue } from "gradstep";
import { h } from "./dom.js";
import type { GradientArrows } from "./gradient-arrows.js";
import { LANDSCAPE_IDS, LANDSCAPES } from "./landscapes.js";
import { CONVENTION_LABELS, CONVENTIONS, type Convention, convertChoice, type OptionField, optionFields, optimizerNames, type OptionValue } from "./optimizer-options.js";
import { CASING, type RunLook, runLook } from "./palette.js";
import { PRESETS } from "./presets.js";
import { type RunResult, runLabel, stepsOf } from "./runs.js";
import { SCHEDULE_KIND_NAMES, SCHEDULE_KINDS, type ScheduleField, type ScheduleKind, scheduleStart, scheduleTemplate, toSchedule, WARMUP } from "./schedules.js";
import { isStepBudget, MAX_RUNS, MAX_STEPS, type PlaygroundState, type RunSettings, withLandscape } from "./state.js";
import { formatFields, formatValue, parseValue, type Plain, toPlain } from "./value-syntax.js";

export interface ControlsInput {
  readonly state: PlaygroundState;
  readonly results: readonly RunResult[];
  /** The gradient arrows drawn on the map, if the state asks for them: their description is the switch's caption. */
  readonly arrows?: GradientArrows;
  /** What went wrong with the landscape (a formula that does not parse), if anything. */
  readonly landscapeError?: string;
  readonly backend: string;
}

type Change = (next: PlaygroundState) => void;

/** How many optimizers' panels are open when a race is shown (the others fold to their summary line). */
export const OPEN_RUNS = 4;
/** Which panels the reader opened or closed, by run (undefined: as OPEN_RUNS says); kept across redraws, forgotten when a preset is chosen. */
let openRuns: (boolean | undefined)[] = [];
const isOpen = (k: number) => openRuns[k] ?? k < OPEN_RUNS;

const SVG = "http://www.w3.org/2000/svg";
/** A short sample of a run's line in its look, cased as on the map (the legend's sample, in the controls). */
function swatch(look: RunLook): SVGSVGElement {
  const svg = document.createElementNS(SVG, "svg");
  for (const [k, v] of Object.entries({ viewBox: "0 0 32 10", width: 32, height: 10, class: "swatch", "aria-hidden": "true" })) svg.setAttribute(k, String(v));
  for (const [stroke, width, dash] of [["#000", 2 + CASING.dark, ""], ["#fff", 2 + CASING.light, ""], [look.color, 2, look.dash]] as const) {
    const line = document.createElementNS(SVG, "path");
    line.setAttribute("d", "M4,5H28");
    line.setAttribute("stroke", stroke);
    line.setAttribute("stroke-width", String(width));
    if (dash !== "") line.setAttribute("stroke-dasharray", dash);
    svg.append(line);
  }
  return svg;
}

const numberInput = (key: string, value: number | undefined, onValue: (v: number | undefined) => void, attributes: Record<string, string | number> = {}) => {
  const input = h("input", { type: "number", step: "any", value: value === undefined ? "" : String(value), "data-key": key, ...attributes });
  input.addEventListener("change", () => {
    const v = input.value.trim() === "" ? undefined : Number(input.value);
    onValue(v !== undefined && Number.isFinite(v) ? v : undefined);
  });
  return input;
};

const textInput = (key: string, value: string, onValue: (text: string) => void, attributes: Record<string, string> = {}) => {
  const input = h("input", { type: "text", value, "data-key": key, spellcheck: "false", autocomplete: "off", ...attributes });
  input.addEventListener("change", () => onValue(input.value));
  return input;
};

const labelled = (text: string, control: HTMLElement) => h("label", {}, h("span", {}, text), control);

const isSchedule = (v: OptionValue | undefined): v is Schedule => typeof v === "object" && v !== null && !Array.isArray(v);

/** Numbers separated by commas (or spaces), or undefined if any is not one. */
function numberList(text: string): number[] | undefined {
  const parts = text.split(/[\s,]+/).filter((p) => p !== "");
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : undefined;
}

/** The editor of one schedule: a field per field of its kind (empty: the library's default). */
function scheduleEditor(key: string, s: Schedule, steps: number, set: (s: Schedule) => void): HTMLElement {
  const spec = SCHEDULE_KINDS[s.kind];
  const raw = s as unknown as Record<string, unknown>;
  const setField = (name: string, value: unknown) => {
    const next: Record<string, unknown> = { ...raw };
    if (value === undefined) delete next[name];
    else next[name] = value;
    set(next as unknown as Schedule);
  };
  const control = (f: ScheduleField): HTMLElement => {
    const k = `${key}.${f.name}`;
    const value = raw[f.name];
    switch (f.kind) {
      case "number":
      case "whole":
        return labelled(f.name, numberInput(k, value as number | undefined, (v) => setField(f.name, v), f.kind === "whole" ? { step: 1, placeholder: "default" } : { placeholder: "default" }));
      case "list":
        return labelled(`${f.name} (a, b, …)`, textInput(k, Array.isArray(value) ? value.join(", ") : "", (t) => setField(f.name, numberList(t) ?? value)));
      case "flag": {
        const box = h("input", { type: "checkbox", checked: value === true, "data-key": k });
        box.addEventListener("change", () => setField(f.name, box.checked ? true : undefined));
        return labelled(f.name, box);
      }
      case "choice": {
        const select = h("select", { "data-key": k }, h("option", { value: "", selected: value === undefined }, "default"), ...f.choices.map((c) => h("option", { value: c, selected: c === value }, c)));
        select.addEventListener("change", () => setField(f.name, select.value === "" ? undefined : select.value));
        return labelled(f.name, select);
      }
      case "schedules": {
        const text = Array.isArray(value) ? formatValue(value as Plain) : "[]";
        return h(
          "label",
          { class: "wide" },
          h("span", {}, "schedules [kind(field=value, …), …]"),
          textInput(k, text, (t) => {
            const parsed = parseValue(t.replace(/\s+/g, ""));
            const plain = parsed === undefined ? undefined : toPlain(parsed);
            const pieces = Array.isArray(plain) ? plain.map(toSchedule) : undefined;
            setField(f.name, pieces !== undefined && pieces.every((p) => p !== undefined) ? pieces : value);
          }),
        );
      }
    }
  };
  // The values it takes at the first, middle and last step of the budget, and its curve over the
  // budget (or why it cannot be evaluated: gradstep's error).
  let preview: string;
  let curve: SVGSVGElement | undefined;
  try {
    const at = [0, Math.floor((steps - 1) / 2), steps - 1];
    preview = `at steps ${at.join(", ")}: ${at.map((t) => scheduleValue(s, t).toPrecision(3)).join(", ")}`;
    curve = scheduleCurve(s, steps);
  } catch (e) {
    preview = e instanceof Error ? e.message : String(e);
  }
  return h("div", { class: "schedule" }, h("div", { class: "fields" }, ...spec.fields.map(control)), ...(curve ? [curve] : []), h("p", { class: "hint", "data-key": `${key}.preview` }, preview));
}

/** A small line of a schedule's value over steps 0 … steps − 1 (at most 200 points), from its lowest to its highest value. */
function scheduleCurve(s: Schedule, steps: number): SVGSVGElement {
  const width = 240;
  const height = 36;
  const count = Math.min(steps, 200);
  const ts = Array.from({ length: count }, (_, i) => (count === 1 ? 0 : Math.round((i * (steps - 1)) / (count - 1))));
  const values = ts.map((t) => scheduleValue(s, t));
  const low = Math.min(...values);
  const high = Math.max(...values);
  const y = (v: number) => (high === low ? height / 2 : 2 + (height - 4) * (1 - (v - low) / (high - low)));
  const points = values.map((v, i) => `${((i / Math.max(count - 1, 1)) * width).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", `0 0 ${width} ${height}`);
  svg.setAttribute("class", "curve");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", `the schedule over ${steps} steps, from ${low.toPrecision(3)} to ${high.toPrecision(3)}`);
  const line = document.createElementNS("http://www.w3.org/2000/svg", "polyline");
  line.setAttribute("points", points);
  line.setAttribute("fill", "none");
  line.setAttribute("stroke", "currentColor");
  line.setAttribute("stroke-width", "1.5");
  svg.append(line);
  return svg;
}

function optionControl(field: OptionField, run: RunSettings, k: number, steps: number, setOptions: (options: RunSettings["options"]) => void): HTMLElement {
  const key = `run${k}.${field.name}`;
  const current = run.options[field.name] ?? field.default;
  const set = (value: OptionValue | undefined) => {
    const options = { ...run.options };
    if (value === undefined || JSON.stringify(value) === JSON.stringify(field.default)) delete options[field.name];
    else options[field.name] = value;
    setOptions(options);
  };
  switch (field.kind) {
    case "number": {
      if (!field.schedulable) return labelled(field.name, numberInput(key, current as number, set));
      // a number, or a schedule of any kind started from the number (and back)
      const scheduled = isSchedule(current) ? current : undefined;
      const number = scheduled ? scheduleStart(scheduled) : (current as number);
      const kind = h(
        "select",
        { "data-key": `${key}.kind`, "aria-label": `${field.name}: a number or a schedule` },
        h("option", { value: "", selected: scheduled === undefined }, "number"),
        ...SCHEDULE_KIND_NAMES.map((name) => h("option", { value: name, selected: scheduled?.kind === name }, SCHEDULE_KINDS[name].label)),
        h("option", { value: WARMUP }, "warm-up, then cosine (a sequence)"),
      );
      kind.addEventListener("change", () => set(kind.value === "" ? number : scheduleTemplate(kind.value as ScheduleKind | typeof WARMUP, number, steps)));
      return h(
        "div",
        { class: scheduled ? "option wide" : "option" },
        labelled(field.name, scheduled ? kind : numberInput(key, number, set)),
        ...(scheduled ? [scheduleEditor(key, scheduled, steps, set)] : [kind]),
      );
    }
    case "flag": {
      const box = h("input", { type: "checkbox", checked: current === true, "data-key": key });
      box.addEventListener("change", () => set(box.checked));
      return labelled(field.name, box);
    }
    case "choice": {
      const select = h("select", { "data-key": key }, ...field.choices.map((c) => h("option", { value: c, selected: c === current }, c)));
      select.addEventListener("change", () => set(select.value));
      return labelled(field.name, select);
    }
    case "pair": {
      const pair = current as readonly [number, number];
      return h(
        "div",
        { class: "pair" },
        labelled(`${field.name}[0]`, numberInput(`${key}.0`, pair[0], (v) => set([v ?? field.default[0], pair[1]]))),
        labelled(`${field.name}[1]`, numberInput(`${key}.1`, pair[1], (v) => set([pair[0], v ?? field.default[1]]))),
      );
    }
  }
}

/** The run in another convention: the same rule with its options renamed, or that convention's first optimizer. */
function inConvention(run: RunSettings, to: Convention): RunSettings {
  const converted = convertChoice(run, to) ?? { ...(to === "gradstep" ? {} : { convention: to }), optimizer: optimizerNames(to)[0], options: {} };
  return { ...converted, ...(run.start ? { start: run.start } : {}), ...(run.batch !== undefined ? { batch: run.batch } : {}), ...(run.steps !== undefined ? { steps: run.steps } : {}) };
}

function runControls(state: PlaygroundState, k: number, result: RunResult | undefined, change: Change): HTMLElement {
  const run = state.runs[k];
  const convention = run.convention ?? "gradstep";
  const replace = (next: RunSettings) => change({ ...state, runs: state.runs.map((r, i) => (i === k ? next : r)) });
  const conventionSelect = h(
    "select",
    { "data-key": `run${k}.convention`, "aria-label": `conventions of optimizer ${k + 1}` },
    ...CONVENTIONS.map((c) => h("option", { value: c, selected: c === convention }, CONVENTION_LABELS[c])),
  );
  conventionSelect.addEventListener("change", () => replace(inConvention(run, conventionSelect.value as Convention)));
  const select = h("select", { "data-key": `run${k}.optimizer`, "aria-label": `optimizer ${k + 1}` }, ...optimizerNames(convention).map((n) => h("option", { value: n, selected: n === run.optimizer }, n)));
  select.addEventListener("change", () => replace({ ...run, optimizer: select.value, options: {} }));
  const remove = h("button", { type: "button", "data-key": `run${k}.remove`, disabled: state.runs.length === 1, title: "remove this optimizer", "aria-label": `remove optimizer ${k + 1}` }, "remove");
  remove.addEventListener("click", () => {
    openRuns.splice(k, 1); // the panels after it keep their state, one place up
    change({ ...state, runs: state.runs.filter((_, i) => i !== k) });
  });
  // (a schedule's preview and template span the run's own budget)
  const fields = optionFields(convention, run.optimizer).map((f) => optionControl(f, run, k, stepsOf(state, run), (options) => replace({ ...run, options })));
  // Its own start, batch size and step budget (empty: the common ones), for the figures of several
  // starts, batch sizes or budgets.
  const setOwnStart = (i: 0 | 1) => (v: number | undefined) => {
    const { start: _, ...rest } = run;
    const other = run.start?.[1 - i] ?? state.start[1 - i];
    replace(v === undefined ? rest : { ...rest, start: i === 0 ? [v, other] : [other, v] });
  };
  const own = [
    labelled("own start x", numberInput(`run${k}.start0`, run.start?.[0], setOwnStart(0), { placeholder: "common" })),
    labelled("own start y", numberInput(`run${k}.start1`, run.start?.[1], setOwnStart(1), { placeholder: "common" })),
    labelled(
      "own steps",
      numberInput(
        `run${k}.steps`,
        run.steps,
        (v) => {
          const { steps: _, ...rest } = run;
          // empty: the common budget; a value that is not a budget (0, 2.5, over MAX_STEPS) keeps what was
          replace(v === undefined ? rest : isStepBudget(v) ? { ...rest, steps: v } : run);
        },
        { min: 1, max: MAX_STEPS, step: 1, placeholder: "common" },
      ),
    ),
    ...(LANDSCAPES[state.landscape].data
      ? [
          labelled(
            "own batch size",
            numberInput(
              `run${k}.batch`,
              run.batch,
              (v) => {
                const { batch: _, ...rest } = run;
                replace(v !== undefined && Number.isInteger(v) && v >= 0 ? { ...rest, batch: v } : rest);
              },
              { min: 0, step: 1, placeholder: "common" },
            ),
          ),
        ]
      : []),
  ];
  const final = result && result.losses.length > 0 ? `loss ${result.losses[result.losses.length - 1].toPrecision(4)} after ${result.losses.length - 1} steps` : "";
  const look = runLook(k);
  // The summary line: the run's look and name, the options it sets (as in the URL), how it ended.
  const options = formatFields(run.options as Record<string, Plain>);
  const summary = h(
    "summary",
    { "data-key": `run${k}.summary` },
    swatch(look),
    h("span", { class: "run-name" }, runLabel(run, k)),
    h("span", { class: "brief" }, options === "" ? "defaults" : options),
    h("span", { class: result?.error ? "brief error" : "brief" }, result?.error ? "failed: open for why" : final.replace(/ after \d+ steps$/, "")),
  );
  const panel = h(
    "details",
    { class: look.dash === "" ? "run" : "run dashed", style: `--run-color: ${look.color}`, "data-run": k, open: isOpen(k) },
    summary,
    h("div", { class: "run-head" }, labelled("optimizer", select), remove),
    labelled("conventions", conventionSelect),
    h("div", { class: "fields" }, ...fields),
    h("div", { class: "fields own" }, ...own),
    h("p", { class: result?.error ? "error" : "final" }, result?.error ?? final),
  );
  panel.addEventListener("toggle", () => (openRuns[k] = panel.open));
  return panel;
}

export function drawControls(host: HTMLElement, input: ControlsInput, change: Change): void {
  const { state } = input;
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.key;
  const landscape = LANDSCAPES[state.landscape];

  const presetButton = (p: (typeof PRESETS)[number]) => {
    const button = h("button", { type: "button", "data-preset": p.id, "data-key": `preset.${p.id}` }, p.label);
    button.addEventListener("click", () => {
      openRuns = [];
      change({ ...p.state, backend: state.backend });
    });
    return button;
  };
  // The lecture's figures first, in order, then the other races.
  const isFigure = (p: (typeof PRESETS)[number]) => /^Figure \d/.test(p.label);
  const figureOrder = (p: (typeof PRESETS)[number]) => Number(/^Figure (\d+)/.exec(p.label)![1]);
  const figures = PRESETS.filter(isFigure).sort((a, b) => figureOrder(a) - figureOrder(b));
  const presets = h(
    "div",
    { class: "presets" },
    h("h3", {}, "The lecture's figures"),
    ...figures.map(presetButton),
    h("h3", {}, "Races"),
    ...PRESETS.filter((p) => !isFigure(p)).map(presetButton),
  );

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
  // figure 4's arrows (gradient-arrows.ts), on a data landscape: a switch, and what they show under it
  const arrowsBox = h("input", { type: "checkbox", checked: state.arrows, "data-key": "arrows" });
  arrowsBox.addEventListener("change", () => change({ ...state, arrows: arrowsBox.checked }));
  const backend = h("select", { "data-key": "backend" }, h("option", { value: "auto", selected: state.backend === "auto" }, "Wasm where allowed, else JS"), h("option", { value: "js", selected: state.backend === "js" }, "JS kernels"));
  backend.addEventListener("change", () => change({ ...state, backend: backend.value === "js" ? "js" : "auto" }));

  const add = h("button", { type: "button", "data-key": "add", disabled: state.runs.length >= MAX_RUNS }, "add an optimizer");
  add.addEventListener("click", () => {
    openRuns[state.runs.length] = true; // open, to be set
    change({ ...state, runs: [...state.runs, { optimizer: "Adam", options: { lr: 0.01 } }] });
  });
  const count = h("span", { class: "hint" }, `${state.runs.length} of at most ${MAX_RUNS}`);
  // Every panel open or folded at once (the panels are not redrawn: their toggle events record it).
  const foldAll = (open: boolean) => () => {
    for (const panel of host.querySelectorAll<HTMLDetailsElement>("details.run")) panel.open = open;
  };
  const openAll = h("button", { type: "button", "data-key": "runs.open" }, "open all");
  openAll.addEventListener("click", foldAll(true));
  const closeAll = h("button", { type: "button", "data-key": "runs.close" }, "fold all");
  closeAll.addEventListener("click", foldAll(false));
  // One convention for every run (each converted where that convention has its rule).
  const everyConvention = h(
    "div",
    { class: "conventions" },
    h("span", {}, "conventions of every optimizer:"),
    ...CONVENTIONS.map((c) => {
      const button = h("button", { type: "button", "data-key": `convention.${c}` }, CONVENTION_LABELS[c]);
      button.addEventListener("click", () => change({ ...state, runs: state.runs.map((r) => ((r.convention ?? "gradstep") === c || convertChoice(r, c) === undefined ? r : inConvention(r, c))) }));
      return button;
    }),
    h("span", { class: "hint" }, "(a rule that convention lacks, like the lecture's SGD or PyTorch's Lion, keeps its own)"),
  );

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
      labelled("steps", numberInput("steps", state.steps, (v) => change({ ...state, steps: isStepBudget(v) ? v : state.steps }), { min: 1, max: MAX_STEPS, step: 1 })),
      ...(landscape.data
        ? [
            labelled("batch size (0: all)", numberInput("batch", state.batch, (v) => change({ ...state, batch: v !== undefined && Number.isInteger(v) && v >= 0 ? v : 0 }), { min: 0, step: 1 })),
            labelled("seed", numberInput("seed", state.seed, (v) => change({ ...state, seed: v !== undefined && Number.isInteger(v) ? v : 1 }), { step: 1 })),
            labelled("batches' gradients at the start", arrowsBox),
          ]
        : []),
    ),
    ...(landscape.data && input.arrows ? [h("p", { class: "hint", "data-key": "arrows.caption" }, input.arrows.description)] : []),
    labelled("kernels", backend),
    h("p", { class: "hint", "data-backend": input.backend }, `running on: ${input.backend}`),
    h("h2", {}, "Optimizers"),
    everyConvention,
    h("div", { class: "run-tools" }, openAll, closeAll, count),
    ...state.runs.map((_, k) => runControls(state, k, input.results[k], change)),
    h("div", { class: "run-tools" }, add),
  );
  if (focused !== undefined) (host.querySelector(`[data-key="${CSS.escape(focused)}"]`) as HTMLElement | null)?.focus();
}
