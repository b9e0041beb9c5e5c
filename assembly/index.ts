// The module's exports: the allocator and, for each ABI name, the kernel variant this build uses
// (the one place that picks an ISA variant; see kernels/NAMING.md).
export { alloc, free, stat_bytes_live, stat_blocks_live, stat_peak_bytes, stat_reset_peak } from './alloc';
export { f32_unary_wasmsimd as f32_unary } from './kernels/f32-unary-wasmsimd';
export { f32_binary_wasmsimd as f32_binary, f32_binary_nd_wasmsimd as f32_binary_nd } from './kernels/f32-binary-wasmsimd';
export { f32_compare_wasmsimd as f32_compare, f32_compare_nd_wasmsimd as f32_compare_nd } from './kernels/f32-compare-wasmsimd';
export { f32_where_nd_wasmsimd as f32_where_nd } from './kernels/f32-where-nd-wasmsimd';
export { xx_copy_nd_scalar as copy_nd } from './kernels/xx-copy-nd-scalar';
export {
  fill_f32_wasmsimd as fill_f32, fill_i32_wasmsimd as fill_i32, fill_i64_wasmsimd as fill_i64, fill_u8_wasmsimd as fill_u8,
} from './kernels/xx-fill-wasmsimd';
export { xx_cast_scalar as cast } from './kernels/xx-cast-scalar';
export { f32_reduce_wasmsimd as f32_reduce, f32_var_wasmsimd as f32_var } from './kernels/f32-reduce-wasmsimd';
export { f32_gemm_blocked as f32_gemm, f32_gemm_workspace } from './kernels/f32-gemm-blocked';
export { f32_arg_reduce_wasmsimd as f32_arg_reduce } from './kernels/f32-argreduce-wasmsimd';
export { f32_cumsum_wasmsimd as f32_cumsum, f32_cumprod_wasmsimd as f32_cumprod } from './kernels/f32-scan-wasmsimd';
export { f32_softmax_wasmsimd as f32_softmax } from './kernels/f32-softmax-wasmsimd';
export { f32_triad_wasmsimd as f32_triad, f32_peak_wasmsimd as f32_peak } from './kernels/f32-triad-wasmsimd';
export * from './nnpack_port/f32-gemm-4x8-wasmsimd';
export * from './nnpack_port/f32-conv2d-winograd-6x3-wasmsimd';
export * from './nnpack_port/f32-conv2d-gemm-wasmsimd';
export * from './nnpack_port/f32-dwconv2d-3x3-wasmsimd';
export * from './nnpack_port/f32-inverted-residual-wasmsimd';
export { f32_fused_vm_wasmsimd as f32_fused_vm } from './fused/f32-fused-vm-wasmsimd';
export { f32_iou_wasmsimd as f32_iou } from './kernels/f32-iou-wasmsimd';
export { f32_gather2d_wasmsimd as f32_gather2d, f32_taps2d_wasmsimd as f32_taps2d } from './kernels/f32-resample2d-wasmsimd';
export { f32_moments_wasmsimd as f32_moments } from './kernels/f32-moments-wasmsimd';
export { f32_norm_affine_minmax_wasmsimd as f32_norm_affine_minmax } from './kernels/f32-norm-affine-minmax-wasmsimd';
export { f32_im2col_wasmsimd as f32_im2col } from './kernels/f32-im2col-wasmsimd';
export { f32_maxpool2d_wasmsimd as f32_maxpool2d, f32_avgpool2d_wasmsimd as f32_avgpool2d } from './kernels/f32-pool2d-wasmsimd';
export { f32_nms_scalar as f32_nms } from './kernels/f32-nms-scalar';
export { f32_roialign_wasmsimd as f32_roialign, f32_roialign_workspace_wasmsimd as f32_roialign_workspace } from './kernels/f32-roialign-wasmsimd';
