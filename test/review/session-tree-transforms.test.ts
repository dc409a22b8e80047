// An adversary's tests of the session's tree transforms (tree(optimizer, { transforms }),
// tree(chain(T, rule)), masked(transform, mask)): each checks a promise — a tree of chains steps as
// the chain steps the concatenated leaves, on either backend; all or nothing; no Wasm memory left to
// a disposed optimizer.
import { Adam, type BackendChoice, backendInfo, chain, DisposedError, masked, NonFiniteGradientError, setBackend, SGD, type Transform, tree } from "gradstep";
import { describe, expect, it } from "vitest";
import { allocationFaults } from "../../src/memory/allocate.js";
import { bytes } from "../helpers.js";

const f64 = (...values: number[]): Float64Array => Float64Array.from(values);

/** Runs `f` on the backend `choice`, then puts the suite's backend back. */
function on<T>(choice: BackendChoice, f: () => T): T {
  const previous = backendInfo().choice;
  setBackend(choice);
  try {
    return f();
  } finally {
    setBackend(previous);
  }
}

/** What `f` throws (its class name), or "none". */
function thrown(f: () => void): string {
  try {
    f();
  } catch (e) {
    return (e as Error).constructor.name;
  }
  return "none";
}

describe("a tree of chains steps as the chain over the concatenated leaves", () => {
  it("a chain without transforms whose own policy is unchecked: its optimizer's nonFinite still checks the gradient (the tree stepped NaN into the leaves)", () => {
    for (const inner of ["throw", "skip"] as const) {
      const flat = f64(1, 2);
      const c = chain([], new SGD({ lr: 0.1, nonFinite: inner }), { nonFinite: "unchecked" });
      const chainThrew = thrown(() => c.step(flat, f64(NaN, 1)));
      const opt = tree(chain([], new SGD({ lr: 0.1, nonFinite: inner }), { nonFinite: "unchecked" }));
      const params = { a: f64(1), b: f64(2) };
      const treeThrew = thrown(() => opt.step(params, { a: f64(NaN), b: f64(1) }));
      expect(chainThrew).toBe(inner === "throw" ? "NonFiniteGradientError" : "none");
      expect(treeThrew, inner).toBe(chainThrew);
      expect(bytes(f64(...params.a, ...params.b)), inner).toEqual(bytes(flat));
      expect(opt.stepCount).toBe(c.stepCount);
      expect(opt.stepCount).toBe(0);
    }
    // and a leaf's NaN is named by its path
    const opt = tree(chain([], new SGD({ lr: 0.1 }), { nonFinite: "unchecked" }));
    expect(() => opt.step({ a: f64(1), b: f64(2) }, { a: f64(1), b: f64(Infinity) })).toThrow(/grad\/b/);
  });

  it("params === grad with a decoupled decay: the rule reads the gradient before the decay, on both backends (the JavaScript backend read the decayed one)", () => {
    const transforms: Transform[] = [{ kind: "decoupledWeightDecay", weightDecay: 0.5 }];
    for (const choice of ["js", "auto"] as const) {
      on(choice, () => {
        // a tree
        const flat = f64(1, 2, -3);
        chain(transforms, new SGD({ lr: 0.1, momentum: 0.5 })).step(flat, flat);
        const opt = tree(chain(transforms, new SGD({ lr: 0.1, momentum: 0.5 })));
        const params = { a: f64(1), b: f64(2, -3) };
        opt.step(params, params);
        expect(bytes(f64(...params.a, ...params.b)), choice).toEqual(bytes(flat)); // θ·(1 − λ) − η·θ: 0.4, 0.8, −1.2
        expect([...flat]).toEqual([1, 2, -3].map((x) => x * (1 - 0.5) - 0.1 * x)); // (the first momentum buffer is g)
        // a masked decay, and the same flat vector as params and grad through the layout option
        const decayed = f64(1, 2, -3);
        chain(transforms, new Adam({ lr: 0.1 })).step(decayed.subarray(0, 1), decayed.subarray(0, 1));
        chain([], new Adam({ lr: 0.1 })).step(decayed.subarray(1), decayed.subarray(1));
        const viaLayout = tree(new Adam({ lr: 0.1 }), { layout: { a: 1, b: 2 }, transforms: [masked(transforms[0], "a")] });
        const both = f64(1, 2, -3);
        viaLayout.step(both, both);
        expect(bytes(both), choice).toEqual(bytes(decayed));
        // the copy this takes, failed at its allocation (or any other of the first step), changes nothing
        for (let k = 0; ; k++) {
          const failing = tree(new Adam({ lr: 0.1 }), { transforms });
          const same = { a: f64(1), b: f64(2, -3) };
          allocationFaults.countdown = k;
          const failed = thrown(() => failing.step(same, same));
          const reached = allocationFaults.countdown < 0;
          allocationFaults.countdown = -1;
          if (failed !== "none") {
            expect(failed).toBe("OutOfMemoryError");
            expect([...same.a, ...same.b]).toEqual([1, 2, -3]);
            expect(failing.snapshot().leaves).toBeNull();
          }
          failing.dispose();
          if (!reached) break;
        }
      });
    }
  });

  it("a decay factor that is not finite, when the transformed gradient is not finite either: skipped under skip, a NonFiniteGradientError under throw, as the chain (the tree threw InvalidOptionError)", () => {
    const transforms: Transform[] = [
      { kind: "addWeightDecay", weightDecay: 10 },
      { kind: "decoupledWeightDecay", weightDecay: 1e10, scaleByLr: true },
    ];
    for (const policy of ["skip", "throw"] as const) {
      const flat = f64(1e308, 2);
      const c = chain(transforms, new SGD({ lr: 1e300 }), { nonFinite: policy });
      const chainThrew = thrown(() => c.step(flat, f64(1, 1))); // g + 10·θ overflows, and 1 − η·λ = −∞
      const opt = tree(chain(transforms, new SGD({ lr: 1e300 }), { nonFinite: policy }));
      const params = { a: f64(1e308), b: f64(2) };
      const treeThrew = thrown(() => opt.step(params, { a: f64(1), b: f64(1) }));
      expect(chainThrew).toBe(policy === "skip" ? "none" : "NonFiniteGradientError");
      expect(treeThrew, policy).toBe(chainThrew);
      expect([...params.a, ...params.b]).toEqual([1e308, 2]);
      expect(opt.stepCount).toBe(0);
    }
  });
});

describe("masks are user code", () => {
  it("user code that resets, restores, steps or sets the tree from inside its step is refused, and the step changes nothing (a getter's reset() let the step count a step of no leaf; a mask's set() left the leaves on the old options)", () => {
    const make = () => tree(new Adam({ lr: 0.1 }), { transforms: [{ kind: "clipByGlobalNorm", maxNorm: 1 }] });
    for (const call of ["reset", "restore", "step", "set"] as const) {
      const opt = make();
      const params = { a: f64(1), b: f64(2) };
      opt.step(params, { a: f64(1), b: f64(1) });
      const saved = opt.snapshot();
      const before = JSON.stringify({ saved, p: [...params.a, ...params.b] });
      const grad = {
        a: f64(1),
        get b() {
          if (call === "reset") opt.reset();
          else if (call === "restore") opt.restore(saved);
          else if (call === "step") opt.step({ a: f64(5), b: f64(6) }, { a: f64(1), b: f64(1) });
          else opt.set({ lr: 0.5 });
          return f64(1);
        },
      };
      expect(thrown(() => opt.step(params, grad as any)), call).toBe("InvalidOptionError");
      expect(JSON.stringify({ saved: opt.snapshot(), p: [...params.a, ...params.b] }), call).toBe(before);
      expect(opt.paths).toEqual(["a", "b"]);
      opt.step(params, { a: f64(1), b: f64(1) }); // and it goes on
      expect(opt.stepCount).toBe(2);
    }
    // a mask that sets the options during the first step (the leaves are being built)
    let opt: ReturnType<typeof tree> | undefined;
    opt = tree(new Adam({ lr: 0.1 }), {
      transforms: [
        masked({ kind: "clipByValue", limit: 1 }, (path) => {
          opt!.set({ lr: 0.5 });
          return path === "a";
        }),
      ],
    });
    const params = { a: f64(1), b: f64(2) };
    expect(thrown(() => opt!.step(params, { a: f64(1), b: f64(1) }))).toBe("InvalidOptionError");
    expect([...params.a, ...params.b]).toEqual([1, 2]);
    expect(opt.options.lr).toBe(0.1);
    expect(opt.paths).toBeUndefined();
  });

  it("a mask that disposes the optimizer during restore: the restore fails, and no Wasm state is left to the disposed optimizer", () => {
    on("auto", () => {
      const transforms = (mask: (path: string) => boolean) => [masked({ kind: "clipByValue", limit: 1 }, mask)];
      const source = tree(new Adam({ lr: 0.1 }), { transforms: transforms((path) => path === "a") });
      source.step({ a: new Float64Array(64), b: new Float64Array(64) }, { a: new Float64Array(64).fill(2), b: new Float64Array(64).fill(1) });
      const saved = source.snapshot();
      source.dispose();
      const used = backendInfo().memoryUsed;
      let armed = false;
      const opt = tree(new Adam({ lr: 0.1 }), {
        transforms: transforms((path) => {
          if (armed) opt.dispose();
          return path === "a";
        }),
      });
      armed = true;
      expect(() => opt.restore(saved)).toThrow(DisposedError);
      expect(backendInfo().memoryUsed).toBe(used); // the restored leaves' moments went back
    });
  });
});

describe("settings", () => {
  it("settings.transforms are the checked copies, defaults filled in (they were the objects given: a later change to one showed there, not in the steps)", () => {
    const given: { kind: "clipByGlobalNorm"; maxNorm: number } = { kind: "clipByGlobalNorm", maxNorm: 1 };
    const opt = tree(new SGD({ lr: 0.1 }), { transforms: [given] });
    given.maxNorm = -5;
    expect(opt.settings.transforms).toEqual([{ kind: "clipByGlobalNorm", maxNorm: 1, eps: 0 }]);
    expect(Object.isFrozen(opt.settings.transforms[0])).toBe(true);
    const params = { a: f64(0), b: f64(0) };
    opt.step(params, { a: f64(3), b: f64(4) }); // clipped to norm 1, as the settings say
    expect([...params.a, ...params.b]).toEqual([-(0.1 * (3 * (1 / 5))), -(0.1 * (4 * (1 / 5)))]);
    // with the clipByGlobalNorm option: it stays the option, not a transform
    const both = tree(new SGD(), { clipByGlobalNorm: { maxNorm: 2 }, transforms: [{ kind: "clipByValue", limit: 1 }] });
    expect(both.settings.transforms).toEqual([{ kind: "clipByValue", limit: 1 }]);
    expect(both.settings.clipByGlobalNorm).toEqual({ maxNorm: 2, eps: 0 });
  });
});
