import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { OpError, ArgumentError } from '../../src/sdk/errors.js';
import { throwsLike, close, f32 } from './helpers.js';

const F = torch.nn.functional;
// [N=3, C=2, S=4] values with distinct per-channel statistics.
const data = Array.from({ length: 3 }, (_, n) => Array.from({ length: 2 }, (_, c) => Array.from({ length: 4 }, (_, s) => Math.fround(Math.sin(n * 8 + c * 4 + s) * (c + 1) + c))));
const mean = (xs: number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
const sqDev = (xs: number[]) => xs.reduce((s, v) => s + (v - mean(xs)) ** 2, 0);
const channel = (c: number) => data.flatMap((m) => m[c]);

test('batch_norm in training normalises with batch statistics and updates running stats in place (unbiased var)', () => {
  const rm = f32([0.5, -1]), rv = f32([2, 3]);
  const w = f32([1.5, -2]), b = f32([0.25, 1]);
  const momentum = 0.3, eps = 1e-5;
  const out = F.batch_norm(f32(data), rm, rv, w, b, true, momentum, eps) as Tensor;
  const got = out.toArray() as number[][][];
  for (const c of [0, 1]) {
    const xs = channel(c), m = mean(xs), n = xs.length;
    close(got.flatMap((r) => r[c]), xs.map((x) => ((x - m) / Math.sqrt(sqDev(xs) / n + eps)) * [1.5, -2][c] + [0.25, 1][c]), 1e-5, `channel ${c}`);
    close([rm.toArray()[c]], [(1 - momentum) * [0.5, -1][c] + momentum * m], 1e-6, 'running_mean');
    close([rv.toArray()[c]], [(1 - momentum) * [2, 3][c] + momentum * (sqDev(xs) / (n - 1))], 1e-6, 'running_var');
  }
});

test('batch_norm in evaluation uses the running stats and leaves them alone; keyword arguments bind by name', () => {
  const rm = f32([0.5, -1]), rv = f32([2, 3]);
  const out = F.batch_norm(f32(data), rm, rv, { eps: 0.1 }) as Tensor;
  const got = out.toArray() as number[][][];
  for (const c of [0, 1]) close(got.flatMap((r) => r[c]), channel(c).map((x) => (x - [0.5, -1][c]) / Math.sqrt([2, 3][c] + 0.1)));
  assert.equal(rm.toArray(), [0.5, -1]);
  assert.equal(rv.toArray(), [2, 3]);
});

test('instance_norm moves running stats towards the batch average of per-instance statistics', () => {
  const rm = f32([0, 0]), rv = f32([1, 1]);
  F.instance_norm(f32(data), { running_mean: rm, running_var: rv, momentum: 1 });
  for (const c of [0, 1]) {
    const inst = data.map((m) => m[c]);
    close([rm.toArray()[c]], [mean(inst.map(mean))], 1e-6, 'running_mean');
    close([rv.toArray()[c]], [mean(inst.map((xs) => sqDev(xs) / (xs.length - 1)))], 1e-6, 'running_var');
  }
});

test('instance_norm normalises each (n, c) over its own elements', () => {
  const out = (F.instance_norm(f32(data)) as Tensor).toArray() as number[][][];
  data.forEach((m, n) => m.forEach((xs, c) => close(out[n][c], xs.map((x) => (x - mean(xs)) / Math.sqrt(sqDev(xs) / xs.length + 1e-5)))));
});

test('layer_norm and group_norm agree with a JS computation over their groups', () => {
  const x = f32(data);
  const ln = (F.layer_norm(x, [2, 4]) as Tensor).toArray() as number[][][];
  data.forEach((m, n) => {
    const xs = m.flat();
    close(ln[n].flat(), xs.map((v) => (v - mean(xs)) / Math.sqrt(sqDev(xs) / xs.length + 1e-5)));
  });
  // One group over both channels is a layer norm over [C, S].
  close(((F.group_norm(x, 1) as Tensor).toArray() as number[][][]).flat(2), ln.flat(2));
});

test('PyTorch errors: feature counts, missing running stats, shapes, groups, one value per channel', () => {
  const x = f32(data);
  throwsLike(() => F.batch_norm(x, f32([0, 0, 0]), f32([1, 1])), OpError, /running_mean should contain 2 elements not 3/);
  throwsLike(() => F.batch_norm(x, null, null), OpError, /running_mean must be defined in evaluation mode/);
  throwsLike(() => F.instance_norm(x, { use_input_stats: false }), OpError, /Expected running_mean and running_var to be defined when use_input_stats is false/);
  throwsLike(() => F.layer_norm(x, [3]), OpError, /Given normalized_shape=\[3\], expected input with shape \[\*, 3\], but got input of size\[3, 2, 4\]/);
  throwsLike(() => F.layer_norm(x, [4], f32([1, 1])), OpError, /Expected weight to be of same shape as normalized_shape/);
  throwsLike(() => F.group_norm(x, 3), OpError, /Expected number of channels in input to be divisible by num_groups, but got input of shape \[3, 2, 4\] and num_groups=3/);
  throwsLike(() => F.batch_norm(f32([[1, 2]]), null, null, { training: true }), OpError, /Expected more than 1 value per channel when training, got input size torch.Size\(\[1, 2\]\)/);
});

test('F functions bind Python-style: unknown keywords and missing arguments are errors', () => {
  const x = f32(data);
  try {
    F.layer_norm(x, [4], { epsilon: 1 });
    assert.unreachable('expected an error');
  } catch (e) {
    assert.instance(e, ArgumentError);
    assert.match((e as Error).message, /layer_norm\(\) got an unexpected keyword argument 'epsilon'/);
  }
  assert.throws(() => F.group_norm(x), /missing required argument 'num_groups'/);
});

test.run();
