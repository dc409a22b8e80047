// The ```ts blocks of the TSDoc `@example`s in src/, made into modules a user could compile. Most are
// fragments: `opt.step(params, grad)` documents `step` without repeating where `opt`, `params` and
// `grad` come from. Each block gets a preamble: an import of every public name it uses from the entry
// that exports it (`gradstep`, `gradstep/learn`, `gradstep/plot`, read from src/index.ts, src/learn.ts,
// src/plot.ts), and a `declare const` for each conventional name it uses without declaring, typed by
// the table below. An example may also use its own file's exports (an internal module's, which no entry
// exports), imported from the file, and the arguments of its file's functions by their parameter names
// (`freeVariables(n, sets, index, …)`), typed as those parameters. A name that is none of these is
// reported with the example's place: fix the example, or extend the table with the name's real type.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join, relative } from "node:path";
import ts from "typescript";
import type { Example } from "./check-examples.js";

/** The entry points a user imports, by module specifier. */
const ENTRIES: ReadonlyArray<readonly [specifier: string, file: string]> = [
  ["gradstep", "src/index.ts"],
  ["gradstep/learn", "src/learn.ts"],
  ["gradstep/plot", "src/plot.ts"],
];

/**
 * The conventional names of the examples and their types, written as a user's code would have them.
 * Types may use any public name: the preamble imports those too.
 */
export const CONVENTIONAL: Readonly<Record<string, string>> = {
  // vectors the caller owns: θ and ∇J(θ)
  params: "Float64Array",
  theta: "Float64Array",
  x: "Float64Array",
  grad: "Float64Array",
  g: "Float64Array",
  // trees of parameters and of their gradients, of the same shape
  paramTree: "ParamTree",
  gradTree: "ParamTree",
  // a few gradients of one step's micro-batches
  microGrads: "Float64Array[]",
  // a gradient as the user's own code computes it
  gradient: "(params: Float64Array) => Float64Array",
  computeGradient: "(params: Float64Array, grad: Float64Array) => void",
  opt: "Optimizer",
  optimizer: "Optimizer",
  objective: "Objective",
  J: "Objective",
  heldOut: "Objective",
  data: "Dataset",
  train: "Dataset",
  test: "Dataset",
  net: "DenseNetwork",
  sampler: "BatchSampler",
  options: "MinimizeOptions",
  // a run's result, recorded (`record: {}`)
  result: "MinimizeResult & MinimizeRecording",
  losses: "number[]",
  series: "Series[]",
  grid: "GridValues",
  axis: "GridAxis",
  warmup: "Schedule",
  decay: "Schedule",
  plateau: "ReduceLROnPlateau",
  // φ(α) = f(x + α·d) for the line searches of src/search/ (an internal interface)
  line: "LineFunction",
};

/** One ```ts block of a TSDoc comment, before its preamble. */
export interface TsdocBlock {
  /** The source file (relative to the root) and the line of the block's first line of code. */
  readonly file: string;
  readonly line: number;
  readonly label: string;
  readonly code: string;
  readonly lines: readonly string[];
}

/** Every .ts file of src/, generated ones included (their examples are documentation too). */
function sourceFiles(root: string): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) files.push(path);
    }
  };
  walk(join(root, "src"));
  return files.sort();
}

/**
 * The ```ts blocks of one file's TSDoc comments, each line mapped back to the file: those of the
 * `@example`s (all of them today) and any other, since the site shows each as code to copy.
 */
function blocksOf(root: string, file: string): TsdocBlock[] {
  const name = relative(root, file);
  const text = readFileSync(file, "utf8").split("\n");
  const blocks: TsdocBlock[] = [];
  let inComment = false;
  for (let i = 0; i < text.length; i++) {
    const line = text[i];
    if (!inComment) {
      if (/^\s*\/\*\*/.test(line) && !/\*\/\s*$/.test(line)) inComment = true;
      continue;
    }
    if (/\*\/\s*$/.test(line)) {
      inComment = false;
      continue;
    }
    if (!/^```(ts|typescript)\s*$/.test(line.replace(/^\s*\* ?/, ""))) continue;
    const start = i + 1;
    let end = start;
    while (end < text.length && !/^```\s*$/.test(text[end].replace(/^\s*\* ?/, ""))) {
      if (/\*\/\s*$/.test(text[end])) throw new Error(`${name}:${i + 1}: a \`\`\`ts block that the comment ends before closing`);
      end++;
    }
    const body = text.slice(start, end).map((l) => l.replace(/^\s*\* ?/, ""));
    blocks.push({ file: name, line: start + 1, label: `${name}:${start + 1}`, code: body.join("\n"), lines: body.map((_, k) => `${name}:${start + k + 1}`) });
    i = end;
  }
  return blocks;
}

/**
 * What an example of an internal module may use from its own file: the file's exports (name → whether
 * a type only), and the parameters of its exported functions, typed as the function declares them
 * (`Parameters<typeof f>[i]`), those of the function the example documents first. An example such as
 * `freeVariables(n, sets, index, …)` shows a call with the function's own argument names.
 */
function ownFile(program: ts.Program, file: string, line: number): { exports: Map<string, boolean>; parameters: Map<string, { function: string; type: string }> } {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const exports = new Map<string, boolean>();
  const parameters = new Map<string, { function: string; type: string }>();
  const module = source && checker.getSymbolAtLocation(source);
  if (!source || !module) return { exports, parameters };
  for (const symbol of checker.getExportsOfModule(module)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    exports.set(symbol.name, (target.flags & ts.SymbolFlags.Value) === 0);
  }
  const functions = source.statements.filter(
    (s): s is ts.FunctionDeclaration & { name: ts.Identifier } => ts.isFunctionDeclaration(s) && s.name !== undefined && exports.get(s.name.text) === false,
  );
  // the documented function: the first declared after the example
  const documented = functions.find((f) => source.getLineAndCharacterOfPosition(f.getStart()).line + 1 > line);
  for (const f of documented ? [documented, ...functions.filter((g) => g !== documented)] : functions) {
    f.parameters.forEach((p, i) => {
      if (ts.isIdentifier(p.name) && !parameters.has(p.name.text)) parameters.set(p.name.text, { function: f.name.text, type: `Parameters<typeof ${f.name.text}>[${i}]` });
    });
  }
  return { exports, parameters };
}

/** The ```ts blocks of every TSDoc comment in src/ (every `@example`'s). */
export function tsdocBlocks(root: string): TsdocBlock[] {
  return sourceFiles(root).flatMap((f) => blocksOf(root, f));
}

/** A public name: the entry that exports it, and whether it is a type only (`import type`). */
interface PublicName {
  readonly specifier: string;
  readonly typeOnly: boolean;
}

/**
 * Names from outside gradstep that examples use as a user's code would: what to import, from where.
 * (A figure written to a file, an ndarray made for a loss.)
 */
export const EXTERNAL: Readonly<Record<string, string>> = {
  writeFileSync: 'import { writeFileSync } from "node:fs";',
  readFileSync: 'import { readFileSync } from "node:fs";',
  ndarray: 'import ndarray from "ndarray";',
};

/**
 * Diagnostics saying a name is not declared: "Cannot find name 'x'" (2304; 2552 with a suggestion;
 * 2593 for test runners' names), "No value exists in scope for the shorthand property 'x'" (18004).
 */
const UNDECLARED = new Set([2304, 2552, 2593, 18004]);

/**
 * The TSDoc examples of src/, each with its preamble. `unknown` lists the names an example uses that
 * are neither public nor in {@link CONVENTIONAL}, as "file:line: name" (they get no declaration, so
 * the check reports them too).
 */
export function tsdocExamples(root: string, options: ts.CompilerOptions, blocks: readonly TsdocBlock[] = tsdocBlocks(root)): { examples: Example[]; unknown: string[] } {
  // A first program, with each block as it is written, finds the names each block leaves undeclared
  // and the public names (the entries' exports).
  const virtual = new Map(blocks.map((b, k) => [join(root, ".doc-examples", `.tsdoc-example-${k}.mts`), b]));
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) => {
    const block = virtual.get(fileName);
    return block ? ts.createSourceFile(fileName, block.code, language) : getSourceFile(fileName, language, onError, create);
  };
  const entryFiles = ENTRIES.map(([, file]) => join(root, file));
  const ownFiles = [...new Set(blocks.map((b) => join(root, b.file)))];
  const program = ts.createProgram([...virtual.keys(), ...entryFiles, ...ownFiles], { ...options, noEmit: true }, host);
  const checker = program.getTypeChecker();
  const publicNames = new Map<string, PublicName>();
  for (const [specifier, file] of ENTRIES) {
    const source = program.getSourceFile(join(root, file));
    const module = source && checker.getSymbolAtLocation(source);
    if (!module) throw new Error(`${file}: cannot read its exports`);
    for (const symbol of checker.getExportsOfModule(module)) {
      if (publicNames.has(symbol.name)) continue; // the first entry that exports a name is its home
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      publicNames.set(symbol.name, { specifier, typeOnly: (target.flags & ts.SymbolFlags.Value) === 0 });
    }
  }
  const undeclared = new Map<string, Set<string>>();
  for (const [fileName] of virtual) {
    const source = program.getSourceFile(fileName);
    if (!source) continue;
    const names = new Set<string>();
    for (const d of program.getSemanticDiagnostics(source)) {
      if (!UNDECLARED.has(d.code) || d.start === undefined) continue;
      const token = /^[\p{L}_$][\p{L}\p{N}_$]*/u.exec(source.text.slice(d.start));
      if (token) names.add(token[0]);
    }
    undeclared.set(fileName, names);
  }
  const unknown: string[] = [];
  const examples = [...virtual].map(([fileName, block]): Example => {
    const names = undeclared.get(fileName) ?? new Set<string>();
    const own = ownFile(program, join(root, block.file), block.line);
    const ownSpecifier = `./${basename(block.file).replace(/\.ts$/, ".js")}`;
    const declarations: string[] = [];
    const external = new Set<string>();
    const imports = new Map<string, Set<string>>();
    let beside = false; // imports from its own file, so it is checked in that file's directory
    const add = (specifier: string, name: string, typeOnly: boolean) => {
      const set = imports.get(specifier) ?? new Set<string>();
      set.add(typeOnly ? `type ${name}` : name);
      imports.set(specifier, set);
      if (specifier === ownSpecifier) beside = true;
    };
    const use = (name: string) => {
      const found = publicNames.get(name) ?? (own.exports.has(name) ? { specifier: ownSpecifier, typeOnly: own.exports.get(name) === true } : undefined);
      if (found) add(found.specifier, name, found.typeOnly);
      return found !== undefined;
    };
    for (const name of [...names].sort()) {
      if (use(name)) continue;
      if (EXTERNAL[name] !== undefined) {
        external.add(EXTERNAL[name]);
        continue;
      }
      const type = CONVENTIONAL[name];
      const parameter = own.parameters.get(name);
      if (type !== undefined) {
        // the type's own public names, imported too
        for (const word of type.match(/[A-Za-z_$][\w$]*/g) ?? []) if (!names.has(word)) use(word);
        declarations.push(`declare const ${name}: ${type};`);
      } else if (parameter !== undefined) {
        use(parameter.function);
        declarations.push(`declare const ${name}: ${parameter.type};`);
      } else {
        unknown.push(`${block.label}: '${name}' is used but not declared, and is neither a public export, an export of its file, a conventional name (scripts/docs/tsdoc-examples.ts) nor a parameter of its file's functions`);
      }
    }
    const preamble = [
      ...external,
      ...[...imports].map(([specifier, set]) => `import { ${[...set].sort((a, b) => a.replace(/^type /, "").localeCompare(b.replace(/^type /, ""))).join(", ")} } from "${specifier}";`),
      ...declarations,
    ];
    return {
      label: block.label,
      code: [...preamble, block.code].join("\n"),
      lines: [...preamble.map((p) => `${block.label} (its preamble: ${p})`), ...block.lines],
      ...(beside ? { shows: block.file } : {}),
    };
  });
  return { examples, unknown };
}
