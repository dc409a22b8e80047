// npx tsx bench/math-functions.ts: the cost of one exp and one log1p (src/math/), per call, beside
// Math.exp and Math.log1p, in JS and inside WebAssembly (a loop in Wasm calling $math_exp over a
// block of inputs, as a fused mini-batch kernel will), interleaved in one run. Ratios, not timings
// to compare across machines.
import { readFileSync } from "node:fs";
import wabtFactory from "wabt";
import { exp } from "../src/math/exp.js";
import { log1p } from "../src/math/log1p.js";
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
