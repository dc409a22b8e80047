import type { Schedule } from "./schedule.js";

// An optimizer evaluates its schedules before every step, so evaluation must not allocate. Reading
// numbers from schedule objects of many shapes goes through the JIT's generic property loads, which
// box doubles; so a checked schedule is first compiled into a Float64Array "program" that the
// evaluator reads by index. Layout: [kind, fields…]; for `sequence`, [kind, k, boundaries…,
// offsets of the k + 1 sub-programs…, sub-programs…].

const KIND = {
  constant: 0,
  step: 1,
  multiStep: 2,
  exponential: 3,
  cosine: 4,
  linear: 5,
  polynomial: 6,
  oneCycle: 7,
  cosineRestarts: 8,
  piecewise: 9,
  sequence: 10,
} as const;

function encode(s: Schedule): number[] {
  switch (s.kind) {
    case "constant":
      return [KIND.constant, s.value];
    case "step":
      return [KIND.step, s.initial, s.gamma, s.stepSize];
    case "multiStep":
      return [KIND.multiStep, s.initial, s.gamma, s.milestones.length, ...s.milestones];
    case "exponential":
      return [KIND.exponential, s.initial, s.gamma];
    case "cosine":
      return [KIND.cosine, s.initial, s.final, s.period, s.after === "continue" ? 0 : 1];
    case "linear":
      return [KIND.linear, s.initial, s.final, s.steps];
    case "polynomial":
      return [KIND.polynomial, s.initial, s.final ?? 0, s.steps, s.power ?? 1];
    case "oneCycle":
      return [KIND.oneCycle, s.initial, s.peak, s.final, s.totalSteps, s.warmupFraction ?? 0.3, s.anneal === "linear" ? 1 : 0, s.threePhase ? 1 : 0];
    case "cosineRestarts":
      return [KIND.cosineRestarts, s.initial, s.final, s.period, s.periodMultiplier ?? 1];
    case "piecewise":
      return [KIND.piecewise, s.boundaries.length, ...s.boundaries, ...s.values];
    case "sequence": {
      const k = s.boundaries.length;
      const children = s.schedules.map(encode);
      const head = [KIND.sequence, k, ...s.boundaries];
      let offset = head.length + k + 1;
      const offsets = children.map((child) => {
        const at = offset;
        offset += child.length;
        return at;
      });
      return [...head, ...offsets, ...children.flat()];
    }
  }
}

/** Compiles a checked schedule into the program {@link evaluateProgram} reads. */
export function compileSchedule(s: Schedule): Float64Array {
  // Padding: the evaluator reads three fields ahead whatever the kind, and a read past the end of a
  // typed array yields undefined, which would make those numbers tagged, and boxed, in JIT code.
  return Float64Array.from([...encode(s), 0, 0, 0]);
}

/** Writes the value at step t of a compiled schedule into out[index]. */
export function evaluateProgram(code: Float64Array, t: number, out: Float64Array, index: number): void {
  // Descend through sequences in a loop, not by recursion: a computed number passed to a call is boxed.
  let at = 0;
  while (code[at] === KIND.sequence) {
    // k, boundaries…, offsets…, programs…
    const k = code[at + 1];
    let i = 0;
    while (i < k && code[at + 2 + i] <= t) i++;
    if (i > 0) t -= code[at + 1 + i];
    at += code[at + 2 + k + i];
  }
  const kind = code[at];
  const a = code[at + 1];
  const b = code[at + 2];
  const c = code[at + 3];
  switch (kind) {
    case KIND.constant:
      out[index] = a;
      return;
    case KIND.step: // initial, γ, stepSize
      out[index] = a * Math.pow(b, Math.floor(t / c));
      return;
    case KIND.multiStep: {
      // initial, γ, m, milestones…
      let passed = 0;
      while (passed < c && code[at + 4 + passed] <= t) passed++;
      out[index] = a * Math.pow(b, passed);
      return;
    }
    case KIND.exponential: // initial, γ
      out[index] = a * Math.pow(b, t);
      return;
    case KIND.cosine: {
      // initial, final, period, hold
      const x = code[at + 4] === 1 && t > c ? c : t;
      out[index] = b + ((a - b) * (1 + Math.cos((Math.PI * x) / c))) / 2;
      return;
    }
    case KIND.linear: // initial, final, steps
      out[index] = a + ((b - a) * Math.min(t, c)) / c;
      return;
    case KIND.polynomial: // initial, final, steps, power
      out[index] = b + (a - b) * Math.pow(1 - Math.min(t, c) / c, code[at + 4]);
      return;
    case KIND.oneCycle: {
      // initial, peak, final, totalSteps, warmupFraction, linear, threePhase — as PyTorch's OneCycleLR:
      // phases end at fractional steps, and the last phase also covers later steps.
      const totalSteps = code[at + 4];
      const threePhase = code[at + 7] === 1;
      const warmupEnd = code[at + 5] * totalSteps - 1;
      const lastEnd = totalSteps - 1;
      let start = 0;
      let end = warmupEnd;
      let from = a;
      let to = b;
      if (t > warmupEnd) {
        const middleEnd = threePhase ? 2 * warmupEnd : lastEnd;
        const second = threePhase && t <= middleEnd;
        start = second || !threePhase ? warmupEnd : middleEnd;
        end = second ? middleEnd : lastEnd;
        from = second || !threePhase ? b : a;
        to = second ? a : c;
      }
      const pct = (t - start) / (end - start);
      out[index] = code[at + 6] === 1 ? (to - from) * pct + from : to + ((from - to) / 2) * (Math.cos(Math.PI * pct) + 1);
      return;
    }
    case KIND.cosineRestarts: {
      // initial, final, period, multiplier
      const multiplier = code[at + 4];
      let length = c;
      let x = t;
      if (multiplier === 1) {
        x = t % length;
      } else {
        while (x >= length) {
          x -= length;
          length *= multiplier;
        }
      }
      out[index] = b + ((a - b) * (1 + Math.cos((Math.PI * x) / length))) / 2;
      return;
    }
    case KIND.piecewise: {
      // k, boundaries…, values…
      let i = 0;
      while (i < a && code[at + 2 + i] <= t) i++;
      out[index] = code[at + 2 + a + i];
      return;
    }
  }
}
