import { InvalidOptionError, ShapeMismatchError } from "../errors.js";

/**
 * What an evaluation of an objective over N examples checks before it writes anything: θ and the
 * gradient (or null) Float64Arrays of its dimension, and a batch of `count` row indices in [0, N),
 * 1 ≤ count ≤ rows.length. A row out of range read undefined data into a silent NaN (and the Wasm
 * path truncated a fractional one to another row); a count of 1.5 divided a mean by 1.5. Kept
 * small: it runs at every step, inside minimize's loop, whose inlining budget it shares (a larger
 * check pushed a call out of it, and its returned number was boxed: an allocation per step).
 * @internal
 */
export function checkEvaluation(theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, dimension: number, examples: number): void {
  if (typeof theta !== "object" || theta === null || theta.length !== dimension) throw new ShapeMismatchError("theta", theta, `a Float64Array of length ${dimension}`);
  if (grad !== null && (typeof grad !== "object" || grad.length !== dimension)) throw new ShapeMismatchError("grad", grad, `a Float64Array of length ${dimension}`);
  if (rows !== null) checkRows(rows, count, examples);
}

function checkRows(rows: Int32Array, count: number, examples: number): void {
  const length = (rows as { length?: unknown } | undefined)?.length;
  if (typeof length !== "number" || typeof rows === "string") throw new InvalidOptionError("rows", rows, "an Int32Array of row indices, or null for all the data");
  if (!Number.isSafeInteger(count) || count < 1 || count > length) throw new InvalidOptionError("count", count, `a whole number in [1, ${length}] (rows.length)`);
  for (let k = 0; k < count; k++) {
    const row = rows[k];
    if (!(Number.isInteger(row) && row >= 0 && row < examples)) throw new InvalidOptionError(`rows[${k}]`, row, `a row index in [0, ${examples})`);
  }
}
