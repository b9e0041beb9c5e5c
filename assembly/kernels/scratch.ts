// Static scratch shared by the kernels (the module is single-threaded and kernels never nest),
// and the partial-vector loads and stores that go with it.

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


/** count (1..4) contiguous f32 lanes from p; lanes past count repeat lane 0. */
// @ts-ignore: decorator
@inline export function load4(p: usize, count: i32): v128 { return count == 4 ? v128.load(p) : gather(p, 4, count); }

/** Stores the first count (1..4) lanes of v at p, through TAIL so no byte past them is written. */
// @ts-ignore: decorator
@inline export function store4(p: usize, v: v128, count: i32): void {
  if (count == 4) v128.store(p, v);
  else { v128.store(TAIL, v); memory.copy(p, TAIL, <usize>count << 2); }
}

/** All ones in lanes below count, zeros above. */
// @ts-ignore: decorator
@inline export function laneMask(count: i32): v128 { return i32x4.lt_s(i32x4(0, 1, 2, 3), i32x4.splat(count)); }
