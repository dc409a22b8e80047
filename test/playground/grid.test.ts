// The playground's contour grid: the landscape's own values at the grid's points, the window's ends
// exactly, and points where the function is not finite drawn at its highest finite value.
import { rosenbrock } from "gradstep/learn";
import { expect, test } from "vitest";
import { expressionObjective } from "../../docs/playground/src/expression-objective.js";
import { sampleGrid } from "../../docs/playground/src/grid.js";

test("the grid holds f at (x[c], y[r]), row by row, over the whole window", () => {
  const f = rosenbrock();
  const grid = sampleGrid(f, [-2, 2, -1, 3], 5);
  expect(Array.from(grid.x)).toEqual([-2, -1, 0, 1, 2]);
  expect(Array.from(grid.y)).toEqual([-1, 0, 1, 2, 3]);
  for (let r = 0; r < 5; r++) for (let c = 0; c < 5; c++) expect(grid.values[r * 5 + c]).toBe(f.evaluate(Float64Array.of(grid.x[c], grid.y[r]), null));
  // the last point is the window's end, not x0 + 100·(x1 − x0)/100 rounded
  expect(sampleGrid(f, [0.1, 0.7, 0.1, 0.3], 101).x[100]).toBe(0.7);
});

test("where f is not finite, the grid holds its highest finite value; nowhere finite is an error", () => {
  const grid = sampleGrid(expressionObjective("log(x)"), [-1, 3, 0, 1], 5); // x = −1, 0: NaN, −Infinity
  expect(Array.from(grid.values.slice(0, 5))).toEqual([Math.log(3), Math.log(3), 0, Math.log(2), Math.log(3)]);
  expect(() => sampleGrid(expressionObjective("log(x)"), [-3, -1, 0, 1], 5)).toThrow("not finite anywhere");
});
