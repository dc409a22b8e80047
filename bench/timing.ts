// Timing helpers: warm-up, repeated samples, interleaved contenders (A, B, A, B, …) so that drift in
// the machine's speed hits every contender alike; results are compared as ratios within one run.

/** Median and range of one contender's samples, in nanoseconds per call. */
export interface Timing {
  median: number;
  min: number;
  max: number;
  /** Every sample, in the order taken (sample s of every contender comes from the same round). */
  samples: number[];
}

function now(): number {
  return Number(process.hrtime.bigint());
}

/** How many calls of `fn` take about `targetMs`, so one sample is long enough to time. */
export function callsFor(fn: () => void, targetMs: number): number {
  let calls = 1;
  for (;;) {
    const start = now();
    for (let i = 0; i < calls; i++) fn();
    const elapsed = (now() - start) / 1e6;
    if (elapsed >= targetMs / 4 || calls >= 1 << 30) return Math.max(1, Math.round((calls * targetMs) / Math.max(elapsed, 1e-3)));
    calls *= 4;
  }
}

/**
 * Times each contender `samples` times, interleaved, after a warm-up of each.
 * @returns nanoseconds per call for each contender, in the order given.
 */
export function interleaved(contenders: (() => void)[], samples: number, sampleMs: number): Timing[] {
  const calls = contenders.map((fn) => callsFor(fn, sampleMs));
  const times: number[][] = contenders.map(() => []);
  for (let s = 0; s < samples; s++) {
    contenders.forEach((fn, c) => {
      const start = now();
      for (let i = 0; i < calls[c]; i++) fn();
      times[c].push((now() - start) / calls[c]);
    });
  }
  return times.map((t) => {
    const sorted = [...t].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    return { median, min: sorted[0], max: sorted[sorted.length - 1], samples: t };
  });
}
