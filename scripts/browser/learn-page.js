// Bundled by scripts/browser/check.mjs for the learn page, served under a CSP without 'unsafe-eval':
// gradstep/learn must import and run with no code generated from strings — a dataset built from
// CSV text, standardized (its own ndarrays are plain classes, not ndarray's compiled ones), and a linear
// regression minimised on it, whose least-squares solution is known in closed form.
let evalBlocked = false;
try {
  new Function("return 1")();
} catch (e) {
  evalBlocked = e instanceof EvalError;
}

async function run() {
  const { Adam, SGD } = await import("gradstep");
  const learn = await import("gradstep/learn");
  // A test function (no dataset).
  const params = Float64Array.of(-1.2, 1);
  const result = learn.minimize({ objective: learn.rosenbrock(), optimizer: new Adam({ lr: 0.02 }), params, steps: 2000, record: { every: 500 } });
  // y = 1 + 2x on x = 1..4: standardized, μ = 2.5 and σ = √1.25; the fit is θ = [6, 2σ] (y's mean,
  // and the slope per unit of standardized x), with zero loss.
  // The same data read from CSV text (d3-dsv's row parser, bundled; its object-row parser, which
  // compiles a function, is never called).
  const scaled = learn.standardize(learn.csvDataset('x,"y"\r\n1,3\r\n2,5\r\n3,7\r\n4,9\r\n', { target: "y" }));
  const theta = new Float64Array(2);
  const fit = learn.minimize({
    objective: learn.empiricalRisk(learn.linearRegression(), learn.sumOfSquares(), scaled.data),
    optimizer: new SGD({ lr: 0.1 }),
    params: theta,
    steps: 500,
    record: { path: false },
  });
  return {
    evalBlocked,
    reason: result.reason,
    start: result.losses[0],
    loss: result.loss,
    mean: scaled.mean[0],
    deviation: scaled.deviation[0],
    first: scaled.data.X.get(0, 0),
    fitStart: fit.losses[0],
    fitLoss: fit.loss,
    theta: Array.from(theta),
  };
}

run().then(
  (result) => (globalThis.__result = result),
  (error) => (globalThis.__result = { error: String((error && error.stack) || error) }),
);
