// Emits a rule's JavaScript kernel: the same operations in the same order as its WebAssembly twin
// (emit-wat.ts), as plain fused loops over Float64Array.
import type { Comparison, Condition, Expr, Statement } from "../../src/kernels/language.js";
import type { LoopVersion, LoweredRule } from "./rules.js";

const PRECEDENCE = { add: 1, sub: 1, mul: 2, div: 2 } as const;
const SYMBOL = { add: "+", sub: "-", mul: "*", div: "/" } as const;
const COMPARE = { eq: "===", ne: "!==", gt: ">", lt: "<" } as const;

/** A JavaScript number literal that reads back as the same double. */
function literal(x: number): string {
  if (Object.is(x, -0)) return "-0";
  if (x === Infinity) return "Infinity";
  if (x === -Infinity) return "-Infinity";
  return String(x);
}

/** `index` names the element: "i", or "j" for the odd lane of a reduction. */
function expression(e: Expr, index: string): string {
  return text(e, index, 0);
}

function text(e: Expr, index: string, context: number): string {
  switch (e.kind) {
    case "load":
      return `${e.stream}[${index}]`;
    case "scalar":
    case "var":
      return e.name;
    case "const":
      return e.value < 0 || Object.is(e.value, -0) ? `(${literal(e.value)})` : literal(e.value);
    case "add":
    case "sub":
    case "mul":
    case "div": {
      // left-associative: a right operand of the same precedence keeps its parentheses
      const p = PRECEDENCE[e.kind];
      const body = `${text(e.a, index, p)} ${SYMBOL[e.kind]} ${text(e.b, index, p + 1)}`;
      return context > p ? `(${body})` : body;
    }
    case "max":
    case "min":
      return `Math.${e.kind}(${expression(e.a, index)}, ${expression(e.b, index)})`;
    case "sqrt":
    case "abs":
      return `Math.${e.kind}(${expression(e.a, index)})`;
    case "select":
      return `(${condition(e.test, index)} ? ${expression(e.then, index)} : ${expression(e.otherwise, index)})`;
  }
}

function comparison(c: Comparison, index: string): string {
  return `${text(c.a, index, 1)} ${COMPARE[c.kind]} ${text(c.b, index, 1)}`;
}

function condition(c: Condition, index = ""): string {
  switch (c.kind) {
    case "and":
    case "or":
      return `${wrapped(c.a, index)} ${c.kind === "and" ? "&&" : "||"} ${wrapped(c.b, index)}`;
    case "not":
      return `!(${condition(c.a, index)})`;
    default:
      return comparison(c, index);
  }
}

/** A condition as an operand of && or ||: parenthesized unless it is a comparison. */
function wrapped(c: Condition, index: string): string {
  return c.kind === "and" || c.kind === "or" ? `(${condition(c, index)})` : condition(c, index);
}

/** How each body variable is declared: `const` (set once, outside any branch), `let`, or ahead. */
function declarations(body: readonly Statement[]): { ahead: string[]; kind: Map<string, "const" | "let"> } {
  const sets = new Map<string, number>();
  const firstDepth = new Map<string, number>();
  const visit = (statements: readonly Statement[], depth: number): void => {
    for (const s of statements) {
      if (s.kind === "set") {
        sets.set(s.name, (sets.get(s.name) ?? 0) + 1);
        if (!firstDepth.has(s.name)) firstDepth.set(s.name, depth);
      } else if (s.kind === "if") {
        visit(s.then, depth + 1);
        visit(s.otherwise, depth + 1);
      }
    }
  };
  visit(body, 0);
  const ahead: string[] = [];
  const kind = new Map<string, "const" | "let">();
  for (const [name, depth] of firstDepth) {
    if (depth > 0) ahead.push(name);
    else kind.set(name, sets.get(name) === 1 ? "const" : "let");
  }
  return { ahead, kind };
}

function statements(body: readonly Statement[], index: string, kind: Map<string, "const" | "let">, declared: Set<string>, indent: string): string[] {
  const lines: string[] = [];
  for (const s of body) {
    if (s.kind === "set") {
      const value = expression(s.value, index);
      const keyword = kind.get(s.name);
      if (keyword !== undefined && !declared.has(s.name)) {
        declared.add(s.name);
        lines.push(`${indent}${keyword} ${s.name} = ${value};`);
      } else lines.push(`${indent}${s.name} = ${value};`);
    } else if (s.kind === "store") {
      lines.push(`${indent}${s.stream}[${index}] = ${expression(s.value, index)};`);
    } else {
      lines.push(`${indent}if (${s.flag}) {`, ...statements(s.then, index, kind, declared, `${indent}  `));
      if (s.otherwise.length > 0) lines.push(`${indent}} else {`, ...statements(s.otherwise, index, kind, declared, `${indent}  `));
      lines.push(`${indent}}`);
    }
  }
  return lines;
}

/** A loop body at element `index`, its variables declared. */
function block(body: readonly Statement[], index: string, indent: string): string[] {
  const { ahead, kind } = declarations(body);
  return [...(ahead.length > 0 ? [`${indent}let ${ahead.map((name) => `${name}: number`).join(", ")};`] : []), ...statements(body, index, kind, new Set(), indent)];
}

/** The exported names of a rule's generated module. */
export function jsNames(rule: LoweredRule): { slots: string; kernel: string } {
  const camel = rule.name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return { slots: `${rule.name.toUpperCase()}_SLOTS`, kernel: `${camel}Kernel` };
}

/** Every name a rule's code reads, so that only those are loaded. */
export function usedNames(rule: LoweredRule): Set<string> {
  const used = new Set<string>();
  const inExpr = (e: Expr): void => {
    if (e.kind === "scalar") used.add(e.name);
    else if (e.kind === "select") {
      inCondition(e.test);
      inExpr(e.then);
      inExpr(e.otherwise);
    } else if ("a" in e) {
      inExpr(e.a);
      if ("b" in e) inExpr(e.b);
    }
  };
  function inCondition(c: Condition): void {
    switch (c.kind) {
      case "and":
      case "or":
        inCondition(c.a);
        inCondition(c.b);
        break;
      case "not":
        inCondition(c.a);
        break;
      default:
        inExpr(c.a);
        inExpr(c.b);
    }
  }
  const inStatements = (body: readonly Statement[]): void => {
    for (const s of body) {
      if (s.kind === "if") {
        inStatements(s.then);
        inStatements(s.otherwise);
      } else inExpr(s.value);
    }
  };
  for (const loop of rule.loops) for (const version of loop.versions) inStatements(version.body);
  for (const pass of rule.passes) {
    inStatements(pass.body);
    for (const r of pass.results) inExpr(r.element);
    if (pass.when !== undefined) inCondition(pass.when);
  }
  for (const [, c] of rule.flags) inCondition(c);
  // a computed number's inputs are needed when it is, until nothing changes
  const computed = [...rule.derived, ...rule.afterPasses];
  for (let size = -1; size !== used.size; ) {
    size = used.size;
    for (const [name, value] of computed) if (used.has(name)) inExpr(value);
  }
  return used;
}

/** The names an expression, a condition or statements read (scalars and variables set elsewhere). */
function namesIn(items: readonly (Expr | Condition | Statement)[]): Set<string> {
  const names = new Set<string>();
  const visit = (item: Expr | Condition | Statement): void => {
    switch (item.kind) {
      case "scalar":
        names.add(item.name);
        return;
      case "set":
      case "store":
        visit(item.value);
        return;
      case "if":
        names.add(item.flag);
        for (const s of [...item.then, ...item.otherwise]) visit(s);
        return;
      case "select":
        visit(item.test);
        visit(item.then);
        visit(item.otherwise);
        return;
      case "not":
        visit(item.a);
        return;
      default:
        if ("a" in item) visit(item.a);
        if ("b" in item) visit(item.b);
    }
  };
  for (const item of items) visit(item);
  return names;
}

/**
 * Where a function of a rule's kernel finds each number it reads: a scalar slot, a number the kernel
 * computes from others (derived, after the passes), or a number a pass or the kernel handed on in
 * `carried` (a pass's result, a number after the passes).
 */
interface Sources {
  readonly slots: ReadonlyMap<string, number>;
  readonly computed: ReadonlyMap<string, Expr>;
  readonly carried: ReadonlyMap<string, number>;
}

/** The statements that bring `wanted` (and what they are computed from) into variables, in dependency order. */
function reads(rule: LoweredRule, sources: Sources, wanted: ReadonlySet<string>, assign: (name: string, value: string) => string): string[] {
  const order: string[] = [];
  const add = (name: string): void => {
    if (order.includes(name)) return;
    const value = sources.computed.get(name);
    if (value !== undefined) for (const input of namesIn([value])) add(input);
    order.push(name);
  };
  // in the declaration's order: slots, derived, pass results, numbers after the passes
  const declared = [...rule.slots.keys(), ...rule.derived.map(([name]) => name), ...rule.passes.flatMap((pass) => pass.results.map((r) => r.name)), ...rule.afterPasses.map(([name]) => name)];
  for (const name of declared) if (wanted.has(name)) add(name);
  return order.map((name) => {
    const slot = sources.carried.get(name);
    if (slot !== undefined) return assign(name, `${sources.carried.size > 0 ? carriedName(rule) : ""}[${slot}]`);
    const value = sources.computed.get(name);
    if (value !== undefined) return assign(name, expression(value, ""));
    return assign(name, `scalars[${sources.slots.get(name)}]`);
  });
}

/** A loop function's numbers: their names (declared ahead as `let`s) and their assignments at the first element. */
function entryReads(rule: LoweredRule, sources: Sources, wanted: ReadonlySet<string>): { declaredAhead: string[]; assignments: string[] } {
  return { declaredAhead: reads(rule, sources, wanted, (n) => n), assignments: reads(rule, sources, wanted, (n, value) => `${n} = ${value};`) };
}

/** The module's array of the numbers a call hands on from its passes to the functions after them. */
function carriedName(rule: LoweredRule): string {
  return `${jsNames(rule).kernel.replace(/Kernel$/, "")}Carried`;
}

const ENTRY_COMMENT = "// the entry pass: no number is made before this loop's first back edge (see scalars.ts)";

/**
 * A function with one loop over the elements (lanes of `step` elements from `start`), whose first
 * pass does nothing: it reads its numbers at the first element, as `let`s declared ahead.
 */
function sweep(name: string, signature: string, head: readonly string[], numbers: readonly string[], assignments: readonly string[], bound: string, step: number, body: readonly string[], tail: readonly string[]): string[] {
  return [
    "",
    `function ${name}(${signature}): void {`,
    ...head.map((line) => `  ${line}`),
    ...(numbers.length > 0 ? [`  let ${numbers.map((n) => `${n} = 0`).join(", ")};`] : []),
    `  for (let i = -${step}; i < ${bound}; ${step === 1 ? "i++" : `i += ${step}`}) {`,
    ...(assignments.length > 0
      ? [`    if (i <= 0) {`, `      if (i < 0) continue; ${ENTRY_COMMENT}`, ...assignments.map((line) => `      ${line}`), `    }`]
      : [`    if (i < 0) continue; ${ENTRY_COMMENT}`]),
    ...body.map((line) => `    ${line}`),
    `  }`,
    ...tail.map((line) => `  ${line}`),
    `}`,
  ];
}
/** Names of the unrolled loop's other elements: no rule may name a variable so. */
const LANES = ["i1", "i2", "i3"];

/**
 * An update loop's body unrolled by four: written out for i, i + 1, i + 2, i + 3, each element's whole
 * body before the next's, as in a plain loop. In V8, straight-line accesses to a typed array share
 * its checks, which a loop repeats at every access: unrolled, SGD with momentum steps 1.35–1.6×
 * faster and Adam 1.25–1.5× (n = 1e4). Each element is computed as before: the same bits.
 */
function unrolledBody(body: readonly Statement[]): string[] {
  const named = declarations(body);
  const clash = [...LANES, "quads"].find((lane) => named.kind.has(lane) || named.ahead.includes(lane));
  if (clash !== undefined) throw new Error(`a loop variable may not be named ${clash}: the unrolled loop uses that name`);
  return ["{", ...block(body, "i", "  "), "}", ...LANES.flatMap((lane, k) => ["{", `  const ${lane} = i + ${k + 1};`, ...block(body, lane, "  "), "}"])];
}

/**
 * The last n mod 4 elements after the unrolled loop, written out too: a loop here could be the one
 * V8 compiles on stack, entered with the numbers already made (see the entry pass in scalars.ts).
 * The numbers are read again, as the loop may not have reached its first element.
 */
function unrolledTail(body: readonly Statement[], assignments: readonly string[]): string[] {
  return [
    `if (quads < n) {`,
    ...assignments.map((line) => `  ${line}`),
    `  {`,
    ...block(body, "quads", "    "),
    `  }`,
    ...[1, 2].flatMap((k) => [`  if (quads + ${k} < n) {`, `    const ${LANES[k - 1]} = quads + ${k};`, ...block(body, LANES[k - 1], "    "), `  }`]),
    `}`,
  ];
}

/** A loop's versions as an if / else-if chain on the flags each assumes (the last one needs no test). */
function versionChain(versions: readonly LoopVersion[], loop: (version: LoopVersion) => string[]): string[] {
  if (versions.length === 1) return loop(versions[0]);
  const lines: string[] = [];
  versions.forEach((version, k) => {
    const test = version.assumes.map(([flag, value]) => (value ? flag : `!${flag}`)).join(" && ");
    const head = k === 0 ? `if (${test}) {` : k < versions.length - 1 ? `} else if (${test}) {` : `} else {`;
    lines.push(head, ...loop(version).map((line) => `  ${line}`));
  });
  lines.push(`}`);
  return lines;
}

/** The generated TypeScript module of the rules declared in one file. */
export function jsModule(folder: string, file: string, rules: readonly LoweredRule[]): string {
  const parts = [
    `// Generated by scripts/kernels/generate.ts from src/${folder}/${file}.rule.ts: do not edit.`,
    `// Run \`npm run generate\` after changing the declaration.`,
  ];
  const bodies = rules.map(kernelLines);
  parts.push("", `import { feedAfterLoops } from "./scalars.js";`);
  for (const lines of bodies) parts.push(...lines);
  return `${parts.join("\n")}\n`;
}

/**
 * A rule's kernel: a function without a loop that decides what runs (its flags, the passes' conditions,
 * the numbers after the passes), and one function per pass and per loop version, each with one loop
 * and an entry pass (see "The entry pass" in src/kernels/scalars.ts).
 */
function kernelLines(rule: LoweredRule): string[] {
  const { slots, kernel } = jsNames(rule);
  const base = kernel.replace(/Kernel$/, "");
  const signature = ["params: Float64Array", "grad: Float64Array", "scalars: Float64Array", ...rule.buffers.map((b) => `${b}: Float64Array`)].join(", ");
  const args = ["params", "grad", "scalars", ...rule.buffers].join(", ");
  const carriedNames = [...rule.passes.flatMap((pass) => pass.results.map((r) => r.name)), ...rule.afterPasses.map(([name]) => name)];
  const carried = new Map(carriedNames.map((name, k) => [name, k]));
  const computed = new Map<string, Expr>(rule.derived.map(([name, value]) => [name, value]));
  // in the loop functions, the numbers after the passes come from `carried`; in the kernel, they are computed
  const inLoops: Sources = { slots: rule.slots, computed, carried };
  const inKernel: Sources = { slots: rule.slots, computed: new Map([...computed, ...rule.afterPasses.map(([name, value]): [string, Expr] => [name, value])]), carried: new Map(rule.passes.flatMap((pass) => pass.results.map((r) => [r.name, carried.get(r.name)!] as [string, number]))) };
  const functions: string[] = [];
  const loopNames: string[] = [];
  const calls: string[] = [];
  const usesLowest = rule.passes.some((pass) => pass.results.some((r) => r.combine !== "sum"));
  const kernelWants = new Set<string>();
  // the passes, each one function; the kernel reads their results back from `carried`
  rule.passes.forEach((pass, k) => {
    const name = `${base}Pass${k}`;
    const wanted = namesIn([...pass.body, ...pass.results.map((r) => r.element)]);
    const { declaredAhead, assignments } = entryReads(rule, inLoops, wanted);
    // +LOWEST, not LOWEST: bundled, the constant is a `var`, whose number V8 11.3's optimizing compiler
    // does not know to be one; the loop's maximum, merged with it, was then boxed at every element.
    const start = (r: { combine: string }) => (r.combine === "sum" ? "0" : "+LOWEST");
    const fold = (r: { combine: string }, acc: string, value: string) => (r.combine === "sum" ? `${acc} += ${value};` : `${acc} = Math.max(${acc}, ${value});`);
    const lane = (index: string, suffix: string) => ["{", ...block(pass.body, index, "  "), ...pass.results.map((r) => `  ${fold(r, `${r.name}${suffix}`, expression(r.element, index))}`), "}"];
    const head = [`const n = params.length;`, `const pairs = n - (n & 1);`, ...pass.results.flatMap((r) => [`let ${r.name}0 = ${start(r)};`, `let ${r.name}1 = ${start(r)};`])];
    const tail = [
      ...pass.results.map((r) => (r.combine === "sum" ? `let ${r.name} = ${r.name}0 + ${r.name}1;` : `let ${r.name} = Math.max(${r.name}0, ${r.name}1);`)),
      `if (pairs < n) {`,
      ...assignments.map((line) => `  ${line}`),
      `  const j = pairs;`,
      ...block(pass.body, "j", "  "),
      ...pass.results.map((r) => `  ${fold(r, r.name, expression(r.element, "j"))}`),
      `}`,
      ...pass.results.map((r) => `${carriedName(rule)}[${carried.get(r.name)}] = ${r.name};`),
    ];
    functions.push(...sweep(name, signature, head, declaredAhead, assignments, "pairs", 2, [...lane("i", "0"), "const j = i + 1;", ...lane("j", "1")], tail));
    loopNames.push(name);
    if (pass.when === undefined) calls.push(`${name}(${args});`);
    else {
      for (const n of namesIn([pass.when])) kernelWants.add(n);
      calls.push(`if (${condition(pass.when)}) ${name}(${args});`);
      calls.push(...pass.results.map((r) => `else ${carriedName(rule)}[${carried.get(r.name)}] = ${start(r)};`));
    }
    // a later pass's condition reads this one's results
    for (const r of pass.results) calls.push(`const ${r.name} = ${carriedName(rule)}[${carried.get(r.name)}];`);
  });
  // the numbers after the passes, computed once here and handed on
  const afterLines = rule.afterPasses.map(([name, value]) => {
    for (const n of namesIn([value])) kernelWants.add(n);
    return [`const ${name} = ${expression(value, "")};`, `${carriedName(rule)}[${carried.get(name)}] = ${name};`];
  }).flat();
  // the loops: each version one function, chosen here by the flags
  let versionCount = 0;
  const loopLines: string[] = [];
  for (const loop of rule.loops) {
    const inner = versionChain(loop.versions, (version) => {
      const name = `${base}Sweep${versionCount++}`;
      const wanted = namesIn(version.body);
      const { declaredAhead, assignments } = entryReads(rule, inLoops, wanted);
      functions.push(...sweep(name, signature, [`const n = params.length;`, `const quads = n - (n & 3);`], declaredAhead, assignments, "quads", 4, unrolledBody(version.body), unrolledTail(version.body, assignments)));
      loopNames.push(name);
      for (const [flag] of version.assumes) kernelWants.add(flag);
      return [`${name}(${args});`];
    });
    if (loop.when === undefined) loopLines.push(...inner);
    else {
      kernelWants.add(loop.when);
      loopLines.push(`if (${loop.when}) {`, ...inner.map((line) => `  ${line}`), `  return;`, `}`);
    }
  }
  // the kernel reads what its choices depend on: flags (and their inputs), the passes' conditions and the numbers after them
  const flagNames = new Set(rule.flags.map(([name]) => name));
  const flagInputs = new Set<string>();
  for (const [name, c] of rule.flags) if (kernelWants.has(name)) for (const n of namesIn([c])) flagInputs.add(n);
  const passResultNames = new Set(rule.passes.flatMap((pass) => pass.results.map((r) => r.name)));
  const kernelReads = new Set([...kernelWants, ...flagInputs].filter((n) => !flagNames.has(n) && !passResultNames.has(n) && !carried.has(n)));
  const beforePasses = reads(rule, inKernel, new Set([...kernelReads].filter((n) => !rule.afterPasses.some(([a]) => a === n))), (n, value) => `const ${n} = ${value};`);
  const fed = `${base}Fed`;
  const body = [
    `if (!${fed}) ${fed} = feedAfterLoops([${loopNames.join(", ")}]); // the first call: type feedback for the code after each loop (see scalars.ts)`,
    ...beforePasses,
    ...calls,
    ...afterLines,
    ...rule.flags.filter(([name]) => kernelWants.has(name)).map(([name, c]) => `const ${name} = ${condition(c)};`),
    ...loopLines,
  ];
  return [
    "",
    `/** Scalar slots of {@link ${kernel}}, numbered by the generator after the common three. */`,
    `export const ${slots} = {`,
    ...rule.ownSlots.map((name) => `  ${name}: ${rule.slots.get(name)},`),
    `} as const;`,
    ...(carried.size > 0 ? ["", `/** What a call's passes hand on to the functions after them: ${carriedNames.join(", ")}. */`, `const ${carriedName(rule)} = new Float64Array(${carried.size});`] : []),
    ...(usesLowest ? ["", "/** −∞ read from a constant: the expression `-Infinity` is evaluated at each run, and a baseline tier boxes its result (see scalars.ts); read as `+LOWEST`, a number to the optimizing compiler, which a bundler's `var` is not. */", "const LOWEST = -Infinity;"] : []),
    "",
    `/** Whether {@link ${kernel}} has fed its loop functions (see "After the loop" in scalars.ts). */`,
    `let ${fed} = false;`,
    "",
    rule.doc,
    `export function ${kernel}(${signature}): void {`,
    ...body.map((line) => `  ${line}`),
    `}`,
    ...functions,
  ];
}
