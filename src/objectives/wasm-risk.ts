import { currentRuntime } from "../backends/backend.js";
import type { WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import { batchForm } from "./batch-forms.js";
import { stageRows } from "./stage-rows.js";

/**
 * An empirical risk's evaluation on the WebAssembly path: false, having written nothing, where it
 * does not take these arguments (a row index outside the data, more rows than the data have), so that the caller takes the
 * JavaScript path; else true, with grad and out[0] written as the JavaScript path writes them.
 * With `value` false, out[0] is only finite exactly where the loss is (risk-batch.wat).
 */
export type WasmEvaluate = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array, value: boolean) => boolean;

/** Gives the data's block back when its empirical risk is garbage-collected. */
const registry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry<{ rt: WasmRuntime; address: number }>(({ rt, address }) => rt.release(address)) : undefined;

/**
 * The WebAssembly path of an empirical risk (src/objectives/risk-batch.wat: a batch in one call,
 * bit-identical to the JavaScript path), or undefined where there is none: the JavaScript backend,
 * a model or a loss the Wasm batch does not know, or data that do not fit in the memory budget.
 * X (n × d values, row-major) and y (n) are the risk's own copies of its data (empirical-risk.ts
 * makes them, once, whatever the data's layout); they go into the Wasm memory here as they are, one
 * block copy each (so that a batch reads its rows in place there); θ, the batch's row indices and the
 * gradient are copied in and out at each call (d + 1 and `count` numbers). Nothing is allocated per call.
 */
export function wasmRisk(model: object, loss: object, X: Float64Array, y: Float64Array, d: number): WasmEvaluate | undefined {
  const form = batchForm(model, loss);
  const rt = form < 0 ? undefined : currentRuntime();
  if (rt === undefined) return undefined;
  const n = y.length;
  // One block: θ (d + 1), the gradient (d + 1), the value, X (n × d, row-major), y (n), the rows (n int32).
  const thetaAt = 0;
  const gradAt = d + 1;
  const outAt = 2 * (d + 1);
  const XAt = outAt + 1;
  const yAt = XAt + n * d;
  const rowsAt = yAt + n;
  const base = rt.allocate(rowsAt + Math.ceil(n / 2));
  if (base < 0) return undefined;
  const first = base / 8;
  let heap = rt.heapView();
  heap.set(X, first + XAt);
  heap.set(y, first + yAt);
  let ints = new Int32Array(heap.buffer);
  const evaluate: WasmEvaluate = (theta, grad, rows, count, out, value) => {
    if (rt.heapView() !== heap) {
      heap = rt.heapView(); // the memory grew: new views
      ints = new Int32Array(heap.buffer);
    }
    if ((count | 0) !== count || count < 0 || count > n) return false; // (the JavaScript path's buffers are n long)
    if (rows !== null && !stageRows(ints, (base + rowsAt * 8) / 4, rows, count, n)) return false;
    heap.set(theta, first + thetaAt);
    rt.riskBatch(form, base + thetaAt * 8, grad === null ? 0 : base + gradAt * 8, base + XAt * 8, base + yAt * 8, rows === null ? 0 : base + rowsAt * 8, rows === null ? n : count, d, value || grad === null ? 1 : 0, base + outAt * 8);
    if (grad !== null) for (let i = 0; i <= d; i++) grad[i] = heap[first + gradAt + i];
    out[0] = heap[first + outAt];
    return true;
  };
  registry?.register(evaluate, { rt, address: base });
  return evaluate;
}

