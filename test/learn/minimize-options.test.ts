// minimize's option objects are checked like the optimizers' (unknown keys refused, the valid names
// listed), and its result's type follows `record`. The `@ts-expect-error` lines are checked by the
// type check (`npm run typecheck` fails if one compiles); the same calls, made anyway, are refused
// at run time.
import { describe, expect, it } from "vitest";
import { GradientDescent, InvalidOptionError } from "gradstep";
import { EpochSampler, empiricalRisk, linearRegression, minimize, type MinimizeResult, rosenbrock, sumOfSquares, udlLinearData } from "gradstep/learn";

const base = () => ({ objective: rosenbrock(), optimizer: new GradientDescent({ lr: 1e-3 }), params: Float64Array.of(-1.2, 1), steps: 20 });

/** The error a call throws (it must throw an InvalidOptionError). */
function refusal(make: () => unknown): InvalidOptionError {
  try {
    make();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("expected the call to throw");
}

describe("minimize's options", () => {
  it("refuses an unknown stop criterion, naming it and listing the valid ones, before anything changes", () => {
    const options = base();
    // @ts-expect-error: not a criterion (relativeChange, gradientNorm, … are)
    const e = refusal(() => minimize({ ...options, stop: { tol: 1e-6 } }));
    expect(e.argument).toBe("stop.tol");
    expect(e.value).toBe(1e-6);
    expect(e.message).toContain("one of the options of minimize's stop: gradientNorm, relativeChange, targetLoss, maxTimeMs, maxSkippedSteps");
    expect(Array.from(options.params)).toEqual([-1.2, 1]);
    expect(options.optimizer.stepCount).toBe(0);
  });

  it("refuses an unknown option, and an unknown record option", () => {
    // @ts-expect-error: the budget is `steps`
    const e = refusal(() => minimize({ ...base(), step: 10 }));
    expect(e.argument).toBe("step");
    expect(e.message).toContain("one of the options of minimize: objective, optimizer, params, sampler, steps, epochs, stop, record, onStep, onEpoch, signal, plateau, validation, checkpoint, resume");
    // @ts-expect-error: the stride is `every`
    expect(refusal(() => minimize({ ...base(), record: { stride: 2 } })).message).toContain("one of the options of minimize's record: every, path");
    // @ts-expect-error: record is an object
    expect(refusal(() => minimize({ ...base(), record: true })).argument).toBe("record");
    // @ts-expect-error: stop is an object
    expect(refusal(() => minimize({ ...base(), stop: 1e-6 })).argument).toBe("stop");
    // @ts-expect-error: path is a boolean
    expect(refusal(() => minimize({ ...base(), record: { path: "no" } })).argument).toBe("record.path");
    // @ts-expect-error: the options are an object
    expect(refusal(() => minimize(undefined)).argument).toBe("options");
  });

  it("with `record`, path and losses are in the result's type; without, they are optional", () => {
    const recorded = minimize({ ...base(), record: { every: 5 } });
    const path: number[][] = recorded.path; // compiles under strict: no `!`
    const losses: number[] = recorded.losses;
    expect(path.length).toBe(5); // steps 0, 5, 10, 15, 20
    expect(losses.length).toBe(5);
    expect(path[0]).toEqual([-1.2, 1]);
    expect(losses[0]).toBeCloseTo(24.2, 12); // rosenbrock(−1.2, 1) = (1 + 1.2)² + 100·(1 − 1.44)² = 4.84 + 19.36
    const plain = minimize(base());
    // @ts-expect-error: without record, losses may be absent
    const none: number[] = plain.losses;
    expect(none).toBeUndefined();
    const options: Parameters<typeof minimize>[0] = { ...base(), record: {} };
    const general: MinimizeResult = minimize(options); // an options variable of the general type: the general result
    expect(general.path?.length).toBe(21);
  });

  it("record: { path: false } keeps the losses, the same as a full recording, without θ's history", () => {
    const data = udlLinearData();
    const run = (record: { every: number; path?: boolean }) =>
      minimize({
        objective: empiricalRisk(linearRegression(), sumOfSquares(), data),
        optimizer: new GradientDescent({ lr: 0.01 }),
        params: Float64Array.of(0.6, -0.2),
        sampler: new EpochSampler({ size: data.size, batchSize: 4, seed: 3 }),
        epochs: 6,
        record,
      });
    const full = run({ every: 2 });
    const lossesOnly = minimize({
      objective: empiricalRisk(linearRegression(), sumOfSquares(), data),
      optimizer: new GradientDescent({ lr: 0.01 }),
      params: Float64Array.of(0.6, -0.2),
      sampler: new EpochSampler({ size: data.size, batchSize: 4, seed: 3 }),
      epochs: 6,
      record: { every: 2, path: false },
    });
    const losses: number[] = lossesOnly.losses;
    // @ts-expect-error: θ's history was not asked for
    const path: number[][] = lossesOnly.path;
    expect(path).toBeUndefined();
    expect("path" in lossesOnly).toBe(false);
    expect(losses).toEqual(full.losses);
    expect(lossesOnly.recordedSteps).toEqual(full.recordedSteps);
    expect(lossesOnly.epochLosses).toEqual(full.epochLosses);
    expect(lossesOnly.epochLosses.length).toBe(6);
    expect(lossesOnly.state).toEqual(full.state);
    // the first loss is J at (0.6, −0.2) on the UDL data: 12.367 (the package test's value)
    expect(losses[0].toFixed(3)).toBe("12.367");
  });
});
