// Every TypeScript example of README.md and docs/ compiles under strict, as in a user's project
// (scripts/docs/check-examples.ts, `npm run docs:examples`; issue 18).
import { expect, test } from "vitest";
import { checkExamples, examples } from "../../scripts/docs/check-examples.js";

test("every ```ts example in README.md and docs/ type-checks under strict", () => {
  const list = examples();
  // the extraction found them: the README's, the guides', each optimizer page's, …
  const files = new Set(list.map((e) => e.label.split(":")[0]));
  for (const file of [
    "README.md",
    "docs/guides/getting-started.md",
    "docs/guides/checkpoints.md",
    "docs/guides/learning.md",
    "docs/guides/optimizer-contract.md",
    "docs/guides/schedules-and-transforms.md",
    "docs/guides/backends.md",
    "docs/guides/adding-an-optimizer.md",
    "docs/optimizers/nesterov.md",
  ]) expect(files).toContain(file);
  expect(list.length).toBeGreaterThanOrEqual(36);
  // the block showing src/optimizers/lion.rule.ts is checked beside that file (its relative import)
  expect(list.find((e) => e.label.startsWith("docs/guides/adding-an-optimizer.md"))?.shows).toBe("src/optimizers/lion.rule.ts");
  expect(checkExamples(list)).toEqual([]);
}, 120_000);
