// f32_reduce, f32_var, f32_arg_reduce, f32_cumsum/cumprod and f32_softmax against JS references
// over [outer, n, inner] layouts (rows and columns, tails), NaN/inf rows and a 1e6-element sum.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as K from '../../assembly/kernels/opcodes.js';
import { w, f32, lcg, close } from './wasm.js';

const rand = lcg(3, -1, 1);
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 5, 1], [2, 17, 1], [3, 64, 1], [1, 1000, 1], [2, 3, 4], [2, 7, 5], [3, 33, 9], [1, 300, 16], [2, 1, 3],
];

/** Runs a kernel on x [outer, n, inner] and compares y[o, j] with ref(column values). */
function checkReduce(name: string, x: Float32Array, shape: [number, number, number], call: (px: number, py: number) => void,
  ref: (v: number[]) => number, tol = 1e-5) {
  const [outer, n, inner] = shape;
  const px = w.alloc(x.length * 4), py = w.alloc(outer * inner * 4);
  f32(px, x.length).set(x);
  call(px, py);
  const y = f32(py, outer * inner).slice();
  for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
    const v: number[] = [];
    for (let k = 0; k < n; k++) v.push(x[(o * n + k) * inner + j]);
    const want = Math.fround(ref(v));
    if (!close(y[o * inner + j], want, tol, tol)) assert.unreachable(`${name} ${shape} [${o},${j}] = ${y[o * inner + j]}, want ${want}`);
  }
  w.free(px); w.free(py);
}

const sum = (v: number[]) => v.reduce((a, b) => a + b, 0);
const nanMax = (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.max(...v));
const nanMin = (v: number[]) => (v.some(Number.isNaN) ? NaN : Math.min(...v));
const lse = (v: number[]) => { const m = nanMax(v); const s = Number.isFinite(m) ? m : 0; return s + Math.log(sum(v.map((x) => Math.exp(x - s)))); };
const REDUCE: [string, number, (v: number[]) => number][] = [
  ['sum', K.REDUCE_SUM, sum], ['prod', K.REDUCE_PROD, (v) => v.reduce((a, b) => a * b, 1)],
  ['max', K.REDUCE_MAX, nanMax], ['min', K.REDUCE_MIN, nanMin], ['amax', K.REDUCE_AMAX, nanMax], ['amin', K.REDUCE_AMIN, nanMin],
  ['mean', K.REDUCE_MEAN, (v) => sum(v) / v.length], ['logsumexp', K.REDUCE_LOGSUMEXP, lse],
  ['norm2', K.REDUCE_NORM2, (v) => Math.sqrt(sum(v.map((x) => x * x)))],
];

const data = (len: number, scale = 1) => Float32Array.from({ length: len }, () => rand() * scale);

for (const [name, op, ref] of REDUCE) {
  test(`reduce ${name} over rows and columns`, () => {
    for (const shape of SHAPES) {
      // prod over long rows would overflow; keep its values near 1.
      const x = name === 'prod' ? data(shape[0] * shape[1] * shape[2]).map((v) => 1 + v / 100) : data(shape[0] * shape[1] * shape[2], 3);
      checkReduce(name, x, shape, (px, py) => w.f32_reduce(op, px, py, ...shape), ref, 1e-5);
    }
  });
}

test('reduce special values: NaN propagates through max/min/sum, logsumexp of -inf and +inf', () => {
  for (const shape of [[1, 9, 1], [1, 9, 5]] as [number, number, number][]) {
    const x = data(shape[1] * shape[2]);
    x[4 * shape[2]] = NaN;
    for (const [name, op, ref] of REDUCE) checkReduce(name, x, shape, (px, py) => w.f32_reduce(op, px, py, ...shape), ref);
    const ninf = new Float32Array(shape[1] * shape[2]).fill(-Infinity);
    checkReduce('lse(-inf)', ninf, shape, (px, py) => w.f32_reduce(K.REDUCE_LOGSUMEXP, px, py, ...shape), () => -Infinity);
    const pinf = data(shape[1] * shape[2]);
    pinf[2 * shape[2]] = Infinity;
    checkReduce('lse(+inf)', pinf, shape, (px, py) => w.f32_reduce(K.REDUCE_LOGSUMEXP, px, py, ...shape), (v) => (v.includes(Infinity) ? Infinity : lse(v)));
  }
});

test('sum of 1e6 elements stays within 1e-6 relative (rows and columns)', () => {
  const n = 1_000_000;
  const x = Float32Array.from({ length: n }, () => 1 + rand() * 0.5);
  const want = x.reduce((a, b) => a + b, 0); // f64 accumulation
  const px = w.alloc(n * 4), py = w.alloc(16);
  f32(px, n).set(x);
  w.f32_reduce(K.REDUCE_SUM, px, py, 1, n, 1);
  assert.ok(Math.abs(f32(py, 1)[0] - want) / want < 1e-6, `row sum ${f32(py, 1)[0]} vs ${want}`);
  w.f32_reduce(K.REDUCE_SUM, px, py, 1, n / 4, 4);
  const cols = f32(py, 4).slice();
  for (let j = 0; j < 4; j++) {
    let s = 0;
    for (let k = j; k < n; k += 4) s += x[k];
    assert.ok(Math.abs(cols[j] - s) / s < 1e-6, `column sum ${cols[j]} vs ${s}`);
  }
  w.free(px); w.free(py);
});

test('var with corrections (two-pass, rows and columns)', () => {
  for (const shape of SHAPES) for (const corr of [0, 1]) {
    const x = data(shape[0] * shape[1] * shape[2], 2).map((v) => v + 1000);
    checkReduce(`var c=${corr}`, x, shape, (px, py) => w.f32_var(px, py, ...shape, corr), (v) => {
      const m = sum(v) / v.length;
      return sum(v.map((a) => (a - m) ** 2)) / Math.max(0, v.length - corr);
    }, 1e-3);
  }
});

test('argmax/argmin: first occurrence, NaN wins, values written', () => {
  for (const shape of SHAPES) for (const op of [K.ARG_MAX, K.ARG_MIN]) for (const withNan of [false, true]) {
    const [outer, n, inner] = shape;
    const x = data(outer * n * inner).map((v) => Math.round(v * 3)); // many ties
    if (withNan) x[Math.floor(x.length / 2)] = NaN;
    const px = w.alloc(x.length * 4), pi = w.alloc(outer * inner * 8), pv = w.alloc(outer * inner * 4);
    f32(px, x.length).set(x);
    w.f32_arg_reduce(op, px, pi, pv, outer, n, inner);
    const idx = new BigInt64Array(w.memory.buffer, pi, outer * inner), val = f32(pv, outer * inner);
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
      let bi = 0, bv = x[o * n * inner + j];
      for (let k = 1; k < n; k++) {
        const v = x[(o * n + k) * inner + j];
        if (Number.isNaN(bv)) break;
        if (Number.isNaN(v) || (op === K.ARG_MAX ? v > bv : v < bv)) { bv = v; bi = k; }
      }
      assert.is(Number(idx[o * inner + j]), bi, `op ${op} ${shape} [${o},${j}]`);
      assert.ok(Object.is(val[o * inner + j], bv) || val[o * inner + j] === bv);
    }
    w.free(px); w.free(pi); w.free(pv);
  }
});

test('cumsum / cumprod', () => {
  for (const shape of SHAPES) for (const prod of [false, true]) {
    const [outer, n, inner] = shape;
    const x = data(outer * n * inner).map((v) => (prod ? 1 + v / 10 : v));
    const px = w.alloc(x.length * 4), py = w.alloc(x.length * 4);
    f32(px, x.length).set(x);
    (prod ? w.f32_cumprod : w.f32_cumsum)(px, py, outer, n, inner);
    const y = f32(py, x.length);
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
      let acc = prod ? 1 : 0;
      for (let k = 0; k < n; k++) {
        const i = (o * n + k) * inner + j;
        acc = prod ? acc * x[i] : acc + x[i];
        assert.ok(close(y[i], Math.fround(acc), 1e-6, 1e-6), `${prod ? 'cumprod' : 'cumsum'} ${shape} at ${i}: ${y[i]} vs ${acc}`);
      }
    }
    w.free(px); w.free(py);
  }
});

test('softmax / log_softmax, in place too, NaN and large values', () => {
  for (const shape of SHAPES) for (const log of [0, 1]) for (const inPlace of [false, true]) {
    const [outer, n, inner] = shape;
    const x = data(outer * n * inner, 50);
    x[0] = 1000;
    const px = w.alloc(x.length * 4), py = inPlace ? px : w.alloc(x.length * 4);
    f32(px, x.length).set(x);
    w.f32_softmax(px, py, outer, n, inner, log);
    const y = f32(py, x.length).slice();
    for (let o = 0; o < outer; o++) for (let j = 0; j < inner; j++) {
      const ix = (k: number) => (o * n + k) * inner + j;
      let m = -Infinity;
      for (let k = 0; k < n; k++) m = Math.max(m, x[ix(k)]);
      let s = 0;
      for (let k = 0; k < n; k++) s += Math.exp(x[ix(k)] - m);
      for (let k = 0; k < n; k++) {
        const want = log ? x[ix(k)] - m - Math.log(s) : Math.exp(x[ix(k)] - m) / s;
        assert.ok(close(y[ix(k)], Math.fround(want), 1e-5, 1e-6), `softmax log=${log} ${shape} [${o},${k},${j}]: ${y[ix(k)]} vs ${want}`);
      }
    }
    w.free(px);
    if (!inPlace) w.free(py);
  }
  const p = w.alloc(16);
  f32(p, 3).set([1, NaN, 2]);
  w.f32_softmax(p, p, 1, 3, 1, 0);
  assert.ok(Array.from(f32(p, 3)).every(Number.isNaN));
  w.free(p);
});

test.run();
