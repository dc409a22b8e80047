// Every optimizer's update as a KernelSpec: the JavaScript kernels of src/kernels/, transcribed
// operation by operation (read each beside its .ts twin). Slots come from the same constants.
import { ADADELTA } from "../../src/kernels/adadelta.js";
import { ADAGRAD } from "../../src/kernels/adagrad.js";
import { ADAM } from "../../src/kernels/adam.js";
import { ADAMAX } from "../../src/kernels/adamax.js";
import { ASGD_SLOTS } from "../../src/kernels/asgd.js";
import { GD } from "../../src/kernels/gradient-descent.js";
import { MOMENTUM } from "../../src/kernels/momentum.js";
import { NADAM } from "../../src/kernels/nadam.js";
import { NORMALIZED } from "../../src/kernels/normalized-gradient.js";
import { RADAM } from "../../src/kernels/radam.js";
import { RMSPROP } from "../../src/kernels/rmsprop.js";
import { RPROP } from "../../src/kernels/rprop.js";
import { DECAY, GRAD_SIGN, L2 } from "../../src/kernels/scalars.js";
import { SGD_SLOTS } from "../../src/kernels/sgd.js";
import type { KernelSpec, Lanes } from "./kernel-text.js";

const common = { gradSign: GRAD_SIGN, l2: L2, decay: DECAY };
/** isPlain(gradSign, l2, decay) of kernels/scalars.ts. */
const plain =
  "(i32.and (i32.and (f64.eq (local.get $gradSign) (f64.const 1)) (f64.eq (local.get $l2) (f64.const 0))) (f64.eq (local.get $decay) (f64.const 1)))";
const oneMinus = (name: string) => `(f64.sub (f64.const 1) (local.get $${name}))`;
const nonZero = (name: string) => `(f64.ne (local.get $${name}) (f64.const 0))`;
const positive = (name: string) => `(f64.gt (local.get $${name}) (f64.const 0))`;

/** p = θ_i;  g = s·g_i + λ_L2·p  (ĝ). */
const effectiveGradient = (t: Lanes) => [
  t.set("p", t.load("params")),
  t.set("g", t.add(t.mul(t.scalar("gradSign"), t.load("grad")), t.mul(t.scalar("l2"), t.get("p")))),
];
/** θ_i ← d·p − step. */
const decayed = (t: Lanes, step: string) => t.store("params", t.sub(t.mul(t.scalar("decay"), t.get("p")), step));

export const kernelSpecs: readonly KernelSpec[] = [
  {
    name: "gradient_descent",
    slots: { ...common, lr: GD.lr },
    flags: { plain },
    loops: [
      { when: "plain", body: (t) => [t.store("params", t.sub(t.load("params"), t.mul(t.scalar("lr"), t.load("grad"))))] },
      { body: (t) => [...effectiveGradient(t), decayed(t, t.mul(t.scalar("lr"), t.get("g")))] },
    ],
  },
  {
    name: "momentum",
    slots: { ...common, lr: MOMENTUM.lr, beta: MOMENTUM.beta },
    derived: { oneMinusBeta: oneMinus("beta") },
    flags: { plain },
    loops: [
      {
        when: "plain",
        body: (t) => [
          t.set("v", t.add(t.mul(t.scalar("beta"), t.load("b0")), t.mul(t.scalar("oneMinusBeta"), t.load("grad")))),
          t.store("b0", t.get("v")),
          t.store("params", t.sub(t.load("params"), t.mul(t.scalar("lr"), t.get("v")))),
        ],
      },
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("v", t.add(t.mul(t.scalar("beta"), t.load("b0")), t.mul(t.scalar("oneMinusBeta"), t.get("g")))),
          t.store("b0", t.get("v")),
          decayed(t, t.mul(t.scalar("lr"), t.get("v"))),
        ],
      },
    ],
  },
  {
    name: "normalized_gradient",
    slots: { ...common, lr: NORMALIZED.lr, eps: NORMALIZED.eps },
    flags: { plain },
    loops: [
      {
        when: "plain",
        body: (t) => [
          t.set("g", t.load("grad")),
          t.store("params", t.sub(t.load("params"), t.div(t.mul(t.scalar("lr"), t.get("g")), t.add(t.abs(t.get("g")), t.scalar("eps"))))),
        ],
      },
      {
        body: (t) => [...effectiveGradient(t), decayed(t, t.div(t.mul(t.scalar("lr"), t.get("g")), t.add(t.abs(t.get("g")), t.scalar("eps"))))],
      },
    ],
  },
  {
    name: "adagrad",
    slots: { ...common, lr: ADAGRAD.lr, epsInside: ADAGRAD.epsInside, epsOutside: ADAGRAD.epsOutside },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("s", t.add(t.load("b0"), t.mul(t.get("g"), t.get("g")))),
          t.store("b0", t.get("s")),
          decayed(t, t.mul(t.scalar("lr"), t.div(t.get("g"), t.add(t.sqrt(t.add(t.get("s"), t.scalar("epsInside"))), t.scalar("epsOutside"))))),
        ],
      },
    ],
  },
  {
    name: "rmsprop",
    slots: {
      ...common,
      lr: RMSPROP.lr,
      rho: RMSPROP.rho,
      epsInside: RMSPROP.epsInside,
      epsOutside: RMSPROP.epsOutside,
      centered: RMSPROP.centered,
      momentum: RMSPROP.momentum,
    },
    derived: { oneMinusRho: oneMinus("rho") },
    flags: { isCentered: nonZero("centered"), hasMomentum: positive("momentum") },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("e", t.add(t.mul(t.scalar("rho"), t.load("b0")), t.mul(t.mul(t.scalar("oneMinusRho"), t.get("g")), t.get("g")))),
          t.store("b0", t.get("e")),
          t.when(
            "isCentered",
            [
              t.set("a", t.add(t.mul(t.scalar("rho"), t.load("b1")), t.mul(t.scalar("oneMinusRho"), t.get("g")))),
              t.store("b1", t.get("a")),
              t.set("difference", t.sub(t.get("e"), t.mul(t.get("a"), t.get("a")))),
              t.set("variance", t.select(t.gt(t.get("difference"), t.constant(0)), t.get("difference"), t.constant(0))),
            ],
            [t.set("variance", t.get("e"))],
          ),
          t.set("scaled", t.div(t.get("g"), t.add(t.sqrt(t.add(t.get("variance"), t.scalar("epsInside"))), t.scalar("epsOutside")))),
          t.when(
            "hasMomentum",
            [
              t.set("b", t.add(t.mul(t.scalar("momentum"), t.load("b2")), t.get("scaled"))),
              t.store("b2", t.get("b")),
              decayed(t, t.mul(t.scalar("lr"), t.get("b"))),
            ],
            [decayed(t, t.mul(t.scalar("lr"), t.get("scaled")))],
          ),
        ],
      },
    ],
  },
  {
    name: "adam",
    slots: {
      ...common,
      beta: ADAM.beta,
      gamma: ADAM.gamma,
      stepSize: ADAM.stepSize,
      invCorrection2: ADAM.invCorrection2,
      epsInside: ADAM.epsInside,
      epsOutside: ADAM.epsOutside,
      amsgrad: ADAM.amsgrad,
    },
    derived: { oneMinusBeta: oneMinus("beta"), oneMinusGamma: oneMinus("gamma") },
    flags: { isAmsgrad: nonZero("amsgrad"), plainAdam: `(i32.and (i32.eqz ${nonZero("amsgrad")}) ${plain})` },
    loops: [
      {
        when: "plainAdam",
        body: (t) => [
          t.set("g", t.load("grad")),
          ...adamMoments(t),
          t.store("params", t.sub(t.load("params"), adamStep(t))),
        ],
      },
      {
        body: (t) => [
          ...effectiveGradient(t),
          ...adamMoments(t),
          t.when("isAmsgrad", [t.set("v", t.max(t.load("b2"), t.get("v"))), t.store("b2", t.get("v"))]),
          decayed(t, adamStep(t)),
        ],
      },
    ],
  },
  {
    name: "sgd",
    slots: {
      ...common,
      lr: SGD_SLOTS.lr,
      momentum: SGD_SLOTS.momentum,
      dampening: SGD_SLOTS.dampening,
      nesterov: SGD_SLOTS.nesterov,
      firstStep: SGD_SLOTS.firstStep,
    },
    derived: { keep: oneMinus("dampening") },
    flags: { hasMomentum: positive("momentum"), isNesterov: nonZero("nesterov"), isFirstStep: nonZero("firstStep") },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.when("hasMomentum", [
            t.when(
              "isFirstStep",
              [t.set("b", t.get("g"))],
              [t.set("b", t.add(t.mul(t.scalar("momentum"), t.load("b0")), t.mul(t.scalar("keep"), t.get("g"))))],
            ),
            t.store("b0", t.get("b")),
            t.when("isNesterov", [t.set("g", t.add(t.get("g"), t.mul(t.scalar("momentum"), t.get("b"))))], [t.set("g", t.get("b"))]),
          ]),
          decayed(t, t.mul(t.scalar("lr"), t.get("g"))),
        ],
      },
    ],
  },
  {
    name: "adamax",
    slots: { ...common, beta: ADAMAX.beta, gamma: ADAMAX.gamma, eps: ADAMAX.eps, stepSize: ADAMAX.stepSize },
    derived: { oneMinusBeta: oneMinus("beta") },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("m", t.add(t.mul(t.scalar("beta"), t.load("b0")), t.mul(t.scalar("oneMinusBeta"), t.get("g")))),
          t.set("u", t.max(t.mul(t.scalar("gamma"), t.load("b1")), t.add(t.abs(t.get("g")), t.scalar("eps")))),
          t.store("b0", t.get("m")),
          t.store("b1", t.get("u")),
          decayed(t, t.mul(t.scalar("stepSize"), t.div(t.get("m"), t.get("u")))),
        ],
      },
    ],
  },
  {
    name: "nadam",
    slots: {
      ...common,
      beta: NADAM.beta,
      gamma: NADAM.gamma,
      gradCoefficient: NADAM.gradCoefficient,
      momentCoefficient: NADAM.momentCoefficient,
      invCorrection2: NADAM.invCorrection2,
      epsInside: NADAM.epsInside,
      epsOutside: NADAM.epsOutside,
    },
    derived: { oneMinusBeta: oneMinus("beta"), oneMinusGamma: oneMinus("gamma") },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          ...adamMoments(t),
          t.set("denominator", t.add(t.sqrt(t.add(t.mul(t.get("v"), t.scalar("invCorrection2")), t.scalar("epsInside"))), t.scalar("epsOutside"))),
          t.store(
            "params",
            t.sub(
              t.sub(t.mul(t.scalar("decay"), t.get("p")), t.mul(t.scalar("gradCoefficient"), t.div(t.get("g"), t.get("denominator")))),
              t.mul(t.scalar("momentCoefficient"), t.div(t.get("m"), t.get("denominator"))),
            ),
          ),
        ],
      },
    ],
  },
  {
    name: "radam",
    slots: { ...common, beta: RADAM.beta, gamma: RADAM.gamma, eps: RADAM.eps, rectifiedStep: RADAM.rectifiedStep, plainStep: RADAM.plainStep },
    derived: { oneMinusBeta: oneMinus("beta"), oneMinusGamma: oneMinus("gamma") },
    flags: { rectified: positive("rectifiedStep") },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          ...adamMoments(t),
          t.when(
            "rectified",
            [decayed(t, t.mul(t.scalar("rectifiedStep"), t.div(t.get("m"), t.add(t.sqrt(t.get("v")), t.scalar("eps")))))],
            [decayed(t, t.mul(t.scalar("plainStep"), t.get("m")))],
          ),
        ],
      },
    ],
  },
  {
    name: "adadelta",
    slots: { ...common, lr: ADADELTA.lr, rho: ADADELTA.rho, eps: ADADELTA.eps },
    derived: { oneMinusRho: oneMinus("rho") },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("e", t.add(t.mul(t.scalar("rho"), t.load("b0")), t.mul(t.mul(t.scalar("oneMinusRho"), t.get("g")), t.get("g")))),
          t.store("b0", t.get("e")),
          t.set("delta", t.mul(t.div(t.sqrt(t.add(t.load("b1"), t.scalar("eps"))), t.sqrt(t.add(t.get("e"), t.scalar("eps")))), t.get("g"))),
          t.store("b1", t.add(t.mul(t.scalar("rho"), t.load("b1")), t.mul(t.mul(t.scalar("oneMinusRho"), t.get("delta")), t.get("delta")))),
          decayed(t, t.mul(t.scalar("lr"), t.get("delta"))),
        ],
      },
    ],
  },
  {
    name: "rprop",
    slots: { ...common, etaMinus: RPROP.etaMinus, etaPlus: RPROP.etaPlus, stepMin: RPROP.stepMin, stepMax: RPROP.stepMax },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("agreement", t.mul(t.get("g"), t.load("b0"))),
          t.set(
            "factor",
            t.select(
              t.gt(t.get("agreement"), t.constant(0)),
              t.scalar("etaPlus"),
              t.select(t.lt(t.get("agreement"), t.constant(0)), t.scalar("etaMinus"), t.constant(1)),
            ),
          ),
          t.set("size", t.min(t.max(t.mul(t.load("b1"), t.get("factor")), t.scalar("stepMin")), t.scalar("stepMax"))),
          t.store("b1", t.get("size")),
          t.set("g", t.select(t.lt(t.get("agreement"), t.constant(0)), t.constant(0), t.get("g"))),
          t.store("b0", t.get("g")),
          // Math.sign: 1, −1, or the value itself for ±0 and NaN
          t.set("sign", t.select(t.gt(t.get("g"), t.constant(0)), t.constant(1), t.select(t.lt(t.get("g"), t.constant(0)), t.constant(-1), t.get("g")))),
          decayed(t, t.mul(t.get("sign"), t.get("size"))),
        ],
      },
    ],
  },
  {
    name: "asgd",
    slots: { ...common, eta: ASGD_SLOTS.eta, shrink: ASGD_SLOTS.shrink, mu: ASGD_SLOTS.mu },
    flags: { copy: "(f64.eq (local.get $mu) (f64.const 1))" },
    loops: [
      {
        body: (t) => [
          ...effectiveGradient(t),
          t.set("q", t.sub(t.mul(t.scalar("decay"), t.mul(t.scalar("shrink"), t.get("p"))), t.mul(t.scalar("eta"), t.get("g")))),
          t.store("params", t.get("q")),
          t.set("a", t.load("b0")),
          t.when("copy", [t.store("b0", t.get("q"))], [t.store("b0", t.add(t.get("a"), t.mul(t.sub(t.get("q"), t.get("a")), t.scalar("mu"))))]),
        ],
      },
    ],
  },
];

/** m = β·m_i + (1 − β)·g,  v = γ·v_i + (1 − γ)·g·g, both stored (Adam, NAdam, RAdam). */
function adamMoments(t: Lanes): string[] {
  return [
    t.set("m", t.add(t.mul(t.scalar("beta"), t.load("b0")), t.mul(t.scalar("oneMinusBeta"), t.get("g")))),
    t.set("v", t.add(t.mul(t.scalar("gamma"), t.load("b1")), t.mul(t.mul(t.scalar("oneMinusGamma"), t.get("g")), t.get("g")))),
    t.store("b0", t.get("m")),
    t.store("b1", t.get("v")),
  ];
}

/** a·(m / (√(v·c + ε_in) + ε_out)). */
function adamStep(t: Lanes): string {
  return t.mul(
    t.scalar("stepSize"),
    t.div(t.get("m"), t.add(t.sqrt(t.add(t.mul(t.get("v"), t.scalar("invCorrection2")), t.scalar("epsInside"))), t.scalar("epsOutside"))),
  );
}
