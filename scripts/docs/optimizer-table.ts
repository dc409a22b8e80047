// Writes the optimizer overview of docs/guides/optimizers.md from the registry: the site's list of
// pages (the front matter's children) and the table, each row's title and source read from the
// optimizer's own page (its front matter title, and what its first line cites before "Notation").
import { readFileSync } from "node:fs";
import { closureOptimizerRegistry, optimizerRegistry } from "../../src/optimizers/registry.js";

const root = new URL("../../", import.meta.url);

/** The page's title and the sources its first line cites. */
function pageFacts(path: string): { title: string; source: string } {
  const text = readFileSync(new URL(path, root), "utf8");
  const title = /^title: (.+)$/m.exec(text)?.[1];
  const source = /^\{@link [^}]+\} — (.+?)\. Notation:/m.exec(text)?.[1];
  if (title === undefined || source === undefined) throw new Error(`${path}: needs a title and a first line "{@link …} — <source>. Notation: …"`);
  return { title, source };
}

/** docs/guides/optimizers.md as the registry and the pages make it. */
export function optimizerOverview(): string {
  const path = "docs/guides/optimizers.md";
  const text = readFileSync(new URL(path, root), "utf8");
  const every = [...optimizerRegistry, ...closureOptimizerRegistry];
  const children = every.map((e) => `  - ../optimizers/${e.docs.replace("docs/optimizers/", "")}`);
  const row = (e: { docs: string; name: string }) => {
    const { title, source } = pageFacts(e.docs);
    return `| [${title}](../optimizers/${e.docs.replace("docs/optimizers/", "")}) | \`${e.name}\` | ${source} |`;
  };
  const rows = optimizerRegistry.map(row);
  const closureRows = closureOptimizerRegistry.map(row);
  const withChildren = text.replace(/^children:\n(?: {2}- .+\n)+/m, `children:\n${children.join("\n")}\n`);
  const table = /^\| page \| class \| source \|\n\| --- \| --- \| --- \|\n(?:\|.+\|\n)+/m;
  if (!table.test(withChildren)) throw new Error(`${path}: the table "| page | class | source |" is missing`);
  const closureTable = /^\| page \| closure-based class \| source \|\n\| --- \| --- \| --- \|\n(?:\|.+\|\n)+/m;
  if (!closureTable.test(withChildren)) throw new Error(`${path}: the table "| page | closure-based class | source |" is missing`);
  return withChildren
    .replace(table, `| page | class | source |\n| --- | --- | --- |\n${rows.join("\n")}\n`)
    .replace(closureTable, `| page | closure-based class | source |\n| --- | --- | --- |\n${closureRows.join("\n")}\n`);
}
