// Static scratch shared by the kernels (the module is single-threaded and kernels never nest),
// and the partial-vector load that goes with it.

/** 64 bytes, 16-aligned: the last partial vector of a loop is staged here so tails stay in SIMD. */
export const TAIL: usize = memory.data(64, 16);

/** Up to 4 f32 lanes from p, p + stride, ... (bytes); lanes past count repeat lane 0. */
// @ts-ignore: decorator
@inline export function gather(p: usize, stride: usize, count: i32): v128 {
  let v = v128.load32_splat(p);
  if (count > 1) v = v128.load32_lane(p + stride, v, 1);
  if (count > 2) v = v128.load32_lane(p + 2 * stride, v, 2);
  if (count > 3) v = v128.load32_lane(p + 3 * stride, v, 3);
  return v;
}

