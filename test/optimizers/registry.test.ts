// The registry is the one list of optimizers (issue 13): these checks fail when an exported
// optimizer, a preset or a docs page drifts away from it.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as gradstep from "gradstep";
import { closureOptimizerRegistry, lecture, OptimizerBase, optimizerEntry, optimizerRegistry, pytorch, pytorch113 } from "gradstep";
import { allRules, lectureRules } from "../helpers.js";

const root = new URL("../../", import.meta.url);
const exportedClasses = Object.entries(gradstep).filter(
  ([, v]) => typeof v === "function" && (v as { prototype?: unknown }).prototype instanceof OptimizerBase,
);
// Classes with option rules that are no OptimizerBase: the closure-based optimizers (LBFGS).
const exportedClosureClasses = Object.entries(gradstep).filter(
  ([, v]) => typeof v === "function" && "optionRules" in v && !((v as { prototype?: unknown }).prototype instanceof OptimizerBase),
);
// Both lists, for the checks that hold for every optimizer whatever its step takes.
const everyEntry = [...optimizerRegistry, ...closureOptimizerRegistry];

describe("the optimizer registry", () => {
  it("holds every optimizer class exported from gradstep, once, under its export name", () => {
    expect(exportedClasses.length).toBeGreaterThan(0);
    expect(optimizerRegistry.map((e) => e.optimizer)).toEqual(expect.arrayContaining(exportedClasses.map(([, cls]) => cls)));
    expect(optimizerRegistry.length).toBe(exportedClasses.length);
    for (const [exportName, cls] of exportedClasses) expect(optimizerRegistry.find((e) => e.optimizer === cls)?.name).toBe(exportName);
    expect(new Set(optimizerRegistry.map((e) => e.name)).size).toBe(optimizerRegistry.length);
    expect(optimizerRegistry.every((e) => e.stepping === "gradient")).toBe(true);
  });

  it("holds every closure-based optimizer class exported from gradstep in closureOptimizerRegistry, marked so", () => {
    expect(exportedClosureClasses.map(([name]) => name)).toEqual(["LBFGS"]);
    expect(closureOptimizerRegistry.map((e) => [e.name, e.optimizer, e.stepping])).toEqual(exportedClosureClasses.map(([name, cls]) => [name, cls, "closure"]));
    expect(new Set(everyEntry.map((e) => e.name)).size).toBe(everyEntry.length);
  });

  it("has an entry for every optimizer class in src/optimizers, whose file name is its docs page's", () => {
    const dir = new URL("src/optimizers/", root);
    const files = readdirSync(dir).filter((f) => f.endsWith(".ts") && /^export class \w+ (extends OptimizerBase<|implements ClosureOptimizer)/m.test(readFileSync(new URL(f, dir), "utf8")));
    expect(files.map((f) => f.replace(/\.ts$/, "")).sort()).toEqual(everyEntry.map((e) => e.docs.replace(/^docs\/optimizers\/|\.md$/g, "")).sort());
  });

  it.each(everyEntry.map((e) => [e.name, e] as const))("%s: create() builds its class, kind === name", (name, e) => {
    const opt = e.create();
    expect(opt).toBeInstanceOf(e.optimizer);
    expect(opt.kind).toBe(name);
    expect(e.create({ lr: 0.5 }).options.lr).toBe(0.5);
    if (e.stepping === "gradient") expect(optimizerEntry(name as gradstep.OptimizerName)).toBe(e);
    for (const v of e.variants) {
      const withVariant = e.create(v.options as never);
      expect(withVariant.kind).toBe(name);
    }
  });

  it.each(everyEntry.map((e) => [e.name, e] as const))("%s: its option rules are the class's: its defaults, and each option refused alone by name", (_name, e) => {
    expect(e.optionRules).toBe(e.optimizer.optionRules);
    const options = e.create().options as Record<string, unknown>;
    expect(Object.keys(options).sort()).toEqual(Object.keys(e.optionRules).sort());
    for (const [option, rule] of Object.entries(e.optionRules)) {
      expect(options[option], option).toEqual(rule.default);
      let error: unknown;
      try {
        e.create({ [option]: Symbol("not an option value") });
      } catch (caught) {
        error = caught;
      }
      expect(error, option).toBeInstanceOf(gradstep.InvalidOptionError);
      expect((error as gradstep.InvalidOptionError).argument, option).toBe(option);
    }
  });

  it.each(everyEntry.map((e) => [e.name, e] as const))("%s: its docs page exists", (_name, e) => {
    expect(e.docs).toMatch(/^docs\/optimizers\/[a-z-]+\.md$/);
    expect(existsSync(new URL(e.docs, root))).toBe(true);
  });

  it.each(everyEntry.map((e) => [e.name, e] as const))("%s: the presets it names exist and build its class", (_name, e) => {
    expect(e.family === "lecture").toBe(e.presets.lecture !== undefined);
    if (e.family === "pytorch") expect(e.presets.pytorch.length).toBeGreaterThan(0);
    if (e.presets.lecture !== undefined) expect(lecture[e.presets.lecture as keyof typeof lecture]()).toBeInstanceOf(e.optimizer);
    for (const spelling of e.presets.pytorch) {
      expect(pytorch[spelling as keyof typeof pytorch]()).toBeInstanceOf(e.optimizer);
      expect(pytorch113[spelling as keyof typeof pytorch113]()).toBeInstanceOf(e.optimizer);
    }
  });

  it("names every preset of lecture, pytorch and pytorch113, each once", () => {
    const lectureSpellings = everyEntry.flatMap((e) => (e.presets.lecture === undefined ? [] : [e.presets.lecture]));
    const torchSpellings = everyEntry.flatMap((e) => e.presets.pytorch);
    expect([...lectureSpellings].sort()).toEqual(Object.keys(lecture).sort());
    expect([...torchSpellings].sort()).toEqual(Object.keys(pytorch).sort());
    expect([...torchSpellings].sort()).toEqual(Object.keys(pytorch113).sort());
  });

  it("gives its variants names unique across optimizers and variants", () => {
    const names = everyEntry.flatMap((e) => [e.name, ...e.variants.map((v) => v.name)]);
    expect(new Set(names).size).toBe(names.length);
  });

  it("is what the test tables iterate over: every entry and variant in allRules, the lecture family in lectureRules", () => {
    const names = optimizerRegistry.flatMap((e) => [e.name, ...e.variants.map((v) => v.name)]);
    expect(allRules.map((r) => r.name).sort()).toEqual([...names].sort());
    expect(lectureRules.map((r) => r.name)).toEqual(optimizerRegistry.filter((e) => e.family === "lecture").map((e) => e.name));
  });
});

describe("docs/guides/optimizers.md", () => {
  // The overview tables are generated from the registry (npm run generate); whatever writes them, they
  // must list exactly the registry's optimizers, in its order (the closure-based ones last, in a table
  // of their own), each linked to the entry's page.
  it("has one table row per registry entry, linking its docs page", () => {
    const text = readFileSync(new URL("docs/guides/optimizers.md", root), "utf8");
    const rows = [...text.matchAll(/^\| \[[^\]]+\]\(\.\.\/optimizers\/([a-z-]+\.md)\) \| `([A-Za-z]+)` \|/gm)].map((m) => [m[2], `docs/optimizers/${m[1]}`]);
    expect(rows).toEqual(everyEntry.map((e) => [e.name, e.docs]));
  });
});

describe("README.md", () => {
  // Its table of the lecture's rules is prose too; it must name exactly the registry's lecture family.
  it("tabulates the lecture family, in the registry's order", () => {
    const text = readFileSync(new URL("README.md", root), "utf8");
    const table = text.slice(text.indexOf("| class | rule (lecture notation) | state |")).split("\n\n")[0];
    const rows = [...table.matchAll(/^\| `([A-Za-z]+)` \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(optimizerRegistry.filter((e) => e.family === "lecture").map((e) => e.name));
  });
});
