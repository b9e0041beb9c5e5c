import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { engine } from '../../src/engine/engine.js';
import { gemmF32, gemmF32Reference } from '../../src/ops/linalg.js';
import { values } from '../../src/ops/exec.js';
import { DTypeError, ShapeError, OpError } from '../../src/sdk/errors.js';
import { close, throwsLike } from './helpers.js';

torch.manual_seed(0);

/** A naive matmul over nested arrays, batch dims broadcast: the independent twin for the checks. */
function naive(a: Tensor, b: Tensor): number[] {
  const A = a.dim === 1 ? [1, a.shape[0]] : [...a.shape], B = b.dim === 1 ? [b.shape[0], 1] : [...b.shape];
  const [M, K] = A.slice(-2), N = B[B.length - 1];
  const nb = Math.max(A.length, B.length) - 2;
  const bs = (s: number[]) => [...new Array(nb - (s.length - 2)).fill(1), ...s.slice(0, -2)];
  const sa = bs(A), sb = bs(B), out = sa.map((d, i) => Math.max(d, sb[i]));
  const av = values(a), bv = values(b), res: number[] = [];
  const total = out.reduce((x, y) => x * y, 1);
  for (let t = 0; t < total; t++) {
    let ia = 0, ib = 0, rem = t, ma = 1, mb = 1;
    for (let d = nb - 1; d >= 0; d--) {
      const i = rem % out[d];
      rem = Math.floor(rem / out[d]);
      ia += (sa[d] === 1 ? 0 : i) * ma;
      ib += (sb[d] === 1 ? 0 : i) * mb;
      ma *= sa[d];
      mb *= sb[d];
    }
    for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += av[ia * M * K + i * K + k] * bv[ib * K * N + k * N + j];
      res.push(s);
    }
  }
  return res;
}

/** Products accumulate rounding: a looser default tolerance than the pointwise tests. */
const closeMm = (got: number[], want: number[], tol = 1e-4) => close(got, want, tol);

test('matmul covers dot, mv, vector-matrix, mm and broadcast batches', () => {
  const cases: [number[], number[], number[]][] = [
    [[3], [3], []],
    [[2, 3], [3], [2]],
    [[3], [3, 4], [4]],
    [[2, 3], [3, 4], [2, 4]],
    [[5, 2, 3], [3], [5, 2]],
    [[3], [5, 3, 4], [5, 4]],
    [[5, 2, 3], [3, 4], [5, 2, 4]],
    [[2, 1, 2, 3], [4, 3, 5], [2, 4, 2, 5]],
  ];
  for (const [sa, sb, so] of cases) {
    const a = torch.randn(sa), b = torch.randn(sb);
    const out = torch.matmul(a, b);
    assert.equal(out.shape, so, `${sa} @ ${sb}`);
    closeMm(values(out), naive(a, b));
  }
});

test('transposed and strided views give the same products as contiguous copies', () => {
  const a = torch.randn([7, 5]), b = torch.randn([6, 7]);
  const at = a.asStrided([5, 7], [1, 5]), bt = b.asStrided([7, 6], [1, 7]);
  closeMm(values(torch.mm(at, bt)), naive(at.contiguous(), bt.contiguous()));
  // A column-sliced view (row stride 10, column stride 2) needs a copy: the result must not change.
  const wide = torch.randn([4, 10]);
  const cols = wide.asStrided([4, 5], [10, 2]);
  closeMm(values(torch.mm(cols, torch.ones([5, 3]))), naive(cols.contiguous(), torch.ones([5, 3])));
  // A permuted batch (dims that don't merge into rows) and a contiguous one (folded into one GEMM).
  const x = torch.randn([2, 3, 4]), w = torch.randn([4, 5]);
  const xp = x.asStrided([3, 2, 4], [4, 12, 1]);
  closeMm(values(torch.matmul(xp, w)), naive(xp, w));
  closeMm(values(torch.matmul(x, w)), naive(x, w));
});

test('the wasm f32_gemm and its reference twin agree on edge tiles and transposes', () => {
  const e = engine();
  for (const [M, N, K] of [[1, 1, 1], [4, 8, 3], [5, 9, 17], [13, 31, 300]]) {
    for (const [ta, tb] of [[0, 0], [1, 0], [0, 1], [1, 1]]) {
      const a = torch.randn([M * K]), b = torch.randn([K * N]);
      const c1 = torch.randn([M * N]), c2 = c1.clone();
      const lda = ta ? M : K, ldb = tb ? K : N;
      gemmF32(ta, tb, M, N, K, 0.5, a.ptr, lda, b.ptr, ldb, 2, c1.ptr, N);
      gemmF32Reference(ta, tb, M, N, K, 0.5, a.ptr, lda, b.ptr, ldb, 2, c2.ptr, N);
      closeMm(values(c1), values(c2));
    }
  }
  assert.ok(typeof e.k.f32_gemm === 'function');
});

test('addmm applies beta and alpha, and beta=0 ignores NaN in self', () => {
  const s = torch.randn([2, 4]), a = torch.randn([2, 3]), b = torch.randn([3, 4]);
  const out = torch.addmm(s, a, b, { beta: 0.2, alpha: 0.6 });
  const prod = naive(a, b), sv = values(s);
  closeMm(values(out), prod.map((p, i) => 0.2 * sv[i] + 0.6 * p));
  const nan = torch.full([4], NaN);
  closeMm(values(torch.addmm(nan, a, b, { beta: 0 })), prod);
  // self broadcasts (a bias row).
  const row = torch.randn([4]);
  const rv = values(row);
  closeMm(values(torch.addmm(row, a, b)), prod.map((p, i) => p + rv[i % 4]));
});

test('bmm, baddbmm, mv, dot and linear', () => {
  const a = torch.randn([3, 2, 4]), b = torch.randn([3, 4, 5]);
  assert.equal(torch.bmm(a, b).shape, [3, 2, 5]);
  closeMm(values(torch.bmm(a, b)), naive(a, b));
  closeMm(values(torch.baddbmm(torch.zeros([3, 2, 5]), a, b, { alpha: 2 })), naive(a, b).map((v) => 2 * v));
  const m = torch.randn([3, 4]), v = torch.randn([4]);
  assert.equal(torch.mv(m, v).shape, [3]);
  closeMm(values(torch.mv(m, v)), naive(m, v));
  assert.equal(torch.dot(v, v).shape, []);
  closeMm(values(torch.dot(v, v)), naive(v, v));
  const x = torch.randn([2, 3, 4]), w = torch.randn([5, 4]), bias = torch.randn([5]);
  const y = torch.linear(x, w, bias);
  assert.equal(y.shape, [2, 3, 5]);
  const bv = values(bias);
  closeMm(values(y), naive(x, w.asStrided([4, 5], [1, 4]).contiguous()).map((p, i) => p + bv[i % 5]));
  assert.equal(torch.linear(torch.randn([4]), w).shape, [5]);
  assert.equal(torch.linear(x, torch.randn([4])).shape, [2, 3]);
});

test('integer and double products run the generic loop', () => {
  const a = torch.tensor([[1, 2], [3, 4]], 'int64'), b = torch.tensor([[5, 6], [7, 8]], 'int64');
  const out = torch.mm(a, b);
  assert.is(out.dtype, 'int64');
  assert.equal(values(out), naive(a, b));
  const d = torch.randn([3, 3], { dtype: 'float64' });
  assert.is(torch.matmul(d, d).dtype, 'float64');
  closeMm(values(torch.matmul(d, d)), naive(d, d), 1e-12);
});

test('empty inner dims give zeros; empty outer dims give empty results', () => {
  assert.equal(values(torch.mm(torch.randn([2, 0]), torch.randn([0, 3]))), [0, 0, 0, 0, 0, 0]);
  assert.equal(torch.mm(torch.randn([0, 4]), torch.randn([4, 3])).shape, [0, 3]);
  assert.equal(torch.bmm(torch.randn([0, 2, 4]), torch.randn([0, 4, 3])).shape, [0, 2, 3]);
});

test('shape and dtype errors read like PyTorch', () => {
  throwsLike(() => torch.mm(torch.randn([2, 3]), torch.randn([4, 5])), ShapeError, 'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)');
  throwsLike(() => torch.mm(torch.randn([3]), torch.randn([3, 5])), ShapeError, 'self must be a matrix');
  throwsLike(() => torch.bmm(torch.randn([2, 3]), torch.randn([2, 3, 4])), ShapeError, 'batch1 must be a 3D tensor');
  throwsLike(() => torch.bmm(torch.randn([2, 2, 3]), torch.randn([2, 4, 4])), ShapeError, 'Expected size for first two dimensions of batch2 tensor to be: [2, 3] but got: [2, 4].');
  throwsLike(() => torch.matmul(torch.randn([]), torch.randn([2])), OpError, 'both arguments to matmul need to be at least 1D, but they are 0D and 1D');
  throwsLike(() => torch.dot(torch.randn([3]), torch.randn([4])), ShapeError, 'inconsistent tensor size, expected tensor [3] and src [4]');
  throwsLike(() => torch.mm(torch.randn([2, 2]), torch.randn([2, 2], { dtype: 'float64' })), DTypeError, 'expected m1 and m2 to have the same dtype, but got: float != double');
  throwsLike(() => torch.mv(torch.randn([2, 3]), torch.randn([4])), ShapeError, 'size mismatch, got input (2), mat (2x3), vec (4)');
  throwsLike(() => torch.linear(torch.randn([2, 3]), torch.randn([5, 4])), ShapeError, 'mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)');
});

test.run();
