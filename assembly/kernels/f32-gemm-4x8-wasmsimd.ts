// The GEMM microkernel: a 4x8 tile of C from packed panels, 8 f32x4 accumulators.
// a: kc x 4 (row panel, k-major, already scaled by alpha); b: kc x 8 (column panel, k-major).

/** C[0..4, 0..8] = A*B + beta*C (beta == 0: C is not read); ldc in bytes. */
export function f32_gemm_4x8_wasmsimd(kc: i32, a: usize, b: usize, c: usize, ldc: usize, beta: f32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0), c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  const end = a + (<usize>kc << 4);
  while (a < end) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    const a0 = v128.load32_splat(a), a1 = v128.load32_splat(a, 4);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0)); c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0)); c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(a, 8), a3 = v128.load32_splat(a, 12);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0)); c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0)); c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    a += 16; b += 32;
  }
  if (beta != 0) {
    const vb = f32x4.splat(beta);
    c00 = f32x4.add(c00, f32x4.mul(vb, v128.load(c))); c01 = f32x4.add(c01, f32x4.mul(vb, v128.load(c, 16)));
    c10 = f32x4.add(c10, f32x4.mul(vb, v128.load(c + ldc))); c11 = f32x4.add(c11, f32x4.mul(vb, v128.load(c + ldc, 16)));
    c20 = f32x4.add(c20, f32x4.mul(vb, v128.load(c + 2 * ldc))); c21 = f32x4.add(c21, f32x4.mul(vb, v128.load(c + 2 * ldc, 16)));
    c30 = f32x4.add(c30, f32x4.mul(vb, v128.load(c + 3 * ldc))); c31 = f32x4.add(c31, f32x4.mul(vb, v128.load(c + 3 * ldc, 16)));
  }
  v128.store(c, c00); v128.store(c, c01, 16);
  v128.store(c + ldc, c10); v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20); v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30); v128.store(c + 3 * ldc, c31, 16);
}
