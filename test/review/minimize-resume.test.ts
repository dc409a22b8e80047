// minimize checks its resume, then reads it again to use it: a getter (or a Proxy) that answers
// differently at the use than at the check defeats "a bad resume throws a typed error and leaves θ,
// the optimizer and the sampler as they were".
import { Adam, GradstepError } from "gradstep";
import { EpochSampler, minimize, type Objective, type TrainingState } from "gradstep/learn";
import { expect, test } from "vitest";

const objective: Objective = {
  dimension: 4,
  examples: 10,
  evaluate(theta, grad) {
    let value = 0;
    for (let i = 0; i < 4; i++) {
      value += (theta[i] - 1) ** 2;
      if (grad) grad[i] = 2 * (theta[i] - 1);
    }
    return value;
  },
};

const saved = (): TrainingState => {
  const first = minimize({ objective, optimizer: new Adam({ lr: 0.1 }), params: new Float64Array(4), sampler: new EpochSampler({ size: 10, batchSize: 3, seed: 1 }), steps: 3 });
  return JSON.parse(JSON.stringify(first.state));
};

/** A copy of `base` whose `key` answers truly `good` times, then `later`. */
function twoFaced(base: TrainingState, key: keyof TrainingState, later: unknown, good: number): TrainingState {
  const copy: Record<string, unknown> = { ...base };
  const first = copy[key];
  delete copy[key];
  let reads = 0;
  return Object.defineProperty(copy, key, { enumerable: true, get: () => (reads++ < good ? first : later) }) as never;
}

/** Runs a resume; returns either the error with the objects' state, or the run's result. */
function attempt(resume: TrainingState) {
  const optimizer = new Adam({ lr: 0.1 });
  const sampler = new EpochSampler({ size: 10, batchSize: 3, seed: 1 });
  const params = Float64Array.of(5, 5, 5, 5);
  const state = () => ({ optimizer: JSON.stringify(optimizer.snapshot()), sampler: JSON.stringify(sampler.snapshot()), params: Array.from(params) });
  const before = state();
  try {
    const result = minimize({ objective, optimizer, params, sampler, steps: 6, resume });
    return { result: JSON.stringify(result.state) };
  } catch (e) {
    return { error: e, unchanged: JSON.stringify(state()) === JSON.stringify(before) };
  }
}

const reference = attempt(saved()).result;

test.each([1, 2, 3, 4, 5, 6])("resume.params that turns bad after %i reads: refused with nothing changed, or the true run", (good) => {
  const got = attempt(twoFaced(saved(), "params", "!!!!", good));
  if ("error" in got) {
    expect(got.error).toBeInstanceOf(GradstepError); // today, after 2 reads: a TypeError from Float64Array.prototype.set
    expect(got.unchanged).toBe(true); // … and the optimizer and sampler already restored
  } else expect(got.result).toBe(reference);
});

test.each([1, 2, 3, 4, 5, 6])("resume.sampler whose order turns bad after %i reads: refused with nothing changed, or the true run", (good) => {
  const state = saved();
  const bad = { ...(state.sampler as object), order: [9, 9, 9, 9, 9, 9, 9, 9, 9, 9] };
  const got = attempt(twoFaced(state, "sampler", bad, good));
  if ("error" in got) {
    expect(got.error).toBeInstanceOf(GradstepError);
    expect(got.unchanged).toBe(true);
  } else expect(got.result).toBe(reference); // today, after 3 reads: the unchecked order is adopted
});
