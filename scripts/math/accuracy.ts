// npx tsx scripts/math/accuracy.ts [--count 1e7] [--mpmath 1e5]
//
// The accuracy of src/math/exp.ts and log1p.ts at a scale the tests do not run: on `--count` random
// inputs per set, the largest distance in ulps from Math.exp / Math.log1p and how many results
// differ at all, and whether the Wasm twins (math_exp, math_log1p) give the same bits; then, on a
// sample of `--mpmath` inputs, the error in fractions of an ulp against mpmath (60 digits, through
// /usr/bin/python3), which does not depend on Math.exp being right.
//
// Last run (Node 20.20.2, V8 11.3, --count 1e7 --mpmath 1e5): exp on 10^7 inputs in [−745, 710] and
// 10^6 in each of five targeted sets (near 0, k·ln2 ± 4 ulps, (k + ½)·ln2 ± 4 ulps, huge and tiny
// results, random bit patterns), log1p on 10^7 in (−1, 1e300] and 10^6 in each of five (near 0, near
// −1, 2^k − 1 ± 4 ulps, 2^53 … 2^1024, random bit patterns): 0 results differ from Math.exp /
// Math.log1p, 0 from the Wasm twins. Against mpmath: exp at most 0.8994 ulp (93.23% correctly
// rounded), log1p at most 0.7655 ulp (98.91%).
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { exp } from "../../src/math/exp.js";
import { log1p } from "../../src/math/log1p.js";
import { random, randomBits, sameBits, ulpDistance, wasmMath } from "../../test/math/math-inputs.js";

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => (args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback);
const COUNT = option("--count", 1e7);
const MPMATH = option("--mpmath", 1e5);
const { plain } = wasmMath();
const next = random(2026);
const LN2 = Math.LN2;

type Draw = () => number;
const sets: { name: "exp" | "log1p"; label: string; draw: Draw; count: number }[] = [
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

const ports = { exp, log1p };
const references = { exp: Math.exp, log1p: Math.log1p };
const twins = { exp: plain.math_exp, log1p: plain.math_log1p };
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
    const d = ulpDistance(y, references[name](x));
    if (d > 0) differ++;
    if (d > worst) worst = d;
    if (!sameBits(y, twins[name](x))) wasmDiffer++;
  }
  console.log(`| ${name} | ${label} | ${count.toExponential(0)} | ${differ} | ${worst} | ${wasmDiffer} |`);
}

if (MPMATH > 0) {
  // x and the port's result, as raw doubles, for mpmath to judge
  const dir = mkdtempSync(join(tmpdir(), "gradstep-math-"));
  for (const name of ["exp", "log1p"] as const) {
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
for name in ("exp", "log1p"):
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
