// 2-D resampling of contiguous planes [planes, H, W] -> [planes, OH, OW] by tap tables: for each
// output row and column, source indices (-1: the fill value) and weights, as src/ops/resample.ts
// builds them. f32_gather2d is the one-tap, unit-weight case (padding in every mode, nearest
// upsampling); f32_taps2d is the general separable case (bilinear, bicubic, area).

// @ts-ignore: decorator
@inline function idx(t: usize, j: i32): i32 { return load<i32>(t + (<usize>j << 2)); }

/** Fills n floats at y with v (vectors, then a scalar tail). */
function fillRow(y: usize, n: i32, v: f32): void {
  const vv = f32x4.splat(v), end = y + (<usize>n << 2), vend = y + (<usize>(n & ~3) << 2);
  for (; y < vend; y += 16) v128.store(y, vv);
  for (; y < end; y += 4) store<f32>(y, v);
}

/** One output row of a column gather: y[j] = src[cols[j]] (fill for -1), memory.copy over [a, b). */
function gatherRow(src: usize, y: usize, cols: usize, OW: i32, a: i32, b: i32, fill: f32): void {
  for (let j = 0; j < a; j++) {
    const c = idx(cols, j);
    store<f32>(y + (<usize>j << 2), c < 0 ? fill : load<f32>(src + (<usize>c << 2)));
  }
  if (b > a) memory.copy(y + (<usize>a << 2), src + (<usize>idx(cols, a) << 2), <usize>(b - a) << 2);
  for (let j = max(a, b); j < OW; j++) {
    const c = idx(cols, j);
    store<f32>(y + (<usize>j << 2), c < 0 ? fill : load<f32>(src + (<usize>c << 2)));
  }
}

/** y[2j] = y[2j + 1] = src[j]: nearest upsampling by exactly 2 along W. */
function doubleRow(src: usize, y: usize, W: i32): void {
  const W4 = W & ~3;
  let j = 0;
  for (; j < W4; j += 4, src += 16, y += 32) {
    const v = v128.load(src);
    v128.store(y, i32x4.shuffle(v, v, 0, 0, 1, 1));
    v128.store(y, i32x4.shuffle(v, v, 2, 2, 3, 3), 16);
  }
  for (; j < W; j++, src += 4, y += 8) {
    const v = load<f32>(src);
    store<f32>(y, v);
    store<f32>(y, v, 4);
  }
}

/**
 * y[p, i, j] = x[p, rows[i], cols[j]], or `fill` where either index is -1 (rows, cols: i32 tables).
 * Output rows that repeat the previous row's source are copied whole, the longest run of
 * consecutive source columns is one memory.copy, and cols[j] == j >> 1 doubles by shuffles.
 */
export function f32_gather2d_wasmsimd(x: usize, y: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32, rows: usize, cols: usize, fill: f32): void {
  // The longest run [a, b) with cols[j] = cols[a] + (j - a) >= 0.
  let a = 0, b = 0;
  for (let s = 0; s < OW;) {
    let e = s + 1;
    if (idx(cols, s) >= 0) while (e < OW && idx(cols, e) == idx(cols, e - 1) + 1) e++;
    if (idx(cols, s) >= 0 && e - s > b - a) { a = s; b = e; }
    s = e;
  }
  let double = OW == 2 * W;
  for (let j = 0; double && j < OW; j++) double = idx(cols, j) == j >> 1;
  const rowBytes = <usize>OW << 2, planeIn = <usize>H * <usize>W << 2;
  for (let p = 0; p < planes; p++) {
    const xp = x + <usize>p * planeIn;
    for (let i = 0; i < OH; i++, y += rowBytes) {
      const r = idx(rows, i);
      if (i > 0 && r == idx(rows, i - 1)) memory.copy(y, y - rowBytes, rowBytes);
      else if (r < 0) fillRow(y, OW, fill);
      else if (double) doubleRow(xp + (<usize>r * <usize>W << 2), y, W);
      else gatherRow(xp + (<usize>r * <usize>W << 2), y, cols, OW, a, b, fill);
    }
  }
}

/**
 * y[p, i, j] = sum_u colW[j, u] * sum_t rowW[i, t] * x[p, rowIdx[i, t], colIdx[j, u]]: kh taps
 * per output row (combined across W by vectors into `tmp`, W floats of scratch), then kw taps per
 * output column. Index -1 reads `fill`. Weights are f32, indices i32.
 */
export function f32_taps2d_wasmsimd(x: usize, y: usize, planes: i32, H: i32, W: i32, OH: i32, OW: i32,
  kh: i32, rowIdx: usize, rowW: usize, kw: i32, colIdx: usize, colW: usize, tmp: usize, fill: f32): void {
  const planeIn = <usize>H * <usize>W << 2, W4 = W & ~3, end = tmp + (<usize>W << 2);
  for (let p = 0; p < planes; p++) {
    const xp = x + <usize>p * planeIn;
    for (let i = 0; i < OH; i++, y += <usize>OW << 2) {
      fillRow(tmp, W, 0);
      for (let t = i * kh; t < i * kh + kh; t++) {
        const r = idx(rowIdx, t), wt = load<f32>(rowW + (<usize>t << 2));
        if (r < 0) {
          for (let q = tmp; q < end; q += 4) store<f32>(q, load<f32>(q) + wt * fill);
          continue;
        }
        const vw = f32x4.splat(wt);
        let s = xp + (<usize>r * <usize>W << 2), q = tmp;
        for (const qv = tmp + (<usize>W4 << 2); q < qv; q += 16, s += 16) v128.store(q, f32x4.add(v128.load(q), f32x4.mul(vw, v128.load(s))));
        for (; q < end; q += 4, s += 4) store<f32>(q, load<f32>(q) + wt * load<f32>(s));
      }
      for (let j = 0; j < OW; j++) {
        let acc: f32 = 0;
        for (let u = j * kw; u < j * kw + kw; u++) {
          const c = idx(colIdx, u);
          acc += load<f32>(colW + (<usize>u << 2)) * (c < 0 ? fill : load<f32>(tmp + (<usize>c << 2)));
        }
        store<f32>(y + (<usize>j << 2), acc);
      }
    }
  }
}
