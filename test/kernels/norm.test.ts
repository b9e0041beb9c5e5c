// f32_moments (per-row mean and biased variance) and f32_norm_affine_minmax against float64 JS
// references: row lengths around the vector and block sizes, a large offset (cancellation),
// per-row and per-element affine, the clamp (ReLU6) and NaN passing through it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { w, f32, lcg } from './wasm.js';

const f64 = (p: number, n: number) => new Float64Array(w.memory.buffer, p, n);

const rand = lcg(11, -1, 1);
const put = (a: ArrayLike<number>) => { const p = w.alloc(a.length * 4); f32(p, a.length).set(a); return p; };

test('moments: mean and biased variance per row', () => {
  for (const [rows, n, offset] of [[1, 1, 0], [3, 3, 0], [2, 16, 0], [4, 17, 1], [2, 1023, 0], [2, 1025, 0], [1, 51529, 0], [3, 4099, 1000]]) {
    const x = Float32Array.from({ length: rows * n }, () => offset + rand());
    const px = put(x), out = w.alloc(rows * 16);
    w.f32_moments(px, rows, n, out, out + rows * 8);
    const mean = f64(out, rows).slice(), vr = f64(out + rows * 8, rows).slice();
    for (let r = 0; r < rows; r++) {
      let s = 0, q = 0;
      for (let i = 0; i < n; i++) s += x[r * n + i];
      const m = s / n;
      for (let i = 0; i < n; i++) q += (x[r * n + i] - m) ** 2;
      assert.ok(Math.abs(mean[r] - m) <= 1e-6 * (1 + Math.abs(m)), `mean ${rows}x${n} row ${r}: ${mean[r]} vs ${m}`);
      assert.ok(Math.abs(vr[r] - q / n) <= 1e-5 * (1e-3 + q / n), `var ${rows}x${n} row ${r}: ${vr[r]} vs ${q / n}`);
    }
    w.free(px); w.free(out);
  }
});

function affine(rows: number, n: number, perElement: boolean, lo: number, hi: number): void {
  const x = Float32Array.from({ length: rows * n }, () => 3 * rand());
  if (x.length > 2) x[2] = NaN;
  const m = Array.from({ length: rows }, rand), a = Array.from({ length: rows }, () => 1 + rand()), b = Array.from({ length: rows }, rand);
  const ew = perElement ? Array.from({ length: n }, rand) : null, ec = perElement ? Array.from({ length: n }, rand) : null;
  const px = put(x), py = w.alloc(rows * n * 4), pm = put(m), pa = put(a), pb = put(b);
  const pw = ew ? put(ew) : 0, pc = ec ? put(ec) : 0;
  w.f32_norm_affine_minmax(px, py, rows, n, pm, pa, pb, pw, pc, lo, hi);
  const y = f32(py, rows * n);
  for (let r = 0; r < rows; r++)
    for (let i = 0; i < n; i++) {
      let want = ((x[r * n + i] - m[r]) * a[r] + b[r]) * (ew ? ew[i] : 1) + (ec ? ec[i] : 0);
      want = Number.isNaN(want) ? NaN : Math.min(Math.max(want, lo), hi);
      const got = y[r * n + i];
      if (Number.isNaN(want)) assert.ok(Number.isNaN(got), `NaN must pass the clamp at ${r},${i}`);
      else assert.ok(Math.abs(got - want) <= 1e-5 * (1 + Math.abs(want)), `affine ${rows}x${n} [${r},${i}] = ${got}, want ${want}`);
    }
  [px, py, pm, pa, pb, pw, pc].forEach((p) => p && w.free(p));
}

test('norm_affine_minmax: per-row and per-element affine, with and without a clamp', () => {
  for (const [rows, n] of [[1, 1], [3, 3], [2, 4], [5, 7], [2, 33], [4, 1029]]) {
    affine(rows, n, false, -Infinity, Infinity);
    affine(rows, n, true, -Infinity, Infinity);
    affine(rows, n, false, 0, 6);
    affine(rows, n, true, 0, Infinity);
  }
});

test.run();
