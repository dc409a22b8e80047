// The playground's formula parser and its forward-mode gradient: values against Math written out by
// hand, gradients against central differences, and formulas that must be refused.
import { describe, expect, test } from "vitest";
import { evaluateDual, evaluateValue } from "../../docs/playground/src/dual.js";
import { ExpressionError, parseExpression } from "../../docs/playground/src/expression.js";
import { expressionObjective } from "../../docs/playground/src/expression-objective.js";

const value = (source: string, x: number, y: number) => evaluateValue(parseExpression(source), x, y);

describe("the playground's formulas", () => {
  test("precedence and associativity: ^ right to left and above unary minus, * above +", () => {
    expect(value("-x^2", 3, 0)).toBe(-9);
    expect(value("2^3^2", 0, 0)).toBe(512);
    expect(value("2^-1", 0, 0)).toBe(0.5);
    expect(value("1 - 2 - 3", 0, 0)).toBe(-4);
    expect(value("8 / 4 / 2", 0, 0)).toBe(1);
    expect(value("1 + 2 * 3", 0, 0)).toBe(7);
    expect(value("(1 + 2) * 3", 0, 0)).toBe(9);
    expect(value("--x", 2, 0)).toBe(2);
    expect(value("+x - -y", 2, 5)).toBe(7);
    expect(value("1.5e2 + .5 + 2.", 0, 0)).toBe(152.5);
    expect(value("pi", 0, 0)).toBe(Math.PI);
  });

  test("the same numbers as the formulas written in TypeScript", () => {
    const points = [[-1.2, 1], [0.3, -0.7], [2.5, 0.4]];
    const cases: [string, (x: number, y: number) => number][] = [
      ["(1 - x)^2 + 100*(y - x^2)^2", (x, y) => Math.pow(1 - x, 2) + 100 * Math.pow(y - Math.pow(x, 2), 2)],
      ["sin(x)*cos(y) + exp(-x^2) - log(1 + y^2)", (x, y) => Math.sin(x) * Math.cos(y) + Math.exp(-Math.pow(x, 2)) - Math.log(1 + Math.pow(y, 2))],
      ["sqrt(x^2 + y^2 + 1) + abs(x - y) * tanh(x*y)", (x, y) => Math.sqrt(Math.pow(x, 2) + Math.pow(y, 2) + 1) + Math.abs(x - y) * Math.tanh(x * y)],
    ];
    for (const [source, f] of cases) for (const [x, y] of points) expect(value(source, x, y)).toBe(f(x, y));
  });

  test("the gradient by dual numbers matches central differences (every operator and function)", () => {
    const formulas = [
      "(1 - x)^2 + 100*(y - x^2)^2",
      "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
      "sin(3*x) * cos(y/2) - exp(-(x^2 + y^2)) / (1 + x^2)",
      "log(2 + x^2) + sqrt(1 + y^2 + x^4) + abs(x - 2*y) + tanh(x*y)",
      "x^y + (1 + x^2)^(0.5*y) - 1/(2 + sin(x*y))",
      "-x^3 + 2^x - (x*y)^-2",
    ];
    const points = [[0.7, 1.3], [1.9, -0.6], [1.2, 0.45], [0.35, 2.2]];
    const h = 1e-6;
    for (const source of formulas) {
      const tree = parseExpression(source);
      for (const [x, y] of points) {
        const d = evaluateDual(tree, x, y);
        expect(d.v).toBe(evaluateValue(tree, x, y));
        const fx = (evaluateValue(tree, x + h, y) - evaluateValue(tree, x - h, y)) / (2 * h);
        const fy = (evaluateValue(tree, x, y + h) - evaluateValue(tree, x, y - h)) / (2 * h);
        // central differences err by O(h²·f‴) + O(ε·f/h): about 1e-8 relative here
        expect(Math.abs(d.dx - fx)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fx)));
        expect(Math.abs(d.dy - fy)).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(fy)));
      }
    }
  });

  test("the gradient in closed form: Rosenbrock's, exactly", () => {
    const f = expressionObjective("(1 - x)^2 + 100*(y - x^2)^2");
    const grad = new Float64Array(2);
    const [x, y] = [-1.2, 1];
    expect(f.evaluate(Float64Array.of(x, y), grad)).toBe(24.199999999999996);
    expect(grad[0]).toBeCloseTo(-2 * (1 - x) - 400 * x * (y - x * x), 10); // −215.6
    expect(grad[1]).toBeCloseTo(200 * (y - x * x), 12); // −88
  });

  test("refuses anything that is not a formula in x and y, saying where", () => {
    const refused: [string, RegExp][] = [
      ["", /before the end/],
      ["x +", /before the end/],
      ["(x + y", /expected "\)"/],
      ["x y", /unexpected "y"/],
      ["alert(1)", /unknown name "alert"/],
      ["constructor", /unknown name "constructor"/],
      ["x; y", /unexpected character ";"/],
      ["`x`", /unexpected character "`"/],
      ["x ** 2", /instead of "\*"/],
      ["sin x", /expected "\("/],
      ["1.5.3", /unexpected ".3"/],
      ["(".repeat(200) + "x" + ")".repeat(200), /nested more than/],
      ["x+".repeat(300) + "x", /at most 500 characters/],
    ];
    for (const [source, message] of refused) {
      expect(() => parseExpression(source), source).toThrow(ExpressionError);
      expect(() => parseExpression(source), source).toThrow(message);
    }
    expect(() => parseExpression("x y")).toThrow("at character 3");
  });
});
