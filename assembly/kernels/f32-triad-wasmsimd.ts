// Bandwidth and compute probes for the benchmarks: the STREAM triad and a SIMD peak loop.

/** a[i] = b[i] + s * c[i] (n a multiple of 4 is fastest; the tail is scalar). */
export function f32_triad_wasmsimd(a: usize, b: usize, c: usize, n: i32, s: f32): void {
  const vs = f32x4.splat(s);
  const vend = a + (<usize>(n & ~3) << 2), end = a + (<usize>n << 2);
  for (; a < vend; a += 16, b += 16, c += 16) v128.store(a, f32x4.add(v128.load(b), f32x4.mul(vs, v128.load(c))));
  for (; a < end; a += 4, b += 4, c += 4) store<f32>(a, load<f32>(b) + s * load<f32>(c));
}

/** iters rounds of 10 independent f32x4 mul+add chains (80 flops per round); returns a checksum. */
export function f32_peak_wasmsimd(iters: i32): f32 {
  const m = f32x4.splat(0.999999), d = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1), a1 = f32x4.splat(2), a2 = f32x4.splat(3), a3 = f32x4.splat(4), a4 = f32x4.splat(5);
  let a5 = f32x4.splat(6), a6 = f32x4.splat(7), a7 = f32x4.splat(8), a8 = f32x4.splat(9), a9 = f32x4.splat(10);
  for (let i = 0; i < iters; i++) {
    a0 = f32x4.add(f32x4.mul(a0, m), d); a1 = f32x4.add(f32x4.mul(a1, m), d);
    a2 = f32x4.add(f32x4.mul(a2, m), d); a3 = f32x4.add(f32x4.mul(a3, m), d);
    a4 = f32x4.add(f32x4.mul(a4, m), d); a5 = f32x4.add(f32x4.mul(a5, m), d);
    a6 = f32x4.add(f32x4.mul(a6, m), d); a7 = f32x4.add(f32x4.mul(a7, m), d);
    a8 = f32x4.add(f32x4.mul(a8, m), d); a9 = f32x4.add(f32x4.mul(a9, m), d);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(f32x4.add(a6, a7), f32x4.add(a8, a9))));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 3);
}
