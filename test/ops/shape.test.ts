import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor, tidy } from '../../src/sdk/tensor.js';
import { engine } from '../../src/engine/engine.js';
import { OpError, ShapeError } from '../../src/sdk/errors.js';
import { arange, nested, range, throwsLike } from './helpers.js';

const sameStorage = (a: Tensor, b: Tensor) => a.storage === b.storage;

test('view shares storage, infers -1, accepts varargs and lists', () => {
  const x = arange(2, 3, 4);
  const v = x.view(6, -1);
  assert.equal(v.shape, [6, 4]);
  assert.ok(sameStorage(x, v));
  assert.equal(x.view([4, 6]).shape, [4, 6]);
  assert.equal(x.view({ size: [24] }).shape, [24]);
  assert.equal(torch.view(x, [3, 8]).shape, [3, 8]);
  v.fill_(7);
  assert.equal(x.toArray()[1][2][3], 7, 'writes through a view reach the base');
  const s = torch.tensor(5.0);
  assert.equal(s.view([1, 1]).shape, [1, 1]);
  assert.equal(s.view([]).shape, []);
});

test('view errors are PyTorch\'s', () => {
  const x = arange(2, 3, 4);
  throwsLike(() => x.transpose(0, 1).view(-1), ShapeError, "view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.");
  throwsLike(() => x.view(5, -1), ShapeError, "shape '[5, -1]' is invalid for input of size 24");
  throwsLike(() => x.view(-1, -1), OpError, 'only one dimension can be inferred');
  throwsLike(() => x.view(7), ShapeError, "shape '[7]' is invalid for input of size 24");
});

test('view of a transposed tensor works where strides allow it', () => {
  const x = arange(4, 6).t(); // [6, 4] with strides [1, 6]: splitting dim 0 needs no copy
  const v = x.view(2, 3, 4);
  assert.ok(sameStorage(x, v));
  assert.equal(v.strides, [3, 1, 6]);
  const ref = nested([4, 6]);
  assert.equal(v.toArray(), range(2).map((a) => range(3).map((b) => range(4).map((c) => ref[c][a * 3 + b]))));
});

test('reshape is a view when possible and a copy otherwise', () => {
  const x = arange(4, 6);
  const r = x.reshape(2, 12);
  assert.ok(sameStorage(x, r));
  const t = x.t();
  const c = t.reshape(-1);
  assert.not.ok(sameStorage(t, c));
  const ref = nested([4, 6]);
  assert.equal(c.toArray(), range(24).map((k) => ref[k % 4][Math.floor(k / 4)]));
  assert.equal(torch.reshape(x, [24]).shape, [24]);
});

test('permute, transpose and t set strides without copying', () => {
  const x = arange(2, 3, 4);
  const p = x.permute(2, 0, 1);
  assert.equal(p.shape, [4, 2, 3]);
  assert.equal(p.strides, [1, 12, 4]);
  assert.ok(sameStorage(x, p));
  const ref = nested([2, 3, 4]);
  assert.equal(p.toArray(), range(4).map((k) => range(2).map((i) => range(3).map((j) => ref[i][j][k]))));
  assert.equal(x.permute([-1, 0, 1]).shape, [4, 2, 3]);
  assert.equal(x.transpose(-1, 0).shape, [4, 3, 2]);
  assert.equal(arange(2, 5).t().shape, [5, 2]);
  assert.equal(arange(5).t().shape, [5]);
  throwsLike(() => x.permute(0, 1), ShapeError, 'input.dim() = 3 is not equal to len(dims) = 2');
  throwsLike(() => x.permute(0, 1, 1), OpError, 'duplicate dims are not allowed.');
  throwsLike(() => x.t(), ShapeError, 't() expects a tensor with <= 2 dimensions, but self is 3D');
  throwsLike(() => x.transpose(0, 3), OpError, 'Dimension out of range (expected to be in range of [-3, 2], but got 3)');
});

test('expand broadcasts with zero strides and reports bad sizes like PyTorch', () => {
  const x = arange(3, 1);
  const e = x.expand(2, -1, 4);
  assert.equal(e.shape, [2, 3, 4]);
  assert.equal(e.strides, [0, 1, 0]);
  assert.ok(sameStorage(x, e));
  assert.equal(e.toArray(), range(2).map(() => range(3).map((i) => range(4).map(() => i))));
  assert.equal(x.expand_as(torch.zeros([5, 3, 2])).shape, [5, 3, 2]);
  throwsLike(() => arange(3).expand(2, 4), ShapeError, 'The expanded size of the tensor (4) must match the existing size (3) at non-singleton dimension 1.  Target sizes: [2, 4].  Tensor sizes: [3]');
  throwsLike(() => arange(3).expand(-1, 3), ShapeError, "The expanded size of the tensor (-1) isn't allowed in a leading, non-existing dimension 0");
  throwsLike(() => arange(2, 3).expand(3), ShapeError, 'the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)');
});

test('slice, select and narrow are views with Python slicing rules', () => {
  const x = arange(10);
  const cases: [number | null, number | null, number][] = [[2, 8, 3], [-3, null, 1], [null, -7, 2], [-20, 20, 4], [8, 2, 1], [null, null, 1]];
  for (const [s, e, st] of cases) {
    const ref = range(10).slice(s ?? 0, e ?? 10).filter((_, i) => i % st === 0);
    const got = x.slice(0, s, e, st);
    assert.equal(got.toArray(), ref, `slice(${s}, ${e}, ${st})`);
    assert.ok(sameStorage(x, got));
  }
  throwsLike(() => x.slice(0, 0, 5, 0), OpError, 'slice step must be positive');
  const m = arange(3, 4);
  assert.equal(m.select(1, -1).toArray(), [3, 7, 11]);
  throwsLike(() => m.select(0, 3), OpError, 'select(): index 3 out of range for tensor of size [3, 4] at dimension 0');
  assert.equal(m.narrow(1, 1, 2).toArray(), nested([3, 4]).map((r: number[]) => r.slice(1, 3)));
  assert.equal(m.narrow(0, -1, 1).toArray(), [nested([3, 4])[2]]);
  throwsLike(() => m.narrow(1, 3, 2), OpError, 'start (3) + length (2) exceeds dimension size (4).');
});

test('squeeze, unsqueeze, flatten, unflatten and movedim', () => {
  const x = torch.zeros([2, 1, 3, 1]);
  assert.equal(x.squeeze().shape, [2, 3]);
  assert.equal(x.squeeze(1).shape, [2, 3, 1]);
  assert.equal(x.squeeze(0).shape, [2, 1, 3, 1]);
  assert.equal(x.squeeze([1, -1]).shape, [2, 3]);
  assert.equal(x.unsqueeze(-1).shape, [2, 1, 3, 1, 1]);
  assert.equal(x.unsqueeze(0).strides, [6, 3, 3, 1, 1]);
  const y = arange(2, 3, 4);
  assert.equal(y.flatten().shape, [24]);
  assert.equal(y.flatten(1).shape, [2, 12]);
  assert.equal(y.flatten(0, 1).shape, [6, 4]);
  assert.ok(sameStorage(y, y.flatten()));
  assert.equal(torch.tensor(3).flatten().shape, [1]);
  throwsLike(() => y.flatten(2, 1), OpError, 'flatten() has invalid args: start_dim cannot come after end_dim');
  assert.equal(y.unflatten(2, [2, -1]).shape, [2, 3, 2, 2]);
  throwsLike(() => y.unflatten(1, [2, 2]), ShapeError, "unflatten: Provided sizes [2, 2] don't multiply up to the size of dim 1 (3) in the input tensor");
  assert.equal(y.movedim(0, -1).shape, [3, 4, 2]);
  assert.equal(y.movedim([0, 1], [2, 0]).shape, [3, 4, 2]);
});

test('split, chunk and unbind return views that cover the tensor', () => {
  const x = arange(5, 2);
  const parts = x.split(2);
  assert.equal(parts.map((p: Tensor) => p.shape), [[2, 2], [2, 2], [1, 2]]);
  assert.ok(parts.every((p: Tensor) => sameStorage(p, x)));
  assert.equal(torch.split(x, [1, 4]).map((p: Tensor) => p.shape[0]), [1, 4]);
  assert.equal(x.split({ split_size: 3, dim: 0 }).map((p: Tensor) => p.shape[0]), [3, 2]);
  assert.equal(torch.cat(parts, 0).toArray(), nested([5, 2]));
  throwsLike(() => x.split([1, 1]), ShapeError, "split_with_sizes expects split_sizes to sum exactly to 5 (input tensor's size at dimension 0), but got split_sizes=[1, 1]");
  assert.equal(x.chunk(3).map((p: Tensor) => p.shape[0]), [2, 2, 1]);
  assert.equal(arange(6).chunk(4).map((p: Tensor) => p.shape[0]), [2, 2, 2]);
  throwsLike(() => x.chunk(0), OpError, 'chunk expects `chunks` to be greater than 0, got: 0');
  const rows = x.unbind(1);
  assert.equal(rows.map((r: Tensor) => r.toArray()), [range(5).map((i) => 2 * i), range(5).map((i) => 2 * i + 1)]);
});

test('diagonal and as_strided are views', () => {
  const x = arange(3, 4);
  assert.equal(x.diagonal().toArray(), [0, 5, 10]);
  assert.equal(x.diagonal(1).toArray(), [1, 6, 11]);
  assert.equal(x.diagonal(-1).toArray(), [4, 9]);
  const a = torch.as_strided(x, [2, 2], [1, 4], 1);
  assert.ok(sameStorage(a, x));
  assert.equal(a.toArray(), [[1, 5], [2, 6]]);
});

test('cat promotes dtypes, skips 1-D empty tensors and checks shapes', () => {
  const a = arange(2, 3), b = torch.ones([2, 2]);
  const c = torch.cat([a, b], 1);
  assert.is(c.dtype, 'float32');
  assert.equal(c.toArray(), nested([2, 3]).map((r: number[]) => [...r, 1, 1]));
  assert.equal(torch.cat([a, torch.zeros([0]), a], -2).shape, [4, 3]);
  assert.equal(torch.cat([a, a], { dim: 1 }).shape, [2, 6]);
  throwsLike(() => torch.cat([a, arange(2, 3, 1)]), ShapeError, 'Tensors must have same number of dimensions: got 2 and 3');
  throwsLike(() => torch.cat([a, arange(3, 2)], 1), ShapeError, 'Sizes of tensors must match except in dimension 1. Expected size 2 but got size 3 for tensor number 1 in the list.');
  throwsLike(() => torch.cat([]), OpError, 'expected a non-empty list of Tensors');
  throwsLike(() => torch.cat([torch.tensor(1)]), ShapeError, 'zero-dimensional tensor (at position 0) cannot be concatenated');
  const strided = arange(3, 4).t(); // non-contiguous input
  assert.equal(torch.cat([strided, strided], 0).toArray().slice(4), strided.toArray());
});

test('stack inserts a new dim; hstack and vstack', () => {
  const a = arange(2, 3);
  const s = torch.stack([a, a, a], -1);
  assert.equal(s.shape, [2, 3, 3]);
  assert.equal(s.toArray(), nested([2, 3]).map((r: number[]) => r.map((v) => [v, v, v])));
  throwsLike(() => torch.stack([a, arange(3, 2)]), ShapeError, 'stack expects each tensor to be equal size, but got [2, 3] at entry 0 and [3, 2] at entry 1');
  assert.equal(torch.hstack([arange(3), arange(2)]).shape, [5]);
  assert.equal(torch.vstack([arange(3), arange(3)]).shape, [2, 3]);
});

test('flip, roll, repeat and tile copy in the right order', () => {
  const x = arange(2, 3, 4);
  const ref = nested([2, 3, 4]);
  assert.equal(x.flip(0, 2).toArray(), [...ref].reverse().map((m: number[][]) => m.map((r) => [...r].reverse())));
  assert.equal(torch.flip(x, { dims: [-2] }).toArray(), ref.map((m: number[][]) => [...m].reverse()));
  const r = range(10);
  assert.equal(torch.roll(arange(10), 3).toArray(), [...r.slice(7), ...r.slice(0, 7)]);
  assert.equal(torch.roll(arange(2, 5), -1, 1).toArray(), nested([2, 5]).map((row: number[]) => [...row.slice(1), row[0]]));
  assert.equal(torch.roll(arange(2, 5), [1, 2], [0, 1]).toArray(), [1, 0].map((i) => [3, 4, 0, 1, 2].map((j) => 5 * i + j)));
  throwsLike(() => torch.roll(x, [1, 2], [0]), OpError, 'shifts and dimensions must align. shifts: 2, dims:1');
  const y = arange(2, 3);
  assert.equal(y.repeat(2, 1, 2).toArray(), [0, 1].map(() => nested([2, 3]).map((row: number[]) => [...row, ...row])));
  assert.equal(y.t().repeat(1, 2).shape, [3, 4]);
  throwsLike(() => y.repeat(2), ShapeError, 'Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor');
  assert.equal(y.tile([2]).toArray(), nested([2, 3]).map((row: number[]) => [...row, ...row]));
});

test('shape ops keep int64 and bool data intact', () => {
  const b = torch.tensor([[true, false], [false, true]]);
  assert.equal(torch.cat([b, b.flip(0)], 1).toArray(), [[true, false, false, true], [false, true, true, false]]);
  const big = torch.tensor([2 ** 40, -3]);
  assert.equal(big.flip(0).toArray(), [-3, 2 ** 40]);
});

test('broadcast_tensors, meshgrid and the scatter-into-view copies', () => {
  const [a, b] = torch.broadcast_tensors([arange(3, 1), arange(4)]);
  assert.equal([a.shape, b.shape], [[3, 4], [3, 4]]);
  assert.equal(a.strides, [1, 0]);
  const [gx, gy] = torch.meshgrid([arange(2), arange(3)], { indexing: 'ij' });
  assert.equal(gx.toArray(), [0, 1].map((i) => [i, i, i]));
  assert.equal(gy.toArray(), [0, 1].map(() => [0, 1, 2]));
  const [hx, hy] = torch.meshgrid([arange(2), arange(3)], { indexing: 'xy' });
  assert.equal(hx.toArray(), [0, 1, 2].map(() => [0, 1]));
  assert.equal(hy.toArray(), [0, 1, 2].map((j) => [j, j]));
  const base = torch.zeros([2, 3]);
  assert.equal(torch.select_scatter(base, torch.ones([3]), 0, 1).toArray(), [[0, 0, 0], [1, 1, 1]]);
  assert.equal(torch.slice_scatter(base, torch.ones([2, 2]), 1, 1).toArray(), [[0, 1, 1], [0, 1, 1]]);
  assert.equal(base.toArray(), [[0, 0, 0], [0, 0, 0]]);
  throwsLike(() => torch.slice_scatter(base, torch.ones([2, 3]), 1, 1), ShapeError, 'expected src to have a size equal to the slice of self');
});

test('copies free their temporaries', () => {
  const x = arange(4, 5, 6);
  const before = engine().stats().blocksLive;
  tidy(() => {
    torch.cat([x.permute(2, 0, 1), x.permute(2, 0, 1)], 1);
    x.flip(0, 1);
    torch.roll(x, [1, 2], [0, 2]);
    x.permute(1, 0, 2).repeat(2, 1, 1);
    x.transpose(0, 2).reshape(-1);
    torch.stack([x, x]);
  });
  assert.is(engine().stats().blocksLive, before);
});

test.run();
