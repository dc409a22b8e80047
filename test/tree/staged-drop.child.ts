// Run by staged-gradients.test.ts: steps and drops 200 trees of plain leaves on the
// Wasm backend without dispose(), then collects garbage until their memory (the leaves' state and
// the staged gradients' block) is back, and prints the Wasm memory's use before and after, as JSON.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Adam, backendInfo, setBackend, tree } from "../../src/index.js";

setBackend("wasm");
setFlagsFromString("--expose-gc");
const collect = runInNewContext("gc") as () => void; // (a context made after the flag has gc)
const warm = new Adam({ lr: 0.01 }); // the runtime's scratch blocks, kept by every optimizer, sized first
warm.step(new Float64Array(1000), new Float64Array(1000));
warm.dispose();
const before = backendInfo().memoryUsed;
const params = { w: new Float64Array(1000), b: new Float64Array(40) };
const grad = { w: new Float64Array(1000).fill(0.5), b: new Float64Array(40).fill(0.25) };
let peak = 0;
/** One tree stepped twice (the block is taken at the second step), then dropped. */
function stepAndDrop(): void {
  const opt = tree(new Adam({ lr: 0.01 }));
  opt.step(params, grad);
  opt.step(params, grad);
  peak = Math.max(peak, backendInfo().memoryUsed);
}
// (in a function: a local of the module's own code, which awaits below, would keep the last tree alive)
for (let i = 0; i < 200; i++) stepAndDrop();
for (let round = 0; round < 50 && backendInfo().memoryUsed !== before; round++) {
  collect();
  await new Promise((resolve) => setTimeout(resolve, 10));
}
process.stdout.write(JSON.stringify({ before, peak, after: backendInfo().memoryUsed }));
