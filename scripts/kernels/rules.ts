// Finds every rule declared in src/optimizers/*.rule.ts and src/transforms/*.rule.ts and lowers it to the form both emitters
// read: slots numbered, bodies recorded as statements, each number's place known.
import { readdirSync, readFileSync } from "node:fs";
import { basename } from "node:path";
import { RULE, SCALAR_SLOTS } from "../../src/kernels/scalars.js";
import { COMMON_SCALARS, type Comparison, type Condition, type Expr, plain, record, type RuleDeclaration, type Statement } from "../../src/kernels/language.js";

/** A reduction pass: its condition, its element's statements, and each result's element and combine. */
export interface LoweredPass {
  readonly when?: Condition;
  readonly body: readonly Statement[];
  readonly results: readonly { readonly name: string; readonly combine: "sum" | "max"; readonly element: Expr }[];
}

/** A version of a loop for one combination of flags: its body has no `if` left. */
export interface LoopVersion {
  /** The flags it assumes, with their values; it runs when they all hold. */
  readonly assumes: readonly (readonly [string, boolean])[];
  readonly body: readonly Statement[];
}

/** An update loop, unswitched: the flags are tested once per call, never per element. */
export interface LoweredLoop {
  readonly when?: string;
  readonly versions: readonly LoopVersion[];
}

/** The flag of the default configuration, added to rules whose loops have a version for it (see {@link plain}). */
export const PLAIN_STEP = "isPlain";

/** A rule ready to emit. */
export interface LoweredRule {
  readonly name: string;
  /** The declaring file's base name: the generated JavaScript goes to src/kernels/<file>.ts. */
  readonly file: string;
  /** The folder under src/ that declares it. */
  readonly folder: string;
  readonly doc: string;
  /** Slot of every number in the scalar block: common, declared, then the passes' results. */
  readonly slots: ReadonlyMap<string, number>;
  /** The rule's own slots (declared and the passes' results), as the generated slot object lists them. */
  readonly ownSlots: readonly string[];
  readonly buffers: readonly string[];
  readonly derived: readonly (readonly [string, Expr])[];
  readonly flags: readonly (readonly [string, Condition])[];
  readonly passes: readonly LoweredPass[];
  readonly afterPasses: readonly (readonly [string, Expr])[];
  /** The update loops, each as versions without branches: one per reachable combination of its flags. */
  readonly loops: readonly LoweredLoop[];
  readonly testValues: Readonly<Record<string, readonly number[]>>;
}


const scalarsOf = (names: readonly string[]): Record<string, Expr> =>
  Object.fromEntries(names.map((name) => [name, { kind: "scalar", name } as Expr]));

/** Lowers one declaration. */
export function lower(declaration: RuleDeclaration, folder: string, file: string, doc: string): LoweredRule {
  const passResults = (declaration.passes ?? []).flatMap((pass) => Object.keys(pass.combine));
  const own = [...declaration.scalars, ...passResults];
  if (RULE + own.length > SCALAR_SLOTS) throw new Error(`${declaration.name}: more than ${SCALAR_SLOTS - RULE} numbers`);
  if (declaration.buffers.length > 3) throw new Error(`${declaration.name}: more than three buffers`);
  const slots = new Map<string, number>([...COMMON_SCALARS, ...own].map((name, slot) => [name, slot]));
  if (slots.size !== RULE + own.length) throw new Error(`${declaration.name}: a number is named twice`);
  let known = [...COMMON_SCALARS, ...declaration.scalars];
  const derived = Object.entries(declaration.derived?.(scalarsOf(known)) ?? {});
  known = [...known, ...derived.map(([name]) => name)];
  const passes = (declaration.passes ?? []).map((pass): LoweredPass => {
    const when = pass.when?.(scalarsOf(known));
    let elements: Record<string, Expr> = {};
    const body = record(declaration.buffers, known, (k) => {
      elements = { ...pass.element(k) };
    });
    if (body.some((s) => s.kind !== "set")) throw new Error(`${declaration.name}: a pass's element may only set variables`);
    const results = Object.entries(pass.combine).map(([name, combine]) => {
      if (!(name in elements)) throw new Error(`${declaration.name}: the pass gives no element for ${name}`);
      return { name, combine, element: elements[name] };
    });
    known = [...known, ...results.map((r) => r.name)];
    return { when, body, results };
  });
  const afterPasses = Object.entries(declaration.afterPasses?.(scalarsOf(known)) ?? {});
  known = [...known, ...afterPasses.map(([name]) => name)];
  const flags = Object.entries(declaration.flags?.(scalarsOf(known)) ?? {});
  if (declaration.loops.slice(0, -1).some((loop) => loop.when === undefined)) throw new Error(`${declaration.name}: only the last loop may have no flag`);
  const flagNames = new Set(flags.map(([name]) => name));
  if (flagNames.has(PLAIN_STEP) || known.includes(PLAIN_STEP)) throw new Error(`${declaration.name}: ${PLAIN_STEP} is the generator's flag`);
  let plainUsed = false;
  const loops = declaration.loops.map(({ when, body }): LoweredLoop => {
    if (when !== undefined && !flagNames.has(when)) throw new Error(`${declaration.name}: unknown flag ${when}`);
    const general = record(declaration.buffers, known, body);
    const plainBody = record(declaration.buffers, known, body, true);
    if (JSON.stringify(plainBody) === JSON.stringify(general)) return { when, versions: unswitch(declaration.name, general, flagNames, []) };
    plainUsed = true;
    return { when, versions: [...unswitch(declaration.name, plainBody, flagNames, [[PLAIN_STEP, true]]), ...unswitch(declaration.name, general, flagNames, [[PLAIN_STEP, false]])] };
  });
  if (plainUsed) flags.push([PLAIN_STEP, plain(scalarsOf(COMMON_SCALARS) as Parameters<typeof plain>[0])]);
  return { name: declaration.name, folder, file, doc, slots, ownSlots: own, buffers: declaration.buffers, derived, flags, passes, afterPasses, loops, testValues: declaration.testValues ?? {} };
}

/**
 * The versions of a loop body without branches: each `if` on a flag not yet assumed splits the
 * body in two, so only the reachable combinations get a version (in the body's order, `then` first).
 */
function unswitch(rule: string, body: readonly Statement[], flags: ReadonlySet<string>, assumed: readonly (readonly [string, boolean])[]): LoopVersion[] {
  const values = new Map(assumed);
  let open: string | undefined;
  const resolve = (statements: readonly Statement[]): Statement[] =>
    statements.flatMap((s): Statement[] => {
      if (s.kind !== "if") return [s];
      if (!flags.has(s.flag)) throw new Error(`${rule}: unknown flag ${s.flag}`);
      const value = values.get(s.flag);
      if (value === undefined) {
        open ??= s.flag;
        return [];
      }
      return resolve(value ? s.then : s.otherwise);
    });
  const resolved = resolve(body);
  if (open === undefined) return [{ assumes: assumed, body: resolved }];
  const flag = open;
  return [true, false].flatMap((value) => unswitch(rule, body, flags, [...assumed, [flag, value]]));
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

/** Where rules are declared: each optimizer's beside it, and the gradient transforms'. */
const RULE_FOLDERS = ["src/optimizers/", "src/transforms/"];

/** Every declared rule, by folder, file name, then export name. */
export async function loadRules(root: URL = new URL("../../", import.meta.url)): Promise<LoweredRule[]> {
  const rules: LoweredRule[] = [];
  for (const folder of RULE_FOLDERS) {
    const dir = new URL(folder, root);
    const files = readdirSync(dir)
      .filter((name) => name.endsWith(".rule.ts"))
      .sort();
    for (const name of files) {
      const url = new URL(name, dir);
      const source = readFileSync(url, "utf8");
      const module = (await import(url.href)) as Record<string, unknown>;
      for (const [exportName, value] of Object.entries(module)) {
        if (isDeclaration(value)) rules.push(lower(value, folder.slice(4, -1), basename(name, ".rule.ts"), docBefore(source, exportName)));
      }
    }
  }
  // one export name per rule, and one generated file per declaring file
  const names = new Set<string>();
  const folders = new Map<string, string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new Error(`two rules are named ${rule.name}`);
    if ((folders.get(rule.file) ?? rule.folder) !== rule.folder) throw new Error(`two folders declare rules in ${rule.file}.rule.ts`);
    names.add(rule.name);
    folders.set(rule.file, rule.folder);
  }
  return rules;
}

/** Every comparison a rule's flags make of its scalars: what the bit-identity tables enumerate. */
export function flagComparisons(rule: LoweredRule): Comparison[] {
  const out: Comparison[] = [];
  const visit = (c: Condition): void => {
    switch (c.kind) {
      case "and":
      case "or":
        visit(c.a);
        visit(c.b);
        break;
      case "not":
        visit(c.a);
        break;
      default:
        out.push(c);
    }
  };
  for (const [, condition] of rule.flags) visit(condition);
  return out;
}
