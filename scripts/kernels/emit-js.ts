// Emits a rule's JavaScript kernel: the same operations in the same order as its WebAssembly twin
// (emit-wat.ts), as plain fused loops over Float64Array.
import type { Comparison, Condition, Expr, Statement } from "../../src/kernels/language.js";
import type { LoweredRule } from "./rules.js";

const PRECEDENCE = { add: 1, sub: 1, mul: 2, div: 2 } as const;
const SYMBOL = { add: "+", sub: "-", mul: "*", div: "/" } as const;
const COMPARE = { eq: "===", ne: "!==", gt: ">", lt: "<" } as const;

/** A JavaScript number literal that reads back as the same double. */
export function literal(x: number): string {
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
      return `(${comparison(e.test, index)} ? ${expression(e.then, index)} : ${expression(e.otherwise, index)})`;
  }
}

function comparison(c: Comparison, index: string): string {
  return `${text(c.a, index, 1)} ${COMPARE[c.kind]} ${text(c.b, index, 1)}`;
}

function condition(c: Condition): string {
  if (c.kind === "and") return `${condition(c.a)} && ${condition(c.b)}`;
  if (c.kind === "not") return `!(${condition(c.a)})`;
  return comparison(c, "");
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
      inExpr(e.test.a);
      inExpr(e.test.b);
      inExpr(e.then);
      inExpr(e.otherwise);
    } else if ("a" in e) {
      inExpr(e.a);
      if ("b" in e) inExpr(e.b);
    }
  };
  const inCondition = (c: Condition): void => {
    if (c.kind === "and") {
      inCondition(c.a);
      inCondition(c.b);
    } else if (c.kind === "not") inCondition(c.a);
    else {
      inExpr(c.a);
      inExpr(c.b);
    }
  };
  const inStatements = (body: readonly Statement[]): void => {
    for (const s of body) {
      if (s.kind === "if") {
        inStatements(s.then);
        inStatements(s.otherwise);
      } else inExpr(s.value);
    }
  };
  for (const loop of rule.loops) inStatements(loop.body);
  for (const r of rule.reductions) {
    inStatements(r.body);
    inExpr(r.element);
  }
  for (const [, c] of rule.flags) inCondition(c);
  // a computed number's inputs are needed when it is, until nothing changes
  const computed = [...rule.derived, ...rule.afterReductions];
  for (let size = -1; size !== used.size; ) {
    size = used.size;
    for (const [name, value] of computed) if (used.has(name)) inExpr(value);
  }
  return used;
}

/** The reduction passes, in the defined order (see defineRule). */
function reductionLines(rule: LoweredRule): string[] {
  const lines: string[] = [];
  for (const r of rule.reductions) {
    const slot = rule.slots.get(r.name) as number;
    const fold = (acc: string, value: string) => (r.combine === "sum" ? `${acc} += ${value};` : `${acc} = Math.max(${acc}, ${value});`);
    const start = r.combine === "sum" ? "0" : "-Infinity";
    const lane = (index: string) => ["    {", ...block(r.body, index, "      "), `      ${fold(index === "i" ? `${r.name}0` : `${r.name}1`, expression(r.element, index))}`, "    }"];
    lines.push(
      `  let ${r.name}0 = ${start};`,
      `  let ${r.name}1 = ${start};`,
      `  for (let i = 0; i < pairs; i += 2) {`,
      ...lane("i"),
      `    const j = i + 1;`,
      ...lane("j"),
      `  }`,
      r.combine === "sum" ? `  let ${r.name} = ${r.name}0 + ${r.name}1;` : `  let ${r.name} = Math.max(${r.name}0, ${r.name}1);`,
      `  if (pairs < n) {`,
      `    const j = pairs;`,
      ...block(r.body, "j", "    "),
      `    ${fold(r.name, expression(r.element, "j"))}`,
      `  }`,
      `  scalars[${slot}] = ${r.name};`,
    );
  }
  return lines;
}

/** The generated TypeScript module of the rules declared in one file. */
export function jsModule(file: string, rules: readonly LoweredRule[]): string {
  const parts = [
    `// Generated by scripts/kernels/generate.ts from src/optimizers/${file}.rule.ts: do not edit.`,
    `// Run \`npm run generate\` after changing the declaration.`,
  ];
  for (const rule of rules) {
    const { slots, kernel } = jsNames(rule);
    const used = usedNames(rule);
    const slotLines = rule.ownSlots.map((name) => `  ${name}: ${rule.slots.get(name)},`);
    const signature = ["params: Float64Array", "grad: Float64Array", "scalars: Float64Array", ...rule.buffers.map((b) => `${b}: Float64Array`)];
    const read = [...rule.slots].filter(([name]) => used.has(name) && !rule.reductions.some((r) => r.name === name));
    const body: string[] = [
      ...read.map(([name, slot]) => `  const ${name} = scalars[${slot}];`),
      ...rule.derived.filter(([name]) => used.has(name)).map(([name, value]) => `  const ${name} = ${expression(value, "")};`),
      ...rule.flags.map(([name, c]) => `  const ${name} = ${condition(c)};`),
      `  const n = params.length;`,
      ...(rule.reductions.length > 0 ? [`  const pairs = n - (n & 1);`, ...reductionLines(rule)] : []),
      ...rule.afterReductions.map(([name, value]) => `  const ${name} = ${expression(value, "")};`),
    ];
    for (const loop of rule.loops) {
      const inner = [`for (let i = 0; i < n; i++) {`, ...block(loop.body, "i", "  "), `}`];
      if (loop.when === undefined) body.push(...inner.map((line) => `  ${line}`));
      else body.push(`  if (${loop.when}) {`, ...inner.map((line) => `    ${line}`), `    return;`, `  }`);
    }
    parts.push(
      "",
      `/** Scalar slots of {@link ${kernel}}, numbered by the generator after the common three. */`,
      `export const ${slots} = {`,
      ...slotLines,
      `} as const;`,
      "",
      rule.doc,
      `export function ${kernel}(${signature.join(", ")}): void {`,
      ...body,
      `}`,
    );
  }
  return `${parts.join("\n")}\n`;
}
