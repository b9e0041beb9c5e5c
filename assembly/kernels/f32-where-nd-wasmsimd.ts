// f32_where_nd: y = cond ? a : b with broadcasting; cond is u8 (bool).
import { TAIL, gather } from './scratch';
import { ndBegin, ndInner, ndInnerStride, ndOffset, ndNext } from './nd-iter';

/** Up to 4 condition bytes from c, c + stride, ... as a lane mask. */
// @ts-ignore: decorator
@inline function condMask(c: usize, stride: usize, count: i32): v128 {
  let v: v128;
  if (stride == 1 && count == 4) {
    v = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v128.load32_zero(c)));
  } else {
    v = i32x4.splat(<i32>load<u8>(c));
    if (count > 1) v = i32x4.replace_lane(v, 1, <i32>load<u8>(c + stride));
    if (count > 2) v = i32x4.replace_lane(v, 2, <i32>load<u8>(c + 2 * stride));
    if (count > 3) v = i32x4.replace_lane(v, 3, <i32>load<u8>(c + 3 * stride));
  }
  return i32x4.ne(v, i32x4.splat(0));
}

/** y = cond ? a : b, desc = [ndim, shape, strideCond, strideA, strideB] (elements); y contiguous. */
export function f32_where_nd_wasmsimd(cond: usize, a: usize, b: usize, y: usize, desc: usize): void {
  const rows = ndBegin(desc, 3);
  const n = ndInner();
  const sc = <usize>ndInnerStride(0);
  const sa = <usize>ndInnerStride(1) << 2, sb = <usize>ndInnerStride(2) << 2;
  for (let r = 0; r < rows; r++) {
    let pc = cond + <usize>ndOffset(0);
    let pa = a + (<usize>ndOffset(1) << 2), pb = b + (<usize>ndOffset(2) << 2);
    let py = y + ((<usize>r * <usize>n) << 2);
    let i = 0;
    for (; i + 4 <= n; i += 4, pc += sc << 2, pa += sa << 2, pb += sb << 2, py += 16) {
      v128.store(py, v128.bitselect(gather(pa, sa, 4), gather(pb, sb, 4), condMask(pc, sc, 4)));
    }
    if (i < n) {
      const rem = n - i;
      v128.store(TAIL, v128.bitselect(gather(pa, sa, rem), gather(pb, sb, rem), condMask(pc, sc, rem)));
      memory.copy(py, TAIL, <usize>rem << 2);
    }
    ndNext();
  }
}
