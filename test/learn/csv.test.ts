// csvDataset: RFC 4180 text into a Dataset (d3-dsv's row parser), checked against dataset() built
// directly and against scikit-learn's copies of the bundled UCI data (class counts, sums).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GradstepError, InvalidOptionError, ShapeMismatchError } from "../../src/index.js";
import { csvDataset, dataset } from "../../src/learn.js";

const file = (name: string) => readFileSync(new URL(`../../bench/data/${name}`, import.meta.url), "utf8");
const matrix = (d: { X: { shape: number[]; get(i: number, j: number): number } }) => Array.from({ length: d.X.shape[0] }, (_, i) => Array.from({ length: d.X.shape[1] }, (_, j) => d.X.get(i, j)));
const vector = (d: { y: { shape: number[]; get(i: number): number } }) => Array.from({ length: d.y.shape[0] }, (_, i) => d.y.get(i));

describe("csvDataset", () => {
  it("reads quoted fields, CRLF line ends and a final line end, as dataset() would be given the numbers", () => {
    const text = 'a,"b, quoted",y\r\n1, 2.5 ,3\r\n"4",-5e-1,6\r\n';
    const data = csvDataset(text);
    const direct = dataset([[1, 2.5], [4, -0.5]], [3, 6]);
    expect(matrix(data)).toEqual(matrix(direct));
    expect(vector(data)).toEqual(vector(direct));
    expect([data.featureNames, data.targetName]).toEqual([["a", "b, quoted"], "y"]);
  });

  it("takes the target and the features by name or index, and text without a header", () => {
    const text = "x1;x2;label;x3\n1;2;0;3\n4;5;1;6\n";
    const byName = csvDataset(text, { delimiter: ";", target: "label", features: ["x3", "x1"] });
    expect(matrix(byName)).toEqual([[3, 1], [6, 4]]);
    expect(vector(byName)).toEqual([0, 1]);
    const byIndex = csvDataset("1,2,0\n4,5,1\n", { header: false, target: 2 });
    expect(matrix(byIndex)).toEqual([[1, 2], [4, 5]]);
    expect(byIndex.featureNames).toEqual(["column 0", "column 1"]);
  });

  it.each([
    ["a cell that is not a number", "a,b\n1,2\n3,x\n", {}, InvalidOptionError, 'line 3, column "b"'],
    ["an empty cell", "a,b\n1,\n", {}, InvalidOptionError, 'line 2, column "b"'],
    ["a short row", "a,b,c\n1,2,3\n4,5\n", {}, ShapeMismatchError, "line 3"],
    ["an unknown target", "a,b\n1,2\n", { target: "z" }, InvalidOptionError, "target"],
    ["a feature that is the target", "a,b\n1,2\n", { features: ["b"] }, InvalidOptionError, "features"],
    ["an unknown option", "a,b\n1,2\n", { headers: true }, InvalidOptionError, "headers"],
    ["a header and nothing else", "a,b\n", {}, ShapeMismatchError, "text"],
  ])("refuses %s, naming it", (_, text, options, type, argument) => {
    let error: unknown;
    try {
      csvDataset(text, options as never);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(type);
    expect((error as GradstepError).argument).toBe(argument);
  });

  it("reads the bundled UCI data as scikit-learn has it", () => {
    const digits = csvDataset(file("digits.csv"), { target: "digit" });
    expect(digits.X.shape).toEqual([1797, 64]);
    const counts = new Array(10).fill(0);
    vector(digits).forEach((c) => counts[c]++);
    expect(counts).toEqual([178, 182, 177, 183, 181, 182, 181, 179, 174, 180]); // numpy.bincount(load_digits().target)
    expect(matrix(digits).flat().reduce((a, b) => a + b, 0)).toBe(561718);
    const iris = csvDataset(file("iris.csv"), { target: "species" });
    const sums = [0, 1, 2, 3].map((j) => matrix(iris).reduce((s, row) => s + row[j], 0));
    [876.5, 458.6, 563.7, 179.9].forEach((want, j) => expect(sums[j]).toBeCloseTo(want, 10));
    const wine = csvDataset(file("wine.csv"), { target: "cultivar" });
    expect(wine.X.shape).toEqual([178, 13]);
    expect(matrix(wine).reduce((s, row) => s + row[12], 0)).toBe(132947);
  });
});
