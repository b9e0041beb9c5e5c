// f32_reduce / f32_var: reductions of a contiguous [outer, n, inner] tensor over n into
// [outer, inner]. inner == 1 reduces contiguous rows with SIMD across n; otherwise SIMD runs across
// 4 columns of inner at a time. Sums are accurate for large n: f32 partial sums over short blocks
// (at most 256 terms per lane) are added into f64 (Note [Op types] for the reducer classes).
import { laneMask, load4, store4 } from './scratch';
import { opOf } from './op-type';
import { hmax, hsum64, vexp, vlog } from './f32-vmath-wasmsimd';
import {
  REDUCE_SUM, REDUCE_PROD, REDUCE_MAX, REDUCE_MIN, REDUCE_MEAN, REDUCE_LOGSUMEXP, REDUCE_AMAX,
  REDUCE_AMIN, REDUCE_NORM2,
} from './opcodes';

const BLOCK = 256;

// @ts-ignore: decorator
@inline function hmin(v: v128): f32 {
  v = f32x4.pmin(v, i64x2.shuffle(v, v, 1, 0));
  return f32x4.extract_lane(f32x4.pmin(v, i32x4.shuffle(v, v, 1, 0, 3, 2)), 0);
}
// @ts-ignore: decorator
@inline function spl(x: f32): v128 { return f32x4.splat(x); }

// Element transforms for the sum family; m is a per-lane shift.
@final @unmanaged class Ident { @inline map(v: v128, m: v128): v128 { return v; } }
@final @unmanaged class Square { @inline map(v: v128, m: v128): v128 { return f32x4.mul(v, v); } }
@final @unmanaged class SqDiff { @inline map(v: v128, m: v128): v128 { const d = f32x4.sub(v, m); return f32x4.mul(d, d); } }
@final @unmanaged class ExpShift { @inline map(v: v128, m: v128): v128 { return vexp(f32x4.sub(v, m)); } }

/** Sum of map(x) over a contiguous row, in f64. */
function rowSum<T>(p: usize, n: i32, m: v128): f64 {
  const t = opOf<T>();
  let total: f64 = 0;
  const n16 = n & ~15;
  let i = 0;
  while (i < n16) {
    const end = min(n16, i + 4 * BLOCK);
    let a0 = spl(0), a1 = spl(0), a2 = spl(0), a3 = spl(0);
    for (; i < end; i += 16, p += 64) {
      a0 = f32x4.add(a0, t.map(v128.load(p), m));
      a1 = f32x4.add(a1, t.map(v128.load(p, 16), m));
      a2 = f32x4.add(a2, t.map(v128.load(p, 32), m));
      a3 = f32x4.add(a3, t.map(v128.load(p, 48), m));
    }
    total += hsum64(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  }
  for (; i < n; i += 4, p += 16) {
    const c = min(4, n - i);
    total += hsum64(v128.and(t.map(load4(p, c), m), laneMask(c)));
  }
  return total;
}

/** Column sums of map(x) for 4 columns (count valid) over n rows `stride` bytes apart. */
function colSum<T>(p: usize, stride: usize, n: i32, count: i32, m: v128): v128 {
  const t = opOf<T>();
  let lo = f64x2.splat(0), hi = f64x2.splat(0);
  let k = 0;
  while (k < n) {
    const end = min(n, k + BLOCK);
    let acc = spl(0);
    for (; k < end; k++, p += stride) acc = f32x4.add(acc, t.map(load4(p, count), m));
    lo = f64x2.add(lo, f64x2.promote_low_f32x4(acc));
    hi = f64x2.add(hi, f64x2.promote_low_f32x4(i64x2.shuffle(acc, acc, 1, 0)));
  }
  return i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
}

// NaN-propagating extremes: pmax/pmin accumulate, NaN seen is tracked on the side.
function rowExtreme(p: usize, n: i32, isMax: bool): f32 {
  if (n <= 0) return isMax ? -Infinity : Infinity;
  let acc = load4(p, min(4, n));
  let nan = f32x4.ne(acc, acc);
  // Lanes past the end repeat element 0, which is harmless for max/min.
  for (let i = 4; i < n; i += 4) {
    const v = load4(p + (<usize>i << 2), min(4, n - i));
    acc = isMax ? f32x4.pmax(acc, v) : f32x4.pmin(acc, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  if (v128.any_true(nan)) return NaN;
  return isMax ? hmax(acc) : hmin(acc);
}

function colExtreme(p: usize, stride: usize, n: i32, count: i32, isMax: bool): v128 {
  if (n <= 0) return spl(isMax ? -Infinity : Infinity);
  let acc = load4(p, count);
  let nan = f32x4.ne(acc, acc);
  for (let k = 1; k < n; k++) {
    p += stride;
    const v = load4(p, count);
    acc = isMax ? f32x4.pmax(acc, v) : f32x4.pmin(acc, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  return v128.bitselect(spl(NaN), acc, nan);
}

function rowProd(p: usize, n: i32): f32 {
  let acc = spl(1);
  for (let i = 0; i < n; i += 4, p += 16) {
    const c = min(4, n - i);
    acc = f32x4.mul(acc, v128.bitselect(load4(p, c), spl(1), laneMask(c)));
  }
  return f32x4.extract_lane(acc, 0) * f32x4.extract_lane(acc, 1) * (f32x4.extract_lane(acc, 2) * f32x4.extract_lane(acc, 3));
}

function colProd(p: usize, stride: usize, n: i32, count: i32): v128 {
  let acc = spl(1);
  for (let k = 0; k < n; k++, p += stride) acc = f32x4.mul(acc, load4(p, count));
  return acc;
}

// logsumexp shifts by the max, except where the max is ±inf (then by 0, as PyTorch does):
// all -inf gives log(0) = -inf, any +inf gives inf.
// @ts-ignore: decorator
@inline function lseShift(m: v128): v128 { return v128.andnot(m, f32x4.eq(f32x4.abs(m), spl(Infinity))); }

@final @unmanaged class Sum {
  @inline row(p: usize, n: i32): f32 { return <f32>rowSum<Ident>(p, n, spl(0)); }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 { return colSum<Ident>(p, s, n, c, spl(0)); }
}
@final @unmanaged class Mean {
  @inline row(p: usize, n: i32): f32 { return <f32>(rowSum<Ident>(p, n, spl(0)) / <f64>n); }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 { return f32x4.div(colSum<Ident>(p, s, n, c, spl(0)), spl(<f32>n)); }
}
@final @unmanaged class Norm2 {
  @inline row(p: usize, n: i32): f32 { return <f32>Math.sqrt(rowSum<Square>(p, n, spl(0))); }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 { return f32x4.sqrt(colSum<Square>(p, s, n, c, spl(0))); }
}
@final @unmanaged class Prod {
  @inline row(p: usize, n: i32): f32 { return rowProd(p, n); }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 { return colProd(p, s, n, c); }
}
@final @unmanaged class Max {
  @inline row(p: usize, n: i32): f32 { return rowExtreme(p, n, true); }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 { return colExtreme(p, s, n, c, true); }
}
@final @unmanaged class Min {
  @inline row(p: usize, n: i32): f32 { return rowExtreme(p, n, false); }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 { return colExtreme(p, s, n, c, false); }
}
@final @unmanaged class LogSumExp {
  @inline row(p: usize, n: i32): f32 {
    const m = f32x4.extract_lane(lseShift(spl(rowExtreme(p, n, true))), 0);
    return m + <f32>Math.log(rowSum<ExpShift>(p, n, spl(m)));
  }
  @inline col(p: usize, s: usize, n: i32, c: i32): v128 {
    const m = lseShift(colExtreme(p, s, n, c, true));
    return f32x4.add(m, vlog(colSum<ExpShift>(p, s, n, c, m)));
  }
}

function reduce<R>(x: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  const r = opOf<R>();
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>n * stride, yo = y + <usize>o * stride;
    if (inner == 1) {
      store<f32>(yo, r.row(xo, n));
      continue;
    }
    for (let j = 0; j < inner; j += 4) {
      const c = min(4, inner - j);
      store4(yo + (<usize>j << 2), r.col(xo + (<usize>j << 2), stride, n, c), c);
    }
  }
}

/** y[o, j] = reduce_k x[o, k, j]; op codes in opcodes.ts (REDUCE_*). */
export function f32_reduce_wasmsimd(op: i32, x: usize, y: usize, outer: i32, n: i32, inner: i32): void {
  switch (op) {
    case REDUCE_SUM: reduce<Sum>(x, y, outer, n, inner); break;
    case REDUCE_PROD: reduce<Prod>(x, y, outer, n, inner); break;
    case REDUCE_MAX: case REDUCE_AMAX: reduce<Max>(x, y, outer, n, inner); break;
    case REDUCE_MIN: case REDUCE_AMIN: reduce<Min>(x, y, outer, n, inner); break;
    case REDUCE_MEAN: reduce<Mean>(x, y, outer, n, inner); break;
    case REDUCE_LOGSUMEXP: reduce<LogSumExp>(x, y, outer, n, inner); break;
    case REDUCE_NORM2: reduce<Norm2>(x, y, outer, n, inner); break;
    default: break;
  }
}

/**
 * Variance over n, two-pass (mean, then squared deviations, both summed as above), divided by
 * max(0, n - correction) like torch.var.
 */
export function f32_var_wasmsimd(x: usize, y: usize, outer: i32, n: i32, inner: i32, correction: f32): void {
  const stride = <usize>inner << 2;
  const dof = spl(max<f32>(0, <f32>n - correction));
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>n * stride, yo = y + <usize>o * stride;
    if (inner == 1) {
      const mean = <f32>(rowSum<Ident>(xo, n, spl(0)) / <f64>n);
      store<f32>(yo, f32x4.extract_lane(f32x4.div(spl(<f32>rowSum<SqDiff>(xo, n, spl(mean))), dof), 0));
      continue;
    }
    for (let j = 0; j < inner; j += 4) {
      const c = min(4, inner - j);
      const p = xo + (<usize>j << 2);
      const mean = f32x4.div(colSum<Ident>(p, stride, n, c, spl(0)), spl(<f32>n));
      store4(yo + (<usize>j << 2), f32x4.div(colSum<SqDiff>(p, stride, n, c, mean), dof), c);
    }
  }
}
