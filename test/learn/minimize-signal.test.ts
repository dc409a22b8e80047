import { describe, expect, it } from "vitest";
import { Adam } from "../../src/index.js";
import { empiricalRisk, EpochSampler, linearRegression, minimize, sumOfSquares, udlLinearData } from "../../src/learn.js";

const objective = empiricalRisk(linearRegression(), sumOfSquares(), udlLinearData());
const sampler = () => new EpochSampler({ size: 12, batchSize: 4, seed: 3 }); // 3 steps per epoch

describe("minimize: onEpoch and an AbortSignal", () => {
  it("onEpoch sees each epoch's count, θ and the full loss there; false stops the run", () => {
    const seen: [number, number[], number][] = [];
    const params = Float64Array.of(1.6, -0.5);
    const result = minimize({
      objective,
      optimizer: new Adam({ lr: 0.05 }),
      params,
      sampler: sampler(),
      epochs: 10,
      onEpoch: (epoch, theta, loss) => {
        seen.push([epoch, Array.from(theta), loss]);
        expect(loss).toBe(objective.evaluate(theta, null));
        return epoch < 4;
      },
    });
    expect(seen.map(([e]) => e)).toEqual([1, 2, 3, 4]);
    expect(result.reason).toBe("callback");
    expect(result.steps).toBe(12);
    expect(seen.at(-1)![1]).toEqual(Array.from(params));
  });

  it("an abort stops before the next step, and the state resumes bit-identically", () => {
    const whole = Float64Array.of(1.6, -0.5);
    minimize({ objective, optimizer: new Adam({ lr: 0.05 }), params: whole, sampler: sampler(), steps: 20 });
    const controller = new AbortController();
    const params = Float64Array.of(1.6, -0.5);
    const first = minimize({
      objective,
      optimizer: new Adam({ lr: 0.05 }),
      params,
      sampler: sampler(),
      steps: 20,
      signal: controller.signal,
      onStep: (step) => {
        if (step === 7) controller.abort();
      },
    });
    expect(first.reason).toBe("aborted");
    expect(first.steps).toBe(7);
    const resumed = Float64Array.of(0, 0);
    const second = minimize({ objective, optimizer: new Adam({ lr: 0.05 }), params: resumed, sampler: sampler(), steps: 20, resume: JSON.parse(JSON.stringify(first.state)) });
    expect(second.steps).toBe(20);
    expect(Array.from(resumed)).toEqual(Array.from(whole));
  });

  it("an already aborted signal takes no step; a signal that is not one is refused", () => {
    const params = Float64Array.of(1.6, -0.5);
    const result = minimize({ objective, optimizer: new Adam(), params, steps: 5, signal: AbortSignal.abort() });
    expect([result.reason, result.steps]).toEqual(["aborted", 0]);
    expect(Array.from(params)).toEqual([1.6, -0.5]);
    expect(() => minimize({ objective, optimizer: new Adam(), params, steps: 5, signal: {} as AbortSignal })).toThrow(/signal/);
    expect(() => minimize({ objective, optimizer: new Adam(), params, steps: 5, onEpoch: 1 as never })).toThrow(/onEpoch/);
  });
});
