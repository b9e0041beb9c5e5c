// MobileNetV2's inverted residual block, project(dw3x3(expand(x))) [+ x], computed per tile of
// output rows so that the 6x-expanded intermediate never leaves the L2 cache. Inside the block the
// intermediates are channel-blocked (NC4HW4: planes of 4 channels, pixel-major, one v128 per
// pixel), as XNNPACK and MNN keep them: the depthwise then works on whole vectors of 4 channels,
// with every tap at a constant offset and no edge masks (E rows carry a zero column on each side),
// 1.7-3x faster than per-plane row vectors at MobileNetV2's sizes; and neither 1x1 needs its
// operand packed, because both run "transposed": 4 pixels x 8 channels per register tile.
//   expand:  E[4 px x 8 ch] = bias + X^T W1^T, the 4 pixels' inputs splatted from x's planes.
//   dw:      D = clamp(bias + 3x3 taps over E), stride 1 or 2, padding 1.
//   project: Y^T[4 px x 8 ch] = bias + D^T W3^T, transposed 4x4 in registers into y's planes,
//            plus the residual, clamped.
// Halo rows expanded for one tile are moved to the top of E for the next, so no row is expanded
// twice. Channel counts are padded to 8 with zero weights and biases (the packers in
// src/ops/conv-fast.ts), so padded channels contribute nothing.
import { fmadd } from './madd';
import { padPlanes } from './pad';

// The parameter block's slots (src/ops/conv-fast.ts IR_PARAMS lists them in the same order).
// WE, WP: 1x1 weights packed [ceil(Cout/8)][K][8] (WE 0: no expand, Cexp = Cin, as in MobileNetV2's
// first block); WD: depthwise [Cexp8/4][9][4]; BE, BD, BP: biases padded to a multiple of 8, or 0.
// H, W: the depthwise's input (E); XH, XW: x's, the same unless KE is 3 (the stem: E = a 3x3,
// stride 2, padding 1 convolution of x, as MobileNetV2's first layer feeds its first block).
const N = 0, CIN = 1, H = 2, W = 3, CEXP = 4, COUT = 5, S = 6, OH = 7, OW = 8, X = 9, WE = 10, BE = 11, WD = 12, BD = 13,
  WP = 14, BP = 15, Y = 16, RES = 17, SCRATCH = 18, ROWS = 19, LO1 = 20, HI1 = 21, LO2 = 22, HI2 = 23, LO3 = 24, HI3 = 25,
  XH = 26, XW = 27, KE = 28;

// @ts-ignore: decorator
@inline function geti(p: usize, slot: i32): i32 { return load<i32>(p + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline function getp(p: usize, slot: i32): usize { return <usize>load<u32>(p + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline function getf(p: usize, slot: i32): f32 { return load<f32>(p + (<usize>slot << 2)); }

// The scratch holds E's and D's planes (one per 4 channels), a tail panel, E offsets and, for the
// stem, x padded: their sizes.
// @ts-ignore: decorator
@inline function eRows(p: usize): i32 { return (geti(p, ROWS) - 1) * geti(p, S) + 3; }
// @ts-ignore: decorator
@inline function eRowBytes(p: usize): usize { return <usize>(geti(p, W) + 2) << 4; }
// @ts-ignore: decorator
@inline function dPlaneBytes(p: usize): usize { return <usize>((geti(p, ROWS) * geti(p, OW) + 3) & ~3) << 4; }
// @ts-ignore: decorator
@inline function groups4(p: usize): usize { return <usize>((geti(p, CEXP) + 7) & ~7) >> 2; }

// The stem reads x zero-padded: a row and a column before it, and columns after for the vector
// loads of the last pixels.
// @ts-ignore: decorator
@inline function stemRows(p: usize): i32 { return geti(p, XH) + 2; }
// @ts-ignore: decorator
@inline function stemCols(p: usize): i32 { return max(geti(p, XW), 2 * geti(p, W)) + 12; }
// @ts-ignore: decorator
@inline function stemBytes(p: usize): usize {
  return geti(p, KE) == 3 ? (<usize>geti(p, CIN) * <usize>stemRows(p) * <usize>stemCols(p) << 2) : 0;
}

/** Scratch floats f32_inverted_residual_wasmsimd needs. */
export function inverted_residual_scratch_size(p: usize): i32 {
  const k = geti(p, CIN) * geti(p, KE) * geti(p, KE);
  const bytes = groups4(p) * (<usize>eRows(p) * eRowBytes(p) + dPlaneBytes(p)) + (<usize>k << 4) + (<usize>(eRows(p) * geti(p, W)) << 2)
    + stemBytes(p);
  return <i32>(bytes >> 2);
}

// Rows of E move by vector loads and stores: memory.copy and memory.fill are calls out of the
// module in V8, and a block makes thousands of them (rows of 0.1-2 KB per channel group).
// @ts-ignore: decorator
@inline function moveBytes(dst: usize, src: usize, n: usize): void {
  for (let i: usize = 0; i < n; i += 16) v128.store(dst + i, v128.load(src + i));
}
// @ts-ignore: decorator
@inline function zeroBytes(dst: usize, n: usize): void {
  for (let i: usize = 0; i < n; i += 16) v128.store(dst + i, f32x4.splat(0));
}

// @ts-ignore: decorator
@inline function clamp(v: v128, lo: v128, hi: v128): v128 { return f32x4.pmin(f32x4.pmax(v, lo), hi); }
// @ts-ignore: decorator
@inline function biasVec(b: usize, at: usize): v128 { return b ? v128.load(b + at) : f32x4.splat(0); }

/**
 * Expand for np (1..4) pixels whose cin inputs are at a + 4 i + k * aStride, one 8-channel panel
 * w (bias b): stored as pixel vectors into the E planes g0 and g0 + ePlane at the offsets at o.
 * The 4x8 GEMM kernel's loop with the roles of its operands swapped (pixels splatted, channels as
 * vectors) and its own store: see projectPixels for why the two tiles are not one function.
 */
// @ts-ignore: decorator
@inline function expandPixels(np: i32, cin: i32, a: usize, aStride: usize, w: usize, b: usize, g0: usize, ePlane: usize, o: usize,
  lo1: f32, hi1: f32): void {
  let c00 = biasVec(b, 0), c01 = biasVec(b, 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  const wEnd = w + (<usize>cin << 5);
  while (w < wEnd) {
    const b0 = v128.load(w), b1 = v128.load(w, 16);
    const a0 = v128.load32_splat(a, 0);
    c00 = fmadd(a0, b0, c00);
    c01 = fmadd(a0, b1, c01);
    const a1 = v128.load32_splat(a, 4);
    c10 = fmadd(a1, b0, c10);
    c11 = fmadd(a1, b1, c11);
    const a2 = v128.load32_splat(a, 8);
    c20 = fmadd(a2, b0, c20);
    c21 = fmadd(a2, b1, c21);
    const a3 = v128.load32_splat(a, 12);
    c30 = fmadd(a3, b0, c30);
    c31 = fmadd(a3, b1, c31);
    w += 32;
    a += aStride;
  }
  // The clamp's bounds are splatted here, not passed in as vectors: live through the loop they
  // would take 2 of the 16 vector registers the 8 accumulators need around them.
  const lo = f32x4.splat(lo1), hi = f32x4.splat(hi1);
  const g1 = g0 + ePlane, o0 = <usize>load<u32>(o);
  v128.store(g0 + o0, clamp(c00, lo, hi));
  v128.store(g1 + o0, clamp(c01, lo, hi));
  if (np > 1) {
    const o1 = <usize>load<u32>(o, 4);
    v128.store(g0 + o1, clamp(c10, lo, hi));
    v128.store(g1 + o1, clamp(c11, lo, hi));
  }
  if (np > 2) {
    const o2 = <usize>load<u32>(o, 8);
    v128.store(g0 + o2, clamp(c20, lo, hi));
    v128.store(g1 + o2, clamp(c21, lo, hi));
  }
  if (np > 3) {
    const o3 = <usize>load<u32>(o, 12);
    v128.store(g0 + o3, clamp(c30, lo, hi));
    v128.store(g1 + o3, clamp(c31, lo, hi));
  }
}

/**
 * Expands input rows r0 .. r1 (into E rows j0 ..) for all channels. Panel by panel: each panel of
 * W1 is read from memory once and then serves every pixel of the tile, so the weights stream in
 * (from DRAM: MobileNetV2's 14 MB do not stay in cache) while the multiplies run.
 * offs: scratch for the pixels' E offsets; tail: a [cin][4] panel for the last 1..3 pixels.
 */
function expandRows(xi: usize, cin: i32, h: i32, w: i32, r0: i32, r1: i32, j0: i32, we: usize, be: usize, panels: i32,
  e: usize, ePlane: usize, rowBytes: usize, offs: usize, tail: usize, lo: f32, hi: f32): void {
  const plane = <usize>h * <usize>w << 2, count = (r1 - r0) * w, x0 = xi + (<usize>(r0 * w) << 2);
  // Pixel q's offset in an E plane: row by row, past the zero columns.
  let col = 0, at = <usize>j0 * rowBytes + 16;
  for (let q = 0; q < count; q++) {
    store<u32>(offs + (<usize>q << 2), <u32>at);
    if (++col == w) {
      col = 0;
      at += 48;
    } else at += 16;
  }
  const full = count & ~3, np = count - full;
  if (np) {
    // The last 1..3 pixels: copied (zero-padded) so that the 4-pixel loads stay inside x.
    for (let k = 0; k < cin; k++) {
      const src = x0 + <usize>k * plane + (<usize>full << 2);
      let v = f32x4.replace_lane(f32x4.splat(0), 0, load<f32>(src));
      if (np > 1) v = f32x4.replace_lane(v, 1, load<f32>(src, 4));
      if (np > 2) v = f32x4.replace_lane(v, 2, load<f32>(src, 8));
      v128.store(tail + (<usize>k << 4), v);
    }
  }
  const panelBytes = <usize>cin << 5;
  for (let j = 0; j < panels; j++) {
    const wj = we + <usize>j * panelBytes, bj = be ? be + (<usize>j << 5) : 0, g0 = e + (<usize>(2 * j) * ePlane);
    for (let q = 0; q < full; q += 4) expandPixels(4, cin, x0 + (<usize>q << 2), plane, wj, bj, g0, ePlane, offs + (<usize>q << 2), lo, hi);
    if (np) expandPixels(np, cin, tail, 16, wj, bj, g0, ePlane, offs + (<usize>full << 2), lo, hi);
  }
}

/**
 * The stem (3x3, stride 2, padding 1 over the padded copy xp of x) for E rows from j0: stem rows
 * r0 .. r1, 4 pixels at a time, their 9 cin taps gathered into a [9 cin][4] panel (stride 2:
 * even and odd lanes of two loads), then every 8-channel panel of W1 as in expandRows.
 */
function stemRowsOf(xp: usize, cin: i32, hp: i32, wpad: i32, w: i32, r0: i32, r1: i32, j0: i32, we: usize, be: usize, panels: i32,
  e: usize, ePlane: usize, rowBytes: usize, offs: usize, panel: usize, lo: f32, hi: f32): void {
  const rowPad = <usize>wpad << 2, planeBytes = <usize>hp * rowPad, k = cin * 9, panelBytes = <usize>k << 5;
  for (let r = r0; r < r1; r++) {
    const top = xp + <usize>(2 * r) * rowPad, at = <usize>(j0 + r - r0) * rowBytes + 16;
    for (let c = 0; c < w; c += 4) {
      let dst = panel;
      for (let ci = 0; ci < cin; ci++) {
        let src = top + <usize>ci * planeBytes + (<usize>(2 * c) << 2);
        for (let ky = 0; ky < 3; ky++) {
          const v0 = v128.load(src), v1 = v128.load(src, 16), v2 = v128.load(src, 32);
          const even = i32x4.shuffle(v0, v1, 0, 2, 4, 6);
          v128.store(dst, even);
          v128.store(dst, i32x4.shuffle(v0, v1, 1, 3, 5, 7), 16);
          v128.store(dst, i32x4.shuffle(even, v2, 1, 2, 3, 4), 32);
          dst += 48;
          src += rowPad;
        }
      }
      const o = at + (<usize>c << 4);
      store<u32>(offs, <u32>o);
      store<u32>(offs, <u32>(o + 16), 4);
      store<u32>(offs, <u32>(o + 32), 8);
      store<u32>(offs, <u32>(o + 48), 12);
      const np = min(4, w - c);
      for (let j = 0; j < panels; j++) {
        expandPixels(np, k, panel, 16, we + <usize>j * panelBytes, be ? be + (<usize>j << 5) : 0, e + (<usize>(2 * j) * ePlane), ePlane, offs, lo, hi);
      }
    }
  }
}

// Column i of the 4x4 block whose rows are r0..r3 (i a constant: the shared shuffles fold).
// @ts-ignore: decorator
@inline function column(r0: v128, r1: v128, r2: v128, r3: v128, i: i32): v128 {
  const a = i < 2 ? i32x4.shuffle(r0, r1, 0, 4, 1, 5) : i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const b = i < 2 ? i32x4.shuffle(r2, r3, 0, 4, 1, 5) : i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  return (i & 1) == 0 ? i32x4.shuffle(a, b, 0, 1, 4, 5) : i32x4.shuffle(a, b, 2, 3, 6, 7);
}

/** No expand (MobileNetV2's first block): E rows from j0 are x's rows r0 .. r1, as pixel vectors. */
function copyRows(xi: usize, cin: i32, h: i32, w: i32, r0: i32, r1: i32, j0: i32, e: usize, ePlane: usize, rowBytes: usize): void {
  const plane = <usize>h * <usize>w << 2, zero = f32x4.splat(0);
  for (let c = 0; c < cin; c += 4) {
    const n = cin - c, eg = e + (<usize>(c >> 2) * ePlane);
    for (let r = r0; r < r1; r++) {
      const src = xi + <usize>c * plane + (<usize>(r * w) << 2), dst = eg + <usize>(j0 + r - r0) * rowBytes + 16;
      let px = 0;
      for (; px + 4 <= w; px += 4) {
        const q = src + (<usize>px << 2), o = dst + (<usize>px << 4);
        const v0 = v128.load(q), v1 = n > 1 ? v128.load(q + plane) : zero;
        const v2 = n > 2 ? v128.load(q + 2 * plane) : zero, v3 = n > 3 ? v128.load(q + 3 * plane) : zero;
        v128.store(o, column(v0, v1, v2, v3, 0));
        v128.store(o, column(v0, v1, v2, v3, 1), 16);
        v128.store(o, column(v0, v1, v2, v3, 2), 32);
        v128.store(o, column(v0, v1, v2, v3, 3), 48);
      }
      for (; px < w; px++) {
        const q = src + (<usize>px << 2);
        let v = f32x4.replace_lane(zero, 0, load<f32>(q));
        if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(q + plane));
        if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(q + 2 * plane));
        if (n > 3) v = f32x4.replace_lane(v, 3, load<f32>(q + 3 * plane));
        v128.store(dst + (<usize>px << 4), v);
      }
    }
  }
}

/** Depthwise 3x3 (padding 1 in E's zero rows and columns) of output rows 0 .. tt of the tile into D. */
function depthwise(groups: usize, tt: i32, s: i32, ow: i32, e: usize, ePlane: usize, rowBytes: usize, wd: usize, bd: usize,
  d: usize, dPlane: usize, lo: v128, hi: v128): void {
  const step = <usize>s << 4;
  for (let g: usize = 0; g < groups; g++) {
    const k = wd + g * 144, eg = e + g * ePlane;
    const k0 = v128.load(k), k1 = v128.load(k, 16), k2 = v128.load(k, 32), k3 = v128.load(k, 48), k4 = v128.load(k, 64);
    const k5 = v128.load(k, 80), k6 = v128.load(k, 96), k7 = v128.load(k, 112), k8 = v128.load(k, 128);
    const vb = biasVec(bd, g << 4);
    let out = d + g * dPlane;
    for (let oy = 0; oy < tt; oy++) {
      let r0 = eg + <usize>(oy * s) * rowBytes, r1 = r0 + rowBytes, r2 = r1 + rowBytes;
      const end = out + (<usize>ow << 4);
      while (out < end) {
        // Two partial sums: the middle row's chain runs beside the outer rows'.
        let u = fmadd(v128.load(r0), k0, vb);
        let v = f32x4.mul(v128.load(r1), k3);
        u = fmadd(v128.load(r0, 16), k1, u);
        v = fmadd(v128.load(r1, 16), k4, v);
        u = fmadd(v128.load(r0, 32), k2, u);
        v = fmadd(v128.load(r1, 32), k5, v);
        u = fmadd(v128.load(r2), k6, u);
        u = fmadd(v128.load(r2, 16), k7, u);
        u = fmadd(v128.load(r2, 32), k8, u);
        v128.store(out, clamp(f32x4.add(u, v), lo, hi));
        out += 16;
        r0 += step;
        r1 += step;
        r2 += step;
      }
    }
  }
}

// Stores the first np lanes of v (4 pixels of one output channel) at dst, + the residual at r.
// @ts-ignore: decorator
@inline function storePixels(dst: usize, r: usize, np: i32, v: v128, lo: v128, hi: v128): void {
  if (np == 4) {
    if (r) v = f32x4.add(v, v128.load(r));
    v128.store(dst, clamp(v, lo, hi));
    return;
  }
  for (let i = 0; i < np; i++) {
    let s = f32x4.extract_lane(v, 0);
    if (i == 1) s = f32x4.extract_lane(v, 1);
    else if (i == 2) s = f32x4.extract_lane(v, 2);
    if (r) s += load<f32>(r + (<usize>i << 2));
    store<f32>(dst + (<usize>i << 2), f32x4.extract_lane(clamp(f32x4.splat(s), lo, hi), 0));
  }
}

// Rows r0..r3 are 4 pixels' values of 4 channels: each column is one channel's 4 pixels, stored into the first n (1..4) channel planes at dst (yPlane apart).
// @ts-ignore: decorator
@inline function storeChannels(dst: usize, r: usize, yPlane: usize, n: i32, np: i32, r0: v128, r1: v128, r2: v128, r3: v128,
  lo: v128, hi: v128): void {
  storePixels(dst, r, np, column(r0, r1, r2, r3, 0), lo, hi);
  if (n > 1) storePixels(dst + yPlane, r ? r + yPlane : 0, np, column(r0, r1, r2, r3, 1), lo, hi);
  if (n > 2) storePixels(dst + 2 * yPlane, r ? r + 2 * yPlane : 0, np, column(r0, r1, r2, r3, 2), lo, hi);
  if (n > 3) storePixels(dst + 3 * yPlane, r ? r + 3 * yPlane : 0, np, column(r0, r1, r2, r3, 3), lo, hi);
}

/**
 * Project for np (1..4) pixels of D at a, one panel w (bias b) of n (1..8) output channels, into
 * y's planes (+ residual). The same register tile as expandPixels (and the 4x8 GEMM kernel), with
 * its own operand addressing: written once with strides as parameters, the splats' offsets
 * become adds in the loop (the optimizer may not fold them: the sum could wrap), 5% slower.
 */
// @ts-ignore: decorator
@inline function projectPixels(np: i32, n: i32, cexp8: i32, a: usize, dPlane: usize, w: usize, b: usize, y: usize, res: usize,
  yPlane: usize, lo3: f32, hi3: f32): void {
  let c00 = biasVec(b, 0), c01 = biasVec(b, 16);
  let c10 = c00, c11 = c01, c20 = c00, c21 = c01, c30 = c00, c31 = c01;
  const wEnd = w + (<usize>cexp8 << 5), nextGroup = dPlane - 16;
  while (w < wEnd) {
    // 4 channels of 4 pixels: pixel i's channel 4g + t is at 16 i + 4 t in D's plane g.
    const gEnd = w + 128;
    while (w < gEnd) {
      const b0 = v128.load(w), b1 = v128.load(w, 16);
      const a0 = v128.load32_splat(a, 0);
      c00 = fmadd(a0, b0, c00);
      c01 = fmadd(a0, b1, c01);
      const a1 = v128.load32_splat(a, 16);
      c10 = fmadd(a1, b0, c10);
      c11 = fmadd(a1, b1, c11);
      const a2 = v128.load32_splat(a, 32);
      c20 = fmadd(a2, b0, c20);
      c21 = fmadd(a2, b1, c21);
      const a3 = v128.load32_splat(a, 48);
      c30 = fmadd(a3, b0, c30);
      c31 = fmadd(a3, b1, c31);
      w += 32;
      a += 4;
    }
    a += nextGroup;
  }
  const lo = f32x4.splat(lo3), hi = f32x4.splat(hi3); // as in expandPixels
  storeChannels(y, res, yPlane, min(4, n), np, c00, c10, c20, c30, lo, hi);
  if (n > 4) storeChannels(y + 4 * yPlane, res ? res + 4 * yPlane : 0, yPlane, n - 4, np, c01, c11, c21, c31, lo, hi);
}

/** Project of a tile's pixels, panel by panel (each panel of W3 read from memory once, as in expandRows). */
function projectTile(pixels: i32, cexp8: i32, cout: i32, d: usize, dPlane: usize, wp: usize, bp: usize, y: usize, res: usize,
  yPlane: usize, lo: f32, hi: f32): void {
  const panelBytes = <usize>cexp8 << 5;
  for (let j = 0; j < (cout + 7) >> 3; j++) {
    const c0 = j * 8, n = min(8, cout - c0), wj = wp + <usize>j * panelBytes, bj = bp ? bp + (<usize>j << 5) : 0;
    const yj = y + <usize>c0 * yPlane, rj = res ? res + <usize>c0 * yPlane : 0;
    for (let q = 0; q < pixels; q += 4) {
      const o = <usize>q << 2;
      projectPixels(min(4, pixels - q), n, cexp8, d + (<usize>q << 4), dPlane, wj, bj, yj + o, rj ? rj + o : 0, yPlane, lo, hi);
    }
  }
}

/** y = clamp3(project(clamp2(dw3x3(clamp1(expand(x))))) + residual), weights packed as the slots say. */
export function f32_inverted_residual_wasmsimd(p: usize): void {
  const n = geti(p, N), cin = geti(p, CIN), h = geti(p, H), w = geti(p, W), cout = geti(p, COUT);
  const s = geti(p, S), oh = geti(p, OH), ow = geti(p, OW), rows = geti(p, ROWS);
  const x = getp(p, X), we = getp(p, WE), be = getp(p, BE), wd = getp(p, WD), bd = getp(p, BD), wp = getp(p, WP), bp = getp(p, BP);
  const y = getp(p, Y), res = getp(p, RES);
  const lo1 = getf(p, LO1), hi1 = getf(p, HI1), lo2 = f32x4.splat(getf(p, LO2)), hi2 = f32x4.splat(getf(p, HI2));
  const lo3 = getf(p, LO3), hi3 = getf(p, HI3);
  const groups = groups4(p), cexp8 = <i32>groups << 2, er = eRows(p), rowBytes = eRowBytes(p), ePlane = <usize>er * rowBytes;
  const dPlane = dPlaneBytes(p), ohw = oh * ow, yPlane = <usize>ohw << 2;
  const ke = geti(p, KE), xh = geti(p, XH), xw = geti(p, XW);
  const e = getp(p, SCRATCH), d = e + groups * ePlane, tail = d + groups * dPlane, offs = tail + (<usize>(cin * ke * ke) << 4);
  const xp = offs + (<usize>(er * w) << 2), hp = stemRows(p), wpad = stemCols(p);
  const keepRows = 3 - s; // E rows a tile shares with the next
  for (let img = 0; img < n; img++) {
    const xi = x + (<usize>img * <usize>cin * <usize>xh * <usize>xw << 2), yi = y + <usize>img * <usize>cout * yPlane;
    if (ke == 3) padPlanes(xi, cin, xh, xw, xp, hp, wpad, 1, 1);
    const ri = res ? res + <usize>img * <usize>cout * yPlane : 0;
    // The zero columns of the padding (the zero rows are written per tile): expand writes only
    // columns 1 .. w, and halo rows move with their zeros.
    const zero = f32x4.splat(0), right = <usize>(w + 1) << 4;
    for (let row = e, end = e + groups * ePlane; row < end; row += rowBytes) {
      v128.store(row, zero);
      v128.store(row + right, zero);
    }
    for (let oy0 = 0; oy0 < oh; oy0 += rows) {
      const tt = min(rows, oh - oy0), base = oy0 * s - 1, need = (tt - 1) * s + 3;
      let j0 = 0;
      if (oy0 > 0) {
        for (let g: usize = 0; g < groups; g++) {
          const eg = e + g * ePlane;
          moveBytes(eg, eg + <usize>(rows * s) * rowBytes, <usize>keepRows * rowBytes);
        }
        j0 = keepRows;
      }
      // E rows j0 .. need hold input rows base + j: zero outside 0 .. h - 1.
      const r0 = max(base + j0, 0), r1 = min(base + need, h);
      for (let j = j0; j < need; j++) {
        const r = base + j;
        if (r >= 0 && r < h) continue;
        for (let g: usize = 0; g < groups; g++) zeroBytes(e + g * ePlane + <usize>j * rowBytes, rowBytes);
      }
      if (r1 > r0) {
        if (ke == 3) stemRowsOf(xp, cin, hp, wpad, w, r0, r1, r0 - base, we, be, cexp8 >> 3, e, ePlane, rowBytes, offs, tail, lo1, hi1);
        else if (we) expandRows(xi, cin, h, w, r0, r1, r0 - base, we, be, cexp8 >> 3, e, ePlane, rowBytes, offs, tail, lo1, hi1);
        else copyRows(xi, cin, h, w, r0, r1, r0 - base, e, ePlane, rowBytes);
      }
      depthwise(groups, tt, s, ow, e, ePlane, rowBytes, wd, bd, d, dPlane, lo2, hi2);
      const at = <usize>(oy0 * ow) << 2;
      projectTile(tt * ow, cexp8, cout, d, dPlane, wp, bp, yi + at, ri ? ri + at : 0, yPlane, lo3, hi3);
    }
  }
}
