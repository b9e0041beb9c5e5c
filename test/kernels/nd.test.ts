// Broadcasting (f32_binary_nd, f32_compare_nd, f32_where_nd), copy_nd (permute, expand, slices,
// every element size), fills and casts, against JS index arithmetic.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as K from '../../assembly/kernels/opcodes.js';
import { w, f32, lcg } from './wasm.js';

const rand = lcg(5, -1, 1);

function desc(shape: number[], ...strides: number[][]): number {
  const p = w.alloc(4 * (1 + shape.length * (1 + strides.length)));
  new Int32Array(w.memory.buffer, p).set([shape.length, ...shape, ...strides.flat()]);
  return p;
}
const contiguous = (shape: number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
/** Broadcast strides of an input of shape `s` (right-aligned) into `out`. */
const bstrides = (s: number[], out: number[]) => {
  const c = contiguous(s), pad = out.length - s.length;
  return out.map((_, i) => (i < pad || s[i - pad] === 1 ? 0 : c[i - pad]));
};
function* indices(shape: number[]): Generator<number[]> {
  const n = shape.reduce((a, b) => a * b, 1), idx = shape.map(() => 0);
  for (let i = 0; i < n; i++) {
    yield idx.slice();
    for (let d = shape.length - 1; d >= 0; d--) { if (++idx[d] < shape[d]) break; idx[d] = 0; }
  }
}
const dot = (i: number[], s: number[]) => i.reduce((a, v, d) => a + v * s[d], 0);

const CASES: [number[], number[], number[]][] = [
  [[5], [1], [5]], [[1], [7], [7]], [[3, 4], [4], [3, 4]], [[3, 1], [1, 5], [3, 5]], [[2, 3, 4], [3, 1], [2, 3, 4]],
  [[4, 1, 6], [1, 3, 1], [4, 3, 6]], [[2, 1, 3, 1, 5], [1, 4, 3, 2, 1], [2, 4, 3, 2, 5]], [[1], [1], [1]], [[0, 3], [3], [0, 3]],
  [[17, 9], [17, 1], [17, 9]], [[1, 1, 1, 1, 1, 1, 1, 2], [2], [1, 1, 1, 1, 1, 1, 1, 2]],
];

test('binary_nd and compare_nd with broadcasting', () => {
  for (const [sa, sb, out] of CASES) {
    const na = sa.reduce((a, b) => a * b, 1), nb = sb.reduce((a, b) => a * b, 1), ny = out.reduce((a, b) => a * b, 1);
    const A = Float32Array.from({ length: na }, rand), B = Float32Array.from({ length: nb }, rand);
    const pa = w.alloc(na * 4), pb = w.alloc(nb * 4), py = w.alloc(ny * 4 + 16);
    f32(pa, na).set(A); f32(pb, nb).set(B);
    const d = desc(out, bstrides(sa, out), bstrides(sb, out));
    for (const [op, ref] of [[K.BINARY_SUB, (a: number, b: number) => a - b], [K.BINARY_MAX, Math.max]] as const) {
      w.f32_binary_nd(op, pa, pb, py, d);
      const y = f32(py, ny);
      let i = 0;
      for (const idx of indices(out)) {
        const want = Math.fround(ref(A[dot(idx, bstrides(sa, out))], B[dot(idx, bstrides(sb, out))]));
        assert.is(y[i], want, `op ${op} ${sa} x ${sb} at ${idx}`);
        i++;
      }
    }
    w.f32_compare_nd(K.COMPARE_LT, pa, pb, py, d);
    const yb = new Uint8Array(w.memory.buffer, py, ny);
    let i = 0;
    for (const idx of indices(out)) {
      assert.is(yb[i++], A[dot(idx, bstrides(sa, out))] < B[dot(idx, bstrides(sb, out))] ? 1 : 0);
    }
    for (const p of [pa, pb, py, d]) w.free(p);
  }
});

test('binary_nd with non-unit inner strides (transposed operand)', () => {
  const A = Float32Array.from({ length: 35 }, rand), B = Float32Array.from({ length: 35 }, rand);
  const pa = w.alloc(140), pb = w.alloc(140), py = w.alloc(140);
  f32(pa, 35).set(A); f32(pb, 35).set(B);
  // y[i, j] = A[j, i] (A is 7x5 seen as 5x7 transposed) * B[i, j]
  const d = desc([5, 7], [1, 5], [7, 1]);
  w.f32_binary_nd(K.BINARY_MUL, pa, pb, py, d);
  const y = f32(py, 35);
  for (let i = 0; i < 5; i++) for (let j = 0; j < 7; j++) assert.is(y[i * 7 + j], Math.fround(A[j * 5 + i] * B[i * 7 + j]));
  for (const p of [pa, pb, py, d]) w.free(p);
});

test('where_nd', () => {
  for (const [sc, sa, sb, out] of [[[3, 5], [5], [3, 1], [3, 5]], [[1], [9], [9], [9]], [[2, 1, 7], [1, 3, 7], [1], [2, 3, 7]]] as number[][][]) {
    const n = (s: number[]) => s.reduce((a, b) => a * b, 1);
    const C = Uint8Array.from({ length: n(sc) }, () => (rand() > 0 ? 1 : 0));
    const A = Float32Array.from({ length: n(sa) }, rand), B = Float32Array.from({ length: n(sb) }, rand);
    const pc = w.alloc(C.length), pa = w.alloc(A.length * 4), pb = w.alloc(B.length * 4), py = w.alloc(n(out) * 4);
    new Uint8Array(w.memory.buffer, pc, C.length).set(C); f32(pa, A.length).set(A); f32(pb, B.length).set(B);
    const d = desc(out, bstrides(sc, out), bstrides(sa, out), bstrides(sb, out));
    w.f32_where_nd(pc, pa, pb, py, d);
    const y = f32(py, n(out));
    let i = 0;
    for (const idx of indices(out)) {
      const want = C[dot(idx, bstrides(sc, out))] ? A[dot(idx, bstrides(sa, out))] : B[dot(idx, bstrides(sb, out))];
      assert.is(y[i++], want, `where ${out} at ${idx}`);
    }
    for (const p of [pc, pa, pb, py, d]) w.free(p);
  }
});

test('copy_nd: permutes, expands, slices, all element sizes', () => {
  const cases: [number[], number[], number][] = [
    [[4, 6], [1, 4], 0], [[3, 4, 5], [20, 1, 4], 0], [[3, 4, 5], [0, 5, 1], 0], [[2, 3], [10, 2], 1],
    [[7], [3], 2], [[2, 3, 4, 5], [1, 2, 6, 24], 0], [[64, 64], [1, 64], 0],
  ];
  for (const bytes of [1, 2, 4, 8]) for (const [shape, strides, offset] of cases) {
    const n = shape.reduce((a, b) => a * b, 1);
    const span = offset + dot(shape.map((s) => s - 1), strides) + 1;
    const src = w.alloc(span * bytes), dst = w.alloc(n * bytes);
    const S = new Uint8Array(w.memory.buffer, src, span * bytes);
    for (let i = 0; i < S.length; i++) S[i] = (i * 31 + 7) & 255;
    const d = desc(shape, strides);
    w.copy_nd(bytes, src + offset * bytes, dst, d);
    const D = new Uint8Array(w.memory.buffer, dst, n * bytes), Sv = new Uint8Array(w.memory.buffer, src, span * bytes);
    let i = 0;
    for (const idx of indices(shape)) {
      const from = (offset + dot(idx, strides)) * bytes;
      for (let b = 0; b < bytes; b++) assert.is(D[i * bytes + b], Sv[from + b], `copy ${bytes}B ${shape}/${strides} at ${idx}`);
      i++;
    }
    for (const p of [src, dst, d]) w.free(p);
  }
});

test('fills write exactly n elements', () => {
  for (const n of [0, 1, 3, 4, 5, 17, 100]) {
    const p = w.alloc(n * 8 + 16);
    new Uint8Array(w.memory.buffer, p, n * 8 + 16).fill(0xEE);
    w.fill_f32(p, n, 1.5);
    assert.ok(f32(p, n).every((v) => v === 1.5));
    assert.is(new Uint8Array(w.memory.buffer, p + n * 4, 1)[0], 0xEE);
    w.fill_i32(p, n, -7);
    assert.ok(new Int32Array(w.memory.buffer, p, n).every((v) => v === -7));
    w.fill_i64(p, n, -(2n ** 40n));
    assert.ok(new BigInt64Array(w.memory.buffer, p, n).every((v) => v === -(2n ** 40n)));
    assert.is(new Uint8Array(w.memory.buffer, p + n * 8, 1)[0], 0xEE);
    w.fill_u8(p, n, 9);
    assert.ok(new Uint8Array(w.memory.buffer, p, n).every((v) => v === 9));
    w.free(p);
  }
});

test('cast between all dtypes: truncation toward zero, bool is != 0, NaN is true', () => {
  const T: Record<number, [any, number]> = {
    [K.DTYPE_F32]: [Float32Array, 4], [K.DTYPE_I64]: [BigInt64Array, 8], [K.DTYPE_I32]: [Int32Array, 4], [K.DTYPE_U8]: [Uint8Array, 1],
    [K.DTYPE_BOOL]: [Uint8Array, 1], [K.DTYPE_F64]: [Float64Array, 8], [K.DTYPE_I8]: [Int8Array, 1], [K.DTYPE_I16]: [Int16Array, 2],
  };
  const vals = [0, 1, -1, 2.7, -2.7, 100, -100, 0.4];
  for (const s of Object.keys(T).map(Number)) for (const d of Object.keys(T).map(Number)) {
    const [SA, sb] = T[s], [DA, db] = T[d];
    const src = w.alloc(vals.length * sb), dst = w.alloc(vals.length * db);
    const sv = new SA(w.memory.buffer, src, vals.length);
    // Source values as the source dtype holds them.
    const held = vals.map((v) => {
      if (s === K.DTYPE_BOOL) return v !== 0 ? 1 : 0;
      if (s === K.DTYPE_F32) return Math.fround(v);
      if (s === K.DTYPE_F64) return v;
      return Number(BigInt.asIntN(64, BigInt(Math.trunc(v))));
    });
    held.forEach((v, i) => { sv[i] = SA === BigInt64Array ? BigInt(v) : v; });
    const heldNow = Array.from(sv, Number);
    w.cast(s, d, src, dst, vals.length);
    const out = Array.from(new DA(w.memory.buffer, dst, vals.length), Number);
    heldNow.forEach((v, i) => {
      let want: number;
      if (d === K.DTYPE_BOOL) want = v !== 0 ? 1 : 0;
      else if (d === K.DTYPE_F32) want = Math.fround(v);
      else if (d === K.DTYPE_F64) want = v;
      else { const t = new DA(1); t[0] = DA === BigInt64Array ? BigInt(Math.trunc(v)) : Math.trunc(v); want = Number(t[0]); }
      assert.is(out[i], want, `cast ${s} -> ${d} of ${v}`);
    });
    w.free(src); w.free(dst);
  }
  const p = w.alloc(16), q = w.alloc(16);
  f32(p, 3).set([NaN, -0, Infinity]);
  w.cast(K.DTYPE_F32, K.DTYPE_BOOL, p, q, 3);
  assert.equal(Array.from(new Uint8Array(w.memory.buffer, q, 3)), [1, 0, 1]);
  w.cast(K.DTYPE_F32, K.DTYPE_I32, p, q, 3); // must not trap
  w.free(p); w.free(q);
});

test.run();
