// The child process of memory.test.ts (and of `npm run test:memory`): `sync|async N LENGTH [BUDGET]`
// creates, steps and drops N Adam optimizers of LENGTH parameters (on allocateVector's vectors,
// without dispose), then prints the Wasm memory's size and use, the budget, the process's peak RSS
// and how many optimizers kept their state in JavaScript memory, as JSON.
import { Adam, allocateVector, backendInfo, setBackend } from "../../src/index.js";

const [mode, count, size, budget] = process.argv.slice(2);
if (budget !== undefined) setBackend("auto", { memoryBudget: Number(budget) });
const n = Number(size);
const params = allocateVector(n);
const grad = allocateVector(n);
grad.fill(1e-3);
let inJs = 0;
let peakRss = 0;
const once = (i: number) => {
  const opt = new Adam({ lr: 1e-3 });
  opt.step(params, grad);
  if (opt.backend === "js") inJs += 1;
  if (i % 1000 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
};
if (mode === "sync") {
  for (let i = 0; i < Number(count); i++) once(i);
} else {
  for (let i = 0; i < Number(count); i++) {
    once(i);
    if (i % 100 === 0) await new Promise((resolve) => setImmediate(resolve));
  }
}
peakRss = Math.max(peakRss, process.memoryUsage().rss);
const info = backendInfo();
process.stdout.write(JSON.stringify({ backend: info.name, memoryBytes: info.memoryBytes, memoryUsed: info.memoryUsed, memoryBudget: info.memoryBudget, peakRss, inJs }));
