// npx tsx scripts/math/accuracy.ts [--count 1e7] [--mpmath 1e5]
//
// The accuracy of the ports in src/math/ (exp, log1p, expm1, tanh, log, sin, cos) at a scale the
// tests do not run: on `--count` random inputs per set, the largest distance in ulps from Math.* and
// how many results differ at all (Node 20's Math.* are the same fdlibm code: 0 expected there), and
// whether the Wasm twins (math_exp, math_log1p, math_sin, math_cos; the others have none) give the same bits; then, on a
// sample of `--mpmath` inputs, the error in fractions of an ulp against mpmath (60 digits, through
// /usr/bin/python3), which does not depend on Math.exp being right.
//
// Last run for exp and log1p (Node 20.20.2, V8 11.3, --count 1e7 --mpmath 1e5): exp on 10^7 inputs in
// [−745, 710] and 10^6 in each of five targeted sets (near 0, k·ln2 ± 4 ulps, (k + ½)·ln2 ± 4 ulps,
// huge and tiny results, random bit patterns), log1p on 10^7 in (−1, 1e300] and 10^6 in each of five
// (near 0, near −1, 2^k − 1 ± 4 ulps, 2^53 … 2^1024, random bit patterns): 0 results differ from
// Math.exp / Math.log1p, 0 from the Wasm twins. Against mpmath: exp at most 0.8994 ulp (93.23%
// correctly rounded), log1p at most 0.7655 ulp (98.91%).
// Last run with all seven (Node 20.20.2, --count 1e6 --mpmath 1e5): 10^6 uniform plus 10^5 in each
// targeted set per function (expm1: near 0, k·ln2 and (k + ½)·ln2 ± 4 ulps; tanh: both formulas, near
// 0; log: every exponent with subnormals, [1, 10], near 1, √2·2^k ± 4 ulps; sin and cos: N·π/2 ± 4
// ulps, every exponent up to 2^1024; all: random bit patterns): 0 results differ from Node's Math.*.
// Against mpmath on 10^5 each: exp 0.8550 ulp at most (93.13% correctly rounded), log1p 0.7659
// (98.84%), expm1 0.7633 (93.06%), tanh 2.0476 (83.68%; fdlibm's bound is 2.5), log 0.7761
// (98.25%), sin 0.7780 (97.75%), cos 0.8246 (97.75%).
// Last run after sin and cos got their Wasm twins (Node 20.20.2, --count 1e6 --mpmath 0): on each of
// their sets (uniform in [−10, 10]; N·π/2 ± 4 ulps; ±2^u up to 2^1024; random bits), 0 results differ
// from Math.sin / Math.cos and 0 from math_sin / math_cos.
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cos } from "../../src/math/cos.js";
import { exp } from "../../src/math/exp.js";
import { expm1 } from "../../src/math/expm1.js";
import { log } from "../../src/math/log.js";
import { log1p } from "../../src/math/log1p.js";
import { sin } from "../../src/math/sin.js";
import { tanh } from "../../src/math/tanh.js";
import { random, randomBits, sameBits, ulpDistance, wasmMath } from "../../test/math/math-inputs.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const COUNT = option("--count", 1e7);
const MPMATH = option("--mpmath", 1e5);
const { plain } = wasmMath();
const next = random(2026);
const LN2 = Math.LN2;

type Draw = () => number;
type Name = "exp" | "log1p" | "expm1" | "tanh" | "log" | "sin" | "cos";
const sets: { name: Name; label: string; draw: Draw; count: number }[] = [
  { name: "exp", label: "uniform in [−745, 710]", draw: () => -745 + next() * 1455, count: COUNT },
  { name: "exp", label: "near 0: ±2^−u, u in [0, 80]", draw: () => (next() < 0.5 ? -1 : 1) * 2 ** (-80 * next()), count: COUNT / 10 },
  { name: "exp", label: "k·ln2 ± ≤ 4 ulps, k in [−1075, 1024]", draw: () => nudge(Math.round(-1075 + next() * 2099) * LN2), count: COUNT / 10 },
  { name: "exp", label: "(k + ½)·ln2 ± ≤ 4 ulps (k switches)", draw: () => nudge((Math.round(-1075 + next() * 2099) + 0.5) * LN2), count: COUNT / 10 },
  { name: "exp", label: "huge and tiny results: [−745.2, −700] ∪ [700, 709.8]", draw: () => (next() < 0.5 ? -745.2 + 45.2 * next() : 700 + 9.8 * next()), count: COUNT / 10 },
  { name: "exp", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
  { name: "log1p", label: "(−1, 1e300]: half uniform in (−1, 1), half e^u − 1, u in [0, 690.8]", draw: () => (next() < 0.5 ? -1 + 2 * (1 - next()) : Math.expm1(690.8 * next())), count: COUNT },
  { name: "log1p", label: "near 0: ±2^−u, u in [0, 80]", draw: () => (next() < 0.5 ? -1 : 1) * 2 ** (-80 * next()), count: COUNT / 10 },
  { name: "log1p", label: "near −1: −1 + 2^−u, u in [0, 53]", draw: () => -1 + 2 ** (-53 * next()), count: COUNT / 10 },
  { name: "log1p", label: "2^k − 1 ± ≤ 4 ulps, k in [−53, 1023]", draw: () => nudge(2 ** Math.round(-53 + 1076 * next()) - 1), count: COUNT / 10 },
  { name: "log1p", label: "huge: 2^u, u in [53, 1024)", draw: () => 2 ** (53 + 971 * next()), count: COUNT / 10 },
  { name: "log1p", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
  { name: "expm1", label: "uniform in [−40, 709.7]", draw: () => -40 + next() * 749.7, count: COUNT },
  { name: "expm1", label: "near 0: ±2^−u, u in [0, 60]", draw: () => (next() < 0.5 ? -1 : 1) * 2 ** (-60 * next()), count: COUNT / 10 },
  { name: "expm1", label: "k·ln2 ± ≤ 4 ulps, k in [−60, 1024]", draw: () => nudge(Math.round(-60 + next() * 1084) * LN2), count: COUNT / 10 },
  { name: "expm1", label: "(k + ½)·ln2 ± ≤ 4 ulps (k switches)", draw: () => nudge((Math.round(-60 + next() * 1084) + 0.5) * LN2), count: COUNT / 10 },
  { name: "expm1", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
  { name: "tanh", label: "uniform in [−25, 25]", draw: () => -25 + 50 * next(), count: COUNT },
  { name: "tanh", label: "uniform in [−1.5, 1.5] (both formulas)", draw: () => -1.5 + 3 * next(), count: COUNT / 10 },
  { name: "tanh", label: "near 0: ±2^−u, u in [0, 70]", draw: () => (next() < 0.5 ? -1 : 1) * 2 ** (-70 * next()), count: COUNT / 10 },
  { name: "tanh", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
  { name: "log", label: "2^u, u in [−1074, 1024) (every exponent, subnormals)", draw: () => 2 ** (-1074 + 2098 * next()), count: COUNT },
  { name: "log", label: "[1, 10] (the log-sum-exp's sums)", draw: () => 1 + 9 * next(), count: COUNT / 10 },
  { name: "log", label: "near 1: 1 ± 2^−u, u in [1, 60]", draw: () => 1 + (next() < 0.5 ? -1 : 1) * 2 ** (-1 - 59 * next()), count: COUNT / 10 },
  { name: "log", label: "√2·2^k ± ≤ 4 ulps (the normalization switch)", draw: () => nudge(Math.SQRT2 * 2 ** Math.round(-1000 + 2000 * next())), count: COUNT / 10 },
  { name: "log", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
  { name: "sin", label: "uniform in [−10, 10]", draw: () => -10 + 20 * next(), count: COUNT },
  { name: "sin", label: "N·π/2 ± ≤ 4 ulps, N in [−10^5, 10^5]", draw: () => nudge((Math.PI / 2) * Math.round(-1e5 + 2e5 * next())), count: COUNT / 10 },
  { name: "sin", label: "±2^u, u in [−30, 1024) (the large-argument reduction)", draw: () => (next() < 0.5 ? -1 : 1) * 2 ** (-30 + 1054 * next()), count: COUNT / 10 },
  { name: "sin", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
  { name: "cos", label: "uniform in [−10, 10]", draw: () => -10 + 20 * next(), count: COUNT },
  { name: "cos", label: "N·π/2 ± ≤ 4 ulps, N in [−10^5, 10^5]", draw: () => nudge((Math.PI / 2) * Math.round(-1e5 + 2e5 * next())), count: COUNT / 10 },
  { name: "cos", label: "±2^u, u in [−30, 1024) (the large-argument reduction)", draw: () => (next() < 0.5 ? -1 : 1) * 2 ** (-30 + 1054 * next()), count: COUNT / 10 },
  { name: "cos", label: "any double (random bits)", draw: () => randomBits(next), count: COUNT / 10 },
];

/** x moved by −4 … 4 ulps. */
function nudge(x: number): number {
  const steps = Math.floor(next() * 9) - 4;
  let y = x;
  for (let i = 0; i < Math.abs(steps); i++) y = steps > 0 ? nextUp(y) : -nextUp(-y);
  return y;
}
const f64 = new Float64Array(1);
const i64 = new BigInt64Array(f64.buffer);
function nextUp(x: number): number {
  if (x === 0) return Number.MIN_VALUE;
  f64[0] = x;
  i64[0] += x > 0 ? 1n : -1n;
  return f64[0];
}

const ports: Record<Name, (x: number) => number> = { exp, log1p, expm1, tanh, log, sin, cos };
const twins: Partial<Record<Name, (x: number) => number>> = { exp: plain.math_exp, log1p: plain.math_log1p, sin: plain.math_sin, cos: plain.math_cos };
console.log(`${process.version}, V8 ${process.versions.v8}`);
console.log("| function | inputs | count | differ from Math.* | max ulps from Math.* | differ from Wasm |");
console.log("|---|---|---|---|---|---|");
for (const { name, label, draw, count } of sets) {
  let differ = 0;
  let worst = 0;
  let wasmDiffer = 0;
  for (let i = 0; i < count; i++) {
    const x = draw();
    const y = ports[name](x);
    const d = ulpDistance(y, Math[name](x));
    if (d > 0) differ++;
    if (d > worst) worst = d;
    const twin = twins[name];
    if (twin !== undefined && !sameBits(y, twin(x))) wasmDiffer++;
  }
  console.log(`| ${name} | ${label} | ${count.toExponential(0)} | ${differ} | ${worst} | ${twins[name] === undefined ? "— (no twin)" : wasmDiffer} |`);
}

if (MPMATH > 0) {
  // x and the port's result, as raw doubles, for mpmath to judge
  const dir = mkdtempSync(join(tmpdir(), "gradstep-math-"));
  for (const name of Object.keys(ports) as Name[]) {
    const pairs = new Float64Array(2 * MPMATH);
    const draws = sets.filter((s) => s.name === name && !s.label.startsWith("any"));
    for (let i = 0; i < MPMATH; i++) {
      const x = draws[i % draws.length].draw();
      pairs[2 * i] = x;
      pairs[2 * i + 1] = ports[name](x);
    }
    writeFileSync(join(dir, `${name}.f64`), pairs);
  }
  const program = `
import sys, numpy, mpmath
mpmath.mp.dps = 60
for name in ("exp", "log1p", "expm1", "tanh", "log", "sin", "cos"):
    pairs = numpy.fromfile(sys.argv[1] + "/" + name + ".f64", dtype="<f8").reshape(-1, 2)
    f = getattr(mpmath, name)
    worst, worst_x, rounded, count = 0.0, None, 0, 0
    for x, y in pairs:
        x, y = float(x), float(y)
        t = f(mpmath.mpf(x))
        if t == 0 or not mpmath.isfinite(t) or abs(t) > 1.7976931348623157e308: continue
        e = max(int(mpmath.floor(mpmath.log(abs(t), 2))), -1022) - 52
        err = float(abs(mpmath.mpf(y) - t) / mpmath.mpf(2) ** e)
        count += 1
        if err <= 0.5: rounded += 1
        if err > worst: worst, worst_x = err, x
    print("| %s | %d | %.4f (x = %r) | %.3f%% |" % (name, count, worst, worst_x, 100.0 * rounded / count))
`;
  console.log("\n| function | inputs judged by mpmath | max error (ulps) | correctly rounded |\n|---|---|---|---|");
  const run = spawnSync("/usr/bin/python3", ["-c", program, dir], { encoding: "utf8" });
  process.stdout.write(run.stdout || run.stderr);
}
