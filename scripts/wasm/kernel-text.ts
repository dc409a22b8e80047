// Writes each update rule's loop body once and emits it twice as WebAssembly text: as f64x2 SIMD
// (two parameters per iteration) and as scalar f64 for the odd last element. The bodies below follow
// the JavaScript kernels in src/kernels/ operation by operation (same order, no fused multiply-add),
// which is what makes the two backends bit-identical.

/** A loop body's vocabulary, for one lane type. Expressions are folded WebAssembly text. */
export interface Lanes {
  /** The element of a stream (a pointer argument: params, grad, b0, b1, b2) at the loop index. */
  load(stream: Stream): string;
  store(stream: Stream, value: string): string;
  /** A per-step number (read from the scalar block once per call), splatted in SIMD. */
  scalar(name: string): string;
  constant(x: number): string;
  /** Sets a body local (declared on first use). */
  set(name: string, value: string): string;
  get(name: string): string;
  add(a: string, b: string): string;
  sub(a: string, b: string): string;
  mul(a: string, b: string): string;
  div(a: string, b: string): string;
  sqrt(a: string): string;
  abs(a: string): string;
  max(a: string, b: string): string;
  min(a: string, b: string): string;
  gt(a: string, b: string): string;
  lt(a: string, b: string): string;
  /** Lane by lane: `condition ? a : b` (a condition from gt/lt). */
  select(condition: string, a: string, b: string): string;
  /** A branch on a flag that is the same for every element (an i32 set once per call). */
  when(flag: string, then: string[], otherwise?: string[]): string;
}

export type Stream = "params" | "grad" | "b0" | "b1" | "b2";

/** A kernel: its export name, its per-step numbers and flags, and one or more loops. */
export interface KernelSpec {
  readonly name: string;
  /** Scalar-block slot of each number the body reads. */
  readonly slots: Readonly<Record<string, number>>;
  /** Numbers derived from the slots once per call, as f64 text over `(local.get $name)`. */
  readonly derived?: Readonly<Record<string, string>>;
  /** i32 flags set once per call, as text over the f64 locals. */
  readonly flags?: Readonly<Record<string, string>>;
  /** The loops: the first whose condition (an i32 flag) holds runs; the last has none. */
  readonly loops: readonly { readonly when?: string; readonly body: (t: Lanes) => string[] }[];
}

const STREAMS: readonly Stream[] = ["params", "grad", "b0", "b1", "b2"];

function lanes(simd: boolean, locals: Set<string>): Lanes {
  const f = simd ? "f64x2" : "f64";
  const width = simd ? "v128" : "f64";
  const suffix = simd ? "_v" : "_s";
  const at = (stream: Stream) => `(i32.add (local.get $${stream}) (local.get $i))`;
  return {
    load: (s) => `(${width}.load ${at(s)})`,
    store: (s, value) => `(${width}.store ${at(s)} ${value})`,
    scalar: (name) => `(local.get $${name}${simd ? "_v" : ""})`,
    constant: (x) => (simd ? `(f64x2.splat (f64.const ${x}))` : `(f64.const ${x})`),
    set: (name, value) => {
      locals.add(`(local $${name}${suffix} ${width})`);
      return `(local.set $${name}${suffix} ${value})`;
    },
    get: (name) => `(local.get $${name}${suffix})`,
    add: (a, b) => `(${f}.add ${a} ${b})`,
    sub: (a, b) => `(${f}.sub ${a} ${b})`,
    mul: (a, b) => `(${f}.mul ${a} ${b})`,
    div: (a, b) => `(${f}.div ${a} ${b})`,
    sqrt: (a) => `(${f}.sqrt ${a})`,
    abs: (a) => `(${f}.abs ${a})`,
    max: (a, b) => `(${f}.max ${a} ${b})`,
    min: (a, b) => `(${f}.min ${a} ${b})`,
    gt: (a, b) => `(${f}.gt ${a} ${b})`,
    lt: (a, b) => `(${f}.lt ${a} ${b})`,
    select: (c, a, b) => (simd ? `(v128.bitselect ${a} ${b} ${c})` : `(select ${a} ${b} ${c})`),
    when: (flag, then, otherwise) =>
      `(if (local.get $${flag}) (then ${then.join(" ")})${otherwise ? ` (else ${otherwise.join(" ")})` : ""})`,
  };
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

/**
 * One exported function `(params, grad, scalars, b0, b1, b2, n)`: byte addresses of the vectors and
 * the scalar block, and the element count. Buffers the rule does not use are ignored.
 */
export function kernelText(spec: KernelSpec): string {
  const locals = new Set<string>();
  const simd = lanes(true, locals);
  const scalar = lanes(false, locals);
  const numbers = [...Object.keys(spec.slots), ...Object.keys(spec.derived ?? {})];
  const lines: string[] = [];
  for (const [name, slot] of Object.entries(spec.slots)) {
    lines.push(`(local.set $${name} (f64.load offset=${slot * 8} (local.get $scalars)))`);
  }
  for (const [name, text] of Object.entries(spec.derived ?? {})) lines.push(`(local.set $${name} ${text})`);
  for (const name of numbers) lines.push(`(local.set $${name}_v (f64x2.splat (local.get $${name})))`);
  for (const [name, text] of Object.entries(spec.flags ?? {})) lines.push(`(local.set $${name} ${text})`);
  lines.push(
    `(local.set $end (i32.shl (local.get $n) (i32.const 3)))`,
    `(local.set $pairs (i32.and (local.get $end) (i32.const -16)))`,
  );
  spec.loops.forEach(({ when, body }, k) => {
    const both = [
      ...loop(`pair${k}`, "(i32.const 0)", "(local.get $pairs)", 16, body(simd)),
      ...loop(`last${k}`, "(local.get $pairs)", "(local.get $end)", 8, body(scalar)),
    ];
    if (when === undefined) lines.push(...both);
    else lines.push(`(if (local.get $${when}) (then`, ...both.map((line) => `  ${line}`), `  (return)))`);
  });
  const declarations = [
    ...["i", "end", "pairs"].map((name) => `(local $${name} i32)`),
    ...numbers.map((name) => `(local $${name} f64) (local $${name}_v v128)`),
    ...Object.keys(spec.flags ?? {}).map((name) => `(local $${name} i32)`),
    ...locals,
  ];
  const params = [...STREAMS.slice(0, 2), "scalars", ...STREAMS.slice(2), "n"].map((p) => `(param $${p} i32)`).join(" ");
  return [
    `(func $${spec.name} (export "${spec.name}") ${params}`,
    ...declarations.map((line) => `  ${line}`),
    ...lines.map((line) => `  ${line}`),
    `)`,
  ].join("\n");
}

/**
 * `non_finite(values, n)`: 1 if any of the n doubles at `values` is NaN or ±Infinity, else 0: those
 * whose exponent bits are all ones. Integer lane operations (one cycle each) ORed into accumulators,
 * four elements per iteration, keep the check as fast as memory delivers the gradient.
 */
export const nonFiniteText = `(func $non_finite (export "non_finite") (param $values i32) (param $n i32) (result i32)
  (local $i i32) (local $end i32) (local $quads i32) (local $pairs i32) (local $a v128) (local $b v128) (local $exponent v128)
  (local.set $exponent (v128.const i64x2 0x7ff0000000000000 0x7ff0000000000000))
  (local.set $end (i32.shl (local.get $n) (i32.const 3)))
  (local.set $quads (i32.and (local.get $end) (i32.const -32)))
  (local.set $pairs (i32.and (local.get $end) (i32.const -16)))
  (block $quads_done (loop $quad
    (br_if $quads_done (i32.ge_u (local.get $i) (local.get $quads)))
    (local.set $a (v128.or (local.get $a)
      (i64x2.eq (v128.and (v128.load (i32.add (local.get $values) (local.get $i))) (local.get $exponent)) (local.get $exponent))))
    (local.set $b (v128.or (local.get $b)
      (i64x2.eq (v128.and (v128.load offset=16 (i32.add (local.get $values) (local.get $i))) (local.get $exponent)) (local.get $exponent))))
    (local.set $i (i32.add (local.get $i) (i32.const 32)))
    (br $quad)))
  (if (i32.lt_u (local.get $i) (local.get $pairs)) (then
    (local.set $a (v128.or (local.get $a)
      (i64x2.eq (v128.and (v128.load (i32.add (local.get $values) (local.get $i))) (local.get $exponent)) (local.get $exponent))))
    (local.set $i (i32.add (local.get $i) (i32.const 16)))))
  (if (i32.lt_u (local.get $i) (local.get $end)) (then
    (local.set $b (v128.or (local.get $b)
      (i64x2.eq (v128.and (v128.load64_splat (i32.add (local.get $values) (local.get $i))) (local.get $exponent)) (local.get $exponent))))))
  (v128.any_true (v128.or (local.get $a) (local.get $b))))`;
