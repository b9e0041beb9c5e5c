// f32_maxpool2d and f32_avgpool2d against JS definitions (ATen's loops): kernel, stride, padding,
// dilation and ceil-mode output sizes, NaN in windows (NaN wins, its index is kept), indices,
// count_include_pad and divisor_override, widths around the four-column vector path.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { w, f32, lcg } from './wasm.js';

const rand = lcg(5, -1, 1);

function outSize(n: number, k: number, p: number, s: number, d: number, ceil: boolean): number {
  let o = Math.floor((n + 2 * p - d * (k - 1) - 1 + (ceil ? s - 1 : 0)) / s) + 1;
  if (ceil && (o - 1) * s >= n + p) o--;
  return o;
}

// planes, H, W, kh, kw, sh, sw, ph, pw, dh, dw, ceil
const CASES = [
  [2, 7, 7, 3, 3, 2, 2, 1, 1, 1, 1, false], [1, 13, 13, 3, 3, 2, 2, 0, 0, 1, 1, true], [3, 9, 21, 2, 2, 2, 2, 0, 0, 1, 1, false],
  [2, 8, 17, 3, 3, 1, 1, 1, 1, 1, 1, false], [1, 11, 23, 3, 2, 1, 3, 1, 1, 2, 1, true], [2, 5, 6, 5, 5, 1, 1, 2, 2, 1, 1, false],
  [1, 6, 31, 2, 4, 3, 1, 1, 2, 1, 2, true],
] as const;

test('maxpool2d: values and indices, NaN wins', () => {
  for (const [P, H, W, kh, kw, sh, sw, ph, pw, dh, dw, ceil] of CASES) {
    const OH = outSize(H, kh, ph, sh, dh, ceil), OW = outSize(W, kw, pw, sw, dw, ceil);
    const x = Float32Array.from({ length: P * H * W }, rand);
    x[5] = NaN;
    x[x.length - 3] = NaN;
    const px = w.alloc(x.length * 4), py = w.alloc(P * OH * OW * 4), pi = w.alloc(P * OH * OW * 8), desc = w.alloc(64);
    f32(px, x.length).set(x);
    new Int32Array(w.memory.buffer, desc, 13).set([P, H, W, OH, OW, kh, kw, sh, sw, ph, pw, dh, dw]);
    w.f32_maxpool2d(px, py, pi, desc);
    const y = f32(py, P * OH * OW), idx = new BigInt64Array(w.memory.buffer, pi, P * OH * OW);
    let o = 0;
    for (let p = 0; p < P; p++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, o++) {
      let h0 = oh * sh - ph, w0 = ow * sw - pw;
      const h1 = Math.min(h0 + (kh - 1) * dh + 1, H), w1 = Math.min(w0 + (kw - 1) * dw + 1, W);
      while (h0 < 0) h0 += dh;
      while (w0 < 0) w0 += dw;
      let best = -Infinity, at = h0 * W + w0;
      for (let h = h0; h < h1; h += dh) for (let ww = w0; ww < w1; ww += dw) {
        const v = x[p * H * W + h * W + ww];
        if (v > best || Number.isNaN(v)) { best = v; at = h * W + ww; }
      }
      const same = Number.isNaN(best) ? Number.isNaN(y[o]) : y[o] === best;
      if (!same || Number(idx[o]) !== at) assert.unreachable(`case ${[P, H, W, kh, kw, sh, sw, ph, pw, dh, dw, ceil]} out ${o}: (${y[o]}, ${idx[o]}), want (${best}, ${at})`);
    }
    [px, py, pi, desc].forEach((q) => w.free(q));
  }
});

test('avgpool2d: count_include_pad and divisor_override', () => {
  for (const [P, H, W, kh, kw, sh, sw, ph, pw, , , ceil] of CASES)
    for (const [include, divisor] of [[true, null], [false, null], [true, 3], [false, -2]] as const) {
      const OH = outSize(H, kh, ph, sh, 1, ceil), OW = outSize(W, kw, pw, sw, 1, ceil);
      const x = Float32Array.from({ length: P * H * W }, rand);
      const px = w.alloc(x.length * 4), py = w.alloc(P * OH * OW * 4), desc = w.alloc(64);
      f32(px, x.length).set(x);
      new Int32Array(w.memory.buffer, desc, 16).set([P, H, W, OH, OW, kh, kw, sh, sw, ph, pw, 1, 1, include ? 1 : 0, divisor === null ? 0 : 1, divisor ?? 0]);
      w.f32_avgpool2d(px, py, desc);
      const y = f32(py, P * OH * OW);
      let o = 0;
      for (let p = 0; p < P; p++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++, o++) {
        let h0 = oh * sh - ph, w0 = ow * sw - pw;
        let h1 = Math.min(h0 + kh, H + ph), w1 = Math.min(w0 + kw, W + pw);
        const padded = (h1 - h0) * (w1 - w0);
        h0 = Math.max(h0, 0); w0 = Math.max(w0, 0); h1 = Math.min(h1, H); w1 = Math.min(w1, W);
        let want = 0;
        if (h0 < h1 && w0 < w1) {
          let sum = 0;
          for (let h = h0; h < h1; h++) for (let ww = w0; ww < w1; ww++) sum += x[p * H * W + h * W + ww];
          want = sum / (divisor ?? (include ? padded : (h1 - h0) * (w1 - w0)));
        }
        if (Math.abs(y[o] - want) > 1e-5 * (1 + Math.abs(want))) assert.unreachable(`case ${[P, H, W, kh, kw, sh, sw, ph, pw, ceil, include, divisor]} out ${o}: ${y[o]}, want ${want}`);
      }
      [px, py, desc].forEach((q) => w.free(q));
    }
});

test.run();
