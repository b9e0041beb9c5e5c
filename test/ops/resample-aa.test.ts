import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { torch } from '../../src/sdk/torch.js';
import { Tensor } from '../../src/sdk/tensor.js';
import { values } from '../../src/ops/exec.js';
import { OpError } from '../../src/sdk/errors.js';
import { Generator } from '../../src/sdk/random.js';
import { close } from './helpers.js';

const g = new Generator(3);
const rand = (shape: number[]) => torch.tensor(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => g.uniform()), 'float32').reshape(shape) as Tensor;

test('antialiased bilinear when enlarging is plain bilinear (the triangle filter is not stretched)', () => {
  // Only without align_corners: the AA kernels centre samples at scale * (j + 0.5) either way.
  const x = rand([2, 3, 5, 4]);
  const aa = torch._upsample_bilinear2d_aa(x, [9, 7], false) as Tensor;
  close(values(aa), values(torch.upsample_bilinear2d(x, [9, 7], false) as Tensor));
});

test('antialiased bilinear halving averages 4 pixels with weights 1,3,3,1 / 8 (3,3,1 / 7 at the edge)', () => {
  // One row of 8 pixels, width halved; height kept (its taps are then the identity).
  const row = [1, 5, 2, 8, 3, 9, 4, 7];
  const x = torch.tensor([[row]], 'float32').reshape([1, 1, 1, 8]) as Tensor;
  const out = values(torch._upsample_bilinear2d_aa(x, [1, 4], false) as Tensor);
  const want = [(3 * row[0] + 3 * row[1] + row[2]) / 7];
  for (const j of [1, 2]) want.push((row[2 * j - 1] + 3 * row[2 * j] + 3 * row[2 * j + 1] + row[2 * j + 2]) / 8);
  want.push((row[5] + 3 * row[6] + 3 * row[7]) / 7);
  close(out, want);
});

test('antialiased bicubic halving uses Keys a=-0.5 weights at half the distance, normalised', () => {
  const n = 16, row = Array.from({ length: n }, (_, i) => Math.sin(i) * 3 + i);
  const x = torch.tensor(row, 'float32').reshape([1, 1, 1, n]) as Tensor;
  const out = values(torch._upsample_bicubic2d_aa(x, [1, n / 2], false) as Tensor);
  const keys = (d: number) => {
    d = Math.abs(d);
    return d < 1 ? 1.5 * d ** 3 - 2.5 * d ** 2 + 1 : d < 2 ? -0.5 * d ** 3 + 2.5 * d ** 2 - 4 * d + 2 : 0;
  };
  const want = Array.from({ length: n / 2 }, (_, j) => {
    let s = 0, total = 0;
    for (let i = 0; i < n; i++) {
      const w = keys((i + 0.5 - (2 * j + 1)) / 2);
      s += w * row[i];
      total += w;
    }
    return s / total;
  });
  close(out, want, 1e-5);
});

test('antialiased resizes keep a constant image constant; the .vec rows agree with the sized ones', () => {
  const c = torch.full([1, 2, 11, 13], 2.5) as Tensor;
  close(values(torch._upsample_bicubic2d_aa(c, [4, 5], false) as Tensor), Array(40).fill(2.5));
  close(values(torch._upsample_bilinear2d_aa(c, [3, 17], true) as Tensor), Array(102).fill(2.5));
  const x = rand([1, 1, 12, 10]);
  const byRow = values(torch._upsample_bilinear2d_aa(x, [5, 4], false) as Tensor);
  close(values(torch._upsample_bilinear2d_aa(x, null, false, [5 / 12, 0.4]) as Tensor), byRow, 1e-4);
});

test('antialiased resizes refuse non-4-d and integer inputs', () => {
  assert.throws(() => torch._upsample_bilinear2d_aa(torch.zeros([2, 3, 4]), [2, 2], false), (e: Error) => e instanceof OpError && /input_size equals to 4/.test(e.message));
  assert.throws(() => torch._upsample_bicubic2d_aa(torch.zeros([1, 1, 4, 4], { dtype: 'int64' }), [2, 2], false), (e: Error) => e instanceof OpError && /not implemented for 'int64'/.test(e.message));
});

test.run();
