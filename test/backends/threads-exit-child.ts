// Run by wasm-backend.test.ts in a child process: large steps start the worker thread; then the
// script simply ends. The process must exit on its own (the worker never keeps it alive).
import { Adam, allocateVector, backendInfo } from "gradstep";

const n = 200_000;
const params = allocateVector(n);
const grad = allocateVector(n);
grad.fill(1);
const opt = new Adam();
opt.step(params, grad); // starts the worker
const deadline = Date.now() + 60_000; // the worker starts in well under a second; 60 s for a slow, loaded machine
while (!backendInfo().workerReady && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
for (let t = 0; t < 20; t++) opt.step(params, grad);
console.log(JSON.stringify({ ready: backendInfo().workerReady, steps: opt.stepCount, first: params[0] }));
