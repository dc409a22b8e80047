import { AdaGrad } from "../optimizers/adagrad.js";
import { Adadelta } from "../optimizers/adadelta.js";
import { Adam } from "../optimizers/adam.js";
import { Adamax } from "../optimizers/adamax.js";
import { ASGD } from "../optimizers/asgd.js";
import { LBFGS } from "../optimizers/lbfgs.js";
import { NAdam } from "../optimizers/nadam.js";
import { RAdam } from "../optimizers/radam.js";
import { RMSProp } from "../optimizers/rmsprop.js";
import { Rprop } from "../optimizers/rprop.js";
import { SGD } from "../optimizers/sgd.js";
import type { Schedule } from "../schedules/schedule.js";
import { type KeywordMap, pair, translate } from "./translate.js";

/**
 * A learning rate: a number, or a {@link Schedule} (such as one from {@link pytorchSchedulers}).
 *
 * @example
 * ```ts
 * const lr: LearningRate = pytorchSchedulers.StepLR(0.1, { step_size: 30 });
 * ```
 */
export type LearningRate = number | Schedule;

/**
 * The keywords every `torch.optim` factory of {@link pytorch} accepts and ignores: they choose
 * PyTorch's implementation, not its arithmetic.
 *
 * @example
 * ```ts
 * const switches: PyTorchImplementationKeywords = { foreach: true, fused: null };
 * ```
 */
export interface PyTorchImplementationKeywords {
  /** Ignored. */
  foreach?: boolean | null;
  /** Ignored. */
  capturable?: boolean;
  /** Ignored. */
  differentiable?: boolean;
  /** Ignored. */
  fused?: boolean | null;
}

/**
 * The keywords most `torch.optim` factories of {@link pytorch} share: lr, weight_decay and
 * maximize, and the implementation switches.
 *
 * @example
 * ```ts
 * const common: CommonKeywords = { lr: 0.01, weight_decay: 1e-4 };
 * ```
 */
export interface CommonKeywords extends PyTorchImplementationKeywords {
  /** η (a number or a schedule). */
  lr?: LearningRate;
  /** λ, L2 (AdamW: decoupled), ≥ 0. */
  weight_decay?: number;
  /** Ascend instead of descend. */
  maximize?: boolean;
}

/**
 * The Adam family's keywords: the common ones, `betas` and `eps`.
 *
 * @example
 * ```ts
 * const adam: AdamFamilyKeywords = { lr: 3e-4, betas: [0.9, 0.95] };
 * ```
 */
export interface AdamFamilyKeywords extends CommonKeywords {
  /** (β1, β2), the moment decays. */
  betas?: readonly [number, number];
  /** ε, added to the root. */
  eps?: number;
}

/**
 * PyTorch's keyword arguments for each factory of {@link pytorch}, as written in Python (snake_case
 * names, pairs as 2-element arrays): `PyTorchKeywords["AdamW"]` is what `pytorch.AdamW` takes. A
 * misspelt keyword is a compile error, and at run time an {@link InvalidOptionError} listing the
 * valid names.
 *
 * @example
 * ```ts
 * const keywords: PyTorchKeywords["AdamW"] = { lr: 3e-4, betas: [0.9, 0.95], weight_decay: 0.1 };
 * const opt = pytorch.AdamW(keywords);
 * ```
 */
export interface PyTorchKeywords {
  /** `torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov, maximize)` */
  SGD: CommonKeywords & {
    /** μ, the heavy-ball momentum. */
    momentum?: number;
    /** The share of each new gradient the buffer leaves out. */
    dampening?: number;
    /** Nesterov momentum (needs momentum > 0, dampening 0). */
    nesterov?: boolean;
  };
  /** `torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad, maximize)` */
  Adam: AdamFamilyKeywords & {
    /** Divide by the running maximum of the second moment. */
    amsgrad?: boolean;
  };
  /** `torch.optim.AdamW(lr, betas, eps, weight_decay=0.01, amsgrad, maximize)` */
  AdamW: AdamFamilyKeywords & {
    /** Divide by the running maximum of the second moment. */
    amsgrad?: boolean;
  };
  /** `torch.optim.Adamax(lr, betas, eps, weight_decay, maximize)` */
  Adamax: AdamFamilyKeywords;
  /** `torch.optim.NAdam(lr, betas, eps, weight_decay, momentum_decay)` */
  NAdam: AdamFamilyKeywords & {
    /** ψ, the momentum schedule's decay. */
    momentum_decay?: number;
  };
  /** `torch.optim.RAdam(lr, betas, eps, weight_decay)` */
  RAdam: AdamFamilyKeywords;
  /** `torch.optim.Adagrad(lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize)` */
  Adagrad: CommonKeywords & {
    /** ε, added to the root. */
    eps?: number;
    /** The rate at step t is lr / (1 + (t − 1)·lr_decay). */
    lr_decay?: number;
    /** The sum of squares' start value. */
    initial_accumulator_value?: number;
  };
  /** `torch.optim.RMSprop(lr, alpha, eps, weight_decay, momentum, centered, maximize)` */
  RMSprop: CommonKeywords & {
    /** The decay of the squared gradient's average. */
    alpha?: number;
    /** ε, added to the root. */
    eps?: number;
    /** Momentum on the scaled step. */
    momentum?: number;
    /** Divide by the variance estimate (subtracting the gradient's average squared). */
    centered?: boolean;
  };
  /** `torch.optim.Adadelta(lr, rho, eps, weight_decay, maximize)` */
  Adadelta: CommonKeywords & {
    /** The decay of both running averages. */
    rho?: number;
    /** ε, inside both roots. */
    eps?: number;
  };
  /** `torch.optim.Rprop(lr, etas, step_sizes, maximize)` */
  Rprop: PyTorchImplementationKeywords & {
    /** The initial step size (a number or a schedule). */
    lr?: LearningRate;
    /** Ascend instead of descend. */
    maximize?: boolean;
    /** (η−, η+): the step's factors when the gradient's sign flips or holds. */
    etas?: readonly [number, number];
    /** (minimum, maximum) step size. */
    step_sizes?: readonly [number, number];
  };
  /** `torch.optim.ASGD(lr, lambd, alpha, t0, weight_decay, maximize)` */
  ASGD: CommonKeywords & {
    /** λ, the decay term of the rate's schedule. */
    lambd?: number;
    /** α, the power of the rate's schedule. */
    alpha?: number;
    /** The step at which averaging starts. */
    t0?: number;
  };
  /** `torch.optim.LBFGS(lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, line_search_fn)` */
  LBFGS: {
    /** The step length before the line search (1). */
    lr?: number;
    /** Iterations per step (20). */
    max_iter?: number;
    /** Objective evaluations per step (⌊1.25·max_iter⌋). */
    max_eval?: number;
    /** Stop when ‖g‖∞ ≤ this (1e-7). */
    tolerance_grad?: number;
    /** Stop when the step or the loss changes by at most this (1e-9). */
    tolerance_change?: number;
    /** Curvature pairs kept (100). */
    history_size?: number;
    /** PyTorch's `None` is `null` (or leave it out). */
    line_search_fn?: "strong_wolfe" | null;
  };
}

type ClassName = keyof PyTorchKeywords;

// Keywords that choose PyTorch's implementation, not its arithmetic: accepted and ignored.
const IMPLEMENTATION_KEYWORDS: readonly (keyof PyTorchImplementationKeywords)[] = ["foreach", "capturable", "differentiable", "fused"];

/** How each of a class's keywords (the implementation switches aside) maps: the type lists them all. */
type KeywordsOf<N extends ClassName> = Required<Record<Exclude<keyof PyTorchKeywords[N], keyof PyTorchImplementationKeywords>, KeywordMap[string]>>;

const betas = pair("betas", "beta", "gamma");
const common = { lr: "lr", weight_decay: "weightDecay", maximize: "maximize" } as const;
const adamFamily = { ...common, betas, eps: "eps" } as const;

function preset<N extends ClassName, T>(owner: N, keywords: KeywordsOf<N>, fixed: Record<string, unknown>, build: (o: Record<string, unknown>) => T) {
  return (options?: PyTorchKeywords[N]): T => translate(`torch.optim.${owner}`, options, keywords, fixed, IMPLEMENTATION_KEYWORDS, build);
}

/**
 * PyTorch's `torch.optim` conventions, one factory per PyTorch class, taking PyTorch's keyword
 * arguments as they are written in Python (snake_case; `betas`, `etas`, `step_sizes` as
 * 2-element arrays). Each returns the gradstep optimizer that computes what PyTorch computes (checked
 * against PyTorch's float64 trajectories to 1e-10), with every convention set explicitly:
 *
 * | PyTorch | gradstep | conventions set |
 * | --- | --- | --- |
 * | `SGD` | {@link SGD} | heavy-ball momentum, first step B = g, Nesterov reformulated |
 * | `Adam` | {@link Adam} | `epsPlacement: "outside"`, L2 weight decay, AMSGrad over raw v |
 * | `AdamW` | {@link Adam} | `weightDecayMode: "decoupled"` (θ ← θ·(1 − η·λ)), λ = 0.01 by default |
 * | `Adamax` | {@link Adamax} | ε added to \|g\| inside the max |
 * | `NAdam` | {@link NAdam} | `epsPlacement: "outside"`, momentum schedule with `momentum_decay` |
 * | `RAdam` | {@link RAdam} | rectification when ρ_t > 5, ε added to the uncorrected √v |
 * | `Adagrad` | {@link AdaGrad} | `epsPlacement: "outside"`, `lr_decay`, `initial_accumulator_value` |
 * | `RMSprop` | {@link RMSProp} | `epsPlacement: "outside"`, ρ named `alpha`, η outside the momentum buffer |
 * | `Adadelta` | {@link Adadelta} | ε inside both roots |
 * | `Rprop` | {@link Rprop} | `etas`, `step_sizes` |
 * | `ASGD` | {@link ASGD} | `lambd`, `alpha`, `t0`; η and μ kept as PyTorch keeps them; the average in {@link ASGD.averagedParams} |
 * | `LBFGS` | {@link LBFGS} | `max_iter`, `max_eval` (default ⌊1.25·max_iter⌋), `tolerance_grad`, `tolerance_change`, `history_size`, `line_search_fn` (`None` or `"strong_wolfe"`); a step takes the objective |
 *
 * PyTorch's implementation switches (`foreach`, `fused`, `capturable`, `differentiable`) are
 * accepted and ignored; the keywords of each factory are typed ({@link PyTorchKeywords}), so a misspelt
 * one does not compile, and at run time any other keyword is an {@link InvalidOptionError} naming
 * it and listing the valid ones.
 *
 * @example
 * ```ts
 * import { pytorch } from "gradstep";
 * // torch.optim.AdamW(params, lr=3e-4, betas=(0.9, 0.95), weight_decay=0.1)
 * const opt = pytorch.AdamW({ lr: 3e-4, betas: [0.9, 0.95], weight_decay: 0.1 });
 * ```
 */
export const pytorch = pytorchPresets(false);

/**
 * {@link pytorch} as PyTorch 1.13 computed it: the same factories, except that `NAdam` reproduces
 * 1.13's double-counted momentum product (see {@link NAdamOptions.legacyMuProduct}). Use it only to
 * match numbers from PyTorch ≤ 1.13.
 *
 * @example
 * ```ts
 * import { pytorch113 } from "gradstep";
 * const opt = pytorch113.NAdam({ lr: 0.02 }); // matches torch 1.13's NAdam bit for bit (to 1e-10)
 * ```
 */
export const pytorch113 = pytorchPresets(true);

function pytorchPresets(legacy: boolean) {
  return {
  /** `torch.optim.SGD(lr, momentum, dampening, weight_decay, nesterov, maximize)` */
  SGD: preset("SGD", { ...common, momentum: "momentum", dampening: "dampening", nesterov: "nesterov" }, {}, (o) => new SGD(o)),
  /** `torch.optim.Adam(lr, betas, eps, weight_decay, amsgrad, maximize)` */
  Adam: preset("Adam", { ...adamFamily, amsgrad: "amsgrad" }, { epsPlacement: "outside", weightDecayMode: "l2" }, (o) => new Adam(o)),
  /** `torch.optim.AdamW(lr, betas, eps, weight_decay=0.01, amsgrad, maximize)` */
  AdamW: preset("AdamW", { ...adamFamily, amsgrad: "amsgrad" }, { epsPlacement: "outside", weightDecayMode: "decoupled" }, (o) =>
    new Adam({ weightDecay: 0.01, ...o }),
  ),
  /** `torch.optim.Adamax(lr, betas, eps, weight_decay, maximize)` */
  Adamax: preset("Adamax", adamFamily, { weightDecayMode: "l2" }, (o) => new Adamax(o)),
  /** `torch.optim.NAdam(lr, betas, eps, weight_decay, momentum_decay)` */
  NAdam: preset(
    "NAdam",
    { ...adamFamily, momentum_decay: "momentumDecay" },
    { epsPlacement: "outside", weightDecayMode: "l2", legacyMuProduct: legacy },
    (o) => new NAdam(o),
  ),
  /** `torch.optim.RAdam(lr, betas, eps, weight_decay)` */
  RAdam: preset("RAdam", adamFamily, { weightDecayMode: "l2" }, (o) => new RAdam(o)),
  /** `torch.optim.Adagrad(lr, lr_decay, weight_decay, initial_accumulator_value, eps, maximize)` */
  Adagrad: preset(
    "Adagrad",
    { ...common, eps: "eps", lr_decay: "lrDecay", initial_accumulator_value: "initialAccumulator" },
    { epsPlacement: "outside", weightDecayMode: "l2" },
    (o) => new AdaGrad(o),
  ),
  /** `torch.optim.RMSprop(lr, alpha, eps, weight_decay, momentum, centered, maximize)` */
  RMSprop: preset(
    "RMSprop",
    { ...common, alpha: "rho", eps: "eps", momentum: "momentum", centered: "centered" },
    { epsPlacement: "outside", weightDecayMode: "l2" },
    (o) => new RMSProp(o),
  ),
  /** `torch.optim.Adadelta(lr, rho, eps, weight_decay, maximize)` */
  Adadelta: preset("Adadelta", { ...common, rho: "rho", eps: "eps" }, { weightDecayMode: "l2" }, (o) => new Adadelta(o)),
  /** `torch.optim.Rprop(lr, etas, step_sizes, maximize)` */
  Rprop: preset(
    "Rprop",
    { lr: "lr", maximize: "maximize", etas: pair("etas", "etaMinus", "etaPlus"), step_sizes: pair("step_sizes", "stepMin", "stepMax") },
    {},
    (o) => new Rprop(o),
  ),
  /** `torch.optim.ASGD(lr, lambd, alpha, t0, weight_decay, maximize)` */
  ASGD: preset("ASGD", { ...common, lambd: "lambd", alpha: "alpha", t0: "t0" }, { weightDecayMode: "l2" }, (o) => new ASGD(o)),
  /** `torch.optim.LBFGS(lr, max_iter, max_eval, tolerance_grad, tolerance_change, history_size, line_search_fn)` */
  LBFGS: preset(
    "LBFGS",
    {
      lr: "lr",
      max_iter: "maxIter",
      max_eval: "maxEval",
      tolerance_grad: "toleranceGrad",
      tolerance_change: "toleranceChange",
      history_size: "historySize",
      line_search_fn: "lineSearchFn",
    },
    {},
    // PyTorch's None (null in JSON) is "none"
    (o) => new LBFGS(o.lineSearchFn === null ? { ...o, lineSearchFn: "none" } : o),
  ),
  };
}
