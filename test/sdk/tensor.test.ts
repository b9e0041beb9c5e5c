import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { torch, tensor, engine, tidy, ShapeError, ArgumentError, DisposedError, OpError } from '../../src/index.js';
import { tensorFromNpy, tensorToNpy } from '../../src/sdk/npy.js';

test('tensor() infers shape and dtype like torch.tensor', () => {
  const a = tensor([[1, 2, 3], [4, 5, 6]]);
  assert.equal(a.shape, [2, 3]);
  assert.is(a.dtype, 'int64');
  assert.is(tensor([1.5, 2]).dtype, 'float32');
  assert.is(tensor([true, false]).dtype, 'bool');
  assert.equal(tensor([[1, 2], [3, 4]], 'float32').toArray(), [[1, 2], [3, 4]]);
  assert.throws(() => tensor([[1, 2], [3]]), /expected sequence of length 2/);
});

test('printing follows PyTorch', () => {
  assert.is(tensor([1, 2, 3]).toString(), 'tensor([1, 2, 3])');
  assert.is(tensor([[1.5, -2], [3, 4]]).toString(), 'tensor([[ 1.5000, -2.0000],\n        [ 3.0000,  4.0000]])');
  assert.is(tensor([1, 2], 'float32').toString(), 'tensor([1., 2.])');
  assert.is(tensor([true, false]).toString(), 'tensor([ True, False])');
  assert.is(tensor([1, 2], 'int32').toString(), 'tensor([1, 2], dtype=torch.int32)');
  assert.is(tensor([1e-5, 1], 'float32').toString(), 'tensor([1.0000e-05, 1.0000e+00])');
});

test('creation ops', () => {
  assert.equal(torch.zeros([2, 2]).toArray(), [[0, 0], [0, 0]]);
  assert.equal(torch.full([2], 7).toArray(), [7, 7]);
  assert.is(torch.full([2], 7).dtype, 'int64');
  const r = torch.arange(0, 1, 0.25);
  assert.is(r.dtype, 'float32');
  assert.equal(r.shape, [4]);
  const l = torch.linspace(0, 1, 5).toArray();
  assert.is(l[0], 0);
  assert.is(l[4], 1);
  torch.manual_seed(3);
  const a = torch.randn([100]).toArray();
  torch.manual_seed(3);
  assert.equal(torch.randn([100]).toArray(), a);
  const u = torch.rand([1000]).toArray() as number[];
  assert.ok(u.every((v) => v >= 0 && v < 1));
});

test('views share storage; dispose frees it once', () => {
  const before = engine().stats().bytesLive;
  const a = tensor([1, 2, 3, 4], 'float32');
  const v = a.asStrided([2], [2], 1);
  assert.equal(v.toArray(), [2, 4]);
  a.dispose();
  assert.equal(v.toArray(), [2, 4]);
  assert.throws(() => a.toArray(), (e: unknown) => e instanceof DisposedError);
  v.dispose();
  assert.is(engine().stats().bytesLive, before);
});

test('shape mismatch says what PyTorch says', () => {
  const a = torch.ones([2, 3]), b = torch.ones([2, 4]);
  try {
    a.add(b);
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ShapeError);
    assert.match((e as Error).message, 'The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1');
  }
});

test('bad arguments give typed errors naming the op', () => {
  const a = torch.ones([2]);
  assert.throws(() => torch.add(a, 'x'), (e: unknown) => e instanceof ArgumentError && /aten::add/.test((e as Error).message));
  assert.throws(() => torch.div(a, a, { rounding_mode: 'up' }), (e: unknown) => e instanceof OpError && /rounding_mode/.test((e as Error).message));
  assert.throws(() => torch.sum(a, [3]), (e: unknown) => e instanceof OpError && /aten::sum/.test((e as Error).message) && /Dimension out of range/.test((e as Error).message));
  assert.throws(() => torch.mean(torch.ones([2], { dtype: 'int64' })), (e: unknown) => e instanceof OpError && /aten::mean/.test((e as Error).message));
  assert.throws(() => torch.where(torch.ones([2]), a, a), (e: unknown) => e instanceof OpError && /aten::where/.test((e as Error).message));
});

test('no memory leaks after 1000 failing calls', () => {
  const a = torch.ones([3, 3]), b = torch.ones([4, 4]);
  const before = engine().stats();
  for (let i = 0; i < 1000; i++) {
    try {
      tidy(() => a.mul(2).add(b));
    } catch (e) {
      if (!(e instanceof ShapeError)) throw e;
    }
  }
  const after = engine().stats();
  assert.is(after.bytesLive, before.bytesLive);
  assert.is(after.blocksLive, before.blocksLive);
});

test('ops free their temporaries when they throw', () => {
  const a = torch.ones([3, 3], { dtype: 'int32' }), b = torch.ones([4, 4]);
  const before = engine().stats();
  for (let i = 0; i < 1000; i++) assert.throws(() => a.add(b), (e: unknown) => e instanceof ShapeError);
  assert.equal(engine().stats().bytesLive, before.bytesLive);
});

test('tidy disposes intermediates and keeps the result', () => {
  const before = engine().stats().bytesLive;
  const x = tensor([1, 2, 3], 'float32');
  const y = tidy(() => x.mul(2).add(1).exp());
  assert.is(y.isDisposed, false);
  y.dispose();
  x.dispose();
  assert.is(engine().stats().bytesLive, before);
});

test('.npy round trip matches the fixture bytes', () => {
  const bytes = new Uint8Array(readFileSync('../shared/fixtures/torchscript/loop_traced.input0.npy'));
  const t = tensorFromNpy(bytes);
  assert.equal(t.shape, [5]);
  const again = tensorFromNpy(tensorToNpy(t));
  assert.equal(again.toArray(), t.toArray());
});

test.run();
