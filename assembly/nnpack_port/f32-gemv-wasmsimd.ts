// y = x W^T + bias for a few rows of x (aten::linear at batch 1: a classifier head). The GEMM path
// packs the transposed W into 8-column panels on every call, which reads all of W once with scalar
// gathers; here each block of 4 rows of W (row-major [N][K], as linear stores it) is read once,
// contiguously, and dotted with every row of x while it is in L1: memory-bound on W, as it must be.
//   x: m rows of k floats, row i at x + i * ldx floats; w: n rows of k floats, contiguous.
//   y: m rows of n floats, row i at y + i * ldy floats; bias: n floats, or 0 for none.
import { fmadd } from './madd';

const STAGE: usize = memory.data(16, 16);

// @ts-ignore: decorator
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  // Lane r of the result: the sum of the 4 lanes of the r-th argument.
  const ab = f32x4.add(i32x4.shuffle(a, b, 0, 1, 4, 5), i32x4.shuffle(a, b, 2, 3, 6, 7));
  const cd = f32x4.add(i32x4.shuffle(c, d, 0, 1, 4, 5), i32x4.shuffle(c, d, 2, 3, 6, 7));
  return f32x4.add(i32x4.shuffle(ab, cd, 0, 2, 4, 6), i32x4.shuffle(ab, cd, 1, 3, 5, 7));
}

export function f32_gemv_rows_wasmsimd(m: i32, n: i32, k: i32, x: usize, ldx: i32, w: usize, bias: usize, y: usize, ldy: i32): void {
  const rowBytes = <usize>k << 2, k4 = k & ~3;
  for (let j = 0; j < n; j += 4) {
    // Rows past n repeat the last row (their sums are not stored).
    const w0 = w + <usize>j * rowBytes, w1 = w + <usize>min(j + 1, n - 1) * rowBytes;
    const w2 = w + <usize>min(j + 2, n - 1) * rowBytes, w3 = w + <usize>min(j + 3, n - 1) * rowBytes;
    for (let i = 0; i < m; i++) {
      const xi = x + (<usize>i * <usize>ldx << 2);
      let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
      for (let q: usize = 0; q < (<usize>k4 << 2); q += 16) {
        const v = v128.load(xi + q);
        a0 = fmadd(v, v128.load(w0 + q), a0);
        a1 = fmadd(v, v128.load(w1 + q), a1);
        a2 = fmadd(v, v128.load(w2 + q), a2);
        a3 = fmadd(v, v128.load(w3 + q), a3);
      }
      let s = hsum4(a0, a1, a2, a3);
      for (let kk = k4; kk < k; kk++) {
        const q = <usize>kk << 2, v = f32x4.splat(load<f32>(xi + q));
        const col = f32x4.replace_lane(f32x4.replace_lane(f32x4.replace_lane(f32x4.splat(load<f32>(w0 + q)), 1, load<f32>(w1 + q)), 2, load<f32>(w2 + q)), 3, load<f32>(w3 + q));
        s = fmadd(v, col, s);
      }
      const yi = y + ((<usize>i * <usize>ldy + <usize>j) << 2);
      if (j + 4 <= n) {
        v128.store(yi, bias ? f32x4.add(s, v128.load(bias + (<usize>j << 2))) : s);
        continue;
      }
      v128.store(STAGE, s);
      for (let r = j; r < n; r++) {
        const at = <usize>(r - j) << 2;
        store<f32>(yi + at, load<f32>(STAGE + at) + (bias ? load<f32>(bias + (<usize>r << 2)) : 0));
      }
    }
  }
}
