// Fixed blocks at the bottom of the Wasm memory: the worker's control words, then the scalar block
// that every kernel call reads (one step runs at a time, so one block serves every optimizer), then
// the block of sin and cos's argument reduction, then the block of a tree's planned steps (one tree
// steps at a time, too), then the arena. Its own file so that the runtime, the worker pool and the
// generator share it without importing each other.

/** Byte address of the worker pool's Int32 control words (64 bytes). */
export const CONTROL = 0;
/** Byte address of the 16-slot scalar block passed to kernels. */
export const SCALARS = 64;
/**
 * Byte address of the block that sin and cos's argument reduction works in (src/math/rem-pio2.wat,
 * rem-pio2-large.wat): fdlibm's tables, written there when the module is instantiated, and its
 * working arrays. scripts/kernels/generate.ts lays it out.
 */
export const REM_PIO2 = 256;
/** Byte address of the block of planned steps that `run_plan` runs (REM_PIO2's block takes what lies below). */
export const PLAN = 1344;
/**
 * The doubles of one planned step: the kernel's index, the byte addresses of params, grad and the
 * state's three buffers, the count n, one unused, then the step's 16 numbers (the kernel's scalar
 * block: at byte 64 of the record, where a reduction writes its results too).
 */
export const PLAN_SLOTS = 24;
/** Where a planned step's 16 numbers start in its record, in doubles. */
export const PLAN_NUMBERS = 8;
/** Planned steps the block holds: a tree of more leaves runs them in batches. */
export const PLAN_RECORDS = 64;
/** The first byte the arena may use. */
export const ARENA_BASE = PLAN + 8 * PLAN_SLOTS * PLAN_RECORDS;
