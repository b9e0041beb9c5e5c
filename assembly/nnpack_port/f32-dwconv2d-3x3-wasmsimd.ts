// Depthwise 3x3 convolution (one filter per channel, stride 1 or 2, any padding, dilation 1),
// 4 output columns per v128, bias and clamp fused (MobileNetV2's ReLU6 is clamp(0, 6)).
// Padding 1 (MobileNetV2's every depthwise layer) reads the input in place, edges in registers:
// missing rows read a zero row, and the first and last vectors of a row mask the lanes outside it
// (after XNNPACK's google/XNNPACK src/f32-dwconv2d-chw/3x3p1-wasmsimd-loadsplat.c.in): 12-30%
// faster than copying planes at 56x56 and up, as fast at 7x7. Other paddings copy each plane into
// a zero-bordered scratch plane first, so that the 9 taps need no bounds checks.
import { padPlanes } from './pad';
import { fmadd } from './madd';
import { geti, getp, getf, N, CIN, H, W, SH, PH, PW, OH, OW, X, WEIGHTS, BIAS, Y, SCRATCH, LO, HI } from './conv-params';

// @ts-ignore: decorator
@inline function paddedW(p: usize): i32 { return max(geti(p, W) + geti(p, PW), ((geti(p, OW) + 3) & ~3) * geti(p, SH) + 8); }
// @ts-ignore: decorator
@inline function paddedH(p: usize): i32 { return max(geti(p, H) + geti(p, PH), (geti(p, OH) - 1) * geti(p, SH) + 3); }

// @ts-ignore: decorator
@inline function inPlace(p: usize): bool { return geti(p, PH) == 1 && geti(p, PW) == 1; }

/** Scratch floats f32_dwconv2d_3x3_wasmsimd needs: a zero row (padding 1) or one padded plane. */
export function dwconv2d_3x3_scratch_size(p: usize): i32 { return inPlace(p) ? 2 * rowPad(geti(p, W)) + 4 : paddedH(p) * paddedW(p); }

// @ts-ignore: decorator
@inline function finish(acc: v128, lo: v128, hi: v128): v128 { return f32x4.pmin(f32x4.pmax(acc, lo), hi); }

// Stores the first n (1..4) lanes of v at dst.
// @ts-ignore: decorator
@inline function storePartial(dst: usize, v: v128, n: i32): void {
  if (n == 4) v128.store(dst, v);
  else {
    if (n & 2) v128.store64_lane(dst, v, 0);
    if (n == 1) v128.store32_lane(dst, v, 0);
    else if (n == 3) v128.store32_lane(dst, v, 2, 8);
  }
}

/** y = depthwise conv3x3(x, w [C][1][3][3]) + bias, clamped, for the params block p (SH = SW = 1 or 2). */
export function f32_dwconv2d_3x3_wasmsimd(p: usize): void {
  const n = geti(p, N), c = geti(p, CIN), h = geti(p, H), w = geti(p, W), s = geti(p, SH), oh = geti(p, OH), ow = geti(p, OW);
  const x = getp(p, X), wt = getp(p, WEIGHTS), bias = getp(p, BIAS), y = getp(p, Y), plane = getp(p, SCRATCH);
  const vlo = f32x4.splat(getf(p, LO)), vhi = f32x4.splat(getf(p, HI));
  if (inPlace(p)) return dwPad1(n, c, h, w, s, oh, ow, x, wt, bias, y, plane, getf(p, LO), getf(p, HI));
  const hp = paddedH(p), wp = paddedW(p), rowBytes = <usize>wp << 2;
  for (let img = 0; img < n; img++) {
    for (let ci = 0; ci < c; ci++) {
      const nc = img * c + ci;
      padPlanes(x + (<usize>nc * <usize>h * <usize>w << 2), 1, h, w, plane, hp, wp, geti(p, PH), geti(p, PW));
      const k = wt + (<usize>ci * 36);
      const k0 = v128.load32_splat(k), k1 = v128.load32_splat(k, 4), k2 = v128.load32_splat(k, 8);
      const k3 = v128.load32_splat(k, 12), k4 = v128.load32_splat(k, 16), k5 = v128.load32_splat(k, 20);
      const k6 = v128.load32_splat(k, 24), k7 = v128.load32_splat(k, 28), k8 = v128.load32_splat(k, 32);
      const vb = f32x4.splat(bias ? load<f32>(bias + (<usize>ci << 2)) : 0);
      let out = y + (<usize>nc * <usize>oh * <usize>ow << 2);
      for (let oy = 0; oy < oh; oy++) {
        const r0 = plane + <usize>(oy * s) * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes;
        for (let ox = 0; ox < ow; ox += 4) {
          let acc = vb;
          if (s == 1) {
            const o = <usize>ox << 2;
            acc = fmadd(k0, v128.load(r0 + o), acc);
            acc = fmadd(k1, v128.load(r0 + o, 4), acc);
            acc = fmadd(k2, v128.load(r0 + o, 8), acc);
            acc = fmadd(k3, v128.load(r1 + o), acc);
            acc = fmadd(k4, v128.load(r1 + o, 4), acc);
            acc = fmadd(k5, v128.load(r1 + o, 8), acc);
            acc = fmadd(k6, v128.load(r2 + o), acc);
            acc = fmadd(k7, v128.load(r2 + o, 4), acc);
            acc = fmadd(k8, v128.load(r2 + o, 8), acc);
          } else {
            const o = <usize>ox << 3;
            acc = tapsS2(acc, r0 + o, k0, k1, k2);
            acc = tapsS2(acc, r1 + o, k3, k4, k5);
            acc = tapsS2(acc, r2 + o, k6, k7, k8);
          }
          storePartial(out + (<usize>ox << 2), finish(acc, vlo, vhi), min(4, ow - ox));
        }
        out += <usize>ow << 2;
      }
    }
  }
}

// One filter row at stride 2: columns 2j, 2j+1, 2j+2 for j = 0..3, deinterleaved from 3 loads.
// @ts-ignore: decorator
@inline function tapsS2(acc: v128, r: usize, ka: v128, kb: v128, kc: v128): v128 {
  const a = v128.load(r), b = v128.load(r, 16), c = v128.load(r, 32);
  const even = i32x4.shuffle(a, b, 0, 2, 4, 6), odd = i32x4.shuffle(a, b, 1, 3, 5, 7);
  const next = i32x4.shuffle(even, c, 1, 2, 3, 4);
  return fmadd(kc, next, fmadd(kb, odd, fmadd(ka, even, acc)));
}

// The 3 taps of one filter row for the 4 outputs whose leftmost input column is at q (column
// s * ox - 1). Edge vectors clear the lanes of their 3 loads that fall outside the row (masked: all
// 3 loads by m0..m2; LEFT: only column -1, the first vector of a row wider than one vector).
const NONE: i32 = 0, ALL: i32 = 1, LEFT: i32 = 2;
// @ts-ignore: decorator
@inline function rowTaps(acc: v128, q: usize, s: i32, masked: i32, m0: v128, m1: v128, m2: v128, ka: v128, kb: v128, kc: v128): v128 {
  let l = v128.load(q);
  if (masked == LEFT) l = f32x4.replace_lane(l, 0, 0);
  else if (masked == ALL) l = v128.and(l, m0);
  if (s == 1) {
    let m = v128.load(q, 4), r = v128.load(q, 8);
    if (masked == ALL) {
      m = v128.and(m, m1);
      r = v128.and(r, m2);
    }
    return fmadd(kc, r, fmadd(kb, m, fmadd(ka, l, acc)));
  }
  let b = v128.load(q, 16), c = v128.load32_zero(q, 32);
  if (masked == ALL) {
    b = v128.and(b, m1);
    c = v128.and(c, m2);
  }
  const even = i32x4.shuffle(l, b, 0, 2, 4, 6), odd = i32x4.shuffle(l, b, 1, 3, 5, 7);
  return fmadd(kc, i32x4.shuffle(even, c, 1, 2, 3, 4), fmadd(kb, odd, fmadd(ka, even, acc)));
}

// Lanes whose column col0 + i lies inside 0 .. w - 1 (unsigned compare: negative columns fail too).
// @ts-ignore: decorator
@inline function inRow(col0: i32, w: i32): v128 {
  return i32x4.lt_u(i32x4.add(i32x4.splat(col0), v128(0, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0)), i32x4.splat(w));
}

// @ts-ignore: decorator
@inline function zeroFloats(dst: usize, n: i32): void {
  for (let i = 0; i < n; i += 4) v128.store(dst + (<usize>i << 2), f32x4.splat(0));
}

// One vector of 4 outputs at ox (returns ox + 4); m0..m2 are used only when masked is ALL.
// @ts-ignore: decorator
@inline function dwVector(r0: usize, r1: usize, r2: usize, s: i32, ox: i32, masked: i32, m0: v128, m1: v128, m2: v128, vb: v128,
  k0: v128, k1: v128, k2: v128, k3: v128, k4: v128, k5: v128, k6: v128, k7: v128, k8: v128, out: usize, ow: i32, vlo: v128, vhi: v128): i32 {
  const o = <usize>(<isize>(s * ox - 1) << 2);
  let acc = rowTaps(vb, r0 + o, s, masked, m0, m1, m2, k0, k1, k2);
  acc = rowTaps(acc, r1 + o, s, masked, m0, m1, m2, k3, k4, k5);
  acc = rowTaps(acc, r2 + o, s, masked, m0, m1, m2, k6, k7, k8);
  storePartial(out + (<usize>ox << 2), finish(acc, vlo, vhi), min(4, ow - ox));
  return ox + 4;
}

// Floats of the zero row and of the copy of the last row: 9 past the row, a multiple of 4.
// @ts-ignore: decorator
@inline function rowPad(w: i32): i32 { return (w + 12) & ~3; }

// Padding 1, stride s, in place: output row oy reads input rows s*oy - 1 .. s*oy + 1 (the middle
// one always exists; the others may be the zero row). Edge vectors (the first, and those whose taps
// reach column w: stride 1 from ox = w - 4, stride 2 from 2 ox + 7 = w) load up to 9 floats past
// their row and mask them; past the input's very last row that would leave the tensor, so that
// row is read from a zero-padded copy in scratch.
function dwPad1(n: i32, c: i32, h: i32, w: i32, s: i32, oh: i32, ow: i32, x: usize, wt: usize,
  bias: usize, y: usize, scratch: usize, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const rowBytes = <usize>w << 2, lastFrom = s == 1 ? w - 4 : (w - 6) >> 1;
  const zrow = scratch + 16, tailRow = zrow + (<usize>rowPad(w) << 2);
  const finalRow = x + (<usize>(n * c) * <usize>h - 1) * rowBytes;
  zeroFloats(scratch, 2 * rowPad(w) + 4);
  memory.copy(tailRow, finalRow, rowBytes);
  // The masks of the first vector and of the last: the same in every row. Vectors from lastFrom
  // on read past column w - 1; there is at most one, as 4 more outputs need 4 s more columns.
  const step = s == 1 ? 1 : 4, last = max(4, (lastFrom + 3) & ~3), lastCol = s * last - 1;
  const f0 = inRow(-1, w), f1 = inRow(step - 1, w), f2 = inRow(2 * step - 1, w);
  const l0 = inRow(lastCol, w), l1 = inRow(lastCol + step, w), l2 = inRow(lastCol + 2 * step, w);
  for (let img = 0; img < n; img++) {
    for (let ci = 0; ci < c; ci++) {
      const nc = img * c + ci, xc = x + (<usize>nc * <usize>h * rowBytes);
      const k = wt + (<usize>ci * 36);
      const k0 = v128.load32_splat(k), k1 = v128.load32_splat(k, 4), k2 = v128.load32_splat(k, 8);
      const k3 = v128.load32_splat(k, 12), k4 = v128.load32_splat(k, 16), k5 = v128.load32_splat(k, 20);
      const k6 = v128.load32_splat(k, 24), k7 = v128.load32_splat(k, 28), k8 = v128.load32_splat(k, 32);
      const vb = f32x4.splat(bias ? load<f32>(bias + (<usize>ci << 2)) : 0);
      let out = y + (<usize>nc * <usize>oh * <usize>ow << 2);
      for (let oy = 0; oy < oh; oy++) {
        const iy = oy * s;
        let r1 = xc + <usize>iy * rowBytes;
        let r0 = iy > 0 ? r1 - rowBytes : zrow, r2 = iy + 1 < h ? r1 + rowBytes : zrow;
        if (r1 == finalRow) r1 = tailRow;
        if (r2 == finalRow) r2 = tailRow;
        // The first vector, the interior ones, then the last one (the only edge vectors there are).
        let ox = lastFrom > 0
          ? dwVector(r0, r1, r2, s, 0, LEFT, f0, f1, f2, vb, k0, k1, k2, k3, k4, k5, k6, k7, k8, out, ow, vlo, vhi)
          : dwVector(r0, r1, r2, s, 0, ALL, f0, f1, f2, vb, k0, k1, k2, k3, k4, k5, k6, k7, k8, out, ow, vlo, vhi);
        for (; ox < lastFrom; ox += 4) dwVector(r0, r1, r2, s, ox, NONE, f0, f1, f2, vb, k0, k1, k2, k3, k4, k5, k6, k7, k8, out, ow, vlo, vhi);
        if (ox < ow) dwVector(r0, r1, r2, s, ox, ALL, l0, l1, l2, vb, k0, k1, k2, k3, k4, k5, k6, k7, k8, out, ow, vlo, vhi);
        out += <usize>ow << 2;
      }
    }
  }
}
