// MobileNetV2's inverted residual block, project(dw3x3(expand(x))) [+ x], computed per tile of
// output rows so that the 6x-expanded intermediate never leaves the L2 cache: the expand 1x1 runs
// on the tile's input rows (plus halo) for all expanded channels into scratch E, the depthwise
// (padding 1) reads E into scratch D, and the project 1x1 reads D and writes the tile of y. Halo
// rows computed for one tile are moved to the top of E for the next, so no row is expanded twice.
import { pointwise } from './f32-conv2d-gemm-wasmsimd';
import { dwPad1, rowPad } from './f32-dwconv2d-3x3-wasmsimd';
import { f32_conv_residual_clamp } from './f32-gemm-4x8-wasmsimd';

// The parameter block's slots (src/ops/conv-fast.ts IR_PARAMS lists them in the same order).
const N = 0, CIN = 1, H = 2, W = 3, CEXP = 4, COUT = 5, S = 6, OH = 7, OW = 8, X = 9, WE = 10, BE = 11, WD = 12, BD = 13,
  WP = 14, BP = 15, Y = 16, RES = 17, SCRATCH = 18, ROWS = 19, CHUNK1 = 20, CHUNK2 = 21, LO1 = 22, HI1 = 23, LO2 = 24, HI2 = 25,
  LO3 = 26, HI3 = 27;

// @ts-ignore: decorator
@inline function geti(p: usize, slot: i32): i32 { return load<i32>(p + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline function getp(p: usize, slot: i32): usize { return <usize>load<u32>(p + (<usize>slot << 2)); }
// @ts-ignore: decorator
@inline function getf(p: usize, slot: i32): f32 { return load<f32>(p + (<usize>slot << 2)); }

// Rows of E: a tile of ROWS output rows reads (ROWS - 1) * S + 3 input rows.
// @ts-ignore: decorator
@inline function eRows(p: usize): i32 { return (geti(p, ROWS) - 1) * geti(p, S) + 3; }

/** Scratch floats f32_inverted_residual_wasmsimd needs: E, D, the 1x1 panels and the depthwise's zero rows. */
export function inverted_residual_scratch_size(p: usize): i32 {
  const cexp = geti(p, CEXP);
  return cexp * eRows(p) * geti(p, W) + cexp * geti(p, ROWS) * geti(p, OW)
    + max(geti(p, CIN) * (geti(p, CHUNK1) + 8), cexp * (geti(p, CHUNK2) + 8)) + 2 * rowPad(geti(p, W)) + 4;
}

/** y = clamp3(project(clamp2(dw3x3(clamp1(expand(x))))) + residual), weights of the 1x1s packed by f32_gemm_4x8_pack_weights. */
export function f32_inverted_residual_wasmsimd(p: usize): void {
  const n = geti(p, N), cin = geti(p, CIN), h = geti(p, H), w = geti(p, W), cexp = geti(p, CEXP), cout = geti(p, COUT);
  const s = geti(p, S), oh = geti(p, OH), ow = geti(p, OW), rows = geti(p, ROWS), chunk1 = geti(p, CHUNK1), chunk2 = geti(p, CHUNK2);
  const x = getp(p, X), we = getp(p, WE), be = getp(p, BE), wd = getp(p, WD), bd = getp(p, BD), wp = getp(p, WP), bp = getp(p, BP);
  const y = getp(p, Y), res = getp(p, RES);
  const lo1 = getf(p, LO1), hi1 = getf(p, HI1), lo3 = getf(p, LO3), hi3 = getf(p, HI3);
  const er = eRows(p), rowBytes = <usize>w << 2, ePlane = <usize>er * rowBytes, ohw = oh * ow;
  const e = getp(p, SCRATCH), d = e + <usize>cexp * ePlane, panels = d + (<usize>cexp * <usize>rows * <usize>ow << 2);
  const zrows = panels + (<usize>max(cin * (chunk1 + 8), cexp * (chunk2 + 8)) << 2);
  // With a residual the project stores unclamped sums; the residual pass clamps.
  const plo: f32 = res ? <f32>-Infinity : lo3, phi: f32 = res ? <f32>Infinity : hi3;
  for (let img = 0; img < n; img++) {
    const xi = x + (<usize>img * <usize>cin * <usize>h * rowBytes), yi = y + (<usize>img * <usize>cout * <usize>ohw << 2);
    const ri = res + (<usize>img * <usize>cout * <usize>ohw << 2);
    let eA = 0, have = 0; // E holds input rows eA .. eA + have
    for (let oy0 = 0; oy0 < oh; oy0 += rows) {
      const tt = min(rows, oh - oy0), a = max(0, oy0 * s - 1), b = min(h, (oy0 + tt - 1) * s + 2);
      let keep = eA + have - a;
      if (keep > 0 && a > eA) {
        for (let c = 0; c < cexp; c++) {
          const plane = e + <usize>c * ePlane;
          memory.copy(plane, plane + <usize>(a - eA) * rowBytes, <usize>keep * rowBytes);
        }
      } else if (keep <= 0) keep = 0;
      if (b > a + keep) {
        pointwise(cin, (b - a - keep) * w, <usize>h * rowBytes, ePlane, cexp, (cexp + 3) >> 2, xi + <usize>(a + keep) * rowBytes, we, be,
          e + <usize>keep * rowBytes, panels, chunk1, lo1, hi1);
      }
      eA = a;
      have = b - a;
      const top = oy0 * s - a; // 1 when row -1 of the tile is data
      dwPad1(1, cexp, b - oy0 * s, w, er, top > 0, s, tt, ow, e + <usize>top * rowBytes, wd, bd, d, zrows, getf(p, LO2), getf(p, HI2));
      const tile = tt * ow, at = <usize>(oy0 * ow) << 2;
      pointwise(cexp, tile, <usize>tile << 2, <usize>ohw << 2, cout, (cout + 3) >> 2, d, wp, bp, yi + at, panels, chunk2, plo, phi);
      if (res) {
        for (let c = 0; c < cout; c++) {
          const o = (<usize>c * <usize>ohw << 2) + at;
          f32_conv_residual_clamp(yi + o, ri + o, tile, lo3, hi3);
        }
      }
    }
  }
}
