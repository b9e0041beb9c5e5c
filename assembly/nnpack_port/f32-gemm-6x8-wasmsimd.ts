// C[6 x 8] = A[6 x K] B[K x 8] + bias per row, clamped: the 1x1 convolution's kernel where the plane
// is a multiple of 8 pixels. 12 accumulators, 2 B vectors and an A splat use 15 of x86's 16 vector
// registers; each B row loaded serves 12 multiply-adds instead of the 4x8 kernel's 8 (XNNPACK's
// f32-gemm 6x8 wasmsimd loadsplat kernel, google/XNNPACK src/f32-gemm/gen/f32-gemm-6x8-minmax-wasmsimd-x86-loadsplat.c).
//   A: a packed panel, K rows of 6 floats (rows of C past mr read zeros); B row k at b + k * bStride;
//   C row i at c + i * cStride, mr <= 6 rows and 8 columns written.
import { fmadd } from './madd';

// @ts-ignore: decorator
@inline function storeRow(c: usize, v0: v128, v1: v128, bias: usize, i: i32, lo: v128, hi: v128): void {
  if (bias) {
    const b = v128.load32_splat(bias + (<usize>i << 2));
    v0 = f32x4.add(v0, b);
    v1 = f32x4.add(v1, b);
  }
  v128.store(c, f32x4.pmin(f32x4.pmax(v0, lo), hi));
  v128.store(c, f32x4.pmin(f32x4.pmax(v1, lo), hi), 16);
}

export function f32_gemm_6x8_wasmsimd(mr: i32, kc: i32, a: usize, b: usize, bStride: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  const aEnd = a + <usize>kc * 24;
  while (a < aEnd) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a, 0);
    c00 = fmadd(a0, b0, c00);
    c01 = fmadd(a0, b1, c01);
    const a1 = v128.load32_splat(a, 4);
    c10 = fmadd(a1, b0, c10);
    c11 = fmadd(a1, b1, c11);
    const a2 = v128.load32_splat(a, 8);
    c20 = fmadd(a2, b0, c20);
    c21 = fmadd(a2, b1, c21);
    const a3 = v128.load32_splat(a, 12);
    c30 = fmadd(a3, b0, c30);
    c31 = fmadd(a3, b1, c31);
    const a4 = v128.load32_splat(a, 16);
    c40 = fmadd(a4, b0, c40);
    c41 = fmadd(a4, b1, c41);
    const a5 = v128.load32_splat(a, 20);
    c50 = fmadd(a5, b0, c50);
    c51 = fmadd(a5, b1, c51);
    a += 24;
    b += bStride;
  }
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  storeRow(c, c00, c01, bias, 0, vlo, vhi);
  if (mr > 1) storeRow(c + cStride, c10, c11, bias, 1, vlo, vhi);
  if (mr > 2) storeRow(c + 2 * cStride, c20, c21, bias, 2, vlo, vhi);
  if (mr > 3) storeRow(c + 3 * cStride, c30, c31, bias, 3, vlo, vhi);
  if (mr > 4) storeRow(c + 4 * cStride, c40, c41, bias, 4, vlo, vhi);
  if (mr > 5) storeRow(c + 5 * cStride, c50, c51, bias, 5, vlo, vhi);
}

/** Packs weights [M][K] (row-major) into 6-row panels [ceil(M/6)][K][6], rows past M zero. */
export function f32_gemm_6x8_pack_weights(m: i32, k: i32, w: usize, out: usize): void {
  for (let i0 = 0; i0 < m; i0 += 6) {
    for (let kk = 0; kk < k; kk++) {
      for (let i = 0; i < 6; i++) {
        const v: f32 = i0 + i < m ? load<f32>(w + ((<usize>(i0 + i) * <usize>k + <usize>kk) << 2)) : 0;
        store<f32>(out, v);
        out += 4;
      }
    }
  }
}
