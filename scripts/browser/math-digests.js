// Shared by the browser check (scripts/browser/check.mjs, in Node) and its math page (math-page.js, in
// Chromium): the SHA-256 (first 16 hex digits) of each math port's outputs (src/math/) and of the
// engine's own Math.* over the same seeded inputs (test/math/golden-inputs.ts). The ports' digests
// must be the same in both engines; Math.*'s may not be (that is why the models use the ports).
import { cos } from "../../src/math/cos.js";
import { exp } from "../../src/math/exp.js";
import { expm1 } from "../../src/math/expm1.js";
import { log } from "../../src/math/log.js";
import { log1p } from "../../src/math/log1p.js";
import { pow } from "../../src/math/pow.js";
import { sin } from "../../src/math/sin.js";
import { tanh } from "../../src/math/tanh.js";
import { GOLDEN_RANGES, goldenOutputs, goldenPowOutputs } from "../../test/math/golden-inputs.js";

const ports = { exp, log1p, expm1, tanh, log, sin, cos };

/** { ports: { exp: "…", … }, math: { exp: "…", … } } with the `subtle` of the engine's Web Crypto. */
export async function mathDigests(subtle) {
  const hex = async (bytes) =>
    Array.from(new Uint8Array(await subtle.digest("SHA-256", bytes)).slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  const result = { ports: {}, math: {} };
  for (const name of Object.keys(GOLDEN_RANGES)) {
    result.ports[name] = await hex(goldenOutputs(name, ports[name]));
    result.math[name] = await hex(goldenOutputs(name, Math[name]));
  }
  result.ports.pow = await hex(goldenPowOutputs(pow));
  result.math.pow = await hex(goldenPowOutputs(Math.pow));
  return result;
}
