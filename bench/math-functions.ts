// node bench/run-bundled.mjs bench/math-functions.ts: the cost of one call of each port in src/math/ (exp, log1p, expm1,
// tanh, log, sin, cos) beside Math.*, in JS, and for exp, log1p, sin and cos inside WebAssembly too (a
// loop in Wasm calling $math_exp over a block of inputs, as the fused mini-batch does), interleaved in
// one run; then what the ports cost the models per example, on the models' own inner loops (the
// digits MLP's 64→32 tanh layer and its 10-class log-sum-exp, the Gabor model's sin·e and cos·e); then
// the Gabor model's mini-batch step (an empiricalRisk's value and gradient) on the JavaScript path and
// in one Wasm call (src/objectives/risk-batch.wat); then the same for networks (a networkRisk's batch:
// Network.accumulate against src/objectives/network-batch.wat).
// Ratios, not timings to compare across machines.
import { readFileSync } from "node:fs";
import wabtFactory from "wabt";
import { setBackend } from "gradstep";
import { createRandom, dataset, empiricalRisk, gaborModel, mlp, networkRisk, softmaxRegression, sumOfSquares, syntheticGabor, udlGaborData } from "gradstep/learn";
import { kernelsModuleBytes } from "../src/backends/wasm/kernels-module.js";
import { cos, cosAt } from "../src/math/cos.js";
import { exp, expAt } from "../src/math/exp.js";
import { expm1 } from "../src/math/expm1.js";
import { log, logAt } from "../src/math/log.js";
import { log1p } from "../src/math/log1p.js";
import { sin, sinAt } from "../src/math/sin.js";
import { tanh, tanhAt } from "../src/math/tanh.js";
import { interleaved } from "./timing.js";

const N = 4096;
const math = ["exp", "log1p"].map((name) => readFileSync(new URL(`../src/math/${name}.wat`, import.meta.url), "utf8"));
const loop = (name: string) => `(func (export "${name}_loop") (param $in i32) (param $out i32) (param $n i32)
  (local $i i32) (local $end i32)
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (f64.store (i32.add (local.get $out) (local.get $i)) (call $math_${name} (f64.load (i32.add (local.get $in) (local.get $i)))))
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (br $next))))`;
// the losses' term log(1 + e^−|z|), as the binary cross-entropy will compute it
const softplusLoop = `(func (export "softplus_loop") (param $in i32) (param $out i32) (param $n i32)
  (local $i i32) (local $end i32)
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
    (f64.store (i32.add (local.get $out) (local.get $i))
      (call $math_log1p (call $math_exp (f64.neg (f64.abs (f64.load (i32.add (local.get $in) (local.get $i))))))))
    (local.set $i (i32.add (local.get $i) (i32.const 8)))
    (br $next))))`;
const wabt = await wabtFactory();
const parsed = wabt.parseWat("math.wat", `(module (memory (import "env" "memory") 1)\n${[...math, loop("exp"), loop("log1p"), softplusLoop].join("\n")})`);
const { buffer } = parsed.toBinary({});
const memory = new WebAssembly.Memory({ initial: 1 });
const wasm = new WebAssembly.Instance(new WebAssembly.Module(buffer), { env: { memory } }).exports as Record<string, (a: number, b: number, n: number) => void>;
const heap = new Float64Array(memory.buffer);
const IN = 0;
const OUT = N * 8;

const next = (() => {
  let s = 14;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
})();
const cases: [string, () => number][] = [
  ["exp, x in [−745, 710]", () => -745 + next() * 1455],
  ["exp, x in [−40, 0] (σ and the loss)", () => -40 * next()],
  ["log1p, x in (−1, 1)", () => -1 + 2 * (1 - next())],
  ["log1p, x in (0, 1] (the loss: e^−|z|)", () => 1 - next()],
  ["log(1 + e^−|z|), z in [−40, 40]", () => -40 + 80 * next()],
];
const out = new Float64Array(N);
console.log("ns per call, fastest of 31 interleaved samples of a 4096-element loop\n");
console.log("| inputs | Math.* JS (ns/call) | port, JS | port, Wasm loop | port JS ÷ Math.* | port Wasm ÷ Math.* |");
console.log("|---|---|---|---|---|---|");
for (const [label, draw] of cases) {
  const input = Float64Array.from({ length: N }, draw);
  heap.set(input, IN / 8);
  const kind = label.startsWith("exp") ? "exp" : label.startsWith("log1p") ? "log1p" : "softplus";
  const reference = kind === "exp" ? Math.exp : Math.log1p;
  const port = kind === "exp" ? exp : log1p;
  const contenders =
    kind === "softplus"
      ? [
          () => { for (let i = 0; i < N; i++) out[i] = Math.log1p(Math.exp(-Math.abs(input[i]))); },
          () => { for (let i = 0; i < N; i++) out[i] = log1p(exp(-Math.abs(input[i]))); },
          () => wasm.softplus_loop(IN, OUT, N),
        ]
      : [
          () => { for (let i = 0; i < N; i++) out[i] = reference(input[i]); },
          () => { for (let i = 0; i < N; i++) out[i] = port(input[i]); },
          () => wasm[`${kind}_loop`](IN, OUT, N),
        ];
  // the fastest of 31 interleaved samples: on a machine shared with other work, the median moves by 2×
  const [m, js, w] = interleaved(contenders, 31, 10).map((t) => t.min / N);
  console.log(`| ${label} | ${m.toFixed(1)} | ${js.toFixed(1)} | ${w.toFixed(1)} | ${(js / m).toFixed(2)} | ${(w / m).toFixed(2)} |`);
}

// sin and cos: their Wasm twins live in the generated module (with the tables of their argument
// reduction, which it places in its memory), called through its array entry points.
const kernelsMemory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
const kernels = new WebAssembly.Instance(new WebAssembly.Module(kernelsModuleBytes(false)), { env: { memory: kernelsMemory } }).exports as Record<string, (a: number, b: number, n: number) => void>;
const kernelsHeap = new Float64Array(kernelsMemory.buffer);
const K_IN = 65536; // above the module's fixed blocks
const K_OUT = K_IN + N * 8;
const trigCases: [string, () => number, "sin" | "cos"][] = [
  ["sin, x in [−10, 10] (the Gabor model's z)", () => -10 + 20 * next(), "sin"],
  ["cos, x in [−10, 10]", () => -10 + 20 * next(), "cos"],
  ["sin, |x| in [2^20, 2^60] (the large-argument reduction)", () => 2 ** (20 + 40 * next()), "sin"],
];
for (const [label, draw, name] of trigCases) {
  const input = Float64Array.from({ length: N }, draw);
  kernelsHeap.set(input, K_IN / 8);
  const reference = name === "sin" ? Math.sin : Math.cos;
  const port = name === "sin" ? sin : cos;
  const [m, js, w] = interleaved(
    [
      () => { for (let i = 0; i < N; i++) out[i] = reference(input[i]); },
      () => { for (let i = 0; i < N; i++) out[i] = port(input[i]); },
      () => kernels[`math_${name}_array`](K_IN, K_OUT, N),
    ],
    31,
    10,
  ).map((t) => t.min / N);
  console.log(`| ${label} | ${m.toFixed(1)} | ${js.toFixed(1)} | ${w.toFixed(1)} | ${(js / m).toFixed(2)} | ${(w / m).toFixed(2)} |`);
}

// The ports without a Wasm twin: JS only.
const jsCases: [string, () => number, (x: number) => number, (x: number) => number][] = [
  ["expm1, x in [−3, 3]", () => -3 + 6 * next(), Math.expm1, expm1],
  ["tanh, x in [−3, 3] (a hidden layer's z)", () => -3 + 6 * next(), Math.tanh, tanh],
  ["log, x in [1, 10] (the log-sum-exp's sums)", () => 1 + 9 * next(), Math.log, log],
  ["log, x = e^u, u in [−700, 700]", () => Math.exp(-700 + 1400 * next()), Math.log, log],
];
for (const [label, draw, reference, port] of jsCases) {
  const input = Float64Array.from({ length: N }, draw);
  const [m, js] = interleaved(
    [
      () => { for (let i = 0; i < N; i++) out[i] = reference(input[i]); },
      () => { for (let i = 0; i < N; i++) out[i] = port(input[i]); },
    ],
    31,
    10,
  ).map((t) => t.min / N);
  console.log(`| ${label} | ${m.toFixed(1)} | ${js.toFixed(1)} | — | ${(js / m).toFixed(2)} | — |`);
}

// The models' inner loops, per example, as src/models/ writes them: Math.* against the ports, which
// the models call in their array forms (tanhAt, expAt, logAt, sinAt, cosAt: in place, no double
// crossing a call).
const W = Float64Array.from({ length: 64 * 32 + 32 + 32 * 10 + 10 }, () => (next() - 0.5) * 0.3);
const X = Float64Array.from({ length: 64 * 256 }, () => (next() - 0.5) * 4);
const hidden = new Float64Array(32);
const scores = new Float64Array(10);
const exps = new Float64Array(10);
const slot = new Float64Array(3);
let sink = 0;
function mlpMath(row: number): void {
  for (let o = 0; o < 32; o++) {
    let z = W[2048 + o];
    for (let i = 0; i < 64; i++) z += W[o * 64 + i] * X[row * 64 + i];
    hidden[o] = Math.tanh(z);
  }
  let max = -Infinity;
  for (let c = 0; c < 10; c++) {
    let z = W[2400 + c];
    for (let i = 0; i < 32; i++) z += W[2080 + c * 32 + i] * hidden[i];
    scores[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < 10; c++) sum += Math.exp(scores[c] - max);
  sink += max + Math.log(sum) - scores[row % 10];
}
function mlpPorts(row: number): void {
  for (let o = 0; o < 32; o++) {
    let z = W[2048 + o];
    for (let i = 0; i < 64; i++) z += W[o * 64 + i] * X[row * 64 + i];
    hidden[o] = z;
    tanhAt(hidden, o);
  }
  let max = -Infinity;
  for (let c = 0; c < 10; c++) {
    let z = W[2400 + c];
    for (let i = 0; i < 32; i++) z += W[2080 + c * 32 + i] * hidden[i];
    scores[c] = z;
    if (z > max) max = z;
  }
  let sum = 0;
  for (let c = 0; c < 10; c++) {
    exps[c] = scores[c] - max;
    expAt(exps, c);
    sum += exps[c];
  }
  slot[0] = sum;
  logAt(slot, 0);
  sink += max + slot[0] - scores[row % 10];
}
function gaborMath(x: number): void {
  const z = 2.5 * x; // in [−5, 5]
  const e = Math.exp(-(z * z) / 32);
  sink += Math.sin(z) * e + Math.cos(z) * e - (Math.sin(z) * e * z) / 16;
}
function gaborPorts(x: number): void {
  const z = 2.5 * x;
  slot[0] = -(z * z) / 32;
  expAt(slot, 0);
  slot[1] = z;
  sinAt(slot, 1);
  slot[2] = z;
  cosAt(slot, 2);
  const e = slot[0];
  sink += slot[1] * e + slot[2] * e - (slot[1] * e * z) / 16;
}
const [mlpM, mlpP, gaborM, gaborP] = interleaved(
  [
    () => { for (let r = 0; r < 256; r++) mlpMath(r); },
    () => { for (let r = 0; r < 256; r++) mlpPorts(r); },
    () => { for (let r = 0; r < 256; r++) gaborMath(X[r]); },
    () => { for (let r = 0; r < 256; r++) gaborPorts(X[r]); },
  ],
  31,
  10,
).map((t) => t.min / 256);
console.log("\nper example, forward pass and loss as the models compute them (fastest of 31 interleaved samples of 256 examples)\n");
console.log("| model loop | Math.* (ns/example) | ports (ns/example) | ports ÷ Math.* |");
console.log("|---|---|---|---|");
console.log(`| digits MLP: 64→32 tanh, 10-class log-sum-exp (32 tanh, 10 exp, 1 log) | ${mlpM.toFixed(0)} | ${mlpP.toFixed(0)} | ${(mlpP / mlpM).toFixed(2)} |`);
console.log(`| Gabor model: f and ∂f/∂θ0 (one sin, cos, exp each) | ${gaborM.toFixed(1)} | ${gaborP.toFixed(1)} | ${(gaborP / gaborM).toFixed(2)} |`);

// The Gabor model's mini-batch step as minimize takes it: an empiricalRisk's value and gradient, the
// risk built on the JS backend (its batch on the JavaScript path: the model's predict and
// accumulateGradient, the loss between) and on the Wasm backend (the batch in one Wasm call), on the
// same data, θ and rows; their results are checked to be the same bits before timing.
console.log("\nthe Gabor model's batch step: value and gradient of an empiricalRisk (sumOfSquares), fastest of 31 interleaved samples\n");
console.log("| data, batch | JS path (ns/step) | Wasm batch (ns/step) | JS ÷ Wasm | JS (ns/row) | Wasm (ns/row) |");
console.log("|---|---|---|---|---|---|");
const gaborCases: [string, ReturnType<typeof udlGaborData>, number][] = [
  ["the lecture's 30 points, full batch", udlGaborData(), 30],
  ["synthetic, 10,000 points, batches of 64", syntheticGabor({ size: 10_000, noise: 0.2, theta: [0.4, 12], seed: 5 }), 64],
  ["synthetic, 10,000 points, full batch", syntheticGabor({ size: 10_000, noise: 0.2, theta: [0.4, 12], seed: 5 }), 10_000],
];
for (const [label, data, batch] of gaborCases) {
  setBackend("js");
  const onJs = empiricalRisk(gaborModel(), sumOfSquares(), data);
  setBackend("wasm");
  const onWasm = empiricalRisk(gaborModel(), sumOfSquares(), data);
  const theta = Float64Array.of(-1.5, 8.5);
  const rows = batch === data.size ? null : Int32Array.from({ length: batch }, () => Math.floor(next() * data.size));
  const gradJs = new Float64Array(2);
  const gradWasm = new Float64Array(2);
  const valueJs = new Float64Array(1);
  const valueWasm = new Float64Array(1);
  onJs.evaluateInto!(theta, gradJs, rows, batch, valueJs);
  onWasm.evaluateInto!(theta, gradWasm, rows, batch, valueWasm);
  if (!Object.is(valueJs[0], valueWasm[0]) || !Object.is(gradJs[0], gradWasm[0]) || !Object.is(gradJs[1], gradWasm[1])) throw new Error(`${label}: the two paths differ`);
  const [js, wasm] = interleaved(
    [() => onJs.evaluateInto!(theta, gradJs, rows, batch, valueJs), () => onWasm.evaluateInto!(theta, gradWasm, rows, batch, valueWasm)],
    31,
    10,
  ).map((t) => t.min);
  console.log(`| ${label} | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(js / wasm).toFixed(2)} | ${(js / batch).toFixed(1)} | ${(wasm / batch).toFixed(1)} |`);
}
// The networks' mini-batch step: a networkRisk's value and gradient on 64 rows of 10,000 (20 features,
// 3 classes), built on the JS backend (Network.accumulate: forward, loss and backward per row) and on
// the Wasm backend (the batch in one call), the same θ and rows, checked to be the same bits first.
console.log("\nthe networks' batch step: value and gradient of a networkRisk (cross-entropy, mean) on 64 rows, fastest of 31 interleaved samples\n");
console.log("| network | JS path (ns/batch) | Wasm batch (ns/batch) | JS ÷ Wasm | JS (ns/row) | Wasm (ns/row) |");
console.log("|---|---|---|---|---|---|");
const netRandom = createRandom(11);
const netX = Array.from({ length: 10_000 }, () => Array.from({ length: 20 }, () => 2 * netRandom.next() - 1));
const netData = dataset(netX, netX.map((x) => (x[0] + x[1] > 0 ? (x[2] > 0 ? 2 : 1) : 0)));
const networks = [
  ["mlp 20 → 32 tanh → 3", mlp({ inputs: 20, hidden: [{ units: 32, activation: "tanh" }], output: { kind: "softmax", classes: 3 } })],
  ["softmaxRegression 20 → 3", softmaxRegression({ inputs: 20, classes: 3 })],
] as const;
for (const [label, network] of networks) {
  setBackend("js");
  const onJs = networkRisk(network, netData);
  setBackend("wasm");
  const onWasm = networkRisk(network, netData);
  const theta = network.initialize(2);
  const rows = Int32Array.from({ length: 64 }, () => Math.floor(next() * netData.size));
  const gradJs = new Float64Array(theta.length);
  const gradWasm = new Float64Array(theta.length);
  const valueJs = new Float64Array(1);
  const valueWasm = new Float64Array(1);
  onJs.evaluateInto(theta, gradJs, rows, 64, valueJs);
  onWasm.evaluateInto(theta, gradWasm, rows, 64, valueWasm);
  if (!Object.is(valueJs[0], valueWasm[0]) || gradJs.some((g, i) => !Object.is(g, gradWasm[i]))) throw new Error(`${label}: the two paths differ`);
  const [js, wasm] = interleaved([() => onJs.evaluateInto(theta, gradJs, rows, 64, valueJs), () => onWasm.evaluateInto(theta, gradWasm, rows, 64, valueWasm)], 31, 10).map((t) => t.min);
  console.log(`| ${label} | ${js.toFixed(0)} | ${wasm.toFixed(0)} | ${(js / wasm).toFixed(2)} | ${(js / 64).toFixed(0)} | ${(wasm / 64).toFixed(0)} |`);
}
if (sink === 42) console.log(""); // keep the loops' results alive
