// Emits a rule's WebAssembly text: each loop body as f64x2 SIMD (two elements per copy; an update
// loop runs four copies per iteration, then single pairs) and as scalar f64 for the odd last
// element, with the operations of its JavaScript twin (emit-js.ts) in the same order and no fused
// multiply-add.
import type { Condition, Expr, Statement } from "../../src/kernels/language.js";
import { usedNames } from "./emit-js.js";
import type { LoweredRule } from "./rules.js";

const STREAM_ARGUMENTS = ["b0", "b1", "b2"] as const;

/**
 * Pairs of elements per iteration of an update loop (the rest: a loop over pairs, then the last
 * element). Unrolled, V8's loop overhead (its interrupt check, the index, the bound) is paid once
 * for eight elements: SGD with momentum's loop on 10^3 parameters took 0.72–0.78× the time of the
 * loop over single pairs. Element-wise, so the bits do not change. Reductions keep one pair per iteration:
 * their order of accumulation is their result.
 */
const UNROLL = 4;

/** A WebAssembly f64 constant that reads back as the same double. */
function wasmLiteral(x: number): string {
  if (Number.isNaN(x)) throw new Error("no NaN constants");
  if (x === Infinity) return "inf";
  if (x === -Infinity) return "-inf";
  return Object.is(x, -0) ? "-0" : String(x);
}

/** Text of expressions and statements in one lane type. */
class Lanes {
  readonly f: string;
  readonly width: string;
  readonly suffix: string;
  /**
   * @param offset bytes past element i at which this copy of a body reads and writes (an unrolled
   * loop's later copies).
   */
  constructor(
    readonly simd: boolean,
    private readonly streams: ReadonlyMap<string, string>,
    private readonly locals: Set<string>,
    private readonly offset = 0,
  ) {
    this.f = simd ? "f64x2" : "f64";
    this.width = simd ? "v128" : "f64";
    this.suffix = simd ? "_v" : "_s";
  }

  /** The memory immediate and address of a stream's element i (+ the copy's offset). */
  private at(stream: string): string {
    return `${this.offset ? `offset=${this.offset} ` : ""}(i32.add (local.get $${this.streams.get(stream) ?? stream}) (local.get $i))`;
  }

  expression(e: Expr): string {
    const { f, simd } = this;
    switch (e.kind) {
      case "load":
        return `(${this.width}.load ${this.at(e.stream)})`;
      case "scalar":
        return `(local.get $${e.name}${simd ? "_v" : ""})`;
      case "const":
        return simd ? `(f64x2.splat (f64.const ${wasmLiteral(e.value)}))` : `(f64.const ${wasmLiteral(e.value)})`;
      case "var":
        return `(local.get $${e.name}${this.suffix})`;
      case "sqrt":
      case "abs":
        return `(${f}.${e.kind} ${this.expression(e.a)})`;
      case "select": {
        const [then, otherwise, test] = [this.expression(e.then), this.expression(e.otherwise), this.condition(e.test)];
        return simd ? `(v128.bitselect ${then} ${otherwise} ${test})` : `(select ${then} ${otherwise} ${test})`;
      }
      default:
        return `(${f}.${e.kind} ${this.expression(e.a)} ${this.expression(e.b)})`;
    }
  }

  /** A lane mask (SIMD) or an i32 (scalar). */
  condition(c: Condition): string {
    switch (c.kind) {
      case "and":
      case "or":
        return `(${this.simd ? "v128" : "i32"}.${c.kind} ${this.condition(c.a)} ${this.condition(c.b)})`;
      case "not":
        return this.simd ? `(v128.not ${this.condition(c.a)})` : `(i32.eqz ${this.condition(c.a)})`;
      default:
        return `(${this.f}.${c.kind} ${this.expression(c.a)} ${this.expression(c.b)})`;
    }
  }

  set(name: string, value: string): string {
    this.locals.add(`(local $${name}${this.suffix} ${this.width})`);
    return `(local.set $${name}${this.suffix} ${value})`;
  }

  statements(body: readonly Statement[]): string[] {
    return body.map((s) => {
      if (s.kind === "set") return this.set(s.name, this.expression(s.value));
      if (s.kind === "store") return `(${this.width}.store ${this.at(s.stream)} ${this.expression(s.value)})`;
      const otherwise = s.otherwise.length > 0 ? ` (else ${this.statements(s.otherwise).join(" ")})` : "";
      return `(if (local.get $${s.flag}) (then ${this.statements(s.then).join(" ")})${otherwise})`;
    });
  }
}

/** Per-call numbers and flags: scalar f64 over `(local.get $name)`. */
function scalarText(e: Expr): string {
  return new Lanes(false, new Map(), new Set()).expression(e);
}

function conditionText(c: Condition): string {
  return new Lanes(false, new Map(), new Set()).condition(c);
}

/** A loop over byte offsets i = from, from + bytes, … while i < end (from, end: WAT expressions). */
function loop(label: string, from: string, end: string, bytes: number, body: string[]): string[] {
  return [
    `(local.set $i ${from})`,
    `(block $${label}_done (loop $${label}`,
    `  (br_if $${label}_done (i32.ge_u (local.get $i) ${end}))`,
    ...body.map((line) => `  ${line}`),
    `  (local.set $i (i32.add (local.get $i) (i32.const ${bytes})))`,
    `  (br $${label})))`,
  ];
}

/** Which parts of a rule an export runs: all, or (for the threaded split) the reductions or the update. */
export type Part = "all" | "reduce" | "update";

/** The exports of a rule: one, or three when it reduces (so that threads can split its update). */
export function exportsOf(rule: LoweredRule): { name: string; part: Part }[] {
  const one = [{ name: rule.name, part: "all" as Part }];
  if (rule.passes.length === 0) return one;
  return [...one, { name: `${rule.name}_reduce`, part: "reduce" }, { name: `${rule.name}_update`, part: "update" }];
}

/**
 * One exported function `(params, grad, scalars, b0, b1, b2, n)`: byte addresses of the vectors and
 * the scalar block, and the element count. Buffers the rule does not use are ignored.
 */
export function watFunction(rule: LoweredRule, name: string, part: Part): string {
  const locals = new Set<string>();
  const streams = new Map(rule.buffers.map((b, k) => [b, STREAM_ARGUMENTS[k]]));
  const simd = new Lanes(true, streams, locals);
  const scalar = new Lanes(false, streams, locals);
  const copies = Array.from({ length: UNROLL }, (_, k) => new Lanes(true, streams, locals, 16 * k));
  const used = usedNames(rule);
  const reducing = part !== "update";
  const updating = part !== "reduce";
  const reduced = new Set(rule.passes.flatMap((pass) => pass.results.map((r) => r.name)));
  const numbers: string[] = [];
  const lines: string[] = [];
  const number = (n: string, value: string) => {
    numbers.push(n);
    lines.push(`(local.set $${n} ${value})`, `(local.set $${n}_v (f64x2.splat (local.get $${n})))`);
  };
  for (const [n, slot] of rule.slots) {
    if (used.has(n) && (!reduced.has(n) || !reducing)) number(n, `(f64.load offset=${slot * 8} (local.get $scalars))`);
  }
  for (const [n, value] of rule.derived) if (used.has(n)) number(n, scalarText(value));
  lines.push(
    `(local.set $end (i32.shl (local.get $n) (i32.const 3)))`,
    `(local.set $pairs (i32.and (local.get $end) (i32.const -16)))`,
    `(local.set $unrolled (i32.and (local.get $end) (i32.const ${-16 * UNROLL})))`,
  );
  if (reducing) {
    rule.passes.forEach((pass, k) => {
      const start = (combine: string) => `(f64.const ${combine === "sum" ? "0" : "-inf"})`;
      const op = (combine: string) => (combine === "sum" ? "add" : "max");
      const inner: string[] = [];
      for (const r of pass.results) {
        locals.add(`(local $${r.name}_acc v128)`);
        inner.push(`(local.set $${r.name}_acc (f64x2.splat ${start(r.combine)}))`);
      }
      inner.push(
        ...loop(`pass${k}_pair`, "(i32.const 0)", "(local.get $pairs)", 16, [
          ...simd.statements(pass.body),
          ...pass.results.map((r) => `(local.set $${r.name}_acc (f64x2.${op(r.combine)} (local.get $${r.name}_acc) ${simd.expression(r.element)}))`),
        ]),
        ...pass.results.map(
          (r) => `(local.set $${r.name} (f64.${op(r.combine)} (f64x2.extract_lane 0 (local.get $${r.name}_acc)) (f64x2.extract_lane 1 (local.get $${r.name}_acc))))`,
        ),
        ...loop(`pass${k}_last`, "(local.get $pairs)", "(local.get $end)", 8, [
          ...scalar.statements(pass.body),
          ...pass.results.map((r) => `(local.set $${r.name} (f64.${op(r.combine)} (local.get $${r.name}) ${scalar.expression(r.element)}))`),
        ]),
      );
      for (const r of pass.results) {
        numbers.push(r.name);
        lines.push(`(local.set $${r.name} ${start(r.combine)})`);
      }
      if (pass.when === undefined) lines.push(...inner);
      else lines.push(`(if ${conditionText(pass.when)} (then`, ...inner.map((line) => `  ${line}`), `))`);
      for (const r of pass.results) {
        lines.push(
          `(f64.store offset=${(rule.slots.get(r.name) as number) * 8} (local.get $scalars) (local.get $${r.name}))`,
          `(local.set $${r.name}_v (f64x2.splat (local.get $${r.name})))`,
        );
      }
    });
  }
  if (updating) {
    for (const [n, value] of rule.afterPasses) if (used.has(n)) number(n, scalarText(value));
    for (const [n, c] of rule.flags) lines.push(`(local.set $${n} ${conditionText(c)})`);
    rule.loops.forEach(({ when, versions }, k) => {
      const chain = versions.flatMap(({ assumes, body }, v) => {
        const label = versions.length === 1 ? `${k}` : `${k}_${v}`;
        const both = [
          ...loop(`unrolled${label}`, "(i32.const 0)", "(local.get $unrolled)", 16 * UNROLL, copies.flatMap((copy) => copy.statements(body))),
          ...loop(`pair${label}`, "(local.get $unrolled)", "(local.get $pairs)", 16, simd.statements(body)),
          ...loop(`last${label}`, "(local.get $pairs)", "(local.get $end)", 8, scalar.statements(body)),
        ];
        if (v === versions.length - 1) return both; // the combinations the others leave
        const test = assumes.map(([flag, value]) => (value ? `(local.get $${flag})` : `(i32.eqz (local.get $${flag}))`)).reduce((a, b) => `(i32.and ${a} ${b})`);
        return [`(if ${test} (then`, ...both.map((line) => `  ${line}`), `  (return)))`];
      });
      if (when === undefined) lines.push(...chain);
      else lines.push(`(if (local.get $${when}) (then`, ...chain.map((line) => `  ${line}`), `  (return)))`);
    });
  }
  const declarations = [
    ...["i", "end", "pairs", "unrolled"].map((n) => `(local $${n} i32)`),
    ...numbers.map((n) => `(local $${n} f64) (local $${n}_v v128)`),
    ...rule.flags.map(([n]) => `(local $${n} i32)`),
    ...locals,
  ];
  const params = ["params", "grad", "scalars", ...STREAM_ARGUMENTS, "n"].map((p) => `(param $${p} i32)`).join(" ");
  return [`(func $${name} (export "${name}") ${params}`, ...declarations.map((line) => `  ${line}`), ...lines.map((line) => `  ${line}`), `)`].join("\n");
}
