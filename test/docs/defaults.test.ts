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
