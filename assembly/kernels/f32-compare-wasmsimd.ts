// f32_compare / f32_compare_nd: y (u8, 0/1) = a cmp b with IEEE semantics (NaN compares false
// except NE), contiguous modes 0/1/2 or N-d broadcasting strides (Note [Op types]).
import { TAIL, gather } from './scratch';
import { opOf } from './op-type';
import { ndBegin, ndInner, ndInnerStride, ndOffset, ndNext } from './nd-iter';
import {
  COMPARE_EQ, COMPARE_NE, COMPARE_LT, COMPARE_LE, COMPARE_GT, COMPARE_GE, MODE_SAME, MODE_SCALAR_A,
} from './opcodes';

@final @unmanaged class Eq { @inline vec(a: v128, b: v128): v128 { return f32x4.eq(a, b); } }
@final @unmanaged class Ne { @inline vec(a: v128, b: v128): v128 { return f32x4.ne(a, b); } }
@final @unmanaged class Lt { @inline vec(a: v128, b: v128): v128 { return f32x4.lt(a, b); } }
@final @unmanaged class Le { @inline vec(a: v128, b: v128): v128 { return f32x4.le(a, b); } }
@final @unmanaged class Gt { @inline vec(a: v128, b: v128): v128 { return f32x4.gt(a, b); } }
@final @unmanaged class Ge { @inline vec(a: v128, b: v128): v128 { return f32x4.ge(a, b); } }

/** Four lane masks to four 0/1 bytes in lane 0 of the result. */
// @ts-ignore: decorator
@inline function maskBytes(m: v128): v128 {
  const w = i16x8.narrow_i32x4_u(v128.and(m, i32x4.splat(1)), m);
  return i8x16.narrow_i16x8_u(w, w);
}

/** Element strides in bytes: 4 for a vector operand, 0 for a splatted scalar, anything else. */
function compareRow<T>(a: usize, sa: usize, b: usize, sb: usize, y: usize, n: i32): void {
  const op = opOf<T>();
  let i = 0;
  if (sa == 4 && sb == 4) {
    for (; i + 4 <= n; i += 4, a += 16, b += 16, y += 4) {
      v128.store32_lane(y, maskBytes(op.vec(v128.load(a), v128.load(b))), 0);
    }
  } else {
    for (; i + 4 <= n; i += 4, a += sa << 2, b += sb << 2, y += 4) {
      v128.store32_lane(y, maskBytes(op.vec(gather(a, sa, 4), gather(b, sb, 4))), 0);
    }
  }
  if (i < n) {
    const rem = n - i;
    v128.store(TAIL, maskBytes(op.vec(gather(a, sa, rem), gather(b, sb, rem))));
    memory.copy(y, TAIL, <usize>rem);
  }
}

function compareModes<T>(a: usize, b: usize, y: usize, n: i32, mode: i32): void {
  if (mode == MODE_SAME) compareRow<T>(a, 4, b, 4, y, n);
  else if (mode == MODE_SCALAR_A) compareRow<T>(a, 0, b, 4, y, n);
  else compareRow<T>(a, 4, b, 0, y, n);
}

function compareNd<T>(a: usize, b: usize, y: usize, desc: usize): void {
  const rows = ndBegin(desc, 2);
  const n = ndInner();
  const sa = <usize>ndInnerStride(0) << 2, sb = <usize>ndInnerStride(1) << 2;
  for (let r = 0; r < rows; r++) {
    compareRow<T>(a + (<usize>ndOffset(0) << 2), sa, b + (<usize>ndOffset(1) << 2), sb, y + <usize>r * <usize>n, n);
    ndNext();
  }
}

// @ts-ignore: decorator
@inline function run<T>(nd: bool, a: usize, b: usize, y: usize, n: i32, modeOrDesc: usize): void {
  if (nd) compareNd<T>(a, b, y, modeOrDesc);
  else compareModes<T>(a, b, y, n, <i32>modeOrDesc);
}

function dispatch(nd: bool, op: i32, a: usize, b: usize, y: usize, n: i32, m: usize): void {
  switch (op) {
    case COMPARE_EQ: run<Eq>(nd, a, b, y, n, m); break;
    case COMPARE_NE: run<Ne>(nd, a, b, y, n, m); break;
    case COMPARE_LT: run<Lt>(nd, a, b, y, n, m); break;
    case COMPARE_LE: run<Le>(nd, a, b, y, n, m); break;
    case COMPARE_GT: run<Gt>(nd, a, b, y, n, m); break;
    case COMPARE_GE: run<Ge>(nd, a, b, y, n, m); break;
    default: break;
  }
}

/** y[i] = a cmp b as u8 0/1; mode as in f32_binary. */
export function f32_compare_wasmsimd(op: i32, a: usize, b: usize, y: usize, n: i32, mode: i32): void {
  dispatch(false, op, a, b, y, n, <usize>mode);
}

/** y (u8, contiguous) = a cmp b broadcast by desc = [ndim, shape, strideA, strideB]. */
export function f32_compare_nd_wasmsimd(op: i32, a: usize, b: usize, y: usize, desc: usize): void {
  dispatch(true, op, a, b, y, 0, desc);
}
