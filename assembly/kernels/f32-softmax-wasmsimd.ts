// f32_softmax: softmax / log_softmax over n of a contiguous [outer, n, inner] tensor, stable
// (max subtracted), NaN-propagating max. Rows (inner == 1) are SIMD across n, otherwise 4 columns
// of inner at a time. y may be x.
import { laneMask, load4, store4 } from './scratch';
import { hmax, vexp, vlog } from './f32-vmath-wasmsimd';

/** One softmax over `n` elements `stride` bytes apart, `count` (<= 4) independent lanes at once. */
// @ts-ignore: decorator
@inline function softmaxLanes(x: usize, y: usize, stride: usize, n: i32, count: i32, isLog: bool): v128 {
  // Pass 1: max with NaN tracking.
  let m = load4(x, count);
  let nan = f32x4.ne(m, m);
  for (let k = 1; k < n; k++) {
    const v = load4(x + <usize>k * stride, count);
    m = f32x4.pmax(m, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  m = v128.bitselect(f32x4.splat(NaN), m, nan);
  // Pass 2: exp(x - max), kept in y for softmax, summed.
  let s = f32x4.splat(0);
  for (let k = 0; k < n; k++) {
    const e = vexp(f32x4.sub(load4(x + <usize>k * stride, count), m));
    s = f32x4.add(s, e);
    if (!isLog) store4(y + <usize>k * stride, e, count);
  }
  // Pass 3: scale, or x - max - log(sum).
  if (isLog) {
    // (x - max) - log(sum), in PyTorch's order: x - max is exact near the max.
    const ls = vlog(s);
    for (let k = 0; k < n; k++) {
      const p = <usize>k * stride;
      store4(y + p, f32x4.sub(f32x4.sub(load4(x + p, count), m), ls), count);
    }
  } else {
    const r = f32x4.div(f32x4.splat(1), s);
    for (let k = 0; k < n; k++) {
      const p = y + <usize>k * stride;
      store4(p, f32x4.mul(load4(p, count), r), count);
    }
  }
  return m;
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  v = f32x4.add(v, i64x2.shuffle(v, v, 1, 0));
  return f32x4.extract_lane(f32x4.add(v, i32x4.shuffle(v, v, 1, 0, 3, 2)), 0);
}

/** A contiguous row, SIMD across n. */
function softmaxRow(x: usize, y: usize, n: i32, isLog: bool): void {
  let m = f32x4.splat(-Infinity);
  let nan = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const c = min(4, n - i);
    // Lanes past the end repeat element i: harmless for the max.
    const v = load4(x + (<usize>i << 2), c);
    m = f32x4.pmax(m, v);
    nan = v128.or(nan, f32x4.ne(v, v));
  }
  const mx = f32x4.splat(v128.any_true(nan) ? NaN : hmax(m));
  let s = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const c = min(4, n - i);
    const p = <usize>i << 2;
    const e = v128.and(vexp(f32x4.sub(load4(x + p, c), mx)), laneMask(c));
    s = f32x4.add(s, e);
    if (!isLog) store4(y + p, e, c);
  }
  const total = hsum(s);
  const k = isLog ? vlog(f32x4.splat(total)) : f32x4.splat(1 / total);
  for (let i = 0; i < n; i += 4) {
    const c = min(4, n - i);
    const p = <usize>i << 2;
    store4(y + p, isLog ? f32x4.sub(f32x4.sub(load4(x + p, c), mx), k) : f32x4.mul(load4(y + p, c), k), c);
  }
}

/** y = softmax (log = 0) or log_softmax (log = 1) of x over n. */
export function f32_softmax_wasmsimd(x: usize, y: usize, outer: i32, n: i32, inner: i32, log: i32): void {
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const off = <usize>o * <usize>n * stride;
    if (inner == 1) { softmaxRow(x + off, y + off, n, log != 0); continue; }
    for (let j = 0; j < inner; j += 4) {
      const p = off + (<usize>j << 2);
      softmaxLanes(x + p, y + p, stride, n, min(4, inner - j), log != 0);
    }
  }
}
