// im2col for the reference convolution (src/ops/conv.ts): cols[(c*kh + i)*kw + j][oh*OW + ow] =
// x[c, oh*sh - ph + i*dh, ow*sw - pw + j*dw], 0 in the padding. Rows of unit-stride inputs are
// memory.copy'd (stride 1) or de-interleaved by shuffles (stride 2); other strides gather.

// Slots of the i32 parameter block.
const C = 0, H = 1, W = 2, KH = 3, KW = 4, OH = 5, OW = 6, SH = 7, SW = 8, PH = 9, PW = 10, DH = 11, DW = 12;
const CS = 13, HS = 14, WS = 15;

// @ts-ignore: decorator
@inline function geti(p: usize, slot: i32): i32 { return load<i32>(p + (<usize>slot << 2)); }

// @ts-ignore: decorator
@inline function zero(y: usize, n: i32): void { memory.fill(y, 0, <usize>n << 2); }

/** y[k] = src[k * stride] for k < n (stride in elements; src rows have unit element stride when ws == 1). */
function stridedRow(src: usize, y: usize, n: i32, stride: i32): void {
  let k = 0;
  if (stride == 2) {
    // Two vectors give four outputs; stop while the second vector still lies inside the row.
    for (; k + 4 <= n && 2 * k + 8 <= 2 * n - 1; k += 4, src += 32, y += 16)
      v128.store(y, i32x4.shuffle(v128.load(src), v128.load(src, 16), 0, 2, 4, 6));
  }
  const step = <usize>stride << 2;
  for (; k < n; k++, src += step, y += 4) store<f32>(y, load<f32>(src));
}

/** x: element 0 of the first channel; p: the parameter block (slots above, strides in elements). */
export function f32_im2col_wasmsimd(x: usize, cols: usize, p: usize): void {
  const nc = geti(p, C), h = geti(p, H), w = geti(p, W), kh = geti(p, KH), kw = geti(p, KW), oh = geti(p, OH), ow = geti(p, OW);
  const sh = geti(p, SH), sw = geti(p, SW), ph = geti(p, PH), pw = geti(p, PW), dh = geti(p, DH), dw = geti(p, DW);
  const cs = <usize>geti(p, CS) << 2, hs = <usize>geti(p, HS) << 2, ws = geti(p, WS);
  let y = cols;
  for (let c = 0; c < nc; c++) {
    for (let i = 0; i < kh; i++) {
      for (let j = 0; j < kw; j++) {
        // Output columns whose input column lies inside the row: [lo, hi).
        const off = j * dw - pw;
        const lo = min(ow, off >= 0 ? 0 : (-off + sw - 1) / sw);
        const hi = max(lo, min(ow, w - 1 - off >= 0 ? (w - 1 - off) / sw + 1 : 0));
        for (let r = 0; r < oh; r++, y += <usize>ow << 2) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) { zero(y, ow); continue; }
          const row = x + <usize>c * cs + <usize>ih * hs;
          zero(y, lo);
          const src = row + (<usize>((lo * sw + off) * ws) << 2), dst = y + (<usize>lo << 2);
          if (sw == 1 && ws == 1) memory.copy(dst, src, <usize>(hi - lo) << 2);
          else stridedRow(src, dst, hi - lo, sw * ws);
          zero(y + (<usize>hi << 2), ow - hi);
        }
      }
    }
  }
}
