// Convolution as GEMM, Y[Cout x pixels] = W[Cout x K] X[K x pixels], K = Cin*KH*KW, with the
// weights packed once into 4-row panels (f32_gemm_4x8_pack_weights) and bias + clamp fused into the
// microkernel's store. Three ways to present X's columns, 8 pixels at a time:
//   1x1, stride 1, no padding: X itself is the matrix; row k is input plane k (no copy).
//   stride_w 1 ("direct", NNPACK's implicit GEMM): 8 neighbouring output pixels of one row read 8
//     consecutive floats of a zero-padded input at a per-k offset (the igemm kernel's offset table).
//   otherwise (im2col): panels of CHUNK pixels are gathered into scratch, then multiplied.
import {
  f32_gemm_4x8_wasmsimd, f32_gemm_4x8_blocks_wasmsimd, f32_igemm_4x8_wasmsimd, f32_igemm_3x16_wasmsimd, f32_gemm_4x4t_wasmsimd, f32_gemm_4x1t_wasmsimd,
} from './f32-gemm-4x8-wasmsimd';
import { padPlanes } from './pad';
import {
  geti, getp, getf, N, CIN, H, W, COUT, KH, KW, SH, SW, PH, PW, DH, DW, OH, OW, X, WEIGHTS, BIAS, Y, SCRATCH, CHUNK, LO, HI, REFLECT,
} from './conv-params';

// @ts-ignore: decorator
@inline function isPointwise(p: usize): bool {
  return geti(p, KH) == 1 && geti(p, KW) == 1 && geti(p, SH) == 1 && geti(p, SW) == 1 && geti(p, PH) == 0 && geti(p, PW) == 0;
}

// Padded input extent: every tap of every output (direct: of every 8-pixel block) lies inside.
// @ts-ignore: decorator
@inline function paddedH(p: usize): i32 {
  return max(geti(p, H) + geti(p, PH), (geti(p, OH) - 1) * geti(p, SH) + (geti(p, KH) - 1) * geti(p, DH) + 1);
}
// @ts-ignore: decorator
@inline function paddedW(p: usize): i32 {
  // direct reads whole 16-pixel blocks; im2col's stride-2 vector gather reads one float past a block.
  const ow = geti(p, SW) == 1 ? (geti(p, OW) + 15) & ~15 : geti(p, OW);
  return max(geti(p, W) + geti(p, PW), (ow - 1) * geti(p, SW) + (geti(p, KW) - 1) * geti(p, DW) + 2);
}

/** Scratch floats f32_conv2d_gemm_wasmsimd needs for the params block p. */
export function conv2d_gemm_scratch_size(p: usize): i32 {
  const k = geti(p, CIN) * geti(p, KH) * geti(p, KW);
  if (isPointwise(p)) return k * (geti(p, CHUNK) + 8);
  return geti(p, CIN) * paddedH(p) * paddedW(p) + k + (geti(p, SW) == 1 ? 0 : k * geti(p, CHUNK));
}

/** y = conv2d(x, weights packed by f32_gemm_4x8_pack_weights) + bias, clamped, for the params block p (groups 1). */
export function f32_conv2d_gemm_wasmsimd(p: usize): void {
  const n = geti(p, N), cin = geti(p, CIN), h = geti(p, H), w = geti(p, W), cout = geti(p, COUT);
  const kh = geti(p, KH), kw = geti(p, KW), sh = geti(p, SH), sw = geti(p, SW), dh = geti(p, DH), dw = geti(p, DW);
  const oh = geti(p, OH), ow = geti(p, OW), chunk = geti(p, CHUNK);
  const x = getp(p, X), a = getp(p, WEIGHTS), bias = getp(p, BIAS), y = getp(p, Y), scratch = getp(p, SCRATCH);
  const lo = getf(p, LO), hi = getf(p, HI);
  const k = cin * kh * kw, cb = (cout + 3) >> 2, ohw = oh * ow;
  const panelBytes = <usize>k << 4;
  const hp = paddedH(p), wp = paddedW(p);
  const xp = scratch, offsets = scratch + (<usize>cin * <usize>hp * <usize>wp << 2), panels = offsets + (<usize>k << 2);
  if (!isPointwise(p)) {
    // Byte offset of tap k = (ci, ky, kx) from the top-left tap of an output pixel.
    let q = offsets;
    for (let ci = 0; ci < cin; ci++) for (let ky = 0; ky < kh; ky++) for (let kx = 0; kx < kw; kx++) {
      store<u32>(q, <u32>(((ci * hp + ky * dh) * wp + kx * dw) << 2));
      q += 4;
    }
  }
  for (let img = 0; img < n; img++) {
    const xi = x + (<usize>img * <usize>cin * <usize>h * <usize>w << 2);
    const yi = y + (<usize>img * <usize>cout * <usize>ohw << 2);
    if (isPointwise(p)) {
      pointwise(cin, ohw, cout, cb, xi, a, bias, yi, scratch, chunk, lo, hi);
      continue;
    }
    padPlanes(xi, cin, h, w, xp, hp, wp, geti(p, PH), geti(p, PW), geti(p, REFLECT) != 0);
    if (sw == 1 && cout <= 3) {
      // One panel of at most 3 output channels: 16 pixels per call (see f32_igemm_3x16_wasmsimd).
      for (let oy = 0; oy < oh; oy++) {
        const row = xp + (<usize>(oy * sh) * <usize>wp << 2);
        const yb = yi + (<usize>(oy * ow) << 2);
        for (let ox = 0; ox < ow; ox += 16) {
          f32_igemm_3x16_wasmsimd(cout, min(16, ow - ox), k, a, row + (<usize>ox << 2), offsets, yb + (<usize>ox << 2), <usize>ohw << 2, bias, lo, hi);
        }
      }
      continue;
    }
    if (sw == 1) {
      for (let oy = 0; oy < oh; oy++) {
        const row = xp + (<usize>(oy * sh) * <usize>wp << 2);
        for (let b = 0; b < cb; b++) {
          const yb = yi + ((<usize>(b * 4) * <usize>ohw + <usize>(oy * ow)) << 2);
          const bb = bias ? bias + (<usize>b << 4) : 0;
          for (let ox = 0; ox < ow; ox += 8) {
            f32_igemm_4x8_wasmsimd(min(4, cout - b * 4), min(8, ow - ox), k, a + <usize>b * panelBytes, row + (<usize>ox << 2), offsets,
              yb + (<usize>ox << 2), <usize>ohw << 2, bb, lo, hi);
          }
        }
      }
      continue;
    }
    for (let p0 = 0; p0 < ohw; p0 += chunk) {
      const np = min(chunk, ohw - p0);
      gatherPanels(xp, wp, sh, sw, ow, p0, np, offsets, k, panels);
      const full = np & ~7;
      for (let b = 0; b < cb; b++) {
        const mr = min(4, cout - b * 4), ab = a + <usize>b * panelBytes, bb = bias ? bias + (<usize>b << 4) : 0;
        const yb = yi + ((<usize>(b * 4) * <usize>ohw + <usize>p0) << 2);
        f32_gemm_4x8_blocks_wasmsimd(mr, full >> 3, k, ab, panels, yb, <usize>ohw << 2, bb, lo, hi);
        if (full < np) {
          f32_gemm_4x8_wasmsimd(mr, np - full, k, ab, panels + (<usize>full * <usize>k << 2), 32, yb + (<usize>full << 2), <usize>ohw << 2, bb, lo, hi);
        }
      }
    }
  }
}

// 1x1: the input planes are the B matrix (row stride HW). Each chunk's full 8-pixel blocks are
// packed into [8][K][8]-style panels first, so the microkernel, which rereads them for every 4-row
// weight panel, walks memory sequentially instead of K rows a plane apart. The last partial block
// (7x7 and 14x14 planes leave 1 and 4 pixels) is gathered once into a zero-padded [K][4] or [K][8]
// panel: 1..4 pixels go to the transposed 4x4t/4x1t kernels (no wasted columns), 5..7 to the
// 8-wide kernel.
function pointwise(k: i32, hw: i32, cout: i32, cb: i32, x: usize, a: usize, bias: usize, y: usize,
  scratch: usize, chunk: i32, lo: f32, hi: f32): void {
  const full = hw & ~7, rest = hw - full, panelBytes = <usize>k << 4, plane = <usize>hw << 2;
  const tailWidth = rest > 4 ? 8 : 4, tail = scratch, packed = scratch + (<usize>k << 5);
  if (rest) {
    // Float by float: memory.copy is a call out of the module in V8, k of them per layer.
    for (let kk = 0; kk < k; kk++) {
      const dst = tail + <usize>(kk * tailWidth << 2), src = x + <usize>kk * plane + (<usize>full << 2);
      v128.store(dst, f32x4.splat(0));
      if (tailWidth == 8) v128.store(dst, f32x4.splat(0), 16);
      for (let i = 0; i < rest; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
    }
  }
  for (let p0 = 0; p0 < full; p0 += chunk) {
    const np = min(full, p0 + chunk) - p0;
    packColumns(x + (<usize>p0 << 2), plane, k, np, packed);
    for (let b = 0; b < cb; b++) {
      f32_gemm_4x8_blocks_wasmsimd(min(4, cout - b * 4), np >> 3, k, a + <usize>b * panelBytes, packed,
        y + <usize>(b * 4) * plane + (<usize>p0 << 2), plane, bias ? bias + (<usize>b << 4) : 0, lo, hi);
    }
  }
  if (!rest) return;
  for (let b = 0; b < cb; b++) {
    const mr = min(4, cout - b * 4), ab = a + <usize>b * panelBytes, bb = bias ? bias + (<usize>b << 4) : 0;
    const yb = y + <usize>(b * 4) * plane + (<usize>full << 2);
    if (rest > 4) f32_gemm_4x8_wasmsimd(mr, rest, k, ab, tail, 32, yb, plane, bb, lo, hi);
    else if (rest == 4) f32_gemm_4x4t_wasmsimd(mr, k, ab, tail, 16, yb, plane, bb, lo, hi);
    else for (let j = 0; j < rest; j++) f32_gemm_4x1t_wasmsimd(mr, k, ab, tail + (<usize>j << 2), 16, yb + (<usize>j << 2), plane, bb, lo, hi);
  }
}

// Panels [np/8][K][8] from K rows (rowBytes apart) of np columns (a multiple of 8).
function packColumns(x: usize, rowBytes: usize, k: i32, np: i32, out: usize): void {
  for (let j = 0; j < np; j += 8) {
    let src = x + (<usize>j << 2), dst = out + (<usize>j * <usize>k << 2);
    const dEnd = dst + (<usize>k << 5);
    while (dst < dEnd) {
      v128.store(dst, v128.load(src));
      v128.store(dst, v128.load(src, 16), 16);
      src += rowBytes;
      dst += 32;
    }
  }
}

// Panels [np/8][K][8] of the im2col matrix for output pixels p0 .. p0 + np (past the end: pixel p0).
// 8 pixels of one output row at stride 1 or 2 are 8 (or every other of 16) consecutive floats:
// copied by vector loads; blocks that wrap to the next row are gathered one float at a time.
function gatherPanels(xp: usize, wp: i32, sh: i32, sw: i32, ow: i32, p0: i32, np: i32, offsets: usize, k: i32, out: usize): void {
  const kEnd = offsets + (<usize>k << 2);
  for (let j0 = 0; j0 < np; j0 += 8) {
    let dst = out + (<usize>j0 * <usize>k << 2);
    const oy = (p0 + j0) / ow, ox = p0 + j0 - oy * ow;
    const base = xp + ((<usize>(oy * sh) * <usize>wp + <usize>(ox * sw)) << 2);
    if (j0 + 8 <= np && ox + 8 <= ow && sw <= 2) {
      for (let o = offsets; o < kEnd; o += 4) {
        const q = base + <usize>load<u32>(o);
        if (sw == 1) {
          v128.store(dst, v128.load(q));
          v128.store(dst, v128.load(q, 16), 16);
        } else {
          v128.store(dst, i32x4.shuffle(v128.load(q), v128.load(q, 16), 0, 2, 4, 6));
          v128.store(dst, i32x4.shuffle(v128.load(q, 32), v128.load(q, 48), 0, 2, 4, 6), 16);
        }
        dst += 32;
      }
      continue;
    }
    for (let j = 0; j < 8; j++) {
      const px = p0 + (j0 + j < np ? j0 + j : 0);
      const y = px / ow, x = px - y * ow;
      const at = xp + ((<usize>(y * sh) * <usize>wp + <usize>(x * sw)) << 2);
      let d = dst + (<usize>j << 2);
      for (let o = offsets; o < kEnd; o += 4) {
        store<f32>(d, load<f32>(at + <usize>load<u32>(o)));
        d += 32;
      }
    }
  }
}
