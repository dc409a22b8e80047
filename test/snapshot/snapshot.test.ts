import { describe, expect, it } from "vitest";
import { Adam, InvalidSnapshotError, Momentum, type Optimizer, type OptimizerSnapshot } from "gradstep";
import { allRules, bytes, gradientAt } from "../helpers.js";

function run(opt: Optimizer, params: Float64Array, from: number, to: number): void {
  const point = new Float64Array(params.length);
  const grad = new Float64Array(params.length);
  for (let t = from; t < to; t++) {
    const at = opt.gradientPoint(params, point);
    gradientAt(t, params.length, grad);
    for (let i = 0; i < grad.length; i++) grad[i] += 0.1 * at[i]; // depends on where it is evaluated
    opt.step(params, grad);
  }
}

describe.each(allRules)("$name snapshot", ({ name, make }) => {
  it("has kind, version, options, step count and buffers, as plain JSON", () => {
    const opt = make({ lr: 0.01 });
    run(opt, new Float64Array(4), 0, 3);
    const snap = opt.snapshot();
    expect(snap).toMatchObject({ format: "gradstep/optimizer", version: 1, kind: name.split(" ")[0], stepCount: 3, size: 4 });
    expect(snap.options).toEqual(opt.options);
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
  });

  it("restored through JSON in a fresh optimizer, continues bit for bit", () => {
    const uninterrupted = make({ lr: 0.02 });
    const a = Float64Array.of(0.5, -1, 2, 0);
    run(uninterrupted, a, 0, 40);

    const first = make({ lr: 0.02 });
    const b = Float64Array.of(0.5, -1, 2, 0);
    run(first, b, 0, 17);
    const saved = JSON.stringify(first.snapshot());
    const resumed = make(); // other options: the snapshot's replace them
    resumed.restore(JSON.parse(saved));
    expect(resumed.options).toEqual(first.options);
    expect(resumed.stepCount).toBe(17);
    run(resumed, b, 17, 40);
    expect(bytes(b)).toEqual(bytes(a));
    expect(resumed.snapshot()).toEqual(uninterrupted.snapshot());
  });

  it("of a fresh optimizer restores to a fresh optimizer", () => {
    const opt = make({ lr: 0.3 });
    run(opt, new Float64Array(3), 0, 5);
    opt.restore(make({ lr: 0.1 }).snapshot());
    expect(opt.stepCount).toBe(0);
    expect(opt.size).toBeUndefined();
    expect(opt.options.lr).toBe(0.1);
    run(opt, new Float64Array(7), 0, 2); // a new length is fine: no state was restored
  });

  it("reset() forgets the state but keeps the options", () => {
    const opt = make({ lr: 0.05 });
    const p1 = Float64Array.of(1, 2, 3);
    run(opt, p1, 0, 5);
    opt.reset();
    expect(opt.stepCount).toBe(0);
    expect(opt.size).toBeUndefined();
    expect(opt.options.lr).toBe(0.05);
    const p2 = Float64Array.of(1, 2, 3);
    run(opt, p2, 0, 5);
    const p3 = Float64Array.of(1, 2, 3);
    run(make({ lr: 0.05 }), p3, 0, 5);
    expect(bytes(p2)).toEqual(bytes(p3));
  });
});

describe("bad snapshots are rejected whole, naming the field", () => {
  function good(): OptimizerSnapshot {
    const opt = new Adam({ lr: 0.01 });
    const p = Float64Array.of(1, 2, 3);
    for (let t = 0; t < 4; t++) opt.step(p, gradientAt(t, 3));
    return JSON.parse(JSON.stringify(opt.snapshot()));
  }
  const firstBuffer = good().buffers.firstMoment;

  const cases: [string, (s: any) => unknown, string][] = [
    ["not an object", () => "snapshot", "snapshot"],
    ["null", () => null, "snapshot"],
    ["an array", () => [], "snapshot"],
    ["another format", (s) => ({ ...s, format: "other" }), "snapshot.format"],
    ["missing format", ({ format, ...rest }) => rest, "snapshot.format"],
    ["an unknown version", (s) => ({ ...s, version: 2 }), "snapshot.version"],
    ["a version as a string", (s) => ({ ...s, version: "1" }), "snapshot.version"],
    ["another kind", (s) => ({ ...s, kind: "Momentum" }), "snapshot.kind"],
    ["options missing", ({ options, ...rest }) => rest, "snapshot.options"],
    ["an option missing", (s) => ({ ...s, options: { ...s.options, gamma: undefined } }), "snapshot.options.gamma"],
    ["an invalid option", (s) => ({ ...s, options: { ...s.options, beta: 1 } }), "snapshot.options.beta"],
    ["a number as a string", (s) => ({ ...s, options: { ...s.options, lr: "0.01" } }), "snapshot.options.lr"],
    ["an unknown option", (s) => ({ ...s, options: { ...s.options, momentum: 0.9 } }), "snapshot.options.momentum"],
    ["a negative step count", (s) => ({ ...s, stepCount: -1 }), "snapshot.stepCount"],
    ["a fractional step count", (s) => ({ ...s, stepCount: 1.5 }), "snapshot.stepCount"],
    ["a step count as a string", (s) => ({ ...s, stepCount: "4" }), "snapshot.stepCount"],
    ["a step count past 2^53", (s) => ({ ...s, stepCount: 2 ** 53 }), "snapshot.stepCount"],
    ["a fractional size", (s) => ({ ...s, size: 2.5 }), "snapshot.size"],
    ["no size after steps", (s) => ({ ...s, size: null }), "snapshot.size"],
    ["a size that does not match the buffers", (s) => ({ ...s, size: 4 }), "snapshot.buffers.firstMoment"],
    ["a buffer missing", (s) => ({ ...s, buffers: { firstMoment: firstBuffer } }), "snapshot.buffers.secondMoment"],
    ["a buffer as numbers", (s) => ({ ...s, buffers: { ...s.buffers, secondMoment: [0, 0, 0] } }), "snapshot.buffers.secondMoment"],
    ["a truncated buffer", (s) => ({ ...s, buffers: { ...s.buffers, firstMoment: firstBuffer.slice(0, 20) } }), "snapshot.buffers.firstMoment"],
    ["a buffer that is not base64", (s) => ({ ...s, buffers: { ...s.buffers, firstMoment: "#".repeat(32) } }), "snapshot.buffers.firstMoment"],
    ["an unknown buffer", (s) => ({ ...s, buffers: { ...s.buffers, velocity: firstBuffer } }), "snapshot.buffers.velocity"],
    ["buffers as an array", (s) => ({ ...s, buffers: [firstBuffer] }), "snapshot.buffers"],
    ["an unknown field", (s) => ({ ...s, extra: 1 }), "snapshot.extra"],
  ];

  it.each(cases)("%s", (_what, corrupt, argument) => {
    const target = new Adam({ lr: 0.5 });
    const p = Float64Array.of(4, 5, 6);
    target.step(p, gradientAt(0, 3));
    const before = JSON.stringify(target.snapshot());
    let error: unknown;
    try {
      target.restore(corrupt(good()));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidSnapshotError);
    expect((error as InvalidSnapshotError).argument).toBe(argument);
    expect(JSON.stringify(target.snapshot())).toBe(before);
  });

  it.each(["", "options.", "buffers."])("rejects prototype tricks in %s keys and pollutes nothing", (where) => {
    const s = good() as any;
    const json = JSON.stringify(s).replace(
      where === "" ? /^\{/ : new RegExp(`"${where.slice(0, -1)}":\\{`),
      (m) => `${m}"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},`,
    );
    expect(() => new Adam().restore(JSON.parse(json))).toThrow(`snapshot.${where}__proto__`);
    expect(({} as any).polluted).toBeUndefined();
    expect((Object.prototype as any).polluted).toBeUndefined();
  });

  it("a Momentum snapshot does not restore into Adam", () => {
    const m = new Momentum();
    m.step(Float64Array.of(1), Float64Array.of(1));
    expect(() => new Adam().restore(m.snapshot())).toThrow(/snapshot.kind = "Momentum": expected a snapshot of Adam/);
  });
});
