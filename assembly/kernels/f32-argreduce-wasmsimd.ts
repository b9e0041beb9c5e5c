// f32_arg_reduce: argmax/argmin over n of a contiguous [outer, n, inner] tensor, first occurrence
// wins and NaN beats any number (PyTorch propagates NaN: the index of the first NaN).
import { TAIL, load4 } from './scratch';
import { ARG_MAX } from './opcodes';

// @ts-ignore: decorator
@inline function beats(v: v128, best: v128, isMax: bool): v128 {
  const order = isMax ? f32x4.gt(v, best) : f32x4.lt(v, best);
  return v128.or(order, v128.andnot(f32x4.ne(v, v), f32x4.ne(best, best)));
}

// @ts-ignore: decorator
@inline function beatsScalar(v: f32, best: f32, isMax: bool): bool {
  return (isMax ? v > best : v < best) || (v != v && best == best);
}

function argRow(p: usize, n: i32, isMax: bool, yIdx: usize, yVal: usize): void {
  // Lane l tracks elements l, l + 4, ...; a later element wins only if strictly better.
  let best = load4(p, min(4, n));
  let idx = i32x4(0, 1, 2, 3);
  let cur = i32x4(4, 5, 6, 7);
  let i = 4;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(p + (<usize>i << 2));
    const m = beats(v, best, isMax);
    best = v128.bitselect(v, best, m);
    idx = v128.bitselect(cur, idx, m);
    cur = i32x4.add(cur, i32x4.splat(4));
  }
  // Combine lanes (ties go to the smaller index), then the scalar tail.
  const lanes = min(4, n);
  v128.store(TAIL, best);
  v128.store(TAIL, idx, 16);
  let bv = load<f32>(TAIL), bi = load<i32>(TAIL, 16);
  for (let l = 1; l < lanes; l++) {
    const v = load<f32>(TAIL + (<usize>l << 2)), k = load<i32>(TAIL + 16 + (<usize>l << 2));
    const tie = v == bv || (v != v && bv != bv);
    if (beatsScalar(v, bv, isMax) || (tie && k < bi)) { bv = v; bi = k; }
  }
  for (; i < n; i++) {
    const v = load<f32>(p + (<usize>i << 2));
    if (beatsScalar(v, bv, isMax)) { bv = v; bi = i; }
  }
  store<i64>(yIdx, <i64>bi);
  if (yVal) store<f32>(yVal, bv);
}

function argCols(p: usize, stride: usize, n: i32, count: i32, isMax: bool, yIdx: usize, yVal: usize): void {
  let best = load4(p, count);
  let idx = i32x4.splat(0);
  for (let k = 1; k < n; k++) {
    const v = load4(p + <usize>k * stride, count);
    const m = beats(v, best, isMax);
    best = v128.bitselect(v, best, m);
    idx = v128.bitselect(i32x4.splat(k), idx, m);
  }
  v128.store(TAIL, best);
  v128.store(TAIL, idx, 16);
  for (let l = 0; l < count; l++) {
    store<i64>(yIdx + (<usize>l << 3), <i64>load<i32>(TAIL + 16 + (<usize>l << 2)));
    if (yVal) store<f32>(yVal + (<usize>l << 2), load<f32>(TAIL + (<usize>l << 2)));
  }
}

/** yIdx (i64) [outer, inner] = arg{max,min}_k x[o, k, j]; yVal (f32, same shape) unless 0. n >= 1. */
export function f32_arg_reduce_wasmsimd(op: i32, x: usize, yIdx: usize, yVal: usize, outer: i32, n: i32, inner: i32): void {
  const isMax = op == ARG_MAX;
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const xo = x + <usize>o * <usize>n * stride;
    const out = <usize>o * <usize>inner;
    for (let j = 0; j < inner; j += 4) {
      const c = min(4, inner - j);
      const yi = yIdx + ((out + <usize>j) << 3), yv = yVal ? yVal + ((out + <usize>j) << 2) : 0;
      if (inner == 1) argRow(xo, n, isMax, yi, yv);
      else argCols(xo + (<usize>j << 2), stride, n, c, isMax, yi, yv);
    }
  }
}
