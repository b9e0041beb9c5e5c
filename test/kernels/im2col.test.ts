// f32_im2col against the JS definition: strides 1-3, padding, dilation, strided (non-contiguous)
// input views, and widths around the stride-2 shuffle path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { w, f32 } from './wasm.js';

test('im2col: cols[(c*kh + i)*kw + j][oh*OW + ow] = x[c, oh*sh - ph + i*dh, ow*sw - pw + j*dw]', () => {
  const cases = [
    // C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, transposed view
    [1, 5, 5, 3, 3, 1, 1, 1, 1, 1, 1, false], [2, 9, 13, 3, 3, 2, 2, 1, 1, 1, 1, false], [3, 17, 19, 9, 9, 1, 1, 4, 4, 1, 1, false],
    [2, 12, 31, 3, 3, 2, 2, 0, 0, 1, 1, false], [2, 10, 11, 3, 2, 3, 2, 2, 1, 2, 3, false], [3, 7, 8, 2, 3, 1, 2, 1, 0, 1, 1, true],
    [1, 4, 40, 1, 5, 1, 2, 0, 2, 1, 1, false],
  ] as const;
  for (const [C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, transposed] of cases) {
    const OH = Math.floor((H + 2 * ph - dh * (kh - 1) - 1) / sh) + 1, OW = Math.floor((W + 2 * pw - dw * (kw - 1) - 1) / sw) + 1;
    // A [C, H, W] view: contiguous, or the transpose of a [C, W, H] buffer.
    const [cs, hs, ws] = transposed ? [H * W, 1, H] : [H * W, W, 1];
    const x = Float32Array.from({ length: C * H * W }, (_, i) => i + 1);
    const px = w.alloc(x.length * 4), pc = w.alloc(C * kh * kw * OH * OW * 4), desc = w.alloc(64);
    f32(px, x.length).set(x);
    new Int32Array(w.memory.buffer, desc, 16).set([C, H, W, kh, kw, OH, OW, sh, sw, ph, pw, dh, dw, cs, hs, ws]);
    w.f32_im2col(px, pc, desc);
    const cols = f32(pc, C * kh * kw * OH * OW);
    let o = 0;
    for (let c = 0; c < C; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++)
      for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, o++) {
        const ih = oh * sh - ph + i * dh, iw = ow * sw - pw + j * dw;
        const want = ih >= 0 && ih < H && iw >= 0 && iw < W ? x[c * cs + ih * hs + iw * ws] : 0;
        if (cols[o] !== want) assert.unreachable(`case ${[C, H, W, kh, kw, sh, sw, ph, pw, dh, dw, transposed]}: cols[${o}] = ${cols[o]}, want ${want}`);
      }
    [px, pc, desc].forEach((p) => w.free(p));
  }
});

test.run();
