// Bandwidth and compute probes for the benchmarks: the STREAM triad and a SIMD peak loop.

/** a[i] = b[i] + s * c[i] (n a multiple of 4 is fastest; the tail is scalar). */
export function f32_triad_wasmsimd(a: usize, b: usize, c: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  const vend = a + (<usize>(n & ~3) << 2), end = a + (<usize>n << 2);
  for (; a < vend; a += 16, b += 16, c += 16) v128.store(a, f32x4.add(v128.load(b), f32x4.mul(vs, v128.load(c))));
  for (; a < end; a += 4, b += 4, c += 4) store<f32>(a, load<f32>(b) + s * load<f32>(c));
}

const PEAK_OPERANDS: usize = memory.data(64, 16);

/**
 * iters rounds of 8 independent f32x4 multiply-add chains (64 flops per round), fed as the 4x8
 * GEMM tile is: 2 vector loads and 4 broadcast loads per round. Measured here, this is the
 * highest rate: chains fed by registers alone (10 chains, 80 flops a round) run 20-25% slower on
 * x86, where the loads go to their own ports and the multiplies and adds take the rest.
 */
export function f32_peak_wasmsimd(iters: i32): f32 {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let i = 0; i < iters; i++) {
    const b0 = v128.load(PEAK_OPERANDS), b1 = v128.load(PEAK_OPERANDS, 16);
    const a0 = v128.load32_splat(PEAK_OPERANDS, 32), a1 = v128.load32_splat(PEAK_OPERANDS, 36);
    const a2 = v128.load32_splat(PEAK_OPERANDS, 40), a3 = v128.load32_splat(PEAK_OPERANDS, 44);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
  }
  const s = f32x4.add(f32x4.add(f32x4.add(c00, c01), f32x4.add(c10, c11)), f32x4.add(f32x4.add(c20, c21), f32x4.add(c30, c31)));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 3);
}
