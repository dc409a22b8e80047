// The measure of "allocates nothing per call" shared by the allocation tests: a loop of calls must
// neither trigger a garbage collection nor grow the heap by more than 4 MB (the JIT's own code and
// feedback, compiled while the loop runs, count here). A loop that allocated even one small object
// per call (≥ 16 bytes) would fail one of the two over a few hundred thousand calls.
import { performance, type PerformanceEntry, PerformanceObserver } from "node:perf_hooks";
import { expect } from "vitest";

const GROWTH_LIMIT = 4 << 20;
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/**
 * Waits until the optimizing compiler (a background thread) has finished the functions queued for
 * it and installs their code: V8's %FinalizeOptimization, which vitest.config.ts allows in the
 * workers (--allow-natives-syntax changes nothing in what V8 compiles). Beside other work that
 * thread can be late by more than any pause, and until its code is in, a loop runs in tiers that
 * box doubles.
 */
const compilerCaughtUp = new Function("%FinalizeOptimization()") as () => void;

/**
 * Whether a "gc" entry is a collection, a scavenge or a mark-compact: not the start of an incremental
 * marking (kind 4) or the processing of weak callbacks (kind 8), phases that a mark-compact owed to
 * earlier work (external memory, the compiler's code) can put inside the loop on a loaded core. Every
 * collection the loop's garbage causes is still counted.
 */
function isCollection(entry: PerformanceEntry): boolean {
  return ((entry as PerformanceEntry & { detail: { kind: number } }).detail.kind & (4 | 8)) === 0;
}

/** GCs that started during one run of the loop, and the heap's growth over it. */
async function measure(run: (calls: number) => void, calls: number): Promise<{ collections: number; growth: number }> {
  // Only collections that started during the loop count: the test runner's own messages can
  // trigger one while we wait for the entries to be delivered.
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) if (isCollection(entry)) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ["gc"] });
  const before = process.memoryUsage().heapUsed;
  const loopStart = performance.now();
  run(calls);
  const loopEnd = performance.now();
  const growth = process.memoryUsage().heapUsed - before;
  await settle();
  observer.disconnect();
  return { collections: starts.filter((start) => start >= loopStart && start <= loopEnd).length, growth };
}

/**
 * Runs `run(calls)` after a warm-up and asserts it neither collected garbage nor grew the heap. The
 * test runner shares the process and allocates now and then (its messages to the main process), so
 * under load one measurement in a few sees a collection that is not the loop's: up to five tries,
 * one of which must be clean. A loop that allocated per call would fail all of them.
 */
export async function expectNoAllocation(run: (calls: number) => void, calls = 1_000_000): Promise<void> {
  run(Math.min(50_000, calls)); // let the JIT finish with this code first
  compilerCaughtUp();
  await settle();
  let result = await measure(run, calls);
  // A function deoptimized by the warm-up's last calls is queued again only by later calls: each
  // retry first runs a longer warm-up.
  for (let attempt = 1; attempt < 5 && (result.collections > 0 || result.growth >= GROWTH_LIMIT); attempt++) {
    run(Math.min(200_000, calls));
    compilerCaughtUp();
    await settle();
    result = await measure(run, calls);
  }
  expect(result.collections).toBe(0);
  expect(result.growth).toBeLessThan(GROWTH_LIMIT);
}
