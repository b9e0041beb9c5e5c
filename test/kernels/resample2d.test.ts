// f32_gather2d and f32_taps2d against JS references of the same tap tables: padding in every
// mode (the copied middle run, edges, fill rows), exact 2x doubling with odd widths, and
// two-tap (bilinear) and four-tap tables with -1 (fill) indices.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { w, f32, lcg } from './wasm.js';

const rand = lcg(7, -1, 1);

function put(a: ArrayLike<number>, int: boolean): number {
  const p = w.alloc(a.length * 4);
  (int ? new Int32Array(w.memory.buffer, p, a.length) : f32(p, a.length)).set(a);
  return p;
}

/**
 * Reference, one dim after the other as src/ops/resample.ts applies tap tables: rows first
 * (tmp[p, i, :] = sum_t rw[i,t] x[p, ri[i,t], :]), then columns; index -1 reads `fill` in that pass.
 */
function reference(x: Float32Array, P: number, H: number, W: number, ri: number[], rw: number[], kh: number, ci: number[], cw: number[], kw: number, fill: number): Float32Array {
  const OH = ri.length / kh, OW = ci.length / kw, out = new Float32Array(P * OH * OW);
  for (let p = 0; p < P; p++)
    for (let i = 0; i < OH; i++) {
      const tmp = new Float64Array(W);
      for (let t = 0; t < kh; t++) for (let c = 0; c < W; c++) tmp[c] += rw[i * kh + t] * (ri[i * kh + t] < 0 ? fill : x[(p * H + ri[i * kh + t]) * W + c]);
      for (let j = 0; j < OW; j++) {
        let acc = 0;
        for (let u = 0; u < kw; u++) acc += cw[j * kw + u] * (ci[j * kw + u] < 0 ? fill : tmp[ci[j * kw + u]]);
        out[(p * OH + i) * OW + j] = acc;
      }
    }
  return out;
}

function run(P: number, H: number, W: number, ri: number[], rw: number[], kh: number, ci: number[], cw: number[], kw: number, fill: number, gather: boolean): void {
  const x = Float32Array.from({ length: P * H * W }, rand);
  const OH = ri.length / kh, OW = ci.length / kw;
  const px = put(x, false), py = w.alloc(P * OH * OW * 4 + 4), tmp = w.alloc(W * 4);
  const tables = [put(ri, true), put(rw, false), put(ci, true), put(cw, false)];
  if (gather) w.f32_gather2d(px, py, P, H, W, OH, OW, tables[0], tables[2], fill);
  else w.f32_taps2d(px, py, P, H, W, OH, OW, kh, tables[0], tables[1], kw, tables[2], tables[3], tmp, fill);
  const got = f32(py, P * OH * OW), want = reference(x, P, H, W, ri, rw, kh, ci, cw, kw, fill);
  for (let i = 0; i < want.length; i++)
    if (Math.abs(got[i] - want[i]) > 1e-5 * (1 + Math.abs(want[i]))) assert.unreachable(`${gather ? 'gather' : 'taps'} ${P}x${H}x${W}->${OH}x${OW} [${i}] = ${got[i]}, want ${want[i]}`);
  [px, py, tmp, ...tables].forEach((q) => w.free(q));
}

const ones = (n: number) => new Array(n).fill(1);
const PAD: Record<string, (j: number, n: number, l: number) => number> = {
  constant: (j, n, l) => (j - l >= 0 && j - l < n ? j - l : -1),
  reflect: (j, n, l) => { const i = Math.abs(j - l); return i < n ? i : 2 * (n - 1) - i; },
  replicate: (j, n, l) => Math.min(Math.max(j - l, 0), n - 1),
  circular: (j, n, l) => (((j - l) % n) + n) % n,
};

test('gather2d: padding in every mode, including crops', () => {
  for (const [mode, src] of Object.entries(PAD))
    for (const [H, W, t, b, l, r] of [[5, 7, 1, 1, 1, 1], [9, 13, 4, 4, 4, 4], [3, 3, 2, 0, 0, 2], [6, 11, -1, 2, 3, -2], [1, 17, 0, 0, 5, 6]]) {
      if (mode === 'reflect' && (t >= H || b >= H || l >= W || r >= W)) continue;
      const rows = Array.from({ length: H + t + b }, (_, j) => src(j, H, t));
      const cols = Array.from({ length: W + l + r }, (_, j) => src(j, W, l));
      run(3, H, W, rows, ones(rows.length), 1, cols, ones(cols.length), 1, mode === 'constant' ? 2.5 : 0, true);
    }
});

test('gather2d: nearest upsampling (2x doubling with odd widths, 3x, downscale)', () => {
  for (const [H, W] of [[4, 4], [5, 7], [3, 9], [1, 1], [2, 13]]) {
    const twice = (n: number) => Array.from({ length: 2 * n }, (_, j) => j >> 1);
    run(2, H, W, twice(H), ones(2 * H), 1, twice(W), ones(2 * W), 1, 0, true);
    const thrice = (n: number) => Array.from({ length: 3 * n }, (_, j) => Math.floor(j / 3));
    run(2, H, W, thrice(H), ones(3 * H), 1, thrice(W), ones(3 * W), 1, 0, true);
  }
  run(2, 9, 10, [0, 3, 6], ones(3), 1, [0, 2, 5, 7], ones(4), 1, 0, true);
});

test('taps2d: two- and four-tap tables, fill indices', () => {
  const bilinear = (n: number, out: number) => {
    const idx: number[] = [], wt: number[] = [];
    for (let j = 0; j < out; j++) {
      const real = Math.max(0, ((j + 0.5) * n) / out - 0.5), i0 = Math.min(Math.floor(real), n - 1), lam = real - i0;
      idx.push(i0, Math.min(i0 + 1, n - 1));
      wt.push(1 - lam, lam);
    }
    return [idx, wt];
  };
  for (const [H, W, OH, OW] of [[5, 7, 10, 14], [8, 3, 5, 9], [1, 6, 1, 12], [13, 13, 26, 26]]) {
    const [ri, rw] = bilinear(H, OH), [ci, cw] = bilinear(W, OW);
    run(3, H, W, ri, rw, 2, ci, cw, 2, 0, false);
  }
  const four = (n: number, out: number) => {
    const idx: number[] = [], wt: number[] = [];
    for (let j = 0; j < out; j++) for (let t = 0; t < 4; t++) { idx.push(t === 3 ? -1 : Math.min(n - 1, j + t)); wt.push(0.25 + 0.1 * t); }
    return [idx, wt];
  };
  const [ri, rw] = four(6, 4), [ci, cw] = four(9, 7);
  run(2, 6, 9, ri, rw, 4, ci, cw, 4, -1.5, false);
});

test.run();
