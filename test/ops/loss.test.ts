import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { OpError } from '../../src/sdk/errors.js';
import { throwsLike, f32, i64 } from './helpers.js';

const F = torch.nn.functional;
const logits = [
  [0.5, -1.25, 2],
  [1.5, 0.25, -0.75],
  [-2, 0.5, 0.125],
  [0.75, 0.75, -1],
];
const num = (t: Tensor) => Number(t.item());
const close = (a: number, b: number, tol = 1e-5, msg = '') => assert.ok(Math.abs(a - b) <= tol * (1 + Math.abs(b)), `${msg}: ${a} vs ${b}`);
const logSoftmax = (r: number[]) => {
  const m = Math.max(...r), z = Math.log(r.reduce((s, v) => s + Math.exp(v - m), 0)) + m;
  return r.map((v) => v - z);
};

test('cross_entropy with class indices is the weighted mean of -log_softmax at the target, ignoring ignore_index', () => {
  const target = [2, 0, -100, 1], w = [0.5, 2, 1];
  const got = num(F.cross_entropy(f32(logits), i64(target), f32(w)));
  let s = 0, total = 0;
  target.forEach((t, n) => {
    if (t === -100) return;
    s -= w[t] * logSoftmax(logits[n])[t];
    total += w[t];
  });
  close(got, s / total);
  const none = (F.cross_entropy(f32(logits), i64(target), { reduction: 'none' }) as Tensor).toArray();
  assert.is(none[2], 0);
  // Every target ignored: the mean is 0/0.
  assert.ok(Number.isNaN(num(F.cross_entropy(f32(logits), i64([-100, -100, -100, -100])))));
});

test('label smoothing equals cross entropy against the smoothed one-hot probabilities', () => {
  const target = [2, 0, 1, 1], e = 0.2;
  const smoothed = target.map((t) => [0, 1, 2].map((c) => (c === t ? 1 - e : 0) + e / 3));
  const a = num(F.cross_entropy(f32(logits), i64(target), { label_smoothing: e }));
  const b = num(F.cross_entropy(f32(logits), f32(smoothed)));
  close(a, b);
  const c = num(F.cross_entropy(f32(logits), f32(target.map((t) => [0, 1, 2].map((k) => +(k === t)))), { label_smoothing: e }));
  close(c, b, 1e-5, 'probability targets smooth the same way');
});

test('nll_loss over spatial dims picks -input at the target class', () => {
  // [N=1, C=3, 2] log-probabilities, targets per position.
  const x = [[[-0.5, -1], [-2, -0.25], [-3, -4]]];
  assert.equal((F.nll_loss(f32(x), i64([[1, 2]]), { reduction: 'none' }) as Tensor).toArray(), [[2, 4]]);
  throwsLike(() => F.nll_loss(f32(x), i64([[1, 3]])), OpError, /Target 3 is out of bounds/);
  throwsLike(() => F.nll_loss(f32(logits), i64([0, 1])), OpError, /Expected input batch_size \(4\) to match target batch_size \(2\)/);
});

test('binary_cross_entropy clamps its logs at -100 and checks the input range', () => {
  assert.is(num(F.binary_cross_entropy(f32([0, 1]), f32([1, 0]))), 100);
  throwsLike(() => F.binary_cross_entropy(f32([1.5]), f32([1])), OpError, /all elements of input should be between 0 and 1/);
  assert.throws(() => F.binary_cross_entropy(f32([0.5, 0.5]), f32([1])), /Using a target size/);
});

test('binary_cross_entropy_with_logits matches binary_cross_entropy of the sigmoid', () => {
  const z = f32([-3, -0.5, 0, 2]), t = f32([0, 1, 0.25, 1]), w = f32([1, 2, 0.5, 1]);
  close(num(F.binary_cross_entropy_with_logits(z, t, w)), num(F.binary_cross_entropy(torch.sigmoid(z), t, w)));
});

test('mse_loss and l1_loss reductions; reduction strings are checked', () => {
  const a = f32([1, 2, 4]), b = f32([0, 2, 1]);
  assert.equal((F.mse_loss(a, b, { reduction: 'none' }) as Tensor).toArray(), [1, 0, 9]);
  assert.is(num(F.mse_loss(a, b, { reduction: 'sum' })), 10);
  close(num(F.l1_loss(a, b)), 4 / 3);
  // The legacy flags keep their positions: size_average=False means sum.
  assert.is(num(F.l1_loss(a, b, false)), 4);
  assert.throws(() => F.mse_loss(a, b, { reduction: 'avg' }), /avg is not a valid value for reduction/);
});

test.run();
