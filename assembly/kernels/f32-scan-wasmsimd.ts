// f32_cumsum / f32_cumprod over n of a contiguous [outer, n, inner] tensor. Like PyTorch on CPU
// the running value is kept in f64; columns of inner go 4 at a time as two f64x2 halves.
import { TAIL, load4 } from './scratch';

function scan(x: usize, y: usize, outer: i32, n: i32, inner: i32, isProd: bool): void {
  const stride = <usize>inner << 2;
  for (let o = 0; o < outer; o++) {
    const off = <usize>o * <usize>n * stride;
    if (inner == 1) {
      let acc: f64 = isProd ? 1 : 0;
      for (let k = 0; k < n; k++) {
        const p = off + (<usize>k << 2);
        const v = <f64>load<f32>(x + p);
        acc = isProd ? acc * v : acc + v;
        store<f32>(y + p, <f32>acc);
      }
      continue;
    }
    for (let j = 0; j < inner; j += 4) {
      const c = min(4, inner - j);
      let lo = f64x2.splat(isProd ? 1 : 0), hi = lo;
      for (let k = 0; k < n; k++) {
        const p = off + <usize>k * stride + (<usize>j << 2);
        const v = load4(x + p, c);
        const vlo = f64x2.promote_low_f32x4(v), vhi = f64x2.promote_low_f32x4(i64x2.shuffle(v, v, 1, 0));
        lo = isProd ? f64x2.mul(lo, vlo) : f64x2.add(lo, vlo);
        hi = isProd ? f64x2.mul(hi, vhi) : f64x2.add(hi, vhi);
        const r = i64x2.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 2);
        if (c == 4) v128.store(y + p, r);
        else { v128.store(TAIL, r); memory.copy(y + p, TAIL, <usize>c << 2); }
      }
    }
  }
}

export function f32_cumsum_wasmsimd(x: usize, y: usize, outer: i32, n: i32, inner: i32): void { scan(x, y, outer, n, inner, false); }
export function f32_cumprod_wasmsimd(x: usize, y: usize, outer: i32, n: i32, inner: i32): void { scan(x, y, outer, n, inner, true); }
