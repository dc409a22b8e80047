// Bundled by scripts/browser/check.mjs for each test page: picks the backend as a user's page would,
// runs Adam on both backends (threads on, from a small threshold) and reports what happened.
import { Adam, allocateVector, backendInfo, setBackend } from "gradstep";

async function run() {
  const n = 65537; // odd: the worker's half ends with the scalar tail; large enough for the worker to wake in time
  const info = setBackend("auto", { threadThreshold: 1024 });
  const params = allocateVector(n);
  const grad = allocateVector(n);
  const reference = new Float64Array(n);
  const wasm = new Adam({ lr: 0.01, amsgrad: true });
  setBackend("js");
  const js = new Adam({ lr: 0.01, amsgrad: true });
  setBackend("auto", { threadThreshold: 1024 });
  wasm.step(params, grad); // starts the worker where threads can run
  js.step(reference, grad);
  for (let i = 0; i < 200 && backendInfo().threads && !backendInfo().workerReady; i++) await new Promise((r) => setTimeout(r, 10));
  let same = true;
  for (let t = 0; t < 50; t++) {
    for (let i = 0; i < n; i++) grad[i] = Math.sin(0.1 * t + i) * (1 + (i % 7));
    wasm.step(params, grad);
    js.step(reference, grad);
    for (let i = 0; i < n; i++) if (!Object.is(params[i], reference[i])) same = false;
  }
  let refused = false;
  grad[n - 1] = Number.NaN;
  try {
    wasm.step(params, grad);
  } catch (e) {
    refused = e.name === "NonFiniteGradientError";
  }
  return { info, after: backendInfo(), backend: wasm.backend, same, refused, isolated: globalThis.crossOriginIsolated === true, first: params[0] };
}

run().then(
  (result) => (globalThis.__result = result),
  (error) => (globalThis.__result = { error: String(error && error.stack || error) }),
);
