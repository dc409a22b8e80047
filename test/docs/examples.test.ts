// The learn examples of README.md and docs/ compile under strict (scripts/docs/check-examples.ts;
// `npm run docs:examples -- --all` checks every example, issue 18).
import { expect, test } from "vitest";
import { checkExamples, examples } from "../../scripts/docs/check-examples.js";

test("every gradstep/learn example in README.md and docs/ type-checks under strict", () => {
  const list = examples();
  // the extraction found them (the Getting-started guide's two, the README's two, …)
  const files = list.map((e) => e.label.split(":")[0]);
  for (const file of ["README.md", "docs/guides/getting-started.md", "docs/guides/checkpoints.md", "docs/guides/learning.md"]) expect(files).toContain(file);
  expect(list.length).toBeGreaterThanOrEqual(6);
  expect(checkExamples(list)).toEqual([]);
}, 120_000);
