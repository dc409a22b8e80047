// The kernel language: each update rule is declared once (src/optimizers/<rule>.rule.ts) as data,
// and scripts/kernels/ generates from that declaration both its JavaScript kernel (src/kernels/
// <rule>.ts, committed) and its WebAssembly text (src/backends/wasm/kernels.wat). Both emitters
// write the operations in the declared order, without fused multiply-adds, and every reduction
// sums in the order fixed below, which is what keeps the two backends bit-identical.
//
// Nothing here runs in a user's program: the optimizers import only the generated kernels.

/** A per-element number: read from a vector, a per-step scalar, a constant or a body variable. */
export type Expr =
  | { readonly kind: "load"; readonly stream: string }
  | { readonly kind: "scalar"; readonly name: string }
  | { readonly kind: "const"; readonly value: number }
  | { readonly kind: "var"; readonly name: string }
  | { readonly kind: "add" | "sub" | "mul" | "div" | "max" | "min"; readonly a: Expr; readonly b: Expr }
  | { readonly kind: "sqrt" | "abs"; readonly a: Expr }
  | { readonly kind: "select"; readonly test: Condition; readonly then: Expr; readonly otherwise: Expr };

/** A comparison: element by element inside a loop (in a `select`), or of per-call numbers. */
export interface Comparison {
  readonly kind: "eq" | "ne" | "gt" | "lt";
  readonly a: Expr;
  readonly b: Expr;
}

/** Comparisons, combined: a flag's or a pass's condition, or a `select`'s test. */
export type Condition =
  | Comparison
  | { readonly kind: "and" | "or"; readonly a: Condition; readonly b: Condition }
  | { readonly kind: "not"; readonly a: Condition };

/** A loop body's statement. */
export type Statement =
  | { readonly kind: "set"; readonly name: string; readonly value: Expr }
  | { readonly kind: "store"; readonly stream: string; readonly value: Expr }
  | { readonly kind: "if"; readonly flag: string; readonly then: readonly Statement[]; readonly otherwise: readonly Statement[] };

type Operand = Expr | number;
const expr = (x: Operand): Expr => (typeof x === "number" ? { kind: "const", value: x } : x);

/** a + b */
export const add = (a: Operand, b: Operand): Expr => ({ kind: "add", a: expr(a), b: expr(b) });
/** a − b */
export const sub = (a: Operand, b: Operand): Expr => ({ kind: "sub", a: expr(a), b: expr(b) });
/** a · b */
export const mul = (a: Operand, b: Operand): Expr => ({ kind: "mul", a: expr(a), b: expr(b) });
/** a / b */
export const div = (a: Operand, b: Operand): Expr => ({ kind: "div", a: expr(a), b: expr(b) });
/** max(a, b), NaN if either is (Math.max, f64.max). */
export const max = (a: Operand, b: Operand): Expr => ({ kind: "max", a: expr(a), b: expr(b) });
/** min(a, b), NaN if either is. */
export const min = (a: Operand, b: Operand): Expr => ({ kind: "min", a: expr(a), b: expr(b) });
/** √a */
export const sqrt = (a: Operand): Expr => ({ kind: "sqrt", a: expr(a) });
/** |a| */
export const abs = (a: Operand): Expr => ({ kind: "abs", a: expr(a) });
/** `test ? then : otherwise`, element by element (both sides are computed). */
export const select = (test: Condition, then: Operand, otherwise: Operand): Expr => ({
  kind: "select",
  test,
  then: expr(then),
  otherwise: expr(otherwise),
});
/** a = b */
export const eq = (a: Operand, b: Operand): Comparison => ({ kind: "eq", a: expr(a), b: expr(b) });
/** a ≠ b */
export const ne = (a: Operand, b: Operand): Comparison => ({ kind: "ne", a: expr(a), b: expr(b) });
/** a > b (false with NaN) */
export const gt = (a: Operand, b: Operand): Comparison => ({ kind: "gt", a: expr(a), b: expr(b) });
/** a < b (false with NaN) */
export const lt = (a: Operand, b: Operand): Comparison => ({ kind: "lt", a: expr(a), b: expr(b) });
/** Both conditions. */
export const and = (a: Condition, b: Condition): Condition => ({ kind: "and", a, b });
/** Either condition. */
export const or = (a: Condition, b: Condition): Condition => ({ kind: "or", a, b });
/** The condition's negation. */
export const not = (a: Condition): Condition => ({ kind: "not", a });

/** The scalars every rule has, at slots 0–2 (see scalars.ts). */
export const COMMON_SCALARS = ["gradSign", "l2", "decay"] as const;

/** What a body (or a reduction's element) is written with. */
export interface KernelBuilder<S extends string, B extends string, F extends string> {
  /** θ_i, read from memory (a fresh read each use). */
  readonly params: Expr;
  /** g_i as given. */
  readonly grad: Expr;
  /** The rule's buffers, element i. */
  readonly buffer: Readonly<Record<B, Expr>>;
  /** The per-step numbers: common, declared, derived and reduced. */
  readonly scalar: Readonly<Record<S | (typeof COMMON_SCALARS)[number], Expr>>;
  /** A body variable, set to `value`; returns it. */
  let(name: string, value: Operand): Expr;
  /** A body variable that the branches of a `when` set (with `assign`). */
  declare(name: string): Expr;
  /** Sets a body variable again. */
  assign(variable: Expr, value: Operand): void;
  /** Writes element i of params, of a buffer, or (a gradient transform) of grad. */
  store(stream: "params" | "grad" | B, value: Operand): void;
  /** Runs `then` or `otherwise` on a per-call flag. */
  when(flag: F, then: () => void, otherwise?: () => void): void;
  /** p = θ_i and ĝ = s·g_i + λ_L2·p, the effective gradient every rule starts from. */
  effectiveGradient(): { readonly p: Expr; readonly g: Expr };
  /** θ_i ← d·p − step: the decoupled decay factor, then the rule's step. */
  decayed(p: Expr, step: Operand): void;
}

/**
 * One pass over the elements before the update, reducing each of its named values to one number:
 * their sum or their maximum. Its results are numbers of the kernel.
 */
export interface ReductionPass<B extends string> {
  /** How each result combines its elements. */
  readonly combine: Readonly<Record<string, "sum" | "max">>;
  /** Each result's element, written with the body's vocabulary (no stores, no `when`). */
  readonly element: (k: KernelBuilder<string, B, never>) => Readonly<Record<string, Expr>>;
  /** Run the pass only when this holds (it reads the numbers known so far); else each result is 0 (sum) or −∞ (max). */
  readonly when?: (s: Readonly<Record<string, Expr>>) => Condition;
}

/** One update loop: it runs when its flag holds (the first that holds wins); a last one without a flag runs otherwise. */
export interface UpdateLoop<S extends string, B extends string, F extends string> {
  readonly when?: F;
  readonly body: (k: KernelBuilder<S, B, F>) => void;
}

/**
 * An update rule, declared once. Its kernel runs, per call: the derived numbers, each reduction
 * pass over the elements, the numbers computed from the reductions, the flags, then the first update
 * loop whose flag holds (or none).
 *
 * The scalar slots are numbered by the generator: the common three, then `scalars` in order, then the
 * passes' results (slots the caller leaves alone: with two threads, the WebAssembly reduce part
 * leaves the results there for the update part).
 */
export interface RuleDeclaration<S extends string = string, B extends string = string, F extends string = string, D extends string = string> {
  /** The kernel's name (snake_case; the WebAssembly export). */
  readonly name: string;
  /** The per-step numbers the optimizer writes, in slot order. Flags read them as 0 or 1, too. */
  readonly scalars: readonly S[];
  /** The state vectors, in argument order (at most three). */
  readonly buffers: readonly B[];
  /** Numbers derived from the scalars once per call. */
  readonly derived?: (s: Readonly<Record<S | (typeof COMMON_SCALARS)[number], Expr>>) => Readonly<Record<D, Expr>>;
  /** Passes over the elements before the update, in order. */
  readonly passes?: readonly ReductionPass<B>[];
  /** Numbers computed from the passes' results, once per call. */
  readonly afterPasses?: (s: Readonly<Record<string, Expr>>) => Readonly<Record<string, Expr>>;
  /** Per-call conditions on the numbers, for `when`. */
  readonly flags?: (s: Readonly<Record<string, Expr>>) => Readonly<Record<F, Condition>>;
  /** The update loops. */
  readonly loops: readonly UpdateLoop<string, B, NoInfer<F>>[];
  /**
   * Values of scalars that the bit-identity tables try besides those the flags compare with: where a
   * flag or a pass depends on a computed number (a norm), the inputs that send it each way.
   */
  readonly testValues?: Readonly<Record<string, readonly number[]>>;
}

/**
 * Declares a rule (an identity that checks the declaration's types).
 *
 * The order of a reduction is fixed: elements 0, 2, 4, … are summed into one lane and 1, 3, 5, …
 * into another (two f64x2 lanes in WebAssembly), the lanes are added, and an odd last element is
 * added to that; a maximum is taken the same way. The JavaScript twin follows the same order, so the
 * sum is the same double on both backends (and with threads, which split only the update).
 */
export function defineRule<S extends string, B extends string, F extends string = string, D extends string = string>(
  declaration: RuleDeclaration<S, B, F, D>,
): RuleDeclaration<S, B, F, D> {
  return declaration;
}

/**
 * The default configuration: no ascent, no weight decay. The generator gives every loop that uses
 * {@link KernelBuilder.effectiveGradient} or {@link KernelBuilder.decayed} a version without the
 * extra multiply-adds for it (flag `isPlain`), which cost up to half the time of a two-flop update
 * such as gradient descent's on cache-resident vectors.
 */
export function plain(s: Readonly<Record<(typeof COMMON_SCALARS)[number], Expr>>): Condition {
  return and(and(eq(s.gradSign, 1), eq(s.l2, 0)), eq(s.decay, 1));
}

/**
 * A rule's statements, recorded by running its body against a builder. With `plainStep`, the body
 * as it runs in the default configuration ({@link plain}): ĝ = g and θ ← p − step, without the
 * multiplications by 1 and the additions of 0 (the generator keeps a loop of its own for it).
 */
export function record<B extends string, F extends string>(
  buffers: readonly B[],
  scalarNames: readonly string[],
  write: (k: KernelBuilder<string, B, F>) => void,
  plainStep = false,
): Statement[] {
  const root: Statement[] = [];
  let current = root;
  const names = new Set<string>();
  const scalar = Object.fromEntries(scalarNames.map((name) => [name, { kind: "scalar", name } as Expr]));
  const k: KernelBuilder<string, B, F> = {
    params: { kind: "load", stream: "params" },
    grad: { kind: "load", stream: "grad" },
    buffer: Object.fromEntries(buffers.map((name): [B, Expr] => [name, { kind: "load", stream: name }])) as Record<B, Expr>,
    scalar: new Proxy(scalar, {
      get(target, name) {
        if (typeof name !== "string" || !(name in target)) throw new Error(`unknown scalar ${String(name)}`);
        return target[name];
      },
    }) as Record<string, Expr>,
    let(name, value) {
      if (names.has(name)) throw new Error(`variable ${name} is declared twice`);
      names.add(name);
      current.push({ kind: "set", name, value: expr(value) });
      return { kind: "var", name };
    },
    declare(name) {
      if (names.has(name)) throw new Error(`variable ${name} is declared twice`);
      names.add(name);
      return { kind: "var", name };
    },
    assign(variable, value) {
      if (variable.kind !== "var" || !names.has(variable.name)) throw new Error("assign needs a declared variable");
      current.push({ kind: "set", name: variable.name, value: expr(value) });
    },
    store(stream, value) {
      current.push({ kind: "store", stream, value: expr(value) });
    },
    when(flag, then, otherwise) {
      const outer = current;
      const thenStatements: Statement[] = [];
      const otherwiseStatements: Statement[] = [];
      current = thenStatements;
      then();
      current = otherwiseStatements;
      otherwise?.();
      current = outer;
      outer.push({ kind: "if", flag, then: thenStatements, otherwise: otherwiseStatements });
    },
    effectiveGradient() {
      const p = k.let("p", k.params);
      const g = k.let("g", plainStep ? k.grad : add(mul(scalar.gradSign, k.grad), mul(scalar.l2, p)));
      return { p, g };
    },
    decayed(p, step) {
      k.store("params", sub(plainStep ? p : mul(scalar.decay, p), step));
    },
  };
  write(k);
  return root;
}
