// The paths: each optimizer run by gradstep's own `minimize` from the start, recording θ and the
// full loss at every step. The page computes them all up front (four runs of a few thousand 2-D
// steps take milliseconds) and then animates how much of them is drawn.
import { EpochSampler, minimize, type Objective } from "gradstep/learn";
import { createOptimizer } from "./optimizer-options.js";
import type { PlaygroundState, RunSettings } from "./state.js";

export interface RunResult {
  readonly settings: RunSettings;
  /** θ at steps 0, 1, 2, …: the start, then after each step. */
  readonly path: readonly (readonly number[])[];
  /** The full loss at the same steps. */
  readonly losses: readonly number[];
  /** Why it stopped short of the step budget, or the option it refused. */
  readonly error?: string;
}

/** `minimize` as the page calls it: mini-batches from a seeded sampler on a data landscape when asked. */
function run(objective: Objective, state: PlaygroundState, settings: RunSettings, steps: number, onStep?: (t: number) => void) {
  const sampler =
    state.batch > 0 && objective.examples !== undefined
      ? new EpochSampler({ size: objective.examples, batchSize: Math.min(state.batch, objective.examples), seed: state.seed })
      : undefined;
  const optimizer = createOptimizer(settings.optimizer, settings.options);
  return minimize({ objective, optimizer, params: Float64Array.from(state.start), steps, sampler, record: {}, onStep });
}

/** Each run of `state` on `objective`: its path and losses, or what stopped it. */
export function computeRuns(objective: Objective, state: PlaygroundState): RunResult[] {
  return state.runs.map((settings) => {
    let reached = 0;
    try {
      const result = run(objective, state, settings, state.steps, (t) => void (reached = t));
      return { settings, path: result.path, losses: result.losses };
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (reached === 0) {
        const start = Float64Array.from(state.start);
        return { settings, path: [Array.from(start)], losses: [objective.evaluate(start, null)], error: message };
      }
      // A step met a non-finite gradient (the run diverged): the same run, stopped before it.
      const result = run(objective, state, settings, reached);
      return { settings, path: result.path, losses: result.losses, error: `stopped after step ${reached}: ${message}` };
    }
  });
}
