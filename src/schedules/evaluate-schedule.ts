import { cosAt } from "../math/cos.js";
import { powAt } from "../math/pow.js";
import { scheduleBounds } from "./check-schedule.js";
import type { Schedule } from "./schedule.js";

/** Where the cosine schedules compute cos θ in place (cosAt): nothing allocated per step. */
const angle = new Float64Array(1);
/**
 * x and y of a power, then x^y after powAt (the port: the same bits in every engine). Written and
 * read inline: a helper taking and returning doubles would box them wherever V8 does not inline it.
 */
const power = new Float64Array(2);

// An optimizer evaluates its schedules before every step, so evaluation must not allocate. Reading
// numbers from schedule objects of many shapes goes through the JIT's generic property loads, which
// box doubles; so a checked schedule is first compiled into a Float64Array "program" that the
// evaluator reads by index. Layout: [kind, lo, hi, fields…], where [lo, hi] are the schedule's
// bounds, to which every value is clamped; for `sequence`, [kind, k, boundaries…, offsets of the
// k + 1 sub-programs…, sub-programs…].

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
  if (s.kind === "sequence") return encodeSequence(s.boundaries, s.schedules);
  return [KIND[s.kind], ...scheduleBounds(s), ...fields(s)];
}

function fields(s: Exclude<Schedule, { kind: "sequence" }>): number[] {
  switch (s.kind) {
    case "constant":
      return [s.value];
    case "step":
      return [s.initial, s.gamma, s.stepSize];
    case "multiStep":
      return [s.initial, s.gamma, s.milestones.length, ...s.milestones];
    case "exponential":
      return [s.initial, s.gamma];
    case "cosine":
      return [s.initial, s.final, s.period, s.after === "continue" ? 0 : 1];
    case "linear":
      return [s.initial, s.final, s.steps];
    case "polynomial":
      return [s.initial, s.final ?? 0, s.steps, s.power ?? 1];
    case "oneCycle":
      return [s.initial, s.peak, s.final, s.totalSteps, s.warmupFraction ?? 0.3, s.anneal === "linear" ? 1 : 0, s.threePhase ? 1 : 0];
    case "cosineRestarts":
      return [s.initial, s.final, s.period, s.periodMultiplier ?? 1];
    case "piecewise":
      return [s.boundaries.length, ...s.boundaries, ...s.values];
  }
}

function encodeSequence(boundaries: readonly number[], schedules: readonly Schedule[]): number[] {
  const k = boundaries.length;
  const children = schedules.map(encode);
  const head = [KIND.sequence, k, ...boundaries];
  let offset = head.length + k + 1;
  const offsets = children.map((child) => {
    const at = offset;
    offset += child.length;
    return at;
  });
  return [...head, ...offsets, ...children.flat()];
}

/**
 * The point between `from` and `to` with weights wFrom and wTo in [0, 1] that sum to 1 (each
 * computed on its own, so neither is the rounded complement of the other):
 * wFrom·from + wTo·to. Exact at both ends. In between, when both ends have the same sign, it
 * starts from the end nearer 0 and adds a term of that same sign — no cancellation (the naive
 * form took 1 + (1e−20 − 1) to 0), monotone in the weight since every rounding is, and, as it is
 * also PyTorch's form for a decay (η_min + (η₀ − η_min)·w), bit-identical to PyTorch there. Ends
 * of opposite signs are weighted and summed, which cannot overflow as to − from could.
 * {@link evaluateProgram} writes the same lines out.
 * @internal
 */
export function lerp(from: number, to: number, wFrom: number, wTo: number): number {
  if (wTo === 0) return from;
  if (wFrom === 0) return to;
  if (from < 0 !== to < 0) return wFrom * from + wTo * to;
  return Math.abs(to) <= Math.abs(from) ? to + (from - to) * wFrom : from + (to - from) * wTo;
}

/** Compiles a checked schedule into the program {@link evaluateProgram} reads. */
export function compileSchedule(s: Schedule): Float64Array {
  // Padding: the evaluator reads five numbers ahead (bounds and three fields) whatever the kind, and
  // a read past the end of a typed array yields undefined, which would make those numbers tagged,
  // and boxed, in JIT code.
  return Float64Array.from([...encode(s), 0, 0, 0, 0, 0]);
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
  const lo = code[at + 1];
  const hi = code[at + 2];
  const a = code[at + 3];
  const b = code[at + 4];
  const c = code[at + 5];
  // Each kind gives two ends and their weights, interpolated below; a kind that does not
  // interpolate gives its value as `from`, with weight 1.
  let from = a;
  let to = b;
  let wFrom = 1;
  let wTo = 0;
  switch (kind) {
    case KIND.step: // initial, γ, stepSize; 0·γ^k is 0 even when γ^k overflows
      power[0] = b;
      power[1] = Math.floor(t / c);
      powAt(power, 0);
      from = a === 0 ? 0 : a * power[0];
      break;
    case KIND.multiStep: {
      // initial, γ, m, milestones…
      let passed = 0;
      while (passed < c && code[at + 6 + passed] <= t) passed++;
      power[0] = b;
      power[1] = passed;
      powAt(power, 0);
      from = a === 0 ? 0 : a * power[0];
      break;
    }
    case KIND.exponential: // initial, γ
      power[0] = b;
      power[1] = t;
      powAt(power, 0);
      from = a === 0 ? 0 : a * power[0];
      break;
    case KIND.cosine: {
      // initial, final, period, hold
      angle[0] = (Math.PI * (code[at + 6] === 1 && t > c ? c : t)) / c;
      cosAt(angle, 0); // the port, in place: the same bits in every engine, no double crossing a call
      const cos = angle[0];
      wFrom = (1 + cos) / 2;
      wTo = (1 - cos) / 2;
      break;
    }
    case KIND.linear: {
      // initial, final, steps
      const x = Math.min(t, c);
      wFrom = (c - x) / c;
      wTo = x / c;
      break;
    }
    case KIND.polynomial: // initial, final, steps, power
      power[0] = 1 - Math.min(t, c) / c;
      power[1] = code[at + 6];
      powAt(power, 0);
      wFrom = power[0];
      wTo = 1 - wFrom;
      break;
    case KIND.oneCycle: {
      // initial, peak, final, totalSteps, warmupFraction, linear, threePhase — as PyTorch's OneCycleLR:
      // phases end at fractional steps. PyTorch refuses steps past totalSteps; from its last step on, final holds.
      const lastEnd = code[at + 6] - 1;
      const threePhase = code[at + 9] === 1;
      const warmupEnd = code[at + 7] * code[at + 6] - 1;
      const x = t < lastEnd ? t : lastEnd;
      let start = 0;
      let end = warmupEnd;
      if (x > warmupEnd) {
        const middleEnd = threePhase ? 2 * warmupEnd : lastEnd;
        const second = threePhase && x <= middleEnd;
        start = second || !threePhase ? warmupEnd : middleEnd;
        end = second ? middleEnd : lastEnd;
        from = second || !threePhase ? b : a;
        to = second ? a : c;
      }
      const pct = (x - start) / (end - start);
      angle[0] = Math.PI * pct;
      cosAt(angle, 0); // the port, in place: the same bits in every engine, no double crossing a call
      const cos = angle[0];
      wFrom = code[at + 8] === 1 ? 1 - pct : (1 + cos) / 2;
      wTo = code[at + 8] === 1 ? pct : (1 - cos) / 2;
      break;
    }
    case KIND.cosineRestarts: {
      // initial, final, period, multiplier
      const multiplier = code[at + 6];
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
      angle[0] = (Math.PI * x) / length;
      cosAt(angle, 0); // the port, in place: the same bits in every engine, no double crossing a call
      const cos = angle[0];
      wFrom = (1 + cos) / 2;
      wTo = (1 - cos) / 2;
      break;
    }
    case KIND.piecewise: {
      // k, boundaries…, values…
      let i = 0;
      while (i < a && code[at + 4 + i] <= t) i++;
      from = code[at + 4 + a + i];
      break;
    }
  }
  // lerp(from, to, wFrom, wTo), written out: a call with computed numbers would box them.
  let value: number;
  if (wTo === 0) value = from;
  else if (wFrom === 0) value = to;
  else if (from < 0 !== to < 0) value = wFrom * from + wTo * to;
  else value = Math.abs(to) <= Math.abs(from) ? to + (from - to) * wFrom : from + (to - from) * wTo;
  // A last guard: rounding may not take a value out of the bounds the schedule was checked against.
  out[index] = value < lo ? lo : value > hi ? hi : value;
}
