// Winograd F(6x6, 3x3) convolution (NNPACK's wt8x8) for 3x3, stride 1, dilation 1:
// each 8x8 input tile d gives a 6x6 output tile Y = A^T [(G g G^T) . (B^T d B)] A, so the 64
// frequencies become 64 independent GEMMs [Cout x Cin] x [Cin x tiles] (5.06x fewer multiplies
// than direct convolution). Transforms run on 4 tiles at once, one tile per v128 lane.
// The matrices are wincnn's for points 0, +-1, +-2, +-1/2 (see: NNPACK src/psimd/winograd-f6k3.c).
//
// Layouts (f = frequency row * 8 + column, T = tiles per chunk, a multiple of 8):
//   U (packed weights): [64 f][ceil(Cout/4)][Cin][4]           A panels for f32_gemm_4x8
//   V (input chunk):    [64 f][T/8][Cin][8 tiles]               B panels
//   M (GEMM output):    [Cout][64 f][T]                         read 4 tiles at a time
import { f32_gemm_4x8_wasmsimd } from './f32-gemm-4x8-wasmsimd';
import { padPlanes } from './pad';
import { fmadd } from './madd';
import { geti, getp, getf, N, CIN, H, W, COUT, PH, PW, OH, OW, X, WEIGHTS, BIAS, Y, SCRATCH, CHUNK, LO, HI, REFLECT } from './conv-params';

const TMP: usize = memory.data(64 * 16, 16);
const ROW: usize = memory.data(36 * 16, 16);

// @ts-ignore: decorator
@inline function sp(x: f32): v128 { return f32x4.splat(x); }
// @ts-ignore: decorator
@inline function madd(a: v128, b: v128, c: v128): v128 { return fmadd(b, c, a); }

// w = B^T d over 8 vectors at src + i * ss, written to dst + i * ds.
// @ts-ignore: decorator
@inline function inputTransform8(src: usize, ss: usize, dst: usize, ds: usize): void {
  inputTransform8v(v128.load(src), v128.load(src + ss), v128.load(src + 2 * ss), v128.load(src + 3 * ss),
    v128.load(src + 4 * ss), v128.load(src + 5 * ss), v128.load(src + 6 * ss), v128.load(src + 7 * ss), dst, ds);
}

// @ts-ignore: decorator
@inline function inputTransform8v(d0: v128, d1: v128, d2: v128, d3: v128, d4: v128, d5: v128, d6: v128, d7: v128, dst: usize, ds: usize): void {
  v128.store(dst, madd(f32x4.sub(d0, d6), sp(5.25), f32x4.sub(d4, d2)));
  v128.store(dst + 7 * ds, madd(f32x4.sub(d7, d1), sp(5.25), f32x4.sub(d3, d5)));
  let t1 = madd(f32x4.add(d2, d6), sp(-4.25), d4);
  let t2 = madd(f32x4.add(d1, d5), sp(-4.25), d3);
  v128.store(dst + ds, f32x4.add(t1, t2));
  v128.store(dst + 2 * ds, f32x4.sub(t1, t2));
  t1 = madd(madd(d6, sp(0.25), d2), sp(-1.25), d4);
  t2 = madd(madd(f32x4.mul(sp(0.5), d1), sp(-2.5), d3), sp(2.0), d5);
  v128.store(dst + 3 * ds, f32x4.add(t1, t2));
  v128.store(dst + 4 * ds, f32x4.sub(t1, t2));
  t1 = madd(madd(d6, sp(4.0), d2), sp(-5.0), d4);
  t2 = madd(madd(f32x4.mul(sp(2.0), d1), sp(-2.5), d3), sp(0.5), d5);
  v128.store(dst + 5 * ds, f32x4.add(t1, t2));
  v128.store(dst + 6 * ds, f32x4.sub(t1, t2));
}

// y = A^T m: 8 vectors at src + i * ss to 6 at dst + i * ds.
// @ts-ignore: decorator
@inline function outputTransform8(src: usize, ss: usize, dst: usize, ds: usize): void {
  const m0 = v128.load(src), m1 = v128.load(src + ss), m2 = v128.load(src + 2 * ss), m3 = v128.load(src + 3 * ss);
  const m4 = v128.load(src + 4 * ss), m5 = v128.load(src + 5 * ss), m6 = v128.load(src + 6 * ss), m7 = v128.load(src + 7 * ss);
  const s12 = f32x4.add(m1, m2), d12 = f32x4.sub(m1, m2);
  const s34 = f32x4.add(m3, m4), d34 = f32x4.sub(m3, m4);
  const s56 = f32x4.add(m5, m6), d56 = f32x4.sub(m5, m6);
  v128.store(dst, f32x4.add(f32x4.add(m0, s12), f32x4.add(s34, s56)));
  v128.store(dst + ds, madd(madd(d12, sp(2.0), d34), sp(0.5), d56));
  v128.store(dst + 2 * ds, madd(madd(s12, sp(4.0), s34), sp(0.25), s56));
  v128.store(dst + 3 * ds, madd(madd(d12, sp(8.0), d34), sp(0.125), d56));
  v128.store(dst + 4 * ds, madd(madd(s12, sp(16.0), s34), sp(0.0625), s56));
  v128.store(dst + 5 * ds, f32x4.add(madd(madd(d12, sp(32.0), d34), sp(0.03125), d56), m7));
}

// Four rows a0..a3 (one per tile) to four columns (lanes = tiles), stored at dst, dst + 16, ...
// @ts-ignore: decorator
@inline function transposeStore(a0: v128, a1: v128, a2: v128, a3: v128, dst: usize): void {
  const t0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), t1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), t3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
  v128.store(dst, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(dst, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 16);
  v128.store(dst, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 32);
  v128.store(dst, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 48);
}

// G g for 3 floats at src + i * ss, 8 floats to dst + i * ds.
// @ts-ignore: decorator
@inline function kernelTransform3(src: usize, ss: usize, dst: usize, ds: usize): void {
  const g0 = load<f32>(src), g1 = load<f32>(src + ss), g2 = load<f32>(src + 2 * ss);
  store<f32>(dst, g0);
  store<f32>(dst + ds, (g0 + g1 + g2) * (-2.0 / 9.0));
  store<f32>(dst + 2 * ds, (g0 - g1 + g2) * (-2.0 / 9.0));
  const a = g0 * (1.0 / 90.0) + g2 * (2.0 / 45.0), b = g1 * (1.0 / 45.0);
  store<f32>(dst + 3 * ds, a + b);
  store<f32>(dst + 4 * ds, a - b);
  const c = g0 * (32.0 / 45.0) + g2 * (8.0 / 45.0), d = g1 * (16.0 / 45.0);
  store<f32>(dst + 5 * ds, c + d);
  store<f32>(dst + 6 * ds, c - d);
  store<f32>(dst + 7 * ds, g2);
}

/** Floats in the packed weights U for (cout, cin). */
export function winograd_6x3_packed_size(cout: i32, cin: i32): i32 {
  return 64 * ((cout + 3) >> 2) * 4 * cin;
}

/** U = G g G^T for weights [Cout][Cin][3][3], packed as 4-row GEMM panels per frequency. */
export function f32_winograd_6x3_pack_weights(w: usize, cout: i32, cin: i32, u: usize): void {
  const cb = (cout + 3) >> 2;
  memory.fill(u, 0, <usize>winograd_6x3_packed_size(cout, cin) << 2);
  const tmp = TMP; // 8 x 3 floats, then 8 x 8
  const fStride = <usize>cb * <usize>cin * 16;
  for (let co = 0; co < cout; co++) {
    for (let ci = 0; ci < cin; ci++) {
      const g = w + ((<usize>co * <usize>cin + <usize>ci) * 9 << 2);
      for (let j = 0; j < 3; j++) kernelTransform3(g + (<usize>j << 2), 12, tmp + (<usize>j << 2), 12); // columns: G g
      const dst = u + ((<usize>(co >> 2) * <usize>cin + <usize>ci) << 4) + (<usize>(co & 3) << 2);
      for (let i = 0; i < 8; i++) kernelTransform3(tmp + <usize>i * 12, 4, dst + <usize>(i * 8) * fStride, fStride); // rows: (G g) G^T
    }
  }
}

/** Scratch floats the driver needs for one image: padded input, V and M chunks. */
export function winograd_6x3_scratch_size(p: usize): i32 {
  const cin = geti(p, CIN), chunk = geti(p, CHUNK);
  const ty = (geti(p, OH) + 5) / 6, tx = (geti(p, OW) + 5) / 6;
  return cin * (ty * 6 + 2) * (tx * 6 + 2) + 64 * chunk * (cin + geti(p, COUT));
}

/**
 * y = conv3x3(x, weights packed by f32_winograd_6x3_pack_weights) + bias, clamped to [lo, hi], for
 * the params block p (conv-params.ts; stride and dilation 1). CHUNK tiles (a multiple of 8) are
 * transformed, multiplied and written back at a time, so V and M stay near the L2 cache.
 */
export function f32_conv2d_winograd_6x3_wasmsimd(p: usize): void {
  const n = geti(p, N), cin = geti(p, CIN), h = geti(p, H), w = geti(p, W), cout = geti(p, COUT);
  const ph = geti(p, PH), pw = geti(p, PW), oh = geti(p, OH), ow = geti(p, OW), chunk = geti(p, CHUNK);
  const x = getp(p, X), u = getp(p, WEIGHTS), bias = getp(p, BIAS), y = getp(p, Y), lo = getf(p, LO), hi = getf(p, HI);
  const ty = (oh + 5) / 6, tx = (ow + 5) / 6, tiles = ty * tx;
  const hp = ty * 6 + 2, wp = tx * 6 + 2;
  const xp = getp(p, SCRATCH);
  const v = xp + (<usize>cin * <usize>hp * <usize>wp << 2);
  const m = v + (<usize>64 * <usize>chunk * <usize>cin << 2);
  const cb = (cout + 3) >> 2;
  const T = <usize>chunk;
  for (let img = 0; img < n; img++) {
    padPlanes(x + (<usize>img * <usize>cin * <usize>h * <usize>w << 2), cin, h, w, xp, hp, wp, ph, pw, geti(p, REFLECT) != 0);
    const yImg = y + (<usize>img * <usize>cout * <usize>oh * <usize>ow << 2);
    for (let t0 = 0; t0 < tiles; t0 += chunk) {
      const nt = min(chunk, tiles - t0);
      inputChunk(xp, cin, hp, wp, tx, t0, nt, v, T);
      for (let f = 0; f < 64; f++) {
        const vf = v + (<usize>f * T * <usize>cin << 2);
        for (let b = 0; b < cb; b++) {
          const a = u + ((<usize>(f * cb + b) * <usize>cin) << 4);
          const c = m + ((<usize>(b * 4) * 64 + <usize>f) * T << 2);
          for (let tb = 0; tb < nt; tb += 8) {
            f32_gemm_4x8_wasmsimd(min(4, cout - b * 4), 8, cin, a, vf + (<usize>tb * <usize>cin << 2), 32, c + (<usize>tb << 2), 64 * T << 2, 0, -Infinity, Infinity);
          }
        }
      }
      outputChunk(m, cout, oh, ow, tx, t0, nt, T, bias, yImg, lo, hi);
    }
  }
}

// V for tiles t0 .. t0 + nt of the padded image, 4 tiles (lanes) at a time.
function inputChunk(xp: usize, cin: i32, hp: i32, wp: i32, tx: i32, t0: i32, nt: i32, v: usize, T: usize): void {
  const rowBytes = <usize>wp << 2;
  const fStride = T * <usize>cin << 2;
  for (let g = 0; g < nt; g += 4) {
    // Lanes past the last tile repeat it; their columns of V are never stored to the output.
    const t = t0 + g, last = t0 + nt - 1;
    const o0 = tileOffset(t, tx, wp), o1 = tileOffset(min(t + 1, last), tx, wp);
    const o2 = tileOffset(min(t + 2, last), tx, wp), o3 = tileOffset(min(t + 3, last), tx, wp);
    const vg = v + (((<usize>(g >> 3) * 8 * <usize>cin) + <usize>(g & 4)) << 2);
    for (let ci = 0; ci < cin; ci++) {
      const plane = xp + (<usize>ci * <usize>hp * rowBytes);
      for (let r = 0; r < 8; r++) {
        const row = plane + <usize>r * rowBytes;
        // Transpose the 4 tiles' rows (columns 0-3, then 4-7) so that lanes are tiles, in registers.
        const a0 = v128.load(row + o0), a1 = v128.load(row + o1), a2 = v128.load(row + o2), a3 = v128.load(row + o3);
        const b0 = v128.load(row + o0, 16), b1 = v128.load(row + o1, 16), b2 = v128.load(row + o2, 16), b3 = v128.load(row + o3, 16);
        const s0 = i32x4.shuffle(a0, a1, 0, 4, 1, 5), s1 = i32x4.shuffle(a0, a1, 2, 6, 3, 7);
        const s2 = i32x4.shuffle(a2, a3, 0, 4, 1, 5), s3 = i32x4.shuffle(a2, a3, 2, 6, 3, 7);
        const u0 = i32x4.shuffle(b0, b1, 0, 4, 1, 5), u1 = i32x4.shuffle(b0, b1, 2, 6, 3, 7);
        const u2 = i32x4.shuffle(b2, b3, 0, 4, 1, 5), u3 = i32x4.shuffle(b2, b3, 2, 6, 3, 7);
        inputTransform8v(
          i32x4.shuffle(s0, s2, 0, 1, 4, 5), i32x4.shuffle(s0, s2, 2, 3, 6, 7), i32x4.shuffle(s1, s3, 0, 1, 4, 5), i32x4.shuffle(s1, s3, 2, 3, 6, 7),
          i32x4.shuffle(u0, u2, 0, 1, 4, 5), i32x4.shuffle(u0, u2, 2, 3, 6, 7), i32x4.shuffle(u1, u3, 0, 1, 4, 5), i32x4.shuffle(u1, u3, 2, 3, 6, 7),
          TMP + (<usize>r << 7), 16);
      }
      const dst = vg + (<usize>ci << 5);
      for (let j = 0; j < 8; j++) inputTransform8(TMP + (<usize>j << 4), 128, dst + <usize>j * fStride, 8 * fStride);
    }
  }
}

// @ts-ignore: decorator
@inline function tileOffset(t: i32, tx: i32, wp: i32): usize {
  const row = t / tx;
  return (<usize>(row * 6) * <usize>wp + <usize>((t - row * tx) * 6)) << 2;
}

// Y = A^T M A + bias, clamped, for tiles t0 .. t0 + nt; 6x6 blocks clipped at the image edge.
function outputChunk(m: usize, cout: i32, oh: i32, ow: i32, tx: i32, t0: i32, nt: i32, T: usize, bias: usize,
  y: usize, lo: f32, hi: f32): void {
  const vlo = f32x4.splat(lo), vhi = f32x4.splat(hi);
  const fStride = T << 2;
  const plane = <usize>oh * <usize>ow << 2;
  for (let co = 0; co < cout; co++) {
    const vb = f32x4.splat(bias ? load<f32>(bias + (<usize>co << 2)) : 0);
    const mc = m + (<usize>co * 64 * fStride);
    const yc = y + <usize>co * plane;
    for (let g = 0; g < nt; g += 4) {
      for (let r = 0; r < 8; r++) outputTransform8(mc + <usize>(r * 8) * fStride + (<usize>g << 2), fStride, TMP + <usize>r * 96, 16);
      for (let j = 0; j < 6; j++) outputTransform8(TMP + (<usize>j << 4), 96, ROW + (<usize>j << 4), 96);
      // ROW now holds out[i][j] (lanes = tiles) at ROW + (i * 6 + j) * 16; finish and store each tile.
      const lanes = min(4, nt - g);
      for (let i = 0; i < 6; i++) {
        const src = ROW + <usize>i * 96;
        for (let j = 0; j < 6; j++) {
          const p = src + (<usize>j << 4);
          v128.store(p, f32x4.pmin(f32x4.pmax(f32x4.add(v128.load(p), vb), vlo), vhi));
        }
        transposeStore(v128.load(src), v128.load(src, 16), v128.load(src, 32), v128.load(src, 48), TMP);
        // columns 4, 5 as (t0c4, t0c5, t1c4, t1c5), (t2c4, t2c5, t3c4, t3c5)
        const c4 = v128.load(src, 64), c5 = v128.load(src, 80);
        v128.store(TMP, i32x4.shuffle(c4, c5, 0, 4, 1, 5), 64);
        v128.store(TMP, i32x4.shuffle(c4, c5, 2, 6, 3, 7), 80);
        for (let l = 0; l < lanes; l++) {
          const t = t0 + g + l;
          const tyy = t / tx, txx = t - tyy * tx;
          const oy = tyy * 6 + i, ox = txx * 6;
          if (oy >= oh) continue;
          const dst = yc + ((<usize>oy * <usize>ow + <usize>ox) << 2);
          const s4 = TMP + 64 + (<usize>l << 3);
          if (ox + 6 <= ow) {
            v128.store(dst, v128.load(TMP + (<usize>l << 4)));
            store<u64>(dst, load<u64>(s4), 16);
          } else {
            const cols = ow - ox;
            for (let j = 0; j < cols; j++) {
              store<f32>(dst + (<usize>j << 2), j < 4 ? load<f32>(TMP + (<usize>l << 4) + (<usize>j << 2)) : load<f32>(s4 + (<usize>(j - 4) << 2)));
            }
          }
        }
      }
    }
  }
}
