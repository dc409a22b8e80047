// grad may be params itself or another view of the same doubles: the same answer on every path
// (JS kernels, Wasm copied, Wasm in place, and a view of the shared memory's newer buffer object).
import { allocateVector, backendInfo, releaseVector, setBackend } from "gradstep";
import { afterEach, expect, test } from "vitest";
import { allRules, bytes, gradientAt } from "../helpers.js";

afterEach(() => setBackend("auto"));
const wasm = setBackend("auto").name === "wasm" && backendInfo().sharedMemory;

test.skipIf(!wasm).each(allRules)("$name", ({ make }) => {
  const n = 37;
  const run = (backend: "js" | "auto", vector: () => Float64Array, alias: (v: Float64Array) => Float64Array) => {
    setBackend(backend);
    const opt = make({ lr: 0.01 });
    const p = vector();
    p.set(gradientAt(3, n));
    for (let t = 0; t < 4; t++) opt.step(p, alias(p));
    const out = Array.from(bytes(p));
    if (backend === "auto" && p.buffer instanceof SharedArrayBuffer) releaseVector(p);
    return out;
  };
  const plain = () => new Float64Array(n);
  const same = (v: Float64Array) => v;
  const otherView = (v: Float64Array) => new Float64Array(v.buffer, v.byteOffset, v.length);
  const want = run("js", plain, same);
  expect(run("js", plain, otherView)).toEqual(want);
  expect(run("auto", plain, same)).toEqual(want);
  expect(run("auto", plain, otherView)).toEqual(want);
  expect(run("auto", () => allocateVector(n), same)).toEqual(want);
  expect(run("auto", () => allocateVector(n), otherView)).toEqual(want);
  // a view of the same doubles through the memory's newer SharedArrayBuffer object
  setBackend("auto");
  const early = allocateVector(n);
  const grow = allocateVector(300_000);
  expect(grow.buffer).not.toBe(early.buffer);
  const newer = (v: Float64Array) => new Float64Array(grow.buffer, v.byteOffset, v.length);
  expect(run("auto", () => early, newer)).toEqual(want);
});
