// The PyTorch presets' keywords are typed: each `@ts-expect-error` below is checked by the type
// check (`npm run typecheck`, which fails if the line compiles), and the same call, made anyway, is
// refused at run time with the valid names listed.
import { describe, expect, it } from "vitest";
import { InvalidOptionError, type PyTorchKeywords, pytorch, pytorch113, pytorchSchedulers, type SchedulerKeywords } from "gradstep";

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

describe("pytorch.* keywords", () => {
  it("a misspelt keyword does not compile, and is refused with the valid names", () => {
    // @ts-expect-error: PyTorch spells it weight_decay
    const e = refusal(() => pytorch.AdamW({ lr: 1e-3, weightDecay: 0.1 }));
    expect(e.argument).toBe("weightDecay");
    expect(e.message).toContain("one of torch.optim.AdamW's keyword arguments: lr, weight_decay, maximize, betas, eps, amsgrad");
    // @ts-expect-error: momentum is SGD's, not Adam's
    expect(refusal(() => pytorch.Adam({ momentum: 0.9 })).argument).toBe("momentum");
    // @ts-expect-error: RMSprop's decay is alpha in PyTorch
    expect(refusal(() => pytorch.RMSprop({ rho: 0.9 })).message).toContain("lr, weight_decay, maximize, alpha, eps, momentum, centered");
    // @ts-expect-error: Rprop takes no weight_decay
    expect(refusal(() => pytorch.Rprop({ weight_decay: 0.1 })).message).toContain("lr, maximize, etas, step_sizes");
    // @ts-expect-error: a pair, not a number
    expect(refusal(() => pytorch.Adam({ betas: 0.9 })).argument).toBe("betas");
    // @ts-expect-error: a pair has two entries
    expect(refusal(() => pytorch.Adam({ betas: [0.9, 0.99, 0.5] })).argument).toBe("betas");
    // @ts-expect-error: a flag is a boolean
    expect(refusal(() => pytorch.SGD({ momentum: 0.9, nesterov: "yes" })).argument).toBe("nesterov");
    // @ts-expect-error: torch 1.13's presets take the same typed keywords (PyTorch spells it momentum_decay)
    expect(refusal(() => pytorch113.NAdam({ momentumDecay: 0.004 })).message).toContain("one of torch.optim.NAdam's keyword arguments: lr, weight_decay, maximize, betas, eps, momentum_decay");
  });

  it("the right keywords compile, schedules included, and the switches are accepted", () => {
    const keywords: PyTorchKeywords["SGD"] = { lr: pytorchSchedulers.StepLR(0.1, { step_size: 30 }), momentum: 0.9, nesterov: true, foreach: null };
    expect(pytorch.SGD(keywords).options).toMatchObject({ momentum: 0.9, nesterov: true });
    expect(pytorch.Rprop({ etas: [0.4, 1.3], step_sizes: [1e-5, 1], fused: false }).options).toMatchObject({ etaMinus: 0.4, etaPlus: 1.3 });
    expect(pytorch.ASGD({ lambd: 1e-3, t0: 10 }).options).toMatchObject({ lambd: 1e-3, t0: 10 });
  });
});

describe("pytorchSchedulers.* keywords", () => {
  it("a misspelt or missing keyword does not compile, and is refused with the valid names", () => {
    // @ts-expect-error: PyTorch spells it T_max
    const e = refusal(() => pytorchSchedulers.CosineAnnealingLR(0.1, { t_max: 100 }));
    expect(e.argument).toBe("t_max");
    expect(e.message).toContain("one of CosineAnnealingLR's keyword arguments: T_max, eta_min");
    // @ts-expect-error: step_size is required
    expect(refusal(() => pytorchSchedulers.StepLR(0.1, { gamma: 0.5 })).argument).toBe("step_size");
    // @ts-expect-error: the keywords are required when PyTorch requires one
    expect(refusal(() => pytorchSchedulers.ExponentialLR(0.1)).argument).toBe("gamma");
    // @ts-expect-error: anneal_strategy is "cos" or "linear"
    expect(() => pytorchSchedulers.OneCycleLR(0.1, { max_lr: 1, total_steps: 10, anneal_strategy: "cosine" })).toThrow(/anneal_strategy/);
    // @ts-expect-error: keywords are an object
    expect(refusal(() => pytorchSchedulers.LinearLR(0.1, 5)).argument).toBe("keywords");
  });

  it("the right keywords compile; those with no required keyword may be left out", () => {
    const keywords: SchedulerKeywords["OneCycleLR"] = { max_lr: 0.1, total_steps: 100, anneal_strategy: "linear" };
    expect(pytorchSchedulers.OneCycleLR(0.01, keywords)).toMatchObject({ kind: "oneCycle", peak: 0.1, anneal: "linear" });
    expect(pytorchSchedulers.LinearLR(3)).toMatchObject({ kind: "linear", initial: 1, final: 3, steps: 5 }); // 3·(1/3) rounds to 1
    expect(pytorchSchedulers.MultiStepLR(1, { milestones: [3, 6] })).toMatchObject({ milestones: [3, 6], gamma: 0.1 });
  });
});
