// Max and average pooling over contiguous planes [planes, H, W] -> [planes, OH, OW]. Output
// columns whose windows lie inside the row go four at a time (one vector per window tap); the
// columns at the edges take the scalar path with bounds checks. Max pooling follows ATen:
// `v > best || isnan(v)` picks (so NaN wins), indices are h * W + w in the plane (i64).
import { gather } from './scratch';

// Slots of the i32 parameter block.
const PLANES = 0, H = 1, W = 2, OH = 3, OW = 4, KH = 5, KW = 6, SH = 7, SW = 8, PH = 9, PW = 10, DH = 11, DW = 12;
const INCLUDE_PAD = 13, HAS_DIVISOR = 14, DIVISOR = 15;

// @ts-ignore: decorator
@inline function geti(p: usize, slot: i32): i32 { return load<i32>(p + (<usize>slot << 2)); }

// @ts-ignore: decorator
@inline function load4(p: usize, sw: i32): v128 { return sw == 1 ? v128.load(p) : gather(p, <usize>sw << 2, 4); }

/** Output columns [lo, hi) whose kw taps (dilation dw, from ow*sw - pw) all lie in [0, w). */
function interior(p: usize): i64 {
  const w = geti(p, W), ow = geti(p, OW), sw = geti(p, SW), pw = geti(p, PW), span = (geti(p, KW) - 1) * geti(p, DW);
  const lo = min(ow, (pw + sw - 1) / sw);
  const last = w - 1 - span + pw;
  const hi = max(lo, min(ow, last >= 0 ? last / sw + 1 : 0));
  return (<i64>hi << 32) | <i64>lo;
}

/** y: OH*OW floats per plane; idx: i64 indices per output, or 0 for none. */
export function f32_maxpool2d_wasmsimd(x: usize, y: usize, idx: usize, p: usize): void {
  const planes = geti(p, PLANES), h = geti(p, H), w = geti(p, W), oh = geti(p, OH), ow = geti(p, OW);
  const kh = geti(p, KH), kw = geti(p, KW), sh = geti(p, SH), sw = geti(p, SW), ph = geti(p, PH), pw = geti(p, PW), dh = geti(p, DH), dw = geti(p, DW);
  const lohi = interior(p), lo = <i32>lohi, hi = <i32>(lohi >> 32);
  const ninf = f32x4.splat(-Infinity), lanes = i32x4(0, 1, 2, 3);
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + (<usize>pl * <usize>h * <usize>w << 2);
    for (let r = 0; r < oh; r++) {
      let h0 = r * sh - ph;
      const h1 = min(h0 + (kh - 1) * dh + 1, h);
      while (h0 < 0) h0 += dh;
      for (let c = 0; c < ow; c++, y += 4, idx += idx ? 8 : 0) {
        if (c >= lo && c + 4 <= hi) {
          // Four columns at once; c advances by 3 more below.
          let best = ninf, at = i32x4.add(i32x4.splat(h0 * w + c * sw - pw), i32x4.mul(lanes, i32x4.splat(sw)));
          for (let hh = h0; hh < h1; hh += dh) {
            for (let j = 0; j < kw; j++) {
              const w0 = c * sw - pw + j * dw;
              const v = load4(xp + (<usize>(hh * w + w0) << 2), sw);
              const take = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
              best = v128.bitselect(v, best, take);
              if (idx) at = v128.bitselect(i32x4.add(i32x4.splat(hh * w + w0), i32x4.mul(lanes, i32x4.splat(sw))), at, take);
            }
          }
          v128.store(y, best);
          if (idx) {
            v128.store(idx, i64x2.extend_low_i32x4_s(at));
            v128.store(idx, i64x2.extend_high_i32x4_s(at), 16);
            idx += 24;
          }
          c += 3;
          y += 12;
          continue;
        }
        let w0 = c * sw - pw;
        const w1 = min(w0 + (kw - 1) * dw + 1, w);
        while (w0 < 0) w0 += dw;
        let best: f32 = -Infinity, at = h0 * w + w0;
        for (let hh = h0; hh < h1; hh += dh) {
          for (let ww = w0; ww < w1; ww += dw) {
            const v = load<f32>(xp + (<usize>(hh * w + ww) << 2));
            if (v > best || v != v) { best = v; at = hh * w + ww; }
          }
        }
        store<f32>(y, best);
        if (idx) store<i64>(idx, at);
      }
    }
  }
}

/** Average over each window, divided by the override (when HAS_DIVISOR) or the (padded) window size. */
export function f32_avgpool2d_wasmsimd(x: usize, y: usize, p: usize): void {
  const planes = geti(p, PLANES), h = geti(p, H), w = geti(p, W), oh = geti(p, OH), ow = geti(p, OW);
  const kh = geti(p, KH), kw = geti(p, KW), sh = geti(p, SH), sw = geti(p, SW), ph = geti(p, PH), pw = geti(p, PW);
  const includePad = geti(p, INCLUDE_PAD) != 0, hasDivisor = geti(p, HAS_DIVISOR) != 0, divisor = geti(p, DIVISOR);
  const lohi = interior(p), lo = <i32>lohi, hi = <i32>(lohi >> 32);
  for (let pl = 0; pl < planes; pl++) {
    const xp = x + (<usize>pl * <usize>h * <usize>w << 2);
    for (let r = 0; r < oh; r++) {
      const hs = r * sh - ph, he = min(hs + kh, h + ph);
      const h0 = max(hs, 0), h1 = min(he, h);
      for (let c = 0; c < ow; c++, y += 4) {
        if (h0 < h1 && c >= lo && c + 4 <= hi) {
          let acc = f32x4.splat(0);
          for (let hh = h0; hh < h1; hh++)
            for (let j = 0; j < kw; j++) acc = f32x4.add(acc, load4(xp + (<usize>(hh * w + c * sw - pw + j) << 2), sw));
          const d = hasDivisor ? divisor : includePad ? (he - hs) * kw : (h1 - h0) * kw;
          v128.store(y, f32x4.div(acc, f32x4.splat(<f32>d)));
          c += 3;
          y += 12;
          continue;
        }
        const ws = c * sw - pw, we = min(ws + kw, w + pw);
        const w0 = max(ws, 0), w1 = min(we, w);
        if (h0 >= h1 || w0 >= w1) { store<f32>(y, 0); continue; }
        let sum: f32 = 0;
        for (let hh = h0; hh < h1; hh++) for (let ww = w0; ww < w1; ww++) sum += load<f32>(xp + (<usize>(hh * w + ww) << 2));
        const d = hasDivisor ? divisor : includePad ? (he - hs) * (we - ws) : (h1 - h0) * (w1 - w0);
        store<f32>(y, sum / <f32>d);
      }
    }
  }
}
