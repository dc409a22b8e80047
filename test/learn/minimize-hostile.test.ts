// minimize under hostile use, as an adversarial review tried it: a resume continues bit for bit also
// in its count of skipped steps; a resume whose first evaluation throws changes nothing; a target
// loss that is not a number and a sampler state whose epochs are not the run's are refused.
import { describe, expect, it } from "vitest";
import { Adam, InvalidOptionError, InvalidSnapshotError, SGD } from "gradstep";
import { empiricalRisk, EpochSampler, linearRegression, minimize, type Objective, sumOfSquares, udlLinearData } from "gradstep/learn";

const linear = () => empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());

describe("minimize, hostile use", () => {
  it("a run resumed among skipped steps stops where the uninterrupted one does (the skips in a row are part of the state)", () => {
    // the gradient is NaN once θ₀ > 0.2: every step from there is skipped, and the tenth in a row stops the run
    const objective = (): Objective => {
      const risk = linear();
      return {
        dimension: 2,
        examples: risk.examples,
        evaluate(theta, grad, rows, count) {
          const value = risk.evaluate(theta, grad, rows, count);
          if (grad && theta[0] > 0.2) grad[0] = NaN;
          return value;
        },
      };
    };
    const build = () => ({ objective: objective(), optimizer: new SGD({ lr: 0.01, nonFinite: "skip" as const }), params: Float64Array.of(0, 0), sampler: new EpochSampler({ size: 12, batchSize: 3, seed: 1 }) });
    const full = minimize({ ...build(), steps: 500 });
    expect(full.reason).toBe("nonFinite");
    expect(full.skippedSteps).toBe(10);
    for (const cut of [full.steps - 9, full.steps - 5, full.steps - 1]) {
      const part = minimize({ ...build(), steps: cut });
      const rest = minimize({ ...build(), steps: 500, resume: JSON.parse(JSON.stringify(part.state)) });
      expect([rest.reason, rest.steps, rest.skippedSteps]).toEqual([full.reason, full.steps, full.skippedSteps]);
      expect(JSON.stringify(rest.state)).toBe(JSON.stringify(full.state));
    }
  });

  it("a resume whose first evaluation (the recording's start) throws changes nothing", () => {
    const build = () => ({ optimizer: new Adam({ lr: 0.05 }), params: Float64Array.of(0.3, 0.4), sampler: new EpochSampler({ size: 12, batchSize: 4, seed: 2 }) });
    const saved = JSON.parse(JSON.stringify(minimize({ objective: linear(), ...build(), steps: 7 }).state));
    const target = build();
    const optimizerBefore = JSON.stringify(target.optimizer.snapshot());
    const samplerBefore = JSON.stringify(target.sampler.snapshot());
    const throwing: Objective = {
      dimension: 2,
      examples: 12,
      evaluate() {
        throw new Error("disk gone");
      },
    };
    expect(() => minimize({ objective: throwing, ...target, steps: 20, record: {}, resume: saved })).toThrow("disk gone");
    expect([...target.params]).toEqual([0.3, 0.4]);
    expect(JSON.stringify(target.optimizer.snapshot())).toBe(optimizerBefore);
    expect(JSON.stringify(target.sampler.snapshot())).toBe(samplerBefore);
  });

  it("an objective that throws leaves the run at its last step taken: continued, it ends where the uninterrupted run does", () => {
    const build = () => ({ optimizer: new Adam({ lr: 0.05 }), params: Float64Array.of(0.3, 0.4), sampler: new EpochSampler({ size: 12, batchSize: 3, seed: 2 }) });
    const full = build();
    minimize({ objective: linear(), ...full, steps: 10 });
    // the k-th step throws: the last of an epoch (k = 4, 8), the first of a new permutation (5, 9), others
    for (let k = 1; k <= 10; k++) {
      const risk = linear();
      let calls = 0;
      const flaky: Objective = {
        dimension: 2,
        examples: risk.examples,
        evaluate(theta, grad, rows, count) {
          if (++calls === k) throw new Error("flaky");
          return risk.evaluate(theta, grad, rows, count);
        },
      };
      const run = build();
      expect(() => minimize({ objective: flaky, ...run, steps: 10 })).toThrow("flaky");
      expect(run.optimizer.stepCount).toBe(k - 1);
      minimize({ objective: flaky, ...run, steps: 10 - (k - 1) });
      expect([...run.params].every((v, i) => Object.is(v, full.params[i]))).toBe(true);
      expect(run.sampler.epoch).toBe(full.sampler.epoch);
    }
  });

  it("stop.targetLoss must be a number", () => {
    for (const targetLoss of ["1e9", null, true]) {
      expect(() => minimize({ objective: linear(), optimizer: new SGD({ lr: 0.01 }), params: Float64Array.of(0, 0), steps: 3, stop: { targetLoss: targetLoss as never } })).toThrow(InvalidOptionError);
    }
  });

  it("a resume whose sampler has completed other epochs than the run is refused", () => {
    const build = () => ({ objective: linear(), optimizer: new Adam({ lr: 0.05 }), params: Float64Array.of(0.3, 0.4), sampler: new EpochSampler({ size: 12, batchSize: 5, seed: 2 }) });
    const state = JSON.parse(JSON.stringify(minimize({ ...build(), steps: 7 }).state));
    state.sampler.epoch = 1000;
    const target = build();
    let thrown: unknown;
    try {
      minimize({ ...target, epochs: 50, resume: state });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidSnapshotError);
    expect((thrown as InvalidSnapshotError).argument).toBe("resume.sampler.epoch");
    expect([...target.params]).toEqual([0.3, 0.4]);
  });
});
