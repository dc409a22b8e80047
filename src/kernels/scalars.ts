// Kernels take their per-step numbers in a Float64Array ("scalar block") that each optimizer
// allocates once, never as arguments: a JavaScript function receives a double argument as a boxed
// heap number, so a computed scalar passed to a kernel that the JIT did not inline allocates on
// every step. The first three slots are common to every rule.
//
// The entry pass. A kernel's loops each run in a small function of their own (called by the kernel,
// which has no loop), whose first pass does nothing: `for (let i = -1; …) { if (i < 0) continue; … }`,
// its numbers read at the first element. Why: a long call (a million parameters on the JavaScript
// kernels) keeps a function in one loop long enough for V8 to compile that loop on stack, and V8 keeps
// that code. In Node 20 (V8 11.3), while the function then had no compiled code of its own (not made
// yet, or thrown away when a call took a branch it had not seen), every call ran its baseline code up
// to the loop's first back edge and entered the loop code there, and entering it never counted towards
// compiling the function again (newer V8 counts it): everything computed before the back edge was a
// boxed double, for the rest of the process (about 480 bytes a step of Adam at n = 8). Now nothing is
// computed before the first back edge of a loop, and the kernel itself, with no loop, is always
// compiled again. (Test: test/review/allocation-after-long-steps.test.ts.)

// After the loop. What follows a loop in its function (the last n mod 4 elements, a reduction's
// results) has no type feedback until it has run once with the function's feedback allocated, which
// V8 does lazily, after some calls. Code compiled before that (the loop compiled on stack during a
// long call, when every length so far was a multiple of 4) leaves at that point (a deoptimization)
// at every call that reaches it, and in Node 20 the loop code is then entered again at the next call:
// a step of a tree with a 3-element leaf allocated for the rest of the process after other rules'
// steps (2 to 6 of 10 runs of the bundle test's sequence; none with feedback allocated eagerly). So
// a kernel's first call first runs its loop functions on small vectors (feedAfterLoops): every
// statement after a loop has feedback before any loop can be compiled.

/** A loop function of a kernel: the kernel's arguments (params, grad, scalars, then its buffers). */
export type LoopFunction = (params: Float64Array, grad: Float64Array, scalars: Float64Array, ...buffers: Float64Array[]) => void;

/** Entries of the vectors {@link feedAfterLoops} passes: 24 unrolled iterations and a tail of 3 (every tail element runs). */
const FEED_LENGTH = 4 * 24 + 3;

/**
 * Runs each loop function twice on vectors of {@link FEED_LENGTH} (values −1, 0, 1 in turn; scalars
 * 0), before the loops' first real call: the loop's iterations make V8 allocate the function's
 * feedback, and the code after the loop then runs with it (see "After the loop" above). Writes only
 * its own vectors (and the kernels' own scratch, which each call writes before it reads). Returns
 * `true`, for the caller's flag.
 */
export function feedAfterLoops(loops: readonly LoopFunction[]): true {
  const entries = Float64Array.from({ length: FEED_LENGTH }, (_, i) => (i % 3) - 1);
  const scalars = new Float64Array(SCALAR_SLOTS);
  for (const loop of loops) for (let k = 0; k < 2; k++) loop(entries, entries, scalars, entries, entries, entries, entries);
  return true;
}

/** s: −1 when maximizing, else 1 (ĝ = s·g + λ_L2·θ). */
export const GRAD_SIGN = 0;
/** λ_L2: the weight decay added to the gradient in mode "l2", else 0. */
export const L2 = 1;
/** d: the decoupled decay factor 1 − η·λ in mode "decoupled", else 1 (θ ← d·θ − step). */
export const DECAY = 2;
/** The first slot of a rule's own numbers. */
export const RULE = 3;
/** Slots in a scalar block: the common three and up to 13 of a rule's own. */
export const SCALAR_SLOTS = 16; // (written out, slot by slot, in scalarsFinite below and in WasmRuntime.writeScalars)

/**
 * Whether the 16 numbers of a scalar block are all finite: x·0 is ±0 for every finite x and NaN
 * otherwise. Written out, not a loop: in V8 each access of a loop over a typed array re-checks it,
 * which costs several times the straight-line code on a block this small (checked at every step).
 */
export function scalarsFinite(s: Float64Array): boolean {
  const a = s[0] * 0 + s[1] * 0 + s[2] * 0 + s[3] * 0 + s[4] * 0 + s[5] * 0 + s[6] * 0 + s[7] * 0;
  const b = s[8] * 0 + s[9] * 0 + s[10] * 0 + s[11] * 0 + s[12] * 0 + s[13] * 0 + s[14] * 0 + s[15] * 0;
  return a + b === 0;
}
