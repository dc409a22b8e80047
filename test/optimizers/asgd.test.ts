// ASGD (PyTorch's averaged SGD): steps derived by hand from the formula, its η/μ/average state, the
// averaged parameters through snapshots, reset and both backends, and its options.
import { afterEach, describe, expect, it } from "vitest";
import { ASGD, backendInfo, DisposedError, InvalidOptionError, pytorch, setBackend } from "gradstep";
import { decodeFloat64 } from "../../src/snapshot/float64-base64.js";
import { bytes, expectClose, gradientAt } from "../helpers.js";

/** The buffers of a snapshot, decoded. */
function state(opt: ASGD): { average: number[]; eta: number; mu: number } {
  const { buffers } = opt.snapshot();
  return { average: Array.from(decodeFloat64(buffers.average)!), eta: decodeFloat64(buffers.eta)![0], mu: decodeFloat64(buffers.mu)![0] };
}

describe("ASGD by hand", () => {
  it("θ ← (1 − λη_t)θ − η_t·g; η_(t+1) = η₀/(1 + λη₀t)^α; ā a copy while μ = 1, then the running mean", () => {
    // η₀ = 0.5, λ = 0.5, α = 1, t₀ = 0, θ₀ = 1, g = 1 each step (PyTorch 1.13 gives these numbers too).
    const opt = new ASGD({ lr: 0.5, lambd: 0.5, alpha: 1, t0: 0 });
    const theta = Float64Array.of(1);
    const g = Float64Array.of(1);
    // t = 1: η = η₀ = 0.5, μ = 1;  θ = (1 − 0.25)·1 − 0.5 = 0.25, ā = θ
    //        then η₂ = 0.5/(1 + 0.25·1) = 0.4, μ₂ = 1/max(1, 1 − 0) = 1
    opt.step(theta, g);
    expect(theta[0]).toBe(0.25);
    expect(Array.from(opt.averagedParams()!)).toEqual([0.25]);
    expect(state(opt)).toEqual({ average: [0.25], eta: 0.4, mu: 1 });
    // t = 2: θ = (1 − 0.5·0.4)·0.25 − 0.4 = 0.2 − 0.4 = −0.2, ā = θ (μ = 1)
    //        then η₃ = 0.5/(1 + 0.25·2) = 1/3, μ₃ = 1/max(1, 2 − 0) = 1/2
    opt.step(theta, g);
    expectClose(theta, [-0.2]);
    expectClose(opt.averagedParams()!, [-0.2]);
    expect(state(opt).mu).toBe(0.5);
    expectClose([state(opt).eta], [1 / 3]);
    // t = 3: θ = (1 − 1/6)·(−0.2) − 1/3 = −1/6 − 1/3 = −0.5;  ā = −0.2 + (−0.5 + 0.2)·1/2 = −0.35 (the mean of θ₂, θ₃)
    opt.step(theta, g);
    expectClose(theta, [-0.5]);
    expectClose(opt.averagedParams()!, [-0.35]);
    expectClose([state(opt).eta, state(opt).mu], [0.5 / 1.75, 1 / 3]);
  });

  it("α = 0.75 (default): η₂ = η₀/(1 + λη₀)^0.75, from the formula", () => {
    const [lr, lambd] = [0.1, 0.2];
    const opt = new ASGD({ lr, lambd });
    const theta = Float64Array.of(2, -1);
    opt.step(theta, Float64Array.of(1, 3)); // η₁ = 0.1: θ = 0.98·[2, −1] − 0.1·[1, 3]
    expectClose(theta, [0.98 * 2 - 0.1, -0.98 - 0.3]);
    const eta2 = lr / Math.pow(1 + lambd * lr, 0.75);
    const before = Array.from(theta);
    opt.step(theta, Float64Array.of(-2, 0.5));
    expectClose(theta, [(1 - lambd * eta2) * before[0] + 2 * eta2, (1 - lambd * eta2) * before[1] - 0.5 * eta2]);
    expect(Array.from(opt.averagedParams()!)).toEqual(Array.from(theta)); // t₀ = 1e6: ā is θ
    expect(state(opt).eta).toBe(lr / Math.pow(1 + lambd * lr * 2, 0.75));
  });

  it("the common options: ĝ = −g + λ_L2·θ (maximize, L2), and the decoupled factor 1 − η₀·λ_L2", () => {
    // η₀ = 0.5, λ = 0 (so η stays 0.5), weightDecay 0.5, θ = 2, g = 1
    const l2 = new ASGD({ lr: 0.5, lambd: 0, weightDecay: 0.5, maximize: true });
    const a = Float64Array.of(2);
    l2.step(a, Float64Array.of(1)); // ĝ = −1 + 1 = 0: θ = 2
    expect(a[0]).toBe(2);
    l2.step(a, Float64Array.of(-3)); // ĝ = 3 + 1 = 4: θ = 2 − 2 = 0
    expect(a[0]).toBe(0);
    const decoupled = new ASGD({ lr: 0.5, lambd: 0, weightDecay: 0.5, weightDecayMode: "decoupled" });
    const b = Float64Array.of(2);
    decoupled.step(b, Float64Array.of(1)); // θ = 0.75·2 − 0.5 = 1
    decoupled.step(b, Float64Array.of(1)); // θ = 0.75·1 − 0.5 = 0.25
    expect(b[0]).toBe(0.25);
  });

  it("a scheduled lr enters η one step late, as under a PyTorch scheduler (StepLR γ = 0.5, checked against torch 1.13)", () => {
    const opt = new ASGD({ lr: { kind: "step", initial: 0.5, gamma: 0.5, stepSize: 1 }, lambd: 0 });
    const theta = Float64Array.of(1);
    const seen: number[] = [];
    for (let t = 0; t < 4; t++) {
      opt.step(theta, Float64Array.of(1));
      seen.push(theta[0]);
    }
    expect(seen).toEqual([0.5, 0, -0.25, -0.375]); // steps of 0.5, 0.5, 0.25, 0.125
  });

  it("with t₀ = 10, ā is θ through step 12 and the mean of θ₁₂ … θ_t after", () => {
    const opt = new ASGD({ lr: 0.01, t0: 10 });
    const n = 3;
    const theta = Float64Array.of(1, -2, 0.5);
    const iterates: Float64Array[] = [];
    for (let t = 1; t <= 30; t++) {
      opt.step(theta, gradientAt(t, n));
      iterates.push(Float64Array.from(theta));
      const averaged = opt.averagedParams()!;
      if (t <= 12) {
        expect(bytes(averaged)).toEqual(bytes(theta));
      } else {
        const since = iterates.slice(11); // θ₁₂ … θ_t
        expectClose(averaged, [0, 1, 2].map((i) => since.reduce((s, x) => s + x[i], 0) / since.length), 1e-14);
      }
    }
  });
});

describe("ASGD averagedParams()", () => {
  it("is undefined before the first step and after reset(), a copy otherwise", () => {
    const opt = new ASGD({ t0: 0 });
    expect(opt.averagedParams()).toBeUndefined();
    const theta = Float64Array.of(1, 2);
    opt.step(theta, Float64Array.of(1, 1));
    const copy = opt.averagedParams()!;
    copy[0] = 99;
    expect(opt.averagedParams()![0]).toBe(theta[0]);
    opt.reset();
    expect(opt.averagedParams()).toBeUndefined();
    opt.dispose();
    expect(() => opt.averagedParams()).toThrow(DisposedError);
  });

  it("reset() starts over: η back to η₀, μ to 1, the average rebuilt; the run equals a fresh one bit for bit", () => {
    const run = (opt: ASGD) => {
      const theta = Float64Array.of(0.5, -1, 2);
      for (let t = 0; t < 12; t++) opt.step(theta, gradientAt(t, 3));
      return [bytes(theta), bytes(opt.averagedParams()!), opt.snapshot()] as const;
    };
    const opt = new ASGD({ lr: 0.05, lambd: 0.01, t0: 4 });
    const first = run(opt);
    opt.reset();
    expect(opt.snapshot().buffers).toEqual({ average: "", eta: "", mu: "" });
    const again = run(opt);
    expect(again).toEqual(first);
    expect(run(new ASGD({ lr: 0.05, lambd: 0.01, t0: 4 }))).toEqual(first);
  });

  it("survives a snapshot mid-average: the resumed run continues θ, ā, η and μ bit for bit", () => {
    const options = { lr: 0.03, lambd: 0.02, alpha: 0.6, t0: 5, weightDecay: 0.01 };
    const whole = new ASGD(options);
    const a = Float64Array.of(1, -0.5, 0.25, 3);
    for (let t = 0; t < 30; t++) whole.step(a, gradientAt(t, 4));

    const first = new ASGD(options);
    const b = Float64Array.of(1, -0.5, 0.25, 3);
    for (let t = 0; t < 11; t++) first.step(b, gradientAt(t, 4)); // averaging since step 7
    expect(state(first).mu).toBe(1 / (11 - 5));
    const resumed = new ASGD();
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(bytes(resumed.averagedParams()!)).toEqual(bytes(first.averagedParams()!));
    for (let t = 11; t < 30; t++) resumed.step(b, gradientAt(t, 4));
    expect(bytes(b)).toEqual(bytes(a));
    expect(bytes(resumed.averagedParams()!)).toEqual(bytes(whole.averagedParams()!));
    expect(resumed.snapshot()).toEqual(whole.snapshot());
  });
});

describe("ASGD on both backends", () => {
  const initial = backendInfo().choice;
  afterEach(() => {
    setBackend(initial);
  });

  it("JS and Wasm kernels give the same bytes for θ and ā, copying and averaging, odd and even lengths", () => {
    for (const n of [1, 2, 7, 16, 33]) {
      const runs = (["js", "wasm"] as const).map((backend) => {
        setBackend(backend);
        const opt = new ASGD({ lr: 0.07, lambd: 0.03, t0: 4, weightDecay: 0.02, maximize: n % 2 === 0 });
        expect(opt.backend).toBe(backend);
        const theta = Float64Array.from({ length: n }, (_, i) => Math.cos(i + 0.5) * 3);
        const averages: number[][] = [];
        for (let t = 0; t < 20; t++) {
          opt.step(theta, gradientAt(t, n));
          averages.push(bytes(opt.averagedParams()!));
        }
        return { theta: bytes(theta), averages, snapshot: opt.snapshot() };
      });
      expect(runs[1]).toEqual(runs[0]);
    }
  });
});

describe("ASGD options", () => {
  it.each([
    [{ lambd: -1e-4 }, "lambd", -1e-4],
    [{ lambd: NaN }, "lambd", NaN],
    [{ alpha: -0.5 }, "alpha", -0.5],
    [{ alpha: Infinity }, "alpha", Infinity],
    [{ alpha: { kind: "constant", value: 0.75 } }, "alpha", { kind: "constant", value: 0.75 }],
    [{ t0: -1 }, "t0", -1],
    [{ t0: Infinity }, "t0", Infinity],
    [{ t0: "10" }, "t0", "10"],
    [{ t0: { kind: "constant", value: 10 } }, "t0", { kind: "constant", value: 10 }],
    [{ lr: 0 }, "lr", 0],
  ])("%j is rejected, naming %s", (options, argument, value) => {
    let error: unknown;
    try {
      new ASGD(options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).argument).toBe(argument);
    expect((error as InvalidOptionError).value).toStrictEqual(value);
  });

  it("has PyTorch's defaults", () => {
    expect(new ASGD().options).toMatchObject({ lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, weightDecayMode: "l2", maximize: false });
  });

  it("pytorch.ASGD takes PyTorch's keywords and names a bad one", () => {
    const opt = pytorch.ASGD({ lr: 0.05, lambd: 1e-3, alpha: 0.6, t0: 20, weight_decay: 0.01, maximize: true, foreach: false });
    expect(opt).toBeInstanceOf(ASGD);
    expect(opt.options).toMatchObject({ lr: 0.05, lambd: 1e-3, alpha: 0.6, t0: 20, weightDecay: 0.01, weightDecayMode: "l2", maximize: true });
    // @ts-expect-error: PyTorch spells it lambd
    expect(() => pytorch.ASGD({ lambda: 1e-3 })).toThrow(/lambda/);
    expect(() => pytorch.ASGD({ t0: -3 })).toThrow(InvalidOptionError);
  });

  it("refuses a restored η that is not finite before changing anything", () => {
    const opt = new ASGD();
    const theta = Float64Array.of(1);
    opt.step(theta, Float64Array.of(1));
    const snap = opt.snapshot();
    const bad = { ...snap, buffers: { ...snap.buffers, eta: Buffer.from(Float64Array.of(Infinity).buffer).toString("base64") } };
    opt.restore(bad);
    const [before, kept] = [JSON.stringify(opt.snapshot()), theta[0]];
    expect(() => opt.step(theta, Float64Array.of(1))).toThrow(/step stays finite/);
    expect(theta[0]).toBe(kept);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
  });
});
