import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { tidy } from '../../src/sdk/tensor.js';
import { engine } from '../../src/engine/engine.js';
import { DTypeError, OpError, ShapeError } from '../../src/sdk/errors.js';
import { FUNCTIONAL } from '../../src/sdk/nn/functional/sparse.js';
import { arange, nested, range, throwsLike } from './helpers.js';

const long = (v: any) => torch.tensor(v);

test('gather picks along a dim and checks bounds', () => {
  const x = arange(3, 4).to('float32');
  const idx = [[0, 2, 1, 0], [2, 2, 0, 1]];
  const g = torch.gather(x, 0, long(idx));
  const ref = nested([3, 4]);
  assert.equal(g.toArray(), idx.map((row) => row.map((v, j) => ref[v][j])));
  assert.is(g.dtype, 'float32');
  assert.equal(x.gather(1, long([[3], [0], [1]])).toArray(), [[3], [4], [9]]);
  assert.equal(x.gather(1, long([[3], [0], [1]]).to('int32')).shape, [3, 1]);
  throwsLike(() => x.gather(0, long([[3]])), OpError, 'index 3 is out of bounds for dimension 0 with size 3');
  throwsLike(() => x.gather(0, long([[-1]])), OpError, 'index -1 is out of bounds for dimension 0 with size 3');
  throwsLike(() => x.gather(0, x), DTypeError, 'Expected dtype int32/int64 for index');
  throwsLike(() => x.gather(0, long([1])), ShapeError, 'Index tensor must have the same number of dimensions as input tensor');
});

test('scatter, scatter with a value, scatter_add and the in-place forms', () => {
  const idx = long([[0, 1, 2, 0, 0], [2, 0, 0, 1, 2]]);
  const src = arange(2, 5).to('float32').add(1);
  const expectScatter = (combine: (a: number, b: number) => number, fill = 0) => {
    const out = range(3).map(() => range(5).map(() => fill));
    const iv = idx.toArray(), sv = src.toArray();
    iv.forEach((row: number[], i: number) => row.forEach((v, j) => (out[v][j] = combine(out[v][j], sv[i][j]))));
    return out;
  };
  const z = torch.zeros([3, 5]);
  assert.equal(z.scatter(0, idx, src).toArray(), expectScatter((_, b) => b));
  assert.equal(z.scatter_add(0, idx, src).toArray(), expectScatter((a, b) => a + b));
  assert.equal(z.scatter(0, idx, 9).toArray(), expectScatter(() => 9));
  assert.equal(torch.ones([3, 5]).scatter(0, idx, src, { reduce: 'multiply' }).toArray(), expectScatter((a, b) => a * b, 1));
  assert.equal(z.toArray(), nested([3, 5]).map((r: number[]) => r.map(() => 0)), 'out-of-place forms leave self alone');
  const w = torch.zeros([3, 5]);
  assert.is(w.scatter_add_(0, idx, src), w);
  assert.equal(w.toArray(), expectScatter((a, b) => a + b));
  throwsLike(() => z.scatter(0, idx, arange(2, 5)), DTypeError, 'Expected self.dtype to be equal to src.dtype');
  throwsLike(() => z.scatter_(0, long([[3]]), 1), OpError, 'index 3 is out of bounds for dimension 0 with size 3');
});

test('index_select and embedding copy whole rows', () => {
  const x = arange(4, 3);
  const ref = nested([4, 3]);
  assert.equal(x.index_select(0, long([3, 0, 3])).toArray(), [ref[3], ref[0], ref[3]]);
  assert.equal(x.index_select(-1, long([2, 0])).toArray(), ref.map((r: number[]) => [r[2], r[0]]));
  assert.equal(x.t().index_select(0, long([1])).toArray(), [ref.map((r: number[]) => r[1])]);
  throwsLike(() => x.index_select(0, long([4])), OpError, 'index out of range in self');
  throwsLike(() => x.index_select(0, long([[1]])), ShapeError, 'Index is supposed to be a vector');
  const weight = arange(5, 2).to('float32');
  const e = FUNCTIONAL.embedding(long([[4, 0], [1, 1]]), weight);
  assert.equal(e.shape, [2, 2, 2]);
  assert.equal(e.toArray(), [[[8, 9], [0, 1]], [[2, 3], [2, 3]]].map((m) => m.map((r) => r.map((v) => v))));
  assert.equal(FUNCTIONAL.embedding(long(3), weight).toArray(), nested([5, 2])[3]);
  assert.equal(torch.embedding(weight, long([1])).shape, [1, 2]);
  throwsLike(() => FUNCTIONAL.embedding(long([5]), weight), OpError, 'index out of range in self');
  throwsLike(() => FUNCTIONAL.embedding(long([0]), weight, { padding_idx: 5 }), OpError, 'Padding_idx must be within num_embeddings');
});

test('advanced indexing with index tensors: broadcasting, negatives, placement', () => {
  const x = arange(3, 4, 5);
  const ref = nested([3, 4, 5]);
  // x[[2, 0]]
  assert.equal(x.index([long([2, 0])]).toArray(), [ref[2], ref[0]]);
  // x[[[0], [2]], :, [1, -1]]: separated index tensors broadcast to [2, 2] and go first
  const sep = x.index([long([[0], [2]]), null, long([1, -1])]);
  assert.equal(sep.shape, [2, 2, 4]);
  assert.equal(sep.toArray(), [0, 2].map((i) => [1, 4].map((k) => range(4).map((j) => ref[i][j][k]))));
  // x[:, [3, 1], [0, 2]]: adjacent index tensors stay in place
  const adj = x.index([null, long([3, 1]), long([0, 2])]);
  assert.equal(adj.shape, [3, 2]);
  assert.equal(adj.toArray(), range(3).map((i) => [ref[i][3][0], ref[i][1][2]]));
  // a non-contiguous base
  const t = x.transpose(0, 2);
  assert.equal(t.index([long([4])]).toArray(), [range(4).map((j) => range(3).map((i) => ref[i][j][4]))]);
  throwsLike(() => x.index([long([3])]), OpError, 'index 3 is out of bounds for dimension 0 with size 3');
  throwsLike(() => x.index([long(0), long(0), long(0), long(0)]), OpError, 'too many indices for tensor of dimension 3 (got 4)');
  throwsLike(() => x.index([x.to('float32')]), DTypeError, 'tensors used as indices must be long, int, byte or bool tensors');
  throwsLike(() => x.index([long([0, 1]), long([0, 1, 2])]), ShapeError, 'must match');
});

test('advanced indexing with boolean masks', () => {
  const x = arange(3, 4);
  const ref = nested([3, 4]).flat();
  const mask = x.gt(6);
  assert.equal(x.index([mask]).toArray(), ref.filter((v: number) => v > 6));
  assert.equal(x.index([torch.tensor([true, false, true])]).toArray(), [nested([3, 4])[0], nested([3, 4])[2]]);
  assert.equal(x.index([null, torch.tensor([false, true, true, false])]).shape, [3, 2]);
  throwsLike(() => x.index([torch.tensor([true, false])]), OpError, 'The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 4] at index 0');
});

test('index_put_ writes, broadcasts values and accumulates duplicates', () => {
  const x = torch.zeros([3, 4]);
  x.index_put_([long([0, 2]), long([1, 3])], torch.tensor([5.0, 6.0]));
  assert.equal(x.toArray(), [[0, 5, 0, 0], [0, 0, 0, 0], [0, 0, 0, 6]]);
  x.index_put_([long([1])], torch.tensor(2.0));
  assert.equal(x.toArray()[1], [2, 2, 2, 2]);
  const acc = torch.zeros([4]);
  acc.index_put_([long([0, 0, 3, 0])], torch.tensor([1.0, 2.0, 3.0, 4.0]), true);
  assert.equal(acc.toArray(), [7, 0, 0, 3]);
  const m = arange(2, 3);
  const out = m.index_put([m.gt(2)], long(-1));
  assert.equal(out.toArray(), [[0, 1, 2], [-1, -1, -1]]);
  assert.equal(m.toArray(), nested([2, 3]), 'index_put leaves self alone');
  throwsLike(() => x.index_put_([long([0, 1])], torch.ones([3])), ShapeError, 'shape mismatch: value tensor of shape [3] cannot be broadcast to indexing result of shape [2, 4]');
  const strided = torch.zeros([4, 3]).t();
  strided.index_put_([long([1]), long([2])], torch.tensor(1.0));
  assert.equal(strided.contiguous().toArray()[1][2], 1);
});

test('masked_select, nonzero and where(condition)', () => {
  const x = arange(2, 3);
  const mask = torch.tensor([true, false, true]);
  assert.equal(x.masked_select(mask).toArray(), [0, 2, 3, 5]);
  throwsLike(() => x.masked_select(x), DTypeError, 'expected BoolTensor for mask');
  const c = torch.tensor([[0, 1.5], [Number.NaN, 0]]);
  assert.equal(torch.nonzero(c).toArray(), [[0, 1], [1, 0]]);
  assert.is(torch.nonzero(c).dtype, 'int64');
  assert.equal(torch.nonzero(torch.zeros([2, 2])).shape, [0, 2]);
  const [rows, cols] = torch.where(torch.tensor([[true, false], [true, true]]));
  assert.equal(rows.toArray(), [0, 1, 1]);
  assert.equal(cols.toArray(), [0, 0, 1]);
  assert.equal(torch.take(x, long([-1, 0])).toArray(), [5, 0]);
});

test('index_add, index_copy and index_fill work along a dim', () => {
  const x = torch.zeros([3, 2]);
  const src = arange(3, 2).to('float32');
  assert.equal(x.index_add(0, long([2, 0, 2]), src, { alpha: 2 }).toArray(), [[4, 6], [0, 0], [2 * (0 + 4), 2 * (1 + 5)]]);
  assert.equal(x.index_copy(1, long([1, 0]), src).toArray(), nested([3, 2]).map((r: number[]) => [r[1], r[0]]));
  assert.equal(x.index_fill(1, long([-1]), 7).toArray(), [0, 1, 2].map(() => [0, 7]));
  assert.equal(x.toArray(), [0, 1, 2].map(() => [0, 0]), 'self is left alone');
  throwsLike(() => x.index_add(0, long([0, 1]), src), ShapeError, 'Number of indices (2) should be equal to source.size(dim) (3)');
  throwsLike(() => x.index_fill(0, long([3]), 1), OpError, 'index out of range in self');
});

test('int64 data moves without losing precision', () => {
  const big = torch.tensor([2 ** 50 + 1, -(2 ** 40), 7]);
  assert.equal(big.index_select(0, long([0, 2])).toArray(), [2 ** 50 + 1, 7]);
  assert.equal(big.index([long([1])]).toArray(), [-(2 ** 40)]);
  assert.equal(torch.gather(big, 0, long([0])).toArray(), [2 ** 50 + 1]);
});

test('indexing frees its temporaries', () => {
  const x = arange(6, 7).to('float32');
  const before = engine().stats().blocksLive;
  tidy(() => {
    x.t().index_select(0, long([1, 2]));
    x.index([x.gt(3)]);
    x.index([long([0]), null]);
    torch.zeros([6, 7]).index_put_([long([1])], torch.tensor(3.0), true);
    FUNCTIONAL.embedding(long([1, 2]), x);
  });
  assert.is(engine().stats().blocksLive, before);
});

test.run();
