import { describe, expect, it } from "vitest";
import { AdaGrad, Adam, InvalidOptionError, lecture, NAdam, Nesterov, pytorch, pytorch113, RMSProp, Rprop, SGD } from "gradstep";

function rejects(make: () => unknown, argument: string, value: unknown): void {
  let error: unknown;
  try {
    make();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(InvalidOptionError);
  expect((error as InvalidOptionError).argument).toBe(argument);
  expect((error as InvalidOptionError).value).toStrictEqual(value);
}

describe("lecture preset", () => {
  it("sets the lecture's conventions", () => {
    expect(lecture.Adam({ lr: 0.05 }).options).toMatchObject({ lr: 0.05, epsPlacement: "inside" });
    expect(lecture.AdaGrad().options.epsPlacement).toBe("inside");
    expect(lecture.RMSProp({ rho: 0.9 }).options).toMatchObject({ rho: 0.9, epsPlacement: "inside" });
    expect(lecture.Nesterov({ beta: 0.5 }).options.lookAhead).toBe("lecture");
    expect(lecture.Adam()).toBeInstanceOf(Adam);
  });

  it("takes only the rule's symbols", () => {
    rejects(() => lecture.Momentum({ gamma: 0.9 } as never), "gamma", 0.9);
    rejects(() => lecture.Adam({ epsPlacement: "outside" } as never), "epsPlacement", "outside");
    rejects(() => lecture.RMSProp({ rho: 1 }), "rho", 1);
  });
});

describe("pytorch preset", () => {
  it("maps PyTorch's keyword arguments and conventions", () => {
    const adamw = pytorch.AdamW({ lr: 3e-4, betas: [0.9, 0.95], weight_decay: 0.1, amsgrad: true });
    expect(adamw).toBeInstanceOf(Adam);
    expect(adamw.options).toMatchObject({
      lr: 3e-4, beta: 0.9, gamma: 0.95, weightDecay: 0.1, weightDecayMode: "decoupled", amsgrad: true, epsPlacement: "outside",
    });
    expect(pytorch.AdamW().options.weightDecay).toBe(0.01);
    expect(pytorch.Adam({ weight_decay: 0.1 }).options.weightDecayMode).toBe("l2");
    expect(pytorch.RMSprop({ alpha: 0.9, centered: true }).options).toMatchObject({ rho: 0.9, centered: true });
    expect(pytorch.RMSprop()).toBeInstanceOf(RMSProp);
    expect(pytorch.Adagrad({ initial_accumulator_value: 0.1, lr_decay: 0.01 })).toBeInstanceOf(AdaGrad);
    expect(pytorch.Rprop({ etas: [0.4, 1.3], step_sizes: [1e-5, 1] }).options).toMatchObject({ etaMinus: 0.4, etaPlus: 1.3, stepMin: 1e-5, stepMax: 1 });
    expect(pytorch.SGD({ lr: 0.1, momentum: 0.9, nesterov: true })).toBeInstanceOf(SGD);
    expect(pytorch.NAdam().options.legacyMuProduct).toBe(false);
    expect(pytorch113.NAdam().options.legacyMuProduct).toBe(true);
    expect(pytorch113.NAdam()).toBeInstanceOf(NAdam);
  });

  it("ignores PyTorch's implementation switches", () => {
    expect(pytorch.Adam({ lr: 0.01, foreach: true, fused: null, capturable: false, differentiable: false }).options.lr).toBe(0.01);
  });

  it("names PyTorch's keyword in errors", () => {
    rejects(() => pytorch.Adam({ betas: [0.9, 1] }), "betas[1]", 1);
    // @ts-expect-error: betas is a pair
    rejects(() => pytorch.Adam({ betas: 0.9 }), "betas", 0.9);
    rejects(() => pytorch.Adam({ weight_decay: -1 }), "weight_decay", -1);
    // @ts-expect-error: not a keyword of torch.optim.Adam (a compile error as well)
    rejects(() => pytorch.Adam({ beta1: 0.9 }), "beta1", 0.9);
    rejects(() => pytorch.RMSprop({ alpha: 2 }), "alpha", 2);
    rejects(() => pytorch.Rprop({ etas: [0.5, 0.9] }), "etas[1]", 0.9);
    rejects(() => pytorch.SGD({ lr: 0.1, nesterov: true }), "momentum", 0);
    // @ts-expect-error: not a keyword of torch.optim.Adam (a compile error as well)
    rejects(() => pytorch.Adam({ epsPlacement: "inside" }), "epsPlacement", "inside");
  });
});

describe("PyTorch's constructor checks", () => {
  it("Nesterov needs momentum > 0 and zero dampening", () => {
    rejects(() => new SGD({ nesterov: true }), "momentum", 0);
    rejects(() => new SGD({ nesterov: true, momentum: 0.9, dampening: 0.1 }), "dampening", 0.1);
    expect(new SGD({ nesterov: true, momentum: 0.9 }).options.nesterov).toBe(true);
  });

  it("Rprop needs 0 < η− < 1 < η+ and ordered step sizes", () => {
    rejects(() => new Rprop({ etaMinus: 1 }), "etaMinus", 1);
    rejects(() => new Rprop({ etaMinus: 0 }), "etaMinus", 0);
    rejects(() => new Rprop({ etaPlus: 1 }), "etaPlus", 1);
    rejects(() => new Rprop({ stepMin: 2, stepMax: 1 }), "stepMax", 1);
  });

  it("checks switches' types strictly", () => {
    rejects(() => new Adam({ amsgrad: 1 as never }), "amsgrad", 1);
    rejects(() => new RMSProp({ centered: "yes" as never }), "centered", "yes");
    rejects(() => new Nesterov({ maximize: 0 as never }), "maximize", 0);
    rejects(() => new Adam({ weightDecayMode: "adamw" as never }), "weightDecayMode", "adamw");
  });

  it("a snapshot that breaks a cross-option check is refused", () => {
    const sgd = new SGD({ momentum: 0.9, nesterov: true });
    sgd.step(Float64Array.of(1), Float64Array.of(1));
    const snap = sgd.snapshot();
    expect(() => sgd.restore({ ...snap, options: { ...snap.options, momentum: 0 } })).toThrow(/snapshot\.options\.momentum/);
  });
});
