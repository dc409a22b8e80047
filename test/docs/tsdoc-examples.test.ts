// Every TSDoc `@example` of src/ compiles under strict, as in a user's project, with a preamble that
// imports the public names it uses and declares the conventional ones (scripts/docs/tsdoc-examples.ts,
// run by `npm run docs:examples`; issue 18).
import { expect, test } from "vitest";
import { checkExamples, tsdocExamples } from "../../scripts/docs/check-examples.js";
import type { TsdocBlock } from "../../scripts/docs/tsdoc-examples.js";

/** A block as if it stood in `file` at `line`. */
function block(file: string, line: number, code: string): TsdocBlock {
  const lines = code.split("\n");
  return { file, line, label: `${file}:${line}`, code, lines: lines.map((_, k) => `${file}:${line + k}`) };
}

test("every ```ts block of a TSDoc @example in src/ type-checks under strict", () => {
  const { examples, unknown } = tsdocExamples();
  // every optimizer's page, the learn and plot entries' names, internal modules' examples
  const files = new Set(examples.map((e) => e.label.split(":")[0]));
  for (const file of ["src/optimizers/adam.ts", "src/training/minimize.ts", "src/plot/contour-map.ts", "src/solvers/lbfgsb-subspace.ts", "src/tree/tree-optimizer.ts"]) expect(files).toContain(file);
  expect(examples.length).toBeGreaterThanOrEqual(327);
  expect(unknown).toEqual([]);
  expect(checkExamples(examples)).toEqual([]);
}, 240_000);

test("a fragment gets its imports from the right entry and its conventional names declared", () => {
  const { examples, unknown } = tsdocExamples([
    block("src/optimizers/adam.ts", 10, "const opt = new Adam({ lr: 0.01 });\nopt.step(params, grad);\nconst J = networkRisk(net, data);\ncontourMap({ grid: land(J) });"),
  ]);
  const code = examples[0].code;
  expect(code).toContain('import { Adam } from "gradstep";');
  expect(code).toContain('import { type Dataset, type DenseNetwork, networkRisk } from "gradstep/learn";');
  expect(code).toContain('import { contourMap } from "gradstep/plot";');
  expect(code).toContain("declare const params: Float64Array;");
  expect(code).toContain("declare const grad: Float64Array;");
  // `land` is neither public nor conventional: reported with the example's place
  expect(unknown).toEqual([expect.stringMatching(/^src\/optimizers\/adam\.ts:10: 'land' is used but not declared/)]);
});

test("an example that does not compile is reported at its file and line", () => {
  const { examples } = tsdocExamples([block("src/optimizers/adam.ts", 12, "// PyTorch's spelling\nconst opt = new Adam({ lr: 0.01, betas: [0.9, 0.99] });")]);
  const errors = checkExamples(examples);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatch(/^src\/optimizers\/adam\.ts:13 \(example at src\/optimizers\/adam\.ts:12\): TS2561: .*'betas'/);
}, 120_000);
