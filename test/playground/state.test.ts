// The playground's state in the URL, its presets, its optimizer fields and its map geometry: each
// checked against gradstep itself (the registry's rules, minimize, gradstep/plot's SVG).
import { Adam, GradientDescent, Lion, optimizerRegistry, SGD } from "gradstep";
import { minimize, rosenbrock } from "gradstep/learn";
import { contourMap, figure } from "gradstep/plot";
import { describe, expect, test } from "vitest";
import { expressionObjective } from "../../docs/playground/src/expression-objective.js";
import { LANDSCAPES } from "../../docs/playground/src/landscapes.js";
import { MAP_AREA, MAP_HEIGHT, MAP_WIDTH, toPixel, toPoint } from "../../docs/playground/src/map-geometry.js";
import { optionFields } from "../../docs/playground/src/optimizer-options.js";
import { PRESETS } from "../../docs/playground/src/presets.js";
import { computeRuns, runLabel } from "../../docs/playground/src/runs.js";
import { counterText } from "../../docs/playground/src/step-counter.js";
import { decodeState, encodeState, MAX_RUNS, MAX_STEPS, type PlaygroundState } from "../../docs/playground/src/state.js";

const fallback = PRESETS[0].state;

describe("the playground's state", () => {
  test("every preset reads back from its URL as the same state", () => {
    for (const { state } of PRESETS) expect(decodeState(encodeState(state), fallback)).toEqual(state);
  });

  test("numbers read back as the same doubles; a formula with any characters reads back as typed", () => {
    const state: PlaygroundState = {
      ...fallback,
      landscape: "custom",
      expression: "sin(x)^2 + (y - 1/3)*exp(-x) + 1e-3 & # = , : % + ?",
      window: [-0.1 - 0.2, Math.PI, -1e-300, 5e-324],
      start: [0.1 + 0.2, -Number.MIN_VALUE],
      steps: 4321,
      runs: [{ optimizer: "RMSProp", options: { lr: 1 / 3, centered: true, epsPlacement: "inside" } }],
      backend: "js",
      batch: 0,
    };
    const back = decodeState(`#${encodeState(state)}`, fallback);
    expect(back).toEqual(state);
    expect(Object.is(back.start[0], 0.1 + 0.2)).toBe(true);
  });

  test("what is not valid falls back: unknown landscape, optimizer or option, a bad window or budget", () => {
    const back = decodeState("l=nowhere&w=1,0,0,1&s=a,b&n=0&r=Nope&r=Adam:lr=x,nope=1,amsgrad=yes,epsPlacement=sideways&b=gpu&batch=-1", fallback);
    expect(back).toEqual({ ...fallback, runs: [{ optimizer: "Adam", options: {} }] });
    expect(decodeState("", fallback)).toEqual(fallback);
  });

  test("a race holds as many runs as the registry has optimizers; more are cut, the first valid ones kept", () => {
    expect(MAX_RUNS).toBe(optimizerRegistry.length);
    expect(decodeState(Array(MAX_RUNS + 3).fill("r=SGD").join("&"), fallback).runs).toHaveLength(MAX_RUNS);
    // runs that do not read do not count: the first MAX_RUNS that do are kept, in their order
    const names = optimizerRegistry.map((e) => e.name);
    const mixed = [...names.map((n) => `r=${n}:lr=0.5`), "r=SGD:lr=2"].flatMap((r) => ["r=Nope", r]).join("&");
    expect(decodeState(mixed, fallback).runs).toEqual(names.map((optimizer) => ({ optimizer, options: { lr: 0.5 } })));
    // a hundred thousand runs: the first MAX_RUNS are read (the rest are not decoded at all)
    expect(decodeState(Array(100_000).fill("r=Adam:lr=0.1,beta=0.8").join("&"), fallback).runs).toEqual(Array(MAX_RUNS).fill({ optimizer: "Adam", options: { lr: 0.1, beta: 0.8 } }));
  });

  test("figure 7's seventeen runs fit a link of a few hundred characters, and read back as the same race", () => {
    const seven = PRESETS.find((p) => p.id === "figure-7")!.state;
    expect(seven.runs).toHaveLength(MAX_RUNS);
    const text = encodeState(seven);
    expect(text.length).toBeLessThan(500);
    expect(decodeState(`#${text}`, fallback)).toEqual(seven);
    // with a schedule for η (where the rule takes one) and its own start and step budget on every run, still well under the few kB a URL may take
    const schedulable = (name: string) => optionFields("gradstep", name).some((f) => f.name === "lr" && f.kind === "number" && f.schedulable);
    const busy: PlaygroundState = {
      ...seven,
      runs: seven.runs.map((r, k) => ({
        ...r,
        options: schedulable(r.optimizer) ? { ...r.options, lr: { kind: "cosine", initial: r.options.lr as number, final: 0, period: 3000 } } : r.options,
        start: [-1.5 + k / 100, 2],
        steps: 1000 + k,
      })),
    };
    expect(busy.runs.filter((r) => typeof r.options.lr === "object").length).toBeGreaterThan(10);
    const long = encodeState(busy);
    expect(long.length).toBeLessThan(2500);
    expect(decodeState(long, fallback)).toEqual(busy);
  });
});

describe("a run's own step budget", () => {
  test("reads back from the URL as @steps, beside its own start and batch size", () => {
    const state: PlaygroundState = {
      ...fallback,
      landscape: "gabor",
      steps: 300,
      runs: [
        { optimizer: "GradientDescent", options: { lr: 0.1 }, steps: 1 },
        { convention: "lecture", optimizer: "Adam", options: { lr: 0.05 }, start: [0.5, 9], batch: 5, steps: MAX_STEPS },
        { optimizer: "Momentum", options: {} },
      ],
    };
    const text = encodeState(state);
    expect(text.slice(text.indexOf("&n="))).toBe("&n=300&r=GradientDescent:lr=0.1,@steps=1&r=lecture.Adam:lr=0.05,@start=[0.5,9],@batch=5,@steps=5000&r=Momentum");
    expect(decodeState(text, fallback)).toEqual(state);
  });

  test("a budget that is not a whole number from 1 to MAX_STEPS is dropped (the run keeps the common one); the run and its other fields stay", () => {
    for (const bad of ["0", "-3", "2.5", "5001", "1e9", "x", "[40,60]", "true", "", "NaN", "Infinity"]) {
      const back = decodeState(`n=200&r=Adam:lr=0.05,@steps=${bad},@batch=2`, fallback);
      expect(back.runs, bad).toEqual([{ optimizer: "Adam", options: { lr: 0.05 }, batch: 2 }]);
      expect(back.steps).toBe(200);
    }
    // the common budget falls back the same way
    expect(decodeState("n=2.5&r=Adam", fallback).steps).toBe(fallback.steps);
    expect(decodeState("n=5001&r=Adam", fallback).steps).toBe(fallback.steps);
    expect(decodeState("n=5000&r=Adam:@steps=1", fallback)).toMatchObject({ steps: 5000, runs: [{ optimizer: "Adam", options: {}, steps: 1 }] });
  });

  test("each run is minimize's path for its own budget, the others for the common one", () => {
    const state: PlaygroundState = {
      ...fallback,
      landscape: "rosenbrock",
      start: [-1.2, 1],
      steps: 100,
      runs: [{ optimizer: "Adam", options: { lr: 0.1 } }, { optimizer: "Adam", options: { lr: 0.1 }, steps: 7 }, { optimizer: "Lion", options: { lr: 0.01 }, steps: 250, start: [0, 2] }],
    };
    const runs = computeRuns(rosenbrock(), state);
    const expected = [
      minimize({ objective: rosenbrock(), optimizer: new Adam({ lr: 0.1 }), params: Float64Array.of(-1.2, 1), steps: 100, record: {} }),
      minimize({ objective: rosenbrock(), optimizer: new Adam({ lr: 0.1 }), params: Float64Array.of(-1.2, 1), steps: 7, record: {} }),
      minimize({ objective: rosenbrock(), optimizer: new Lion({ lr: 0.01 }), params: Float64Array.of(0, 2), steps: 250, record: {} }),
    ];
    expect(runs.map((r) => r.path.length)).toEqual([101, 8, 251]);
    runs.forEach((r, k) => {
      expect(r.path).toEqual(expected[k].path);
      expect(r.losses).toEqual(expected[k].losses);
      expect(r.error).toBeUndefined();
    });
    // the shorter run is the longer one's first steps (the same optimizer from the same start)
    expect(runs[1].path).toEqual(runs[0].path.slice(0, 8));
  });

  test("a run is named by its number and optimizer, with its convention when not gradstep's (the legend's and its panel's label)", () => {
    expect(runLabel({ optimizer: "Adam", options: {} }, 0)).toBe("1. Adam");
    expect(runLabel({ convention: "gradstep", optimizer: "SGD", options: {} }, 16)).toBe("17. SGD");
    expect(runLabel({ convention: "lecture", optimizer: "Adam", options: {} }, 2)).toBe("3. lecture.Adam");
    expect(runLabel({ convention: "pytorch", optimizer: "AdamW", options: {} }, 9)).toBe("10. pytorch.AdamW");
  });

  test("the step counter shows where each run is when their paths differ in length", () => {
    expect(counterText(0, 200, [201, 41, 41, 61])).toBe("step 0 / 200 (runs at 0, 0, 0, 0)");
    expect(counterText(50, 200, [201, 41, 41, 61])).toBe("step 50 / 200 (runs at 50, 40, 40, 50)");
    expect(counterText(200, 200, [201, 41, 41, 61])).toBe("step 200 / 200 (runs at 200, 40, 40, 60)");
    expect(counterText(30, 1000, [1001, 1001])).toBe("step 30 / 1000");
    expect(counterText(0, 0, [])).toBe("step 0 / 0");
  });
});

describe("the playground's optimizers", () => {
  test("every registry optimizer, with every option of its rules; a string option offers the values its rule accepts", () => {
    for (const entry of optimizerRegistry) {
      const fields = optionFields("gradstep", entry.name);
      expect(fields.map((f) => f.name)).toEqual(Object.keys(entry.optionRules));
      for (const f of fields) {
        expect(f.default).toEqual(entry.optionRules[f.name].default);
        if (f.kind === "choice") for (const c of f.choices) expect(entry.optionRules[f.name].check(f.name, c)).toBe(c);
      }
    }
    const adam = optionFields("gradstep", "Adam");
    expect(adam.find((f) => f.name === "epsPlacement")).toEqual({ name: "epsPlacement", kind: "choice", default: "outside", choices: ["inside", "outside"], target: "epsPlacement" });
  });

  test("the Rosenbrock race is minimize's paths, written out by hand", () => {
    const preset = PRESETS.find((p) => p.id === "rosenbrock-race")!.state;
    const runs = computeRuns(LANDSCAPES.rosenbrock.objective(""), preset);
    const optimizers = [new GradientDescent({ lr: 0.001 }), new SGD({ lr: 0.001, momentum: 0.9 }), new Adam({ lr: 0.1 }), new Lion({ lr: 0.01 })];
    optimizers.forEach((optimizer, k) => {
      const expected = minimize({ objective: rosenbrock(), optimizer, params: Float64Array.of(-1.2, 1), steps: 1000, record: {} });
      expect(runs[k].path).toEqual(expected.path);
      expect(runs[k].losses).toEqual(expected.losses);
      expect(runs[k].error).toBeUndefined();
    });
  });

  test("a run that diverges keeps its path up to its last finite step, and says why; a refused option is reported", () => {
    const state: PlaygroundState = { ...fallback, landscape: "custom", start: [1, 1], steps: 50, runs: [{ optimizer: "GradientDescent", options: { lr: 1 } }, { optimizer: "Adam", options: { lr: -1 } }] };
    // f = exp(x²) from x = 1, η = 1: x = 1 − 2e = −4.44 after step 1, 3.1e9 after step 2, where f = Infinity
    const [diverged, refused] = computeRuns(expressionObjective("exp(x^2)"), state);
    expect(diverged.error).toBe("stopped after step 2: the loss or the gradient is not finite");
    expect(diverged.path).toEqual([[1, 1], [1 - 2 * Math.E, 1], [3135719175.124453, 1]]);
    // f = sqrt(x²) from x = 1, η = 1: x = 0 after step 1, where f = 0 but the gradient is (0.5/0)·0 = NaN:
    // minimize stops before step 2 and keeps the path so far
    const [nan] = computeRuns(expressionObjective("sqrt(x^2)"), { ...state, runs: [{ optimizer: "GradientDescent", options: { lr: 1 } }] });
    expect(nan.error).toBe("stopped after step 1: the loss or the gradient is not finite");
    expect(nan.path).toEqual([[1, 1], [0, 1]]);
    expect(refused.error).toMatch(/lr = -1/);
    expect(refused.path).toEqual([[1, 1]]);
  });
});

test("the page's plot area is gradstep/plot's (the clip rectangle of a contour map)", () => {
  const svg = figure([contourMap({ grid: { x: [0, 1], y: [0, 1], values: [0, 1, 1, 2] }, width: MAP_WIDTH, height: MAP_HEIGHT })]);
  const rect = svg.match(/<clipPath id="p0-clip"><rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)"/)!.slice(1).map(Number);
  expect(rect).toEqual([MAP_AREA.left, MAP_AREA.top, MAP_AREA.right - MAP_AREA.left, MAP_AREA.bottom - MAP_AREA.top]);
});

test("a pixel of the plot area and its point of the window map to each other", () => {
  const window = [-2, 2, -1, 3] as const;
  expect(toPixel(window, -2, -1)).toEqual([MAP_AREA.left, MAP_AREA.bottom]);
  expect(toPixel(window, 2, 3)).toEqual([MAP_AREA.right, MAP_AREA.top]);
  const [px, py] = toPixel(window, 0.5, 0.25);
  const [x, y] = toPoint(window, px, py)!;
  expect(x).toBeCloseTo(0.5, 14);
  expect(y).toBeCloseTo(0.25, 14);
  expect(toPoint(window, MAP_AREA.left - 1, py)).toBeUndefined();
});
