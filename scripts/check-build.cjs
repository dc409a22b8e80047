// Smoke test of the built package (run by .ci/run after `npm run build`): both entry points load
// in CommonJS and as ES modules, share one copy of the error classes, and the core entry works
// where code generation from strings is forbidden (strict CSP, some edge runtimes).
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const path = require("node:path");

const dist = path.join(__dirname, "..", "dist");
const core = require(path.join(dist, "index.cjs"));
const learn = require(path.join(dist, "learn.cjs"));
assert.throws(() => learn.dataset([], []), (e) => e instanceof core.GradstepError, "learn's errors must be core's classes (CommonJS)");
const J = learn.empiricalRisk(learn.linearRegression(), learn.sumOfSquares(), learn.udlLinearData());
assert.equal(J.evaluate(Float64Array.of(0.6, -0.2), null).toFixed(3), "12.367");

const esm = `
  const core = await import(${JSON.stringify(path.join(dist, "index.js"))});
  const learn = await import(${JSON.stringify(path.join(dist, "learn.js"))});
  try { learn.dataset([], []); process.exit(2); } catch (e) { if (!(e instanceof core.GradstepError)) process.exit(3); }
`;
execFileSync(process.execPath, ["--input-type=module", "-e", esm], { stdio: "inherit" });

const strict = `
  const g = require(${JSON.stringify(path.join(dist, "index.cjs"))});
  const p = new Float64Array(3);
  new g.Adam({ lr: { kind: "cosine", initial: 0.1, final: 0, period: 10 } }).step(p, Float64Array.of(1, 2, 3));
  if (!(p[0] < 0)) process.exit(4);
`;
execFileSync(process.execPath, ["--disallow-code-generation-from-strings", "-e", strict], { stdio: "inherit" });
console.log("build check: both entry points load in CommonJS and ESM, share their classes, and the core runs without code generation");
