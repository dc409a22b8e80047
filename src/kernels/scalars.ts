// Kernels take their per-step numbers in a Float64Array ("scalar block") that each optimizer
// allocates once, never as arguments: a JavaScript function receives a double argument as a boxed
// heap number, so a computed scalar passed to a kernel that the JIT did not inline allocates on
// every step. The first three slots are common to every rule.

/** s: −1 when maximizing, else 1 (ĝ = s·g + λ_L2·θ). */
export const GRAD_SIGN = 0;
/** λ_L2: the weight decay added to the gradient in mode "l2", else 0. */
export const L2 = 1;
/** d: the decoupled decay factor 1 − η·λ in mode "decoupled", else 1 (θ ← d·θ − step). */
export const DECAY = 2;
/** The first slot of a rule's own numbers. */
export const RULE = 3;
/** Slots in a scalar block: the common three and up to 13 of a rule's own. */
export const SCALAR_SLOTS = 16;
