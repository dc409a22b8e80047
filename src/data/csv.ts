// CSV parsing is d3-dsv's (bundled into gradstep/learn): its row parser only, which builds arrays of
// strings. (Its object-row `csvParse` compiles a function with `new Function`, which a strict
// Content-Security-Policy forbids; it is never called here.)
import { dsvFormat } from "d3-dsv";
import { InvalidOptionError, ShapeMismatchError } from "../errors.js";
import { type Dataset, dataset } from "./dataset.js";

/**
 * Options of {@link csvDataset}.
 *
 * @example
 * ```ts
 * const options: CsvOptions = { target: "species", features: ["petal_length", "petal_width"] };
 * ```
 */
export interface CsvOptions {
  /** Whether the first row names the columns. @defaultValue true */
  header?: boolean;
  /** The column of the targets y: its name (with a header) or its index. @defaultValue `undefined`: the last column */
  target?: string | number;
  /** The columns of the inputs X, in order: names or indices. @defaultValue `undefined`: every column but the target */
  features?: readonly (string | number)[];
  /** The separator: one character. @defaultValue `","` */
  delimiter?: string;
}

/**
 * A {@link Dataset} read from delimiter-separated text, and the names of its columns.
 *
 * @example
 * ```ts
 * const { featureNames, targetName, size } = csvDataset("x,y\n0,1\n1,3\n");
 * // ["x"], "y", 2
 * ```
 */
export interface CsvDataset extends Dataset {
  /** The names of X's columns, in order (`"column 3"` without a header). */
  readonly featureNames: readonly string[];
  /** The name of y's column. */
  readonly targetName: string;
}

/**
 * Reads a dataset from CSV (RFC 4180: quoted fields, `""` inside quotes, CRLF or LF line ends; by
 * d3-dsv's parser): one example per row, the target in one column (the last, unless `target` says
 * otherwise), the inputs in the others (or those `features` lists). Every cell used must be a number
 * as JavaScript's `Number` reads it, after trimming spaces; a blank line at the end is ignored. A
 * cell that is not a finite number, or a row with a different number of cells, throws a typed error
 * naming the line and the column (`line 12, column "petal_width"`), before anything is built.
 *
 * @example
 * ```ts
 * const data = csvDataset("sepal_length,sepal_width,species\n5.1,3.5,0\n7.0,3.2,1\n6.3,3.3,2\n", { target: "species" });
 * data.X.shape; // [3, 2]
 * ```
 *
 * @throws {@link index!InvalidOptionError | InvalidOptionError} for a malformed option, an unknown column, or a cell that is not a number.
 * @throws {@link index!ShapeMismatchError | ShapeMismatchError} for text without rows, or rows with different numbers of cells.
 */
export function csvDataset(text: string, options: CsvOptions = {}): CsvDataset {
  if (typeof text !== "string") throw new InvalidOptionError("text", text, "the CSV text, a string");
  if (typeof options !== "object" || options === null || Array.isArray(options)) throw new InvalidOptionError("options", options, "an object with the options header, target, features, delimiter");
  for (const key of Object.keys(options)) {
    if (!["header", "target", "features", "delimiter"].includes(key)) throw new InvalidOptionError(key, (options as Record<string, unknown>)[key], "one of the options header, target, features, delimiter");
  }
  // Each option read once: what is checked is what is used (a getter may answer differently twice).
  const { header = true, delimiter = ",", target: targetOption, features: featuresOption } = options;
  if (typeof header !== "boolean") throw new InvalidOptionError("header", header, "true or false");
  if (typeof delimiter !== "string" || delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") throw new InvalidOptionError("delimiter", delimiter, "one character other than a quote or a line end");
  const rows = dsvFormat(delimiter).parseRows(text);
  // blank lines at the end are ignored (d3 drops only the last line end)
  while (rows.length > 0 && rows[rows.length - 1].length === 1 && rows[rows.length - 1][0].trim() === "") rows.pop();
  const first = header ? 1 : 0;
  if (rows.length <= first) throw new ShapeMismatchError("text", text, header ? "a header line and at least one row" : "at least one row");
  const width = rows[0].length;
  const names = header ? rows[0].map((name) => name.trim()) : rows[0].map((_, j) => `column ${j}`);
  const column = (key: string | number, argument: string): number => {
    if (typeof key === "number") {
      if (Number.isInteger(key) && key >= 0 && key < width) return key;
      throw new InvalidOptionError(argument, key, `a column index from 0 to ${width - 1}`);
    }
    const j = typeof key === "string" ? names.indexOf(key) : -1;
    if (j < 0) throw new InvalidOptionError(argument, key, `a column of the text: ${names.map((n) => JSON.stringify(n)).join(", ")}`);
    return j;
  };
  const target = column(targetOption ?? width - 1, "target");
  if (featuresOption !== undefined && !Array.isArray(featuresOption)) throw new InvalidOptionError("features", featuresOption, "an array of column names or indices");
  const features = featuresOption === undefined ? names.map((_, j) => j).filter((j) => j !== target) : Array.from(featuresOption, (key, i) => column(key, `features[${i}]`));
  if (features.length === 0) throw new InvalidOptionError("features", featuresOption, "at least one input column");
  if (features.includes(target)) throw new InvalidOptionError("features", featuresOption, `columns other than the target ${JSON.stringify(names[target])}`);
  const n = rows.length - first;
  const X = Array.from({ length: n }, () => new Float64Array(features.length));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const row = rows[first + i];
    const line = first + i + 1;
    if (row.length !== width) throw new ShapeMismatchError(`line ${line}`, row.join(delimiter), `${width} cells, as line 1 has`);
    const read = (j: number): number => {
      const cell = row[j].trim();
      const value = cell === "" ? NaN : Number(cell);
      if (!Number.isFinite(value)) throw new InvalidOptionError(`line ${line}, column ${JSON.stringify(names[j])}`, row[j], "a finite number");
      return value;
    };
    features.forEach((j, k) => {
      X[i][k] = read(j);
    });
    y[i] = read(target);
  }
  return Object.freeze({ ...dataset(X, y), featureNames: Object.freeze(features.map((j) => names[j])), targetName: names[target] });
}
