// Bundled by scripts/browser/check.mjs for the learn page, served under a CSP without 'unsafe-eval':
// gradstep/learn must import (no code generated at import: ndarray-ops, which did, is gone from its
// import path) and minimize must run on an objective that needs no dataset.
let evalBlocked = false;
try {
  new Function("return 1")();
} catch (e) {
  evalBlocked = e instanceof EvalError;
}

async function run() {
  const { Adam } = await import("gradstep");
  const learn = await import("gradstep/learn");
  const params = Float64Array.of(-1.2, 1);
  const result = learn.minimize({ objective: learn.rosenbrock(), optimizer: new Adam({ lr: 0.02 }), params, steps: 2000, record: { every: 500 } });
  // Building a dataset still compiles ndarray's constructor at run time (reported, not asserted).
  let dataset = "ok";
  try {
    learn.dataset([[0], [1]], [0, 1]);
  } catch (e) {
    dataset = `${e.name}: ${e.message}`;
  }
  return { evalBlocked, imported: typeof learn.fitStandardizer === "function", reason: result.reason, start: result.losses[0], loss: result.loss, dataset };
}

run().then(
  (result) => (globalThis.__result = result),
  (error) => (globalThis.__result = { error: String((error && error.stack) || error) }),
);
