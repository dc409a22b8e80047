// The paths: each optimizer run by gradstep's own `minimize` from the start, recording θ and the
// full loss at every step. The page computes them all up front (four runs of a few thousand 2-D
// steps take milliseconds) and then animates how much of them is drawn.
import { EpochSampler, minimize, type Objective } from "gradstep/learn";
import { createOptimizer } from "./optimizer-options.js";
import type { PlaygroundState, RunSettings } from "./state.js";

export interface RunResult {
  readonly settings: RunSettings;
  /** θ at steps 0, 1, 2, …: the start, then after each step, up to the run's own budget (stepsOf). */
  readonly path: readonly (readonly number[])[];
  /** The full loss at the same steps. */
  readonly losses: readonly number[];
  /** Why it stopped short of the step budget, or the option it refused. */
  readonly error?: string;
}

/** `minimize` as the page calls it: mini-batches from a seeded sampler on a data landscape when asked
 * (the run's own batch size, or the common one; every run's sampler has the same seed), for the run's
 * own number of steps or the common one. */
function run(objective: Objective, state: PlaygroundState, settings: RunSettings) {
  const batch = settings.batch ?? state.batch;
  const sampler =
    batch > 0 && objective.examples !== undefined ? new EpochSampler({ size: objective.examples, batchSize: Math.min(batch, objective.examples), seed: state.seed }) : undefined;
  const optimizer = createOptimizer(settings.convention ?? "gradstep", settings.optimizer, settings.options);
  return minimize({ objective, optimizer, params: Float64Array.from(startOf(state, settings)), steps: stepsOf(state, settings), sampler, record: {} });
}

/** Where a run starts: its own start, or the common one. */
export const startOf = (state: PlaygroundState, settings: RunSettings) => settings.start ?? state.start;

/** How many steps a run takes: its own budget, or the common one. */
export const stepsOf = (state: PlaygroundState, settings: RunSettings) => settings.steps ?? state.steps;

/** Each run of `state` on `objective`: its path and losses, or what stopped it. */
export function computeRuns(objective: Objective, state: PlaygroundState): RunResult[] {
  return state.runs.map((settings) => {
    try {
      const result = run(objective, state, settings);
      // minimize stops early, keeping the path so far, where the loss or the gradient is not finite (a run that diverged)
      if (result.reason === "nonFinite") return { settings, path: result.path, losses: result.losses, error: `stopped after step ${result.steps}: the loss or the gradient is not finite` };
      return { settings, path: result.path, losses: result.losses };
    } catch (e) {
      // an option the optimizer refuses (its InvalidOptionError names it and the value)
      const start = Float64Array.from(startOf(state, settings));
      return { settings, path: [Array.from(start)], losses: [objective.evaluate(start, null)], error: e instanceof Error ? e.message : String(e) };
    }
  });
}

/** How run k is named in the legend and on its panel: its number and its optimizer, with the convention when it is not gradstep's, e.g. "3. lecture.Adam". */
export const runLabel = (settings: RunSettings, k: number) => `${k + 1}. ${settings.convention === undefined || settings.convention === "gradstep" ? "" : `${settings.convention}.`}${settings.optimizer}`;
