// Depthwise 3x3 convolution (one filter per channel, stride 1 or 2, any padding, dilation 1),
// 4 output columns per v128, bias and clamp fused (MobileNetV2's ReLU6 is clamp(0, 6)).
// Each plane is first copied into a zero-bordered scratch plane so that the 9 taps need no
// bounds checks (see: google/XNNPACK src/f32-dwconv2d-chw/3x3p1-wasmsimd-loadsplat.c.in for the
// in-register edge handling this trades for a copy).
import { padPlanes } from './pad';
import { fmadd } from './madd';
import { geti, getp, getf, N, CIN, H, W, SH, PH, PW, OH, OW, X, WEIGHTS, BIAS, Y, SCRATCH, LO, HI } from './conv-params';

// @ts-ignore: decorator
@inline function paddedW(p: usize): i32 { return max(geti(p, W) + geti(p, PW), ((geti(p, OW) + 3) & ~3) * geti(p, SH) + 8); }
// @ts-ignore: decorator
@inline function paddedH(p: usize): i32 { return max(geti(p, H) + geti(p, PH), (geti(p, OH) - 1) * geti(p, SH) + 3); }

/** Scratch floats f32_dwconv2d_3x3_wasmsimd needs: one padded plane. */
export function dwconv2d_3x3_scratch_size(p: usize): i32 { return paddedH(p) * paddedW(p); }

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
