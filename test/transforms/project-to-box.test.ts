// projectToBox: after the optimizer's step, θ ← clamp(θ, lower, upper). Checked by hand (one step),
// against the closed-form minimiser of a separable quadratic over a box (the nearest point of the
// box to its centre), the KKT conditions of a coupled quadratic, a property (θ never leaves the
// box), bad bounds, snapshots through JSON, and both backends.
import { describe, expect, it } from "vitest";
import { fc, test } from "@fast-check/vitest";
import {
  Adam,
  chain,
  GradientDescent,
  InvalidOptionError,
  InvalidSnapshotError,
  type Optimizer,
  RMSProp,
  SGD,
  setBackend,
  ShapeMismatchError,
  type Transform,
} from "gradstep";
import { bytes, gradientAt } from "../helpers.js";

/** Minimises f(θ) = ½θᵀAθ − bᵀθ with `opt` for `steps` steps; returns θ. */
function descend(opt: Optimizer, A: number[][], b: number[], theta: Float64Array, steps: number): Float64Array {
  const n = b.length;
  const g = new Float64Array(n);
  for (let t = 0; t < steps; t++) {
    for (let i = 0; i < n; i++) {
      let s = -b[i];
      for (let j = 0; j < n; j++) s += A[i][j] * theta[j];
      g[i] = s;
    }
    opt.step(theta, g);
  }
  return theta;
}

const gradient = (A: number[][], b: number[], theta: ArrayLike<number>) => b.map((bi, i) => A[i].reduce((s, a, j) => s + a * theta[j], -bi));

describe("by hand", () => {
  it("clamps the step onto the box and leaves the coordinates inside it as the optimizer put them, bit for bit", () => {
    const theta = Float64Array.of(0.5, 0.5, 0.5, 0.5);
    const box: Transform = { kind: "projectToBox", lower: [0, 0, -Infinity, 0], upper: 1 };
    chain([box], new GradientDescent({ lr: 1 })).step(theta, Float64Array.of(1, -1, 3, 0.1));
    // θ + u = (−0.5, 1.5, −2.5, 0.4): clamped to (0, 1, −2.5, 0.4)
    expect(Array.from(theta)).toEqual([0, 1, -2.5, 0.4]);
    const free = Float64Array.of(0.3, -0.7);
    const alone = Float64Array.from(free);
    const g = Float64Array.of(0.123, -0.456);
    chain([{ kind: "projectToBox", lower: -1, upper: 1 }], new Adam({ lr: 0.1 })).step(free, g);
    new Adam({ lr: 0.1 }).step(alone, g);
    expect(bytes(free)).toEqual(bytes(alone));
  });

  it("brings parameters that start outside the box in, at the first step", () => {
    const theta = Float64Array.of(5, -5);
    chain([{ kind: "projectToBox", lower: -1, upper: 1 }], new SGD({ lr: 1 })).step(theta, Float64Array.of(0, 0));
    expect(Array.from(theta)).toEqual([1, -1]);
  });

  it("keeps its defaults open: one side only, or null", () => {
    const theta = Float64Array.of(-3, 3);
    chain([{ kind: "projectToBox", lower: 0 }], new GradientDescent({ lr: 1 })).step(theta, Float64Array.of(0, -10));
    expect(Array.from(theta)).toEqual([0, 13]);
    const other = Float64Array.of(-3, 3);
    chain([{ kind: "projectToBox", lower: null, upper: [null, 1] }], new GradientDescent({ lr: 1 })).step(other, Float64Array.of(1, 0));
    expect(Array.from(other)).toEqual([-4, 1]);
    const opt = chain([{ kind: "projectToBox", upper: [null, 2] }], new SGD());
    expect(opt.options.transforms[0]).toEqual({ kind: "projectToBox", lower: -Infinity, upper: [Infinity, 2] });
  });

  it("runs after the decoupled decay and the optimizer, last", () => {
    // θ = 2: decay θ·(1 − 0.25) = 1.5, GD η = 0.5, g = 1: 1; then clamped to ≤ 1.2: 1 stays; ≥ 1.2: 1.2
    const below = Float64Array.of(2);
    chain([{ kind: "decoupledWeightDecay", weightDecay: 0.25 }, { kind: "projectToBox", upper: 1.2 }], new GradientDescent({ lr: 0.5 })).step(below, Float64Array.of(1));
    expect(below[0]).toBe(1);
    const above = Float64Array.of(2);
    chain([{ kind: "decoupledWeightDecay", weightDecay: 0.25 }, { kind: "projectToBox", lower: 1.2 }], new GradientDescent({ lr: 0.5 })).step(above, Float64Array.of(1));
    expect(above[0]).toBe(1.2);
  });
});

describe("the minimiser over the box", () => {
  // f(θ) = ½‖θ − c‖²: over a box, the minimiser is the point of the box nearest c, clamp(c, ℓ, h)
  const c = [3, -2, 0.25, -0.5, 4];
  const lower = [-1, -1, -1, -Infinity, 0];
  const upper = [1, 1, 1, 0, Infinity];
  const nearest = c.map((ci, i) => Math.min(Math.max(ci, lower[i]), upper[i])); // [1, −1, 0.25, −0.5, 4]
  const identity = c.map((_, i) => c.map((__, j) => (i === j ? 1 : 0)));

  it.each([
    ["GradientDescent", () => new GradientDescent({ lr: 0.1 }), 1000, 1e-15],
    ["SGD with momentum", () => new SGD({ lr: 0.05, momentum: 0.9 }), 2000, 1e-14],
    ["Adam, lr decaying to 6e-7", () => new Adam({ lr: { kind: "exponential", initial: 0.1, gamma: 0.997 } }), 4000, 1e-12], // (measured: 4e-15)
  ] as const)("%s ends at clamp(c, ℓ, h), the bounds exactly", (_name, make, steps, tol) => {
    const theta = descend(chain([{ kind: "projectToBox", lower, upper }], make()), identity, c, new Float64Array(5), steps);
    for (let i = 0; i < 5; i++) {
      if (nearest[i] !== c[i]) expect(theta[i]).toBe(nearest[i]); // on its bound: exactly
      else expect(Math.abs(theta[i] - c[i])).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(c[i])));
    }
  });

  it("satisfies the KKT conditions of a coupled quadratic (projected gradient descent)", () => {
    // A SPD with couplings; the unconstrained minimiser A⁻¹b leaves the box [0, 1]³
    const A = [
      [4, 1, 0.5],
      [1, 3, -1],
      [0.5, -1, 2],
    ];
    const b = [6, -5, 1];
    const theta = descend(chain([{ kind: "projectToBox", lower: 0, upper: 1 }], new GradientDescent({ lr: 0.2 })), A, b, Float64Array.of(0.5, 0.5, 0.5), 2000);
    const g = gradient(A, b, theta);
    const active = { lower: 0, upper: 0, free: 0 };
    for (let i = 0; i < 3; i++) {
      if (theta[i] === 0) {
        expect(g[i]).toBeGreaterThanOrEqual(0);
        active.lower++;
      } else if (theta[i] === 1) {
        expect(g[i]).toBeLessThanOrEqual(0);
        active.upper++;
      } else {
        expect(Math.abs(g[i])).toBeLessThan(1e-13);
        active.free++;
      }
    }
    // the case is not trivial: θ = (1, 0, θ₃) with θ₃ = (1 − 0.5·1 + 1·0)/2 = 0.25
    expect(active).toEqual({ lower: 1, upper: 1, free: 1 });
    expect(theta[2]).toBeCloseTo(0.25, 14);
  });
});

describe("θ never leaves the box", () => {
  const bound = fc.oneof(fc.double({ min: -5, max: 5, noNaN: true }), fc.constant(Infinity));
  test.prop(
    [
      fc.array(fc.tuple(bound, bound, fc.double({ min: -10, max: 10, noNaN: true })), { minLength: 1, maxLength: 12 }),
      fc.constantFrom("SGD", "Adam", "RMSProp"),
      fc.double({ min: 1e-3, max: 10, noNaN: true }),
      fc.integer({ min: 1, max: 30 }),
      fc.integer({ min: 0, max: 1000 }),
    ],
    { numRuns: 200 },
  )("for any bounds, start, optimizer, learning rate and gradients", (coords, kind, lr, steps, seed) => {
    // (a, b): the box is [c − a, c + b]; either side may be open
    const lower = coords.map(([a, , c]) => (a === Infinity ? -Infinity : c - Math.abs(a)));
    const upper = coords.map(([, b, c]) => (b === Infinity ? Infinity : c + Math.abs(b)));
    const optimizer = kind === "SGD" ? new SGD({ lr, momentum: 0.9 }) : kind === "Adam" ? new Adam({ lr }) : new RMSProp({ lr });
    const opt = chain([{ kind: "clipByValue", limit: 100 }, { kind: "projectToBox", lower, upper }], optimizer);
    const theta = Float64Array.from(coords, ([, , c], i) => c + 20 * Math.sin(seed + i)); // may start outside
    for (let t = 0; t < steps; t++) {
      opt.step(theta, gradientAt(seed + t, theta.length).map((g) => 50 * g));
      for (let i = 0; i < theta.length; i++) {
        expect(theta[i]).toBeGreaterThanOrEqual(lower[i]);
        expect(theta[i]).toBeLessThanOrEqual(upper[i]);
      }
    }
  });
});

describe("bad bounds", () => {
  const bad: [string, unknown, string, typeof InvalidOptionError | typeof ShapeMismatchError][] = [
    ["lower > upper", { kind: "projectToBox", lower: 2, upper: 1 }, "transforms[0].lower", InvalidOptionError],
    ["lower[i] > upper", { kind: "projectToBox", lower: [0, 3], upper: 1 }, "transforms[0].lower[1]", InvalidOptionError],
    ["lower[i] > upper[i]", { kind: "projectToBox", lower: [0, 3, 0], upper: [1, 2, 1] }, "transforms[0].lower[1]", InvalidOptionError],
    ["lower > upper[i]", { kind: "projectToBox", lower: 0, upper: [1, 1, -1] }, "transforms[0].upper[2]", InvalidOptionError],
    ["a NaN", { kind: "projectToBox", lower: [0, NaN] }, "transforms[0].lower[1]", InvalidOptionError],
    ["lower +Infinity", { kind: "projectToBox", lower: Infinity }, "transforms[0].lower", InvalidOptionError],
    ["upper −Infinity", { kind: "projectToBox", upper: [0, -Infinity] }, "transforms[0].upper[1]", InvalidOptionError],
    ["a string", { kind: "projectToBox", upper: "1" }, "transforms[0].upper", InvalidOptionError],
    ["a string entry", { kind: "projectToBox", upper: [1, "1"] }, "transforms[0].upper[1]", InvalidOptionError],
    ["lengths that differ", { kind: "projectToBox", lower: [0, 0], upper: [1, 1, 1] }, "transforms[0].upper", ShapeMismatchError],
    ["an unknown field", { kind: "projectToBox", lo: 0 }, "transforms[0].lo", InvalidOptionError],
  ];
  it.each(bad)("%s", (_what, transform, argument, type) => {
    let error: unknown;
    try {
      chain([transform as Transform], new SGD());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as InvalidOptionError).argument).toBe(argument);
  });

  it("must be the last transform", () => {
    const box: Transform = { kind: "projectToBox", lower: 0 };
    let error: unknown;
    try {
      chain([box, { kind: "clipByValue", limit: 1 }], new SGD());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).argument).toBe("transforms[0]");
    expect(() => chain([box, box], new SGD())).toThrow(InvalidOptionError);
  });

  it("bounds of another length than params: refused at the step, params and state unchanged", () => {
    const opt = chain([{ kind: "projectToBox", lower: [0, 0, 0] }], new Adam({ lr: 0.1 }));
    const params = Float64Array.of(1, 2);
    const before = { p: bytes(params), s: JSON.stringify(opt.snapshot()) };
    let error: unknown;
    try {
      opt.step(params, Float64Array.of(1, 1));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ShapeMismatchError);
    expect((error as ShapeMismatchError).argument).toBe("transforms[0].lower");
    expect({ p: bytes(params), s: JSON.stringify(opt.snapshot()), t: opt.stepCount }).toEqual({ ...before, t: 0 });
    opt.step(Float64Array.of(1, 2, 3), Float64Array.of(1, 1, 1)); // the right length works
  });

  it("the bounds are a copy: changing the caller's array changes nothing", () => {
    const lower = [0, 0];
    const opt = chain([{ kind: "projectToBox", lower }], new GradientDescent({ lr: 1 }));
    lower[0] = 5;
    const theta = Float64Array.of(1, 1);
    opt.step(theta, Float64Array.of(0, 0));
    expect(Array.from(theta)).toEqual([1, 1]);
  });
});

describe("snapshots", () => {
  const transforms: Transform[] = [
    { kind: "clipByGlobalNorm", maxNorm: 1 },
    { kind: "projectToBox", lower: [-0.5, -Infinity, 0], upper: [0.5, 1, Infinity] },
  ];
  const make = () => chain(transforms, new Adam({ lr: 0.05 }));
  const run = (opt: Optimizer, params: Float64Array, steps: number, from = 0) => {
    for (let t = from; t < from + steps; t++) opt.step(params, gradientAt(t, 3).map((g) => 4 * g));
    return params;
  };

  it("writes open sides as null, which JSON keeps", () => {
    const snap = make().snapshot() as unknown as { options: { transforms: unknown[] } };
    expect(snap.options.transforms[1]).toEqual({ kind: "projectToBox", lower: [-0.5, null, 0], upper: [0.5, 1, null] });
    const scalar = chain([{ kind: "projectToBox", upper: 2 }], new SGD()).snapshot() as unknown as { options: { transforms: unknown[] } };
    expect(scalar.options.transforms[0]).toEqual({ kind: "projectToBox", lower: null, upper: 2 });
  });

  test.prop([fc.nat(25), fc.nat(25)], { numRuns: 30 })("restore through JSON mid-run and continue bit-identically", (split, rest) => {
    const whole = run(make(), Float64Array.of(0.3, -1, 2), split + rest);
    const first = make();
    const p = run(first, Float64Array.of(0.3, -1, 2), split);
    const second = chain([], new Adam({ lr: 0.05 })); // a chain without a box, given one by the snapshot
    second.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(second.options.transforms).toEqual(first.options.transforms);
    run(second, p, rest, split);
    expect(bytes(p)).toEqual(bytes(whole));
  });

  it("a snapshot with bad bounds changes nothing", () => {
    const opt = make();
    const params = run(opt, Float64Array.of(0.3, -1, 2), 3);
    const good = JSON.parse(JSON.stringify(opt.snapshot()));
    const before = JSON.stringify(opt.snapshot());
    const box = good.options.transforms[1];
    for (const [broken, argument] of [
      [{ ...box, lower: [1, null, 0] }, "snapshot.options.transforms[1].lower[0]"],
      [{ ...box, upper: [0.5, 1] }, "snapshot.options.transforms[1].upper"],
      [{ ...box, lower: "0" }, "snapshot.options.transforms[1].lower"],
    ] as const) {
      let error: unknown;
      try {
        opt.restore({ ...good, options: { ...good.options, transforms: [good.options.transforms[0], broken] } });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidSnapshotError);
      expect((error as InvalidSnapshotError).argument).toBe(argument);
      expect(JSON.stringify(opt.snapshot())).toBe(before);
    }
    // a box placed before another transform
    expect(() => opt.restore({ ...good, options: { ...good.options, transforms: [box, good.options.transforms[0]] } })).toThrow(InvalidSnapshotError);
    expect(JSON.stringify(opt.snapshot())).toBe(before);
    // and it still steps as before, within its box
    run(opt, params, 2, 3);
    expect(params[0]).toBeLessThanOrEqual(0.5);
  });

  it("a restored snapshot without a box drops it (the next step is not projected)", () => {
    const opt = make();
    opt.restore(JSON.parse(JSON.stringify(chain([], new Adam({ lr: 0.05 })).snapshot())));
    const theta = Float64Array.of(10, 10, 10);
    opt.step(theta, Float64Array.of(0, 0, 0));
    expect(Array.from(theta)).toEqual([10, 10, 10]);
  });
});

describe("both backends", () => {
  test.prop([fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 5 }), fc.integer()], { numRuns: 100 })(
    "give the same bits (the step in either backend's kernel, the clamp in JavaScript)",
    (n, steps, seed) => {
      const lower = Array.from({ length: n }, (_, i) => (i % 3 === 0 ? -Infinity : -0.1 * (1 + Math.abs(Math.sin(seed + i)))));
      const make = () => chain([{ kind: "projectToBox", lower, upper: 0.2 }], new Adam({ lr: 0.05, weightDecay: 0.1, weightDecayMode: "decoupled" }));
      setBackend("js");
      const js = make();
      setBackend("wasm");
      const wasm = make();
      const pa = Float64Array.from({ length: n }, (_, i) => Math.sin(seed * 0.3 + i));
      const pb = Float64Array.from(pa);
      for (let t = 0; t < steps; t++) {
        const g = gradientAt(seed + t, n);
        js.step(pa, g);
        wasm.step(pb, g);
      }
      expect(bytes(pb)).toEqual(bytes(pa));
      wasm.dispose();
      setBackend("auto");
    },
  );
});
