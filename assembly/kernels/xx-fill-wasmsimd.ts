// fill_*: y[0..n) = value, one 16-byte pattern stored by vectors, the rest byte-exact.
import { TAIL } from './scratch';

function fillPattern(y: usize, bytes: usize, pattern: v128): void {
  const vend = y + (bytes & ~15);
  for (; y < vend; y += 16) v128.store(y, pattern);
  v128.store(TAIL, pattern);
  memory.copy(y, TAIL, bytes & 15);
}

export function fill_f32_wasmsimd(y: usize, n: i32, value: f32): void { fillPattern(y, <usize>n << 2, f32x4.splat(value)); }
export function fill_i32_wasmsimd(y: usize, n: i32, value: i32): void { fillPattern(y, <usize>n << 2, i32x4.splat(value)); }
export function fill_i64_wasmsimd(y: usize, n: i32, value: i64): void { fillPattern(y, <usize>n << 3, i64x2.splat(value)); }
export function fill_u8_wasmsimd(y: usize, n: i32, value: u8): void { memory.fill(y, value, <usize>n); }
