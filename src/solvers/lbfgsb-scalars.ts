// The doubles of L-BFGS-B's state, slots of one Float64Array shared by its parts: a double kept in an
// object field, passed to or returned from a call the JIT does not inline is boxed (an allocation).

/** f at the current point. */
export const F = 0;
/** θ, the scaling of the compact matrix B = θI − W M Wᵀ. */
export const THETA = 1;
/** f at the last accepted iterate (while a line search runs). */
export const FOLD = 2;
/** ‖d‖. */
export const DNORM = 3;
/** gᵀd at the current point. */
export const GD = 4;
/** gᵀd at the line search's start. */
export const GDOLD = 5;
/** The largest feasible step. */
export const STPMX = 6;
/** max|proj gᵢ| at the current point. */
export const SBGNRM = 7;
/** The line search's step. */
export const STP = 8;
/** dᵀd. */
export const DTD = 9;
/** sᵀy of the pair being stored. */
export const DR = 10;
/** f at the last point evaluated (scipy's ScalarFunction cache). */
export const CACHED_F = 11;
/** The state's names of the slots, in order (snapshots). */
export const DOUBLE_NAMES = ["f", "theta", "fold", "dnorm", "gd", "gdold", "stpmx", "sbgnrm", "stp", "dtd", "dr", "cachedF"] as const;
