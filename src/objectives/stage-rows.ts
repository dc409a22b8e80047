/**
 * A batch's row indices into a risk's block of Wasm memory (`ints`, from int32 index `at`), each
 * checked against the n rows of its data: false, with the batch left to the JavaScript path (which
 * reports a bad row as it always has), where one is not a row.
 */
export function stageRows(ints: Int32Array, at: number, rows: Int32Array, count: number, n: number): boolean {
  for (let k = 0; k < count; k++) {
    const r = rows[k];
    if (!(r >= 0 && r < n)) return false;
    ints[at + k] = r;
  }
  return true;
}
