// Run by wasm-backend.test.ts in a child process: a Node without process.getBuiltinModule (before
// 20.16 and 22.3), where no worker can start. Steps must run on one thread, and backendInfo must say
// why (it said threads: false with no reason).
delete (process as { getBuiltinModule?: unknown }).getBuiltinModule;
const { Adam, allocateVector, backendInfo } = await import("gradstep");
const n = 200_000;
const params = allocateVector(n);
const grad = allocateVector(n);
grad.fill(1);
const before = backendInfo();
const opt = new Adam();
for (let t = 0; t < 3; t++) opt.step(params, grad);
const after = backendInfo();
console.log(JSON.stringify({ before: before.threads, threads: after.threads, reason: after.threadsReason, halves: after.workerHalves, first: params[0] }));
