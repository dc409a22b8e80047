// Fixed blocks at the bottom of the Wasm memory: the worker's control words, then the scalar block
// that every kernel call reads (one step runs at a time, so one block serves every optimizer), then
// the arena. Its own file so that the runtime and the worker pool share it without importing each other.

/** Byte address of the worker pool's Int32 control words (64 bytes). */
export const CONTROL = 0;
/** Byte address of the 16-slot scalar block passed to kernels. */
export const SCALARS = 64;
/** The first byte the arena may use. */
export const ARENA_BASE = 256;
