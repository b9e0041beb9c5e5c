// f32_binary / f32_binary_nd: y = a op b with contiguous operands (mode 0: both vectors, 1: a is a
// scalar, 2: b is a scalar) or N-d broadcasting strides. One loop per op type (Note [Op types]).
import { TAIL, gather } from './scratch';
import { opOf } from './op-type';
import { vmaxnan, vminnan } from './f32-vmath-wasmsimd';
import { ndBegin, ndInner, ndInnerStride, ndOffset, ndNext } from './nd-iter';
import {
  BINARY_ADD, BINARY_SUB, BINARY_MUL, BINARY_DIV, BINARY_MAX, BINARY_MIN, BINARY_POW, BINARY_ATAN2,
  BINARY_FMOD, BINARY_REMAINDER, BINARY_FLOOR_DIVIDE, BINARY_TRUNC_DIVIDE, BINARY_COPYSIGN,
  BINARY_HYPOT, BINARY_SQUARED_DIFFERENCE, MODE_SAME, MODE_SCALAR_A,
} from './opcodes';

@final @unmanaged class Add { @inline vec(a: v128, b: v128): v128 { return f32x4.add(a, b); } }
@final @unmanaged class Sub { @inline vec(a: v128, b: v128): v128 { return f32x4.sub(a, b); } }
@final @unmanaged class Mul { @inline vec(a: v128, b: v128): v128 { return f32x4.mul(a, b); } }
@final @unmanaged class Div { @inline vec(a: v128, b: v128): v128 { return f32x4.div(a, b); } }
@final @unmanaged class Max { @inline vec(a: v128, b: v128): v128 { return vmaxnan(a, b); } }
@final @unmanaged class Min { @inline vec(a: v128, b: v128): v128 { return vminnan(a, b); } }
@final @unmanaged class TruncDivide { @inline vec(a: v128, b: v128): v128 { return f32x4.trunc(f32x4.div(a, b)); } }
@final @unmanaged class Copysign {
  @inline vec(a: v128, b: v128): v128 {
    return v128.or(v128.and(a, i32x4.splat(0x7FFFFFFF)), v128.and(b, i32x4.splat(0x80000000)));
  }
}
@final @unmanaged class SquaredDifference {
  @inline vec(a: v128, b: v128): v128 { const d = f32x4.sub(a, b); return f32x4.mul(d, d); }
}

// Lane ops. f64 where that rounds once (pow, atan2, hypot); fmod is exact in either width.
// C pow: pow(1, y) and pow(x, 0) are 1 even for NaN.
@final @unmanaged class Pow {
  @inline lane(a: f32, b: f32): f32 { return a == 1 || b == 0 ? 1 : <f32>Math.pow(<f64>a, <f64>b); }
}
@final @unmanaged class Atan2 { @inline lane(a: f32, b: f32): f32 { return <f32>Math.atan2(<f64>a, <f64>b); } }
@final @unmanaged class Hypot { @inline lane(a: f32, b: f32): f32 { return <f32>Math.hypot(<f64>a, <f64>b); } }
@final @unmanaged class Fmod { @inline lane(a: f32, b: f32): f32 { return <f32>(<f64>a % <f64>b); } }
// Python-style: the result takes the divisor's sign (PyTorch's remainder for floats).
@final @unmanaged class Remainder {
  @inline lane(a: f32, b: f32): f32 {
    let m = <f32>(<f64>a % <f64>b);
    if (m != 0 && (b < 0) != (m < 0)) m += b;
    return m;
  }
}
// PyTorch's div_floor_floating, step by step in f32.
@final @unmanaged class FloorDivide {
  @inline lane(a: f32, b: f32): f32 {
    if (b == 0) return a / b;
    const m = <f32>(<f64>a % <f64>b);
    let div = (a - m) / b;
    if (m != 0 && (b < 0) != (m < 0)) div -= 1;
    if (div == 0) return copysign<f32>(0, a / b);
    let fl = Mathf.floor(div);
    if (div - fl > 0.5) fl += 1;
    return fl;
  }
}

/** Adapts a lane op to the vector interface. */
@final @unmanaged class Lanes<S> {
  @inline vec(a: v128, b: v128): v128 {
    const s = opOf<S>();
    let r = f32x4.splat(s.lane(f32x4.extract_lane(a, 0), f32x4.extract_lane(b, 0)));
    r = f32x4.replace_lane(r, 1, s.lane(f32x4.extract_lane(a, 1), f32x4.extract_lane(b, 1)));
    r = f32x4.replace_lane(r, 2, s.lane(f32x4.extract_lane(a, 2), f32x4.extract_lane(b, 2)));
    return f32x4.replace_lane(r, 3, s.lane(f32x4.extract_lane(a, 3), f32x4.extract_lane(b, 3)));
  }
}

/** Contiguous loop: sa/sb are 16 for a vector operand, 0 for a scalar (splatted) operand. */
function binaryContig<T>(a: usize, sa: usize, b: usize, sb: usize, y: usize, n: i32): void {
  const op = opOf<T>();
  const va = v128.load32_splat(a), vb = v128.load32_splat(b);
  const vend = y + (<usize>(n & ~3) << 2);
  const end = y + (<usize>n << 2);
  let p = y;
  if (sa && sb) {
    for (; p < vend; p += 16, a += 16, b += 16) v128.store(p, op.vec(v128.load(a), v128.load(b)));
  } else if (sb) {
    for (; p < vend; p += 16, b += 16) v128.store(p, op.vec(va, v128.load(b)));
  } else {
    for (; p < vend; p += 16, a += 16) v128.store(p, op.vec(v128.load(a), vb));
  }
  if (p < end) {
    const rem = <i32>(end - p) >> 2;
    const r = op.vec(sa ? gather(a, 4, rem) : va, sb ? gather(b, 4, rem) : vb);
    v128.store(TAIL, r);
    memory.copy(p, TAIL, end - p);
  }
}

/** Strided loop for rows whose strides are not 1/1, 0/1 or 1/0 (byte strides). */
function binaryStrided<T>(a: usize, sa: usize, b: usize, sb: usize, y: usize, n: i32): void {
  const op = opOf<T>();
  for (let i = 0; i < n; i += 4) {
    const rem = min(4, n - i);
    const r = op.vec(gather(a, sa, rem), gather(b, sb, rem));
    if (rem == 4) v128.store(y, r);
    else { v128.store(TAIL, r); memory.copy(y, TAIL, <usize>rem << 2); }
    a += sa << 2; b += sb << 2; y += 16;
  }
}

function binaryModes<T>(a: usize, b: usize, y: usize, n: i32, mode: i32): void {
  if (mode == MODE_SAME) binaryContig<T>(a, 16, b, 16, y, n);
  else if (mode == MODE_SCALAR_A) binaryContig<T>(a, 0, b, 16, y, n);
  else binaryContig<T>(a, 16, b, 0, y, n);
}

function binaryNd<T>(a: usize, b: usize, y: usize, desc: usize): void {
  const rows = ndBegin(desc, 2);
  const n = ndInner();
  const sa = ndInnerStride(0), sb = ndInnerStride(1);
  for (let r = 0; r < rows; r++) {
    const pa = a + (<usize>ndOffset(0) << 2), pb = b + (<usize>ndOffset(1) << 2);
    const py = y + ((<usize>r * <usize>n) << 2);
    if (sa == 1 && sb == 1) binaryContig<T>(pa, 16, pb, 16, py, n);
    else if (sa == 0 && sb == 1) binaryContig<T>(pa, 0, pb, 16, py, n);
    else if (sa == 1 && sb == 0) binaryContig<T>(pa, 16, pb, 0, py, n);
    else binaryStrided<T>(pa, <usize>sa << 2, pb, <usize>sb << 2, py, n);
    ndNext();
  }
}

// The op code picks the type: `nd` selects the broadcasting driver, else the contiguous modes.
// @ts-ignore: decorator
@inline function run<T>(nd: bool, a: usize, b: usize, y: usize, n: i32, modeOrDesc: usize): void {
  if (nd) binaryNd<T>(a, b, y, modeOrDesc);
  else binaryModes<T>(a, b, y, n, <i32>modeOrDesc);
}

function dispatch(nd: bool, op: i32, a: usize, b: usize, y: usize, n: i32, m: usize): void {
  switch (op) {
    case BINARY_ADD: run<Add>(nd, a, b, y, n, m); break;
    case BINARY_SUB: run<Sub>(nd, a, b, y, n, m); break;
    case BINARY_MUL: run<Mul>(nd, a, b, y, n, m); break;
    case BINARY_DIV: run<Div>(nd, a, b, y, n, m); break;
    case BINARY_MAX: run<Max>(nd, a, b, y, n, m); break;
    case BINARY_MIN: run<Min>(nd, a, b, y, n, m); break;
    case BINARY_POW: run<Lanes<Pow>>(nd, a, b, y, n, m); break;
    case BINARY_ATAN2: run<Lanes<Atan2>>(nd, a, b, y, n, m); break;
    case BINARY_FMOD: run<Lanes<Fmod>>(nd, a, b, y, n, m); break;
    case BINARY_REMAINDER: run<Lanes<Remainder>>(nd, a, b, y, n, m); break;
    case BINARY_FLOOR_DIVIDE: run<Lanes<FloorDivide>>(nd, a, b, y, n, m); break;
    case BINARY_TRUNC_DIVIDE: run<TruncDivide>(nd, a, b, y, n, m); break;
    case BINARY_COPYSIGN: run<Copysign>(nd, a, b, y, n, m); break;
    case BINARY_HYPOT: run<Lanes<Hypot>>(nd, a, b, y, n, m); break;
    case BINARY_SQUARED_DIFFERENCE: run<SquaredDifference>(nd, a, b, y, n, m); break;
    default: break;
  }
}

/** y[i] = a op b over n contiguous elements; mode: 0 a[i] op b[i], 1 a[0] op b[i], 2 a[i] op b[0]. */
export function f32_binary_wasmsimd(op: i32, a: usize, b: usize, y: usize, n: i32, mode: i32): void {
  dispatch(false, op, a, b, y, n, <usize>mode);
}

/** y = a op b broadcast by desc = [ndim, shape, strideA, strideB] (i32 elements); y contiguous. */
export function f32_binary_nd_wasmsimd(op: i32, a: usize, b: usize, y: usize, desc: usize): void {
  dispatch(true, op, a, b, y, 0, desc);
}
