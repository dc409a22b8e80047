// Bad input: a typed error that names the argument and the value, and nothing changed.
import { describe, expect, it } from "vitest";
import {
  GradstepError,
  InvalidOptionError,
  NonFiniteGradientError,
  ShapeMismatchError,
} from "gradstep";
import { allRules, bytes, gradientAt, rule } from "../helpers.js";

const badOptions: [string, Record<string, unknown>, string, unknown][] = [];
for (const { name } of allRules) {
  for (const lr of [0, -1, NaN, Infinity, "0.1", null]) badOptions.push([name, { lr }, "lr", lr]);
}
for (const name of ["Momentum", "Nesterov"]) {
  for (const beta of [1, -0.1, 1.5, NaN]) badOptions.push([name, { beta }, "beta", beta]);
}
for (const rho of [1, -1e-9, NaN, Infinity]) badOptions.push(["RMSProp", { rho }, "rho", rho]);
for (const gamma of [1, 2, -0.5]) badOptions.push(["Adam", { gamma }, "gamma", gamma]);
for (const beta of [1, -0.5]) badOptions.push(["Adam", { beta }, "beta", beta]);
for (const name of ["NormalizedGradient", "AdaGrad", "RMSProp", "Adam"]) {
  for (const eps of [0, -1e-8, Infinity, NaN, "1e-8"]) badOptions.push([name, { eps }, "eps", eps]);
  badOptions.push([name, { epsPlacement: "middle" }, "epsPlacement", "middle"]);
}
badOptions.push(["Nesterov", { lookAhead: "book" }, "lookAhead", "book"]);
for (const { name } of allRules) {
  badOptions.push([name, { lrr: 0.1 }, "lrr", 0.1]);
  badOptions.push([name, { nonFinite: "ignore" }, "nonFinite", "ignore"]);
  badOptions.push([name, JSON.parse('{"__proto__": {"lr": 5}}'), "__proto__", { lr: 5 }]);
}

describe("hyperparameters", () => {
  it.each(badOptions)("%s %j is rejected, naming %s", (name, options, argument, value) => {
    const make = rule(name).make;
    let error: unknown;
    try {
      make(options);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(GradstepError);
    const e = error as InvalidOptionError;
    expect(e.argument).toBe(argument);
    expect(e.value).toStrictEqual(value);
    expect(e.message).toContain(argument);
    expect(e.message).toContain("expected");
  });

  it.each(allRules)("$name rejects options that are not an object", ({ make }) => {
    for (const options of [5, "lr", [0.1], null]) {
      expect(() => make(options as never)).toThrow(InvalidOptionError);
    }
  });

  it("keeps boundary values that are valid", () => {
    const [rms, adam] = [rule("RMSProp"), rule("Adam")];
    expect(adam.make({ beta: 0, gamma: 0 }).options).toMatchObject({ beta: 0, gamma: 0 });
    expect(Object.is(rms.make({ rho: -0 }).options.rho, 0)).toBe(true);
  });

  it("names the value in the message, -0 and NaN included", () => {
    expect(() => rule("GradientDescent").make({ lr: -0 })).toThrow("lr = -0: expected a finite number > 0");
    expect(() => rule("Adam").make({ eps: NaN })).toThrow(/eps = NaN: expected a finite number > 0/);
  });
});

describe("step arguments", () => {
  for (const { name, make } of allRules) {
    describe(name, () => {
      function warmed() {
        const opt = make({ lr: 0.01 });
        const params = Float64Array.of(1, -2, 3, -4, 5);
        for (let t = 0; t < 3; t++) opt.step(params, gradientAt(t, 5));
        return { opt, params };
      }

      function expectUnchanged(run: (opt: ReturnType<typeof make>, params: Float64Array) => void, type: Function) {
        const { opt, params } = warmed();
        const before = { params: bytes(params), state: JSON.stringify(opt.snapshot()) };
        expect(() => run(opt, params)).toThrow(type as never);
        expect(bytes(params)).toEqual(before.params);
        expect(JSON.stringify(opt.snapshot())).toBe(before.state);
      }

      it("rejects params and grad of different lengths", () => {
        expectUnchanged((opt, p) => opt.step(p, new Float64Array(4)), ShapeMismatchError);
      });

      it("rejects a length other than the state's", () => {
        expectUnchanged((opt) => opt.step(new Float64Array(6), new Float64Array(6)), ShapeMismatchError);
      });

      it("rejects arrays that are not Float64Array", () => {
        expectUnchanged((opt, p) => opt.step(p, new Float32Array(5) as never), ShapeMismatchError);
        expectUnchanged((opt, p) => opt.step([1, 2, 3, 4, 5] as never, p), ShapeMismatchError);
      });

      it("rejects a gradient point buffer of the wrong length", () => {
        expectUnchanged((opt, p) => opt.gradientPoint(p, new Float64Array(2)), ShapeMismatchError);
      });

      it.each([NaN, Infinity, -Infinity])("rejects a gradient holding %s, naming the first bad index", (bad) => {
        expectUnchanged((opt, p) => {
          const g = gradientAt(9, 5);
          g[2] = bad;
          g[4] = NaN;
          try {
            opt.step(p, g);
          } catch (e) {
            expect(e).toBeInstanceOf(NonFiniteGradientError);
            expect((e as NonFiniteGradientError).index).toBe(2);
            expect((e as NonFiniteGradientError).argument).toBe("grad[2]");
            expect((e as Error).message).toContain(String(bad));
            throw e;
          }
        }, NonFiniteGradientError);
      });

      it("skips a step with a non-finite gradient under nonFinite: 'skip', atomically", () => {
        const opt = make({ lr: 0.01, nonFinite: "skip" });
        const params = Float64Array.of(1, -2, 3, -4, 5);
        opt.step(params, gradientAt(0, 5));
        const before = { params: bytes(params), state: JSON.stringify(opt.snapshot()) };
        opt.step(params, Float64Array.of(1, NaN, 1, 1, 1));
        expect(bytes(params)).toEqual(before.params);
        expect(JSON.stringify(opt.snapshot())).toBe(before.state);
        expect(opt.stepCount).toBe(1);
        opt.step(params, gradientAt(1, 5));
        expect(opt.stepCount).toBe(2);
      });

      it("lets a non-finite gradient through with nonFinite: 'unchecked'", () => {
        const opt = make({ lr: 0.01, nonFinite: "unchecked" });
        const params = Float64Array.of(1, 2);
        opt.step(params, Float64Array.of(NaN, 1));
        expect(params[0]).toBeNaN();
        // a global norm couples the coordinates: ‖g‖₂ is NaN, and so is every coordinate's step; so
        // does a factored second moment (Adafactor's one column: C, and so every V̂_ij, is NaN)
        expect(Number.isFinite(params[1])).toBe(name !== "NormalizedGradient global" && name !== "Adafactor factored");
      });
    });
  }
});

describe("valid options whose derived step overflows", () => {
  it.each([
    ["RAdam η = 1e308 (η/(1 − β^t) = Infinity)", () => rule("RAdam").make({ lr: 1e308 })],
    ["Adam η = 1e308", () => rule("Adam").make({ lr: 1e308 })],
    ["Adamax η = 1e308", () => rule("Adamax").make({ lr: 1e308 })],
  ])("%s: the step is refused before anything changes", (_name, make) => {
    const opt = make();
    const params = Float64Array.of(1, -1);
    const before = JSON.stringify(opt.snapshot());
    expect(() => opt.step(params, new Float64Array(2))).toThrow(/step stays finite/);
    expect(Array.from(params)).toEqual([1, -1]);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    expect(opt.size).toBeUndefined();
  });
});
