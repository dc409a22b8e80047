import { readFileSync } from "node:fs";
import { optimizerRegistry } from "gradstep";
import { expect, test } from "vitest";

// Each optimizer page states its defaults in a "**Defaults:**" line; the numbers there must be the
// ones a new instance has (three pages once gave lr 0.01 where the code's default is 1e-3).
test.each(optimizerRegistry.map((entry) => [entry.name, entry] as const))("%s: the page's stated defaults are the class's", (_, entry) => {
  const page = readFileSync(new URL(`../../${entry.docs}`, import.meta.url), "utf8");
  const line = page.split("\n").find((l) => l.startsWith("**Defaults:**"));
  expect(line, `${entry.docs} has a **Defaults:** line`).toBeDefined();
  const options = entry.create().options as Record<string, unknown>;
  const stated = [...(line as string).matchAll(/`(\w+)` (-?[\d.]+(?:e-?\d+)?)\b/g)].filter(([, name]) => name in options);
  expect(stated.length, `${entry.docs} states at least lr`).toBeGreaterThan(0);
  for (const [, name, value] of stated) expect(options[name], `${entry.docs}: ${name}`).toBe(Number(value));
});

// Each option of an optimizer's options interface (its own and the CommonOptions) carries a TSDoc
// `@defaultValue`, and the value it starts with is the one a new instance has.
const sources = ["src/optimizers/optimizer-options.ts", ...optimizerRegistry.map((e) => `src/optimizers/${e.docs.replace(/^docs\/optimizers\/|\.md$/g, "")}.ts`)];
/** Every `@defaultValue` of the interface `name`, by property. */
function documentedDefaults(name: string): Map<string, string> {
  for (const file of sources) {
    const text = readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");
    const start = text.indexOf(`export interface ${name} `);
    if (start < 0) continue;
    const body = text.slice(start, text.indexOf("\n}\n", start));
    const found = new Map<string, string>();
    for (const m of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*\n\s*(?:readonly )?(\w+)\??:/g)) {
      const tag = m[1].match(/@defaultValue ([^\n]*?)(?:\s*\*\/|\n|$)/);
      found.set(m[2], tag === null ? "" : tag[1].trim());
    }
    return found;
  }
  throw new Error(`interface ${name} not found in ${sources.join(", ")}`);
}
/** The value a `@defaultValue` text starts with: `1e-3 (PyTorch)` → 0.001, `"outside" (…)` → "outside". */
function leading(text: string): unknown {
  const word = text.split(/[\s;(]/)[0].replace(/^[`"]+|[`"]+$/g, "").replace("−", "-");
  if (word === "true" || word === "false") return word === "true";
  return /^-?[\d.]+(e-?\d+)?$/.test(word) ? Number(word) : word;
}
const common = documentedDefaults("CommonOptions");
test.each(optimizerRegistry.map((entry) => [entry.name, entry] as const))("%s: every option's @defaultValue is the instance's default", (_, entry) => {
  const own = documentedDefaults(`${entry.name}Options`);
  const options = entry.create().options as Record<string, unknown>;
  for (const name of Object.keys(entry.optionRules)) {
    const text = own.get(name) ?? common.get(name);
    expect(text, `${entry.name}Options.${name} has a @defaultValue`).toBeTruthy();
    expect(leading(text as string), `${entry.name}Options.${name}: "${text}"`).toBe(options[name]);
  }
});
