// dispose() called from inside restore (a getter of the snapshot) — the restore then goes on and
// gives a disposed optimizer Wasm state that nothing will release but the garbage collector.
import { Adam, backendInfo, DisposedError, setBackend } from "gradstep";
import { afterEach, expect, test } from "vitest";

afterEach(() => setBackend("auto"));

test.skipIf(setBackend("auto").name !== "wasm")("dispose() during restore: the restore fails or the state is given back", () => {
  setBackend("auto");
  const n = 1000;
  const source = new Adam();
  source.step(new Float64Array(n), new Float64Array(n).fill(1));
  const snap = JSON.parse(JSON.stringify(source.snapshot()));
  source.dispose();
  const opt = new Adam();
  const used = backendInfo().memoryUsed;
  const buffers = snap.buffers;
  delete snap.buffers;
  Object.defineProperty(snap, "buffers", { enumerable: true, get: () => (opt.dispose(), buffers) });
  let failed: unknown;
  try {
    opt.restore(snap);
  } catch (e) {
    failed = e;
  }
  expect(() => opt.snapshot()).toThrow(DisposedError);
  // Either the restore refused (DisposedError) or it left no Wasm memory held by a disposed optimizer.
  if (failed === undefined) expect(backendInfo().memoryUsed).toBe(used); // today: + 2·8·n bytes
});
