// The module's exports: the allocator and, for each ABI name, the kernel variant this build uses.
export { alloc, free, stat_bytes_live, stat_blocks_live, stat_peak_bytes, stat_reset_peak } from './alloc';
export { f32_unary_wasmsimd as f32_unary } from './kernels/f32-unary-wasmsimd';
