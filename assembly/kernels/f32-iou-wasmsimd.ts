// The talk's hand-written "custom kernel": ratio_iou of two box sets given as 8 planes
// (x, y, w, h of each), fused by hand. max/min are plain pmax/pmin, as C's fmaxf-style code would
// be; the fuser's generated kernel is measured against this one (bench/iou.ts).
import { TAIL } from './scratch';

// @ts-ignore: decorator
@inline function iou4(x1: v128, y1: v128, w1: v128, h1: v128, x2: v128, y2: v128, w2: v128, h2: v128): v128 {
  const zero = f32x4.splat(0.0);
  const xi = f32x4.pmax(x1, x2), yi = f32x4.pmax(y1, y2);
  const wi = f32x4.pmax(f32x4.sub(f32x4.pmin(f32x4.add(x1, w1), f32x4.add(x2, w2)), xi), zero);
  const hi = f32x4.pmax(f32x4.sub(f32x4.pmin(f32x4.add(y1, h1), f32x4.add(y2, h2)), yi), zero);
  const ai = f32x4.mul(wi, hi);
  const au = f32x4.sub(f32x4.add(f32x4.mul(w1, h1), f32x4.mul(w2, h2)), ai);
  return f32x4.div(ai, f32x4.pmax(au, f32x4.splat(1e-5)));
}

/** out[i] = iou of box (x1, y1, w1, h1)[i] and box (x2, y2, w2, h2)[i], for n contiguous f32. */
export function f32_iou_wasmsimd(x1: usize, y1: usize, w1: usize, h1: usize, x2: usize, y2: usize, w2: usize, h2: usize, out: usize, n: i32): void {
  let i: usize = 0;
  const vn = <usize>(n & ~3) << 2;
  for (; i < vn; i += 16) {
    v128.store(out + i, iou4(v128.load(x1 + i), v128.load(y1 + i), v128.load(w1 + i), v128.load(h1 + i),
      v128.load(x2 + i), v128.load(y2 + i), v128.load(w2 + i), v128.load(h2 + i)));
  }
  const rem = <usize>(n & 3) << 2;
  if (rem == 0) return;
  if (n >= 4) {
    // The last vector overlaps the one before: recomputing a few lanes beats a scalar tail.
    i = (<usize>n << 2) - 16;
    v128.store(out + i, iou4(v128.load(x1 + i), v128.load(y1 + i), v128.load(w1 + i), v128.load(h1 + i),
      v128.load(x2 + i), v128.load(y2 + i), v128.load(w2 + i), v128.load(h2 + i)));
    return;
  }
  // Fewer than 4 boxes: stage each plane in TAIL (64 bytes = 4 vectors), two passes of four.
  memory.copy(TAIL, x1, rem); memory.copy(TAIL + 16, y1, rem); memory.copy(TAIL + 32, w1, rem); memory.copy(TAIL + 48, h1, rem);
  const a = v128.load(TAIL), b = v128.load(TAIL, 16), c = v128.load(TAIL, 32), d = v128.load(TAIL, 48);
  memory.copy(TAIL, x2, rem); memory.copy(TAIL + 16, y2, rem); memory.copy(TAIL + 32, w2, rem); memory.copy(TAIL + 48, h2, rem);
  v128.store(TAIL, iou4(a, b, c, d, v128.load(TAIL), v128.load(TAIL, 16), v128.load(TAIL, 32), v128.load(TAIL, 48)));
  memory.copy(out, TAIL, rem);
}
