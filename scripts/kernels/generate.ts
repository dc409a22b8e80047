// Generates every kernel from the rules declared in src/{optimizers,transforms}/*.rule.ts: the JS kernels
// (src/kernels/<file>.ts), the WebAssembly text (src/backends/wasm/kernels.wat, which also carries the
// hand-written math functions src/math/*.wat: exp, log1p, expm1, log, tanh, sin, cos) and its binary as
// base64 (src/backends/wasm/kernels-binary.ts, in two variants: importing a shared memory, for
// threads, or a plain one); and, from the registry, the docs' optimizer overview. `npm run generate`
// writes them; `npm run generate -- --check` fails when a committed file differs from what it would
// write (CI runs it, and a test does the same).
import { readFileSync, writeFileSync } from "node:fs";
import wabtFactory from "wabt";
import { jsModule } from "./emit-js.js";
import { exportsOf, watFunction } from "./emit-wat.js";
import { nonFiniteText } from "./non-finite.js";
import { PLAN, PLAN_RECORDS, PLAN_SLOTS, REM_PIO2, SCALARS } from "../../src/backends/wasm/memory-layout.js";
import { NPIO2_HW } from "../../src/math/rem-pio2.js";
import { PIO2, TWO_OVER_PI } from "../../src/math/rem-pio2-large.js";
import { type LoweredRule, loadRules } from "./rules.js";

/**
 * The math functions WebAssembly lacks (exp, log1p, expm1, log, tanh, sin, cos and the pieces of sin and cos), written by
 * hand in src/math/<name>.wat beside their JavaScript twins src/math/<name>.ts, the same operations in
 * the same order; the kernels that need them `call $math_<name>`, and the module exports exp, log1p,
 * expm1, log, tanh, sin and cos as `math_<name>` for the bit-identity tests.
 */
const MATH_FUNCTIONS = ["exp", "log1p", "expm1", "log", "tanh", "trig-kernels", "rem-pio2", "rem-pio2-large", "trig-at", "sin", "cos"];
const mathText = MATH_FUNCTIONS.map((name) => readFileSync(new URL(`../../src/math/${name}.wat`, import.meta.url), "utf8").trimEnd());

/**
 * The block of sin and cos's argument reduction (memory-layout.ts: REM_PIO2), laid out here: each array
 * a global holding its byte address, which src/math/rem-pio2*.wat read; fdlibm's tables written there
 * by data segments when the module is instantiated, from the JavaScript port's own arrays (one source
 * for both twins), little-endian as WebAssembly reads them; then its working arrays (20 elements each,
 * as in fdlibm). The f64 arrays come first, so that each is 8-byte aligned.
 */
function remPio2Block(): string {
  const littleEndian = (values: Float64Array | Int32Array) => {
    const view = new DataView(new ArrayBuffer(values.length * values.BYTES_PER_ELEMENT));
    values.forEach((v, i) => (values instanceof Float64Array ? view.setFloat64(i * 8, v, true) : view.setInt32(i * 4, v, true)));
    return new Uint8Array(view.buffer);
  };
  const arrays: [string, Uint8Array | number][] = [
    ["math_pio2", littleEndian(PIO2)],
    ["math_rem_pio2_x", 3 * 8],
    ["math_rem_pio2_f", 20 * 8],
    ["math_rem_pio2_q", 20 * 8],
    ["math_rem_pio2_fq", 20 * 8],
    ["math_npio2_hw", littleEndian(NPIO2_HW)],
    ["math_two_over_pi", littleEndian(TWO_OVER_PI)],
    ["math_rem_pio2_iq", 20 * 4],
  ];
  const lines = [";; sin and cos's argument reduction: its block's arrays (generated from src/math/rem-pio2*.ts)"];
  let at = REM_PIO2;
  for (const [name, contents] of arrays) {
    lines.push(`(global $${name} i32 (i32.const ${at}))`);
    if (typeof contents === "number") at += contents;
    else {
      lines.push(`(data (i32.const ${at}) "${[...contents].map((b) => `\\${b.toString(16).padStart(2, "0")}`).join("")}")`);
      at += contents.length;
    }
  }
  if (at > PLAN) throw new Error(`the argument reduction's block ends at ${at}, past PLAN (${PLAN}): move PLAN in memory-layout.ts`);
  return lines.join("\n");
}

/**
 * Hand-written functions beyond the optimizers' kernels: an empirical risk's batch in one call
 * (src/objectives/risk-batch.wat) and a dense network's (src/objectives/network-batch.wat).
 */
const handWritten = ["objectives/risk-batch", "objectives/network-batch"].map((path) => readFileSync(new URL(`../../src/${path}.wat`, import.meta.url), "utf8").trimEnd());

const SHARED_MEMORY = `(memory (import "env" "memory") 1 65536 shared)`;
const PLAIN_MEMORY = `(memory (import "env" "memory") 1 65536)`;
const FEATURES = { simd: true, threads: true };

/**
 * `<kernel>_step(params, grad, b0, b1, b2, n, check)`: a whole step in one call from JavaScript (a
 * call costs about as much as a small step), on the numbers in the scalar block. With `check`, the
 * gradient's check first: returns 1, having written nothing, where it holds NaN or ±Infinity; else
 * the kernel's step and 0. (The numbers are not arguments: a call the JIT does not inline boxes each
 * double it passes, an allocation per step.)
 */
function stepText(kernel: string): string {
  return [
    `(func $${kernel}_step (export "${kernel}_step") ${["params", "grad", "b0", "b1", "b2", "n", "check"].map((a) => `(param $${a} i32)`).join(" ")} (result i32)`,
    `  (if (local.get $check) (then (if (call $non_finite (local.get $grad) (local.get $n)) (then (return (i32.const 1))))))`,
    `  (call $${kernel} (local.get $params) (local.get $grad) (i32.const ${SCALARS}) (local.get $b0) (local.get $b1) (local.get $b2) (local.get $n))`,
    `  (i32.const 0))`,
  ].join("\n");
}

/**
 * `run_plan(count)`: the first `count` planned steps of the plan block (memory-layout.ts: PLAN, one
 * record of PLAN_SLOTS doubles each), one after the other, each its kernel (by index, through a table
 * of them in KERNEL_NAMES order) on its addresses and on the numbers in its record, skipping a record
 * of n = 0. A tree's leaves stepped from here rather than by a call from JavaScript each: over 10^6
 * parameters, 100 calls from JavaScript cost 1.10–1.13× one call of the whole, and 100 calls from
 * this loop 1.01–1.04× (in a call's return to JavaScript and the next call, the loads the processor
 * had in flight drain).
 */
function runPlanText(names: readonly string[]): string {
  const field = (slot: number) => `(i32.trunc_f64_u (f64.load offset=${8 * slot} (local.get $at)))`;
  return [
    `(type $kernel (func ${"(param i32) ".repeat(7).trim()}))`,
    `(table $kernels ${names.length} funcref)`,
    `(elem (i32.const 0) func ${names.map((name) => `$${name}`).join(" ")})`,
    `(func $run_plan (export "run_plan") (param $count i32)`,
    `  (local $at i32)`,
    `  (if (i32.gt_u (local.get $count) (i32.const ${PLAN_RECORDS})) (then (unreachable)))`,
    `  (local.set $at (i32.const ${PLAN}))`,
    `  (block $done`,
    `    (loop $next`,
    `      (br_if $done (i32.eqz (local.get $count)))`,
    `      (if (f64.ne (f64.load offset=48 (local.get $at)) (f64.const 0))`,
    `        (then (call_indirect $kernels (type $kernel) ${field(1)} ${field(2)} (i32.add (local.get $at) (i32.const 64)) ${field(3)} ${field(4)} ${field(5)} ${field(6)} ${field(0)})))`,
    `      (local.set $at (i32.add (local.get $at) (i32.const ${8 * PLAN_SLOTS})))`,
    `      (local.set $count (i32.sub (local.get $count) (i32.const 1)))`,
    `      (br $next))))`,
  ].join("\n");
}

/** The module's text, for a shared or a plain memory. */
function moduleText(rules: readonly LoweredRule[], memory: string = SHARED_MEMORY): string {
  const functions = rules.flatMap((rule) => [...exportsOf(rule).map(({ name, part }) => watFunction(rule, name, part)), stepText(rule.name)]);
  const names = rules.flatMap((rule) => exportsOf(rule).map((e) => e.name));
  return [
    ";; Generated by scripts/kernels/generate.ts from src/{optimizers,transforms}/*.rule.ts: do not edit.",
    ";; Each kernel: (params, grad, scalars, b0, b1, b2, n) byte addresses and a count; f64x2 pairs, then",
    ";; the odd last element in scalar f64, with the operations of its JavaScript twin in src/kernels/.",
    ";; Then non_finite, the math functions of src/math/*.wat (twins of src/math/*.ts) with the block of",
    ";; sin and cos's argument reduction, and the hand-written src/objectives/risk-batch.wat and",
    ";; network-batch.wat (an empirical risk's and a dense network's batch, twins of their JavaScript paths).",
    "(module",
    `  ${memory}`,
    ...[...functions, runPlanText(names), nonFiniteText, ...mathText, remPio2Block(), ...handWritten].map((text) => text.replace(/^/gm, "  ")),
    ")",
    "",
  ].join("\n");
}

/** The generated TypeScript module holding both binaries, the export names and the split kernels. */
async function binaryModuleSource(rules: readonly LoweredRule[]): Promise<string> {
  const wabt = await wabtFactory();
  const assemble = (text: string) => {
    const parsed = wabt.parseWat("kernels.wat", text, FEATURES);
    (parsed.validate as (features: object) => void)(FEATURES);
    const { buffer } = parsed.toBinary({ log: false, write_debug_names: false });
    parsed.destroy();
    return Buffer.from(buffer);
  };
  // One binary ships: the two memories' limits differ in one byte, the flags (0x01: a maximum; 0x03:
  // a maximum, shared), which the runtime sets (src/backends/wasm/kernels-module.ts)
  const plain = assemble(moduleText(rules, PLAIN_MEMORY));
  const shared = assemble(moduleText(rules, SHARED_MEMORY));
  const differing = [...plain.keys()].filter((i) => plain[i] !== shared[i]);
  if (plain.length !== shared.length || differing.length !== 1 || plain[differing[0]] !== 0x01 || shared[differing[0]] !== 0x03) {
    throw new Error("the plain and shared modules should differ in the memory's limits flags alone");
  }
  const names = rules.flatMap((rule) => exportsOf(rule).map((e) => e.name));
  const split = rules.filter((rule) => rule.passes.length > 0).map((rule) => rule.name);
  return [
    "// Generated by scripts/kernels/generate.ts (npm run generate) from kernels.wat: do not edit.",
    "",
    "/**",
    " * The name of a kernel of the Wasm SIMD backend: an export of kernels.wat, which an optimizer names",
    " * in its `kernel` field.",
    " *",
    " * @example",
    " * ```ts",
    ' * const name: KernelName = "adam";',
    " * ```",
    " */",
    `export type KernelName = ${names.map((n) => JSON.stringify(n)).join(" | ")};`,
    "",
    "/** The kernels' export names, in a fixed order (the worker protocol numbers them). */",
    `export const KERNEL_NAMES: readonly KernelName[] = ${JSON.stringify(names)};`,
    "",
    "/**",
    " * The kernels with reductions: a thread split runs `<name>_reduce` over the whole vector on the",
    " * calling thread, then splits `<name>_update` (the same bits as `<name>` alone).",
    " */",
    `export const REDUCING_KERNELS: readonly KernelName[] = ${JSON.stringify(split)};`,
    "",
    "/** The kernels importing a plain memory of at most 65536 pages, as base64 (kernels-module.ts makes the shared one). */",
    `export const KERNELS_MODULE = "${plain.toString("base64")}";`,
    "",
    "/** The byte of {@link KERNELS_MODULE} holding its memory's limits flags: 0x01 (a maximum); 0x03 imports a shared memory. */",
    `export const MEMORY_FLAGS_AT = ${differing[0]};`,
    "",
  ].join("\n");
}

/** The generated kernels: each file's path from the repository root, and its text. */
async function generatedKernels(): Promise<Map<string, string>> {
  const rules = await loadRules();
  const files = new Map<string, string>();
  for (const file of new Set(rules.map((rule) => rule.file))) {
    const declared = rules.filter((rule) => rule.file === file);
    files.set(`src/kernels/${file}.ts`, jsModule(declared[0].folder, file, declared));
  }
  files.set("src/backends/wasm/kernels.wat", moduleText(rules));
  files.set("src/backends/wasm/kernels-binary.ts", await binaryModuleSource(rules));
  return files;
}

/** The docs written from the registry (imported late: the registry needs the kernels to exist). */
async function generatedDocs(): Promise<Map<string, string>> {
  const { optimizerOverview } = await import("../docs/optimizer-table.js");
  return new Map([["docs/guides/optimizers.md", optimizerOverview()]]);
}

/** Every generated file: its path from the repository root, and its text. */
export async function generatedFiles(): Promise<Map<string, string>> {
  return new Map([...(await generatedKernels()), ...(await generatedDocs())]);
}

if (process.argv[1]?.endsWith("generate.ts")) {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  const update = (files: Map<string, string>) => {
    for (const [path, text] of files) {
      let committed = "";
      try {
        committed = readFileSync(path, "utf8");
      } catch {}
      if (committed === text) continue;
      stale.push(path);
      if (!check) writeFileSync(path, text);
    }
  };
  update(await generatedKernels());
  update(await generatedDocs());
  if (check && stale.length > 0) {
    console.error(`generated files differ from the rules (run npm run generate): ${stale.join(", ")}`);
    process.exit(1);
  }
  console.log(check ? "generated files: up to date" : `wrote ${stale.length} generated file(s)`);
}
