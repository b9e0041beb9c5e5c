// Gradient rules that PyTorch's OpInfo samples don't reach, checked against central differences
// of the forward op (float32, so loose tolerances), plus exact zero-safe and routing cases.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch, tensor, Tensor, manual_seed } from '../../src/index.js';

/** max |analytic - numeric| / max(1, |numeric|) for d sum(f(x) * r) / dx. */
function gradcheck(f: (x: Tensor) => Tensor, shape: number[], eps = 1e-2): number {
  manual_seed(1);
  const x = torch.randn(shape).requires_grad_();
  const r = torch.no_grad(() => torch.randn(f(x).shape));
  const [g] = torch.autograd.grad(f(x).mul(r).sum(), [x]);
  const base = x.dataSync().slice() as Float32Array, ga = g.dataSync() as Float32Array;
  let worst = 0;
  for (let i = 0; i < base.length; i++) {
    const at = (d: number) => {
      const v = Float32Array.from(base);
      v[i] += d;
      return Number(torch.no_grad(() => f(tensor(Array.from(v), 'float32').reshape(shape)).mul(r).sum()).item());
    };
    const num = (at(eps) - at(-eps)) / (2 * eps);
    worst = Math.max(worst, Math.abs(ga[i] - num) / Math.max(1, Math.abs(num)));
  }
  return worst;
}

const cases: [string, (x: Tensor) => Tensor, number[]][] = [
  ['cumprod', (x) => x.cumprod(1), [2, 4]],
  ['conv_transpose2d groups/stride/dilation', (x) => torch.nn.functional.conv_transpose2d(x, torch.ones([4, 1, 2, 2]).mul(0.3), null, 2, 1, 1, 2, 2), [1, 4, 3, 3]],
  ["conv2d padding='same' (even kernel)", (x) => torch.nn.functional.conv2d(x, torch.ones([2, 2, 2, 2]).mul(0.2), null, 1, 'same'), [1, 2, 4, 4]],
  ['avg_pool2d ceil_mode, count_include_pad=False', (x) => torch.nn.functional.avg_pool2d(x, 3, 2, 1, true, false), [1, 1, 6, 6]],
  ['layer_norm', (x) => torch.nn.functional.layer_norm(x, [3]), [2, 3]],
  ['std correction=2', (x) => torch.std(x, [1], { correction: 2 }), [2, 5]],
  ['logsumexp', (x) => torch.logsumexp(x, [0]), [3, 2]],
  ['linalg_vector_norm ord=3', (x) => torch.linalg_vector_norm(x, 3), [4]],
  ['unfold', (x) => x.unfold(0, 2, 1), [4]],
  ['interpolate bicubic align_corners', (x) => torch.nn.functional.interpolate(x, { size: [5, 3], mode: 'bicubic', align_corners: true }), [1, 1, 3, 4]],
];
for (const [name, f, shape] of cases) test(`${name} matches central differences`, () => assert.ok(gradcheck(f, shape) < 2e-2, name));

test('prod is zero-safe; max ties share; index_put accumulates; embedding skips padding_idx', () => {
  const x = tensor([2, 0, 3], 'float32').requires_grad_();
  x.prod().backward();
  assert.equal(x.grad!.toArray(), [0, 6, 0]);
  const m = tensor([1, 3, 3], 'float32').requires_grad_();
  m.max().backward();
  assert.equal(m.grad!.toArray(), [0, 0.5, 0.5]);
  const v = tensor([1, 2, 3, 4], 'float32').requires_grad_();
  v.index_select(0, tensor([1, 1, 3], 'int64')).sum().backward();
  assert.equal(v.grad!.toArray(), [0, 2, 0, 1]);
  const w = torch.ones([3, 2]).requires_grad_();
  torch.nn.functional.embedding(tensor([0, 2, 0], 'int64'), w, { padding_idx: 2 }).sum().backward();
  assert.equal(w.grad!.toArray(), [[2, 2], [0, 0], [0, 0]]);
});

test('eval dropout and same-dtype to() keep the leaf a leaf', () => {
  const x = tensor([1, 2], 'float32').requires_grad_();
  const y = torch.nn.functional.dropout(x, 0.5, false);
  assert.is(x.gradFn, null);
  y.sum().backward();
  assert.equal(x.grad!.toArray(), [1, 1]);
});

test.run();
