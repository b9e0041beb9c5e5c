import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { engine } from '../../src/engine/engine.js';
import { OpError } from '../../src/sdk/errors.js';
import { callOp } from '../../src/ops/dispatch.js';
import { throwsLike, close, f32 } from './helpers.js';

// A [2, 3, 4] float32 tensor of distinct values and the same values as nested JS arrays.
const data = Array.from({ length: 2 }, (_, a) => Array.from({ length: 3 }, (_, b) => Array.from({ length: 4 }, (_, c) => Math.fround(Math.sin(a * 12 + b * 4 + c) * 3))));
const sumOf = (xs: number[]) => xs.reduce((s, v) => s + v, 0);

test('sum over non-adjacent dims, negative dims and keepdim matches a JS loop', () => {
  const x = f32(data);
  const want = [0, 1, 2].map((b) => sumOf(data.flatMap((m) => m[b])));
  close(x.sum([0, -1]).toArray(), want);
  const k = x.sum([0, 2], true);
  assert.equal(k.shape, [1, 3, 1]);
  close(k.toArray().flat(2), want);
  // A transposed (non-contiguous) input gives the same sums.
  close(x.transpose(0, 2).sum([0, 2]).toArray(), want);
  close([x.sum().item() as number], [sumOf(data.flat(2))]);
});

test('integer and bool sums give int64; dtype= casts first; mean of ints is an error', () => {
  const ints = torch.tensor([[1, 2, 3], [4, 5, 6]], 'int32') as Tensor;
  const s = ints.sum(1);
  assert.is(s.dtype, 'int64');
  assert.equal(s.toArray(), [1 + 2 + 3, 4 + 5 + 6]);
  const b = torch.tensor([true, false, true, true]) as Tensor;
  assert.is(b.sum().dtype, 'int64');
  assert.is(b.sum().item(), [true, false, true, true].filter(Boolean).length);
  assert.is(f32([1.5, 2.5]).sum({ dtype: 'int64' }).item(), Math.trunc(1.5) + Math.trunc(2.5));
  throwsLike(() => ints.mean(), OpError, /mean\(\): could not infer output dtype\. Input dtype must be either a floating point or complex dtype\. Got: Int/);
  close([ints.mean({ dtype: 'float32' }).item() as number], [21 / 6]);
});

test('empty reductions: sum is 0, prod is 1, max needs a dim', () => {
  const e = torch.zeros([0, 3]) as Tensor;
  assert.is(e.sum().item(), 0);
  assert.is(e.prod().item(), 1);
  assert.equal(e.sum(0).toArray(), [0, 0, 0]);
  throwsLike(() => torch.max(e), OpError, /max\(\): Expected reduction dim to be specified for input\.numel\(\) == 0/);
  throwsLike(() => torch.amax(e, 0), OpError, /amax\(\): Expected reduction dim 0 to have non-zero size/);
  throwsLike(() => torch.argmax(e), OpError, /argmax\(\): Expected reduction dim to be specified/);
  assert.equal(torch.amax(e, 1).shape, [0]);
});

test('max/min/amax/argmax propagate NaN; ties pick the first index', () => {
  const x = f32([[1, NaN, 3, NaN], [2, 7, 7, 0]]);
  const r = torch.max(x, 1);
  assert.ok(Number.isNaN(r.values.toArray()[0]));
  assert.equal(r.indices.toArray(), [1, 1]);
  assert.equal(r[1].toArray(), r.indices.toArray());
  assert.ok(Number.isNaN(torch.max(x).item() as number));
  assert.ok(Number.isNaN(torch.amin(x, 1).toArray()[0]));
  assert.is(torch.argmax(x).item(), 1);
  assert.equal(torch.argmin(x, 1).toArray(), [1, 3]);
  // torch.max(x, other) is the elementwise maximum.
  assert.equal(torch.max(f32([1, 5]), f32([4, 2])).toArray(), [4, 5]);
});

test('max.dim keeps exact int64 values and keepdim shapes', () => {
  const big = 2 ** 53 + 2;
  const x = torch.tensor([[1, big], [3, -1]]) as Tensor;
  const r = x.max({ dim: 1, keepdim: true });
  assert.equal(r.values.shape, [2, 1]);
  assert.equal([...(r.values.dataSync() as BigInt64Array)], [BigInt(big), 3n]);
  assert.is(r.indices.dtype, 'int64');
});

test('var/std with unbiased, correction and dims match a JS computation', () => {
  const x = f32(data);
  const rows = data.flatMap((m) => m); // dim 2 rows
  const variance = (xs: number[], c: number) => {
    const m = sumOf(xs) / xs.length;
    return sumOf(xs.map((v) => (v - m) ** 2)) / Math.max(xs.length - c, 0);
  };
  close(x.var(2).toArray().flat(), rows.map((r) => variance(r, 1)));
  close(x.std({ dim: [2], correction: 0 }).toArray().flat(), rows.map((r) => Math.sqrt(variance(r, 0))));
  close(x.var({ dim: [2], correction: 1.5 }).toArray().flat(), rows.map((r) => variance(r, 1.5)));
  close([torch.var(x, false).item() as number], [variance(data.flat(2), 0)]);
  const [v, m] = torch.var_mean(x, [2]);
  close(m.toArray().flat(), rows.map((r) => sumOf(r) / r.length));
  close(v.toArray().flat(), rows.map((r) => variance(r, 1)));
  assert.ok(Number.isNaN(f32([3]).var().item() as number));
  throwsLike(() => (torch.tensor([1, 2]) as Tensor).std(), OpError, /std and var only support floating point/);
});

test('logsumexp, softmax and log_softmax along a dim match JS, with infinities', () => {
  const x = f32(data);
  const lse = (r: number[]) => Math.log(sumOf(r.map(Math.exp)));
  close(torch.logsumexp(x, [2]).toArray().flat(), data.flatMap((m) => m.map(lse)));
  const cols = [0, 1, 2, 3].map((c) => [0, 1, 2].map((b) => data[1][b][c]));
  const sm = torch.softmax(x, 1).toArray()[1];
  cols.forEach((col, c) => close([0, 1, 2].map((b) => sm[b][c]), col.map((v) => Math.exp(v - lse(col)))));
  const lsm = torch.log_softmax(x, -1).toArray()[0][2];
  close(lsm, data[0][2].map((v) => v - lse(data[0][2])));
  assert.equal(torch.logsumexp(f32([-Infinity, -Infinity]), [0]).item(), -Infinity);
  assert.equal(torch.softmax(f32([-Infinity, 0]), 0).toArray(), [0, 1]);
  throwsLike(() => torch.softmax(torch.tensor([1, 2]), 0), OpError, /"softmax_lastdim_kernel_impl" not implemented for 'Long'/);
  close(torch.softmax(torch.tensor([1, 2]), 0, 'float32').toArray(), [1, 2].map((v) => Math.exp(v) / (Math.E + Math.E ** 2)));
});

test('cumsum/cumprod: running results along a dim, ints as int64', () => {
  const running = (xs: number[], op: (a: number, b: number) => number, init: number) => {
    let acc = init;
    return xs.map((x) => (acc = op(acc, x)));
  };
  const add = (a: number, b: number) => a + b;
  const v = [3, 1, 4, 1, 5];
  const x = torch.tensor(v, 'int32') as Tensor;
  assert.is(x.cumsum(0).dtype, 'int64');
  assert.equal(x.cumsum(0).toArray(), running(v, add, 0));
  assert.equal(x.cumprod(0).toArray(), running(v, (a, b) => a * b, 1));
  const m = f32(data).cumsum(1).toArray();
  close(m[1].map((r: number[]) => r[2]), running(data[1].map((r) => r[2]), add, 0));
});

test('sort is stable, NaN last ascending and first descending; topk and argsort agree', () => {
  const v = [2, NaN, 1, 2, -Infinity, 1];
  const x = f32(v);
  const idx = v.map((_, i) => i);
  const key = (a: number) => (Number.isNaN(v[a]) ? Infinity : v[a]);
  const asc = [...idx].sort((a, b) => (key(a) === key(b) ? (Number.isNaN(v[a]) ? 1 : 0) - (Number.isNaN(v[b]) ? 1 : 0) : key(a) - key(b)));
  const r = torch.sort(x);
  assert.equal(r.indices.toArray(), asc);
  const d = torch.sort(x, { dim: 0, descending: true, stable: true });
  const desc = [...idx].sort((a, b) => (Number.isNaN(v[b]) ? 1 : 0) - (Number.isNaN(v[a]) ? 1 : 0) || key(b) - key(a));
  assert.equal(d.indices.toArray(), desc);
  assert.equal(torch.argsort(x, 0, true).toArray(), desc);
  const t = torch.topk(x, 3);
  assert.equal(t.indices.toArray(), desc.slice(0, 3));
  assert.equal(torch.topk(x, 2, 0, false).indices.toArray(), asc.slice(0, 2));
  throwsLike(() => torch.topk(x, 7), OpError, /selected index k out of range/);
  // Along dim 0 of a 2-D tensor: each column sorts on its own.
  const cols = torch.sort(f32([[3, 1], [1, 2], [2, 0]]), 0);
  assert.equal(cols.values.toArray(), [[1, 0], [2, 1], [3, 2]]);
  assert.equal(cols.indices.toArray(), [[1, 2], [2, 0], [0, 1]]);
});

test('all/any keep uint8 for uint8 input, norms and count_nonzero', () => {
  const u = torch.tensor([[0, 3], [1, 1]], 'uint8') as Tensor;
  assert.is(u.all(1).dtype, 'uint8');
  assert.equal(u.all(1).toArray(), [0, 1]);
  assert.equal((torch.tensor([[0, 1], [0, 0]]) as Tensor).any(1).toArray(), [true, false]);
  assert.is(f32([NaN]).all().item(), true);
  const v = [3, -4, 0, 1];
  close([torch.norm(f32(v)).item() as number], [Math.hypot(...v)]);
  close([torch.norm(f32(v), 1, [0]).item() as number], [sumOf(v.map(Math.abs))]);
  close([torch.norm(f32(v), Infinity, [0]).item() as number], [Math.max(...v.map(Math.abs))]);
  close([torch.linalg_vector_norm(f32(v), 3).item() as number], [sumOf(v.map((a) => Math.abs(a) ** 3)) ** (1 / 3)]);
  // torch.norm's Python defaults ('fro') and the aten::norm rows TorchScript calls.
  const m = f32([v, v.map((a) => 2 * a)]);
  close(torch.norm(m, 'fro', 1).toArray(), [Math.hypot(...v), 2 * Math.hypot(...v)]);
  close(m.norm({ dim: 0, keepdim: true }).toArray().flat(), v.map((a) => Math.hypot(a, 2 * a)));
  close(callOp('aten::norm', [m, 1, [1]]).toArray(), [sumOf(v.map(Math.abs)), 2 * sumOf(v.map(Math.abs))]);
  close([callOp('aten::norm', [m]).item()], [Math.hypot(...v, ...v.map((a) => 2 * a))]);
  assert.is(torch.count_nonzero(f32(v)).item(), v.filter((a) => a !== 0).length);
});

test('the f32 kernels agree with the float64 reference loop (rows, columns, tails, permuted dims)', () => {
  const shape = [3, 5, 7];
  const vals = Array.from({ length: 3 * 5 * 7 }, (_, i) => Math.fround(Math.cos(i * 1.7) * 2));
  const x32 = (torch.tensor(vals, 'float32') as Tensor).reshape(shape);
  const x64 = (torch.tensor(vals, 'float64') as Tensor).reshape(shape);
  const reducers: [string, (x: Tensor, d: number[]) => Tensor][] = [
    ['sum', (x, d) => x.sum(d)],
    ['mean', (x, d) => x.mean(d)],
    ['prod', (x, d) => x.prod(d[0])],
    ['amax', (x, d) => x.amax(d)],
    ['amin', (x, d) => x.amin(d)],
    ['var', (x, d) => x.var(d)],
    ['std', (x, d) => x.std({ dim: d, correction: 0 })],
    ['logsumexp', (x, d) => torch.logsumexp(x, d)],
    ['norm', (x, d) => torch.norm(x, 2, d)],
    ['max.dim', (x, d) => torch.max(x, d[0]).values],
    ['argmax', (x, d) => x.argmax(d[0]).to('float32')],
    ['argmin', (x, d) => x.argmin(d[0]).to('float32')],
    ['cumsum', (x, d) => x.cumsum(d[0])],
    ['cumprod', (x, d) => x.cumprod(d[0])],
    ['softmax', (x, d) => torch.softmax(x, d[0])],
    ['log_softmax', (x, d) => torch.log_softmax(x, d[0])],
  ];
  for (const [name, f] of reducers)
    for (const d of [[2], [1], [0], [0, 2]]) {
      if (d.length > 1 && /max\.|arg|cum|softmax/.test(name)) continue;
      const got = f(x32, d), want = f(x64, d);
      assert.is(got.dtype, 'float32', name);
      const g = got.toArray().flat(2);
      assert.ok(g.every(Number.isFinite), name);
      close(g, want.toArray().flat(2), 1e-5, `${name} over [${d}]`);
    }
});

test('dim errors are PyTorch-phrased', () => {
  const x = f32(data);
  throwsLike(() => x.sum(3), OpError, /Dimension out of range \(expected to be in range of \[-3, 2\], but got 3\)/);
  throwsLike(() => x.sum([1, -2]), OpError, /dim 1 appears multiple times in the list of dims/);
  // A 0-d tensor reduces over dim 0 or -1.
  assert.is(f32(5).sum(-1).item(), 5);
});

test('reductions free every temporary (permuting copy included)', () => {
  const x = f32(data).transpose(0, 1);
  const before = engine().stats().blocksLive;
  for (const out of [x.sum([0, 2]), x.amax([0, 2]), x.var([0, 2]), ...torch.sort(x, 0), torch.softmax(x, 2), ...torch.max(x, 1)]) out.dispose();
  assert.is(engine().stats().blocksLive, before);
});

test.run();
