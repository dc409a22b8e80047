// Bundled by scripts/browser/check.mjs for the training page: minimizeAsync on the bundled UCI
// digits must keep the page responsive — no task over 50 ms while it runs (Chromium's long-task
// entries), timers firing between its slices — and give minimize's parameters to the bit.
import digitsCsv from "../../bench/data/digits.csv";

async function run() {
  const { Adam } = await import("gradstep");
  const learn = await import("gradstep/learn");
  // Is the digit a zero? Logistic regression on the 64 standardized pixel counts.
  const digits = learn.csvDataset(digitsCsv, { target: "digit" });
  const rows = Array.from({ length: digits.size }, (_, i) => Array.from({ length: 64 }, (_, j) => digits.X.get(i, j)));
  const zero = Array.from({ length: digits.size }, (_, i) => (digits.y.get(i) === 0 ? 1 : 0));
  const data = learn.standardize(learn.dataset(rows, zero)).data;
  const objective = learn.empiricalRisk(learn.logisticRegression(), learn.binaryCrossEntropy(), data);
  const options = () => ({ objective, optimizer: new Adam({ lr: 0.01 }), params: new Float64Array(65), sampler: new learn.EpochSampler({ size: digits.size, batchSize: 32, seed: 5 }), epochs: 100 });

  const blocking = options();
  const syncStart = performance.now();
  const sync = learn.minimize(blocking);
  const syncMs = performance.now() - syncStart;

  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => ({ start: e.startTime, duration: e.duration }))));
  observer.observe({ type: "longtask" });
  let ticks = 0;
  const timer = setInterval(() => ticks++, 0);
  const sliced = options();
  const asyncStart = performance.now();
  const result = await learn.minimizeAsync({ ...sliced, sliceMs: 8 });
  const asyncEnd = performance.now();
  clearInterval(timer);
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the observer deliver
  observer.disconnect();
  const during = longTasks.filter((t) => t.start >= asyncStart && t.start < asyncEnd);
  return {
    syncMs,
    asyncMs: asyncEnd - asyncStart,
    steps: result.steps,
    loss: result.loss,
    startLoss: objective.evaluate(new Float64Array(65), null),
    same: sliced.params.every((x, i) => Object.is(x, blocking.params[i])) && result.loss === sync.loss,
    ticks,
    longTasks: during,
    longTaskObserved: longTasks.length > 0, // the blocking run itself must have been seen as one
  };
}

run().then(
  (result) => (globalThis.__result = result),
  (error) => (globalThis.__result = { error: String((error && error.stack) || error) }),
);
