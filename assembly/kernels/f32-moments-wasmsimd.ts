// Per-row mean and biased variance of contiguous rows, the statistics of batch, instance, layer
// and group norm. Two passes: sums of f32 vectors over blocks of at most 4 x 256 elements are added
// into f64; the squared deviations are taken around the f32-rounded mean and corrected in f64.
import { TAIL } from './scratch';
import { hsum64 } from './f32-vmath-wasmsimd';

const BLOCK = 1024;

/** Sum over a row of x (squared deviations from m when `dev`), in f64. */
function rowSum(p: usize, n: i32, dev: bool, m: v128): f64 {
  let total: f64 = 0;
  const n16 = n & ~15;
  let i = 0;
  while (i < n16) {
    const end = min(n16, i + BLOCK);
    let a0 = f32x4.splat(0), a1 = a0, a2 = a0, a3 = a0;
    if (dev) {
      for (; i < end; i += 16, p += 64) {
        const d0 = f32x4.sub(v128.load(p), m), d1 = f32x4.sub(v128.load(p, 16), m);
        const d2 = f32x4.sub(v128.load(p, 32), m), d3 = f32x4.sub(v128.load(p, 48), m);
        a0 = f32x4.add(a0, f32x4.mul(d0, d0)); a1 = f32x4.add(a1, f32x4.mul(d1, d1));
        a2 = f32x4.add(a2, f32x4.mul(d2, d2)); a3 = f32x4.add(a3, f32x4.mul(d3, d3));
      }
    } else {
      for (; i < end; i += 16, p += 64) {
        a0 = f32x4.add(a0, v128.load(p)); a1 = f32x4.add(a1, v128.load(p, 16));
        a2 = f32x4.add(a2, v128.load(p, 32)); a3 = f32x4.add(a3, v128.load(p, 48));
      }
    }
    total += hsum64(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)));
  }
  // The last n % 16 elements, staged in TAIL with the unused lanes holding m (zero deviation, zero sum).
  for (; i < n; i += 4, p += 16) {
    const c = min(4, n - i);
    v128.store(TAIL, dev ? m : f32x4.splat(0));
    memory.copy(TAIL, p, <usize>c << 2);
    let v = v128.load(TAIL);
    if (dev) { v = f32x4.sub(v, m); v = f32x4.mul(v, v); }
    total += hsum64(v);
  }
  return total;
}

/** mean[r] and var[r] (f64, biased) of rows r < rows of n contiguous floats at x. */
export function f32_moments_wasmsimd(x: usize, rows: i32, n: i32, mean: usize, vr: usize): void {
  for (let r = 0; r < rows; r++, x += <usize>n << 2) {
    const m = rowSum(x, n, false, f32x4.splat(0)) / <f64>n;
    const m32 = <f32>m, shift = <f64>m32 - m;
    const q = rowSum(x, n, true, f32x4.splat(m32)) / <f64>n - shift * shift;
    store<f64>(mean + (<usize>r << 3), m);
    store<f64>(vr + (<usize>r << 3), max<f64>(q, 0));
  }
}
