// Run by bundle-allocation.test.ts in a plain Node process: steps every optimizer of the bundle given
// as argv[2] and prints, as JSON, the garbage collections each loop of steps started (0 when nothing
// is allocated per step). No test runner here: the code runs as users run it.
import { performance, PerformanceObserver } from "node:perf_hooks";

const { optimizerRegistry, chain, Adam, setBackend } = await import(process.argv[2]);
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Collections that started while `run()` ran. */
async function collectionsDuring(run) {
  const starts = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  const start = performance.now();
  run();
  const end = performance.now();
  await settle();
  observer.disconnect();
  return starts.filter((t) => t >= start && t <= end).length;
}

const cases = [];
for (const entry of optimizerRegistry) {
  cases.push({ name: entry.name, make: () => entry.create({ lr: 1e-9 }) });
  for (const variant of entry.variants) cases.push({ name: variant.name, make: () => entry.create({ ...variant.options, lr: 1e-9 }) });
}
cases.push({ name: "chain (clip by global norm, Adam)", make: () => chain([{ kind: "clipByGlobalNorm", maxNorm: 1 }], new Adam({ lr: 1e-9 })) });

// The JavaScript kernels on a vector long enough that an allocation per element shows (2·10^7
// elements), then each backend the suite knows on a short one, where the step's own cost dominates.
const runs = [
  { backend: "js", n: 1000, steps: 20_000 },
  { backend: "js", n: 8, steps: 200_000 },
  { backend: "auto", n: 8, steps: 200_000 },
];
const results = {};
for (const { backend, n, steps } of runs) {
  setBackend(backend);
  for (const { name, make } of cases) {
    const opt = make();
    const params = Float64Array.from({ length: n }, (_, i) => 1 + (i % 7) / 8);
    const grads = Array.from({ length: 8 }, (_, t) => Float64Array.from({ length: n }, (_, i) => Math.sin(1.3 * t + 0.7 * i) * 10 ** ((i % 5) - 2)));
    const loop = (count) => {
      for (let t = 0; t < count; t++) opt.step(params, grads[t & 7]);
    };
    // A warm-up, then up to three measurements (the compiler works on a background thread and can
    // be late on a loaded machine); a loop that allocates per step or per element fails all three.
    let collections = Infinity;
    for (let attempt = 0; attempt < 3 && collections > 0; attempt++) {
      loop(steps / 4);
      await settle();
      collections = await collectionsDuring(() => loop(steps));
    }
    results[`${name}, ${backend}, n = ${n}`] = collections;
    opt.dispose?.();
  }
}
console.log(JSON.stringify(results));
