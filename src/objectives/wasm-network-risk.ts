import { currentRuntime } from "../backends/backend.js";
import type { WasmRuntime } from "../backends/wasm/wasm-runtime.js";
import type { DenseNetwork } from "../models/dense-network.js";
import { stageRows } from "./stage-rows.js";

/**
 * A network risk's evaluation on the WebAssembly path: false, having written nothing, where it does
 * not take these arguments (a row index outside the data, more rows than the data have), so that the
 * caller takes the JavaScript path; else true, with grad and out[0] written as the JavaScript path
 * (Network.accumulate) writes them.
 */
export type WasmNetworkEvaluate = (theta: Float64Array, grad: Float64Array | null, rows: Int32Array | null, count: number, out: Float64Array) => boolean;

/** Gives the risk's block back when its network risk is garbage-collected. */
const registry = typeof FinalizationRegistry === "function" ? new FinalizationRegistry<{ rt: WasmRuntime; address: number }>(({ rt, address }) => rt.release(address)) : undefined;

/** network-batch.wat's activation codes. */
const CODES = { identity: 0, tanh: 1, relu: 2, sigmoid: 3 } as const;

/** i32s a layer in the layer table (network-batch.wat). */
const LAYER_INTS = 8;

/**
 * The WebAssembly path of a network risk (src/objectives/network-batch.wat: a batch in one call,
 * bit-identical to the JavaScript path), or undefined where there is none: the JavaScript backend, or
 * data that do not fit in the memory budget. X (n × d values, row-major) and y (n) are the risk's own
 * copies of its data (network-risk.ts makes them, once); they go into the Wasm memory here, one block
 * copy each, beside the layer table and the scratch (activations and deltas, the width of the layers;
 * a transposed copy of each layer's b and W, made at each call).
 * θ and the batch's row indices are copied in, the gradient and the value out, at each call. Nothing
 * is allocated per call.
 */
export function wasmNetworkRisk(network: DenseNetwork, X: Float64Array, y: Float64Array, mean: boolean): WasmNetworkEvaluate | undefined {
  const rt = currentRuntime();
  if (rt === undefined) return undefined;
  const { layers, parameterCount: size } = network;
  const n = y.length;
  const depth = layers.length;
  // a_l's offsets in the activations (and the deltas), as Network lays them out: a_0 (the input) first
  const at = [0];
  for (const layer of layers) at.push(at[at.length - 1] + layer.inputs);
  const width = at[depth] + layers[depth - 1].outputs;
  // each layer's b and Wᵀ in the transposed block: n_in + 1 rows of n_out rounded up to 4
  const transposedAt = [0];
  for (const layer of layers) transposedAt.push(transposedAt[transposedAt.length - 1] + (layer.inputs + 1) * ((layer.outputs + 3) & ~3));
  // One block: θ, the gradient, the value, the transposed b and W, the activations, the deltas, X, y,
  // the layer table (8 int32 a layer), the rows (n int32).
  const thetaAt = 0;
  const gradAt = size;
  const outAt = 2 * size;
  const wtAt = outAt + 2; // (its rows 16-byte aligned: the block is)
  const aAt = wtAt + transposedAt[depth];
  const deltaAt = aAt + width;
  const XAt = deltaAt + width;
  const yAt = XAt + X.length;
  const layersAt = yAt + n;
  const rowsAt = layersAt + (depth * LAYER_INTS) / 2;
  const base = rt.allocate(rowsAt + Math.ceil(n / 2));
  if (base < 0) return undefined;
  const first = base / 8;
  let heap = rt.heapView();
  heap.set(X, first + XAt);
  heap.set(y, first + yAt);
  let ints = new Int32Array(heap.buffer);
  layers.forEach((layer, l) => {
    const row = (base + layersAt * 8) / 4 + l * LAYER_INTS;
    ints.set([layer.inputs, layer.outputs, CODES[layer.activation], layer.weightOffset * 8, layer.biasOffset * 8, at[l] * 8, at[l + 1] * 8, transposedAt[l] * 8], row);
  });
  const softmax = network.output === "softmax" ? 1 : 0;
  const evaluate: WasmNetworkEvaluate = (theta, grad, rows, count, out) => {
    if (rt.heapView() !== heap) {
      heap = rt.heapView(); // the memory grew: new views
      ints = new Int32Array(heap.buffer);
    }
    if ((count | 0) !== count || count < 0 || count > n) return false; // (as the empirical risk's Wasm path)
    if (rows !== null && !stageRows(ints, (base + rowsAt * 8) / 4, rows, count, n)) return false;
    heap.set(theta, first + thetaAt);
    rt.networkBatch(
      base + layersAt * 8, depth, base + thetaAt * 8, grad === null ? 0 : base + gradAt * 8, size, base + wtAt * 8, base + aAt * 8, base + deltaAt * 8,
      base + XAt * 8, base + yAt * 8, rows === null ? 0 : base + rowsAt * 8, rows === null ? n : count, softmax, mean ? 1 : 0, base + outAt * 8,
    );
    if (grad !== null) for (let i = 0; i < size; i++) grad[i] = heap[first + gradAt + i];
    out[0] = heap[first + outAt];
    return true;
  };
  registry?.register(evaluate, { rt, address: base });
  return evaluate;
}
