// The reference trajectories (test/fixtures/README.md) through the same code path as `npm run parity`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type ReferenceCase, runCase } from "../scripts/reference-cases.js";

function casesOf(file: string): ReferenceCase[] {
  return (JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as { cases: ReferenceCase[] }).cases;
}

describe("lecture.json: the lecture's formulas evaluated line by line in IEEE double", () => {
  const cases = casesOf("lecture.json");

  it("covers all seven rules", () => {
    expect(new Set(cases.map((c) => c.optimizer))).toEqual(
      new Set(["GradientDescent", "Momentum", "Nesterov", "NormalizedGradient", "AdaGrad", "RMSProp", "Adam"]),
    );
  });

  it.each(cases.map((c) => [runCase(c).label, c] as const))("%s", (_label, c) => {
    const result = runCase(c);
    expect(result.unsupported).toBeUndefined();
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });
});

describe("torch-optim.json", () => {
  it("is reported as unsupported until the PyTorch family lands, never as passing", () => {
    const results = casesOf("torch-optim.json").map(runCase);
    expect(results.length).toBeGreaterThan(0);
    for (const r of results) expect(r.unsupported).toMatch(/not supported/);
  });
});
