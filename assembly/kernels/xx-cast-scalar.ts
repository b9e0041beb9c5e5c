// cast: contiguous dtype conversion with PyTorch's rules: float -> int truncates toward zero
// (saturating, never trapping), anything -> bool is x != 0 (NaN is true), bool -> number is 0/1.
import {
  DTYPE_F32, DTYPE_I64, DTYPE_I32, DTYPE_U8, DTYPE_BOOL, DTYPE_F64, DTYPE_I8, DTYPE_I16,
} from './opcodes';

// @ts-ignore: decorator
@inline function convert<S, D>(x: S): D {
  if (isFloat<S>() && isInteger<D>() && sizeof<D>() < 4) {
    // Narrow ints wrap through i32 (what x86 gives PyTorch for in-range-of-i32 values).
    return <D><i32>x;
  }
  return <D>x;
}

/** Bool stores go through here; D == u8 with `toBool` writes x != 0. */
function castLoop<S, D>(src: usize, dst: usize, n: i32, toBool: bool): void {
  const ss = <usize>sizeof<S>(), ds = <usize>sizeof<D>();
  const end = src + <usize>n * ss;
  if (toBool) {
    for (; src < end; src += ss, dst += 1) store<u8>(dst, load<S>(src) != <S>0 ? 1 : 0);
  } else {
    for (; src < end; src += ss, dst += ds) store<D>(dst, convert<S, D>(load<S>(src)));
  }
}

function castFrom<S>(dstDtype: i32, src: usize, dst: usize, n: i32): void {
  switch (dstDtype) {
    case DTYPE_F32: castLoop<S, f32>(src, dst, n, false); break;
    case DTYPE_I64: castLoop<S, i64>(src, dst, n, false); break;
    case DTYPE_I32: castLoop<S, i32>(src, dst, n, false); break;
    case DTYPE_U8: castLoop<S, u8>(src, dst, n, false); break;
    case DTYPE_BOOL: castLoop<S, u8>(src, dst, n, true); break;
    case DTYPE_F64: castLoop<S, f64>(src, dst, n, false); break;
    case DTYPE_I8: castLoop<S, i8>(src, dst, n, false); break;
    case DTYPE_I16: castLoop<S, i16>(src, dst, n, false); break;
    default: break;
  }
}

/** dst[i] = (dstDtype) src[i] for n contiguous elements; dtype codes in opcodes.ts. */
export function xx_cast_scalar(srcDtype: i32, dstDtype: i32, src: usize, dst: usize, n: i32): void {
  switch (srcDtype) {
    case DTYPE_F32: castFrom<f32>(dstDtype, src, dst, n); break;
    case DTYPE_I64: castFrom<i64>(dstDtype, src, dst, n); break;
    case DTYPE_I32: castFrom<i32>(dstDtype, src, dst, n); break;
    case DTYPE_U8: case DTYPE_BOOL: castFrom<u8>(dstDtype, src, dst, n); break;
    case DTYPE_F64: castFrom<f64>(dstDtype, src, dst, n); break;
    case DTYPE_I8: castFrom<i8>(dstDtype, src, dst, n); break;
    case DTYPE_I16: castFrom<i16>(dstDtype, src, dst, n); break;
    default: break;
  }
}
