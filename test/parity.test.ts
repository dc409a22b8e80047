// The reference trajectories (test/fixtures/README.md) through the same code path as `npm run parity`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { optimizerRegistry } from "gradstep";
import { type ReferenceFile, runCase, runScheduleCase } from "../scripts/reference-cases.js";

function load(file: string): ReferenceFile {
  return JSON.parse(readFileSync(new URL(`./fixtures/${file}`, import.meta.url), "utf8")) as ReferenceFile;
}

// Each fixture covers every preset of its family, as the registry spells them.
describe.each([
  ["lecture.json", optimizerRegistry.flatMap((e) => (e.presets.lecture === undefined ? [] : [e.presets.lecture]))],
  ["torch-optim.json", optimizerRegistry.flatMap((e) => e.presets.pytorch)],
  ["paper.json", optimizerRegistry.flatMap((e) => (e.family === "paper" ? [e.name] : []))],
])("%s", (file, optimizers) => {
  const reference = load(file);

  it("covers every optimizer of its family", () => {
    expect(new Set(reference.cases.map((c) => c.optimizer))).toEqual(new Set(optimizers));
  });

  it.each(reference.cases.map((c) => [runCase(c, reference.generator).label, c] as const))("%s", (_label, c) => {
    const result = runCase(c, reference.generator);
    expect(result.unsupported).toBeUndefined();
    expect(result.perStepError).toBeLessThanOrEqual(1e-10);
    // The committed fixtures also agree over the whole free run.
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });
});

describe("torch-optim.json schedulers", () => {
  const reference = load("torch-optim.json");

  it("covers every scheduler of the file", () => {
    expect(reference.schedules?.map((s) => s.schedule)).toEqual([
      "StepLR", "MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "PolynomialLR", "OneCycleLR", "CosineAnnealingWarmRestarts",
    ]);
  });

  it.each((reference.schedules ?? []).map((c) => [c.schedule, c] as const))("%s: the lr of every step", (_name, c) => {
    const result = runScheduleCase(c);
    expect(result.unsupported).toBeUndefined();
    expect(result.maxRelativeError).toBeLessThanOrEqual(1e-10);
  });
});
