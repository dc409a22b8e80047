// Every example runs, writes a well-formed figure, and shows what its section of the lecture says.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { optimizerRegistry } from "gradstep";
import { bruteForce } from "../examples/01-brute-force.js";
import { convex } from "../examples/02-convex.js";
import { gabor } from "../examples/03-gabor.js";
import { batchSizes } from "../examples/04-batch-sizes.js";
import { momentum } from "../examples/05-momentum.js";
import { anisotropic } from "../examples/06-anisotropic.js";
import { allOptimizers } from "../examples/07-all-optimizers.js";
import { quasiNewton } from "../examples/08-quasi-newton.js";
import type { ExampleResult } from "../examples/shared.js";
import { optimizers } from "../bench/convergence-problems.js";
import { tunedRates } from "../bench/convergence-rates.js";

const folder = mkdtempSync(join(tmpdir(), "gradstep-figures-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

/**
 * The figure is an SVG document with filled contours or curves, and no NaN anywhere; it fits the
 * docs' content column (608 px wide in a 1280 px window) at its own size, so that its text, none
 * under 10 px, is shown at that size.
 */
function expectFigure(result: ExampleResult): string {
  const svg = readFileSync(result.figure, "utf8");
  expect(svg.startsWith("<svg xmlns=")).toBe(true);
  expect(Number(svg.match(/^<svg [^>]*width="([\d.]+)"/)![1])).toBeLessThanOrEqual(600);
  expect(svg).toMatch(/^<svg [^>]*font-size="11"/);
  const sizes = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) => Number(m[1]));
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(10);
  expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
  expect(svg).not.toMatch(/NaN|Infinity|undefined/);
  expect((svg.match(/<path /g) ?? []).length).toBeGreaterThan(5);
  return svg;
}

describe("examples", () => {
  test("1. brute force: 101² = 10,201 evaluations find what gradient descent finds", () => {
    const r = bruteForce(folder);
    expectFigure(r);
    expect(r.summary[0]).toContain("10201 evaluations");
    const grid = r.summary[0].match(/θ = \(([-\d.]+), ([-\d.]+)\)/)!.slice(1).map(Number);
    const gd = r.summary[1].match(/θ = \(([-\d.]+), ([-\d.]+)\)/)!.slice(1).map(Number);
    expect(Math.hypot(grid[0] - gd[0], grid[1] - gd[1])).toBeLessThan(0.08); // within one grid cell
  });

  test("2. convex: every start ends at the least-squares solution", () => {
    const r = convex(folder);
    expectFigure(r);
    for (const line of r.summary) expect(line).toMatch(/J = 0\.19986636/);
  });

  test("3. Gabor: two starts reach the global minimum, four stop in local minima", () => {
    const r = gabor(folder);
    const svg = expectFigure(r);
    expect(r.summary.filter((l) => l.endsWith("the global minimum"))).toHaveLength(2);
    expect(r.summary.filter((l) => l.endsWith("a local minimum"))).toHaveLength(4);
    expect(svg).toContain(">global minimum</text>");
  });

  test("4. batch sizes: batch GD converges smoothly; mini-batch gradients scatter around the full one", () => {
    const r = batchSizes(folder);
    expectFigure(r);
    expect(Number(r.summary[0].match(/J = ([\d.]+)/)![1])).toBeLessThan(0.66);
    const angles = r.summary[3].match(/([\d.]+)°/g)!.map((a) => Number.parseFloat(a));
    expect(angles).toHaveLength(6);
    expect(Math.max(...angles)).toBeGreaterThan(20); // noisy estimates
  });

  test("5. momentum and Nesterov: four runs on the same batches", () => {
    const r = momentum(folder);
    const svg = expectFigure(r);
    expect(r.summary).toHaveLength(4);
    expect(svg).toContain("Nesterov, look-ahead θ − η·β·V");
  });

  test("6. anisotropic valley: each method ends where the lecture says", () => {
    const r = anisotropic(folder);
    expectFigure(r);
    const losses = r.summary.map((l) => Number(l.match(/f = ([\d.e-]+)/)![1]));
    expect(losses[0]).toBeLessThan(1e-3); // (a) gets there along the shallow axis, in 200 steps
    expect(losses[1]).toBeGreaterThan(0.05); // (b) still oscillating across the steep one
    expect(losses[3]).toBeLessThan(0.01); // (d) Adam
  });

  test("7. every optimizer on Rosenbrock", () => {
    const r = allOptimizers(folder);
    const svg = expectFigure(r);
    expect(r.summary).toHaveLength(optimizerRegistry.length);
    // each at the rate the convergence suite tuned for it on this problem (none at a fallback), and
    // every one moves: below Rosenbrock's f(−1.5, 2) = 12.5
    const rates = tunedRates["Rosenbrock, from (−1.5, 2)"];
    for (const [k, [name]] of optimizers.entries()) {
      const line = r.summary[k];
      expect(line.startsWith(`${name}, η = `)).toBe(true);
      expect(Number(line.match(/η = ([\d.e-]+)/)![1])).toBe(rates[name]);
      expect(Number(line.match(/f = ([\d.e-]+)/)![1])).toBeLessThan(12.5);
    }
    // 17 runs: the palette's 8 colours, then dashed, then dotted
    expect(svg).toContain('stroke-dasharray="7 4"');
    expect(svg).toContain('stroke-dasharray="2 3"');
  });

  test("8. L-BFGS beside Adam: the same minimum in a handful of evaluations", () => {
    const r = quasiNewton(folder);
    const svg = expectFigure(r);
    for (const line of r.summary.slice(0, 2)) {
      const evaluations = Number(line.match(/in (\d+) evaluations \(gradientTolerance\)/)![1]);
      const adamSteps = Number(line.match(/within 1e-8 after (\d+) steps/)![1]);
      expect(evaluations).toBeLessThanOrEqual(12);
      expect(adamSteps).toBeGreaterThan(5 * evaluations);
    }
    expect(r.summary[0]).toMatch(/J = 0\.1998663569/); // the least-squares minimum of example 2
    expect(Number(r.summary[2].match(/is ([\d.e-]+) from/)![1])).toBeLessThan(1e-12);
    expect(svg).toContain("L-BFGS, ");
  });
});
