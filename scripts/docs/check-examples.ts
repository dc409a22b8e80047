// The TypeScript examples of README.md and docs/ type-checked as a user's strict project would
// (the repository's tsconfig: `strict`, NodeNext; `gradstep`, `gradstep/learn` and `gradstep/plot`
// resolved to src/). Each ```ts block is its own module, except that a block whose first line is
// `// continues the example above` is checked together with the block before it (and that one's
// predecessors, if it continues too). A block whose first line is a repository path, such as
// `// src/optimizers/lion.rule.ts`, shows (a version of) that file: it is checked beside it, so that
// its relative imports resolve as the file's own. Every block is checked (issue 18).
//
// So are the ```ts blocks of every TSDoc `@example` in src/, in the same program: each is a module of
// its own, given a preamble that imports the public names it uses and declares the conventional
// names it uses without declaring them (scripts/docs/tsdoc-examples.ts). An error names the source
// file and line of the example's line.
//
// Usage: npx tsx scripts/docs/check-examples.ts
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { type TsdocBlock, tsdocExamples as tsdocExamplesOf } from "./tsdoc-examples.js";

const root = fileURLToPath(new URL("../..", import.meta.url));
const CONTINUES = "// continues the example above";
/** The first line of a block that shows a file of the repository: `// src/…/name.ts`. */
const SHOWS_FILE = /^\/\/ ((?:src|scripts|test)\/[\w./-]+\.ts)$/;

/** One example to check: its source, and where each of its lines comes from. */
export interface Example {
  /** The markdown file and line of the block's first line of code. */
  readonly label: string;
  readonly code: string;
  /** lines[i]: "file:line" of line i of code. */
  readonly lines: readonly string[];
  /** The repository file the block shows (its first line names it), if any. */
  readonly shows?: string;
}

/** The markdown files with examples: README.md and everything under docs/. */
function markdownFiles(): string[] {
  const files = [join(root, "README.md")];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== "api") walk(path); // docs/api is typedoc's output
      } else if (entry.name.endsWith(".md")) files.push(path);
    }
  };
  walk(join(root, "docs"));
  return files;
}

/** The examples of the docs: every ```ts block, with what it continues. */
export function examples(): Example[] {
  const result: Example[] = [];
  for (const file of markdownFiles()) {
    const name = relative(root, file);
    const text = readFileSync(file, "utf8").split("\n");
    let previous: Example | undefined;
    for (let i = 0; i < text.length; i++) {
      if (!/^```(ts|typescript)\s*$/.test(text[i])) continue;
      const start = i + 1;
      let end = start;
      while (end < text.length && !/^```\s*$/.test(text[end])) end++;
      const body = text.slice(start, end);
      const shows = SHOWS_FILE.exec(body[0]?.trim() ?? "")?.[1];
      const own = { code: body.join("\n"), lines: body.map((_, k) => `${name}:${start + k + 1}`), ...(shows ? { shows } : {}) };
      const joined: Example =
        body[0]?.trim() === CONTINUES && previous
          ? { label: `${name}:${start + 1}`, code: `${previous.code}\n${own.code}`, lines: [...previous.lines, ...own.lines] }
          : { label: `${name}:${start + 1}`, ...own };
      result.push(joined);
      previous = joined;
      i = end;
    }
  }
  return result;
}

/** The repository's compiler options (tsconfig.json) and its files. */
function repositoryConfig(): { options: ts.CompilerOptions; fileNames: string[] } {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return { options: { ...options, noEmit: true }, fileNames };
}

/**
 * The TSDoc `@example` blocks of src/, each with its preamble (scripts/docs/tsdoc-examples.ts), and
 * the names they use that nothing declares.
 */
export function tsdocExamples(blocks?: readonly TsdocBlock[]): { examples: Example[]; unknown: string[] } {
  return tsdocExamplesOf(root, repositoryConfig().options, blocks);
}

/** Type-checks the examples in one program; returns each error as "file:line: message". */
export function checkExamples(list: readonly Example[]): string[] {
  const { options, fileNames } = repositoryConfig();
  // Virtual files beside src/ (so that paths and node_modules resolve as for the repository's own);
  // a block showing a repository file goes into that file's directory, under a name of its own.
  const virtual = new Map(
    list.map((e, k) => [join(root, e.shows ? dirname(e.shows) : ".doc-examples", `.doc-example-${k}.mts`), e]),
  );
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (fileName, language, onError, create) => {
    const example = virtual.get(fileName);
    return example ? ts.createSourceFile(fileName, example.code, language) : getSourceFile(fileName, language, onError, create);
  };
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (fileName) => virtual.has(fileName) || fileExists(fileName);
  const readFile = host.readFile.bind(host);
  host.readFile = (fileName) => virtual.get(fileName)?.code ?? readFile(fileName);
  // The repository's ambient declarations (src/**/*.d.ts) are part of its build, as for `tsc -p .`.
  const ambient = fileNames.filter((f) => f.endsWith(".d.ts"));
  const program = ts.createProgram([...virtual.keys(), ...ambient], options, host);
  const errors: string[] = [];
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n");
    const example = diagnostic.file && virtual.get(diagnostic.file.fileName);
    if (!diagnostic.file || !example) {
      errors.push(`${diagnostic.file ? relative(root, diagnostic.file.fileName) : "(options)"}: ${message}`);
      continue;
    }
    const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
    errors.push(`${example.lines[line]} (example at ${example.label}): TS${diagnostic.code}: ${message}`);
  }
  return errors;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const markdown = examples();
  const tsdoc = tsdocExamples();
  const errors = [...tsdoc.unknown, ...checkExamples([...markdown, ...tsdoc.examples])];
  for (const e of errors) console.error(e);
  console.log(
    `docs examples: ${markdown.length} from README.md and docs/, ${tsdoc.examples.length} TSDoc @example blocks from src/, checked under strict: ${errors.length} error(s)`,
  );
  process.exit(errors.length > 0 ? 1 : 0);
}
