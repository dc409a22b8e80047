// The playground's schedules, conventions and figure presets, each checked against gradstep itself
// (its schedule checks, its lecture and pytorch presets, minimize) and against the examples that
// draw the lecture's figures.
import { Adam, GradientDescent, lecture, Momentum, Nesterov, optimizerRegistry, pytorch, schedule, scheduleValue } from "gradstep";
import { anisotropicValley, EpochSampler, empiricalRisk, gaborModel, gridSearch, linearRegression, meanSquaredError, minimize, rosenbrock, sigmoidRegression, solve, sumOfSquares, udlGaborData, udlLinearData } from "gradstep/learn";
import { describe, expect, test } from "vitest";
import { optimizers as benchOptimizers } from "../../bench/convergence-problems.js";
import { tunedRates } from "../../bench/convergence-rates.js";
import { sigmoidData as exampleSigmoidData } from "../../examples/01-brute-force.js";
import { GABOR_GLOBAL, GABOR_LOCAL } from "../../examples/03-gabor.js";
import { SETTINGS as EXAMPLE_FIGURE7 } from "../../examples/07-all-optimizers.js";
import { LANDSCAPES, sigmoidData } from "../../docs/playground/src/landscapes.js";
import { convertChoice, createOptimizer, optimizerNames, optionFields } from "../../docs/playground/src/optimizer-options.js";
import { FIGURE7_SETTINGS, PRESETS } from "../../docs/playground/src/presets.js";
import { computeRuns } from "../../docs/playground/src/runs.js";
import { SCHEDULE_KIND_NAMES, SCHEDULE_KINDS, scheduleStart, scheduleTemplate, toSchedule, WARMUP } from "../../docs/playground/src/schedules.js";
import { decodeState, encodeState, type PlaygroundState } from "../../docs/playground/src/state.js";
import { formatValue, parseFields, type Plain, parseValue, toPlain } from "../../docs/playground/src/value-syntax.js";

const fallback = PRESETS[0].state;
const preset = (id: string) => PRESETS.find((p) => p.id === id)!.state;

describe("the value syntax of the URL", () => {
  test("numbers, words, lists and nested schedules read back as written, numbers as the same doubles", () => {
    const values: Plain[] = [
      0.1 + 0.2,
      -5e-324,
      true,
      "inside",
      [0.9, 0.95],
      { kind: "cosine", initial: 1 / 3, final: 0, period: 100, after: "continue" },
      { kind: "sequence", boundaries: [10, 20], schedules: [{ kind: "linear", initial: 0, final: 0.1, steps: 10 }, { kind: "constant", value: 0.1 }, { kind: "exponential", initial: 0.1, gamma: 0.99 }] },
    ];
    for (const v of values) expect(toPlain(parseValue(formatValue(v))!)).toEqual(v);
    expect(formatValue(values[5])).toBe("cosine(initial=0.3333333333333333,final=0,period=100,after=continue)");
    expect(parseFields("lr=step(initial=0.1,gamma=0.5,stepSize=7),betas=[0.9,0.99]")).toEqual({ lr: { kind: "step", fields: { initial: "0.1", gamma: "0.5", stepSize: "7" } }, betas: ["0.9", "0.99"] });
  });

  test("what does not parse is undefined", () => {
    for (const text of ["lr=cosine(initial=1", "lr=[1,2", "lr", "lr=1)", "=1,"]) expect(parseFields(text)).toBeUndefined();
  });
});

describe("schedules as hyperparameters", () => {
  test("every kind of gradstep's Schedule, each field of it accepted by gradstep's check", () => {
    expect(new Set(SCHEDULE_KIND_NAMES)).toEqual(new Set(["constant", "step", "multiStep", "exponential", "cosine", "linear", "polynomial", "oneCycle", "cosineRestarts", "piecewise", "sequence"]));
    // a value of the right type for each field, or the template's
    const samples: Record<string, unknown> = { after: "continue", anneal: "linear", threePhase: true, warmupFraction: 0.25, periodMultiplier: 2, power: 3, final: 0.001 };
    for (const kind of SCHEDULE_KIND_NAMES) {
      const template = scheduleTemplate(kind, 0.1, 1000) as unknown as Record<string, unknown>;
      const full = { ...template };
      for (const f of SCHEDULE_KINDS[kind].fields) full[f.name] ??= samples[f.name];
      expect(() => schedule(full as never), kind).not.toThrow();
      expect(toSchedule(full as never), kind).toEqual(full);
    }
  });

  test("each template starts from the option's number and gradstep's Adam accepts it as lr", () => {
    for (const kind of [...SCHEDULE_KIND_NAMES, WARMUP] as const) {
      const s = scheduleTemplate(kind, 0.05, 200);
      expect(() => new Adam({ lr: s }), kind).not.toThrow();
      expect(scheduleStart(s), kind).toBe(0.05);
      if (kind !== WARMUP && kind !== "sequence" && kind !== "oneCycle") expect(scheduleValue(s, 0), kind).toBe(0.05);
    }
    // the warm-up starts from 0 and reaches the rate after its first tenth
    const warm = scheduleTemplate(WARMUP, 0.05, 200);
    expect([scheduleValue(warm, 0), scheduleValue(warm, 20)]).toEqual([0, 0.05]);
  });

  test("a schedule in the URL reads back; an unknown kind, or fields of the wrong type, are dropped", () => {
    const lr = { kind: "oneCycle", initial: 0.004, peak: 0.1, final: 1e-5, totalSteps: 300, anneal: "linear", threePhase: true } as const;
    const state: PlaygroundState = { ...fallback, runs: [{ optimizer: "SGD", options: { lr, momentum: { kind: "constant", value: 0.9 } } }] };
    expect(decodeState(encodeState(state), fallback)).toEqual(state);
    const back = decodeState("r=Adam:lr=wobble(a=1),beta=cosine(initial=0.9,final=x,period=10,nope=1),eps=step(initial=1)", fallback);
    expect(back.runs).toEqual([{ optimizer: "Adam", options: { beta: { kind: "cosine", initial: 0.9, period: 10 }, eps: { kind: "step", initial: 1 } } }]);
    // an option whose rule takes no schedule (ASGD's α) keeps numbers only
    expect(decodeState("r=ASGD:alpha=constant(value=0.5),lambd=constant(value=0.5)", fallback).runs[0].options).toEqual({ lambd: { kind: "constant", value: 0.5 } });
  });

  test("an impossible schedule is the run's error (gradstep's message), with the start as its path", () => {
    const state: PlaygroundState = { ...fallback, runs: [{ optimizer: "Adam", options: { lr: { kind: "cosine", initial: 0.1, final: 0, period: 0 } } }] };
    const [run] = computeRuns(LANDSCAPES.valley.objective(""), state);
    expect(run.error).toMatch(/lr\.period = 0/);
    expect(run.path).toEqual([[-0.7, -0.9]]);
  });

  test("the schedules preset is minimize's paths with Adam given the same schedules", () => {
    const state = preset("schedules");
    const runs = computeRuns(rosenbrock(), state);
    const rates = [
      0.1,
      { kind: "step", initial: 0.1, gamma: 0.5, stepSize: 250 },
      { kind: "cosine", initial: 0.1, final: 0, period: 1000 },
      { kind: "sequence", boundaries: [100], schedules: [{ kind: "linear", initial: 0, final: 0.1, steps: 100 }, { kind: "cosine", initial: 0.1, final: 0, period: 900 }] },
    ] as const;
    rates.forEach((lr, k) => {
      const expected = minimize({ objective: rosenbrock(), optimizer: new Adam({ lr }), params: Float64Array.of(-1.2, 1), steps: 1000, record: {} });
      expect(runs[k].error).toBeUndefined();
      expect(runs[k].path).toEqual(expected.path);
    });
  });
});

describe("the lecture's and PyTorch's conventions", () => {
  test("each convention offers the presets gradstep has for the registry's rules (PyTorch's LBFGS aside: its step takes the objective)", () => {
    expect(optimizerNames("gradstep")).toEqual(optimizerRegistry.map((e) => e.name));
    expect(optimizerNames("lecture")).toEqual(Object.keys(lecture));
    expect(optimizerNames("pytorch")).toEqual(Object.keys(pytorch).filter((n) => n !== "LBFGS"));
  });

  test("the lecture's fields are its symbols; PyTorch's are its keywords, each setting the gradstep option it names, with PyTorch's defaults", () => {
    expect(optionFields("lecture", "Adam").map((f) => f.name)).toEqual(["lr", "beta", "gamma", "eps"]);
    expect(optionFields("lecture", "RMSProp").map((f) => f.name)).toEqual(["lr", "rho", "eps"]);
    expect(optionFields("pytorch", "Adam").map((f) => f.name)).toEqual(["lr", "weight_decay", "maximize", "betas", "eps", "amsgrad"]);
    expect(optionFields("pytorch", "AdamW").find((f) => f.name === "weight_decay")?.default).toBe(0.01);
    expect(optionFields("pytorch", "Adam").find((f) => f.name === "betas")).toEqual({ name: "betas", kind: "pair", default: [0.9, 0.999], target: ["beta", "gamma"] });
    for (const convention of ["lecture", "pytorch"] as const) {
      for (const name of optimizerNames(convention)) {
        const defaults = createOptimizer(convention, name, {}).options as Record<string, unknown>;
        for (const f of optionFields(convention, name)) {
          // a value unlike the default of the right kind, given by its keyword, lands in the target option
          const value = f.kind === "pair" ? [f.default[0] * 0.5, f.default[1] > 1 ? f.default[1] * 1.5 : f.default[1] * 0.99] : f.kind === "flag" ? !f.default : f.kind === "number" ? (Number.isInteger(f.default) && f.default > 1 ? f.default + 1 : f.default * 0.5 + 0.125) : f.default;
          if (f.kind === "flag" && name === "SGD" && f.name === "nesterov") continue; // needs momentum > 0
          const options = createOptimizer(convention, name, { [f.name]: value as never }).options as Record<string, unknown>;
          const got = typeof f.target === "string" ? options[f.target] : [options[f.target[0]], options[f.target[1]]];
          expect(got, `${convention}.${name} ${f.name}`).toEqual(value);
          const def = typeof f.target === "string" ? defaults[f.target] : [defaults[f.target[0]], defaults[f.target[1]]];
          expect(f.default, `${convention}.${name} ${f.name}'s default`).toEqual(def);
        }
      }
    }
  });

  test("a run in a convention is that preset's optimizer: the same path as minimize with lecture.* and pytorch.*", () => {
    const state = preset("lecture-vs-pytorch");
    const runs = computeRuns(LANDSCAPES.valley.objective(""), state);
    const optimizers = [
      lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 0.01 }),
      pytorch.Adam({ lr: 0.05, betas: [0.9, 0.99], eps: 0.01 }),
      lecture.Nesterov({ lr: 1, beta: 0.9 }),
      pytorch.SGD({ lr: 0.1, momentum: 0.9, nesterov: true }),
    ];
    optimizers.forEach((optimizer, k) => {
      const expected = minimize({ objective: LANDSCAPES.valley.objective(""), optimizer, params: Float64Array.of(-0.7, -0.9), steps: 150, record: {} });
      expect(runs[k].path).toEqual(expected.path);
    });
    expect(runs[0].path).not.toEqual(runs[1].path); // ε inside the root, or outside
    expect(decodeState(encodeState(state), fallback)).toEqual(state);
    // the convention and a PyTorch pair in the URL
    expect(encodeState(state)).toContain("r=pytorch.Adam:lr=0.05,betas=[0.9,0.99],eps=0.01");
  });

  test("converting a run renames its options (β, γ ↔ betas; ρ ↔ alpha; decoupled decay → AdamW) and refuses where there is no preset", () => {
    const adam = { optimizer: "Adam", options: { lr: 0.05, beta: 0.8, gamma: 0.99 } };
    expect(convertChoice(adam, "pytorch")).toEqual({ convention: "pytorch", optimizer: "Adam", options: { lr: 0.05, betas: [0.8, 0.99] } });
    expect(convertChoice(adam, "lecture")).toEqual({ convention: "lecture", optimizer: "Adam", options: { lr: 0.05, beta: 0.8, gamma: 0.99 } });
    expect(convertChoice({ optimizer: "Adam", options: { weightDecay: 0.1, weightDecayMode: "decoupled" } }, "pytorch")).toEqual({ convention: "pytorch", optimizer: "AdamW", options: { weight_decay: 0.1 } });
    expect(convertChoice({ optimizer: "RMSProp", options: { rho: 0.9 } }, "pytorch")).toEqual({ convention: "pytorch", optimizer: "RMSprop", options: { alpha: 0.9 } });
    // back to gradstep: every convention the preset set, as options (the lecture's ε inside the root)
    expect(convertChoice({ convention: "lecture", optimizer: "Adam", options: { lr: 0.05 } }, "gradstep")).toEqual({ optimizer: "Adam", options: { lr: 0.05, epsPlacement: "inside" } });
    expect(convertChoice({ optimizer: "SGD", options: {} }, "lecture")).toBeUndefined();
    expect(convertChoice({ optimizer: "Lion", options: {} }, "pytorch")).toBeUndefined();
    expect(convertChoice({ optimizer: "Adam", options: { lr: -1 } }, "pytorch")).toBeUndefined();
  });

  test("an unknown convention or a name it does not have is dropped from the URL", () => {
    expect(decodeState("r=keras.Adam&r=lecture.SGD&r=pytorch.LBFGS&r=pytorch.RMSprop:alpha=0.9,rho=0.5", fallback).runs).toEqual([{ convention: "pytorch", optimizer: "RMSprop", options: { alpha: 0.9 } }]);
  });
});

describe("a preset for each of the lecture's figures", () => {
  test("figure 1's data are the example's; its run is gradient descent with η = 2 from (3, −3)", () => {
    expect(sigmoidData()).toEqual(exampleSigmoidData());
    const [run] = computeRuns(LANDSCAPES.sigmoid.objective(""), preset("figure-1"));
    const J = empiricalRisk(sigmoidRegression(), meanSquaredError(), exampleSigmoidData());
    expect(run.path).toEqual(minimize({ objective: J, optimizer: new GradientDescent({ lr: 2 }), params: Float64Array.of(3, -3), steps: 400, record: {} }).path);
    // the minimum it marks: the gradient vanishes there, and the loss is below the grid's best (figure 1's 101 × 101 grid)
    const g = new Float64Array(2);
    const at = J.evaluate(Float64Array.from(LANDSCAPES.sigmoid.minimum!), g);
    expect(Math.hypot(g[0], g[1])).toBeLessThan(1e-12);
    const axis = { from: -4, to: 4, points: 101 };
    expect(at).toBeLessThan(gridSearch(J, [axis, axis]).min);
  });

  test("the Gabor landscape marks figure 3's global and local minima", () => {
    expect(LANDSCAPES.gabor.minimum).toEqual(GABOR_GLOBAL.phi);
    expect(LANDSCAPES.gabor.localMinima).toEqual(GABOR_LOCAL);
  });

  test("figures 2 and 3 start each run where the example does; figure 4 gives each run the example's batch size", () => {
    const linear = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
    const two = computeRuns(linear, preset("figure-2"));
    [[1.6, -0.5], [0.1, -0.9], [1.9, 0.9], [0.2, 0.8]].forEach((start, k) => {
      expect(two[k].path).toEqual(minimize({ objective: linear, optimizer: new GradientDescent({ lr: 0.03 }), params: Float64Array.from(start), steps: 150, record: {} }).path);
    });
    // figure 3's six starts (examples/03-gabor.ts) on one map: the first two reach the global minimum, the others stop in local ones
    const gabor = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
    const three = computeRuns(gabor, preset("figure-3"));
    const starts = [[-1.5, 8.5], [1.5, 19], [-4, 14], [4.5, 17], [-7, 6], [5, 5.5]];
    expect(three.map((r) => r.path[0])).toEqual(starts);
    starts.forEach((start, k) => {
      expect(three[k].path).toEqual(minimize({ objective: gabor, optimizer: new GradientDescent({ lr: 0.1 }), params: Float64Array.from(start), steps: 2000, record: {} }).path);
      expect(Math.abs(three[k].losses.at(-1)! - GABOR_GLOBAL.loss) < 1e-3, `from (${start})`).toBe(k < 2);
    });
    const four = computeRuns(gabor, preset("figure-4"));
    [[30, 0.1], [5, 0.4], [1, 0.8]].forEach(([batchSize, lr], k) => {
      const expected = minimize({ objective: gabor, optimizer: new GradientDescent({ lr }), params: Float64Array.of(-1.5, 6.5), sampler: new EpochSampler({ size: 30, batchSize, seed: 1 }), steps: 300, record: {} });
      expect(four[k].path).toEqual(expected.path);
    });
    // a run's own start and batch size read back from the URL
    for (const id of ["figure-2", "figure-3", "figure-4"]) expect(decodeState(encodeState(preset(id)), fallback)).toEqual(preset(id));
  });

  test("figures 5, 6 and 8 are their examples' runs, each for the steps the figure draws (figure 6's panels 200, 40, 40 and 60; figure 8's Adam until within 1e-8 of the minimum)", () => {
    const gabor = empiricalRisk(gaborModel(), sumOfSquares(), udlGaborData());
    const five = computeRuns(gabor, preset("gabor-batches"));
    [new GradientDescent({ lr: 0.6 }), new Momentum({ lr: 0.6, beta: 0.6 }), new Nesterov({ lr: 0.6, beta: 0.6 }), new Nesterov({ lr: 0.6, beta: 0.6, lookAhead: "udl" })].forEach((optimizer, k) => {
      const expected = minimize({ objective: gabor, optimizer, params: Float64Array.of(-1.5, 6.5), sampler: new EpochSampler({ size: 30, batchSize: 5, seed: 1 }), steps: 80, record: {} });
      expect(five[k].path).toEqual(expected.path);
    });
    const valley = anisotropicValley();
    const six = computeRuns(valley, preset("valley-four-ways"));
    const panels = [
      [200, new GradientDescent({ lr: 0.08 })],
      [40, new GradientDescent({ lr: 1 })],
      [40, lecture.NormalizedGradient({ lr: 0.08, eps: 1e-20 })],
      [60, lecture.Adam({ lr: 0.05, beta: 0.9, gamma: 0.99, eps: 1e-20 })],
    ] as const;
    panels.forEach(([steps, optimizer], k) => {
      const expected = minimize({ objective: valley, optimizer, params: Float64Array.of(-0.7, -0.9), steps, record: {} });
      expect(six[k].path).toHaveLength(steps + 1);
      expect(six[k].path).toEqual(expected.path);
      expect(six[k].losses).toEqual(expected.losses);
    });
    // figure 8 stops Adam at the first step whose loss is within 1e-8 of L-BFGS's minimum
    const linear = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
    const least = solve({ objective: linear, params: [1.6, -0.5], method: "lbfgs", gradientTolerance: 1e-9, relativeChange: 0 }).value;
    const adam = minimize({ objective: linear, optimizer: new Adam({ lr: 0.05 }), params: Float64Array.of(1.6, -0.5), steps: 2000, record: {}, onStep: (_, theta) => linear.evaluate(theta, null) - least > 1e-8 });
    expect(adam.steps).toBe(170);
    expect(preset("figure-8").steps).toBe(adam.steps);
    const [eight] = computeRuns(linear, preset("figure-8"));
    expect(eight.path).toEqual(adam.path);
  });

  test("figure 7 is one race of every registry optimizer, in the registry's order, with the example's tuned rates: the example's paths", () => {
    expect(FIGURE7_SETTINGS).toEqual(EXAMPLE_FIGURE7);
    expect(PRESETS.filter((p) => p.id.startsWith("figure-7")).map((p) => p.id)).toEqual(["figure-7"]);
    const seven = preset("figure-7");
    expect(seven.runs.map((r) => r.optimizer)).toEqual(optimizerRegistry.map((e) => e.name));
    expect([seven.landscape, seven.start, seven.steps]).toEqual(["rosenbrock", [-1.5, 2], 3000]);
    for (const r of seven.runs) expect(r.options).toEqual(EXAMPLE_FIGURE7[r.optimizer as keyof typeof EXAMPLE_FIGURE7]);
    // each path is the one examples/07-all-optimizers.ts draws: the bench's optimizer at its tuned rate, every step
    const runs = computeRuns(LANDSCAPES.rosenbrock.objective(""), seven);
    const rates = tunedRates["Rosenbrock, from (−1.5, 2)"];
    expect(runs).toHaveLength(benchOptimizers.length);
    benchOptimizers.forEach(([label, make], k) => {
      const expected = minimize({ objective: rosenbrock(), optimizer: make(rates[label]), params: Float64Array.of(-1.5, 2), steps: 3000, record: {} });
      expect(runs[k].error, label).toBeUndefined();
      expect(runs[k].path, label).toEqual(expected.path);
      expect(runs[k].losses, label).toEqual(expected.losses);
    });
  });

  test("the links of the five presets figure 7 once was (four runs at most a race) still read: each its four or three optimizers", () => {
    const parts = [
      "l=rosenbrock&w=-2,2,-1,3&s=-1.5,2&n=3000&r=GradientDescent:lr=0.001&r=Momentum:lr=0.01&r=Nesterov:lr=0.01&r=NormalizedGradient:lr=0.0003",
      "l=rosenbrock&w=-2,2,-1,3&s=-1.5,2&n=3000&r=AdaGrad:lr=1&r=RMSProp:lr=0.0003&r=Adam:lr=0.01&r=SGD:lr=0.001,momentum=0.9",
      "l=rosenbrock&w=-2,2,-1,3&s=-1.5,2&n=3000&r=Adamax:lr=0.0003&r=NAdam:lr=0.0003&r=RAdam:lr=0.01",
      "l=rosenbrock&w=-2,2,-1,3&s=-1.5,2&n=3000&r=Adadelta:lr=0.01&r=Rprop:lr=0.001&r=ASGD:lr=0.001",
      "l=rosenbrock&w=-2,2,-1,3&s=-1.5,2&n=3000&r=Lion:lr=0.001&r=LAMB:lr=0.003&r=Adafactor:lr=0.003",
    ];
    const seven = preset("figure-7");
    const read = parts.map((part) => decodeState(part, fallback));
    // together, the whole figure: each part the same landscape, start and budget, its runs those of the preset in turn
    for (const state of read) expect({ ...state, runs: [] }).toEqual({ ...seven, runs: [] });
    expect(read.flatMap((state) => state.runs)).toEqual(seven.runs);
    for (const [k, state] of read.entries()) expect(encodeState(state)).toBe(parts[k]);
  });

  test("every figure from 1 to 8 has a preset, and every preset reads back from its URL", () => {
    for (let n = 1; n <= 8; n++) expect(PRESETS.some((p) => p.label.startsWith(`Figure ${n}`)), `figure ${n}`).toBe(true);
    for (const { state } of PRESETS) expect(decodeState(encodeState(state), fallback)).toEqual(state);
  });
});
