// Finds every rule declared in src/optimizers/*.rule.ts and lowers it to the form both emitters
// read: slots numbered, bodies recorded as statements, each number's place known.
import { readdirSync } from "node:fs";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { RULE, SCALAR_SLOTS } from "../../src/kernels/scalars.js";
import { COMMON_SCALARS, type Comparison, type Condition, type Expr, record, type RuleDeclaration, type Statement } from "../../src/kernels/language.js";

/** A rule ready to emit. */
export interface LoweredRule {
  readonly name: string;
  /** The declaring file's base name: the generated JavaScript goes to src/kernels/<file>.ts. */
  readonly file: string;
  readonly doc: string;
  /** Slot of every number in the scalar block: common, declared, then reductions. */
  readonly slots: ReadonlyMap<string, number>;
  /** The rule's own slots (declared and reductions), as the generated slot object lists them. */
  readonly ownSlots: readonly string[];
  readonly buffers: readonly string[];
  readonly derived: readonly (readonly [string, Expr])[];
  readonly flags: readonly (readonly [string, Condition])[];
  readonly reductions: readonly { readonly name: string; readonly combine: "sum" | "max"; readonly body: readonly Statement[]; readonly element: Expr }[];
  readonly afterReductions: readonly (readonly [string, Expr])[];
  readonly loops: readonly { readonly when?: string; readonly body: readonly Statement[] }[];
}


const scalarsOf = (names: readonly string[]): Record<string, Expr> =>
  Object.fromEntries(names.map((name) => [name, { kind: "scalar", name } as Expr]));

/** Lowers one declaration. */
export function lower(declaration: RuleDeclaration, file: string, doc: string): LoweredRule {
  const own = [...declaration.scalars, ...Object.keys(declaration.reductions ?? {})];
  if (RULE + own.length > SCALAR_SLOTS) throw new Error(`${declaration.name}: more than ${SCALAR_SLOTS - RULE} numbers`);
  if (declaration.buffers.length > 3) throw new Error(`${declaration.name}: more than three buffers`);
  const slots = new Map<string, number>([...COMMON_SCALARS, ...own].map((name, slot) => [name, slot]));
  let known = [...COMMON_SCALARS, ...declaration.scalars];
  const derived = Object.entries(declaration.derived?.(scalarsOf(known)) ?? {});
  known = [...known, ...derived.map(([name]) => name)];
  const flags = Object.entries(declaration.flags?.(scalarsOf(known)) ?? {});
  const reductions = Object.entries(declaration.reductions ?? {}).map(([name, reduction]) => {
    let element: Expr | undefined;
    const body = record(declaration.buffers, known, (k) => {
      element = reduction.element(k);
    });
    return { name, combine: reduction.combine, body, element: element as Expr };
  });
  known = [...known, ...reductions.map((r) => r.name)];
  const afterReductions = Object.entries(declaration.afterReductions?.(scalarsOf(known)) ?? {});
  known = [...known, ...afterReductions.map(([name]) => name)];
  const loops = declaration.loops.map(({ when, body }) => ({ when, body: record(declaration.buffers, known, body) }));
  if (loops.length === 0 || loops[loops.length - 1].when !== undefined) throw new Error(`${declaration.name}: the last loop must have no flag`);
  const flagNames = new Set(flags.map(([name]) => name));
  const checkFlags = (body: readonly Statement[]): void => {
    for (const s of body) {
      if (s.kind !== "if") continue;
      if (!flagNames.has(s.flag)) throw new Error(`${declaration.name}: unknown flag ${s.flag}`);
      checkFlags(s.then);
      checkFlags(s.otherwise);
    }
  };
  for (const loop of loops) {
    if (loop.when !== undefined && !flagNames.has(loop.when)) throw new Error(`${declaration.name}: unknown flag ${loop.when}`);
    checkFlags(loop.body);
  }
  return { name: declaration.name, file, doc, slots, ownSlots: own, buffers: declaration.buffers, derived, flags, reductions, afterReductions, loops };
}

const isDeclaration = (value: unknown): value is RuleDeclaration =>
  typeof value === "object" && value !== null && "loops" in value && "scalars" in value && "buffers" in value;

/** The TSDoc block just before `export const <name>` in a rule file (the rule's formula). */
function docBefore(source: string, exportName: string): string {
  const at = source.indexOf(`export const ${exportName} = defineRule`);
  const end = source.lastIndexOf("*/", at);
  const start = source.lastIndexOf("/**", end);
  if (at < 0 || start < 0) throw new Error(`${exportName}: a rule needs a TSDoc comment with its formula`);
  return source.slice(start, end + 2);
}

/** Every declared rule, by file name then declaration order. */
export async function loadRules(root: URL = new URL("../../", import.meta.url)): Promise<LoweredRule[]> {
  const dir = new URL("src/optimizers/", root);
  const { readFileSync } = await import("node:fs");
  const files = readdirSync(dir)
    .filter((name) => name.endsWith(".rule.ts"))
    .sort();
  const rules: LoweredRule[] = [];
  for (const name of files) {
    const url = new URL(name, dir);
    const source = readFileSync(url, "utf8");
    const module = (await import(pathToFileURL(url.pathname).href)) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(module)) {
      if (isDeclaration(value)) rules.push(lower(value, basename(name, ".rule.ts"), docBefore(source, exportName)));
    }
  }
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new Error(`two rules are named ${rule.name}`);
    names.add(rule.name);
  }
  return rules;
}

/** Every comparison a rule's flags make of its scalars: what the bit-identity tables enumerate. */
export function flagComparisons(rule: LoweredRule): Comparison[] {
  const out: Comparison[] = [];
  const visit = (c: Condition): void => {
    if (c.kind === "and") {
      visit(c.a);
      visit(c.b);
    } else if (c.kind === "not") visit(c.a);
    else out.push(c);
  };
  for (const [, condition] of rule.flags) visit(condition);
  return out;
}
