// Static scratch shared by the kernels (the module is single-threaded and kernels never nest).

/** 64 bytes, 16-aligned: the last partial vector of a loop is staged here so tails stay in SIMD. */
export const TAIL: usize = memory.data(64, 16);
/** Counters of the outer dimensions of an N-d loop (at most 8 dims, i32 each). */
export const INDEX: usize = memory.data(32, 16);
