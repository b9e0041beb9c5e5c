// The affine half of every normalization: y[r, i] = clamp(((x[r, i] - m[r]) * a[r] + b[r]) * w[i] + c[i],
// lo, hi) over rows of n contiguous floats. Batch, instance and group norm pass per-row m, a, b
// (mean, rstd * weight, bias) and no w, c; layer norm passes the per-element
// weight and bias as w, c. The clamp fuses a following ReLU / ReLU6 (lo = -inf, hi = inf: none).
import { TAIL } from './scratch';

// pmax(v, lo) / pmin(v, hi) keep a NaN in v, as PyTorch's clamp does.
// @ts-ignore: decorator
@inline function clamp(v: v128, lo: v128, hi: v128): v128 { return f32x4.pmin(f32x4.pmax(v, lo), hi); }

/** m, a, b: f32 per row; w, c: f32 per element or 0 (none). */
export function f32_norm_affine_minmax_wasmsimd(x: usize, y: usize, rows: i32, n: i32, m: usize, a: usize, b: usize, w: usize, c: usize, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi), one = f32x4.splat(1), zero = f32x4.splat(0);
  const n4 = <usize>(n & ~3) << 2, rem = <usize>(n & 3) << 2, rowBytes = <usize>n << 2;
  const perElement = w != 0 || c != 0;
  for (let r = 0; r < rows; r++, x += rowBytes, y += rowBytes) {
    const vm = v128.load32_splat(m + (<usize>r << 2)), va = v128.load32_splat(a + (<usize>r << 2)), vb = v128.load32_splat(b + (<usize>r << 2));
    let i: usize = 0;
    if (!perElement) {
      for (; i < n4; i += 16) v128.store(y + i, clamp(f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + i), vm), va), vb), vlo, vhi));
    } else {
      for (; i < n4; i += 16) {
        const vw = w ? v128.load(w + i) : one, vc = c ? v128.load(c + i) : zero;
        v128.store(y + i, clamp(f32x4.add(f32x4.mul(f32x4.add(f32x4.mul(f32x4.sub(v128.load(x + i), vm), va), vb), vw), vc), vlo, vhi));
      }
    }
    if (rem == 0) continue;
    // The last n % 4 elements go through TAIL so that the clamp stays a vector instruction.
    memory.copy(TAIL, x + i, rem);
    let v = f32x4.add(f32x4.mul(f32x4.sub(v128.load(TAIL), vm), va), vb);
    if (perElement) {
      memory.copy(TAIL + 16, w ? w + i : TAIL + 16, rem);
      memory.copy(TAIL + 32, c ? c + i : TAIL + 32, rem);
      const vw = w ? v128.load(TAIL, 16) : one, vc = c ? v128.load(TAIL, 32) : zero;
      v = f32x4.add(f32x4.mul(v, vw), vc);
    }
    v128.store(TAIL, clamp(v, vlo, vhi));
    memory.copy(y + i, TAIL, rem);
  }
}
