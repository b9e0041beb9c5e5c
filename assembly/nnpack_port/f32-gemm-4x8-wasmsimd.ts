// The register-blocked inner product every GEMM-shaped convolution ends in (Winograd's 64
// frequency GEMMs, 1x1, implicit GEMM, im2col): C[4 x 8] = bias + A[4 x K] B[K x 8] (the
// accumulators start from the bias), then a clamp. 8 v128 accumulators plus 2 B vectors and an A splat fit x86's 16 registers, as in
// XNNPACK's f32-gemm 4x8 wasmsimd "loadsplat" kernels (see: google/XNNPACK src/f32-gemm/wasmsimd-loadsplat.c.in).
// load32_splat beats loading 4 A values and splatting lanes by shuffle by 25-40% here (on x86 the
// broadcast happens in the load unit, the shuffles compete with the multiplies and adds).
//   A: a packed panel, K rows of 4 floats (rows of C past mr read zeros).
//   B: row k is 8 floats at b + k * bStride (gemm), or at b + offsets[k] (igemm: the rows of an
//      implicit im2col matrix, read straight from a padded image).
//   C: row i is at c + i * cStride; only mr rows and nc (<= 8) columns are written.
//   bias: mr floats, or 0 for none; lo/hi clamp the result (pmax/pmin: NaN passes through).

import { fmadd } from './madd';
// Exported with the GEMM kernels (assembly/index.ts re-exports this file): the few-row product.
export { f32_gemv_rows_wasmsimd } from './f32-gemv-wasmsimd';

const STAGE: usize = memory.data(32, 16);

// @ts-ignore: decorator
@inline function epilogueRow(c: usize, nc: i32, v0: v128, v1: v128, lo: v128, hi: v128): void {
  v0 = f32x4.pmin(f32x4.pmax(v0, lo), hi);
  v1 = f32x4.pmin(f32x4.pmax(v1, lo), hi);
  if (nc == 8) {
    v128.store(c, v0);
    v128.store(c, v1, 16);
  } else {
    v128.store(STAGE, v0);
    v128.store(STAGE, v1, 16);
    memory.copy(c, STAGE, <usize>nc << 2);
  }
}

// @ts-ignore: decorator
@inline function epilogue(mr: i32, nc: i32, c: usize, cStride: usize, lo: f32, hi: f32,
  c00: v128, c01: v128, c10: v128, c11: v128, c20: v128, c21: v128, c30: v128, c31: v128): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  epilogueRow(c, nc, c00, c01, vlo, vhi);
  if (mr > 1) epilogueRow(c + cStride, nc, c10, c11, vlo, vhi);
  if (mr > 2) epilogueRow(c + 2 * cStride, nc, c20, c21, vlo, vhi);
  if (mr > 3) epilogueRow(c + 3 * cStride, nc, c30, c31, vlo, vhi);
}

// Row i's bias (accumulators start from it: no adds after the loop), or 0.
// @ts-ignore: decorator
@inline function biasSplat(bias: usize, i: i32, mr: i32): v128 {
  return bias && i < mr ? v128.load32_splat(bias + (<usize>i << 2)) : f32x4.splat(0);
}

export function f32_gemm_4x8_wasmsimd(mr: i32, nc: i32, kc: i32, a: usize, b: usize, bStride: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  gemm4x8(mr, nc, kc, a, b, bStride, c, cStride, bias, lo, hi);
}

/**
 * nb 8-column blocks of a packed B ([nb][kc][8], as the 1x1 path packs it) against one A panel,
 * C's columns 8j .. 8j + 7 for block j: one call per panel instead of per block, which matters when
 * kc is small (MobileNetV2's expand layers have 16-32 input channels).
 */
export function f32_gemm_4x8_blocks_wasmsimd(mr: i32, nb: i32, kc: i32, a: usize, b: usize, c: usize, cStride: usize,
  bias: usize, lo: f32, hi: f32): void {
  const blockBytes = <usize>kc << 5;
  for (let j = 0; j < nb; j++) {
    gemm4x8(mr, 8, kc, a, b, 32, c, cStride, bias, lo, hi);
    b += blockBytes;
    c += 32;
  }
}

// @ts-ignore: decorator
@inline function gemm4x8(mr: i32, nc: i32, kc: i32, a: usize, b: usize, bStride: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  let c00 = biasSplat(bias, 0, mr), c01 = c00, c10 = biasSplat(bias, 1, mr), c11 = c10;
  let c20 = biasSplat(bias, 2, mr), c21 = c20, c30 = biasSplat(bias, 3, mr), c31 = c30;
  const aEnd = a + (<usize>kc << 4);
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
    a += 16;
    b += bStride;
  }
  epilogue(mr, nc, c, cStride, lo, hi, c00, c01, c10, c11, c20, c21, c30, c31);
}

export function f32_igemm_4x8_wasmsimd(mr: i32, nc: i32, kc: i32, a: usize, b: usize, offsets: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  let c00 = biasSplat(bias, 0, mr), c01 = c00, c10 = biasSplat(bias, 1, mr), c11 = c10;
  let c20 = biasSplat(bias, 2, mr), c21 = c20, c30 = biasSplat(bias, 3, mr), c31 = c30;
  const aEnd = a + (<usize>kc << 4);
  while (a < aEnd) {
    const p = b + <usize>load<u32>(offsets);
    const b0 = v128.load(p), b1 = v128.load(p, 16);
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
    a += 16;
    offsets += 4;
  }
  epilogue(mr, nc, c, cStride, lo, hi, c00, c01, c10, c11, c20, c21, c30, c31);
}

/** Packs weights [M][K] (row-major) into 4-row panels [ceil(M/4)][K][4], rows past M zero. */
export function f32_gemm_4x8_pack_weights(m: i32, k: i32, w: usize, out: usize): void {
  for (let i0 = 0; i0 < m; i0 += 4) {
    for (let kk = 0; kk < k; kk++) {
      for (let i = 0; i < 4; i++) {
        const v: f32 = i0 + i < m ? load<f32>(w + ((<usize>(i0 + i) * <usize>k + <usize>kk) << 2)) : 0;
        store<f32>(out, v);
        out += 4;
      }
    }
  }
}

/**
 * y = clamp(y + r, lo, hi) over n floats: the residual epilogue of a convolution (r has y's shape),
 * as a second pass over the output while it is still in cache.
 */
export function f32_conv_residual_clamp(y: usize, r: usize, n: i32, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const end = y + (<usize>(n & ~3) << 2);
  for (; y < end; y += 16, r += 16) v128.store(y, f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(y), v128.load(r)), vlo), vhi));
  for (let i = 0; i < (n & 3); i++, y += 4, r += 4) {
    const v = f32x4.pmin(f32x4.pmax(f32x4.splat(load<f32>(y) + load<f32>(r)), vlo), vhi);
    store<f32>(y, f32x4.extract_lane(v, 0));
  }
}

/** 1 in the relaxed-SIMD build (fmadd is f32x4.relaxed_madd), 0 in the plain SIMD build. */
export function conv_relaxed_simd(): i32 {
  return ASC_FEATURE_RELAXED_SIMD ? 1 : 0;
}

// @ts-ignore: decorator
@inline function epilogueRow16(c: usize, nc: i32, v0: v128, v1: v128, v2: v128, v3: v128, bias: usize, i: i32, lo: v128, hi: v128): void {
  if (bias) {
    const b = v128.load32_splat(bias + (<usize>i << 2));
    v0 = f32x4.add(v0, b);
    v1 = f32x4.add(v1, b);
    v2 = f32x4.add(v2, b);
    v3 = f32x4.add(v3, b);
  }
  const dst = nc == 16 ? c : STAGE16;
  v128.store(dst, f32x4.pmin(f32x4.pmax(v0, lo), hi));
  v128.store(dst, f32x4.pmin(f32x4.pmax(v1, lo), hi), 16);
  v128.store(dst, f32x4.pmin(f32x4.pmax(v2, lo), hi), 32);
  v128.store(dst, f32x4.pmin(f32x4.pmax(v3, lo), hi), 48);
  if (nc != 16) memory.copy(c, STAGE16, <usize>nc << 2);
}

const STAGE16: usize = memory.data(64, 16);

/**
 * The implicit-GEMM kernel for layers with at most 3 output channels (TransformerNet's last 9x9
 * conv, 32 -> 3): 3 rows x 16 columns, so all 12 accumulators are useful (the 4x8 kernel wastes a
 * quarter of its multiplies on the missing 4th row) and each B row is loaded once for 12 madds.
 * A is the same 4-row panel the 4x8 kernels read (row 3 ignored); nc <= 16, mr <= 3.
 */
export function f32_igemm_3x16_wasmsimd(mr: i32, nc: i32, kc: i32, a: usize, b: usize, offsets: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  let c00 = f32x4.splat(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  let c20 = c00, c21 = c00, c22 = c00, c23 = c00;
  const aEnd = a + (<usize>kc << 4);
  while (a < aEnd) {
    const p = b + <usize>load<u32>(offsets);
    const b0 = v128.load(p), b1 = v128.load(p, 16), b2 = v128.load(p, 32), b3 = v128.load(p, 48);
    const a0 = v128.load32_splat(a, 0);
    c00 = fmadd(a0, b0, c00);
    c01 = fmadd(a0, b1, c01);
    c02 = fmadd(a0, b2, c02);
    c03 = fmadd(a0, b3, c03);
    const a1 = v128.load32_splat(a, 4);
    c10 = fmadd(a1, b0, c10);
    c11 = fmadd(a1, b1, c11);
    c12 = fmadd(a1, b2, c12);
    c13 = fmadd(a1, b3, c13);
    const a2 = v128.load32_splat(a, 8);
    c20 = fmadd(a2, b0, c20);
    c21 = fmadd(a2, b1, c21);
    c22 = fmadd(a2, b2, c22);
    c23 = fmadd(a2, b3, c23);
    a += 16;
    offsets += 4;
  }
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  epilogueRow16(c, nc, c00, c01, c02, c03, bias, 0, vlo, vhi);
  if (mr > 1) epilogueRow16(c + cStride, nc, c10, c11, c12, c13, bias, 1, vlo, vhi);
  if (mr > 2) epilogueRow16(c + 2 * cStride, nc, c20, c21, c22, c23, bias, 2, vlo, vhi);
}

// The last 1..4 pixels of a 1x1 convolution whose plane is not a multiple of 8 (7x7, 14x14), as
// C^T: one v128 holds the 4 output channels of one pixel (a row of the packed A panel) and the
// pixel's inputs are splatted. The 8-wide kernel would multiply zeros for the missing columns
// (7 of 8 at 7x7) and need the tail copied into a padded panel first.

// @ts-ignore: decorator
@inline function biasLanes(bias: usize, mr: i32): v128 {
  let v = f32x4.splat(0);
  if (!bias) return v;
  v = f32x4.replace_lane(v, 0, load<f32>(bias));
  if (mr > 1) v = f32x4.replace_lane(v, 1, load<f32>(bias, 4));
  if (mr > 2) v = f32x4.replace_lane(v, 2, load<f32>(bias, 8));
  if (mr > 3) v = f32x4.replace_lane(v, 3, load<f32>(bias, 12));
  return v;
}

// Stores the first mr lanes of v (channels of one pixel) down column c of C.
// @ts-ignore: decorator
@inline function storeColumn(c: usize, cStride: usize, mr: i32, v: v128, lo: v128, hi: v128): void {
  v = f32x4.pmin(f32x4.pmax(v, lo), hi);
  v128.store32_lane(c, v, 0);
  if (mr > 1) v128.store32_lane(c + cStride, v, 1);
  if (mr > 2) v128.store32_lane(c + 2 * cStride, v, 2);
  if (mr > 3) v128.store32_lane(c + 3 * cStride, v, 3);
}

/** C[mr x 4] = A[4-row panel, kc] B[kc x 4] (+ bias, clamped), B row k at b + k * bStride. */
export function f32_gemm_4x4t_wasmsimd(mr: i32, kc: i32, a: usize, b: usize, bStride: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  let c0 = biasLanes(bias, mr), c1 = c0, c2 = c0, c3 = c0;
  const aEnd = a + (<usize>kc << 4);
  while (a < aEnd) {
    const va = v128.load(a);
    c0 = fmadd(va, v128.load32_splat(b, 0), c0);
    c1 = fmadd(va, v128.load32_splat(b, 4), c1);
    c2 = fmadd(va, v128.load32_splat(b, 8), c2);
    c3 = fmadd(va, v128.load32_splat(b, 12), c3);
    a += 16;
    b += bStride;
  }
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  storeColumn(c, cStride, mr, c0, vlo, vhi);
  storeColumn(c + 4, cStride, mr, c1, vlo, vhi);
  storeColumn(c + 8, cStride, mr, c2, vlo, vhi);
  storeColumn(c + 12, cStride, mr, c3, vlo, vhi);
}

/** C[mr x 1] = A[4-row panel, kc] B[kc x 1] (+ bias, clamped): 4 partial sums over k break the add chain. */
export function f32_gemm_4x1t_wasmsimd(mr: i32, kc: i32, a: usize, b: usize, bStride: usize,
  c: usize, cStride: usize, bias: usize, lo: f32, hi: f32): void {
  let s0 = biasLanes(bias, mr), s1 = f32x4.splat(0), s2 = s1, s3 = s1;
  const a4 = a + (<usize>(kc & ~3) << 4), aEnd = a + (<usize>kc << 4);
  while (a < a4) {
    s0 = fmadd(v128.load(a), v128.load32_splat(b), s0);
    s1 = fmadd(v128.load(a, 16), v128.load32_splat(b + bStride), s1);
    s2 = fmadd(v128.load(a, 32), v128.load32_splat(b + 2 * bStride), s2);
    s3 = fmadd(v128.load(a, 48), v128.load32_splat(b + 3 * bStride), s3);
    a += 64;
    b += 4 * bStride;
  }
  while (a < aEnd) {
    s0 = fmadd(v128.load(a), v128.load32_splat(b), s0);
    a += 16;
    b += bStride;
  }
  storeColumn(c, cStride, mr, f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3)), f32x4.splat(lo), f32x4.splat(hi));
}
